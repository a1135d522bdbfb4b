//! `initlab gradcheck`.

use std::process::ExitCode;

/// Flags of `initlab gradcheck`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `initlab gradcheck`.
///
/// # Errors
///
/// Always, until the command exists.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'initlab gradcheck' is not built yet")
}
