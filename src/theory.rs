//! Mean-field signal propagation: what an infinitely wide random net does to
//! the spread of its activations, layer by layer.
//!
//! For a stack `a_l = z_{l-1} W_l + b_l`, `z_l = φ(a_l)`, with `W_l` of
//! shape `[fan_in, fan_out]` drawn with entries of standard deviation `σ_w`
//! and biases of standard deviation `σ_b`, each pre-activation is a sum of
//! `fan_in` independent terms. As the width grows it becomes Gaussian with a
//! variance `q_l` that obeys a one-dimensional recursion:
//!
//! ```text
//! q_1 = fan_in · σ_w² · E[x²] + σ_b²                  x: the raw input
//! q_l = fan_in · σ_w² · E[φ(h)²] + σ_b²,  h ~ N(0, q_{l-1})    l ≥ 2
//!
//! predicted output of layer l, h ~ N(0, q_l):
//!   mean_l = E[φ(h)]
//!   std_l  = sqrt(E[φ(h)²] − E[φ(h)]²)
//!
//! gradient factor (how much a backward signal's squared norm is scaled
//! by layer l):
//!   χ_l = fan_in · σ_w² · E[φ'(h)²],  h ~ N(0, q_l)
//! ```
//!
//! `fan_in` is the width of the layer's input (the raw input's width for
//! layer 1). The first layer sees the raw input, not φ of it, hence the
//! separate `q_1`; for the standard normal input of the activations
//! experiment `E[x²] = 1`. Only the second moment of the weights enters, so
//! `σ_w` is [`Init::std`] whatever the distribution (normal, uniform or
//! orthogonal rows). A χ below 1 means gradients shrink on their way back
//! through the layer, above 1 that they grow.
//!
//! This is the "mean-field" or "signal propagation" theory of Poole,
//! Lahiri, Raghu, Sohl-Dickstein and Ganguli, "Exponential expressivity in
//! deep neural networks through transient chaos" (NeurIPS 2016,
//! <https://arxiv.org/abs/1606.05340>), with the gradient factor χ of
//! Schoenholz, Gilmer, Ganguli and Sohl-Dickstein, "Deep Information
//! Propagation" (ICLR 2017, <https://arxiv.org/abs/1611.01232>). At a finite
//! width the measured statistics scatter around these values by a few
//! percent (docs/activations.md gives measured numbers).
//!
//! The expectations are Gauss–Hermite sums ([`expect_normal`]), which works
//! for any [`Activation`]. ReLU uses closed forms, because its kink makes
//! the quadrature of `E[relu(h)]` about 0.5 % off:
//!
//! ```text
//! E[relu(h)] = sqrt(q / 2π)   E[relu(h)²] = q / 2   E[relu'(h)²] = 1 / 2
//! ```

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::init::Init;
use crate::quadrature::expect_normal;

/// Half-width of the grid of pre-activations that [`output_fractions`]
/// integrates over, in standard deviations: the mass beyond 8 σ is 1e-15.
const GRID_SIGMAS: f64 = 8.0;

/// Cells of that grid; φ is taken as linear across each cell, so the
/// fractions are accurate to about 1e-4 even where a bin holds few cells.
const GRID_CELLS: usize = 4096;

/// The three Gaussian expectations the recursion needs, for one `q`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// `E[φ(h)]`.
    pub mean: f64,
    /// `E[φ(h)²]`.
    pub second: f64,
    /// `E[φ'(h)²]`.
    pub derivative_second: f64,
}

/// `E[φ(h)]`, `E[φ(h)²]` and `E[φ'(h)²]` for `h ~ N(0, q)`.
///
/// ```
/// use initlab::activation::Activation;
/// use initlab::theory::moments;
/// // E[tanh(h)²] for q = 1 is 0.3942944903
/// let m = moments(Activation::Tanh, 1.0);
/// assert!((m.second - 0.394294490).abs() < 1e-7);
/// assert!(m.mean.abs() < 1e-12);
/// ```
pub fn moments(activation: Activation, q: f64) -> Moments {
    let q = q.max(0.0);
    // ReLU and leaky ReLU (slope s; ReLU is s = 0) in closed form:
    // E[φ] = (1 - s) sqrt(q / 2π), E[φ²] = (1 + s²) q / 2,
    // E[φ'²] = (1 + s²) / 2. Quadrature would be 0.5 % off at the kink.
    let slope = match activation {
        Activation::Relu => Some(0.0),
        Activation::LeakyRelu { slope } => Some(slope),
        _ => None,
    };
    if let Some(s) = slope {
        return Moments {
            mean: (1.0 - s) * (q / (2.0 * PI)).sqrt(),
            second: (1.0 + s * s) * q / 2.0,
            derivative_second: if q > 0.0 { (1.0 + s * s) / 2.0 } else { 0.0 },
        };
    }
    // TODO: SELU's and ELU's derivatives jump at 0, which costs Gauss-
    // Hermite accuracy in E[φ'²] (about 1e-3 relative); integrating each
    // half-line separately would make χ exact for them too.
    let slope = |h: f64| activation.derivative(h, activation.apply(h));
    Moments {
        mean: expect_normal(q, |h| activation.apply(h)),
        second: expect_normal(q, |h| activation.apply(h).powi(2)),
        derivative_second: expect_normal(q, |h| slope(h).powi(2)),
    }
}

/// The theory's prediction for one layer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerTheory {
    /// Variance `q_l` of the layer's pre-activations.
    pub q: f64,
    /// Predicted mean of the layer's outputs, `E[φ(h)]`.
    pub mean: f64,
    /// Predicted standard deviation of the layer's outputs.
    pub std: f64,
    /// Gradient factor `χ_l = fan_in · σ_w² · E[φ'(h)²]`.
    pub chi: f64,
}

/// The recursion for a stack of layers.
///
/// `widths` lists the input width then each layer's units (so a net with
/// L layers has L + 1 widths); layer l has `fan_in = widths[l - 1]` and
/// `fan_out = widths[l]`, and weights of std `init.std(fan_in, fan_out)`.
/// `input_second_moment` is `E[x²]` of the raw input (1 for standard normal
/// input) and `bias_std` is `σ_b` (0 without bias).
///
/// ```
/// use initlab::activation::Activation;
/// use initlab::init::Init;
/// use initlab::theory::propagate;
/// // He with ReLU keeps q = 2 in every layer of a width-100 stack
/// let layers = propagate(Activation::Relu, &Init::HE, &[100; 6], 1.0, 0.0);
/// assert_eq!(layers.len(), 5);
/// for layer in &layers {
///     assert!((layer.q - 2.0).abs() < 1e-12);
///     assert!((layer.chi - 1.0).abs() < 1e-12);
/// }
/// ```
pub fn propagate(
    activation: Activation,
    init: &Init,
    widths: &[usize],
    input_second_moment: f64,
    bias_std: f64,
) -> Vec<LayerTheory> {
    let mut second = input_second_moment;
    widths
        .windows(2)
        .map(|pair| {
            let (fan_in, fan_out) = (pair[0], pair[1]);
            let weight_scale = fan_in as f64 * init.std(fan_in, fan_out).powi(2);
            // q from the previous layer's E[z²], then this layer's moments.
            let q = weight_scale * second + bias_std * bias_std;
            let m = moments(activation, q);
            second = m.second;
            let variance = (m.second - m.mean * m.mean).max(0.0);
            LayerTheory {
                q,
                mean: m.mean,
                std: variance.sqrt(),
                chi: weight_scale * m.derivative_second,
            }
        })
        .collect()
}

/// The predicted fraction of a layer's outputs in each of `bins` equal bins
/// on `[lo, hi]`, for pre-activations `h ~ N(0, q)`.
///
/// The last bin includes `hi`, like the measured histograms; mass outside
/// `[lo, hi]` is left out, so the fractions sum to at most 1. It works for
/// any φ, monotone or not, by integrating the Gaussian over a fine grid of
/// `h` and spreading each cell's mass over the values φ takes across the
/// cell. Exact zeros (ReLU for `h < 0`) land in the bin that holds 0.
///
/// ```
/// use initlab::activation::Activation;
/// use initlab::theory::output_fractions;
/// // half of ReLU's outputs are exactly 0, in the first bin of [0, 1],
/// // which also holds P(0 < h < 0.1) = 0.028
/// let f = output_fractions(Activation::Relu, 2.0, 0.0, 1.0, 10);
/// assert!((f[0] - 0.528).abs() < 1e-3);
/// ```
pub fn output_fractions(activation: Activation, q: f64, lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let mut fractions = vec![0.0; bins];
    if !q.is_finite() {
        return fractions;
    }
    if q <= 0.0 {
        if let Some(bin) = bin_index(activation.apply(0.0), lo, hi, bins) {
            fractions[bin] = 1.0;
        }
        return fractions;
    }
    let sigma = q.sqrt();
    let step = 2.0 * GRID_SIGMAS / GRID_CELLS as f64;
    let mut total = 0.0;
    let mut y_left = activation.apply(-GRID_SIGMAS * sigma);
    for cell in 0..GRID_CELLS {
        // The cell [t, t + step] in units of σ: its Gaussian mass (midpoint
        // rule) and φ at its right edge.
        let t = -GRID_SIGMAS + cell as f64 * step;
        let mid = t + 0.5 * step;
        let mass = (-0.5 * mid * mid).exp();
        let y_right = activation.apply(sigma * (t + step));
        total += mass;
        spread(&mut fractions, (y_left, y_right), mass, (lo, hi));
        y_left = y_right;
    }
    fractions.iter_mut().for_each(|f| *f /= total);
    fractions
}

/// Adds `mass`, spread evenly over the values between `y0` and `y1` (φ
/// taken as linear across one grid cell), to the bins it overlaps; a cell
/// where φ is flat adds all of it to the bin of its value.
fn spread(fractions: &mut [f64], (y0, y1): (f64, f64), mass: f64, (lo, hi): (f64, f64)) {
    let bins = fractions.len();
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    let width = (hi - lo) / bins as f64;
    if y1 - y0 <= f64::EPSILON * width {
        if let Some(bin) = bin_index(y0, lo, hi, bins) {
            fractions[bin] += mass;
        }
        return;
    }
    if y1 < lo || y0 > hi {
        return;
    }
    let first = bin_index(y0.max(lo), lo, hi, bins).unwrap_or(0);
    let last = bin_index(y1.min(hi), lo, hi, bins).unwrap_or(bins - 1);
    for (bin, fraction) in fractions.iter_mut().enumerate().take(last + 1).skip(first) {
        let left = lo + bin as f64 * width;
        let overlap = y1.min(left + width) - y0.max(left);
        *fraction += mass * overlap.max(0.0) / (y1 - y0);
    }
}

/// The bin of `y` among `bins` equal bins on `[lo, hi]` (the last one
/// closed), or `None` outside the range.
pub fn bin_index(y: f64, lo: f64, hi: f64, bins: usize) -> Option<usize> {
    if !(lo..=hi).contains(&y) {
        return None;
    }
    let position = (y - lo) * (bins as f64 / (hi - lo));
    Some((position as usize).min(bins - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_closed_forms_agree_with_quadrature() {
        // The quadrature is exact for E[relu²] and E[relu'²] and 0.52 %
        // high for E[relu] (the kink).
        let q = 3.0;
        let m = moments(Activation::Relu, q);
        let quad = expect_normal(q, |h| h.max(0.0));
        assert!((m.mean - quad).abs() < 1e-2 * m.mean, "{} vs {quad}", m.mean);
        assert!((m.second - expect_normal(q, |h| h.max(0.0).powi(2))).abs() < 1e-12);
        assert_eq!(m.derivative_second, 0.5);
    }

    #[test]
    fn small_q_linearizes_sigmoid() {
        // For tiny q, sigmoid(h) ≈ 1/2 + h/4: mean 1/2, std sqrt(q)/4.
        let q = 1e-4;
        let layers =
            propagate(Activation::Sigmoid, &Init::Normal { std: 0.01 }, &[100, 100], 1.0, 0.0);
        assert!((layers[0].q - 0.01).abs() < 1e-15);
        let m = moments(Activation::Sigmoid, q);
        assert!((m.mean - 0.5).abs() < 1e-12);
        let std = (m.second - m.mean * m.mean).sqrt();
        assert!((std - q.sqrt() / 4.0).abs() < 1e-6, "{std}");
        assert!((m.derivative_second - 1.0 / 16.0).abs() < 1e-5);
    }

    #[test]
    fn bias_adds_its_variance_and_first_layer_sees_raw_input() {
        let widths = [50, 100, 100];
        let plain = propagate(Activation::Tanh, &Init::XAVIER, &widths, 2.0, 0.0);
        let biased = propagate(Activation::Tanh, &Init::XAVIER, &widths, 2.0, 0.3);
        // q_1 = 50 · (1/50) · E[x²] = 2, not E[tanh(x)²].
        assert!((plain[0].q - 2.0).abs() < 1e-12);
        assert!((biased[0].q - 2.09).abs() < 1e-12);
        let expected = moments(Activation::Tanh, 2.09).second + 0.09;
        assert!((biased[1].q - expected).abs() < 1e-12);
    }

    #[test]
    fn fractions_sum_to_mass_in_range() {
        for &act in Activation::ALL {
            let f = output_fractions(act, 1.5, -1.0, 1.0, 20);
            let sum: f64 = f.iter().sum();
            assert!(sum <= 1.0 + 1e-12 && sum > 0.3, "{act}: {sum}");
        }
        // Sigmoid stays inside (0, 1): all mass in range.
        let f = output_fractions(Activation::Sigmoid, 4.0, 0.0, 1.0, 30);
        assert!((f.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // A zero q puts everything at φ(0).
        let f = output_fractions(Activation::Sigmoid, 0.0, 0.0, 1.0, 4);
        assert_eq!(f, vec![0.0, 0.0, 1.0, 0.0]);
    }

    #[test]
    fn bins_are_half_open_but_the_last() {
        assert_eq!(bin_index(0.0, 0.0, 1.0, 4), Some(0));
        assert_eq!(bin_index(0.25, 0.0, 1.0, 4), Some(1));
        assert_eq!(bin_index(1.0, 0.0, 1.0, 4), Some(3));
        assert_eq!(bin_index(1.0001, 0.0, 1.0, 4), None);
        assert_eq!(bin_index(-1e-9, 0.0, 1.0, 4), None);
    }

    #[test]
    fn leaky_relu_closed_form_agrees_with_quadrature() {
        let act = Activation::LeakyRelu { slope: 0.2 };
        let m = moments(act, 2.0);
        let second = crate::quadrature::expect_normal(2.0, |h| act.apply(h).powi(2));
        assert!((m.second - second).abs() < 1e-10, "{} vs {second}", m.second);
        assert!((m.second - 1.04 * 2.0 / 2.0).abs() < 1e-12);
        let mean = crate::quadrature::expect_normal(2.0, |h| act.apply(h));
        assert!((m.mean - mean).abs() < 1e-2 * m.mean, "{} vs {mean}", m.mean);
        assert!((m.derivative_second - 0.52).abs() < 1e-12);
    }
}
