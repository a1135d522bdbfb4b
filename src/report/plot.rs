//! Figures as PNG and SVG, with an embedded font.
//!
//! Plotting never depends on the system's fonts: Noto Sans Regular is
//! compiled into the binary and registered as plotters' "sans-serif" family
//! before the first figure is drawn. A [`Figure`] draws itself on any
//! plotters backend; [`save`] renders it twice (bitmap and vector) and
//! writes both files atomically.

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use super::files::write_atomic;
use crate::Error;

/// The font family every figure uses; registered from embedded bytes.
pub const FONT: &str = "sans-serif";

/// Registers the embedded font once per process.
fn register_embedded_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Only fails if the bytes are not a font, which they are.
        if register_font(FONT, FontStyle::Normal, ttf_noto_sans::REGULAR).is_err() {
            log::warn!("the embedded font could not be registered; text may be missing");
        }
    });
}

/// The result type of drawing on backend `DB`.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Something that can draw itself on a plotters drawing area.
pub trait Figure {
    /// Width and height in pixels (SVG units for the vector file).
    fn size(&self) -> (u32, u32);

    /// Draws the whole figure on `root`.
    ///
    /// # Errors
    ///
    /// Whatever the backend reports.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Writes `<dir>/<stem>.png` and `<dir>/<stem>.svg` atomically and returns
/// their paths.
///
/// # Errors
///
/// [`Error::Plot`] if drawing fails, [`Error::Io`] if a file cannot be
/// written.
pub fn save(figure: &impl Figure, dir: &Path, stem: &str) -> Result<Vec<PathBuf>, Error> {
    register_embedded_font();
    let (width, height) = figure.size();
    let png_path = dir.join(format!("{stem}.png"));
    let svg_path = dir.join(format!("{stem}.svg"));
    let plot_err = |path: &Path, e: &dyn std::fmt::Display| Error::Plot {
        path: path.to_path_buf(),
        message: e.to_string(),
    };

    // Bitmap: draw into memory, encode as PNG, write atomically.
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        figure.draw(&root).map_err(|e| plot_err(&png_path, &e))?;
        root.present().map_err(|e| plot_err(&png_path, &e))?;
    }
    let png = encode_png(&pixels, width, height).map_err(|e| plot_err(&png_path, &e))?;
    write_atomic(&png_path, &png)?;

    // Vector: the same drawing into a string.
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        figure.draw(&root).map_err(|e| plot_err(&svg_path, &e))?;
        root.present().map_err(|e| plot_err(&svg_path, &e))?;
    }
    write_atomic(&svg_path, svg.as_bytes())?;
    Ok(vec![png_path, svg_path])
}

/// Encodes RGB pixels as a PNG file in memory.
fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, image::ImageError> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new(&mut bytes);
    image::ImageEncoder::write_image(encoder, pixels, width, height, image::ColorType::Rgb8)?;
    Ok(bytes)
}

/// A palette of distinguishable colors for series, cycled by index.
pub fn series_color(index: usize) -> RGBColor {
    const PALETTE: [RGBColor; 8] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
    ];
    PALETTE[index % PALETTE.len()]
}
