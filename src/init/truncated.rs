//! Truncated normals: the std that survives a cut, and rejection sampling.
//!
//! ```text
//! X ~ N(0, 1) conditioned on |X| ≤ c
//! Var(X) = 1 - 2 c ϕ(c) / (2 Φ(c) - 1),   2 Φ(c) - 1 = erf(c / √2)
//! ```
//!
//! where `ϕ` and `Φ` are the standard normal density and CDF. At c = 2 the
//! std is [`TRUNCATION_STD_FACTOR`] ≈ 0.8796: the constant by which Keras,
//! TensorFlow and flax divide σ in `VarianceScaling` with
//! `distribution="truncated_normal"`, so that the cut normal keeps the
//! intended std.
//!
//! Sampling redraws until the value falls inside the cut. When the cut is
//! at least one std wide, a normal proposal is accepted with probability
//! `erf(c / √2)` ≥ 0.68; for narrower cuts (PyTorch's absolute bound 2 with
//! a std above 2) a uniform proposal on the interval, accepted with
//! probability `e^{-x²/2σ²}` ≥ e^{-1/2}, keeps the cost bounded.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::activation::normal_pdf;

/// Where variance-scaling truncated normals are cut, in stds of the
/// underlying normal.
pub const TRUNCATION_STDS: f64 = 2.0;

/// The std of a standard normal cut at ±2: `truncated_normal_std_factor(2)`
/// to 17 digits, the constant Keras and TensorFlow hard-code.
pub const TRUNCATION_STD_FACTOR: f64 = 0.879_625_661_034_239_8;

/// PyTorch's default absolute bound for `trunc_normal_` (`a = -2, b = 2`).
pub const TRUNC_NORMAL_BOUND: f64 = 2.0;

/// Below this half-width (in stds) the closed form cancels; the series
/// `c / √3 · (1 - c² / 15)` is exact to O(c⁴) there.
const SERIES_BELOW: f64 = 1e-2;

/// Beyond this half-width the cut removes less than 1e-300 of the mass.
const NO_CUT_ABOVE: f64 = 38.0;

/// The std of `N(0, 1)` cut at `±c` (c ≥ 0), see the module doc.
///
/// ```
/// use initlab::init::{truncated_normal_std_factor, TRUNCATION_STD_FACTOR};
/// let at_two = truncated_normal_std_factor(2.0);
/// assert!((at_two - TRUNCATION_STD_FACTOR).abs() < 1e-15);
/// assert!((truncated_normal_std_factor(1e3) - 1.0).abs() < 1e-15);
/// ```
pub fn truncated_normal_std_factor(c: f64) -> f64 {
    if c >= NO_CUT_ABOVE || c.is_nan() {
        return 1.0;
    }
    if c < SERIES_BELOW {
        return c / 3.0_f64.sqrt() * (1.0 - c * c / 15.0);
    }
    let mass = libm::erf(c / std::f64::consts::SQRT_2);
    (1.0 - 2.0 * c * normal_pdf(c) / mass).sqrt()
}

/// One draw from `N(0, std²)` cut at `±bound` (std ≥ 0, bound > 0).
pub(super) fn draw<R: Rng + ?Sized>(std: f64, bound: f64, rng: &mut R) -> f64 {
    if std == 0.0 {
        return 0.0;
    }
    if bound >= std {
        loop {
            let z: f64 = StandardNormal.sample(rng);
            if (std * z).abs() <= bound {
                return std * z;
            }
        }
    }
    loop {
        let x = rng.random_range(-bound..=bound);
        let accept: f64 = rng.random();
        if accept < (-0.5 * (x / std).powi(2)).exp() {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_matches_the_published_constant_and_limits() {
        let at_two = truncated_normal_std_factor(TRUNCATION_STDS);
        assert!((at_two - TRUNCATION_STD_FACTOR).abs() < 1e-15, "{at_two}");
        // both branches agree where they meet
        let (below, above) = (
            truncated_normal_std_factor(SERIES_BELOW * (1.0 - 1e-12)),
            truncated_normal_std_factor(SERIES_BELOW),
        );
        assert!((below / above - 1.0).abs() < 1e-9, "{below} vs {above}");
        assert_eq!(truncated_normal_std_factor(f64::INFINITY), 1.0);
        assert_eq!(truncated_normal_std_factor(0.0), 0.0);
    }
}
