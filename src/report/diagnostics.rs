//! The per-layer diagnostics of a comparison: `diagnostics.csv` in long
//! format and the figure `diagnostics.png` / `.svg`, one row of panels per
//! metric, one column per arm (its first seed), one line per layer.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::compare::csv_field;
use super::files::write_atomic;
use super::plot::{save, series_color, DrawResult, Figure, FONT};
use crate::experiment::compare::diagnostics::{Metric, Record};
use crate::experiment::compare::Outcome;
use crate::Error;

/// Pixels per panel.
const PANEL: (u32, u32) = (330, 190);

/// Writes `diagnostics.csv` and the figure into `dir`, if anything was
/// recorded, and returns the paths written.
///
/// # Errors
///
/// [`Error::Io`] or [`Error::Plot`] naming the file.
pub fn write_all(outcome: &Outcome, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if outcome.runs.iter().all(|run| run.diagnostics.is_empty()) {
        return Ok(Vec::new());
    }
    let csv_path = dir.join("diagnostics.csv");
    write_atomic(&csv_path, diagnostics_csv(outcome).as_bytes())?;
    let mut paths = vec![csv_path];
    paths.extend(save(&DiagnosticsFigure::new(outcome), dir, "diagnostics")?);
    Ok(paths)
}

/// `iteration,arm,seed,layer,metric,value`, one row per measurement;
/// layer 0 holds whole-net metrics.
pub fn diagnostics_csv(outcome: &Outcome) -> String {
    let mut text = String::from("iteration,arm,seed,layer,metric,value\n");
    for run in &outcome.runs {
        let arm = csv_field(&run.name);
        for r in &run.diagnostics {
            let line = format!(
                "{},{arm},{},{},{},{}\n",
                r.iteration,
                run.seed,
                r.layer,
                r.metric.name(),
                r.value
            );
            text.push_str(&line);
        }
    }
    text
}

/// The figure: for each drawn metric and arm, one series per layer.
pub struct DiagnosticsFigure {
    /// Arm names, in column order.
    arms: Vec<String>,
    /// Metrics that have data, in row order.
    metrics: Vec<Metric>,
    /// Per arm, the first seed's records.
    records: Vec<Vec<Record>>,
    /// Last iteration of the runs.
    iterations: usize,
}

impl DiagnosticsFigure {
    /// Collects the first seed of every arm.
    pub fn new(outcome: &Outcome) -> Self {
        let arms: Vec<String> = outcome.spec.arms.iter().map(|a| a.name.clone()).collect();
        let records: Vec<Vec<Record>> = (0..arms.len())
            .map(|arm| {
                outcome.runs_of(arm).next().map(|r| r.diagnostics.clone()).unwrap_or_default()
            })
            .collect();
        let metrics = Metric::ALL
            .into_iter()
            .filter(|m| records.iter().flatten().any(|r| r.metric == *m))
            .collect();
        DiagnosticsFigure { arms, metrics, records, iterations: outcome.spec.training.iterations }
    }
}

impl Figure for DiagnosticsFigure {
    fn size(&self) -> (u32, u32) {
        let (w, h) = PANEL;
        (w * self.arms.len().max(1) as u32 + 20, h * self.metrics.len().max(1) as u32 + 40)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let body = root.titled("per-layer diagnostics (first seed of each arm)", (FONT, 20))?;
        let panels = body.split_evenly((self.metrics.len().max(1), self.arms.len().max(1)));
        for (index, panel) in panels.iter().enumerate() {
            let metric = self.metrics[index / self.arms.len()];
            let arm = index % self.arms.len();
            self.draw_panel(panel, metric, arm)?;
        }
        Ok(())
    }
}

/// The series of one panel: per layer, `(iteration, value)`.
type Series = Vec<(usize, Vec<(f64, f64)>)>;

impl DiagnosticsFigure {
    /// Per layer, the points of `metric` for arm `arm`.
    fn series(&self, metric: Metric, arm: usize) -> Series {
        let mut series: Series = Vec::new();
        for r in self.records[arm].iter().filter(|r| r.metric == metric && r.value.is_finite()) {
            if metric.is_logarithmic() && r.value <= 0.0 {
                continue; // a log axis cannot show 0
            }
            let point = (r.iteration as f64, r.value);
            match series.iter_mut().find(|(layer, _)| *layer == r.layer) {
                Some((_, points)) => points.push(point),
                None => series.push((r.layer, vec![point])),
            }
        }
        series
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        metric: Metric,
        arm: usize,
    ) -> DrawResult<DB> {
        let series = self.series(metric, arm);
        let values = series.iter().flat_map(|(_, p)| p.iter().map(|&(_, v)| v));
        let (lo, hi) =
            values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let caption = format!("{} · {}", metric.name(), self.arms[arm]);
        let mut builder = ChartBuilder::on(area);
        builder.caption(caption, (FONT, 14)).margin(6).x_label_area_size(22).y_label_area_size(48);
        let x = 0.0..self.iterations.max(1) as f64;
        // The legend goes where every layer has a line.
        let legend = arm == 0 && metric == Metric::GradNorm;
        let x_label = |x: &f64| format!("{x:.0}");
        if metric.is_logarithmic() {
            // At least a decade either way, so the axis gets labels.
            let (lo, hi) = (lo.min(hi / 10.0), hi.max(lo * 10.0));
            let mut chart = builder.build_cartesian_2d(x, (lo * 0.8..hi * 1.25).log_scale())?;
            chart
                .configure_mesh()
                .label_style((FONT, 11))
                .light_line_style(WHITE.mix(0.0))
                .x_labels(5)
                .x_label_formatter(&x_label)
                .y_label_formatter(&|v| format!("{v:.0e}"))
                .draw()?;
            draw_lines(&mut chart, &series, legend)
        } else {
            let pad = ((hi - lo) * 0.1).max(1e-3 * hi.abs().max(1e-6));
            let mut chart = builder.build_cartesian_2d(x, lo - pad..hi + pad)?;
            chart
                .configure_mesh()
                .label_style((FONT, 11))
                .light_line_style(WHITE.mix(0.0))
                .x_labels(5)
                .y_labels(5)
                .x_label_formatter(&x_label)
                .y_label_formatter(&|v| format!("{v:.3}"))
                .draw()?;
            draw_lines(&mut chart, &series, legend)
        }
    }
}

/// One line per layer on `chart`, with a legend if asked.
fn draw_lines<'a, DB: DrawingBackend + 'a, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    series: &Series,
    legend: bool,
) -> DrawResult<DB>
where
    Y: Ranged<ValueType = f64>,
{
    for (layer, points) in series {
        let color = series_color(*layer);
        let label = if *layer == 0 { "net".to_string() } else { format!("layer {layer}") };
        chart
            .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    if legend {
        chart
            .configure_series_labels()
            .label_font((FONT, 11))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK.mix(0.3))
            .draw()?;
    }
    Ok(())
}
