//! Experiments: each a serde `Spec` with documented defaults (the book's
//! settings), a `run` that computes an `Outcome`, and nothing printed along
//! the way. The command line turns flags into a spec; the report module
//! turns an outcome into tables and files.

pub mod activations;
pub mod compare;
