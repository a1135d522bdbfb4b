//! `initlab compare`.

use std::process::ExitCode;

/// Flags of `initlab compare`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `initlab compare`.
///
/// # Errors
///
/// Always, until the command exists.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'initlab compare' is not built yet")
}
