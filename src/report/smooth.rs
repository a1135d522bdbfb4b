//! Smoothing of loss curves with a Kaiser window, as the book draws them.
//!
//! The book's `smooth_curve` (common/util.py) convolves the per-iteration
//! loss with a normalized 11-point Kaiser window of β = 2:
//!
//! ```text
//! w_k = I0(β sqrt(1 - (2k/(M-1) - 1)²)) / I0(β)     k = 0 .. M-1, M = 11
//! y_i = Σ_k w_k s_{i+k-5} / Σ_k w_k
//! ```
//!
//! where `I0` is the modified Bessel function of the first kind, order 0,
//! and `s` is the series extended past its ends by mirroring: on the left
//! without repeating the first point (`s_{-j} = x_j`), on the right
//! repeating the last one (`s_{n-1+j} = x_{n-j}`), exactly as the book
//! pads. The output has the input's length.

/// Points in the book's smoothing window.
pub const WINDOW: usize = 11;

/// Shape parameter β of the book's Kaiser window.
pub const BETA: f64 = 2.0;

/// Terms of the I0 series; at β = 2 the terms vanish after about 15.
const BESSEL_TERMS: usize = 40;

/// The modified Bessel function I0(x) = Σ_k ((x/2)^k / k!)².
fn bessel_i0(x: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..BESSEL_TERMS {
        term *= (x / 2.0) / k as f64;
        sum += term * term;
    }
    sum
}

/// The `len`-point Kaiser window with shape `beta` (not normalized: its
/// middle point is 1).
///
/// ```
/// let w = initlab::report::smooth::kaiser(11, 2.0);
/// assert_eq!(w[5], 1.0);
/// assert!((w[0] - 0.43867627983704880).abs() < 1e-12);
/// ```
pub fn kaiser(len: usize, beta: f64) -> Vec<f64> {
    if len == 1 {
        return vec![1.0];
    }
    let last = (len - 1) as f64;
    (0..len)
        .map(|k| {
            let r = 2.0 * k as f64 / last - 1.0;
            bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / bessel_i0(beta)
        })
        .collect()
}

/// The book's smoothing of a curve: an 11-point Kaiser window (β = 2) with
/// mirrored edges. Series shorter than 2 points come back unchanged.
///
/// ```
/// let flat = initlab::report::smooth::smooth(&[2.3; 20]);
/// assert!(flat.iter().all(|y| (y - 2.3).abs() < 1e-12));
/// ```
pub fn smooth(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n < 2 {
        return values.to_vec();
    }
    let window = kaiser(WINDOW, BETA);
    let total: f64 = window.iter().sum();
    let half = (WINDOW / 2) as isize;
    (0..n as isize)
        .map(|i| {
            let weighted: f64 = window
                .iter()
                .enumerate()
                .map(|(k, w)| w * values[mirrored(i + k as isize - half, n)])
                .sum();
            weighted / total
        })
        .collect()
}

/// The index of the padded series' element `t` (which may lie outside
/// `0..n`) in the original series, mirrored as the book pads.
fn mirrored(t: isize, n: usize) -> usize {
    let last = n as isize - 1;
    let index = if t < 0 {
        -t
    } else if t > last {
        2 * last + 1 - t
    } else {
        t
    };
    index.clamp(0, last) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_matches_reference_values() {
        // numpy.kaiser(11, 2)
        let reference = [
            0.4386762798370488,
            0.6113943543616491,
            0.7676749968275236,
            0.8921614338542881,
            0.9723298008693713,
            1.0,
        ];
        let w = kaiser(WINDOW, BETA);
        for (k, want) in reference.iter().enumerate() {
            assert!((w[k] - want).abs() < 1e-14, "w[{k}] = {}, expected {want}", w[k]);
            assert!((w[WINDOW - 1 - k] - want).abs() < 1e-14);
        }
    }

    #[test]
    fn smoothing_matches_the_books_padding() {
        // Reference computed independently with NumPy the way the book's
        // smooth_curve does it: numpy.r_ mirror padding, kaiser(11, 2),
        // convolve in 'valid' mode, 5 points trimmed from each end.
        let x = [2.3, 2.1, 1.7, 1.6, 1.2, 1.25, 0.9, 0.8, 0.85, 0.6, 0.5, 0.55, 0.4, 0.45];
        let reference = [
            1.7260776519978247,
            1.695297104434104,
            1.6300302148935597,
            1.5251079465972661,
            1.3900857001093245,
            1.227777136370416,
            1.0662537813683508,
            0.9197041673193987,
            0.8033524019857752,
            0.7027611198971009,
            0.6267188131310528,
            0.5654387598100441,
            0.5276828598470047,
            0.5067511682376898,
        ];
        let y = smooth(&x);
        for (i, (got, want)) in y.iter().zip(reference).enumerate() {
            assert!((got - want).abs() < 1e-12, "y[{i}] = {got}, expected {want}");
        }
    }

    #[test]
    fn short_series_do_not_panic() {
        assert_eq!(smooth(&[]), Vec::<f64>::new());
        assert_eq!(smooth(&[1.0]), vec![1.0]);
        assert_eq!(smooth(&[1.0, 1.0, 1.0]).len(), 3);
    }
}
