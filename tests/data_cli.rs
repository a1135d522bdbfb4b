//! `initlab data` end to end: the binary run on the shared MNIST, Debian's
//! Fashion-MNIST and a server on 127.0.0.1. Environment variables are set
//! only on the child process, so these tests cannot race each other.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

/// `initlab data <args>` with a private, empty cache folder and no
/// `INITLAB_DATA`; downloads go to `mirror` (a refused port by default).
fn initlab(cache: &Path, mirror: Option<&str>, args: &[&str]) -> Output {
    let refused = common::refused();
    Command::new(env!("CARGO_BIN_EXE_initlab"))
        .arg("data")
        .args(args)
        .env_remove("INITLAB_DATA")
        .env("HOME", cache)
        .env("XDG_CACHE_HOME", cache)
        .env("INITLAB_MIRROR", mirror.unwrap_or(&refused))
        .output()
        .expect("run initlab")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn info_on_shared_mnist_table() {
    let cache = tempfile::tempdir().unwrap();
    let dir = common::shared_mnist();
    let output = initlab(cache.path(), None, &["info", "--data", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("train    10000  28×28"), "{text}");
    assert!(text.contains("test     10000  28×28"), "{text}");
    assert!(text.contains("0                 1001     980"), "class histogram:\n{text}");
    let line = |name: &str| text.lines().find(|l| l.starts_with(name)).unwrap().to_string();
    assert!(line("t10k-images").ends_with("matches the published mnist file"), "{text}");
    assert!(line("t10k-labels").ends_with("matches the published mnist file"), "{text}");
    assert!(line("train-images").ends_with("subset/unknown, not a published file"), "{text}");
    assert!(line("train-labels").ends_with("subset/unknown, not a published file"), "{text}");
}

#[test]
fn info_on_shared_mnist_json() {
    let cache = tempfile::tempdir().unwrap();
    let dir = common::shared_mnist();
    let output =
        initlab(cache.path(), None, &["info", "mnist", "--data", dir.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["dataset"], "mnist");
    assert_eq!(json["train"]["count"], 10_000);
    assert_eq!(json["test"]["count"], 10_000);
    assert_eq!(
        (json["test"]["rows"].as_u64(), json["test"]["cols"].as_u64()),
        (Some(28), Some(28))
    );
    assert_eq!(json["test"]["class_counts"][0], 980);
    let mean = json["test"]["pixel_mean"].as_f64().unwrap();
    assert!((mean - 0.1325).abs() < 1e-3, "{mean}");
    let verdicts: Vec<&str> =
        json["files"].as_array().unwrap().iter().map(|f| f["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts, ["not-published", "not-published", "published", "published"]);
    assert_eq!(
        json["files"][2]["sha256"],
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
    );
}

#[test]
fn info_finds_debian_fashion_mnist_without_flags() {
    let Some(_) = common::debian_fashion() else { return };
    let cache = tempfile::tempdir().unwrap();
    let output = initlab(cache.path(), None, &["info", "fashion-mnist", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["origin"], "system");
    assert_eq!(
        (json["train"]["count"].as_u64(), json["test"]["count"].as_u64()),
        (Some(60_000), Some(10_000))
    );
    for file in json["files"].as_array().unwrap() {
        assert_eq!(file["verdict"], "same-content", "{file}");
        assert_eq!(file["dataset"], "fashion-mnist", "{file}");
    }
    assert!(
        stderr(&output).contains("found /usr/share/datasets/fashion-mnist"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn info_without_data_anywhere_explains_where_it_looked() {
    let cache = tempfile::tempdir().unwrap();
    let refused = format!("{}/", common::refused());
    let output = initlab(cache.path(), Some(&refused), &["info", "mnist"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("initlab: error: mnist not found and could not be downloaded"), "{err}");
    assert!(err.contains(&format!("{refused}train-images-idx3-ubyte.gz: ")), "{err}");
    assert!(err.contains("--data DIR") && err.contains("INITLAB_DATA"), "{err}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn info_on_a_folder_missing_a_file() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::shared_mnist().join("t10k-labels-idx1-ubyte.gz"),
        dir.path().join("t10k-labels-idx1-ubyte.gz"),
    )
    .unwrap();
    let output = initlab(cache.path(), None, &["info", "--data", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains(&dir.path().display().to_string()), "{err}");
    assert!(
        err.contains(
            "lacks train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz"
        ),
        "{err}"
    );
}

#[test]
fn info_uses_the_data_env_folder() {
    let cache = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let mnist = root.path().join("mnist");
    std::fs::create_dir(&mnist).unwrap();
    for entry in std::fs::read_dir(common::shared_mnist()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), mnist.join(entry.file_name())).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_initlab"))
        .args(["data", "info", "mnist", "--json"])
        .env("INITLAB_DATA", root.path())
        .env("HOME", cache.path())
        .env("XDG_CACHE_HOME", cache.path())
        .env("INITLAB_MIRROR", common::refused())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["origin"], "data-env");
    assert_eq!(json["train"]["count"], 10_000);
}

#[test]
fn unknown_dataset_is_a_usage_error_listing_names() {
    let cache = tempfile::tempdir().unwrap();
    let output = initlab(cache.path(), None, &["info", "cifar"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("accepted: mnist, fashion-mnist"), "{}", stderr(&output));
}

#[test]
fn fetch_downloads_verifies_and_reports() {
    // The published Fashion-MNIST files, rebuilt from Debian's copy, served
    // from 127.0.0.1 behind a first mirror that refuses connections.
    let Some(debian) = common::debian_fashion() else { return };
    let files: HashMap<String, Vec<u8>> =
        ["train-images", "train-labels", "t10k-images", "t10k-labels"]
            .iter()
            .map(|stem| {
                let kind = if stem.ends_with("images") { "idx3" } else { "idx1" };
                let name = format!("{stem}-{kind}-ubyte.gz");
                (format!("/fashion/{name}"), common::published_fashion_file(&debian, &name))
            })
            .collect();
    let mirrors = format!("{}/,{}/fashion", common::refused(), common::serve(files));
    let cache = tempfile::tempdir().unwrap();
    let output = initlab(cache.path(), Some(&mirrors), &["fetch", "fashion-mnist"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let dir = cache.path().join("initlab/fashion-mnist");
    assert!(
        stdout(&output).contains("60000 training and 10000 test images"),
        "{}",
        stdout(&output)
    );
    assert_eq!(common::listing(&dir).len(), 4, "{:?}", common::listing(&dir));

    // Now the cache has it: info finds it there, every file as published.
    let output = initlab(cache.path(), None, &["info", "fashion-mnist", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["origin"], "cache");
    assert!(json["files"].as_array().unwrap().iter().all(|f| f["verdict"] == "published"));
}

#[test]
fn fetch_rejects_files_that_are_not_the_published_ones() {
    // The shared training files are a subset: their digests cannot match.
    let files: HashMap<String, Vec<u8>> = std::fs::read_dir(common::shared_mnist())
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (format!("/{}", e.file_name().to_string_lossy()), std::fs::read(e.path()).unwrap())
        })
        .collect();
    let base = format!("{}/", common::serve(files));
    let cache = tempfile::tempdir().unwrap();
    let output = initlab(cache.path(), Some(&base), &["fetch", "mnist"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains(&format!("{base}train-images-idx3-ubyte.gz: sha-256 mismatch")), "{err}");
    assert!(common::listing(&cache.path().join("initlab/mnist")).is_empty());
}
