//! Experiments: each a serde `Spec` with the book's setting as its
//! default, and a `run` that returns an `Outcome` without printing
//! anything (progress reaches the caller as observer events).

pub mod compare;
