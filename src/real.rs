//! The floating-point types the network runs in.
//!
//! Training runs in f32; gradient checks run the very same code in f64, so
//! that central differences are accurate to about 1e-10 and a relative error
//! below 1e-6 means the backward pass is right, not merely close.

use std::fmt::{Debug, Display};

use ndarray::{LinalgScalar, ScalarOperand};
use num_traits::{Float, FromPrimitive, ToPrimitive};

/// A float the network can run in: implemented for `f32` and `f64`.
pub trait Real:
    Float
    + FromPrimitive
    + ToPrimitive
    + LinalgScalar
    + ScalarOperand
    + Default
    + Debug
    + Display
    + Send
    + Sync
    + std::iter::Sum
    + std::ops::AddAssign
    + std::ops::SubAssign
    + std::ops::MulAssign
    + 'static
{
    /// Converts from f64, rounding to nearest for f32.
    fn of(value: f64) -> Self;

    /// Widens to f64 (exact for both implementations).
    fn f64(self) -> f64;
}

impl Real for f32 {
    fn of(value: f64) -> Self {
        value as f32
    }

    fn f64(self) -> f64 {
        f64::from(self)
    }
}

impl Real for f64 {
    fn of(value: f64) -> Self {
        value
    }

    fn f64(self) -> f64 {
        self
    }
}
