//! Judging a file against the published ones by its SHA-256 digests.
//!
//! A file is first compared with the published `.gz` files' digests; if
//! none matches and a candidate dataset records the digest of its content,
//! the gunzipped bytes are hashed and compared with that. The verdict says
//! which matched, if any. Only the caller decides whether a mismatch is an
//! error: it is for the cache and system folders, not for a user's folder.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::data::download;
use crate::data::idx;
use crate::data::known::{FileRole, KnownDataset};
use crate::Error;

/// How a file compares with the published files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", content = "dataset", rename_all = "kebab-case")]
pub enum Verdict {
    /// Byte for byte the published `.gz` file of this dataset.
    Published(KnownDataset),
    /// The published data, gunzipped or gzipped again.
    SameContent(KnownDataset),
    /// No known digest matches: a subset, another dataset, or a damaged copy.
    NotPublished,
}

impl Verdict {
    /// One line for a table.
    pub fn describe(self) -> String {
        match self {
            Verdict::Published(d) => format!("matches the published {d} file"),
            Verdict::SameContent(d) => format!("same data as the published {d} file, repacked"),
            Verdict::NotPublished => "subset/unknown, not a published file".to_string(),
        }
    }
}

/// One file as read: where, its size, its SHA-256 and the verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileCheck {
    /// Which of the four files.
    pub role: FileRole,
    /// Where it was read from.
    pub path: PathBuf,
    /// Size on disk in bytes.
    pub size: u64,
    /// SHA-256 of the file as stored, lowercase hex.
    pub sha256: String,
    /// How it compares with the published files.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Reads a file, gunzips it if needed and judges its digest against the
/// candidates' (`dataset`, or every known dataset).
pub(crate) fn read_checked(
    path: &Path,
    role: FileRole,
    dataset: Option<KnownDataset>,
) -> Result<(Vec<u8>, FileCheck), Error> {
    let raw = fs::read(path).map_err(|e| Error::io(path, e))?;
    let size = raw.len() as u64;
    let sha256 = download::sha256_hex(&raw);
    let candidates: Vec<KnownDataset> = dataset.map_or(KnownDataset::ALL.to_vec(), |d| vec![d]);
    let published = candidates.iter().copied().find(|d| d.file(role).sha256 == sha256);
    let bytes = idx::decode(path, raw)?;
    let verdict = match published {
        Some(d) => Verdict::Published(d),
        None => content_verdict(&bytes, role, &candidates),
    };
    log::debug!("{}: sha-256 {sha256}, {}", path.display(), verdict.describe());
    Ok((bytes, FileCheck { role, path: path.to_path_buf(), size, sha256, verdict }))
}

/// Compares gunzipped bytes with the candidates' content digests, hashing
/// only if some candidate has one.
fn content_verdict(bytes: &[u8], role: FileRole, candidates: &[KnownDataset]) -> Verdict {
    let known: Vec<(KnownDataset, &str)> =
        candidates.iter().filter_map(|&d| d.file(role).content_sha256.map(|s| (d, s))).collect();
    if known.is_empty() {
        return Verdict::NotPublished;
    }
    let content = download::sha256_hex(bytes);
    known
        .iter()
        .find(|(_, s)| *s == content)
        .map_or(Verdict::NotPublished, |&(d, _)| Verdict::SameContent(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_in_json() {
        let json = serde_json::to_string(&Verdict::SameContent(KnownDataset::Mnist)).unwrap();
        assert_eq!(json, r#"{"verdict":"same-content","dataset":"mnist"}"#);
        let json = serde_json::to_string(&Verdict::NotPublished).unwrap();
        assert_eq!(json, r#"{"verdict":"not-published"}"#);
    }

    #[test]
    fn gunzipped_published_file_has_the_same_content() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist");
        let gz = shared.join(FileRole::TestLabels.file_name());
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join(FileRole::TestLabels.raw_file_name());
        fs::write(&raw, idx::read_decoded(&gz).unwrap()).unwrap();
        let (_, check) = read_checked(&raw, FileRole::TestLabels, None).unwrap();
        assert_eq!(check.verdict, Verdict::SameContent(KnownDataset::Mnist));
        let (_, check) = read_checked(&gz, FileRole::TestLabels, None).unwrap();
        assert_eq!(check.verdict, Verdict::Published(KnownDataset::Mnist));
    }
}
