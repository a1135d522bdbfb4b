//! Nonlinearities φ, each with its forward value and derivative.
//!
//! ```text
//! sigmoid(x)    = 1 / (1 + e^-x)             φ'(x) = y (1 - y)
//! tanh(x)       = (e^x - e^-x)/(e^x + e^-x)  φ'(x) = 1 - y²
//! relu(x)       = max(x, 0)                  φ'(x) = 1 if x > 0 else 0
//! leaky-relu(x) = x if x > 0 else s x        φ'(x) = 1 if x > 0 else s
//! elu(x)        = x if x > 0 else α (e^x - 1)  φ'(x) = 1 if x > 0 else α e^x
//! selu(x)       = λ elu(x) with α = α_selu   φ'(x) = λ if x > 0 else λ α e^x
//! gelu(x)       = x Φ(x)                     φ'(x) = Φ(x) + x ϕ(x)
//! softplus(x)   = ln(1 + e^x)                φ'(x) = sigmoid(x)
//! identity(x)   = x                          φ'(x) = 1
//! ```
//!
//! where `y = φ(x)`, `s` is leaky ReLU's negative slope (default 0.01), `α`
//! ELU's scale for negative inputs (default 1), `Φ` and `ϕ` the standard
//! normal CDF and density, and SELU's constants are those of Klambauer et
//! al., "Self-Normalizing Neural Networks" (NeurIPS 2017):
//! `λ ≈ 1.0507009873554805`, `α_selu ≈ 1.6732632423543772`. ELU is from
//! Clevert et al., "Fast and Accurate Deep Network Learning by Exponential
//! Linear Units" (ICLR 2016); GELU, in its exact erf form, from Hendrycks and
//! Gimpel, "Gaussian Error Linear Units" (2016).
//!
//! The derivative takes both `x` and `y` so that each function uses whichever
//! is cheaper and more accurate (sigmoid and tanh from `y`, the rest from
//! `x`). At the kink x = 0 of the ReLU family the derivative is the left
//! one (0 for ReLU, `s` for leaky ReLU), as the book's `Relu` layer does.
//! GELU's erf is evaluated in f64 (`libm`) whatever the working precision.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Real};

/// Leaky ReLU's default negative slope (PyTorch's and Keras's default).
pub const DEFAULT_LEAKY_SLOPE: f64 = 0.01;

/// ELU's default α.
pub const DEFAULT_ELU_ALPHA: f64 = 1.0;

/// SELU's scale λ (Klambauer et al. 2017, eq. 14, to 17 digits).
pub const SELU_LAMBDA: f64 = 1.050_700_987_355_480_5;

/// SELU's α (Klambauer et al. 2017, eq. 14, to 17 digits).
pub const SELU_ALPHA: f64 = 1.673_263_242_354_377_3;

/// A nonlinearity applied element-wise after each hidden affine layer.
///
/// ```
/// use initlab::activation::Activation;
/// let y: f64 = Activation::Sigmoid.apply(0.0);
/// assert!((y - 0.5).abs() < 1e-12);
/// assert_eq!("relu".parse::<Activation>().unwrap(), Activation::Relu);
/// let leaky: Activation = "leaky-relu:0.2".parse().unwrap();
/// assert!((leaky.apply(-1.0_f64) + 0.2).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Activation {
    /// The logistic function, `1 / (1 + e^-x)`: outputs in (0, 1).
    Sigmoid,
    /// The hyperbolic tangent: outputs in (-1, 1).
    Tanh,
    /// Rectified linear unit, `max(x, 0)`.
    Relu,
    /// `x` for x > 0, `slope · x` otherwise (`leaky-relu`,
    /// `leaky-relu:SLOPE`).
    LeakyRelu {
        /// Slope for negative inputs, finite and ≥ 0.
        slope: f64,
    },
    /// Exponential linear unit: `x` for x > 0, `alpha (e^x - 1)` otherwise
    /// (`elu`, `elu:ALPHA`).
    Elu {
        /// Magnitude of the negative saturation value, finite and > 0.
        alpha: f64,
    },
    /// Scaled ELU with Klambauer et al.'s constants [`SELU_LAMBDA`] and
    /// [`SELU_ALPHA`].
    Selu,
    /// Gaussian error linear unit `x Φ(x)`, the exact erf form.
    Gelu,
    /// `ln(1 + e^x)`, a smooth ReLU.
    Softplus,
    /// `x` itself: a linear net (`identity`, `linear`).
    Identity,
}

impl Activation {
    /// Leaky ReLU with the default slope 0.01.
    pub const LEAKY_RELU: Activation = Activation::LeakyRelu { slope: DEFAULT_LEAKY_SLOPE };

    /// ELU with α = 1.
    pub const ELU: Activation = Activation::Elu { alpha: DEFAULT_ELU_ALPHA };

    /// Every activation with its default parameters, in the order `--help`
    /// lists them.
    pub const ALL: &'static [Activation] = &[
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LEAKY_RELU,
        Activation::ELU,
        Activation::Selu,
        Activation::Gelu,
        Activation::Softplus,
        Activation::Identity,
    ];

    /// φ(x).
    #[inline]
    pub fn apply<F: Real>(self, x: F) -> F {
        let positive = x > F::zero();
        match self {
            Activation::Sigmoid => sigmoid(x),
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.max(F::zero()),
            Activation::LeakyRelu { slope } => {
                if positive {
                    x
                } else {
                    F::of(slope) * x
                }
            }
            Activation::Elu { alpha } => {
                if positive {
                    x
                } else {
                    F::of(alpha) * x.exp_m1()
                }
            }
            Activation::Selu => {
                let elu = if positive { x } else { F::of(SELU_ALPHA) * x.exp_m1() };
                F::of(SELU_LAMBDA) * elu
            }
            Activation::Gelu => F::of(x.f64() * normal_cdf(x.f64())),
            Activation::Softplus => softplus(x),
            Activation::Identity => x,
        }
    }

    /// φ'(x), given `x` and `y = φ(x)`.
    #[inline]
    pub fn derivative<F: Real>(self, x: F, y: F) -> F {
        let positive = x > F::zero();
        match self {
            Activation::Sigmoid => y * (F::one() - y),
            Activation::Tanh => F::one() - y * y,
            Activation::Relu => {
                if positive {
                    F::one()
                } else {
                    F::zero()
                }
            }
            Activation::LeakyRelu { slope } => {
                if positive {
                    F::one()
                } else {
                    F::of(slope)
                }
            }
            Activation::Elu { alpha } => {
                if positive {
                    F::one()
                } else {
                    F::of(alpha) * x.exp()
                }
            }
            Activation::Selu => {
                let elu = if positive { F::one() } else { F::of(SELU_ALPHA) * x.exp() };
                F::of(SELU_LAMBDA) * elu
            }
            Activation::Gelu => {
                let x = x.f64();
                F::of(normal_cdf(x) + x * normal_pdf(x))
            }
            Activation::Softplus => sigmoid(x),
            Activation::Identity => F::one(),
        }
    }

    /// The canonical command-line name, without parameters (`leaky-relu`
    /// for every slope; [`Display`](fmt::Display) adds a non-default one).
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky-relu",
            Activation::Elu { .. } => "elu",
            Activation::Selu => "selu",
            Activation::Gelu => "gelu",
            Activation::Softplus => "softplus",
            Activation::Identity => "identity",
        }
    }

    /// Whether outputs pile up at the ends of a bounded range when inputs
    /// are large (sigmoid, tanh): such units can saturate. ELU and SELU
    /// flatten out for negative inputs only and are not counted.
    pub fn saturates(self) -> bool {
        matches!(self, Activation::Sigmoid | Activation::Tanh)
    }

    /// Whether the function is exactly zero on a half-line (ReLU): such
    /// units can die. Leaky ReLU keeps a slope and cannot.
    pub fn can_die(self) -> bool {
        matches!(self, Activation::Relu)
    }

    /// Whether `y` counts as saturated: a sigmoid output below 0.02 or above
    /// 0.98, a tanh output with |y| above 0.98; never for the others.
    pub fn is_saturated(self, y: f64) -> bool {
        match self {
            Activation::Sigmoid => !(SIGMOID_SATURATION..=1.0 - SIGMOID_SATURATION).contains(&y),
            Activation::Tanh => y.abs() > 1.0 - SIGMOID_SATURATION,
            _ => false,
        }
    }

    fn accepted() -> String {
        let mut names: Vec<&str> = Activation::ALL.iter().map(|a| a.name()).collect();
        names.extend(["leaky-relu:SLOPE", "elu:ALPHA", "linear"]);
        names.join(", ")
    }
}

/// Distance from the ends of the output range within which a bounded unit
/// counts as saturated (sigmoid below 0.02 or above 0.98).
pub const SIGMOID_SATURATION: f64 = 0.02;

/// The logistic function, computed without overflow for any |x|.
///
/// For x ≥ 0 it evaluates `1 / (1 + e^-x)`; for x < 0 the equivalent
/// `e^x / (1 + e^x)`, so that `e^-x` never overflows to infinity.
pub fn sigmoid<F: Real>(x: F) -> F {
    if x >= F::zero() {
        F::one() / (F::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (F::one() + e)
    }
}

/// `ln(1 + e^x)` computed as `max(x, 0) + ln(1 + e^-|x|)`, which neither
/// overflows for large x nor loses e^x to rounding for very negative x.
pub fn softplus<F: Real>(x: F) -> F {
    x.max(F::zero()) + (-x.abs()).exp().ln_1p()
}

/// The standard normal CDF `Φ(x) = erfc(-x / √2) / 2`; erfc keeps full
/// relative accuracy in the lower tail where `1 + erf` would cancel.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// The standard normal density `ϕ(x) = e^{-x²/2} / √(2π)`.
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Activation::LeakyRelu { slope } if slope != DEFAULT_LEAKY_SLOPE => {
                write!(f, "leaky-relu:{slope}")
            }
            Activation::Elu { alpha } if alpha != DEFAULT_ELU_ALPHA => write!(f, "elu:{alpha}"),
            other => f.write_str(other.name()),
        }
    }
}

impl FromStr for Activation {
    type Err = Error;

    /// Parses a name (case-insensitive), with an optional parameter for
    /// leaky ReLU's slope and ELU's α: `leaky-relu:0.2`, `elu:0.5`.
    fn from_str(text: &str) -> Result<Self, Error> {
        let lower = text.trim().to_ascii_lowercase();
        let (name, param) = match lower.split_once(':') {
            Some((name, param)) => (name, Some(param)),
            None => (lower.as_str(), None),
        };
        let unknown = || Error::UnknownName {
            what: "activation",
            found: text.to_string(),
            accepted: Activation::accepted(),
        };
        let number = |what: &str, expected: &str, ok: fn(f64) -> bool| match param {
            None => Ok(None),
            Some(p) => match p.parse::<f64>() {
                Ok(v) if ok(v) => Ok(Some(v)),
                _ => Err(Error::invalid(what, expected, p)),
            },
        };
        match name {
            "leaky-relu" => {
                let slope = number("leaky-relu slope", "a finite number >= 0", |v| {
                    v.is_finite() && v >= 0.0
                })?;
                Ok(Activation::LeakyRelu { slope: slope.unwrap_or(DEFAULT_LEAKY_SLOPE) })
            }
            "elu" => {
                let alpha =
                    number("elu alpha", "a finite number > 0", |v| v.is_finite() && v > 0.0)?;
                Ok(Activation::Elu { alpha: alpha.unwrap_or(DEFAULT_ELU_ALPHA) })
            }
            _ if param.is_some() => Err(unknown()),
            "linear" => Ok(Activation::Identity),
            _ => Activation::ALL.iter().copied().find(|a| a.name() == name).ok_or_else(unknown),
        }
    }
}

impl TryFrom<String> for Activation {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        text.parse()
    }
}

impl From<Activation> for String {
    fn from(activation: Activation) -> String {
        activation.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_finite_and_exact_at_extremes() {
        assert_eq!(sigmoid(1e4_f32), 1.0);
        assert_eq!(sigmoid(-1e4_f32), 0.0);
        assert!((sigmoid(-30.0_f64) - 9.357622968840175e-14).abs() < 1e-25);
        assert!((sigmoid(2.0_f64) - 0.8807970779778823).abs() < 1e-15);
    }

    #[test]
    fn derivatives_match_central_differences() {
        let extra = [Activation::LeakyRelu { slope: 0.2 }, Activation::Elu { alpha: 0.5 }];
        for &act in Activation::ALL.iter().chain(&extra) {
            for &x in &[-3.0_f64, -0.7, 0.3, 1.9] {
                let h = 1e-6;
                let numeric = (act.apply(x + h) - act.apply(x - h)) / (2.0 * h);
                let analytic = act.derivative(x, act.apply(x));
                assert!((numeric - analytic).abs() < 1e-8, "{act} at {x}: {numeric} vs {analytic}");
            }
        }
    }

    #[test]
    fn reference_values() {
        // GELU(1) = Φ(1) = 0.8413447460685429 (tables of the normal CDF)
        assert!((Activation::Gelu.apply(1.0_f64) - 0.8413447460685429).abs() < 1e-15);
        // GELU(-6) = -6 Φ(-6) = -5.9205e-9: the tail keeps its precision
        let tail = Activation::Gelu.apply(-6.0_f64) / (-6.0 * 9.865_876_450_376_98e-10);
        assert!((tail - 1.0).abs() < 1e-12, "{tail}");
        // SELU(-∞) = -λα ≈ -1.7581 and SELU(1) = λ
        assert!((Activation::Selu.apply(-50.0_f64) + SELU_LAMBDA * SELU_ALPHA).abs() < 1e-12);
        assert!((Activation::Selu.apply(1.0_f64) - SELU_LAMBDA).abs() < 1e-15);
        assert!((Activation::ELU.apply(-1.0_f64) - (-1.0_f64).exp_m1()).abs() < 1e-15);
    }

    #[test]
    fn softplus_is_stable_for_large_inputs() {
        assert_eq!(softplus(1e4_f32), 1e4);
        assert_eq!(softplus(-1e4_f64), 0.0);
        // ln(1 + e^-40) = e^-40 to double precision
        assert!((softplus(-40.0_f64) / (-40.0_f64).exp() - 1.0).abs() < 1e-12);
        assert!((softplus(0.0_f64) - std::f64::consts::LN_2).abs() < 1e-15);
        assert!(Activation::Softplus.derivative(1e4_f32, softplus(1e4_f32)) == 1.0);
    }

    #[test]
    fn names_round_trip_and_unknown_lists_accepted() {
        let extra = [Activation::LeakyRelu { slope: 0.2 }, Activation::Elu { alpha: 0.5 }];
        for &act in Activation::ALL.iter().chain(&extra) {
            assert_eq!(act.to_string().parse::<Activation>().unwrap(), act);
        }
        assert_eq!("leaky-relu".parse::<Activation>().unwrap(), Activation::LEAKY_RELU);
        assert_eq!("Linear".parse::<Activation>().unwrap(), Activation::Identity);
        let err = "softsign".parse::<Activation>().unwrap_err().to_string();
        assert!(err.contains("softsign") && err.contains("relu") && err.contains("gelu"), "{err}");
        let err = "leaky-relu:-1".parse::<Activation>().unwrap_err().to_string();
        assert!(err.contains("slope") && err.contains("-1"), "{err}");
        assert!("relu:2".parse::<Activation>().is_err());
    }

    #[test]
    fn flags() {
        assert!(Activation::Relu.can_die() && !Activation::LEAKY_RELU.can_die());
        assert!(Activation::Tanh.saturates() && !Activation::Gelu.saturates());
        assert!(!Activation::Selu.is_saturated(-1.7));
    }
}
