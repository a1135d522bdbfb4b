//! Matrix products, the only heavy arithmetic in a training step.
//!
//! ```text
//! c = a · b            (accumulate = false)
//! c = c + a · b        (accumulate = true)
//! a: [m, k]   b: [k, n]   c: [m, n]
//! ```
//!
//! Any strides are accepted, so `a.t()` and `b.t()` views multiply without
//! copying: backprop's `xᵀ · dout` and `dout · Wᵀ` are strided views of the
//! forward buffers. The kernel is the `gemm` crate's, single-threaded:
//! parallelism in initlab runs across nets (arms and seeds), never inside a
//! product, because at these sizes a second thread per product only adds
//! synchronisation (docs/performance.md). Its results do not depend on the
//! number of threads.

use ndarray::{ArrayView2, ArrayViewMut2};

use crate::Real;

/// Writes `a · b` into `c`, or adds it to `c` when `accumulate` is set.
///
/// # Panics
///
/// If the shapes do not chain (`a: [m, k]`, `b: [k, n]`, `c: [m, n]`): a
/// mismatch here is a bug in the caller, which checks shapes when a net is
/// built.
///
/// ```
/// use ndarray::{array, Array2};
/// let a = array![[1.0_f32, 2.0], [3.0, 4.0]];
/// let mut c = Array2::zeros((2, 2));
/// initlab::linalg::matmul(a.view(), a.t(), &mut c.view_mut(), false);
/// assert_eq!(c, array![[5.0, 11.0], [11.0, 25.0]]);
/// ```
pub fn matmul<F: Real>(
    a: ArrayView2<'_, F>,
    b: ArrayView2<'_, F>,
    c: &mut ArrayViewMut2<'_, F>,
    accumulate: bool,
) {
    let (m, k) = a.dim();
    let (k2, n) = b.dim();
    assert_eq!(k, k2, "matmul: a is [{m}, {k}] but b is [{k2}, {n}]");
    assert_eq!(c.dim(), (m, n), "matmul: c should be [{m}, {n}], found {:?}", c.dim());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c.fill(F::zero());
        }
        return;
    }
    let (sa, sb, sc) = (a.strides(), b.strides(), c.strides());
    let (c_rs, c_cs) = (sc[0], sc[1]);
    let c_ptr = c.as_mut_ptr();
    // SAFETY: the three views are valid for the shapes checked above and
    // their strides are passed as they are; `c` is borrowed mutably so it
    // cannot alias `a` or `b`. gemm reads `dst` only when `accumulate`.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c_ptr,
            c_cs,
            c_rs,
            accumulate,
            a.as_ptr(),
            sa[1],
            sa[0],
            b.as_ptr(),
            sb[1],
            sb[0],
            F::one(),
            F::one(),
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, ShapeBuilder};

    fn naive(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> Array2<f64> {
        Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
            (0..a.ncols()).map(|p| a[[i, p]] * b[[p, j]]).sum()
        })
    }

    #[test]
    fn matches_naive_product_for_all_layouts() {
        let a = Array2::from_shape_fn((7, 5), |(i, j)| (i as f64 - 2.0 * j as f64) / 3.0);
        let b = Array2::from_shape_fn((5, 9), |(i, j)| (i * j) as f64 / 7.0 - 1.0);
        let b_f = Array2::from_shape_vec((5, 9).f(), b.t().iter().copied().collect()).unwrap();
        for bv in [b.view(), b_f.view()] {
            let mut c = Array2::zeros((7, 9));
            matmul(a.view(), bv, &mut c.view_mut(), false);
            let want = naive(a.view(), bv);
            assert!(c.abs_diff_eq(&want, 1e-12));
            matmul(a.view(), bv, &mut c.view_mut(), true);
            assert!(c.abs_diff_eq(&(2.0 * &want), 1e-12));
        }
        let mut ct = Array2::zeros((5, 5));
        matmul(a.t(), a.view(), &mut ct.view_mut(), false);
        assert!(ct.abs_diff_eq(&naive(a.t(), a.view()), 1e-12));
    }
}
