//! `initlab inits`.

use std::process::ExitCode;

/// Flags of `initlab inits`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `initlab inits`.
///
/// # Errors
///
/// Always, until the command exists.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'initlab inits' is not built yet")
}
