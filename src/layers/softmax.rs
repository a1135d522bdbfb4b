//! `SoftmaxCrossEntropy`: softmax followed by the cross-entropy loss, the
//! book's `SoftmaxWithLoss`.
//!
//! ```text
//! probs_ij = exp(z_ij - lse_i)         lse_i = log Σ_j exp(z_ij)
//! loss     = -(1/N) Σ_i Σ_j t_ij log probs_ij
//!          = (1/N) Σ_i (lse_i - z_i,label_i)      for class labels
//! dz       = (probs - t) / N
//! z, probs, t, dz: [N, classes]    (t one-hot, or given by labels)
//! ```
//!
//! Every exponent is taken after subtracting the row maximum `m_i`
//! (`lse_i = m_i + log Σ_j exp(z_ij - m_i)`), so logits of ±1e4 give finite
//! losses and probabilities whose rows sum to 1. The book
//! instead adds 1e-7 inside the log; log-softmax needs no such guard, and
//! the two agree to about 1e-7 wherever the book's is finite.

use ndarray::{Array2, ArrayView2, Axis, Zip};

use super::ensure_shape;
use crate::Real;

/// What the net should predict for a batch.
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a, F> {
    /// One class index per row, each below the number of classes.
    Labels(&'a [usize]),
    /// One-hot (or any probability) rows, `[batch, classes]`.
    OneHot(ArrayView2<'a, F>),
}

impl<F> Targets<'_, F> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Targets::Labels(labels) => labels.len(),
            Targets::OneHot(t) => t.nrows(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Softmax with cross-entropy loss, keeping `probs` for the backward pass.
///
/// ```
/// use initlab::layers::{SoftmaxCrossEntropy, Targets};
/// use ndarray::array;
/// let mut head = SoftmaxCrossEntropy::default();
/// let loss = head.forward(array![[0.0_f64, 0.0]].view(), Targets::Labels(&[1]));
/// assert!((loss - 2f64.ln()).abs() < 1e-12);
/// head.backward(Targets::Labels(&[1]));
/// assert_eq!(head.dx(), array![[0.5, -0.5]]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct SoftmaxCrossEntropy<F: Real> {
    /// Softmax of the last logits, `[batch, classes]`.
    probs: Array2<F>,
    /// Gradient with respect to the logits, `[batch, classes]`.
    dx: Array2<F>,
}

impl<F: Real> SoftmaxCrossEntropy<F> {
    /// The probabilities of the last `forward`, `[batch, classes]`.
    pub fn probs(&self) -> ArrayView2<'_, F> {
        self.probs.view()
    }

    /// The logits gradient of the last `backward`, `[batch, classes]`.
    pub fn dx(&self) -> ArrayView2<'_, F> {
        self.dx.view()
    }

    /// Computes the softmax of `logits` and returns the mean cross-entropy.
    ///
    /// # Shapes
    ///
    /// `logits: [batch, classes]`; `targets` has `batch` rows; returns a
    /// scalar in nats.
    pub fn forward(&mut self, logits: ArrayView2<'_, F>, targets: Targets<'_, F>) -> F {
        let (n, classes) = logits.dim();
        assert_eq!(targets.len(), n, "SoftmaxCrossEntropy::forward: targets vs logits rows");
        ensure_shape(&mut self.probs, n, classes);

        // probs = exp(z - m) / s, with m the row max and s = Σ exp(z - m);
        // then -log p_target = log s - (z_target - m)
        let mut total = F::zero();
        for (i, (z, mut p)) in
            logits.axis_iter(Axis(0)).zip(self.probs.axis_iter_mut(Axis(0))).enumerate()
        {
            let m = z.fold(F::neg_infinity(), |m, &v| m.max(v));
            Zip::from(&mut p).and(&z).for_each(|p, &z| *p = (z - m).exp());
            let s = p.sum();
            p.mapv_inplace(|e| e / s);
            let log_s = s.ln();
            total += match targets {
                Targets::Labels(labels) => log_s - (z[labels[i]] - m),
                Targets::OneHot(t) => {
                    let row = t.row(i);
                    Zip::from(&row)
                        .and(&z)
                        .fold(F::zero(), |acc, &t, &z| acc + t * (log_s - (z - m)))
                }
            };
        }
        total / F::of(n as f64)
    }

    /// Computes `dx = (probs - t) / N` for the targets of the last forward.
    ///
    /// # Shapes
    ///
    /// `dx` (see [`SoftmaxCrossEntropy::dx`]) is `[batch, classes]`.
    pub fn backward(&mut self, targets: Targets<'_, F>) {
        let (n, classes) = self.probs.dim();
        assert_eq!(targets.len(), n, "SoftmaxCrossEntropy::backward: targets vs probs rows");
        ensure_shape(&mut self.dx, n, classes);
        let scale = F::one() / F::of(n as f64);
        match targets {
            Targets::Labels(labels) => {
                Zip::from(&mut self.dx).and(&self.probs).for_each(|d, &p| *d = p * scale);
                for (i, &label) in labels.iter().enumerate() {
                    self.dx[[i, label]] -= scale;
                }
            }
            Targets::OneHot(t) => {
                Zip::from(&mut self.dx).and(&self.probs).and(&t).for_each(|d, &p, &t| {
                    *d = (p - t) * scale;
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn rows_sum_to_one_and_stay_finite_at_huge_logits() {
        let mut head = SoftmaxCrossEntropy::<f32>::default();
        let logits = array![[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [3.0, 1.0, 0.2]];
        let loss = head.forward(logits.view(), Targets::Labels(&[1, 0, 2]));
        assert!(loss.is_finite() && loss > 0.0, "loss {loss}");
        for row in head.probs().rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6, "row sums to {}", row.sum());
            assert!(row.iter().all(|p| p.is_finite()));
        }
    }

    #[test]
    fn labels_and_one_hot_agree() {
        let logits = array![[0.3, -1.2, 2.0], [1.0, 1.0, -0.5]];
        let onehot = array![[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]];
        let mut a = SoftmaxCrossEntropy::<f64>::default();
        let mut b = SoftmaxCrossEntropy::<f64>::default();
        let la = a.forward(logits.view(), Targets::Labels(&[2, 1]));
        let lb = b.forward(logits.view(), Targets::OneHot(onehot.view()));
        assert!((la - lb).abs() < 1e-14);
        a.backward(Targets::Labels(&[2, 1]));
        b.backward(Targets::OneHot(onehot.view()));
        assert!(a.dx().abs_diff_eq(&b.dx(), 1e-15));
    }

    #[test]
    fn uniform_logits_give_ln_classes() {
        let mut head = SoftmaxCrossEntropy::<f64>::default();
        let loss = head.forward(Array2::zeros((4, 10)).view(), Targets::Labels(&[0, 3, 9, 5]));
        assert!((loss - 10f64.ln()).abs() < 1e-12);
    }
}
