//! `Dataset`: labelled images kept as the bytes of the files.
//!
//! ```text
//! images: [n, rows·cols] u8     labels: [n] u8, each < classes
//! x = pixel / 255               (done per batch, by gather)
//! ```
//!
//! Nothing is converted to floats up front, so a dataset costs about the
//! size of its uncompressed files (MNIST's 70,000 images: 55 MB). Batches are
//! gathered into a caller's buffer, scaled to `[0, 1]`, when they are used.

use std::ops::Range;
use std::path::Path;

use ndarray::{Array2, ArrayView2, Zip};

use crate::data::idx;
use crate::{Error, Real};

/// The number of classes of MNIST and Fashion-MNIST.
pub const NUM_CLASSES: usize = 10;

/// Pixel rows of an MNIST image.
pub const IMAGE_ROWS: usize = 28;

/// Pixel columns of an MNIST image.
pub const IMAGE_COLS: usize = 28;

/// The largest pixel value: a pixel `p` is fed to the net as `p / 255`.
const PIXEL_MAX: f64 = 255.0;

/// Labelled images, `u8` pixels and `u8` labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// `[n, rows·cols]`, one image per row.
    images: Array2<u8>,
    /// `[n]`, each below `classes`.
    labels: Vec<u8>,
    rows: usize,
    cols: usize,
    classes: usize,
}

impl Dataset {
    /// Builds a dataset from its parts.
    ///
    /// # Shapes
    ///
    /// `images: [n, rows·cols]`, `labels: [n]`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] if the shapes disagree, `classes` is 0 or above
    /// 256, or a label is not below `classes`.
    pub fn new(
        images: Array2<u8>,
        labels: Vec<u8>,
        rows: usize,
        cols: usize,
        classes: usize,
    ) -> Result<Self, Error> {
        let expected = format!("[{}, {}]", labels.len(), rows * cols);
        if images.dim() != (labels.len(), rows * cols) {
            return Err(Error::invalid(
                "dataset images",
                expected,
                format!("{:?}", images.shape()),
            ));
        }
        if classes == 0 || classes > usize::from(u8::MAX) + 1 {
            return Err(Error::invalid("dataset classes", "1 to 256", classes));
        }
        if let Some(&label) = labels.iter().find(|&&label| usize::from(label) >= classes) {
            return Err(Error::invalid("dataset label", format!("below {classes}"), label));
        }
        Ok(Dataset { images, labels, rows, cols, classes })
    }

    /// Reads an image file and its label file (IDX, gzipped or not) and
    /// checks that they hold as many items.
    ///
    /// # Errors
    ///
    /// Whatever [`idx::read_images`] and [`idx::read_labels`] report, and
    /// [`Error::Format`] naming the label file if the counts differ.
    pub fn from_idx(images: &Path, labels: &Path, classes: usize) -> Result<Self, Error> {
        let pixels = idx::read_images(images)?;
        let label_bytes = idx::read_labels(labels, classes)?;
        Dataset::from_idx_parts(pixels, label_bytes, classes, [images, labels])
    }

    /// Pairs parsed images with their labels; `paths` (images, labels) only
    /// name the files in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the label file if the counts differ.
    pub fn from_idx_parts(
        images: idx::IdxImages,
        labels: Vec<u8>,
        classes: usize,
        paths: [&Path; 2],
    ) -> Result<Self, Error> {
        let idx::IdxImages { count, rows, cols, pixels } = images;
        if labels.len() != count {
            let name = paths[0].file_name().unwrap_or(paths[0].as_os_str()).to_string_lossy();
            return Err(Error::Format {
                path: paths[1].to_path_buf(),
                expected: format!("{count} labels, one per image in {name}"),
                found: format!("{} labels", labels.len()),
            });
        }
        let images = Array2::from_shape_vec((count, rows * cols), pixels)
            .expect("the IDX reader checked count · rows · cols");
        Dataset::new(images, labels, rows, cols, classes)
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Pixels per image: `rows · cols` (784 for MNIST), the net's input size.
    pub fn image_size(&self) -> usize {
        self.rows * self.cols
    }

    /// Pixel rows per image.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Pixel columns per image.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Number of classes; every label is below it.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The labels, one per image.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The raw pixels, `[n, rows·cols]`, 0 to 255.
    pub fn images(&self) -> ArrayView2<'_, u8> {
        self.images.view()
    }

    /// The first `n` items (all of them if there are fewer), as a new
    /// dataset: for quick runs on part of a split.
    pub fn head(&self, n: usize) -> Dataset {
        let n = n.min(self.len());
        Dataset {
            images: self.images.slice(ndarray::s![..n, ..]).to_owned(),
            labels: self.labels[..n].to_vec(),
            ..*self
        }
    }

    /// Gathers the images at `indices` into `x`, scaled to `[0, 1]`, and
    /// their labels into `labels`.
    ///
    /// `x` is reallocated only if its shape differs from the batch's, and
    /// `labels` is cleared and refilled, so a training loop that reuses both
    /// allocates nothing after its first batch.
    ///
    /// # Shapes
    ///
    /// `indices: [batch]`; `x` becomes `[batch, rows·cols]`, `labels`
    /// `[batch]`.
    ///
    /// # Panics
    ///
    /// If an index is not below [`Dataset::len`]: indices come from a
    /// sampler built for this dataset, so that is a bug.
    pub fn gather<F: Real>(&self, indices: &[usize], x: &mut Array2<F>, labels: &mut Vec<usize>) {
        if let Some(&bad) = indices.iter().find(|&&i| i >= self.len()) {
            panic!("Dataset::gather: index {bad} out of range for {} items", self.len());
        }
        crate::layers::ensure_shape(x, indices.len(), self.image_size());
        let scale = pixel_table::<F>();
        for (mut row, &i) in x.rows_mut().into_iter().zip(indices) {
            Zip::from(&mut row)
                .and(self.images.row(i))
                .for_each(|v, &p| *v = scale[usize::from(p)]);
        }
        labels.clear();
        labels.extend(indices.iter().map(|&i| usize::from(self.labels[i])));
    }

    /// As [`Dataset::gather`] for the contiguous items `range`: evaluation
    /// walks a split in chunks with it.
    ///
    /// # Shapes
    ///
    /// `x` becomes `[range.len(), rows·cols]`, `labels` `[range.len()]`.
    ///
    /// # Panics
    ///
    /// If `range` reaches past [`Dataset::len`].
    pub fn gather_range<F: Real>(
        &self,
        range: Range<usize>,
        x: &mut Array2<F>,
        labels: &mut Vec<usize>,
    ) {
        assert!(
            range.start <= range.end && range.end <= self.len(),
            "Dataset::gather_range: {range:?} out of range for {} items",
            self.len()
        );
        crate::layers::ensure_shape(x, range.len(), self.image_size());
        let scale = pixel_table::<F>();
        let images = self.images.slice(ndarray::s![range.clone(), ..]);
        Zip::from(&mut *x).and(&images).for_each(|v, &p| *v = scale[usize::from(p)]);
        labels.clear();
        labels.extend(self.labels[range].iter().map(|&label| usize::from(label)));
    }

    /// How many images each class has, `[classes]`.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes];
        for &label in &self.labels {
            counts[usize::from(label)] += 1;
        }
        counts
    }

    /// Mean and standard deviation of all pixels on the `[0, 1]` scale the
    /// net sees (MNIST's training set: about 0.131 and 0.308). Both are 0
    /// for an empty dataset.
    pub fn pixel_stats(&self) -> (f64, f64) {
        // A histogram of the 256 values keeps the sums exact and fast.
        let mut histogram = [0u64; 256];
        for &p in &self.images {
            histogram[usize::from(p)] += 1;
        }
        let n = self.images.len() as f64;
        if n == 0.0 {
            return (0.0, 0.0);
        }
        let value = |p: usize| p as f64 / PIXEL_MAX;
        let weighted = |f: &dyn Fn(f64) -> f64| -> f64 {
            histogram.iter().enumerate().map(|(p, &c)| c as f64 * f(value(p))).sum()
        };
        let mean = weighted(&|v| v) / n;
        let variance = weighted(&|v| (v - mean) * (v - mean)) / n;
        (mean, variance.sqrt())
    }
}

/// `p / 255` in `F` for every byte `p`, rounded once (as `F` divides), so
/// that f32 batches match numpy's `x.astype(float32) / 255` bit for bit.
fn pixel_table<F: Real>() -> [F; 256] {
    let max = F::of(PIXEL_MAX);
    std::array::from_fn(|p| F::of(p as f64) / max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Dataset {
        let images = Array2::from_shape_vec((3, 2), vec![0, 255, 51, 102, 1, 2]).unwrap();
        Dataset::new(images, vec![2, 0, 2], 1, 2, 3).unwrap()
    }

    #[test]
    fn gather_scales_and_reuses_buffers() {
        let data = tiny();
        let mut x = Array2::<f32>::zeros((2, 2));
        let before = x.as_ptr();
        let mut labels = vec![7; 5];
        data.gather(&[2, 0], &mut x, &mut labels);
        assert_eq!(x.as_ptr(), before, "same shape: no reallocation");
        assert_eq!(x, ndarray::array![[1.0 / 255.0, 2.0 / 255.0], [0.0, 1.0]]);
        assert_eq!(labels, [2, 2]);
    }

    #[test]
    fn gather_range_matches_gather() {
        let data = tiny();
        let (mut a, mut b) = (Array2::<f64>::zeros((0, 0)), Array2::<f64>::zeros((0, 0)));
        let (mut la, mut lb) = (Vec::new(), Vec::new());
        data.gather_range(1..3, &mut a, &mut la);
        data.gather(&[1, 2], &mut b, &mut lb);
        assert_eq!((a, la), (b, lb));
    }

    #[test]
    fn f32_pixels_round_like_a_single_division() {
        let table = pixel_table::<f32>();
        for (p, &v) in table.iter().enumerate() {
            assert_eq!(v, p as f32 / 255.0_f32, "pixel {p}");
        }
    }

    #[test]
    #[should_panic(expected = "index 3 out of range for 3 items")]
    fn gather_out_of_range_is_a_bug() {
        tiny().gather::<f32>(&[3], &mut Array2::zeros((1, 2)), &mut Vec::new());
    }

    #[test]
    fn statistics() {
        let data = tiny();
        assert_eq!(data.class_counts(), [1, 0, 2]);
        let (mean, std) = data.pixel_stats();
        let values = [0.0, 1.0, 0.2, 0.4, 1.0 / 255.0, 2.0 / 255.0];
        let m: f64 = values.iter().sum::<f64>() / 6.0;
        let s = (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / 6.0).sqrt();
        assert!((mean - m).abs() < 1e-12 && (std - s).abs() < 1e-12, "{mean} {std}");
        assert_eq!(data.head(1).len(), 1);
    }

    #[test]
    fn new_rejects_bad_parts() {
        let images = Array2::zeros((2, 4));
        let err = Dataset::new(images.clone(), vec![0], 2, 2, 10).unwrap_err();
        assert!(err.to_string().contains("expected [1, 4], found [2, 4]"), "{err}");
        let err = Dataset::new(images, vec![0, 10], 2, 2, 10).unwrap_err();
        assert_eq!(err.to_string(), "invalid dataset label: expected below 10, found 10");
    }
}
