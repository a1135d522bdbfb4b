//! Initialization schemes: how the first weights of each layer are drawn.
//!
//! A scheme is a distribution with a scale that may depend on the layer's
//! shape. For a weight matrix `W: [fan_in, fan_out]`:
//!
//! ```text
//! Normal { std }           W_ij ~ N(0, std²)                (the book's std=0.01)
//! VarianceScaling          Var(W_ij) = scale / fan
//!   fan = fan_in | fan_out | (fan_in + fan_out) / 2          (FanMode)
//!   normal:  W_ij ~ N(0, scale / fan)
//!   uniform: W_ij ~ U(-limit, limit), limit = sqrt(3 scale / fan)
//! ```
//!
//! The book's names map onto it (chapter 6.2):
//!
//! ```text
//! std=0.01, 0.01    Normal { std: 0.01 }
//! xavier, sigmoid   VarianceScaling { normal, fan_in, scale 1 }  std = sqrt(1 / fan_in)
//! he, relu          VarianceScaling { normal, fan_in, scale 2 }  std = sqrt(2 / fan_in)
//! ```
//!
//! The book's "Xavier" is what most frameworks call LeCun normal (LeCun et
//! al., "Efficient BackProp", 1998). Glorot and Bengio's own formula
//! ("Understanding the difficulty of training deep feedforward neural
//! networks", AISTATS 2010) is `Var = 2 / (fan_in + fan_out)`: the average
//! fan mode. The two agree only when fan_in = fan_out. He et al. ("Delving
//! Deep into Rectifiers", ICCV 2015) double the variance to make up for ReLU
//! zeroing half of its inputs.
//!
//! Biases start at zero.

use std::fmt;
use std::str::FromStr;

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution as _, StandardNormal, Uniform};
use serde::{Deserialize, Serialize};

use crate::{Error, Real};

/// The shape of the distribution the weights are drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distribution {
    /// Gaussian with mean 0.
    Normal,
    /// Uniform on a symmetric interval `[-limit, limit]`.
    Uniform,
}

/// Which dimension of `W: [fan_in, fan_out]` sets the variance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FanMode {
    /// `fan_in`: keeps the forward signal's variance (LeCun, He).
    FanIn,
    /// `fan_out`: keeps the backward gradient's variance.
    FanOut,
    /// `(fan_in + fan_out) / 2`: Glorot's compromise between the two.
    Average,
}

impl FanMode {
    /// The fan this mode uses for a `[fan_in, fan_out]` matrix.
    pub fn fan(self, fan_in: usize, fan_out: usize) -> f64 {
        match self {
            FanMode::FanIn => fan_in as f64,
            FanMode::FanOut => fan_out as f64,
            FanMode::Average => (fan_in + fan_out) as f64 / 2.0,
        }
    }
}

/// An initialization scheme for one weight matrix.
///
/// ```
/// use initlab::init::Init;
/// let he: Init = "he".parse().unwrap();
/// assert!((he.std(784, 100) - (2.0_f64 / 784.0).sqrt()).abs() < 1e-12);
/// let small: Init = "std=0.01".parse().unwrap();
/// assert_eq!(small.std(784, 100), 0.01);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Init {
    /// `W_ij ~ N(0, std²)` whatever the layer's shape: the book's std=0.01
    /// and std=1 baselines.
    Normal {
        /// Standard deviation, finite and ≥ 0.
        std: f64,
    },
    /// `Var(W_ij) = scale / fan`, with the fan chosen by `mode`: LeCun
    /// (book "Xavier"), Glorot and He schemes.
    VarianceScaling {
        /// Normal or uniform.
        distribution: Distribution,
        /// Which fan divides the scale.
        mode: FanMode,
        /// Numerator of the variance: 1 for LeCun, 2 for He.
        scale: f64,
    },
}

/// The forms `Init::from_str` accepts, for error messages and `--help`.
pub const ACCEPTED_INITS: &str =
    "std=<x> or a bare number <x> (normal with std x), xavier or sigmoid (std sqrt(1/fan_in)), \
     he or relu (std sqrt(2/fan_in))";

impl Init {
    /// The book's "Xavier": `N(0, 1 / fan_in)`, i.e. LeCun normal.
    pub const XAVIER: Init = Init::VarianceScaling {
        distribution: Distribution::Normal,
        mode: FanMode::FanIn,
        scale: 1.0,
    };

    /// He (Kaiming) normal: `N(0, 2 / fan_in)`.
    pub const HE: Init = Init::VarianceScaling {
        distribution: Distribution::Normal,
        mode: FanMode::FanIn,
        scale: 2.0,
    };

    /// A normal with a fixed standard deviation.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] if `std` is negative or not finite.
    pub fn normal(std: f64) -> Result<Init, Error> {
        if !(std.is_finite() && std >= 0.0) {
            return Err(Error::invalid("init std", "a finite number >= 0", std));
        }
        Ok(Init::Normal { std })
    }

    /// The standard deviation of the weights this scheme draws for a
    /// `[fan_in, fan_out]` matrix.
    pub fn std(&self, fan_in: usize, fan_out: usize) -> f64 {
        match *self {
            Init::Normal { std } => std,
            Init::VarianceScaling { mode, scale, .. } => (scale / mode.fan(fan_in, fan_out)).sqrt(),
        }
    }

    /// Draws a `[fan_in, fan_out]` weight matrix, row by row, from `rng`.
    ///
    /// Values are drawn in f64 and rounded to `F`, so an f32 and an f64 net
    /// built from the same seed start from the same weights.
    pub fn sample<F: Real, R: Rng + ?Sized>(
        &self,
        fan_in: usize,
        fan_out: usize,
        rng: &mut R,
    ) -> Array2<F> {
        let std = self.std(fan_in, fan_out);
        match *self {
            Init::Normal { .. }
            | Init::VarianceScaling { distribution: Distribution::Normal, .. } => {
                Array2::from_shape_simple_fn((fan_in, fan_out), || {
                    let z: f64 = StandardNormal.sample(rng);
                    F::of(std * z)
                })
            }
            Init::VarianceScaling { distribution: Distribution::Uniform, .. } => {
                let limit = 3.0_f64.sqrt() * std;
                let uniform = Uniform::new_inclusive(-limit, limit)
                    .expect("limit is finite and >= 0, so the interval is valid");
                Array2::from_shape_simple_fn((fan_in, fan_out), || F::of(uniform.sample(rng)))
            }
        }
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Init::Normal { std } => write!(f, "std={std}"),
            i if i == Init::XAVIER => f.write_str("xavier"),
            i if i == Init::HE => f.write_str("he"),
            Init::VarianceScaling { distribution, mode, scale } => {
                write!(f, "variance-scaling:{distribution:?}:{mode:?}:{scale}")
            }
        }
    }
}

impl FromStr for Init {
    type Err = Error;

    /// Parses the book's names: `std=<x>`, a bare number, `xavier` or
    /// `sigmoid`, `he` or `relu` (case-insensitive).
    fn from_str(text: &str) -> Result<Self, Error> {
        let lower = text.trim().to_ascii_lowercase();
        let unknown = || Error::UnknownName {
            what: "init",
            found: text.to_string(),
            accepted: ACCEPTED_INITS.to_string(),
        };
        match lower.as_str() {
            "xavier" | "sigmoid" => Ok(Init::XAVIER),
            "he" | "relu" => Ok(Init::HE),
            _ => {
                let number = lower.strip_prefix("std=").unwrap_or(&lower);
                let std: f64 = number.parse().map_err(|_| unknown())?;
                Init::normal(std)
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Sample mean and standard deviation of a matrix.
    fn moments(w: &Array2<f64>) -> (f64, f64) {
        let n = w.len() as f64;
        let mean = w.sum() / n;
        let var = w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        (mean, var.sqrt())
    }

    /// A 1000x1000 sample's std is within 0.5 % of the formula: the std of a
    /// sample std from 1e6 normals is std / sqrt(2e6), about 0.07 %.
    fn assert_std(init: Init, fan_in: usize, fan_out: usize) {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let w: Array2<f64> = init.sample(fan_in, fan_out, &mut rng);
        let (mean, std) = moments(&w);
        let expected = init.std(fan_in, fan_out);
        assert!(mean.abs() < 5e-3 * expected, "{init}: mean {mean}, expected 0");
        let rel = (std - expected).abs() / expected;
        assert!(rel < 5e-3, "{init}: std {std}, expected {expected} (rel err {rel:.2e})");
    }

    #[test]
    fn book_schemes_have_their_std() {
        assert_std(Init::Normal { std: 0.01 }, 1000, 1000);
        assert_std(Init::XAVIER, 1000, 1000);
        assert_std(Init::HE, 1000, 1000);
        assert_std(Init::HE, 784, 1300);
        assert!((Init::XAVIER.std(100, 7) - 0.1).abs() < 1e-15);
        assert!((Init::HE.std(50, 7) - 0.2).abs() < 1e-15);
    }

    #[test]
    fn book_names_parse() {
        assert_eq!("std=0.01".parse::<Init>().unwrap(), Init::Normal { std: 0.01 });
        assert_eq!("0.01".parse::<Init>().unwrap(), Init::Normal { std: 0.01 });
        assert_eq!("Xavier".parse::<Init>().unwrap(), Init::XAVIER);
        assert_eq!("sigmoid".parse::<Init>().unwrap(), Init::XAVIER);
        assert_eq!("he".parse::<Init>().unwrap(), Init::HE);
        assert_eq!("ReLU".parse::<Init>().unwrap(), Init::HE);
    }

    #[test]
    fn bad_names_and_stds_are_errors() {
        let err = "kaiming-sideways".parse::<Init>().unwrap_err().to_string();
        assert!(err.contains("kaiming-sideways") && err.contains("xavier"), "{err}");
        for bad in ["std=-1", "nan", "std=inf"] {
            let err = bad.parse::<Init>().unwrap_err().to_string();
            assert!(err.contains("finite number >= 0"), "{bad}: {err}");
        }
    }

    #[test]
    fn same_seed_gives_identical_weights() {
        let draw = || Init::HE.sample::<f32, _>(20, 30, &mut ChaCha8Rng::seed_from_u64(3));
        assert_eq!(draw(), draw());
    }

    #[test]
    fn display_round_trips() {
        for init in [Init::Normal { std: 0.01 }, Init::XAVIER, Init::HE] {
            assert_eq!(init.to_string().parse::<Init>().unwrap(), init);
        }
    }
}
