//! The command line: clap structures that mirror the flags, one file per
//! command, each turning its flags into a validated spec before any work
//! starts, then running it and writing the report.
//!
//! Results and tables go to stdout; logs and progress go to stderr, so
//! stdout can be piped.

pub mod activations;
pub mod compare;
pub mod data;
pub mod gradcheck;
pub mod inits;

use std::io::Write;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand};

/// initlab: how the initial weights of a deep network decide whether it
/// learns.
#[derive(Debug, Parser)]
#[command(name = "initlab", version, about, long_about = None)]
pub struct Cli {
    /// More log output on stderr: -v debug, -vv trace.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Only warnings and errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// What to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train one net per initialization on the same batches and compare
    /// their loss curves (the book's figure 6-15 by default).
    #[command(args_override_self = true)]
    Compare(Box<compare::Args>),
    /// Push random data through a deep stack and draw each layer's
    /// activation histogram (the book's figures 6-10 to 6-14 by default).
    Activations(activations::Args),
    /// List every initialization scheme with its formula and, for a layer
    /// shape, the std and bound it gives.
    Inits(inits::Args),
    /// Find, download, verify and describe datasets.
    Data(data::Args),
    /// Check backprop against central differences for every activation.
    Gradcheck(gradcheck::Args),
}

impl Cli {
    /// The log level the flags ask for.
    pub fn verbosity(&self) -> log::LevelFilter {
        match (self.quiet, self.verbose) {
            (true, _) => log::LevelFilter::Warn,
            (false, 0) => log::LevelFilter::Info,
            (false, 1) => log::LevelFilter::Debug,
            (false, _) => log::LevelFilter::Trace,
        }
    }
}

/// Sends `log` records to stderr at `level` (or as `RUST_LOG` says).
pub fn install_logger(level: log::LevelFilter) {
    env_logger::Builder::new()
        .filter_level(level)
        .parse_default_env()
        .format(|buf, record| {
            let level = record.level().to_string().to_lowercase();
            writeln!(buf, "initlab: {level}: {}", record.args())
        })
        .target(env_logger::Target::Stderr)
        .init();
}

/// Runs the command and returns the process exit code.
///
/// # Errors
///
/// Whatever the command reports; `main` prints the chain and exits 1.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Activations(args) => activations::run(args),
        Command::Inits(args) => inits::run(args),
        Command::Data(args) => data::run(args),
        Command::Gradcheck(args) => gradcheck::run(args),
    }
}
