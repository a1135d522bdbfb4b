//! Scheme names: parsing `--init` strings and printing them back.
//!
//! ```text
//! std=STD, STD               Normal { std }         (the book's)
//! xavier, sigmoid            LeCun normal           (the book's "Xavier")
//! he, relu                   He normal              (the book's "He")
//! FAMILY-DIST[:MODE]         VarianceScaling
//!   FAMILY = lecun (scale 1, fan_in) | glorot, xavier- (scale 1, fan_avg)
//!          | he, kaiming (scale 2, fan_in)
//!   DIST   = normal | uniform | truncated-normal
//!   MODE   = fan_in | fan_out | fan_avg | fan_geo
//! variance-scaling:DIST:MODE:SCALE
//! normal:STD  uniform:LIMIT  truncated-normal:STD[:BOUND]  orthogonal[:GAIN]
//! identity  zeros  constant:V  lsuv  selu-default  pytorch-default
//! keras-default  flax-default  candle-default  burn-default
//! ```
//!
//! Names are case-insensitive. `xavier` alone keeps the book's meaning,
//! variance 1/fan_in; `xavier-normal` and `xavier-uniform` are PyTorch's
//! names for Glorot's schemes, variance 2/(fan_in + fan_out). Printing
//! gives one canonical name per scheme: the book's `xavier` and `he` for
//! LeCun and He normal with fan_in, so the book's figures keep their labels.

use std::fmt;
use std::str::FromStr;

use super::{Distribution, FanMode, Init, Preset, TRUNC_NORMAL_BOUND};
use crate::Error;

/// The forms `Init::from_str` accepts, for error messages and `--help`.
pub const ACCEPTED_INITS: &str = "std=STD or a bare number STD (normal with that std), \
     xavier or sigmoid (the book's: std sqrt(1/fan_in)), he or relu (std sqrt(2/fan_in)), \
     lecun-normal, lecun-uniform, lecun-truncated-normal, glorot-normal, glorot-uniform, \
     glorot-truncated-normal, he-normal, he-uniform, he-truncated-normal (each with an optional \
     :fan_in, :fan_out, :fan_avg or :fan_geo; aliases xavier-normal, xavier-uniform, \
     kaiming-normal, kaiming-uniform), variance-scaling:DIST:MODE:SCALE, normal:STD, \
     uniform:LIMIT, truncated-normal:STD[:BOUND], orthogonal[:GAIN], identity, zeros, \
     constant:V, lsuv, selu-default, pytorch-default, keras-default, flax-default, \
     candle-default, burn-default";

/// The arguments after a scheme's name, with the text for error messages.
struct Args<'a> {
    /// The whole text given.
    text: &'a str,
    /// The parts after the first ':'.
    args: Vec<&'a str>,
}

impl Args<'_> {
    /// An [`Error::Scheme`] for this text.
    fn error(&self, problem: String) -> Error {
        Error::Scheme {
            what: "init",
            found: self.text.to_string(),
            problem,
            accepted: ACCEPTED_INITS.to_string(),
        }
    }

    /// Checks that there are between `min` and `max` arguments.
    fn count(&self, min: usize, max: usize, form: &str) -> Result<(), Error> {
        let n = self.args.len();
        if (min..=max).contains(&n) {
            Ok(())
        } else {
            Err(self.error(format!("expected the form {form}, found {n} ':' arguments")))
        }
    }

    /// Argument `i` as a number, `name` being its placeholder (`STD`).
    fn number(&self, i: usize, name: &str) -> Result<f64, Error> {
        let arg = self.args[i];
        arg.parse().map_err(|_| self.error(format!("expected {name} a number, found '{arg}'")))
    }

    /// Argument `i` as a number, or `default` if absent.
    fn number_or(&self, i: usize, name: &str, default: f64) -> Result<f64, Error> {
        if i < self.args.len() {
            self.number(i, name)
        } else {
            Ok(default)
        }
    }

    /// Argument `i` as a fan mode, or `default` if absent.
    fn mode_or(&self, i: usize, default: FanMode) -> Result<FanMode, Error> {
        let Some(&arg) = self.args.get(i) else { return Ok(default) };
        let normalized = arg.replace('-', "_");
        MODES.iter().find(|(name, _)| *name == normalized).map(|&(_, mode)| mode).ok_or_else(|| {
            self.error(format!(
                "expected a fan mode fan_in, fan_out, fan_avg or fan_geo, found '{arg}'"
            ))
        })
    }
}

/// Fan modes by name.
const MODES: [(&str, FanMode); 4] = [
    ("fan_in", FanMode::FanIn),
    ("fan_out", FanMode::FanOut),
    ("fan_avg", FanMode::Average),
    ("fan_geo", FanMode::Geometric),
];

/// Distributions by name.
const DISTRIBUTIONS: [(&str, Distribution); 3] = [
    ("normal", Distribution::Normal),
    ("uniform", Distribution::Uniform),
    ("truncated-normal", Distribution::TruncatedNormal),
];

/// Variance-scaling families by name: scale and default fan mode.
const FAMILIES: [(&str, f64, FanMode); 5] = [
    ("lecun", 1.0, FanMode::FanIn),
    ("glorot", 1.0, FanMode::Average),
    ("xavier", 1.0, FanMode::Average),
    ("he", 2.0, FanMode::FanIn),
    ("kaiming", 2.0, FanMode::FanIn),
];

fn mode_name(mode: FanMode) -> &'static str {
    MODES.iter().find(|(_, m)| *m == mode).map_or("fan_in", |(name, _)| name)
}

fn distribution_name(distribution: Distribution) -> &'static str {
    DISTRIBUTIONS.iter().find(|(_, d)| *d == distribution).map_or("normal", |(name, _)| name)
}

fn distribution_of(name: &str) -> Option<Distribution> {
    DISTRIBUTIONS.iter().find(|(n, _)| *n == name).map(|&(_, d)| d)
}

/// `FAMILY-DIST[:MODE]`, if `head` names a family and a distribution.
fn family(head: &str, args: &Args<'_>) -> Option<Result<Init, Error>> {
    let (family, dist) = head.split_once('-')?;
    let &(_, scale, default_mode) = FAMILIES.iter().find(|(name, ..)| *name == family)?;
    let distribution = distribution_of(dist)?;
    Some(args.count(0, 1, &format!("{head}[:MODE]")).and_then(|()| {
        let mode = args.mode_or(0, default_mode)?;
        Ok(Init::VarianceScaling { distribution, mode, scale })
    }))
}

/// The schemes named by a single word or with ':' arguments.
fn named(head: &str, a: &Args<'_>) -> Option<Result<Init, Error>> {
    let init = match head {
        "xavier" | "sigmoid" => a.count(0, 0, head).map(|()| Init::XAVIER),
        "he" | "relu" => a.count(0, 0, head).map(|()| Init::HE),
        "identity" | "eye" => a.count(0, 0, head).map(|()| Init::Identity),
        "zeros" => a.count(0, 0, head).map(|()| Init::ZEROS),
        "lsuv" => a.count(0, 0, head).map(|()| Init::Lsuv),
        "normal" => {
            a.count(1, 1, "normal:STD").and_then(|()| Ok(Init::Normal { std: a.number(0, "STD")? }))
        }
        "uniform" => a
            .count(1, 1, "uniform:LIMIT")
            .and_then(|()| Ok(Init::Uniform { limit: a.number(0, "LIMIT")? })),
        "constant" => a
            .count(1, 1, "constant:V")
            .and_then(|()| Ok(Init::Constant { value: a.number(0, "V")? })),
        "orthogonal" => a
            .count(0, 1, "orthogonal[:GAIN]")
            .and_then(|()| Ok(Init::Orthogonal { gain: a.number_or(0, "GAIN", 1.0)? })),
        "truncated-normal" => a.count(1, 2, "truncated-normal:STD[:BOUND]").and_then(|()| {
            let std = a.number(0, "STD")?;
            Ok(Init::TruncatedNormal { std, bound: a.number_or(1, "BOUND", TRUNC_NORMAL_BOUND)? })
        }),
        "variance-scaling" => variance_scaling(a),
        _ => {
            let preset = Preset::ALL.into_iter().find(|p| p.name() == head)?;
            a.count(0, 0, head).map(|()| Init::Preset(preset))
        }
    };
    Some(init)
}

/// `variance-scaling:DIST:MODE:SCALE`.
fn variance_scaling(a: &Args<'_>) -> Result<Init, Error> {
    a.count(3, 3, "variance-scaling:DIST:MODE:SCALE")?;
    let distribution = distribution_of(a.args[0]).ok_or_else(|| {
        let found = a.args[0];
        a.error(format!("expected DIST normal, uniform or truncated-normal, found '{found}'"))
    })?;
    let mode = a.mode_or(1, FanMode::FanIn)?;
    Ok(Init::VarianceScaling { distribution, mode, scale: a.number(2, "SCALE")? })
}

/// "what: expected E, found F" from an [`Error::Invalid`].
fn problem(err: Error) -> String {
    match err {
        Error::Invalid { what, expected, found } => {
            format!("{what}: expected {expected}, found {found}")
        }
        other => other.to_string(),
    }
}

impl FromStr for Init {
    type Err = Error;

    /// Parses any form of [`ACCEPTED_INITS`] (case-insensitive).
    fn from_str(text: &str) -> Result<Self, Error> {
        let lower = text.trim().to_ascii_lowercase();
        let mut parts = lower.split(':');
        let head = parts.next().unwrap_or_default();
        let args = Args { text, args: parts.collect() };
        let parsed = named(head, &args).or_else(|| family(head, &args));
        let init = match parsed {
            Some(init) => init?,
            None => {
                // the book's std=<x> or a bare number
                let number = head.strip_prefix("std=").unwrap_or(head);
                match (number.parse::<f64>(), args.args.is_empty()) {
                    (Ok(std), true) => Init::Normal { std },
                    _ => {
                        return Err(Error::UnknownName {
                            what: "init",
                            found: text.to_string(),
                            accepted: ACCEPTED_INITS.to_string(),
                        })
                    }
                }
            }
        };
        init.validate().map_err(|err| args.error(problem(err)))?;
        Ok(init)
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Init::Normal { std } => write!(f, "std={std}"),
            i if i == Init::XAVIER => f.write_str("xavier"),
            i if i == Init::HE => f.write_str("he"),
            Init::VarianceScaling { distribution, mode, scale } => {
                fmt_scaling(f, distribution, mode, scale)
            }
            Init::Uniform { limit } => write!(f, "uniform:{limit}"),
            Init::TruncatedNormal { std, bound } if bound == TRUNC_NORMAL_BOUND => {
                write!(f, "truncated-normal:{std}")
            }
            Init::TruncatedNormal { std, bound } => write!(f, "truncated-normal:{std}:{bound}"),
            Init::Orthogonal { gain: 1.0 } => f.write_str("orthogonal"),
            Init::Orthogonal { gain } => write!(f, "orthogonal:{gain}"),
            Init::Identity => f.write_str("identity"),
            Init::Constant { value: 0.0 } => f.write_str("zeros"),
            Init::Constant { value } => write!(f, "constant:{value}"),
            Init::Lsuv => f.write_str("lsuv"),
            Init::Preset(preset) => f.write_str(preset.name()),
        }
    }
}

/// The family name when the scale is 1 or 2, the general form otherwise.
fn fmt_scaling(
    f: &mut fmt::Formatter<'_>,
    distribution: Distribution,
    mode: FanMode,
    scale: f64,
) -> fmt::Result {
    let dist = distribution_name(distribution);
    let (family, default_mode) = match scale {
        1.0 if mode == FanMode::Average => ("glorot", FanMode::Average),
        1.0 => ("lecun", FanMode::FanIn),
        2.0 => ("he", FanMode::FanIn),
        _ => return write!(f, "variance-scaling:{dist}:{}:{scale}", mode_name(mode)),
    };
    write!(f, "{family}-{dist}")?;
    if mode != default_mode {
        write!(f, ":{}", mode_name(mode))?;
    }
    Ok(())
}

impl TryFrom<String> for Init {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        text.parse()
    }
}

impl From<Init> for String {
    fn from(init: Init) -> String {
        init.to_string()
    }
}
