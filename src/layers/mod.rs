//! The layers a network is stacked from, each with forward and backward.
//!
//! Every layer owns its parameters, their gradients and the output buffers
//! it fills, sized once per batch size by `resize`; a training step at a
//! fixed batch size then allocates nothing. A layer does not copy its
//! input: the net keeps each layer's input alive (it is the previous
//! layer's output) and hands it back to `backward`.
//!
//! Names follow chapter 5 of the book (`Affine`, `Relu`, `Sigmoid`,
//! `SoftmaxWithLoss`): here [`Affine`], [`ActivationLayer`] and
//! [`SoftmaxCrossEntropy`]. Gradients are named `d` + the forward name:
//! `dout` (gradient of the loss with respect to the layer's output), `dx`,
//! `dw`, `db`.

mod activation;
mod affine;
mod softmax;

pub use activation::ActivationLayer;
pub use affine::Affine;
pub use softmax::{SoftmaxCrossEntropy, Targets};

use ndarray::Array2;

use crate::Real;

/// Makes `buffer` `[rows, cols]`, reallocating only if its shape differs.
pub(crate) fn ensure_shape<F: Real>(buffer: &mut Array2<F>, rows: usize, cols: usize) {
    if buffer.dim() != (rows, cols) {
        *buffer = Array2::zeros((rows, cols));
    }
}
