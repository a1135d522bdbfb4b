//! `ActivationLayer`: an element-wise nonlinearity φ as a layer.
//!
//! ```text
//! forward:   y = φ(x)
//! backward:  dx = dout ⊙ φ'(x)
//! x, y, dout, dx: [batch, n]
//! ```
//!
//! Unlike the book's `Relu.backward`, `backward` writes into the layer's own
//! `dx` buffer and leaves the caller's `dout` untouched.

use ndarray::{Array2, ArrayView2, Zip};

use super::ensure_shape;
use crate::activation::Activation;
use crate::Real;

/// φ applied element-wise, with its output and input-gradient buffers.
///
/// ```
/// use initlab::activation::Activation;
/// use initlab::layers::ActivationLayer;
/// use ndarray::array;
/// let mut relu = ActivationLayer::new(Activation::Relu);
/// let x = array![[-1.0_f32, 2.0]];
/// assert_eq!(relu.forward(x.view()), array![[0.0, 2.0]]);
/// relu.backward(x.view(), array![[5.0, 5.0]].view());
/// assert_eq!(relu.dx(), array![[0.0, 5.0]]);
/// ```
#[derive(Clone, Debug)]
pub struct ActivationLayer<F: Real> {
    /// The nonlinearity.
    pub activation: Activation,
    /// Output buffer `[batch, n]`.
    out: Array2<F>,
    /// Input-gradient buffer `[batch, n]`.
    dx: Array2<F>,
}

impl<F: Real> ActivationLayer<F> {
    /// A layer applying `activation`.
    pub fn new(activation: Activation) -> Self {
        ActivationLayer { activation, out: Array2::zeros((0, 0)), dx: Array2::zeros((0, 0)) }
    }

    /// The output of the last `forward`, `[batch, n]`.
    pub fn output(&self) -> ArrayView2<'_, F> {
        self.out.view()
    }

    /// The input gradient of the last `backward`, `[batch, n]`.
    pub fn dx(&self) -> ArrayView2<'_, F> {
        self.dx.view()
    }

    /// Computes `φ(x)` into the output buffer and returns it.
    ///
    /// # Shapes
    ///
    /// `x: [batch, n]`; output `[batch, n]`.
    pub fn forward(&mut self, x: ArrayView2<'_, F>) -> ArrayView2<'_, F> {
        ensure_shape(&mut self.out, x.nrows(), x.ncols());
        let zip = Zip::from(&mut self.out).and(&x);
        // The common cases get a loop of their own, which the compiler
        // vectorizes; the rest dispatch per element.
        match self.activation {
            Activation::Relu => {
                zip.for_each(|y, &x| *y = if x > F::zero() { x } else { F::zero() })
            }
            act => zip.for_each(|y, &x| *y = act.apply(x)),
        }
        self.out.view()
    }

    /// Computes `dx = dout ⊙ φ'(x)` into the layer's `dx` buffer.
    ///
    /// `x` must be the input of the matching `forward`.
    ///
    /// # Shapes
    ///
    /// `x, dout: [batch, n]`; `dx` (see [`ActivationLayer::dx`]) `[batch, n]`.
    pub fn backward(&mut self, x: ArrayView2<'_, F>, dout: ArrayView2<'_, F>) {
        assert_eq!(x.dim(), self.out.dim(), "ActivationLayer::backward: x vs forward output");
        assert_eq!(dout.dim(), self.out.dim(), "ActivationLayer::backward: dout vs forward output");
        ensure_shape(&mut self.dx, x.nrows(), x.ncols());
        let zip = Zip::from(&mut self.dx).and(&x).and(&self.out).and(&dout);
        match self.activation {
            Activation::Relu => zip.for_each(|dx, &x, _, &d| {
                *dx = if x > F::zero() { d } else { F::zero() };
            }),
            Activation::Sigmoid => zip.for_each(|dx, _, &y, &d| *dx = d * y * (F::one() - y)),
            Activation::Tanh => zip.for_each(|dx, _, &y, &d| *dx = d * (F::one() - y * y)),
            act => zip.for_each(|dx, &x, &y, &d| *dx = d * act.derivative(x, y)),
        }
    }

    /// Sets the batch size of the buffers (allocates only on a change).
    pub(crate) fn resize(&mut self, batch_size: usize, width: usize) {
        ensure_shape(&mut self.out, batch_size, width);
        ensure_shape(&mut self.dx, batch_size, width);
    }
}
