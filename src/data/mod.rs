//! Data: the IDX files of MNIST-like datasets, found, downloaded, verified,
//! held as bytes and drawn in mini-batches.
//!
//! ```text
//! DataSource ──load──► Splits { train: Dataset, test: Dataset, files }
//! BatchSampler ──indices──► Dataset::gather ──► x: [batch, rows·cols]
//!                                              (pixels scaled to [0, 1])
//! ```
//!
//! - [`idx`]: the file format, read (gzipped or raw, told by content) and
//!   written.
//! - [`known`]: MNIST and Fashion-MNIST: file names, published digests,
//!   mirrors.
//! - [`resolve`]: where a dataset is looked for, in which order, and how its
//!   digests are judged.
//! - [`download`]: fetching a file from mirrors into a folder, its digest
//!   checked before it takes its final name.
//! - [`dataset`]: [`Dataset`], images and labels kept as `u8`.
//! - [`verify`]: judging a file by its SHA-256 against the published ones.
//! - [`sampler`]: [`BatchSampler`], with replacement (the book's way) or in
//!   shuffled epochs.
//!
//! See `docs/data.md` for the user's side: folders, environment variables
//! and error hints.

pub mod dataset;
pub mod download;
pub mod idx;
pub mod known;
pub mod resolve;
pub mod sampler;
pub mod verify;

pub use dataset::{Dataset, IMAGE_COLS, IMAGE_ROWS, NUM_CLASSES};
pub use download::{DownloadEvent, MIRROR_ENV};
pub use known::{FileRole, KnownDataset};
pub use resolve::{fetch, load, load_with, DataSource, Locations, Origin, Splits, DATA_ENV};
pub use sampler::{BatchSampler, Sampling};
pub use verify::{FileCheck, Verdict};
