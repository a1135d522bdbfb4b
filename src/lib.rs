//! initlab: how the initial weights of a deep network decide whether it
//! learns.
//!
//! The crate reproduces the experiments of chapter 6 of "Deep Learning from
//! Scratch" (activation histograms under different initial scales, and the
//! training race of std=0.01, Xavier and He initial weights on MNIST) and
//! extends them: every initialization scheme with its formula, per-layer
//! diagnostics, multi-seed statistics and the signal-propagation theory.
//!
//! # Conventions
//!
//! These hold in every module:
//!
//! - A batch is the rows of a matrix: `x: [batch, features]`.
//! - Weights are `[in, out]` (fan_in by fan_out) and applied as `x W + b`,
//!   the book's layout. Never mix with the `[out, in]` layout of some
//!   frameworks.
//! - The loss is the batch mean of the cross-entropy, in nats; a net that
//!   guesses uniformly among 10 classes scores ln 10 = 2.303.
//! - Pixels are scaled from `u8` to `[0, 1]` when a batch is gathered.
//! - Every random draw comes from a seeded [`rand_chacha::ChaCha8Rng`]
//!   passed in by the caller: the same seed gives bit-identical results,
//!   whatever the number of threads.
//! - f32 is the working precision; gradient checks run the same code in f64
//!   (see [`Real`]).

pub mod activation;
pub mod cli;
pub mod data;
pub mod error;
pub mod experiment;
pub mod gradcheck;
pub mod init;
pub mod layers;
pub mod linalg;
pub mod net;
pub mod optim;
pub mod quadrature;
pub mod real;
pub mod report;
pub mod theory;

pub use error::{Error, Result};
pub use real::Real;
