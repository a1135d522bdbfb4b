//! The `initlab` command: parses arguments, installs the logger, runs one
//! command and turns its error into a message and an exit code.

use std::process::ExitCode;

use clap::Parser;
use initlab::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    initlab::cli::install_logger(cli.verbosity());
    match initlab::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // The whole chain on one line: "reading x.toml: line 3: ..."
            eprintln!("initlab: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
