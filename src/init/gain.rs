//! Gains: the factor by which an activation's weights are scaled.
//!
//! A variance-scaling scheme draws `W_ij` with std `gain / √fan`. Two
//! gains are given for every activation:
//!
//! PyTorch's table, `torch.nn.init.calculate_gain` (file
//! `torch/nn/init.py`), chosen by hand per function:
//!
//! ```text
//! identity, sigmoid  1        tanh  5/3       relu  √2
//! leaky-relu         √(2 / (1 + s²)), s the negative slope
//! selu               3/4      (others: no entry)
//! ```
//!
//! and the fixed-point gain, derived for any φ. With
//! `W ~ N(0, g² / fan_in)` the pre-activations of a wide net follow
//!
//! ```text
//! q_l = g² E[φ(h)²],   h ~ N(0, q_{l-1})
//! ```
//!
//! where `q_l` is the variance of layer l's pre-activations. The gain that
//! makes `q = 1` a fixed point is
//!
//! ```text
//! g = 1 / √E[φ(h)²],   h ~ N(0, 1)
//! ```
//!
//! evaluated by composite Simpson quadrature on each side of 0, where the
//! ReLU family has its kink (Gauss–Hermite, [`crate::quadrature`], loses
//! digits there: 1e-4 for SELU). For the
//! ReLU family it equals the table exactly (E[relu(h)²] = 1/2 gives √2);
//! for tanh it is ≈ 1.593, a little below 5/3; for SELU it is 1, since the
//! SELU constants make E[selu(h)²] = 1 at q = 1, while PyTorch's 3/4 is a
//! deliberate choice of its own. Sigmoid is the odd one out: its mean is
//! 1/2, so E[σ(h)²] ≈ 0.293 is mostly the squared mean, and the fixed-point
//! gain ≈ 1.85 keeps the second moment, not the spread, at 1 (its variance
//! alone, ≈ 0.043, would ask for a gain near 4.8).

use serde::Serialize;

use crate::activation::{normal_pdf, Activation};

/// Tanh's gain in PyTorch's table.
const TANH_GAIN: f64 = 5.0 / 3.0;

/// SELU's gain in PyTorch's table.
const SELU_GAIN: f64 = 0.75;

/// The gain PyTorch's `calculate_gain` gives, `None` where its table has
/// no entry (ELU, GELU, softplus).
///
/// ```
/// use initlab::activation::Activation;
/// use initlab::init::gain::gain;
/// assert_eq!(gain(Activation::Relu), Some(2.0_f64.sqrt()));
/// let leaky = gain(Activation::LeakyRelu { slope: 0.2 }).unwrap();
/// assert!((leaky - (2.0 / 1.04_f64).sqrt()).abs() < 1e-15);
/// assert_eq!(gain(Activation::Gelu), None);
/// ```
pub fn gain(activation: Activation) -> Option<f64> {
    match activation {
        Activation::Identity | Activation::Sigmoid => Some(1.0),
        Activation::Tanh => Some(TANH_GAIN),
        Activation::Relu => Some(2.0_f64.sqrt()),
        Activation::LeakyRelu { slope } => Some((2.0 / (1.0 + slope * slope)).sqrt()),
        Activation::Selu => Some(SELU_GAIN),
        Activation::Elu { .. } | Activation::Gelu | Activation::Softplus => None,
    }
}

/// The gain that keeps the pre-activation variance at 1 from layer to
/// layer: `1 / √E[φ(h)²]`, h ~ N(0, 1) (see the module doc).
///
/// ```
/// use initlab::activation::Activation;
/// use initlab::init::gain::fixed_point_gain;
/// let relu = fixed_point_gain(Activation::Relu);
/// assert!((relu - 2.0_f64.sqrt()).abs() < 1e-12);
/// assert!((fixed_point_gain(Activation::Tanh) - 1.5925).abs() < 1e-4);
/// ```
pub fn fixed_point_gain(activation: Activation) -> f64 {
    1.0 / second_moment(activation).sqrt()
}

/// Half-width of the integration range, in stds: the Gaussian mass beyond
/// it is below 1e-32.
const RANGE: f64 = 12.0;

/// Simpson intervals on each side of 0 (even).
const INTERVALS: usize = 4000;

/// `E[φ(h)²]` for h ~ N(0, 1) by composite Simpson on [-12, 0] and
/// [0, 12]; each half is smooth for every activation here, so the error is
/// O(step⁴), below 1e-13.
fn second_moment(activation: Activation) -> f64 {
    let f = |h: f64| activation.apply(h).powi(2) * normal_pdf(h);
    let step = RANGE / INTERVALS as f64;
    let mut sum = 0.0;
    for side in [-1.0, 1.0] {
        let mut half = f(0.0) + f(side * RANGE);
        for i in 1..INTERVALS {
            let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
            half += weight * f(side * step * i as f64);
        }
        sum += half * step / 3.0;
    }
    sum
}

/// Both gains of one activation.
#[derive(Clone, Debug, Serialize)]
pub struct GainRow {
    /// The activation's name.
    pub activation: String,
    /// PyTorch's `calculate_gain`, if it has an entry.
    pub table: Option<f64>,
    /// `1 / √E[φ(h)²]` at h ~ N(0, 1).
    pub fixed_point: f64,
}

/// Both gains for every activation of [`Activation::ALL`].
pub fn gains() -> Vec<GainRow> {
    Activation::ALL
        .iter()
        .map(|&a| GainRow {
            activation: a.to_string(),
            table: gain(a),
            fixed_point: fixed_point_gain(a),
        })
        .collect()
}

/// The gain table in Markdown.
pub fn markdown() -> String {
    let mut out = "| activation | PyTorch calculate_gain | fixed-point gain 1/√E[φ(h)²] |\n\
                   | --- | --- | --- |\n"
        .to_string();
    for row in gains() {
        let table = row.table.map_or("-".to_string(), super::catalog::short);
        let fixed = super::catalog::short(row.fixed_point);
        out += &format!("| {} | {table} | {fixed} |\n", row.activation);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_gain_agrees_with_the_table_for_the_relu_family() {
        for act in [Activation::Relu, Activation::LEAKY_RELU, Activation::LeakyRelu { slope: 0.3 }]
        {
            let (table, fixed) = (gain(act).unwrap(), fixed_point_gain(act));
            assert!((table - fixed).abs() < 1e-12, "{act}: table {table}, fixed point {fixed}");
        }
        assert!((fixed_point_gain(Activation::Identity) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn fixed_point_gain_keeps_the_variance_through_a_deep_stack() {
        // iterate q_l = g² E[φ(h)²] from q_0 = 1: it stays at 1
        for &act in Activation::ALL {
            let g = fixed_point_gain(act);
            let q = crate::quadrature::expect_normal(1.0, |h| act.apply(h).powi(2)) * g * g;
            // checked with the independent Gauss–Hermite rule (1e-4 at kinks)
            assert!((q - 1.0).abs() < 2e-4, "{act}: q_1 = {q}");
        }
        // SELU's constants already make q = 1 a fixed point
        let selu = fixed_point_gain(Activation::Selu);
        assert!((selu - 1.0).abs() < 1e-9, "selu: {selu}");
        // sigmoid: E[σ(h)²] ≈ 0.2933 (mostly its mean squared, 1/4)
        assert!((fixed_point_gain(Activation::Sigmoid) - 1.8466).abs() < 1e-3);
    }
}
