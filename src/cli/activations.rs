//! `initlab activations`.

use std::process::ExitCode;

/// Flags of `initlab activations`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `initlab activations`.
///
/// # Errors
///
/// Always, until the command exists.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'initlab activations' is not built yet")
}
