//! Nonlinearities φ, each with its forward value and derivative.
//!
//! ```text
//! sigmoid(x) = 1 / (1 + e^-x)          sigmoid'(x) = y (1 - y)
//! tanh(x)    = (e^x - e^-x)/(e^x + e^-x) tanh'(x)   = 1 - y²
//! relu(x)    = max(x, 0)               relu'(x)    = 1 if x > 0 else 0
//! ```
//!
//! where `y = φ(x)`. The derivative takes both `x` and `y` so that each
//! function uses whichever is cheaper and more accurate (sigmoid and tanh
//! from `y`, ReLU from `x`). At ReLU's kink, x = 0, the derivative is taken
//! as 0, as the book's `Relu` layer does.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Real};

/// A nonlinearity applied element-wise after each hidden affine layer.
///
/// ```
/// use initlab::activation::Activation;
/// let y: f64 = Activation::Sigmoid.apply(0.0);
/// assert!((y - 0.5).abs() < 1e-12);
/// assert_eq!("relu".parse::<Activation>().unwrap(), Activation::Relu);
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
}

impl Activation {
    /// Every activation, in the order `--help` lists them.
    pub const ALL: &'static [Activation] =
        &[Activation::Sigmoid, Activation::Tanh, Activation::Relu];

    /// φ(x).
    pub fn apply<F: Real>(self, x: F) -> F {
        match self {
            Activation::Sigmoid => sigmoid(x),
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.max(F::zero()),
        }
    }

    /// φ'(x), given `x` and `y = φ(x)`.
    pub fn derivative<F: Real>(self, x: F, y: F) -> F {
        match self {
            Activation::Sigmoid => y * (F::one() - y),
            Activation::Tanh => F::one() - y * y,
            Activation::Relu => {
                if x > F::zero() {
                    F::one()
                } else {
                    F::zero()
                }
            }
        }
    }

    /// The canonical command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }

    /// Whether outputs pile up at the ends of a bounded range when inputs
    /// are large (sigmoid, tanh): such units can saturate.
    pub fn saturates(self) -> bool {
        matches!(self, Activation::Sigmoid | Activation::Tanh)
    }

    /// Whether the function is exactly zero on a half-line (ReLU family):
    /// such units can die.
    pub fn can_die(self) -> bool {
        matches!(self, Activation::Relu)
    }

    /// Whether `y` counts as saturated: a sigmoid output below 0.02 or above
    /// 0.98, a tanh output with |y| above 0.98.
    pub fn is_saturated(self, y: f64) -> bool {
        match self {
            Activation::Sigmoid => !(SIGMOID_SATURATION..=1.0 - SIGMOID_SATURATION).contains(&y),
            Activation::Tanh => y.abs() > 1.0 - SIGMOID_SATURATION,
            Activation::Relu => false,
        }
    }

    fn accepted() -> String {
        Activation::ALL.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
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

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Activation {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let lower = text.trim().to_ascii_lowercase();
        Activation::ALL.iter().copied().find(|a| a.name() == lower).ok_or_else(|| {
            Error::UnknownName {
                what: "activation",
                found: text.to_string(),
                accepted: Activation::accepted(),
            }
        })
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
        for &act in Activation::ALL {
            for &x in &[-3.0_f64, -0.7, 0.3, 1.9] {
                let h = 1e-6;
                let numeric = (act.apply(x + h) - act.apply(x - h)) / (2.0 * h);
                let analytic = act.derivative(x, act.apply(x));
                assert!((numeric - analytic).abs() < 1e-8, "{act} at {x}: {numeric} vs {analytic}");
            }
        }
    }

    #[test]
    fn names_round_trip_and_unknown_lists_accepted() {
        for &act in Activation::ALL {
            assert_eq!(act.name().parse::<Activation>().unwrap(), act);
        }
        let err = "softsign".parse::<Activation>().unwrap_err().to_string();
        assert!(err.contains("softsign") && err.contains("relu"), "{err}");
    }
}
