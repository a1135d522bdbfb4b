//! Atomic file writes and output folders.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::Error;

/// Permissions of written files on Unix: read for all, write for the owner.
#[cfg(unix)]
const RESULT_MODE: u32 = 0o644;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder
/// is written, flushed and renamed over `path`.
///
/// # Errors
///
/// [`Error::Io`] naming `path` if the folder is not writable or the disk is
/// full; no partial file is left behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".initlab-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // The temporary file is private (0600); results are for everyone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let readable = fs::Permissions::from_mode(RESULT_MODE);
        tmp.as_file().set_permissions(readable).map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    log::debug!("wrote {}", path.display());
    Ok(())
}

/// Creates `dir` (and its parents) and checks that it can be written, so a
/// run fails before training rather than after.
///
/// # Errors
///
/// [`Error::Io`] naming `dir`.
pub fn prepare_output_dir(dir: &Path) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    tempfile::Builder::new()
        .prefix(".initlab-check-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| Error::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn unwritable_folder_is_an_error_naming_it() {
        let err = write_atomic(Path::new("/proc/initlab/x.csv"), b"x").unwrap_err();
        assert!(err.to_string().contains("/proc/initlab/x.csv"), "{err}");
    }
}
