//! End-to-end runs of `initlab activations`: the tables, the JSON, the
//! files written by `--out`, and the errors for bad flags.

use std::process::{Command, Output};

/// Runs the binary with `args` and returns its output.
fn initlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_initlab"))
        .arg("activations")
        .args(args)
        .output()
        .expect("the initlab binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

#[test]
fn default_run_prints_the_books_four_tables() {
    let output = initlab(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for title in
        ["init std=1, sigmoid", "init std=0.01, sigmoid", "init xavier, sigmoid", "init he, relu"]
    {
        assert!(text.lines().any(|line| line == title), "no table titled {title}:\n{text}");
    }
    let headers = text.lines().filter(|line| line.trim_start().starts_with("layer")).count();
    assert_eq!(headers, 4, "{text}");
    // Each table has five layers.
    let rows = text.lines().filter(|line| line.trim_start().starts_with("5 ")).count();
    assert_eq!(rows, 4, "{text}");
    // ReLU's values above 1 are outside the book's range: a note says so.
    assert!(text.contains("note: init he, relu") && text.contains("--range auto"), "{text}");
}

#[test]
fn json_parses_and_holds_everything() {
    let output = initlab(&["--json", "--samples", "200"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["spec"]["samples"], 200);
    let configs = json["configs"].as_array().expect("configs");
    assert_eq!(configs.len(), 4);
    for config in configs {
        let layers = config["layers"].as_array().expect("layers");
        assert_eq!(layers.len(), 5);
        assert_eq!(layers[0]["counts"].as_array().expect("counts").len(), 30);
        for key in ["q", "chi", "mean", "std"] {
            assert!(layers[4]["theory"][key].is_f64(), "theory.{key} in {config}");
        }
    }
}

#[test]
fn out_writes_png_svg_and_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report");
    let out_arg = out.to_str().expect("UTF-8 path");
    let output = initlab(&["--samples", "200", "--out", out_arg, "--config", "xavier:tanh"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("wrote"), "{}", stderr(&output));

    let png = std::fs::read(out.join("activations.png")).expect("png written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000);
    let svg = std::fs::read_to_string(out.join("activations.svg")).expect("svg written");
    assert!(svg.contains("<svg") && svg.contains("1-layer"));

    let mut csv = csv::Reader::from_path(out.join("stats.csv")).expect("csv written");
    let header: Vec<String> = csv.headers().expect("header").iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "config",
            "init",
            "activation",
            "layer",
            "mean",
            "std",
            "predicted_std",
            "predicted_mean",
            "q",
            "chi",
            "saturated",
            "zero",
            "out_of_range"
        ]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[0][2], "tanh");
    let q: f64 = rows[0][8].parse().expect("q is a number");
    assert!((q - 1.0).abs() < 1e-12, "q_1 = 100 · (1/100) · 1, found {q}");
}

#[test]
fn bad_flags_fail_naming_the_flag_and_value() {
    let cases: [(&[&str], &[&str]); 10] = [
        (&["--config", "kaiming-sideways:relu"], &["--config", "kaiming-sideways"]),
        (&["--config", "he:swish"], &["--config", "swish"]),
        (&["--config", "he"], &["--config", "INIT:ACTIVATION"]),
        (&["--layers", "0"], &["--layers 0"]),
        (&["--units", "0"], &["--units 0"]),
        (&["--samples", "0"], &["--samples 0"]),
        (&["--bins", "0"], &["--bins 0"]),
        (&["--range", "1,0"], &["--range 1,0", "LO < HI"]),
        (&["--range", "0,0"], &["--range 0,0", "LO < HI"]),
        (&["--range", "zero,one"], &["--range", "zero,one"]),
    ];
    for (args, needles) in cases {
        let output = initlab(args);
        let err = stderr(&output);
        assert!(!output.status.success(), "{args:?} succeeded");
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
        for needle in needles {
            assert!(err.contains(needle), "{args:?}: no '{needle}' in: {err}");
        }
    }
}

#[test]
fn bias_std_needs_a_finite_value() {
    let output = initlab(&["--bias-std", "-1"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--bias-std -1"), "{}", stderr(&output));
    let output = initlab(&["--bias-std", "0.5", "--samples", "100", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
}
