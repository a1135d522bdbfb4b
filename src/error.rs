//! The library's one error type.
//!
//! Every variant carries the data a user needs to fix the problem: the
//! operation or file, what was expected and what was found. Messages are
//! lowercase and have no final period, so that the binary can chain them
//! (`initlab: reading spec.toml: ...`).

use std::path::PathBuf;

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in initlab's library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration value is out of its valid range (a hidden size of 0,
    /// a negative std, zero iterations, ...).
    #[error("invalid {what}: expected {expected}, found {found}")]
    Invalid {
        /// The parameter or flag, e.g. `hidden size` or `--batch-size`.
        what: String,
        /// What would have been accepted.
        expected: String,
        /// The value given.
        found: String,
    },

    /// A name (init scheme, activation, dataset, ...) was not recognised.
    #[error("unknown {what} '{found}'; accepted: {accepted}")]
    UnknownName {
        /// The kind of name, e.g. `init` or `activation`.
        what: &'static str,
        /// The text given.
        found: String,
        /// The accepted forms, comma separated.
        accepted: String,
    },

    /// A scheme string (init or bias init) names a known scheme but has a
    /// malformed or out-of-range parameter.
    #[error("invalid {what} '{found}': {problem}; accepted forms: {accepted}")]
    Scheme {
        /// The kind of scheme, e.g. `init` or `bias init`.
        what: &'static str,
        /// The text given.
        found: String,
        /// What is wrong with it, naming the value found.
        problem: String,
        /// The accepted forms, comma separated.
        accepted: String,
    },

    /// An array had the wrong shape for an operation.
    #[error("{op}: expected shape {expected}, found {found}")]
    Shape {
        /// The operation, e.g. `Mlp::loss input`.
        op: String,
        /// The expected shape, e.g. `[_, 784]`.
        expected: String,
        /// The shape found.
        found: String,
    },

    /// A data file is malformed.
    #[error("{}: expected {expected}, found {found}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What the format requires.
        expected: String,
        /// What the file holds.
        found: String,
    },

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// A dataset was not found anywhere and could not be downloaded.
    #[error("{message}")]
    DataNotFound {
        /// The full explanation: where it looked, what it tried, how to
        /// point initlab at the data.
        message: String,
    },

    /// A download failed or delivered the wrong bytes.
    #[error("downloading {url}: {reason}")]
    Download {
        /// The address tried.
        url: String,
        /// What went wrong.
        reason: String,
    },

    /// A spec file could not be parsed or holds an invalid value.
    #[error("{}: {message}", path.display())]
    Spec {
        /// The spec file.
        path: PathBuf,
        /// The parser's message, naming the line and field.
        message: String,
    },

    /// Drawing a figure failed.
    #[error("{}: drawing failed: {message}", path.display())]
    Plot {
        /// The figure file.
        path: PathBuf,
        /// The plotting library's message.
        message: String,
    },

    /// A data-dependent initialization (LSUV) could not proceed.
    #[error("{scheme} at layer {layer}: {reason}")]
    DataInit {
        /// The scheme, e.g. `lsuv`.
        scheme: &'static str,
        /// The layer (1-based).
        layer: usize,
        /// Why it stopped.
        reason: String,
    },
}

impl Error {
    /// Builds an [`Error::Invalid`] from anything printable.
    pub fn invalid(
        what: impl Into<String>,
        expected: impl Into<String>,
        found: impl std::fmt::Display,
    ) -> Self {
        Error::Invalid { what: what.into(), expected: expected.into(), found: found.to_string() }
    }

    /// Builds an [`Error::Io`] naming the path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}
