//! Gradient checking: backprop against central differences.
//!
//! For every parameter tensor θ of a small net (run in f64) it compares the
//! analytic gradient `a = ∂loss/∂θ` from [`Mlp::gradients`] with the
//! numerical estimate `n` from [`Mlp::numerical_gradients`]:
//!
//! ```text
//! abs error = max_k |a_k - n_k|
//! rel error = max_k |a_k - n_k| / max(|a_k|, |n_k|, FLOOR)
//! ```
//!
//! `FLOOR` keeps the ratio meaningful where both gradients vanish (a dead
//! ReLU unit has exactly zero gradient in both). With h = 1e-4 in f64 the
//! five-point difference is accurate to about 1e-12 absolute, so a correct
//! backward pass scores well below [`TOLERANCE`]; a wrong one scores near 1.

use ndarray::{Array2, ArrayView, Dimension};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

use crate::activation::Activation;
use crate::init::{BiasInit, Init};
use crate::layers::Targets;
use crate::net::{Mlp, MlpConfig};
use crate::Error;

/// Largest relative error a correct backward pass may show.
pub const TOLERANCE: f64 = 1e-6;

/// Step of the central differences.
pub const STEP: f64 = 1e-4;

/// Denominator floor of the relative error.
const FLOOR: f64 = 1e-8;

/// Sizes of the checked net: small enough for two forward passes per
/// parameter, deep enough to chain three backward steps.
const SIZES: [usize; 4] = [6, 5, 4, 3];

/// Standard deviation of the random biases of the checked net.
const BIAS_STD: f64 = 0.1;

/// Rows of the checked batch.
const BATCH: usize = 8;

/// The comparison for one parameter tensor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The net's activation.
    pub activation: String,
    /// Its weight decay λ.
    pub weight_decay: f64,
    /// Affine layer, 1-based.
    pub layer: usize,
    /// `W` or `b`.
    pub parameter: &'static str,
    /// Largest absolute difference.
    pub max_abs_error: f64,
    /// Largest relative difference.
    pub max_rel_error: f64,
}

impl Row {
    /// Whether the relative error is within [`TOLERANCE`].
    pub fn passed(&self) -> bool {
        self.max_rel_error <= TOLERANCE
    }
}

/// Checks every parameter of a small f64 net with `activation` and weight
/// decay λ, on a random batch drawn from `seed`.
///
/// # Errors
///
/// Only if λ is invalid (negative or not finite).
///
/// ```
/// use initlab::activation::Activation;
/// let rows = initlab::gradcheck::check(Activation::Tanh, 0.1, 0).unwrap();
/// assert!(rows.iter().all(|row| row.passed()));
/// ```
pub fn check(activation: Activation, weight_decay: f64, seed: u64) -> Result<Vec<Row>, Error> {
    let config = MlpConfig {
        input_size: SIZES[0],
        hidden_sizes: SIZES[1..SIZES.len() - 1].to_vec(),
        output_size: SIZES[SIZES.len() - 1],
        activation,
        init: Init::XAVIER,
        weight_decay,
        bias_init: BiasInit::Zeros,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Mlp::<f64>::new(&config, &mut rng)?;
    // Random biases: with zero biases a sample whose previous layer is all
    // dead (ReLU) sits exactly on the kink, where no difference quotient
    // agrees with a one-sided derivative.
    for affine in net.affines_mut() {
        affine
            .b
            .mapv_inplace(|_| BIAS_STD * Distribution::<f64>::sample(&StandardNormal, &mut rng));
    }
    let x = Array2::from_shape_simple_fn((BATCH, SIZES[0]), || StandardNormal.sample(&mut rng));
    let labels: Vec<usize> = (0..BATCH).map(|i| i % config.output_size).collect();
    let targets = Targets::Labels(&labels);

    net.gradients(x.view(), targets)?;
    let numeric = net.numerical_gradients(x.view(), targets, STEP)?;
    let mut rows = Vec::new();
    for (l, (affine, num)) in net.affines().iter().zip(&numeric).enumerate() {
        let row = |parameter, (max_abs_error, max_rel_error)| Row {
            activation: activation.to_string(),
            weight_decay,
            layer: l + 1,
            parameter,
            max_abs_error,
            max_rel_error,
        };
        rows.push(row("W", errors(affine.dw.view(), num.dw.view())));
        rows.push(row("b", errors(affine.db.view(), num.db.view())));
    }
    Ok(rows)
}

/// Checks every activation, without and with weight decay.
///
/// # Errors
///
/// As [`check`].
pub fn check_all(seed: u64) -> Result<Vec<Row>, Error> {
    let mut rows = Vec::new();
    for &activation in Activation::ALL {
        for weight_decay in [0.0, 0.1] {
            rows.extend(check(activation, weight_decay, seed)?);
        }
    }
    Ok(rows)
}

/// Largest absolute and relative differences between two tensors.
fn errors<D: Dimension>(
    analytic: ArrayView<'_, f64, D>,
    numeric: ArrayView<'_, f64, D>,
) -> (f64, f64) {
    analytic.iter().zip(numeric.iter()).fold((0.0, 0.0), |(abs, rel), (&a, &n)| {
        let diff = (a - n).abs();
        (f64::max(abs, diff), f64::max(rel, diff / a.abs().max(n.abs()).max(FLOOR)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_activation_passes_with_and_without_decay() {
        let rows = check_all(1).unwrap();
        assert_eq!(rows.len(), Activation::ALL.len() * 2 * 2 * (SIZES.len() - 1));
        for row in &rows {
            assert!(row.passed(), "{row:?}");
        }
    }

    #[test]
    fn a_wrong_gradient_fails() {
        let a = ndarray::arr1(&[1.0, 2.0]);
        let n = ndarray::arr1(&[1.0, 2.2]);
        let (abs, rel) = errors(a.view(), n.view());
        assert!((abs - 0.2).abs() < 1e-12 && rel > 0.09);
    }
}
