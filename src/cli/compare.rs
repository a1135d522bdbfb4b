//! `initlab compare`: the initialization race. Flags (or a spec file)
//! become a validated [`Spec`]; the loss table streams to stdout while the
//! runs train; the files land in the output folder.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::activation::Activation;
use crate::data::{KnownDataset, Sampling};
use crate::experiment::compare::diagnostics::findings;
use crate::experiment::compare::{self, ArmSpec, Observer, Outcome, Plan, RunId, RunOutcome, Spec};
use crate::init::Init;
use crate::optim::OptimizerSpec;
use crate::report::files::{prepare_output_dir, write_atomic};

/// Flags of `initlab compare`. Every flag overrides the spec file's value.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Spec file (TOML) to start from; flags override its fields.
    #[arg(long, value_name = "FILE.toml")]
    pub config: Option<PathBuf>,

    /// Print the resolved spec as TOML and exit without training.
    #[arg(long)]
    pub print_config: bool,

    /// Folder with the four IDX files (train/t10k images and labels).
    #[arg(long, value_name = "DIR", conflicts_with = "dataset")]
    pub data: Option<PathBuf>,

    /// Known dataset to find or download: mnist or fashion-mnist.
    #[arg(long, value_name = "NAME")]
    pub dataset: Option<KnownDataset>,

    /// An arm, repeatable: INIT, or NAME=INIT, optionally @ACTIVATION
    /// (e.g. `he`, `Small=std=0.01`, `Xavier=xavier@tanh`). Replaces the
    /// default arms std=0.01, Xavier, He.
    #[arg(long = "init", value_name = "[NAME=]INIT[@ACTIVATION]")]
    pub inits: Vec<String>,

    /// Units per hidden layer, comma separated (default 100,100,100,100).
    #[arg(long, value_name = "N,N,...", value_delimiter = ',')]
    pub hidden_sizes: Option<Vec<usize>>,

    /// Nonlinearity after each hidden layer (default relu).
    #[arg(long)]
    pub activation: Option<Activation>,

    /// L2 weight decay λ (default 0).
    #[arg(long, value_name = "λ", allow_negative_numbers = true)]
    pub weight_decay: Option<f64>,

    /// Learning rate of SGD, per step (default 0.01).
    #[arg(long, visible_alias = "lr", value_name = "LR", allow_negative_numbers = true)]
    pub learning_rate: Option<f64>,

    /// Rows per mini-batch (default 128).
    #[arg(long)]
    pub batch_size: Option<usize>,

    /// Optimizer steps per run (default 2000).
    #[arg(long)]
    pub iterations: Option<usize>,

    /// with-replacement (the book's way, default) or shuffled-epochs.
    #[arg(long)]
    pub sampling: Option<Sampling>,

    /// First seed (default 0).
    #[arg(long)]
    pub seed: Option<u64>,

    /// Seeds per arm: seed, seed+1, ... (default 1).
    #[arg(long)]
    pub seeds: Option<usize>,

    /// Record the loss of a fresh forward pass after each update, as the
    /// book does, instead of the pass that computed the gradient.
    #[arg(long)]
    pub loss_after_update: bool,

    /// Iterations between per-layer diagnostics (default 50; 0: none).
    #[arg(long, value_name = "K")]
    pub diagnose_every: Option<usize>,

    /// Loss whose first crossing by each smoothed curve the summary
    /// reports (default 0.5).
    #[arg(long, value_name = "NATS")]
    pub target_loss: Option<f64>,

    /// Iterations between two rows of the table on stdout.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub print_every: usize,

    /// Output folder (default: a new `runs/<date>-<time>-compare`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `initlab compare`.
///
/// # Errors
///
/// A bad flag or spec, missing data, an unwritable output folder (all
/// before training), or a failure writing the results.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let spec = resolve_spec(args)?;
    if args.print_config {
        print!("{}", spec.to_toml());
        return Ok(ExitCode::SUCCESS);
    }
    if args.print_every == 0 {
        bail!("invalid --print-every: expected at least 1, found 0");
    }
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => fresh_run_dir(Path::new("runs"))?,
    };
    let created = !out.exists();
    prepare_output_dir(&out)
        .with_context(|| format!("preparing output folder {}", out.display()))?;

    let mut printer = Printer::new(&spec, args.print_every);
    let outcome = match compare::run(&spec, &mut printer) {
        Ok(outcome) => outcome,
        Err(err) => {
            if created {
                // Nothing was written yet: leave no empty folder behind.
                let _ = std::fs::remove_dir(&out);
            }
            return Err(err.into());
        }
    };
    printer.finish();
    log::info!("trained {} runs in {:.0} ms", outcome.runs.len(), outcome.training_ms);

    write_results(&outcome, &out)?;
    let mut stdout = std::io::stdout().lock();
    print_summary(&mut stdout, &outcome)?;
    print_pairwise(&mut stdout, &outcome)?;
    warn_findings(&outcome);
    Ok(ExitCode::SUCCESS)
}

/// The spec from `--config` (or the book's defaults) with every flag
/// applied, validated.
fn resolve_spec(args: &Args) -> anyhow::Result<Spec> {
    let mut spec = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading spec {}", path.display()))?;
            Spec::from_toml(&text, path)?
        }
        None => Spec::default(),
    };
    if let Some(dir) = &args.data {
        spec.data.dir = Some(dir.clone());
    }
    if let Some(dataset) = args.dataset {
        spec.data = compare::DataSpec { dataset, dir: None };
    }
    if !args.inits.is_empty() {
        spec.arms = args.inits.iter().map(|text| parse_arm(text)).collect::<anyhow::Result<_>>()?;
    }
    apply_model_flags(args, &mut spec);
    apply_training_flags(args, &mut spec);
    spec.validate()?;
    Ok(spec)
}

fn apply_model_flags(args: &Args, spec: &mut Spec) {
    if let Some(sizes) = &args.hidden_sizes {
        spec.model.hidden_sizes = sizes.clone();
    }
    if let Some(activation) = args.activation {
        spec.model.activation = activation;
    }
    if let Some(weight_decay) = args.weight_decay {
        spec.model.weight_decay = weight_decay;
    }
}

fn apply_training_flags(args: &Args, spec: &mut Spec) {
    let training = &mut spec.training;
    if let Some(lr) = args.learning_rate {
        training.optimizer = OptimizerSpec::Sgd { lr };
    }
    if let Some(batch_size) = args.batch_size {
        training.batch_size = batch_size;
    }
    if let Some(iterations) = args.iterations {
        training.iterations = iterations;
    }
    if let Some(sampling) = args.sampling {
        training.sampling = sampling;
    }
    if let Some(seed) = args.seed {
        training.seed = seed;
    }
    if let Some(seeds) = args.seeds {
        training.seeds = seeds;
    }
    training.loss_after_update |= args.loss_after_update;
    if let Some(every) = args.diagnose_every {
        training.diagnose_every = every;
    }
    if let Some(target) = args.target_loss {
        spec.analysis.target_loss = target;
    }
}

/// Parses `--init`: `INIT`, `NAME=INIT`, either with `@ACTIVATION`.
///
/// Init texts may hold `=` themselves (`std=0.01`), so the whole text is
/// tried as an init first and split at the first `=` only if that fails.
pub fn parse_arm(text: &str) -> anyhow::Result<ArmSpec> {
    let (body, activation) = match text.rsplit_once('@') {
        Some((body, act)) => {
            let act: Activation = act.parse().with_context(|| format!("in --init '{text}'"))?;
            (body, Some(act))
        }
        None => (text, None),
    };
    let (name, init) = match body.parse::<Init>() {
        Ok(init) => (body.to_string(), init),
        Err(whole) => match body.split_once('=') {
            Some((name, init)) if !name.is_empty() => match init.parse::<Init>() {
                Ok(init) => (name.to_string(), init),
                Err(err) => return Err(err).with_context(|| format!("in --init '{text}'")),
            },
            _ => return Err(whole).with_context(|| format!("in --init '{text}'")),
        },
    };
    Ok(ArmSpec { name, init, activation, optimizer: None })
}

/// `dir/<date>-<time>-compare`, with a numeric suffix if that exists.
fn fresh_run_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    for attempt in 1..1000 {
        let name = match attempt {
            1 => format!("{stamp}-compare"),
            n => format!("{stamp}-compare-{n}"),
        };
        let path = dir.join(name);
        if !path.exists() {
            return Ok(path);
        }
    }
    bail!("no free run folder name under {}", dir.display())
}

/// Writes spec.toml and the report files, logging each.
fn write_results(outcome: &Outcome, out: &Path) -> anyhow::Result<()> {
    let spec_path = out.join("spec.toml");
    write_atomic(&spec_path, outcome.spec.to_toml().as_bytes())?;
    log::info!("wrote {}", spec_path.display());
    let mut paths = crate::report::compare::write_all(outcome, out)?;
    paths.extend(crate::report::diagnostics::write_all(outcome, out)?);
    for path in paths {
        log::info!("wrote {}", path.display());
    }
    Ok(())
}

/// Streams the loss table to stdout and a progress bar to stderr.
struct Printer {
    print_every: usize,
    /// Arm names, in column order.
    arms: Vec<String>,
    /// Per run (plan order), its arm's column.
    columns: Vec<usize>,
    bar: ProgressBar,
}

impl Printer {
    fn new(spec: &Spec, print_every: usize) -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(spec.training.iterations as u64), target);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} iterations, {elapsed} ({eta} left)")
                .expect("the template is valid"),
        );
        let arms = spec.arms.iter().map(|arm| arm.name.clone()).collect();
        Printer { print_every, arms, columns: Vec::new(), bar }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Writes a line to stdout without tearing the progress bar.
    fn line(&self, text: &str) {
        self.bar.suspend(|| {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not worth failing the run for.
            let _ = writeln!(out, "{text}");
        });
    }
}

impl Observer for Printer {
    fn started(&mut self, plan: &Plan) {
        self.columns = plan.runs.iter().map(|run| run.arm).collect();
        let sizes: Vec<String> = plan.sizes.iter().map(|s| s.to_string()).collect();
        log::info!(
            "net {} ({} parameters), {} training and {} test images, {} runs on {} threads",
            sizes.join("-"),
            plan.parameter_count,
            plan.train_size,
            plan.test_size,
            plan.runs.len(),
            plan.workers
        );
        self.line(&format!("i\t{}", self.arms.join("\t")));
    }

    fn iteration(&mut self, iteration: usize, losses: &[f64]) {
        self.bar.set_position(iteration as u64 + 1);
        if !iteration.is_multiple_of(self.print_every) {
            return;
        }
        // One column per arm: the mean over its seeds.
        let mut sums = vec![(0.0, 0usize); self.arms.len()];
        for (&arm, &loss) in self.columns.iter().zip(losses) {
            sums[arm].0 += loss;
            sums[arm].1 += 1;
        }
        let cells: Vec<String> =
            sums.iter().map(|&(sum, n)| format!("{:.6}", sum / n.max(1) as f64)).collect();
        self.line(&format!("{iteration}\t{}", cells.join("\t")));
    }

    fn diverged(&mut self, run: RunId, iteration: usize) {
        log::debug!("arm {} seed {} diverged at iteration {iteration}", run.arm, run.seed);
    }

    fn run_finished(&mut self, run: &RunOutcome) {
        let accuracy = run.test_accuracy.map_or("-".to_string(), |a| format!("{:.2} %", 100.0 * a));
        log::info!(
            "{} seed {}: final loss {}, test accuracy {accuracy}, {:.0} ms",
            run.name,
            run.seed,
            run.final_loss().map_or("diverged".to_string(), |l| format!("{l:.4}")),
            run.wall_ms
        );
    }
}

/// Per arm: final loss, test accuracy, iterations to the target loss,
/// wall time, divergences.
fn print_summary(out: &mut impl Write, outcome: &Outcome) -> std::io::Result<()> {
    writeln!(out)?;
    let target = format!("iter. to {}", outcome.spec.analysis.target_loss);
    writeln!(
        out,
        "{:<16} {:>20} {:>18} {:>18} {:>10}  diverged",
        "arm", "loss (last 100 it.)", "test accuracy %", target, "wall ms"
    )?;
    let seeds = outcome.spec.training.seeds;
    for arm in outcome.summary() {
        let loss = arm.final_loss.map_or("-".into(), |s| plus_minus(s.mean, s.std, s.n, 4));
        let acc = arm
            .test_accuracy
            .map_or("-".into(), |s| plus_minus(100.0 * s.mean, 100.0 * s.std, s.n, 2));
        let mut reach =
            arm.target_iteration.map_or("never".into(), |s| plus_minus(s.mean, s.std, s.n, 0));
        if arm.reached_target > 0 && arm.reached_target < seeds {
            reach = format!("{reach} ({}/{seeds})", arm.reached_target);
        }
        let wall = arm.wall_ms.map_or("-".into(), |s| format!("{:.0}", s.mean));
        let diverged: Vec<String> =
            arm.diverged.iter().map(|(seed, i)| format!("seed {seed} at {i}")).collect();
        let diverged = if diverged.is_empty() { "no".to_string() } else { diverged.join(", ") };
        writeln!(out, "{:<16} {loss:>20} {acc:>18} {reach:>18} {wall:>10}  {diverged}", arm.name)?;
    }
    Ok(())
}

/// With several seeds: every pair of arms' paired differences, with 95 %
/// intervals, in final loss and in iterations to the target loss.
fn print_pairwise(out: &mut impl Write, outcome: &Outcome) -> std::io::Result<()> {
    if outcome.spec.training.seeds < 2 {
        return Ok(());
    }
    let target = outcome.spec.analysis.target_loss;
    writeln!(out)?;
    writeln!(out, "paired by seed: mean difference a - b [95 % interval]")?;
    let iterations = format!("iterations to {target}");
    let sections = [
        ("final loss", outcome.pairwise_final_loss(), 4, "lower", "higher"),
        (iterations.as_str(), outcome.pairwise_target_iteration(), 0, "faster", "slower"),
    ];
    for (what, pairs, digits, less, more) in sections {
        for p in pairs.iter().filter(|p| p.n > 0) {
            let verdict = match (p.is_significant(), p.mean < 0.0) {
                (true, true) => format!("{} {less} than {}", p.a, p.b),
                (true, false) => format!("{} {more} than {}", p.a, p.b),
                (false, _) => "no clear difference".to_string(),
            };
            writeln!(
                out,
                "  {what:<20} {} - {}: {:.digits$} [{:.digits$}, {:.digits$}] over {} seeds: {verdict}",
                p.a, p.b, p.mean, p.low, p.high, p.n
            )?;
        }
    }
    Ok(())
}

/// Warns about unhealthy layers, from each arm's first seed.
fn warn_findings(outcome: &Outcome) {
    for arm in 0..outcome.spec.arms.len() {
        let Some(run) = outcome.runs_of(arm).next() else { continue };
        for finding in findings(&run.diagnostics) {
            log::warn!("{} (seed {}) {}", run.name, run.seed, finding.describe());
        }
    }
}

/// `mean` alone for one value, `mean ± std` for several.
fn plus_minus(mean: f64, std: f64, n: usize, digits: usize) -> String {
    if n > 1 {
        format!("{mean:.digits$} ± {std:.digits$}")
    } else {
        format!("{mean:.digits$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_parse_with_and_without_names() {
        let arm = parse_arm("std=0.01").unwrap();
        assert_eq!((arm.name.as_str(), arm.init), ("std=0.01", Init::Normal { std: 0.01 }));
        let arm = parse_arm("Small=std=0.02").unwrap();
        assert_eq!((arm.name.as_str(), arm.init), ("Small", Init::Normal { std: 0.02 }));
        let arm = parse_arm("Xavier=xavier@tanh").unwrap();
        assert_eq!((arm.init, arm.activation), (Init::XAVIER, Some(Activation::Tanh)));
        let err = format!("{:#}", parse_arm("kaiming-sideways").unwrap_err());
        assert!(err.contains("kaiming-sideways") && err.contains("accepted"), "{err}");
        assert!(parse_arm("he@softsign").is_err());
    }
}
