//! `initlab data`: fetch a known dataset, or describe one.
//!
//! `info` prints, per split, the image count and size, the class histogram
//! and the pixel mean and std (on the [0, 1] scale the net sees), then each
//! file's SHA-256 and how it compares with the published files. `--json`
//! prints the same as one JSON object.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::data::{
    self, DataSource, Dataset, DownloadEvent, FileCheck, KnownDataset, Locations, Origin, Splits,
    Verdict,
};

/// Flags of `initlab data`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: DataCommand,
}

/// The `initlab data` commands.
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Download a known dataset into the cache folder (~/.cache/initlab/
    /// on Linux), checking each file's SHA-256; files already there and
    /// intact are kept.
    ///
    /// $INITLAB_MIRROR (one base URL, or several separated by commas)
    /// replaces the built-in mirrors.
    Fetch {
        /// The dataset: mnist or fashion-mnist.
        name: KnownDataset,
    },
    /// Describe a dataset: counts, image size, class histogram, pixel
    /// statistics, and each file's SHA-256 against the published one.
    Info(InfoArgs),
}

/// Flags of `initlab data info`.
#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// A known dataset (mnist, fashion-mnist), looked for in
    /// $INITLAB_DATA/NAME, the cache folder and system folders, and
    /// downloaded if absent. With --data, the dataset whose digests the
    /// folder's files are compared with.
    #[arg(required_unless_present = "data")]
    pub name: Option<KnownDataset>,

    /// A folder holding the four IDX files under their standard names.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Runs `initlab data`.
///
/// # Errors
///
/// When the dataset cannot be found, downloaded or read; the message says
/// where initlab looked and how to point it at the files.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        DataCommand::Fetch { name } => fetch(*name),
        DataCommand::Info(info) => describe(info),
    }
}

/// `initlab data fetch`.
fn fetch(dataset: KnownDataset) -> anyhow::Result<ExitCode> {
    let locations = Locations::from_env();
    let mut bar = DownloadBar::default();
    let dir = data::fetch(dataset, &locations, &mut |event| bar.show(event))?;
    let splits = data::resolve::load_dir(&dir, Origin::Cache, Some(dataset))
        .with_context(|| format!("reading {} after fetching it", dir.display()))?;
    println!(
        "{dataset}: {} training and {} test images in {}, all files verified",
        splits.train.len(),
        splits.test.len(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `initlab data info`.
fn describe(args: &InfoArgs) -> anyhow::Result<ExitCode> {
    let splits = match (&args.data, args.name) {
        (Some(dir), name) => data::resolve::load_dir(dir, Origin::Dir, name)
            .with_context(|| format!("reading the dataset in {}", dir.display()))?,
        (None, Some(name)) => {
            let mut bar = DownloadBar::default();
            let source = DataSource::Known(name);
            data::load_with(&source, &Locations::from_env(), &mut |event| bar.show(event))?
        }
        (None, None) => anyhow::bail!("give a dataset name or --data DIR"),
    };
    let report = Report::of(&splits);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table());
    }
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on stderr for downloads (hidden when stderr is not a
/// terminal).
#[derive(Default)]
struct DownloadBar {
    bar: Option<ProgressBar>,
}

impl DownloadBar {
    /// Updates the bar for one event.
    fn show(&mut self, event: DownloadEvent) {
        match event {
            DownloadEvent::Started { url } => {
                let bar = ProgressBar::new(0).with_message(url);
                let template = "{msg}\n{bar:40} {bytes:>10}/{total_bytes:10} {bytes_per_sec}";
                bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
                self.bar = Some(bar);
            }
            DownloadEvent::Progress { done, total } => {
                if let Some(bar) = &self.bar {
                    bar.set_length(total.unwrap_or(done));
                    bar.set_position(done);
                }
            }
            DownloadEvent::Finished { .. } | DownloadEvent::Failed { .. } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
            }
        }
    }
}

/// What `info` prints, as a table or JSON.
#[derive(Debug, Serialize)]
struct Report {
    dataset: Option<KnownDataset>,
    dir: PathBuf,
    origin: Origin,
    train: SplitReport,
    test: SplitReport,
    files: Vec<FileCheck>,
}

/// One split's numbers.
#[derive(Debug, Serialize)]
struct SplitReport {
    count: usize,
    rows: usize,
    cols: usize,
    classes: usize,
    class_counts: Vec<usize>,
    pixel_mean: f64,
    pixel_std: f64,
}

impl SplitReport {
    fn of(split: &Dataset) -> Self {
        let (pixel_mean, pixel_std) = split.pixel_stats();
        SplitReport {
            count: split.len(),
            rows: split.rows(),
            cols: split.cols(),
            classes: split.classes(),
            class_counts: split.class_counts(),
            pixel_mean,
            pixel_std,
        }
    }
}

impl Report {
    fn of(splits: &Splits) -> Self {
        Report {
            dataset: splits.dataset,
            dir: splits.dir.clone(),
            origin: splits.origin,
            train: SplitReport::of(&splits.train),
            test: SplitReport::of(&splits.test),
            files: splits.files.clone(),
        }
    }

    /// The three tables: splits, class histogram, files.
    fn table(&self) -> String {
        let name = self.dataset.map_or("dataset".to_string(), |d| d.to_string());
        let mut out = format!("{name} in {}\n\n", self.dir.display());
        out +=
            &format!("{:<6} {:>7} {:>6} {:>10} {:>10}\n", "split", "images", "size", "mean", "std");
        for (label, split) in [("train", &self.train), ("test", &self.test)] {
            let size = format!("{}×{}", split.rows, split.cols);
            out += &format!(
                "{label:<6} {:>7} {size:>6} {:>10.4} {:>10.4}\n",
                split.count, split.pixel_mean, split.pixel_std
            );
        }
        out += &format!("\n{:<14} {:>7} {:>7}\n", "class", "train", "test");
        let names = self.dataset.map(KnownDataset::class_names);
        for class in 0..self.train.classes {
            let label = names.map_or(class.to_string(), |n| format!("{class} {}", n[class]));
            let count = |s: &SplitReport| s.class_counts.get(class).copied().unwrap_or(0);
            out += &format!("{label:<14} {:>7} {:>7}\n", count(&self.train), count(&self.test));
        }
        out += &format!("\n{:<27} {:>9}  {:<64}  {}\n", "file", "bytes", "sha-256", "verdict");
        for file in &self.files {
            let name = file.path.file_name().map_or(String::new(), |n| n.to_string_lossy().into());
            let verdict = Verdict::describe(file.verdict);
            out += &format!("{name:<27} {:>9}  {}  {verdict}\n", file.size, file.sha256);
        }
        out
    }
}
