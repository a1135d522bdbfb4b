//! Downloading dataset files from mirrors, with their digests checked.
//!
//! For each file, each mirror is tried in turn. The body is streamed into a
//! temporary file in the target folder while its SHA-256 is computed; only a
//! file whose digest matches is renamed to its final name. A failed or
//! mismatching download is deleted and the next mirror is tried, so nothing
//! half-written ever sits under a final name, and an interrupted fetch
//! leaves at most a stray `.initlab-*` temporary file.
//!
//! The library does not print: progress reaches the caller as
//! [`DownloadEvent`]s (the binary draws a bar on stderr).

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::Error;

/// Environment variable holding mirror base URLs (comma separated) that
/// replace the built-in mirrors.
pub const MIRROR_ENV: &str = "INITLAB_MIRROR";

/// How long to wait for a connection before trying the next mirror.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a single read may stall before the download is abandoned.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Bytes copied per read while streaming a body to disk.
const CHUNK: usize = 64 * 1024;

/// What a download reports while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownloadEvent {
    /// A request is about to be sent.
    Started {
        /// The file's address.
        url: String,
    },
    /// Bytes arrived.
    Progress {
        /// Bytes received so far.
        done: u64,
        /// The announced size, if the server sent one.
        total: Option<u64>,
    },
    /// The file arrived whole, with the expected digest.
    Finished {
        /// The file's address.
        url: String,
        /// Its size in bytes.
        bytes: u64,
    },
    /// This mirror failed; the next one, if any, is tried.
    Failed {
        /// The file's address.
        url: String,
        /// Why.
        reason: String,
    },
}

/// One failed try: the address and why it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The file's address.
    pub url: String,
    /// What went wrong, e.g. `connection refused` or `sha-256 mismatch`.
    pub reason: String,
}

/// A file to download: its name under each mirror and in the target folder,
/// and the SHA-256 it must have.
#[derive(Clone, Copy, Debug)]
pub struct Wanted<'a> {
    /// File name, appended to each mirror's base URL.
    pub file_name: &'a str,
    /// Expected SHA-256, lowercase hex.
    pub sha256: &'a str,
}

/// Mirror base URLs from [`MIRROR_ENV`], or `None` if it is unset or blank.
/// Each URL gets a trailing `/` if it lacks one.
pub fn mirrors_from_env() -> Option<Vec<String>> {
    parse_mirrors(&std::env::var(MIRROR_ENV).ok()?)
}

/// Splits a comma-separated list of base URLs, trimming blanks and making
/// each end in `/`; `None` if no URL is left.
pub fn parse_mirrors(text: &str) -> Option<Vec<String>> {
    let mirrors: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(|url| if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
        .collect();
    (!mirrors.is_empty()).then_some(mirrors)
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a digest.
fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads `wanted` into `dir` from the first mirror that delivers it
/// with the right digest, and returns its final path.
///
/// `Ok(Err(attempts))` means every mirror failed, each [`Attempt`] saying
/// why; nothing is left in `dir` then.
///
/// # Errors
///
/// [`Error::Io`] if `dir` cannot be created or written: no mirror can help
/// with that.
pub fn download_file(
    mirrors: &[String],
    wanted: Wanted<'_>,
    dir: &Path,
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<Result<PathBuf, Vec<Attempt>>, Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let target = dir.join(wanted.file_name);
    let agent = agent();
    let mut attempts = Vec::new();
    for mirror in mirrors {
        let url = format!("{mirror}{}", wanted.file_name);
        progress(DownloadEvent::Started { url: url.clone() });
        log::info!("downloading {url}");
        match try_mirror(&agent, &url, wanted.sha256, &target, progress)? {
            Ok(bytes) => {
                progress(DownloadEvent::Finished { url, bytes });
                return Ok(Ok(target));
            }
            Err(reason) => {
                log::info!("{url}: {reason}");
                progress(DownloadEvent::Failed { url: url.clone(), reason: reason.clone() });
                attempts.push(Attempt { url, reason });
            }
        }
    }
    Ok(Err(attempts))
}

/// An HTTP agent that never asks for a compressed transfer (the files are
/// gzipped already, and their digest is of the bytes as published).
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_per_read(Some(READ_TIMEOUT))
        .accept_encoding("identity")
        .user_agent(concat!("initlab/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Streams `url` into a temporary file beside `target`, checks the digest
/// and renames it. The inner `Err` is why this mirror failed (the
/// temporary file is gone then); the outer one is a local I/O failure.
fn try_mirror(
    agent: &ureq::Agent,
    url: &str,
    sha256: &str,
    target: &Path,
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<Result<u64, String>, Error> {
    let dir = target.parent().expect("target is dir.join(name)");
    let mut response = match agent.get(url).call() {
        Ok(response) => response,
        Err(e) => return Ok(Err(describe(&e))),
    };
    let total = response.body().content_length();
    let mut reader = response.body_mut().as_reader();
    let mut tmp = tempfile::Builder::new()
        .prefix(".initlab-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let (done, digest) = match stream(&mut reader, tmp.as_file_mut(), total, progress) {
        Ok(result) => result,
        Err(Streamed::Network(reason)) => return Ok(Err(reason)),
        Err(Streamed::Disk(e)) => return Err(Error::io(tmp.path(), e)),
    };
    if digest != sha256 {
        return Ok(Err(format!("sha-256 mismatch: expected {sha256}, found {digest}")));
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(tmp.path(), e))?;
    tmp.persist(target).map_err(|e| Error::io(target, e.error))?;
    Ok(Ok(done))
}

/// Why streaming stopped: the network (try another mirror) or the disk
/// (give up).
enum Streamed {
    Network(String),
    Disk(io::Error),
}

/// Copies `reader` to `file`, hashing as it goes, and returns the byte
/// count and the hex SHA-256.
fn stream(
    reader: &mut impl Read,
    file: &mut fs::File,
    total: Option<u64>,
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<(u64, String), Streamed> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut done = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Streamed::Network(format!("reading the body: {e}"))),
        };
        hasher.update(&buffer[..n]);
        file.write_all(&buffer[..n]).map_err(Streamed::Disk)?;
        done += n as u64;
        progress(DownloadEvent::Progress { done, total });
    }
    Ok((done, hex(&hasher.finalize())))
}

/// A short lowercase reason for a failed request.
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::StatusCode(code) => format!("http status {code}"),
        ureq::Error::Io(e) => e.to_string().to_lowercase(),
        other => other.to_string().to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_lists_are_trimmed_and_end_in_a_slash() {
        let mirrors = parse_mirrors(" http://a/x , ,http://b/ ").unwrap();
        assert_eq!(mirrors, ["http://a/x/", "http://b/"]);
        assert_eq!(parse_mirrors(" , "), None);
    }

    #[test]
    fn digest_of_nothing() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(sha256_hex(b""), empty);
    }

    #[test]
    fn unreachable_mirror_is_an_attempt_not_an_error() {
        // Bind a port, then drop the listener: connecting is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let mirrors = vec![format!("http://127.0.0.1:{port}/")];
        let wanted = Wanted { file_name: "f.gz", sha256: "00" };
        let attempts = download_file(&mirrors, wanted, dir.path(), &mut |_| {}).unwrap();
        let attempts = attempts.unwrap_err();
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].url, format!("http://127.0.0.1:{port}/f.gz"));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
