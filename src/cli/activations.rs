//! `initlab activations`: the book's activation histograms (figures 6-10 to
//! 6-14), with the mean-field theory beside each measurement.
//!
//! Flags become a [`Spec`] (validated once, before anything runs); the
//! outcome is printed as one table per configuration, or as JSON with
//! `--json`; `--out DIR` also writes `activations.png`, `activations.svg`
//! and `stats.csv`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::experiment::activations::{self as experiment, Config, HistogramRange, Outcome, Spec};
use crate::report::activations::{non_finite_warning, range_note, stats_csv, table, HistogramGrid};
use crate::report::files::{prepare_output_dir, write_atomic};
use crate::report::plot::save;
use crate::Error;

/// Flags of `initlab activations`. Defaults are the book's setup.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An init and activation to compare, as INIT:ACTIVATION (e.g.
    /// std=0.01:sigmoid, xavier:tanh, he:relu). Repeat it for several; when
    /// given, it replaces the book's four (std=1:sigmoid, std=0.01:sigmoid,
    /// xavier:sigmoid, he:relu).
    #[arg(long = "config", value_name = "INIT:ACTIVATION")]
    pub configs: Vec<String>,

    /// Input rows, each a standard normal vector.
    #[arg(long, default_value_t = Spec::default().samples)]
    pub samples: usize,

    /// Features per input row (the first layer's fan_in).
    #[arg(long, default_value_t = Spec::default().width)]
    pub width: usize,

    /// Layers in the stack.
    #[arg(long, default_value_t = Spec::default().layers)]
    pub layers: usize,

    /// Units of every layer.
    #[arg(long, default_value_t = Spec::default().units)]
    pub units: usize,

    /// Add a bias to every layer (zero unless --bias-std is given).
    #[arg(long)]
    pub bias: bool,

    /// Draw each bias from N(0, STD²); implies --bias.
    #[arg(long, value_name = "STD", allow_negative_numbers = true)]
    pub bias_std: Option<f64>,

    /// Histogram bins.
    #[arg(long, default_value_t = Spec::default().bins)]
    pub bins: usize,

    /// Histogram range: LO,HI, or auto to fit each configuration's range
    /// to its values (the book's [0, 1] hides tanh's negative half and
    /// ReLU's values above 1).
    #[arg(long, value_name = "LO,HI|auto", default_value = "0,1", allow_hyphen_values = true)]
    pub range: String,

    /// Seed of the input and of every configuration's weights.
    #[arg(long, default_value_t = Spec::default().seed)]
    pub seed: u64,

    /// Print the whole outcome (spec, histograms, statistics, theory) as
    /// JSON instead of tables.
    #[arg(long)]
    pub json: bool,

    /// Write activations.png, activations.svg and stats.csv into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `initlab activations`.
///
/// # Errors
///
/// An invalid flag (naming it and its value), an output folder that cannot
/// be written, or a failure writing a file.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let spec = spec_from(args)?;
    if let Some(dir) = &args.out {
        prepare_output_dir(dir).context("--out")?;
    }
    log_spec(&spec);
    let outcome = experiment::run(&spec)?;
    outcome.configs.iter().filter_map(non_finite_warning).for_each(|w| log::warn!("{w}"));
    match print(&outcome, args.json) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        result => result.context("writing to stdout")?,
    }
    if let Some(dir) = &args.out {
        write_report(&outcome, dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Turns the flags into a validated spec.
fn spec_from(args: &Args) -> anyhow::Result<Spec> {
    let mut spec = Spec {
        samples: args.samples,
        width: args.width,
        layers: args.layers,
        units: args.units,
        bias: args.bias || args.bias_std.is_some(),
        bias_std: args.bias_std.unwrap_or(0.0),
        bins: args.bins,
        seed: args.seed,
        ..Spec::default()
    };
    if !args.configs.is_empty() {
        spec.configs =
            args.configs.iter().map(|text| parse_config(text)).collect::<Result<_, _>>()?;
    }
    spec.range = args
        .range
        .parse::<HistogramRange>()
        .with_context(|| format!("--range '{}'", args.range))?;
    spec.validate().map_err(|err| flag_error(err, args))?;
    Ok(spec)
}

/// Parses one `--config`, naming the flag and the value on error (the
/// parser's message lists the accepted inits or activations).
fn parse_config(text: &str) -> anyhow::Result<Config> {
    text.parse::<Config>().with_context(|| format!("--config '{text}'"))
}

/// Adds the flag and the value given to a validation error.
fn flag_error(err: Error, args: &Args) -> anyhow::Error {
    let flag = match &err {
        Error::Invalid { what, .. } => what.replace('_', "-"),
        _ => return err.into(),
    };
    let value = match flag.as_str() {
        "range" => args.range.clone(),
        "samples" => args.samples.to_string(),
        "width" => args.width.to_string(),
        "layers" => args.layers.to_string(),
        "units" => args.units.to_string(),
        "bins" => args.bins.to_string(),
        "bias-std" => args.bias_std.unwrap_or(0.0).to_string(),
        _ => return anyhow::Error::new(err).context(format!("--{flag}")),
    };
    anyhow::Error::new(err).context(format!("--{flag} {value}"))
}

/// Logs the resolved spec at info, so a run can be repeated from its log.
fn log_spec(spec: &Spec) {
    let configs: Vec<String> = spec.configs.iter().map(Config::to_string).collect();
    log::info!(
        "activations: seed {}, {} samples x {} inputs, {} layers x {} units, bias {}, \
         {} bins on {}, configs {}",
        spec.seed,
        spec.samples,
        spec.width,
        spec.layers,
        spec.units,
        if spec.bias { format!("N(0, {}²)", spec.bias_std) } else { "off".to_string() },
        spec.bins,
        spec.range,
        configs.join(" ")
    );
}

/// Prints the tables and range notes, or the JSON.
fn print(outcome: &Outcome, json: bool) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, outcome)?;
        return writeln!(out);
    }
    for (index, config) in outcome.configs.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", table(config))?;
    }
    let range = outcome.spec.range;
    let notes: Vec<String> =
        outcome.configs.iter().filter_map(|config| range_note(config, range)).collect();
    if !notes.is_empty() {
        writeln!(out)?;
    }
    for note in notes {
        writeln!(out, "{note}")?;
    }
    out.flush()
}

/// Writes the figure (PNG and SVG) and `stats.csv` into `dir`.
fn write_report(outcome: &Outcome, dir: &Path) -> anyhow::Result<()> {
    let mut written = save(&HistogramGrid::new(outcome), dir, "activations")?;
    let csv_path = dir.join("stats.csv");
    write_atomic(&csv_path, &stats_csv(outcome)?)?;
    written.push(csv_path);
    for path in written {
        log::info!("wrote {}", path.display());
    }
    Ok(())
}
