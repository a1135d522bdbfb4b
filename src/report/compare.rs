//! The files of a comparison: `loss.csv`, `summary.json` and the loss
//! figure `loss.png` / `loss.svg`.
//!
//! The figure draws each arm's loss smoothed as the book does (an 11-point
//! Kaiser window, see [`super::smooth`]), with a marker every 100
//! iterations and y from 0 to 2.5. With several seeds it draws the mean of
//! the smoothed curves and a band from their minimum to their maximum. A
//! diverged run is drawn up to the iteration before it diverged.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Serialize;

use super::files::write_atomic;
use super::plot::{save, series_color, DrawResult, Figure, FONT};
use super::smooth::smooth;
use crate::experiment::compare::diagnostics::{findings, Finding};
use crate::experiment::compare::stats::Paired;
use crate::experiment::compare::{ArmSummary, Outcome};
use crate::Error;

/// Iterations between two markers on a curve, as in the book's figure.
const MARK_EVERY: usize = 100;

/// Top of the loss axis, as in the book's figure.
const Y_MAX: f64 = 2.5;

/// Writes `loss.csv`, `summary.json`, `loss.png` and `loss.svg` into `dir`
/// and returns their paths.
///
/// # Errors
///
/// [`Error::Io`] or [`Error::Plot`] naming the file.
pub fn write_all(outcome: &Outcome, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let csv_path = dir.join("loss.csv");
    write_atomic(&csv_path, loss_csv(outcome).as_bytes())?;
    let json_path = dir.join("summary.json");
    write_atomic(&json_path, summary_json(outcome).as_bytes())?;
    let mut paths = vec![csv_path, json_path];
    paths.extend(save(&LossFigure::new(outcome), dir, "loss")?);
    Ok(paths)
}

/// Column name of a run: the arm's name, plus the seed when there are
/// several.
pub fn column_name(outcome: &Outcome, name: &str, seed: u64) -> String {
    if outcome.spec.training.seeds > 1 {
        format!("{name} seed={seed}")
    } else {
        name.to_string()
    }
}

/// `iteration` then one column per run (arm-major); cells past a run's
/// divergence are empty. Values are written in the shortest form that
/// reads back to the same f64, so equal runs give equal bytes.
pub fn loss_csv(outcome: &Outcome) -> String {
    let mut text = String::from("iteration");
    for run in &outcome.runs {
        text.push(',');
        text.push_str(&csv_field(&column_name(outcome, &run.name, run.seed)));
    }
    text.push('\n');
    for i in 0..outcome.spec.training.iterations {
        text.push_str(&i.to_string());
        for run in &outcome.runs {
            text.push(',');
            if let Some(loss) = run.losses.get(i) {
                text.push_str(&loss.to_string());
            }
        }
        text.push('\n');
    }
    text
}

/// Quotes a CSV field when it holds a comma, quote or newline.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The JSON summary: data, per-arm statistics and per-run results.
pub fn summary_json(outcome: &Outcome) -> String {
    #[derive(Serialize)]
    struct Run<'a> {
        arm: &'a str,
        seed: u64,
        final_loss: Option<f64>,
        test_accuracy: Option<f64>,
        diverged_at: Option<usize>,
        iteration_below_target: Option<usize>,
        wall_ms: f64,
        findings: Vec<Finding>,
    }
    #[derive(Serialize)]
    struct Summary<'a> {
        dataset: &'a str,
        train_size: usize,
        test_size: usize,
        training_ms: f64,
        workers: usize,
        target_loss: f64,
        arms: Vec<ArmSummary>,
        pairwise_final_loss: Vec<Paired>,
        pairwise_target_iteration: Vec<Paired>,
        runs: Vec<Run<'a>>,
    }
    let runs = outcome
        .runs
        .iter()
        .map(|r| Run {
            arm: &r.name,
            seed: r.seed,
            final_loss: r.final_loss(),
            test_accuracy: r.test_accuracy,
            diverged_at: r.diverged_at,
            iteration_below_target: r.iteration_below(outcome.spec.analysis.target_loss),
            wall_ms: r.wall_ms,
            findings: findings(&r.diagnostics),
        })
        .collect();
    let summary = Summary {
        dataset: &outcome.dataset,
        train_size: outcome.train_size,
        test_size: outcome.test_size,
        training_ms: outcome.training_ms,
        workers: outcome.workers,
        target_loss: outcome.spec.analysis.target_loss,
        arms: outcome.summary(),
        pairwise_final_loss: outcome.pairwise_final_loss(),
        pairwise_target_iteration: outcome.pairwise_target_iteration(),
        runs,
    };
    serde_json::to_string_pretty(&summary).expect("summaries hold only plain data") + "\n"
}

/// One arm's curve: the mean of its seeds' smoothed losses and, with
/// several seeds, their range.
struct Curve {
    name: String,
    /// `(iteration, mean, min, max)` while at least one seed is finite.
    points: Vec<(f64, f64, f64, f64)>,
    seeds: usize,
}

/// The loss figure of a comparison.
pub struct LossFigure {
    title: String,
    iterations: usize,
    curves: Vec<Curve>,
}

impl LossFigure {
    /// Builds the curves of every arm from the outcome.
    pub fn new(outcome: &Outcome) -> Self {
        let spec = &outcome.spec;
        let sizes: Vec<String> = outcome.sizes.iter().map(|s| s.to_string()).collect();
        let title = format!(
            "{}: {} {}, {}, batch {}",
            outcome.dataset,
            sizes.join("-"),
            spec.model.activation,
            spec.training.optimizer,
            spec.training.batch_size
        );
        let curves = (0..spec.arms.len())
            .map(|arm| {
                let smoothed: Vec<Vec<f64>> =
                    outcome.runs_of(arm).map(|r| smooth(&r.losses)).collect();
                Curve {
                    name: spec.arms[arm].name.clone(),
                    points: band(&smoothed),
                    seeds: smoothed.len(),
                }
            })
            .collect();
        LossFigure { title, iterations: spec.training.iterations, curves }
    }
}

/// Mean, min and max across series at each index where any has a value.
fn band(series: &[Vec<f64>]) -> Vec<(f64, f64, f64, f64)> {
    let longest = series.iter().map(Vec::len).max().unwrap_or(0);
    (0..longest)
        .map(|i| {
            let values: Vec<f64> = series.iter().filter_map(|s| s.get(i).copied()).collect();
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (i as f64, mean, min, max)
        })
        .collect()
}

impl Figure for LossFigure {
    fn size(&self) -> (u32, u32) {
        (900, 600)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let x_max = self.iterations.max(2) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, 20))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(0.0..x_max, 0.0..Y_MAX)?;
        chart
            .configure_mesh()
            .x_desc("iterations")
            .y_desc("loss (nats)")
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 17))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.1}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;

        for (index, curve) in self.curves.iter().enumerate() {
            let color = series_color(index);
            let clip = |v: f64| v.clamp(0.0, Y_MAX);
            if curve.seeds > 1 {
                let upper = curve.points.iter().map(|p| (p.0, clip(p.3)));
                let lower = curve.points.iter().rev().map(|p| (p.0, clip(p.2)));
                chart.draw_series(std::iter::once(Polygon::new(
                    upper.chain(lower).collect::<Vec<_>>(),
                    color.mix(0.2).filled(),
                )))?;
            }
            let line: Vec<(f64, f64)> = curve.points.iter().map(|p| (p.0, clip(p.1))).collect();
            let label = match curve.seeds {
                1 => curve.name.clone(),
                n => format!("{} (mean of {n} seeds, band min-max)", curve.name),
            };
            chart
                .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (24, 0)], color.stroke_width(2))
                        + Polygon::new(marker_shape_at(index, 12), color.filled())
                });
            let marks = line.into_iter().step_by(MARK_EVERY);
            chart.draw_series(marks.map(|at| {
                EmptyElement::at(at) + Polygon::new(marker_shape(index), color.filled())
            }))?;
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 16))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .position(SeriesLabelPosition::UpperRight)
            .draw()?;
        Ok(())
    }
}

/// Marker size in pixels.
const MARKER: i32 = 5;

/// [`marker_shape`] moved `dx` pixels to the right.
fn marker_shape_at(index: usize, dx: i32) -> Vec<(i32, i32)> {
    marker_shape(index).into_iter().map(|(x, y)| (x + dx, y)).collect()
}

/// The vertices, in pixels around the marked point, of the `index`-th
/// marker shape: circle, square, triangle, diamond. Every shape is a
/// polygon, so that markers of all arms have one element type.
fn marker_shape(index: usize) -> Vec<(i32, i32)> {
    let r = MARKER as f64;
    match index % 4 {
        0 => (0..12)
            .map(|k| {
                let angle = std::f64::consts::TAU * k as f64 / 12.0;
                ((r * angle.cos()).round() as i32, (r * angle.sin()).round() as i32)
            })
            .collect(),
        1 => vec![(-MARKER, -MARKER), (MARKER, -MARKER), (MARKER, MARKER), (-MARKER, MARKER)],
        2 => vec![(0, -MARKER - 1), (MARKER + 1, MARKER), (-MARKER - 1, MARKER)],
        _ => vec![(0, -MARKER - 1), (MARKER + 1, 0), (0, MARKER + 1), (-MARKER - 1, 0)],
    }
}
