//! The initialization race: one net per initialization, trained side by
//! side on the same mini-batches (the book's figure 6-15 by default).
//!
//! With the default [`Spec`] this is chapter 6's experiment
//! (ch06/weight_init_compare.py): a 784-100-100-100-100-10 ReLU net with
//! softmax cross-entropy, plain SGD with lr 0.01, batches of 128 drawn with
//! replacement from the training set, 2000 iterations, and three arms
//! whose weights start as N(0, 0.01²), the book's "Xavier" N(0, 1/fan_in)
//! and He N(0, 2/fan_in). Note that all three arms use ReLU: the book's
//! "Xavier" curve is a ReLU net with the smaller scale.
//!
//! # Randomness
//!
//! Seed `s` (one of `seed, seed + 1, ..., seed + seeds - 1`) drives two
//! kinds of ChaCha8 streams: stream 0 draws the batches, which every arm of
//! that seed shares; stream `1 + a` draws arm `a`'s initial weights. Runs
//! (arm × seed) train in parallel, each on its own streams, so results are
//! bit-identical whatever the number of threads.
//!
//! # Bookkeeping
//!
//! The loss recorded for iteration i is that of the forward pass that
//! computed iteration i's gradient. With `loss_after_update` a second
//! forward pass on the same batch after the update is recorded instead, as
//! the book does (it costs a third more compute). A non-finite loss marks
//! the run diverged at that iteration: it stops there, the others go on.

pub mod diagnostics;
mod spec;
pub mod stats;
mod summary;
mod train;

pub use spec::{
    AnalysisSpec, ArmSpec, DataSpec, ModelSpec, Spec, TrainingSpec, DEFAULT_DIAGNOSE_EVERY,
};
pub use summary::{ArmSummary, Outcome, RunOutcome, Stat, FINAL_WINDOW};
pub use train::{run, run_on, Observer, Plan, RunId};
