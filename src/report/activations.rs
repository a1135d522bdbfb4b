//! Reports of the activations experiment: a text table per configuration,
//! the statistics as CSV, and the grid of histograms as a figure.
//!
//! The figure has one row per configuration and one column per layer, as
//! the book's figures 6-10 to 6-14 do. Bars are the measured counts; the
//! black step line is the count the mean-field theory predicts per bin
//! (its fraction of the layer's values, [`crate::theory::output_fractions`],
//! times their number). Each panel states the measured std and the
//! predicted one. A row shares its y axis; for activations that can die
//! (ReLU) the bin holding the exact zeros is left out of that scale, cut at
//! the top and labelled with its percentage, so that the rest stays
//! visible.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{series_color, DrawResult, Figure, FONT};
use crate::experiment::activations::{ConfigOutcome, HistogramRange, LayerOutcome, Outcome};
use crate::theory::bin_index;
use crate::{Error, Result};

/// Header of `stats.csv`.
pub const CSV_HEADER: [&str; 13] = [
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
    "out_of_range",
];

/// The statistics of every configuration and layer as CSV, one row per
/// layer; `config` counts from 1 in the spec's order, fractions are in
/// [0, 1].
///
/// # Errors
///
/// [`Error::Invalid`] if the CSV writer fails (it writes to memory, so it
/// does not in practice).
pub fn stats_csv(outcome: &Outcome) -> Result<Vec<u8>> {
    let csv_err = |e: csv::Error| Error::invalid("stats.csv", "a writable CSV record", e);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER).map_err(csv_err)?;
    for (index, config) in outcome.configs.iter().enumerate() {
        for layer in &config.layers {
            let t = &layer.theory;
            let numbers = [layer.mean, layer.std, t.std, t.mean, t.q, t.chi];
            let fractions = [layer.saturated, layer.zero, layer.out_of_range()];
            let mut record = vec![
                (index + 1).to_string(),
                config.config.init.to_string(),
                config.config.activation.to_string(),
                layer.layer.to_string(),
            ];
            record.extend(numbers.iter().chain(&fractions).map(f64::to_string));
            writer.write_record(&record).map_err(csv_err)?;
        }
    }
    writer.into_inner().map_err(|e| csv_err(e.into_error().into()))
}

/// One configuration's statistics as an aligned text table, title first.
///
/// Percentages are of the layer's `samples · units` values; `saturated %`
/// shows `-` for activations that do not saturate.
pub fn table(config: &ConfigOutcome) -> String {
    let mut text = format!("{}\n", config.config.title());
    text.push_str(&format!(
        "{:>5} {:>9} {:>9} {:>9} {:>9} {:>11} {:>7} {:>14}\n",
        "layer", "mean", "std", "pred std", "pred mean", "saturated %", "zero %", "out of range %"
    ));
    let saturates = config.config.activation.saturates();
    for layer in &config.layers {
        let saturated =
            if saturates { format!("{:.1}", 100.0 * layer.saturated) } else { "-".to_string() };
        text.push_str(&format!(
            "{:>5} {:>9} {:>9} {:>9} {:>9} {:>11} {:>7.1} {:>14.1}\n",
            layer.layer,
            cell(layer.mean, true),
            cell(layer.std, false),
            cell(layer.theory.std, false),
            cell(layer.theory.mean, true),
            saturated,
            100.0 * layer.zero,
            100.0 * layer.out_of_range(),
        ));
    }
    text
}

/// A note for a configuration whose values fell outside a fixed histogram
/// range, or `None` if all were inside or the range was fitted (`auto`
/// leaves out only values that are not finite; see
/// [`non_finite_warning`]).
pub fn range_note(config: &ConfigOutcome, range: HistogramRange) -> Option<String> {
    if range == HistogramRange::Auto {
        return None;
    }
    let n = config.layers.len().max(1) as f64;
    let below = config.layers.iter().map(|l| l.below).sum::<f64>() / n;
    let above = config.layers.iter().map(|l| l.above).sum::<f64>() / n;
    if below + above == 0.0 {
        return None;
    }
    let [lo, hi] = config.range;
    Some(format!(
        "note: {}: {:.1}% of the values fell outside the histogram range [{lo}, {hi}] \
         ({:.1}% below {lo}, {:.1}% above {hi}) and are not in its histograms; \
         --range auto fits the range to the data",
        config.config.title(),
        100.0 * (below + above),
        100.0 * below,
        100.0 * above,
    ))
}

/// Means below this print as 0: the quadrature's rounding noise for a mean
/// that is exactly 0 (tanh).
const TABLE_ZERO: f64 = 1e-12;
/// Magnitudes from this on print in scientific notation.
const TABLE_LARGE: f64 = 1e5;
/// A std below this prints in scientific notation.
const TABLE_SMALL: f64 = 1e-3;

/// A warning for a configuration whose values overflowed f32 (a stack that
/// diverges), or `None` if every value is finite.
pub fn non_finite_warning(config: &ConfigOutcome) -> Option<String> {
    let first = config.layers.iter().find(|layer| layer.non_finite > 0.0)?;
    Some(format!(
        "{}: {:.1}% of layer {}'s values are not finite (the activations overflowed \
         f32) and so are the statistics that include them",
        config.config.title(),
        100.0 * first.non_finite,
        first.layer
    ))
}

/// Width of one histogram panel, in pixels.
const PANEL_WIDTH: u32 = 260;
/// Height of one histogram panel, caption and x tick labels included.
const PANEL_HEIGHT: u32 = 220;
/// Extra width of the first column, for the y tick labels and description.
const Y_LABELS_WIDTH: u32 = 80;
/// Height of the figure's title and legend.
const HEADER_HEIGHT: u32 = 80;
/// Height of each row's title.
const ROW_TITLE_HEIGHT: u32 = 34;
/// Height of the x axis description under the last row.
const FOOTER_HEIGHT: u32 = 40;
/// Empty margin at the right.
const RIGHT_MARGIN: u32 = 16;
/// The y axis reaches this multiple of the tallest bar, leaving room for
/// each panel's text.
const HEADROOM: f64 = 1.45;
/// Opacity of the bars, so grid lines show through a little.
const BAR_OPACITY: f64 = 0.75;
/// Width of the theory's step line, in pixels.
const THEORY_LINE_WIDTH: u32 = 2;
/// Color of the legend under the title.
const LEGEND_COLOR: RGBColor = RGBColor(60, 60, 60);
/// Color of the grid lines.
const GRID_COLOR: RGBColor = RGBColor(225, 225, 225);
/// Font sizes, in pixels.
const TITLE_FONT: u32 = 26;
const ROW_TITLE_FONT: u32 = 21;
const CAPTION_FONT: u32 = 17;
const LABEL_FONT: u32 = 14;
const DESC_FONT: u32 = 17;
const NOTE_FONT: u32 = 14;

/// The grid of histograms of an [`Outcome`].
pub struct HistogramGrid<'a> {
    outcome: &'a Outcome,
}

impl<'a> HistogramGrid<'a> {
    /// A figure of `outcome`.
    pub fn new(outcome: &'a Outcome) -> Self {
        HistogramGrid { outcome }
    }

    fn columns(&self) -> u32 {
        self.outcome.spec.layers as u32
    }

    /// Draws the title, the legend and the x axis description.
    fn draw_frame<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let spec = &self.outcome.spec;
        let (width, height) = root.dim_in_pixel();
        let center = Pos::new(HPos::Center, VPos::Top);
        let title = format!(
            "Activation histograms: {} samples of N(0, 1) input, {} layers of {} units{}",
            spec.samples,
            spec.layers,
            spec.units,
            if spec.bias { ", with bias" } else { "" }
        );
        let mid = width as i32 / 2;
        root.draw(&Text::new(
            title,
            (mid, 12),
            (FONT, TITLE_FONT).into_font().into_text_style(root).pos(center),
        ))?;
        let legend = "bars: measured counts per bin    black line: counts predicted by \
                      mean-field theory    text: measured std (theory)";
        let style = (FONT, NOTE_FONT).into_font().color(&LEGEND_COLOR).pos(center);
        root.draw(&Text::new(legend, (mid, 48), style.clone()))?;
        let footer = "layer output value z = φ(a)";
        let y = height as i32 - FOOTER_HEIGHT as i32 + 10;
        root.draw(&Text::new(footer, (mid, y), text_style(DESC_FONT, center)))?;
        Ok(())
    }

    /// Draws one configuration's row: its title, then one panel per layer.
    fn draw_row<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        index: usize,
        config: &ConfigOutcome,
    ) -> DrawResult<DB> {
        let (title_area, panels) = area.split_vertically(ROW_TITLE_HEIGHT);
        let style = text_style(ROW_TITLE_FONT, Pos::new(HPos::Left, VPos::Center));
        let title = format!("{}.  {}", index + 1, config.config.title());
        title_area.draw(&Text::new(title, (12, ROW_TITLE_HEIGHT as i32 / 2), style))?;

        let (first, rest) = panels.split_horizontally(Y_LABELS_WIDTH + PANEL_WIDTH);
        let mut areas = vec![first];
        if config.layers.len() > 1 {
            areas.extend(rest.split_evenly((1, config.layers.len() - 1)));
        }
        let y_max = row_y_max(config);
        for (column, (area, layer)) in areas.iter().zip(&config.layers).enumerate() {
            let panel =
                Panel { config, layer, color: series_color(index), y_max, first: column == 0 };
            panel.draw(area)?;
        }
        Ok(())
    }
}

impl Figure for HistogramGrid<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.outcome.configs.len() as u32;
        let width = Y_LABELS_WIDTH + self.columns() * PANEL_WIDTH + RIGHT_MARGIN;
        let height = HEADER_HEIGHT + rows * (ROW_TITLE_HEIGHT + PANEL_HEIGHT) + FOOTER_HEIGHT;
        (width, height)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        self.draw_frame(root)?;
        let (_, body) = root.split_vertically(HEADER_HEIGHT);
        let (width, _) = root.dim_in_pixel();
        let body_height = body.dim_in_pixel().1;
        let body = body.shrink((0, 0), (width - RIGHT_MARGIN, body_height - FOOTER_HEIGHT));
        let rows = body.split_evenly((self.outcome.configs.len(), 1));
        for (index, (area, config)) in rows.iter().zip(&self.outcome.configs).enumerate() {
            self.draw_row(area, index, config)?;
        }
        Ok(())
    }
}

/// The bin that holds the exact zeros of an activation that can die, if 0
/// is in the range: left out of the row's scale.
fn zero_bin(config: &ConfigOutcome) -> Option<usize> {
    if !config.config.activation.can_die() {
        return None;
    }
    let [lo, hi] = config.range;
    bin_index(0.0, lo, hi, config.layers.first()?.counts.len())
}

/// The top of a row's y axis: the tallest measured or predicted count over
/// its panels (but the zero bin), with headroom.
fn row_y_max(config: &ConfigOutcome) -> f64 {
    let skip = zero_bin(config);
    let tallest = config
        .layers
        .iter()
        .flat_map(|layer| {
            let n = layer.values as f64;
            let counts = layer.counts.iter().map(|&c| c as f64);
            counts.zip(layer.predicted.iter().map(move |f| f * n)).enumerate()
        })
        .filter(|(bin, _)| Some(*bin) != skip)
        .map(|(_, (measured, predicted))| measured.max(predicted))
        .fold(0.0, f64::max);
    (tallest * HEADROOM).max(1.0)
}

/// One histogram panel: a layer of a configuration.
struct Panel<'a> {
    config: &'a ConfigOutcome,
    layer: &'a LayerOutcome,
    color: RGBColor,
    y_max: f64,
    first: bool,
}

/// The coordinates of a panel: value on x, count on y.
type PanelChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

impl Panel<'_> {
    /// Draws axes, bars, the theory's line and the notes on `area`.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let [lo, hi] = self.config.range;
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{}-layer", self.layer.layer), (FONT, CAPTION_FONT))
            .margin_right(8)
            .margin_left(4)
            .x_label_area_size(30)
            .y_label_area_size(if self.first { Y_LABELS_WIDTH } else { 0 })
            .build_cartesian_2d(lo..hi, 0.0..self.y_max)?;
        self.draw_axes(&mut chart)?;
        self.draw_counts(&mut chart)?;
        self.draw_notes(&chart.plotting_area().strip_coord_spec())
    }

    /// Grid and tick labels; the y axis and its description only in the
    /// first column, since a row shares it.
    fn draw_axes<DB: DrawingBackend>(&self, chart: &mut PanelChart<'_, DB>) -> DrawResult<DB> {
        let x_format = |x: &f64| format_tick(*x);
        let y_format = |y: &f64| format_count(*y);
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(5)
            .y_labels(5)
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .label_style((FONT, LABEL_FONT))
            .axis_desc_style((FONT, DESC_FONT))
            .light_line_style(WHITE)
            .bold_line_style(GRID_COLOR);
        if self.first {
            mesh.y_desc("count");
        } else {
            mesh.disable_y_axis();
        }
        mesh.draw()
    }

    /// The measured counts as bars and the predicted ones as a step line,
    /// both cut at the top of the axis.
    fn draw_counts<DB: DrawingBackend>(&self, chart: &mut PanelChart<'_, DB>) -> DrawResult<DB> {
        let [lo, hi] = self.config.range;
        let width = (hi - lo) / self.layer.counts.len() as f64;
        let clip = |count: f64| count.min(self.y_max);
        let style = self.color.mix(BAR_OPACITY).filled();
        let bars = self.layer.counts.iter().enumerate().map(|(bin, &count)| {
            let left = lo + bin as f64 * width;
            Rectangle::new([(left, 0.0), (left + width, clip(count as f64))], style)
        });
        chart.draw_series(bars)?;
        let n = self.layer.values as f64;
        let steps = self.layer.predicted.iter().enumerate().flat_map(|(bin, f)| {
            let left = lo + bin as f64 * width;
            [(left, clip(f * n)), (left + width, clip(f * n))]
        });
        chart.draw_series(LineSeries::new(steps, BLACK.stroke_width(THEORY_LINE_WIDTH)))?;
        Ok(())
    }

    /// The measured and predicted std, and the zero and out-of-range
    /// fractions when they matter, at the top right of the plot.
    fn draw_notes<DB: DrawingBackend>(&self, plot: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let mut lines = vec![format!(
            "std {} ({})",
            format_stat(self.layer.std),
            format_stat(self.layer.theory.std)
        )];
        if zero_bin(self.config).is_some() && self.layer.zero > 0.0 {
            lines.push(format!("zeros {:.0}%, bar cut", 100.0 * self.layer.zero));
        }
        if self.layer.out_of_range() > 0.0 {
            lines.push(format!("{:.0}% out of range", 100.0 * self.layer.out_of_range()));
        }
        let (width, _) = plot.dim_in_pixel();
        let style = text_style(NOTE_FONT, Pos::new(HPos::Right, VPos::Top));
        for (row, line) in lines.into_iter().enumerate() {
            let y = 4 + row as i32 * (NOTE_FONT as i32 + 3);
            plot.draw(&Text::new(line, (width as i32 - 4, y), style.clone()))?;
        }
        Ok(())
    }
}

/// The embedded font at `size` pixels, anchored at `pos`.
fn text_style(size: u32, pos: Pos) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).pos(pos)
}

/// A table cell: four decimals, or three significant digits in scientific
/// notation for magnitudes of 1e5 and more (a diverging stack) or below
/// 1e-3 (a collapsing one). With `small_as_zero`, a magnitude below
/// [`TABLE_ZERO`] prints as 0, so that a quadrature's 1e-17 for a mean of
/// exactly 0 does not show as -1.00e-17.
fn cell(x: f64, small_as_zero: bool) -> String {
    let magnitude = x.abs();
    if small_as_zero && magnitude < TABLE_ZERO {
        format!("{:.4}", 0.0)
    } else if magnitude >= TABLE_LARGE || (magnitude < TABLE_SMALL && x != 0.0) {
        format!("{x:.2e}")
    } else {
        format!("{x:.4}")
    }
}

/// A tick label with at most two decimals and no trailing zeros.
fn format_tick(x: f64) -> String {
    let text = format!("{x:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// A count on the y axis: `12k` above a thousand.
fn format_count(y: f64) -> String {
    if y >= 1000.0 {
        format!("{}k", format_tick(y / 1000.0))
    } else {
        format!("{y:.0}")
    }
}

/// A statistic with three significant digits.
fn format_stat(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.01 {
        format!("{x:.2e}")
    } else if x.abs() < 0.1 {
        format!("{x:.4}")
    } else if x.abs() < 10.0 {
        format!("{x:.3}")
    } else {
        format!("{x:.3e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::activations::{run, Spec};

    fn small() -> Outcome {
        run(&Spec { samples: 50, ..Spec::default() }).unwrap()
    }

    #[test]
    fn csv_has_a_row_per_layer() {
        let outcome = small();
        let bytes = stats_csv(&outcome).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
        let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 4 * 5);
        let last: Vec<&str> = rows[19].iter().take(4).collect();
        assert_eq!(last, ["4", "he", "relu", "5"]);
    }

    #[test]
    fn table_and_notes() {
        let outcome = small();
        let text = table(&outcome.configs[0]);
        assert!(text.starts_with("init std=1, sigmoid\n") && text.lines().count() == 7, "{text}");
        assert!(table(&outcome.configs[3]).lines().nth(2).unwrap().contains(" - "));
        let fixed = outcome.spec.range;
        assert!(range_note(&outcome.configs[0], fixed).is_none());
        assert!(range_note(&outcome.configs[3], HistogramRange::Auto).is_none());
        assert!(non_finite_warning(&outcome.configs[3]).is_none());
        let note = range_note(&outcome.configs[3], fixed).unwrap();
        assert!(note.contains("above 1") && note.contains("--range auto"), "{note}");
    }

    #[test]
    fn cells_switch_to_scientific_at_the_extremes() {
        assert_eq!(cell(0.45892, false), "0.4589");
        assert_eq!(cell(-1e-17, true), "0.0000");
        assert_eq!(cell(1.8e-5, false), "1.80e-5");
        assert_eq!(cell(7.87e73, false), "7.87e73");
        assert_eq!(cell(0.0, false), "0.0000");
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(format_tick(0.5), "0.5");
        assert_eq!(format_tick(1.0), "1");
        assert_eq!(format_tick(-0.0001), "0");
        assert_eq!(format_count(12500.0), "12.5k");
        assert_eq!(format_count(750.0), "750");
        assert_eq!(format_stat(0.01234), "0.0123");
        assert_eq!(format_stat(0.001234), "1.23e-3");
    }

    #[test]
    fn figure_renders() {
        let outcome = small();
        let dir = tempfile::tempdir().unwrap();
        let files =
            super::super::plot::save(&HistogramGrid::new(&outcome), dir.path(), "a").unwrap();
        assert_eq!(files.len(), 2);
        assert!(std::fs::read(&files[0]).unwrap().starts_with(b"\x89PNG"));
    }
}
