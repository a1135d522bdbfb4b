//! `initlab compare` end to end through the binary, on the shared MNIST
//! files with small nets and few iterations.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shared MNIST folder beside the repository.
fn mnist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist")
}

fn initlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_initlab")).args(args).output().expect("the binary runs")
}

/// A short comparison on small nets writing into `out`.
fn short_run(out: &Path, extra: &[&str]) -> Output {
    let data = mnist();
    let mut args = vec!["-q", "compare", "--data", data.to_str().unwrap()];
    args.extend(["--iterations", "40", "--hidden-sizes", "20,20", "--print-every", "10"]);
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    initlab(&args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn short_run_writes_every_file_and_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let output = short_run(&out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    // stdout: the book's table, then the summary
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "i\tstd=0.01\tXavier\tHe");
    assert!(lines[1].starts_with("0\t2.30"), "{}", lines[1]);
    assert_eq!(lines[4].split('\t').next(), Some("30"));
    assert!(stdout.contains("test accuracy"), "{stdout}");

    // loss.csv: header, one row per iteration, finite losses
    let csv = std::fs::read_to_string(out.join("loss.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "iteration,std=0.01,Xavier,He");
    assert_eq!(rows.len(), 41);
    for row in &rows[1..] {
        let cells: Vec<f64> = row.split(',').map(|c| c.parse().unwrap()).collect();
        assert!(cells[1..].iter().all(|l| l.is_finite() && *l > 0.0), "{row}");
    }

    // summary.json and spec.toml parse; the figures are real files
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["arms"].as_array().unwrap().len(), 3);
    assert_eq!(summary["arms"][2]["name"], "He");
    let spec = std::fs::read_to_string(out.join("spec.toml")).unwrap();
    assert!(spec.contains("iterations = 40") && spec.contains("seed = 0"), "{spec}");
    let png = std::fs::read(out.join("loss.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let svg = std::fs::read_to_string(out.join("loss.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("Xavier"));
}

#[test]
fn same_spec_gives_identical_bytes_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    assert!(short_run(&first, &["--seeds", "2"]).status.success());

    // Repeat from the saved spec, on one thread.
    let again = dir.path().join("again");
    let spec = first.join("spec.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_initlab"))
        .args(["-q", "compare", "--config", spec.to_str().unwrap()])
        .args(["--out", again.to_str().unwrap()])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let a = std::fs::read(first.join("loss.csv")).unwrap();
    let b = std::fs::read(again.join("loss.csv")).unwrap();
    assert!(a == b, "loss.csv differs between runs of the same spec");
    let header = String::from_utf8(a).unwrap();
    assert!(header.starts_with("iteration,std=0.01 seed=0,std=0.01 seed=1,Xavier seed=0"));
}

#[test]
fn a_diverging_arm_is_reported_while_the_others_finish() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    // The Huge arm steps 1e30 times its gradient: its weights overflow f32.
    let spec = dir.path().join("spec.toml");
    let arms = "[[arm]]\nname = \"std=0.01\"\ninit = \"std=0.01\"\n\n[[arm]]\nname = \"Huge\"\n\
                init = \"he\"\noptimizer = { name = \"sgd\", lr = 1e30 }\n";
    std::fs::write(&spec, arms).unwrap();
    let output = short_run(&out, &["--config", spec.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("Huge (seed 0) diverged at iteration"), "{}", stderr(&output));

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let (small, huge) = (&summary["runs"][0], &summary["runs"][1]);
    assert!(small["diverged_at"].is_null() && small["final_loss"].is_f64());
    assert!(huge["diverged_at"].is_u64() && huge["final_loss"].is_null());
    let csv = std::fs::read_to_string(out.join("loss.csv")).unwrap();
    assert!(csv.lines().last().unwrap().ends_with(','), "diverged cells are empty");
}

/// Runs a compare that must fail before training, leaving nothing behind.
fn assert_fails(extra: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let output = short_run(&out, extra);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{extra:?}: {err}");
    for text in expected {
        assert!(err.contains(text), "{extra:?}: expected '{text}' in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "{extra:?} left {}", out.display());
}

#[test]
fn bad_input_fails_before_training() {
    assert_fails(&["--init", "kaiming-sideways"], &["kaiming-sideways", "xavier"]);
    assert_fails(&["--iterations", "0"], &["iterations", "found 0"]);
    assert_fails(&["--batch-size", "0"], &["batch_size", "found 0"]);
    assert_fails(&["--hidden-sizes", "20,0"], &["hidden size of layer", "found 0"]);
    assert_fails(
        &["--batch-size", "20000", "--sampling", "shuffled-epochs"],
        &["batch size", "20000", "10000"],
    );
    assert_fails(&["--learning-rate", "-1"], &["learning rate", "-1"]);
}

#[test]
fn missing_data_and_bad_spec_files_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let output =
        initlab(&["compare", "--data", empty.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("train-images-idx3-ubyte") && err.contains(empty.to_str().unwrap()),
        "{err}"
    );
    assert!(!out.exists());

    let spec = dir.path().join("bad.toml");
    std::fs::write(&spec, "[training]\nbatch_size = 128\nlearning_rate = 3\n").unwrap();
    let output = initlab(&["compare", "--config", spec.to_str().unwrap(), "--print-config"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bad.toml") && err.contains("line 3") && err.contains("learning_rate"),
        "{err}"
    );
}

#[test]
fn unwritable_output_folder_fails_before_training() {
    let output = short_run(Path::new("/proc/initlab-cannot-write"), &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("/proc/initlab-cannot-write"), "{err}");
    assert!(!err.contains("i\tstd=0.01"));
}

#[test]
fn print_config_shows_the_resolved_spec() {
    let output = initlab(&["compare", "--print-config", "--init", "A=he", "--seeds", "3"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("seeds = 3")
            && text.contains("name = \"A\"")
            && text.contains("init = \"he\"")
    );
}

#[test]
fn diagnostics_leave_the_loss_curve_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (on, off) = (dir.path().join("on"), dir.path().join("off"));
    let output = short_run(&on, &["--diagnose-every", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(short_run(&off, &["--diagnose-every", "0"]).status.success());
    let (a, b) =
        (std::fs::read(on.join("loss.csv")).unwrap(), std::fs::read(off.join("loss.csv")).unwrap());
    assert!(a == b, "diagnostics changed the loss curve");

    // Long format, one row per iteration, arm, layer and metric.
    let csv = std::fs::read_to_string(on.join("diagnostics.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("iteration,arm,seed,layer,metric,value"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().any(|r| r[1] == "He" && r[3] == "2" && r[4] == "dead_fraction"));
    assert!(rows.iter().any(|r| r[0] == "39" && r[3] == "0" && r[4] == "gradient_ratio"));
    assert!(rows.iter().all(|r| r[5].parse::<f64>().is_ok()));
    assert!(on.join("diagnostics.png").exists() && !off.join("diagnostics.csv").exists());
}

/// Regression: a reader that closes stdout early (`initlab compare | head`)
/// made the summary's write fail with "Broken pipe" and exit 1.
#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let mut child = Command::new(env!("CARGO_BIN_EXE_initlab"))
        .args(["-q", "compare", "--data", mnist().to_str().unwrap(), "--iterations", "20"])
        .args(["--hidden-sizes", "20", "--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the data is even loaded.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("Broken pipe"), "{}", stderr(&output));
    assert!(out.join("loss.csv").exists(), "the results are still written");
}
