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
        // A reader that stopped early (`| head`) is not a failure: the
        // results already written were all it wanted.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The whole chain on one line: "reading x.toml: line 3: ..."
            eprintln!("initlab: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the error comes from writing to a closed pipe.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
