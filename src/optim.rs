//! Optimizers: how a gradient becomes a parameter update.
//!
//! An optimizer sees each parameter tensor as a flat slice with its
//! gradient and a stable slot number, so it can keep per-tensor state
//! (momentum, Adam's moments) without knowing the network. The net calls
//! [`Optimizer::begin_step`] once per step, then [`Optimizer::update`] for
//! every tensor in the same order each time.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Real};

/// Turns gradients into parameter updates.
pub trait Optimizer<F: Real> {
    /// Called once at the start of every step, before the updates.
    fn begin_step(&mut self) {}

    /// Updates `param` in place from its gradient `grad` (same length).
    /// `slot` numbers the tensor, stable from step to step.
    fn update(&mut self, slot: usize, param: &mut [F], grad: &[F]);
}

/// Plain stochastic gradient descent, the book's `SGD`:
///
/// ```text
/// W ← W - lr · dW        lr: learning rate per step
/// ```
///
/// It has no momentum and no learning-rate schedule.
///
/// ```
/// use initlab::optim::{Optimizer, Sgd};
/// let mut sgd = Sgd { lr: 0.1 };
/// let mut w = [1.0_f32, 2.0];
/// sgd.update(0, &mut w, &[10.0, -10.0]);
/// assert_eq!(w, [0.0, 3.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd {
    /// Learning rate (step size per iteration).
    pub lr: f64,
}

impl<F: Real> Optimizer<F> for Sgd {
    fn update(&mut self, _slot: usize, param: &mut [F], grad: &[F]) {
        assert_eq!(param.len(), grad.len(), "Sgd::update: param and grad lengths differ");
        let lr = F::of(self.lr);
        for (p, &g) in param.iter_mut().zip(grad) {
            *p -= lr * g;
        }
    }
}

/// An optimizer and its hyperparameters, as written in a spec file.
///
/// ```toml
/// [training.optimizer]
/// name = "sgd"
/// lr = 0.01
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "kebab-case", deny_unknown_fields)]
pub enum OptimizerSpec {
    /// Plain SGD.
    Sgd {
        /// Learning rate per step.
        lr: f64,
    },
}

impl Default for OptimizerSpec {
    /// The book's choice for chapter 6: SGD with lr 0.01.
    fn default() -> Self {
        OptimizerSpec::Sgd { lr: 0.01 }
    }
}

impl OptimizerSpec {
    /// Checks the hyperparameters.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a learning rate that is not finite and > 0.
    pub fn validate(&self) -> Result<(), Error> {
        match *self {
            OptimizerSpec::Sgd { lr } if !(lr.is_finite() && lr > 0.0) => {
                Err(Error::invalid("learning rate", "a finite number > 0", lr))
            }
            OptimizerSpec::Sgd { .. } => Ok(()),
        }
    }

    /// A fresh optimizer with these hyperparameters and no state.
    pub fn build<F: Real>(&self) -> Box<dyn Optimizer<F> + Send> {
        match *self {
            OptimizerSpec::Sgd { lr } => Box::new(Sgd { lr }),
        }
    }
}

impl fmt::Display for OptimizerSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptimizerSpec::Sgd { lr } => write!(f, "SGD lr={lr}"),
        }
    }
}
