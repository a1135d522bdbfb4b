//! The data layer against real files: loading the shared MNIST and Debian's
//! Fashion-MNIST, malformed folders, and downloads from a server on
//! 127.0.0.1.

mod common;

use std::collections::HashMap;
use std::path::Path;

use initlab::data::download::{self, Wanted};
use initlab::data::idx::{self, Compression};
use initlab::data::resolve::{fetch_into, load_dir};
use initlab::data::{
    load_with, DataSource, DownloadEvent, FileRole, KnownDataset, Locations, Origin, Verdict,
};
use initlab::Error;

const T10K: [FileRole; 2] = [FileRole::TestImages, FileRole::TestLabels];

/// Writes a tiny dataset (2×2 images) under the standard names, gzipped.
fn tiny_dataset(dir: &Path, train_count: usize, test_count: usize) {
    for (count, role_images, role_labels) in [
        (train_count, FileRole::TrainImages, FileRole::TrainLabels),
        (test_count, FileRole::TestImages, FileRole::TestLabels),
    ] {
        let pixels: Vec<u8> = (0..count * 4).map(|i| (i * 37) as u8).collect();
        let labels: Vec<u8> = (0..count).map(|i| (i % 10) as u8).collect();
        let images_path = dir.join(role_images.file_name());
        idx::write_images(&images_path, 2, 2, &pixels, Compression::Gzip).unwrap();
        idx::write_labels(&dir.join(role_labels.file_name()), &labels, Compression::Gzip).unwrap();
    }
}

/// Locations that look nowhere and download from `mirrors` into `cache`.
fn offline(cache: &Path, mirrors: Vec<String>) -> Locations {
    Locations {
        data_root: None,
        cache_root: Some(cache.to_path_buf()),
        system_dirs: false,
        mirrors: Some(mirrors),
        download: true,
    }
}

/// A server with the shared t10k files under `/mnist/`.
fn t10k_server(flip_labels_byte: bool) -> String {
    let mut files = HashMap::new();
    for role in T10K {
        let mut bytes = common::mnist_file(role.file_name());
        if flip_labels_byte && role == FileRole::TestLabels {
            bytes[100] ^= 0x01;
        }
        files.insert(format!("/mnist/{}", role.file_name()), bytes);
    }
    format!("{}/mnist/", common::serve(files))
}

#[test]
fn shared_mnist_loads_10000_and_10000_with_t10k_digests_matching() {
    let splits =
        load_with(&DataSource::Dir(common::shared_mnist()), &Locations::default(), &mut |_| {
            unreachable!("no download for a folder")
        })
        .unwrap();
    assert_eq!((splits.train.len(), splits.test.len()), (10_000, 10_000));
    assert_eq!((splits.train.rows(), splits.train.cols(), splits.train.classes()), (28, 28, 10));
    assert_eq!(splits.origin, Origin::Dir);
    let verdicts: Vec<Verdict> = splits.files.iter().map(|f| f.verdict).collect();
    let published = Verdict::Published(KnownDataset::Mnist);
    assert_eq!(verdicts, [Verdict::NotPublished, Verdict::NotPublished, published, published]);
    // The published test set has 980 zeros and 1009 nines.
    assert_eq!(splits.test.class_counts()[0], 980);
    assert_eq!(splits.test.class_counts()[9], 1009);
}

#[test]
fn debian_fashion_mnist_is_found_and_verified() {
    let Some(_) = common::debian_fashion() else { return };
    let cache = tempfile::tempdir().unwrap();
    let mut locations = offline(cache.path(), vec![common::refused()]);
    locations.system_dirs = true;
    let splits =
        load_with(&DataSource::Known(KnownDataset::FashionMnist), &locations, &mut |_| {}).unwrap();
    assert_eq!((splits.train.len(), splits.test.len()), (60_000, 10_000));
    assert_eq!(splits.origin, Origin::System);
    let same = Verdict::SameContent(KnownDataset::FashionMnist);
    assert!(splits.files.iter().all(|f| f.verdict == same), "{:?}", splits.files);
    assert_eq!(splits.train.class_counts(), [6000; 10]);
}

#[test]
fn folder_missing_a_file_names_folder_and_file() {
    let dir = tempfile::tempdir().unwrap();
    tiny_dataset(dir.path(), 3, 2);
    std::fs::remove_file(dir.path().join("t10k-labels-idx1-ubyte.gz")).unwrap();
    let err = load_dir(dir.path(), Origin::Dir, None).unwrap_err();
    assert!(matches!(err, Error::DataNotFound { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&dir.path().display().to_string()), "{message}");
    assert!(message.contains("lacks t10k-labels-idx1-ubyte.gz"), "{message}");
    assert!(message.contains("--data"), "{message}");
}

#[test]
fn raw_files_without_gz_are_found_too() {
    let dir = tempfile::tempdir().unwrap();
    tiny_dataset(dir.path(), 3, 2);
    let gz = dir.path().join("train-images-idx3-ubyte.gz");
    let raw = idx::read_decoded(&gz).unwrap();
    std::fs::write(dir.path().join("train-images-idx3-ubyte"), raw).unwrap();
    std::fs::remove_file(gz).unwrap();
    let splits = load_dir(dir.path(), Origin::Dir, None).unwrap();
    assert_eq!((splits.train.len(), splits.test.len()), (3, 2));
    assert_eq!(splits.train.image_size(), 4);
}

#[test]
fn image_and_label_counts_must_agree() {
    let dir = tempfile::tempdir().unwrap();
    tiny_dataset(dir.path(), 3, 2);
    let labels = dir.path().join("train-labels-idx1-ubyte.gz");
    idx::write_labels(&labels, &[1, 2], Compression::Gzip).unwrap();
    let err = load_dir(dir.path(), Origin::Dir, None).unwrap_err().to_string();
    assert!(
        err.ends_with(
            "train-labels-idx1-ubyte.gz: expected 3 labels, one per image in \
             train-images-idx3-ubyte.gz, found 2 labels"
        ),
        "{err}"
    );
}

#[test]
fn label_of_10_is_rejected_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    tiny_dataset(dir.path(), 3, 2);
    let labels = dir.path().join("t10k-labels-idx1-ubyte.gz");
    idx::write_labels(&labels, &[1, 10], Compression::None).unwrap();
    let err = load_dir(dir.path(), Origin::Dir, None).unwrap_err().to_string();
    assert!(
        err.ends_with("t10k-labels-idx1-ubyte.gz: expected labels below 10, found 10 at item 1")
    );
}

#[test]
fn splits_of_different_image_sizes_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    tiny_dataset(dir.path(), 3, 2);
    let images = dir.path().join("t10k-images-idx3-ubyte.gz");
    idx::write_images(&images, 1, 4, &[0; 8], Compression::Gzip).unwrap();
    let err = load_dir(dir.path(), Origin::Dir, None).unwrap_err().to_string();
    assert!(err.ends_with("expected images of 2×2 like the training images, found 1×4"), "{err}");
}

#[test]
fn corrupt_gzip_in_a_folder_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    tiny_dataset(dir.path(), 50, 2);
    let images = dir.path().join("train-images-idx3-ubyte.gz");
    let mut bytes = std::fs::read(&images).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&images, bytes).unwrap();
    let err = load_dir(dir.path(), Origin::Dir, None).unwrap_err().to_string();
    assert!(err.contains("train-images-idx3-ubyte.gz: expected a complete gzip stream"), "{err}");
}

#[test]
fn data_env_folder_is_used_as_found() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("mnist")).unwrap();
    tiny_dataset(&root.path().join("mnist"), 3, 2);
    let locations =
        Locations { data_root: Some(root.path().to_path_buf()), ..Locations::default() };
    let splits =
        load_with(&DataSource::Known(KnownDataset::Mnist), &locations, &mut |_| {}).unwrap();
    assert_eq!(splits.origin, Origin::DataEnv);
    assert!(splits.files.iter().all(|f| f.verdict == Verdict::NotPublished));
}

#[test]
fn cached_copy_with_wrong_digests_is_refused_with_a_hint() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("mnist");
    std::fs::create_dir(&dir).unwrap();
    for role in FileRole::ALL {
        std::fs::copy(common::shared_mnist().join(role.file_name()), dir.join(role.file_name()))
            .unwrap();
    }
    let locations = offline(cache.path(), vec![common::refused()]);
    let err = load_with(&DataSource::Known(KnownDataset::Mnist), &locations, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("train-images-idx3-ubyte.gz: expected the published mnist file"), "{err}");
    assert!(err.contains("initlab data fetch mnist"), "{err}");
}

#[test]
fn download_streams_verifies_and_renames() {
    let base = t10k_server(false);
    let dir = tempfile::tempdir().unwrap();
    let mut events = Vec::new();
    let result =
        fetch_into(KnownDataset::Mnist, &T10K, dir.path(), std::slice::from_ref(&base), &mut |e| {
            events.push(e)
        });
    result.unwrap().unwrap();
    assert_eq!(
        common::listing(dir.path()),
        ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    );
    for role in T10K {
        let bytes = std::fs::read(dir.path().join(role.file_name())).unwrap();
        assert_eq!(download::sha256_hex(&bytes), KnownDataset::Mnist.file(role).sha256);
    }
    let url = format!("{base}t10k-labels-idx1-ubyte.gz");
    assert!(events.contains(&DownloadEvent::Finished { url, bytes: 4542 }), "{events:?}");
    let last_progress = events.iter().rev().find_map(|e| match e {
        DownloadEvent::Progress { done, total } => Some((*done, *total)),
        _ => None,
    });
    assert_eq!(last_progress, Some((4542, Some(4542))));
}

#[test]
fn flipped_byte_is_rejected_and_leaves_nothing_behind() {
    let base = t10k_server(true);
    let dir = tempfile::tempdir().unwrap();
    let known = KnownDataset::Mnist.file(FileRole::TestLabels);
    let wanted = Wanted { file_name: FileRole::TestLabels.file_name(), sha256: known.sha256 };
    let attempts =
        download::download_file(std::slice::from_ref(&base), wanted, dir.path(), &mut |_| {})
            .unwrap()
            .unwrap_err();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].url, format!("{base}t10k-labels-idx1-ubyte.gz"));
    assert!(attempts[0].reason.starts_with("sha-256 mismatch: expected f7ae60f9"), "{attempts:?}");
    assert!(common::listing(dir.path()).is_empty(), "{:?}", common::listing(dir.path()));
}

#[test]
fn refused_mirror_falls_through_to_the_next() {
    let (refused, good) = (format!("{}/", common::refused()), t10k_server(false));
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let result =
        fetch_into(KnownDataset::Mnist, &T10K, dir.path(), &[refused.clone(), good], &mut |e| {
            if let DownloadEvent::Failed { url, .. } = e {
                failures.push(url);
            }
        });
    result.unwrap().unwrap();
    assert_eq!(failures.len(), 2, "each file tries the refused mirror first: {failures:?}");
    assert!(failures.iter().all(|url| url.starts_with(&refused)));
    assert_eq!(common::listing(dir.path()).len(), 2);
}

#[test]
fn already_fetched_files_are_not_downloaded_again() {
    let dir = tempfile::tempdir().unwrap();
    for role in T10K {
        std::fs::copy(
            common::shared_mnist().join(role.file_name()),
            dir.path().join(role.file_name()),
        )
        .unwrap();
    }
    let mirrors = [common::refused()];
    let result = fetch_into(KnownDataset::Mnist, &T10K, dir.path(), &mirrors, &mut |e| {
        panic!("no download expected, got {e:?}")
    });
    result.unwrap().unwrap();
}

#[test]
fn nothing_anywhere_gives_one_error_naming_every_try() {
    let cache = tempfile::tempdir().unwrap();
    let refused = format!("{}/", common::refused());
    let empty = format!("{}/", common::serve(HashMap::new()));
    let locations = offline(cache.path(), vec![refused.clone(), empty.clone()]);
    let err =
        load_with(&DataSource::Known(KnownDataset::Mnist), &locations, &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::DataNotFound { .. }), "{err:?}");
    let message = err.to_string();
    for needle in [
        "mnist not found and could not be downloaded",
        "$INITLAB_DATA: not set",
        &format!("{}: no such folder", cache.path().join("mnist").display()),
        &format!("{refused}train-images-idx3-ubyte.gz: "),
        &format!("{empty}train-images-idx3-ubyte.gz: http status 404"),
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz",
        "--data DIR",
        "INITLAB_DATA to a folder",
    ] {
        assert!(message.contains(needle), "missing '{needle}' in:\n{message}");
    }
    assert!(common::listing(&cache.path().join("mnist")).is_empty());
}
