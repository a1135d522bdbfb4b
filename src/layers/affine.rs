//! `Affine`: the dense (fully connected) layer, `out = x · W + b`.
//!
//! ```text
//! forward:   out = x W + b
//! backward:  dW = xᵀ dout          dx = dout Wᵀ
//!            db = Σ_rows dout
//! x: [batch, in]   W: [in, out]   b: [out]   out, dout: [batch, out]
//! ```

use ndarray::{Array1, Array2, ArrayView2, Axis};

use super::ensure_shape;
use crate::linalg::matmul;
use crate::Real;

/// A dense layer `x · W + b` with its gradients and output buffers.
///
/// ```
/// use initlab::layers::Affine;
/// use ndarray::array;
/// let mut layer = Affine::new(array![[1.0_f64, 0.0], [0.0, 2.0]], array![0.5, 0.0]);
/// let out = layer.forward(array![[1.0, 1.0]].view());
/// assert_eq!(out, array![[1.5, 2.0]]);
/// ```
#[derive(Clone, Debug)]
pub struct Affine<F: Real> {
    /// Weights `W: [in, out]`.
    pub w: Array2<F>,
    /// Biases `b: [out]`.
    pub b: Array1<F>,
    /// Gradient of the loss with respect to `W`, filled by `backward`.
    pub dw: Array2<F>,
    /// Gradient of the loss with respect to `b`, filled by `backward`.
    pub db: Array1<F>,
    /// Output buffer `[batch, out]`.
    out: Array2<F>,
    /// Input-gradient buffer `[batch, in]`.
    dx: Array2<F>,
}

impl<F: Real> Affine<F> {
    /// A layer with the given weights `[in, out]` and biases `[out]`.
    ///
    /// # Panics
    ///
    /// If `b.len()` differs from `w.ncols()`.
    pub fn new(w: Array2<F>, b: Array1<F>) -> Self {
        assert_eq!(w.ncols(), b.len(), "Affine::new: W is {:?} but b has {}", w.dim(), b.len());
        let (dw, db) = (Array2::zeros(w.dim()), Array1::zeros(b.len()));
        Affine { w, b, dw, db, out: Array2::zeros((0, 0)), dx: Array2::zeros((0, 0)) }
    }

    /// Number of inputs (`fan_in`).
    pub fn fan_in(&self) -> usize {
        self.w.nrows()
    }

    /// Number of outputs (`fan_out`).
    pub fn fan_out(&self) -> usize {
        self.w.ncols()
    }

    /// The output of the last `forward`, `[batch, out]`.
    pub fn output(&self) -> ArrayView2<'_, F> {
        self.out.view()
    }

    /// The input gradient of the last `backward`, `[batch, in]`.
    pub fn dx(&self) -> ArrayView2<'_, F> {
        self.dx.view()
    }

    /// Computes `x · W + b` into the layer's output buffer and returns it.
    ///
    /// # Shapes
    ///
    /// `x: [batch, in]`; output `[batch, out]`.
    pub fn forward(&mut self, x: ArrayView2<'_, F>) -> ArrayView2<'_, F> {
        assert_eq!(
            x.ncols(),
            self.fan_in(),
            "Affine::forward: x is {:?}, W is {:?}",
            x.dim(),
            self.w.dim()
        );
        let (rows, fan_out) = (x.nrows(), self.fan_out());
        ensure_shape(&mut self.out, rows, fan_out);

        // out = x W, then out += b on every row
        matmul(x, self.w.view(), &mut self.out.view_mut(), false);
        self.out += &self.b;
        self.out.view()
    }

    /// Computes `dW`, `db` and, when `need_dx`, `dx` from `dout`.
    ///
    /// `x` must be the input of the matching `forward`. The first layer of a
    /// net passes `need_dx = false`: nobody reads the gradient of the data.
    ///
    /// # Shapes
    ///
    /// `x: [batch, in]`, `dout: [batch, out]`; `dx` (see [`Affine::dx`])
    /// `[batch, in]`.
    pub fn backward(&mut self, x: ArrayView2<'_, F>, dout: ArrayView2<'_, F>, need_dx: bool) {
        assert_eq!(
            dout.dim(),
            (x.nrows(), self.fan_out()),
            "Affine::backward: dout vs x {:?}",
            x.dim()
        );

        // dW = xᵀ dout, db = column sums of dout
        matmul(x.t(), dout, &mut self.dw.view_mut(), false);
        self.db.fill(F::zero());
        for row in dout.axis_iter(Axis(0)) {
            self.db += &row;
        }

        // dx = dout Wᵀ
        if need_dx {
            let fan_in = self.fan_in();
            ensure_shape(&mut self.dx, x.nrows(), fan_in);
            matmul(dout, self.w.t(), &mut self.dx.view_mut(), false);
        }
    }

    /// Sets the batch size of the buffers (allocates only on a change).
    pub(crate) fn resize(&mut self, batch_size: usize) {
        let (fan_in, fan_out) = self.w.dim();
        ensure_shape(&mut self.out, batch_size, fan_out);
        ensure_shape(&mut self.dx, batch_size, fan_in);
    }
}
