//! `initlab data`.

use std::process::ExitCode;

/// Flags of `initlab data`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `initlab data`.
///
/// # Errors
///
/// Always, until the command exists.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'initlab data' is not built yet")
}
