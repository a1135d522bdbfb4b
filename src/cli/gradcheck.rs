//! `initlab gradcheck`: backprop against central differences, in f64, for
//! every activation with and without weight decay.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::gradcheck::{self, Row, TOLERANCE};

/// Flags of `initlab gradcheck`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the rows as JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Seed of the random nets and batches.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Runs the checks, prints them, and exits 1 if any exceeds the tolerance.
///
/// # Errors
///
/// If stdout cannot be written.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let rows = gradcheck::check_all(args.seed)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows).context("writing JSON to stdout")?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &rows).context("writing to stdout")?;
    }

    let failed = rows.iter().filter(|row| !row.passed()).count();
    if failed > 0 {
        log::error!("{failed} of {} tensors exceed relative error {TOLERANCE:e}", rows.len());
        return Ok(ExitCode::FAILURE);
    }
    log::info!("all {} tensors within relative error {TOLERANCE:e}", rows.len());
    Ok(ExitCode::SUCCESS)
}

/// One aligned line per tensor.
fn print_table(out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<12} {:>6} {:>5} {:>5} {:>13} {:>13}  result",
        "activation", "λ", "layer", "param", "max abs err", "max rel err"
    )?;
    for row in rows {
        let verdict = if row.passed() { "ok" } else { "FAIL" };
        writeln!(
            out,
            "{:<12} {:>6} {:>5} {:>5} {:>13.3e} {:>13.3e}  {verdict}",
            row.activation,
            row.weight_decay,
            row.layer,
            row.parameter,
            row.max_abs_error,
            row.max_rel_error
        )?;
    }
    Ok(())
}
