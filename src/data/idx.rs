//! The IDX file format of MNIST and Fashion-MNIST, read and written.
//!
//! An IDX file is a big-endian header followed by the raw items:
//!
//! ```text
//! images: magic 2051 | count | rows | cols | pixels u8 [count·rows·cols]
//! labels: magic 2049 | count | labels u8 [count]
//! (magic, count, rows, cols: u32, big-endian; 2051 = 0x803, 2049 = 0x801)
//! ```
//!
//! The magic number is two zero bytes, a type code (0x08: unsigned bytes)
//! and the number of dimensions (3 for images, 1 for labels). Files are
//! usually gzipped; the reader tells a gzipped file from a raw one by its
//! first two bytes (the gzip magic `1f 8b`), never by its name.
//!
//! The reader checks everything a damaged or mistaken file can get wrong:
//! the magic number, the header length, non-zero image dimensions, that the
//! payload holds exactly the items the header announces, and that labels lie
//! below the class count. Every error names the file, what was expected and
//! what was found.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use flate2::bufread::GzDecoder;
use flate2::write::GzEncoder;

use crate::Error;

/// Magic number of an IDX file of `u8` images: type 0x08, 3 dimensions.
pub const IMAGES_MAGIC: u32 = 0x0000_0803;

/// Magic number of an IDX file of `u8` labels: type 0x08, 1 dimension.
pub const LABELS_MAGIC: u32 = 0x0000_0801;

/// The first two bytes of every gzip stream.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Bytes in an image file's header: magic, count, rows, cols.
const IMAGES_HEADER_LEN: usize = 16;

/// Bytes in a label file's header: magic, count.
const LABELS_HEADER_LEN: usize = 8;

/// Deflate expands a byte into at most 1032 (258-byte matches coded in 2
/// bits): a bound on the size a gzip trailer can honestly announce, so a
/// damaged trailer cannot make the reader reserve gigabytes.
const MAX_DEFLATE_RATIO: usize = 1032;

/// Images read from an IDX file: `count` images of `rows × cols` pixels,
/// stored row after row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxImages {
    /// Number of images.
    pub count: usize,
    /// Pixel rows per image (28 for MNIST).
    pub rows: usize,
    /// Pixel columns per image (28 for MNIST).
    pub cols: usize,
    /// `count · rows · cols` pixels, 0 (background) to 255 (ink), image
    /// after image, each image row by row.
    pub pixels: Vec<u8>,
}

/// Whether [`write_images`] and [`write_labels`] gzip what they write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// The bare IDX bytes.
    None,
    /// A gzip stream, as the published files are.
    Gzip,
}

/// Reads a file of IDX images, gzipped or not.
///
/// # Errors
///
/// [`Error::Io`] if the file cannot be read, [`Error::Format`] naming the
/// file if it is not a well-formed IDX image file (see [`parse_images`]).
pub fn read_images(path: &Path) -> Result<IdxImages, Error> {
    parse_images(path, read_decoded(path)?)
}

/// Reads a file of IDX labels, gzipped or not, and checks that each is
/// below `classes`.
///
/// # Errors
///
/// [`Error::Io`] if the file cannot be read, [`Error::Format`] naming the
/// file if it is not a well-formed IDX label file (see [`parse_labels`]).
pub fn read_labels(path: &Path, classes: usize) -> Result<Vec<u8>, Error> {
    parse_labels(path, read_decoded(path)?, classes)
}

/// Reads a file whole and gunzips it if it starts with the gzip magic.
///
/// # Errors
///
/// [`Error::Io`] if the file cannot be read, [`Error::Format`] if it looks
/// gzipped but its stream is corrupt or truncated.
pub fn read_decoded(path: &Path) -> Result<Vec<u8>, Error> {
    let raw = fs::read(path).map_err(|e| Error::io(path, e))?;
    decode(path, raw)
}

/// Gunzips `raw` if it starts with the gzip magic, else returns it as is.
/// `path` only names the source in errors.
///
/// # Errors
///
/// [`Error::Format`] if the gzip stream is corrupt or truncated.
pub fn decode(path: &Path, raw: Vec<u8>) -> Result<Vec<u8>, Error> {
    if !raw.starts_with(&GZIP_MAGIC) {
        return Ok(raw);
    }
    // The trailer's last four bytes hold the uncompressed size mod 2^32: a
    // hint that saves the buffer from growing step by step.
    let hint = raw.len().checked_sub(4).map_or(0, |at| {
        let trailer: [u8; 4] = raw[at..].try_into().expect("slice of length 4");
        u32::from_le_bytes(trailer) as usize
    });
    let mut bytes = Vec::with_capacity(hint.min(raw.len().saturating_mul(MAX_DEFLATE_RATIO)));
    GzDecoder::new(raw.as_slice()).read_to_end(&mut bytes).map_err(|e| Error::Format {
        path: path.to_path_buf(),
        expected: "a complete gzip stream".into(),
        found: format!("a damaged one ({e})"),
    })?;
    log::debug!("{}: gunzipped {} into {} bytes", path.display(), raw.len(), bytes.len());
    Ok(bytes)
}

/// Parses the bytes of an IDX image file (already gunzipped). `path` only
/// names the source in errors.
///
/// # Errors
///
/// [`Error::Format`] naming `path` for a short header, a magic number other
/// than [`IMAGES_MAGIC`], zero rows or columns, or a payload whose length is
/// not `count · rows · cols`.
pub fn parse_images(path: &Path, mut bytes: Vec<u8>) -> Result<IdxImages, Error> {
    let header = header(path, &bytes, IMAGES_MAGIC, IMAGES_HEADER_LEN)?;
    let [count, rows, cols] = [header[1], header[2], header[3]];
    if rows == 0 || cols == 0 {
        return Err(format_error(path, "images of at least 1×1 pixel", format!("{rows}×{cols}")));
    }
    let expected = count.checked_mul(rows).and_then(|n| n.checked_mul(cols));
    let found = bytes.len() - IMAGES_HEADER_LEN;
    if expected != Some(found) {
        let what = format!("{count} images of {rows}×{cols}");
        return Err(payload_error(path, expected, &what, found));
    }
    bytes.drain(..IMAGES_HEADER_LEN);
    Ok(IdxImages { count, rows, cols, pixels: bytes })
}

/// Parses the bytes of an IDX label file (already gunzipped) and checks
/// that every label is below `classes`. `path` only names the source in
/// errors.
///
/// # Errors
///
/// [`Error::Format`] naming `path` for a short header, a magic number other
/// than [`LABELS_MAGIC`], a payload whose length is not the count, or a
/// label ≥ `classes` (naming the first such label and its position).
pub fn parse_labels(path: &Path, mut bytes: Vec<u8>, classes: usize) -> Result<Vec<u8>, Error> {
    let header = header(path, &bytes, LABELS_MAGIC, LABELS_HEADER_LEN)?;
    let count = header[1];
    let found = bytes.len() - LABELS_HEADER_LEN;
    if count != found {
        return Err(payload_error(path, Some(count), &format!("{count} labels"), found));
    }
    bytes.drain(..LABELS_HEADER_LEN);
    if let Some(at) = bytes.iter().position(|&label| usize::from(label) >= classes) {
        let expected = format!("labels below {classes}");
        return Err(format_error(path, &expected, format!("{} at item {at}", bytes[at])));
    }
    Ok(bytes)
}

/// Checks the header's length and magic number and returns its big-endian
/// fields (magic first), as many as fit in `len` bytes.
fn header(path: &Path, bytes: &[u8], magic: u32, len: usize) -> Result<Vec<usize>, Error> {
    let kind = kind_of(magic);
    if bytes.len() < len {
        let found = match bytes.len() {
            0 => "an empty file".to_string(),
            n => format!("{n} bytes"),
        };
        return Err(format_error(path, &format!("an IDX {kind} header of {len} bytes"), found));
    }
    let fields: Vec<usize> = bytes[..len]
        .chunks_exact(4)
        .map(|field| u32::from_be_bytes(field.try_into().expect("chunk of 4")) as usize)
        .collect();
    if fields[0] != magic as usize {
        let found = match u32::try_from(fields[0]).map(kind_of) {
            Ok(other) if other != "unknown" => format!("{} ({other})", fields[0]),
            _ => fields[0].to_string(),
        };
        return Err(format_error(path, &format!("magic number {magic} ({kind})"), found));
    }
    Ok(fields)
}

/// What a magic number announces, for error messages.
fn kind_of(magic: u32) -> &'static str {
    match magic {
        IMAGES_MAGIC => "images",
        LABELS_MAGIC => "labels",
        _ => "unknown",
    }
}

/// The error for a payload that does not hold what the header announces.
fn payload_error(path: &Path, expected: Option<usize>, what: &str, found: usize) -> Error {
    let expected = match expected {
        Some(n) => format!("{n} bytes after the header ({what})"),
        None => format!("a header whose size fits in memory ({what})"),
    };
    format_error(path, &expected, format!("{found} bytes"))
}

/// Builds an [`Error::Format`].
fn format_error(path: &Path, expected: &str, found: String) -> Error {
    Error::Format { path: path.to_path_buf(), expected: expected.to_string(), found }
}

/// Encodes images as IDX bytes: header then pixels.
///
/// # Panics
///
/// If `pixels.len()` is not `count · rows · cols` for some count, or a
/// dimension exceeds `u32::MAX`: both are bugs in the caller.
pub fn encode_images(rows: usize, cols: usize, pixels: &[u8]) -> Vec<u8> {
    let size = rows * cols;
    assert!(
        size > 0 && pixels.len().is_multiple_of(size),
        "encode_images: {} pixels",
        pixels.len()
    );
    let count = pixels.len() / size;
    let mut bytes = Vec::with_capacity(IMAGES_HEADER_LEN + pixels.len());
    for field in [IMAGES_MAGIC as usize, count, rows, cols] {
        let field = u32::try_from(field).expect("IDX dimensions fit in u32");
        bytes.extend_from_slice(&field.to_be_bytes());
    }
    bytes.extend_from_slice(pixels);
    bytes
}

/// Encodes labels as IDX bytes: header then labels.
///
/// # Panics
///
/// If there are more than `u32::MAX` labels.
pub fn encode_labels(labels: &[u8]) -> Vec<u8> {
    let count = u32::try_from(labels.len()).expect("IDX counts fit in u32");
    let mut bytes = Vec::with_capacity(LABELS_HEADER_LEN + labels.len());
    bytes.extend_from_slice(&LABELS_MAGIC.to_be_bytes());
    bytes.extend_from_slice(&count.to_be_bytes());
    bytes.extend_from_slice(labels);
    bytes
}

/// Gzips `bytes` at the default level.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

/// Writes images to an IDX file, atomically.
///
/// # Errors
///
/// [`Error::Io`] naming `path`.
///
/// # Panics
///
/// As [`encode_images`].
pub fn write_images(
    path: &Path,
    rows: usize,
    cols: usize,
    pixels: &[u8],
    compression: Compression,
) -> Result<(), Error> {
    write(path, encode_images(rows, cols, pixels), compression)
}

/// Writes labels to an IDX file, atomically.
///
/// # Errors
///
/// [`Error::Io`] naming `path`.
pub fn write_labels(path: &Path, labels: &[u8], compression: Compression) -> Result<(), Error> {
    write(path, encode_labels(labels), compression)
}

/// Writes IDX bytes, gzipped if asked.
fn write(path: &Path, bytes: Vec<u8>, compression: Compression) -> Result<(), Error> {
    let bytes = match compression {
        Compression::None => bytes,
        Compression::Gzip => gzip(&bytes),
    };
    crate::report::files::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn name() -> &'static Path {
        Path::new("x-idx3-ubyte")
    }

    fn message(result: Result<impl std::fmt::Debug, Error>) -> String {
        result.expect_err("should fail").to_string()
    }

    #[test]
    fn reads_what_it_writes_raw_and_gzipped() {
        let dir = tempfile::tempdir().unwrap();
        let pixels: Vec<u8> = (0..24).collect();
        for compression in [Compression::None, Compression::Gzip] {
            let path = dir.path().join(format!("{compression:?}"));
            write_images(&path, 3, 4, &pixels, compression).unwrap();
            let images = read_images(&path).unwrap();
            assert_eq!((images.count, images.rows, images.cols), (2, 3, 4));
            assert_eq!(images.pixels, pixels);
        }
    }

    #[test]
    fn gzip_is_detected_by_content_not_name() {
        let dir = tempfile::tempdir().unwrap();
        let raw_named_gz = dir.path().join("labels.gz");
        let gz_named_raw = dir.path().join("labels");
        write_labels(&raw_named_gz, &[1, 2], Compression::None).unwrap();
        write_labels(&gz_named_raw, &[3], Compression::Gzip).unwrap();
        assert_eq!(read_labels(&raw_named_gz, 10).unwrap(), [1, 2]);
        assert_eq!(read_labels(&gz_named_raw, 10).unwrap(), [3]);
    }

    #[test]
    fn empty_file() {
        let err = message(parse_images(name(), Vec::new()));
        assert_eq!(
            err,
            "x-idx3-ubyte: expected an IDX images header of 16 bytes, found an empty file"
        );
    }

    #[test]
    fn truncated_header() {
        let mut bytes = encode_images(2, 2, &[0; 4]);
        bytes.truncate(9);
        let err = message(parse_images(name(), bytes));
        assert!(err.ends_with("expected an IDX images header of 16 bytes, found 9 bytes"), "{err}");
    }

    #[test]
    fn truncated_payload() {
        let mut bytes = encode_images(2, 2, &[0; 8]);
        bytes.pop();
        let err = message(parse_images(name(), bytes));
        assert!(err.ends_with("expected 8 bytes after the header (2 images of 2×2), found 7 bytes"));
    }

    #[test]
    fn wrong_magic_names_both_kinds() {
        let err = message(parse_images(name(), encode_labels(&[1; 20])));
        assert!(err.ends_with("expected magic number 2051 (images), found 2049 (labels)"), "{err}");
        let err = message(parse_labels(name(), vec![0xff; 8], 10));
        assert!(err.ends_with("expected magic number 2049 (labels), found 4294967295"), "{err}");
    }

    #[test]
    fn zero_sized_images() {
        let mut bytes = encode_images(1, 1, &[]);
        bytes[11] = 0;
        let err = message(parse_images(name(), bytes));
        assert!(err.ends_with("expected images of at least 1×1 pixel, found 0×1"), "{err}");
    }

    #[test]
    fn header_counts_that_overflow() {
        let mut bytes = encode_images(1, 1, &[]);
        bytes[4..16].fill(0xff);
        let err = message(parse_images(name(), bytes));
        assert!(err.contains("found 0 bytes"), "{err}");
    }

    #[test]
    fn label_out_of_range_names_value_and_position() {
        let err = message(parse_labels(name(), encode_labels(&[0, 9, 10, 3]), 10));
        assert!(err.ends_with("expected labels below 10, found 10 at item 2"), "{err}");
    }

    #[test]
    fn corrupt_gzip_stream() {
        let mut bytes = gzip(&encode_labels(&[1; 100]));
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        let err = message(decode(name(), bytes));
        assert!(err.starts_with("x-idx3-ubyte: expected a complete gzip stream, found"), "{err}");
    }

    #[test]
    fn truncated_gzip_stream() {
        let mut bytes = gzip(&encode_labels(&[1; 100]));
        bytes.truncate(bytes.len() - 6);
        assert!(message(decode(name(), bytes)).contains("expected a complete gzip stream"));
    }

    proptest! {
        #[test]
        fn round_trip(
            rows in 1usize..6, cols in 1usize..6, count in 0usize..5,
            seed in any::<u64>(), gz in any::<bool>(),
        ) {
            let pixels: Vec<u8> = (0..rows * cols * count)
                .map(|i| (seed.wrapping_mul(i as u64 + 1) >> 13) as u8)
                .collect();
            let labels: Vec<u8> = pixels.iter().take(count).map(|p| p % 10).collect();
            let wrap = |b: Vec<u8>| if gz { gzip(&b) } else { b };
            let images = parse_images(name(), decode(name(), wrap(encode_images(rows, cols, &pixels)))?)?;
            prop_assert_eq!((images.count, images.rows, images.cols), (count, rows, cols));
            prop_assert_eq!(images.pixels, pixels);
            let back = parse_labels(name(), decode(name(), wrap(encode_labels(&labels)))?, 10)?;
            prop_assert_eq!(back, labels);
        }
    }
}
