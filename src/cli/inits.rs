//! `initlab inits`: every initialization scheme with its formula, aliases
//! and, for one layer shape, the std and bound it gives; the gains of every
//! activation.

use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::init::catalog::{self, Row, DEFAULT_SHAPE};
use crate::init::gain::{self, GainRow};
use crate::init::Init;

/// Flags of `initlab inits`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Schemes to evaluate (any `--init` form, e.g. he-uniform:fan_out);
    /// all named schemes when none is given.
    #[arg(value_name = "SCHEME")]
    pub schemes: Vec<String>,

    /// The layer shape FAN_INxFAN_OUT at which to evaluate each scheme.
    #[arg(long, default_value = "784x100", value_name = "FAN_INxFAN_OUT")]
    pub shape: String,

    /// Print the gain of every activation (PyTorch's table and the
    /// fixed-point gain) instead of the schemes.
    #[arg(long, conflicts_with_all = ["json", "markdown"])]
    pub gains: bool,

    /// Print JSON: the schemes and the gains.
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,

    /// Print the Markdown tables of docs/inits.md.
    #[arg(long)]
    pub markdown: bool,
}

/// What `--json` prints.
#[derive(Serialize)]
struct Listing {
    /// `[fan_in, fan_out]`.
    shape: [usize; 2],
    /// One row per scheme.
    schemes: Vec<Row>,
    /// One row per activation.
    gains: Vec<GainRow>,
}

/// Parses `FAN_INxFAN_OUT`, both at least 1.
///
/// # Errors
///
/// When the text is not two positive integers joined by `x`.
pub fn parse_shape(text: &str) -> anyhow::Result<(usize, usize)> {
    let bad = || format!("invalid --shape '{text}': expected FAN_INxFAN_OUT such as 784x100");
    let (fan_in, fan_out) = text.trim().split_once(['x', 'X']).with_context(bad)?;
    let fan_in: usize = fan_in.trim().parse().with_context(bad)?;
    let fan_out: usize = fan_out.trim().parse().with_context(bad)?;
    anyhow::ensure!(fan_in > 0 && fan_out > 0, "{}: both sizes must be at least 1", bad());
    Ok((fan_in, fan_out))
}

/// Runs `initlab inits`.
///
/// # Errors
///
/// A malformed `--shape`, or a failed write to stdout.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let (fan_in, fan_out) = parse_shape(&args.shape)?;
    let text = if !args.schemes.is_empty() {
        chosen_text(&args.schemes, fan_in, fan_out)?
    } else if args.gains {
        gains_text()
    } else if args.json {
        let listing = Listing {
            shape: [fan_in, fan_out],
            schemes: catalog::rows(fan_in, fan_out),
            gains: gain::gains(),
        };
        serde_json::to_string_pretty(&listing)? + "\n"
    } else if args.markdown {
        catalog::docs_section(fan_in, fan_out)
    } else {
        schemes_text(fan_in, fan_out)
    };
    print!("{text}");
    if (fan_in, fan_out) != DEFAULT_SHAPE && args.markdown {
        log::warn!("docs/inits.md is generated at the default shape 784x100");
    }
    Ok(ExitCode::SUCCESS)
}

/// The given schemes, parsed, with their canonical name, std, bound and
/// bias rule for the shape.
fn chosen_text(schemes: &[String], fan_in: usize, fan_out: usize) -> anyhow::Result<String> {
    let mut out = format!("{:32}  {:>9}  {:>9}  bias\n", "scheme", "std", "bound");
    for text in schemes {
        let init: Init = text.parse()?;
        let bound = init.bound(fan_in, fan_out).map_or("-".to_string(), catalog::short);
        let std = catalog::short(init.std(fan_in, fan_out));
        out += &format!("{:32}  {std:>9}  {bound:>9}  {}\n", init.to_string(), init.bias_rule());
    }
    Ok(out + &format!("std and bound for a {fan_in}x{fan_out} layer (fan_in x fan_out)\n"))
}

/// The scheme table as aligned text.
fn schemes_text(fan_in: usize, fan_out: usize) -> String {
    let rows = catalog::rows(fan_in, fan_out);
    let width = rows.iter().map(|r| r.form.len()).max().unwrap_or(0);
    let example = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = format!(
        "{:width$}  {:example$}  {:>9}  {:>9}  {:14}  W_ij (aliases)\n",
        "scheme", "example", "std", "bound", "bias"
    );
    for row in rows {
        let bound = row.bound.map_or("-".to_string(), catalog::short);
        let aliases = if row.aliases.is_empty() {
            String::new()
        } else {
            format!(" ({})", row.aliases.join(", "))
        };
        out += &format!(
            "{:width$}  {:example$}  {:>9}  {bound:>9}  {:14}  {}{aliases}\n",
            row.form,
            row.name,
            catalog::short(row.std),
            row.bias,
            row.formula
        );
    }
    out + &format!(
        "std and bound of each example for a {fan_in}x{fan_out} layer (fan_in x fan_out)\n"
    )
}

/// The gain table as aligned text.
fn gains_text() -> String {
    let mut out = format!("{:12}  {:>12}  {:>12}\n", "activation", "pytorch", "fixed-point");
    for row in gain::gains() {
        let table = row.table.map_or("-".to_string(), catalog::short);
        out += &format!(
            "{:12}  {table:>12}  {:>12}\n",
            row.activation,
            catalog::short(row.fixed_point)
        );
    }
    out + "fixed-point: 1/sqrt(E[phi(h)^2]), h ~ N(0, 1), keeps the pre-activation variance at 1\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!(parse_shape("784x100").unwrap(), (784, 100));
        assert_eq!(parse_shape(" 3X5 ").unwrap(), (3, 5));
        for bad in ["784", "0x3", "ax3", "3x-1"] {
            let err = format!("{:#}", parse_shape(bad).unwrap_err());
            assert!(err.contains(bad) && err.contains("FAN_INxFAN_OUT"), "{bad}: {err}");
        }
    }

    #[test]
    fn text_lists_every_scheme() {
        let text = schemes_text(784, 100);
        for entry in catalog::entries() {
            assert!(text.contains(entry.form), "{}", entry.form);
        }
        assert!(gains_text().contains("tanh"));
    }

    #[test]
    fn chosen_schemes_print_their_numbers_and_bad_ones_list_forms() {
        let text = chosen_text(&["he-uniform:fan_out".into()], 784, 100).unwrap();
        // √(6 / 100) = 0.2449
        assert!(text.contains("he-uniform:fan_out") && text.contains("0.2449"), "{text}");
        let err = chosen_text(&["normal:-1".into()], 784, 100).unwrap_err().to_string();
        assert!(err.contains("found -1") && err.contains("orthogonal[:GAIN]"), "{err}");
    }
}
