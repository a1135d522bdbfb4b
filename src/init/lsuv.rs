//! LSUV, layer-sequential unit-variance initialization: Mishkin and Matas,
//! "All you need is a good init" (2015, ICLR 2016).
//!
//! ```text
//! start:  W_l = orthogonal (Init::Lsuv draws it)
//! for l = 1 .. L:
//!     repeat at most T times:
//!         a_l = z_{l-1} W_l + b_l      on the data batch x (z_0 = x)
//!         v = Var(a_l)                 over every entry of a_l
//!         stop if |v - 1| < tol
//!         W_l ← W_l / √v
//! ```
//!
//! `a_l` is the pre-activation output of affine layer l, as in the paper,
//! which normalizes each layer's output before its nonlinearity; the last
//! layer (the logits) is normalized too. `tol` and `T` default to 0.1 and
//! 10 passes, the paper's values. Only the weights are rescaled: with
//! nonzero biases one pass is not exact, which is why the loop repeats.
//!
//! A layer whose pre-activations have zero or non-finite variance on the
//! batch (an all-zero batch, a layer of dead units) cannot be rescaled;
//! [`lsuv`] then stops with [`Error::DataInit`] naming the layer instead of
//! dividing by zero.

use ndarray::ArrayView2;
use serde::Serialize;

use crate::net::Mlp;
use crate::{Error, Real};

/// The paper's tolerance on |Var(a_l) - 1|.
pub const DEFAULT_TOLERANCE: f64 = 0.1;

/// The paper's cap on rescaling passes per layer.
pub const DEFAULT_MAX_PASSES: usize = 10;

/// Below this variance a layer's output counts as constant: rescaling it
/// would multiply the weights by more than 1e15.
const MIN_VARIANCE: f64 = 1e-30;

/// Settings of [`lsuv`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LsuvOptions {
    /// Accepted distance of each layer's output variance from 1, > 0.
    /// Default 0.1.
    pub tolerance: f64,
    /// Rescaling passes allowed per layer, ≥ 1. Default 10.
    pub max_passes: usize,
}

impl Default for LsuvOptions {
    fn default() -> Self {
        LsuvOptions { tolerance: DEFAULT_TOLERANCE, max_passes: DEFAULT_MAX_PASSES }
    }
}

/// What LSUV did to one layer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LsuvLayer {
    /// The affine layer, 1-based.
    pub layer: usize,
    /// Rescalings applied (0 if the variance was already within tolerance).
    pub passes: usize,
    /// The output variance on the batch after the last pass.
    pub variance: f64,
    /// Whether `variance` is within the tolerance of 1.
    pub converged: bool,
}

/// What LSUV did, layer by layer, input to output.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LsuvReport {
    /// One entry per affine layer.
    pub layers: Vec<LsuvLayer>,
}

/// Rescales every weight matrix of `net`, input to output, so that each
/// affine layer's output has variance 1 on the batch `x` (see the module
/// doc). Build the net with [`Init::Lsuv`](super::Init::Lsuv) for the
/// paper's orthogonal start; any other start works too.
///
/// ```
/// use initlab::init::{lsuv::{lsuv, LsuvOptions}, Init};
/// use initlab::net::{Mlp, MlpConfig};
/// use rand::SeedableRng;
/// let config = MlpConfig {
///     input_size: 20,
///     hidden_sizes: vec![30, 30],
///     output_size: 5,
///     init: Init::Lsuv,
///     ..MlpConfig::book()
/// };
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let mut net = Mlp::<f64>::new(&config, &mut rng).unwrap();
/// let x = ndarray::Array2::from_shape_fn((64, 20), |(i, j)| {
///     ((i * 7 + j * 3) % 11) as f64
/// });
/// let report = lsuv(&mut net, x.view(), &LsuvOptions::default()).unwrap();
/// for layer in &report.layers {
///     assert!(layer.converged && (layer.variance - 1.0).abs() < 0.1);
/// }
/// ```
///
/// # Shapes
///
/// `x: [batch, input]`.
///
/// # Errors
///
/// [`Error::Invalid`] for a tolerance that is not finite and > 0 or zero
/// passes; [`Error::Shape`] if `x` does not fit the net;
/// [`Error::DataInit`] naming the layer whose output variance is zero or
/// not finite.
pub fn lsuv<F: Real>(
    net: &mut Mlp<F>,
    x: ArrayView2<'_, F>,
    options: &LsuvOptions,
) -> Result<LsuvReport, Error> {
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::invalid("lsuv tolerance", "a finite number > 0", options.tolerance));
    }
    if options.max_passes == 0 {
        return Err(Error::invalid("lsuv passes", "at least 1", 0));
    }
    let mut report = LsuvReport::default();
    for l in 0..net.affines().len() {
        let layer = normalize_layer(net, x, l, options)?;
        log::debug!(
            "lsuv: layer {} variance {:.4} after {} passes",
            layer.layer,
            layer.variance,
            layer.passes
        );
        report.layers.push(layer);
    }
    Ok(report)
}

/// Rescales affine layer `l` (0-based) until its output variance is
/// within the tolerance of 1 or the passes run out.
fn normalize_layer<F: Real>(
    net: &mut Mlp<F>,
    x: ArrayView2<'_, F>,
    l: usize,
    options: &LsuvOptions,
) -> Result<LsuvLayer, Error> {
    let mut passes = 0;
    loop {
        let variance = variance(net.forward_to(x, l)?);
        if !(variance.is_finite() && variance > MIN_VARIANCE) {
            return Err(Error::DataInit {
                scheme: "lsuv",
                layer: l + 1,
                reason: format!(
                    "pre-activation variance on the batch is {variance}; expected a finite \
                     variance > 0 to rescale (an all-zero batch or a layer of dead units)"
                ),
            });
        }
        let converged = (variance - 1.0).abs() < options.tolerance;
        if converged || passes == options.max_passes {
            return Ok(LsuvLayer { layer: l + 1, passes, variance, converged });
        }

        // W_l ← W_l / √v
        let factor = F::of(1.0 / variance.sqrt());
        net.affines_mut()[l].w.mapv_inplace(|w| w * factor);
        passes += 1;
    }
}

/// The variance of every entry of `a`, in f64.
fn variance<F: Real>(a: ArrayView2<'_, F>) -> f64 {
    let n = a.len() as f64;
    let mean = a.iter().map(|v| v.f64()).sum::<f64>() / n;
    a.iter().map(|v| (v.f64() - mean).powi(2)).sum::<f64>() / n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::init::Init;
    use crate::net::MlpConfig;
    use ndarray::Array2;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn net(activation: Activation) -> Mlp<f32> {
        let config = MlpConfig {
            input_size: 50,
            hidden_sizes: vec![64, 64, 64, 64],
            output_size: 10,
            activation,
            init: Init::Lsuv,
            ..MlpConfig::book()
        };
        Mlp::new(&config, &mut ChaCha8Rng::seed_from_u64(1)).unwrap()
    }

    /// A batch far from unit variance: N(1, 3²) entries.
    fn batch() -> Array2<f32> {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        Array2::from_shape_simple_fn((256, 50), || {
            let z: f32 = StandardNormal.sample(&mut rng);
            1.0 + 3.0 * z
        })
    }

    #[test]
    fn every_layer_ends_at_unit_variance() {
        for &activation in Activation::ALL {
            let mut net = net(activation);
            let x = batch();
            let options = LsuvOptions::default();
            let report = lsuv(&mut net, x.view(), &options).unwrap();
            assert_eq!(report.layers.len(), 5);
            for (l, layer) in report.layers.iter().enumerate() {
                // measured again, independently of the report
                let v = variance(net.forward_to(x.view(), l).unwrap());
                assert!(
                    (v - 1.0).abs() < options.tolerance && layer.converged,
                    "{activation} layer {}: variance {v}, expected 1 ± {}",
                    l + 1,
                    options.tolerance
                );
                assert!(layer.passes <= options.max_passes);
            }
        }
    }

    #[test]
    fn all_zero_batch_and_dead_layer_are_clear_errors() {
        let mut net = net(Activation::Relu);
        let zeros = Array2::zeros((16, 50));
        let err = lsuv(&mut net, zeros.view(), &LsuvOptions::default()).unwrap_err().to_string();
        assert!(err.starts_with("lsuv at layer 1:") && err.contains("variance"), "{err}");

        let mut poisoned = batch();
        poisoned[[3, 7]] = f32::NAN;
        let err = lsuv(&mut net, poisoned.view(), &LsuvOptions::default()).unwrap_err();
        assert!(err.to_string().contains("is NaN"), "{err}");

        net.affines_mut()[2].w.fill(0.0);
        let err = lsuv(&mut net, batch().view(), &LsuvOptions::default()).unwrap_err();
        assert!(matches!(err, Error::DataInit { layer: 3, .. }), "{err}");
    }

    #[test]
    fn bad_options_and_shapes_are_errors() {
        let mut net = net(Activation::Tanh);
        let x = batch();
        let bad = LsuvOptions { tolerance: 0.0, ..LsuvOptions::default() };
        assert!(lsuv(&mut net, x.view(), &bad).is_err());
        let bad = LsuvOptions { max_passes: 0, ..LsuvOptions::default() };
        assert!(lsuv(&mut net, x.view(), &bad).is_err());
        let wide = Array2::zeros((4, 51));
        assert!(matches!(
            lsuv(&mut net, wide.view(), &LsuvOptions::default()),
            Err(Error::Shape { .. })
        ));
    }
}
