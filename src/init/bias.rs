//! How biases start: zeros by default, or a framework's rule.
//!
//! ```text
//! scheme          the weight scheme's own rule (zeros, except presets)
//! zeros           b_j = 0
//! constant:V      b_j = V
//! uniform:LIMIT   b_j ~ U(-LIMIT, LIMIT)
//! fan-in-uniform  b_j ~ U(-1/√fan_in, 1/√fan_in)   (PyTorch, candle, burn)
//! normal:STD      b_j ~ N(0, STD²)
//! ```
//!
//! `fan_in` is the number of inputs of the layer the bias belongs to.

use std::fmt;
use std::str::FromStr;

use ndarray::Array1;
use rand::Rng;
use rand_distr::{Distribution as _, StandardNormal, Uniform};
use serde::{Deserialize, Serialize};

use super::{check_non_negative, Init};
use crate::{Error, Real};

/// The forms `BiasInit::from_str` accepts.
pub const ACCEPTED_BIAS_INITS: &str =
    "scheme, zeros, constant:V, uniform:LIMIT, fan-in-uniform, normal:STD";

/// How the biases `b: [fan_out]` of each layer start.
///
/// ```
/// use initlab::init::{BiasInit, Init};
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let pytorch: Init = "pytorch-default".parse().unwrap();
/// let b = BiasInit::Scheme.sample::<f64, _>(&pytorch, 100, 10_000, &mut rng);
/// assert!(b.iter().all(|v| v.abs() <= 0.1)); // 1/√100
/// let zero = BiasInit::Scheme.sample::<f64, _>(&Init::HE, 100, 5, &mut rng);
/// assert!(zero.iter().all(|&v| v == 0.0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum BiasInit {
    /// The weight scheme's own rule ([`Init::bias_rule`]): zeros, except
    /// for presets that define one (`pytorch-default`, ...).
    #[default]
    Scheme,
    /// Every bias 0.
    Zeros,
    /// Every bias equal to `value`.
    Constant {
        /// The value, finite.
        value: f64,
    },
    /// `b_j ~ U(-limit, limit)`.
    Uniform {
        /// Half-width, finite and ≥ 0.
        limit: f64,
    },
    /// `b_j ~ U(±1/√fan_in)`, PyTorch's `nn.Linear` rule.
    FanInUniform,
    /// `b_j ~ N(0, std²)`.
    Normal {
        /// Standard deviation, finite and ≥ 0.
        std: f64,
    },
}

impl BiasInit {
    /// The concrete rule: [`BiasInit::Scheme`] replaced by `init`'s own.
    pub fn resolve(self, init: &Init) -> BiasInit {
        match self {
            BiasInit::Scheme => init.bias_rule(),
            other => other,
        }
    }

    /// The largest |b_j| for bounded random rules, `None` otherwise.
    pub fn bound(self, init: &Init, fan_in: usize) -> Option<f64> {
        match self.resolve(init) {
            BiasInit::Uniform { limit } => Some(limit),
            BiasInit::FanInUniform => Some(1.0 / (fan_in as f64).sqrt()),
            _ => None,
        }
    }

    /// Draws the `[fan_out]` biases of a `[fan_in, fan_out]` layer whose
    /// weights follow `init`. Constant rules draw nothing from `rng`, so
    /// zero biases leave the weights' random stream as it was.
    pub fn sample<F: Real, R: Rng + ?Sized>(
        self,
        init: &Init,
        fan_in: usize,
        fan_out: usize,
        rng: &mut R,
    ) -> Array1<F> {
        let rule = self.resolve(init);
        if let Some(limit) = rule.bound(init, fan_in) {
            let uniform = Uniform::new_inclusive(-limit, limit)
                .expect("limit is finite and >= 0, so the interval is valid");
            return Array1::from_shape_simple_fn(fan_out, || F::of(uniform.sample(rng)));
        }
        match rule {
            BiasInit::Normal { std } => Array1::from_shape_simple_fn(fan_out, || {
                let z: f64 = StandardNormal.sample(rng);
                F::of(std * z)
            }),
            BiasInit::Constant { value } => Array1::from_elem(fan_out, F::of(value)),
            _ => Array1::zeros(fan_out),
        }
    }

    /// Checks the parameter, as parsing does.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a negative or non-finite limit or std, or a
    /// non-finite constant.
    pub fn validate(self) -> Result<(), Error> {
        match self {
            BiasInit::Uniform { limit } => check_non_negative("bias limit", limit),
            BiasInit::Normal { std } => check_non_negative("bias std", std),
            BiasInit::Constant { value } if !value.is_finite() => {
                Err(Error::invalid("bias constant", "a finite number", value))
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for BiasInit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BiasInit::Scheme => f.write_str("scheme"),
            BiasInit::Zeros => f.write_str("zeros"),
            BiasInit::Constant { value } => write!(f, "constant:{value}"),
            BiasInit::Uniform { limit } => write!(f, "uniform:{limit}"),
            BiasInit::FanInUniform => f.write_str("fan-in-uniform"),
            BiasInit::Normal { std } => write!(f, "normal:{std}"),
        }
    }
}

impl FromStr for BiasInit {
    type Err = Error;

    /// Parses one of [`ACCEPTED_BIAS_INITS`] (case-insensitive).
    fn from_str(text: &str) -> Result<Self, Error> {
        let lower = text.trim().to_ascii_lowercase();
        let (head, arg) = match lower.split_once(':') {
            Some((head, arg)) => (head, Some(arg)),
            None => (lower.as_str(), None),
        };
        let number = |arg: &str| {
            arg.parse::<f64>().map_err(|_| Error::Scheme {
                what: "bias init",
                found: text.to_string(),
                problem: format!("expected a number after ':', found '{arg}'"),
                accepted: ACCEPTED_BIAS_INITS.to_string(),
            })
        };
        let bias = match (head, arg) {
            ("scheme", None) => BiasInit::Scheme,
            ("zeros", None) => BiasInit::Zeros,
            ("fan-in-uniform", None) => BiasInit::FanInUniform,
            ("constant", Some(v)) => BiasInit::Constant { value: number(v)? },
            ("uniform", Some(v)) => BiasInit::Uniform { limit: number(v)? },
            ("normal", Some(v)) => BiasInit::Normal { std: number(v)? },
            _ => {
                return Err(Error::UnknownName {
                    what: "bias init",
                    found: text.to_string(),
                    accepted: ACCEPTED_BIAS_INITS.to_string(),
                })
            }
        };
        bias.validate().map_err(|err| Error::Scheme {
            what: "bias init",
            found: text.to_string(),
            problem: err.to_string(),
            accepted: ACCEPTED_BIAS_INITS.to_string(),
        })?;
        Ok(bias)
    }
}

impl TryFrom<String> for BiasInit {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        text.parse()
    }
}

impl From<BiasInit> for String {
    fn from(bias: BiasInit) -> String {
        bias.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn every_form_round_trips() {
        for bias in [
            BiasInit::Scheme,
            BiasInit::Zeros,
            BiasInit::Constant { value: 0.1 },
            BiasInit::Uniform { limit: 0.5 },
            BiasInit::FanInUniform,
            BiasInit::Normal { std: 0.01 },
        ] {
            assert_eq!(bias.to_string().parse::<BiasInit>().unwrap(), bias);
        }
        let err = "normal:-2".parse::<BiasInit>().unwrap_err().to_string();
        assert!(err.contains("-2") && err.contains("fan-in-uniform"), "{err}");
        assert!("sideways".parse::<BiasInit>().is_err());
    }

    #[test]
    fn pytorch_bias_bound_is_one_over_sqrt_fan_in() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let pytorch = Init::Preset(super::super::Preset::Pytorch);
        let (fan_in, fan_out) = (400, 1_000_000);
        let b: Array1<f64> = BiasInit::Scheme.sample(&pytorch, fan_in, fan_out, &mut rng);
        let bound = 1.0 / (fan_in as f64).sqrt();
        let max = b.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(max <= bound && max > bound * (1.0 - 1e-4), "max |b| {max}, bound {bound}");
        let rms = (b.iter().map(|v| v * v).sum::<f64>() / fan_out as f64).sqrt();
        let expected = bound / 3.0_f64.sqrt();
        assert!((rms / expected - 1.0).abs() < 5e-3, "bias std {rms}, expected {expected}");
    }
}
