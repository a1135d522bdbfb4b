//! Reports: the files and figures an experiment leaves behind.
//!
//! Every file is written atomically (to a temporary file in the same folder,
//! then renamed), so a reader never sees half a CSV and an interrupted run
//! leaves nothing under a final name.

pub mod activations;
pub mod compare;
pub mod diagnostics;
pub mod files;
pub mod plot;
pub mod smooth;
