//! The matrix products of one training step of the book's net, timed with
//! each kernel at hand, interleaved round by round so that every kernel
//! sees the same machine load.
//!
//! ```text
//! cargo run --release --example backends -- [ROUNDS]
//! ```
//!
//! Kernels: the `gemm` crate on one thread (what initlab uses), `gemm` on
//! two threads per product, and ndarray's `general_mat_mul` (the
//! matrixmultiply crate). Prints the median time of the 14 products of a
//! step (5 forward, 5 weight gradients, 4 input gradients) per kernel.

use std::time::Instant;

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, ArrayViewMut2};

/// Sizes of the book's net, input first.
const SIZES: [usize; 6] = [784, 100, 100, 100, 100, 10];

/// Rows per batch.
const BATCH: usize = 128;

/// Steps timed per round.
const STEPS: usize = 50;

type Kernel = fn(ArrayView2<'_, f32>, ArrayView2<'_, f32>, &mut ArrayViewMut2<'_, f32>);

/// gemm with two threads inside each product, called as `linalg::matmul`
/// calls it but for the parallelism.
fn gemm_2(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, c: &mut ArrayViewMut2<'_, f32>) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    let (sa, sb, sc) = (a.strides().to_vec(), b.strides().to_vec(), c.strides().to_vec());
    // SAFETY: shapes chain and strides are the views' own.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            sc[1],
            sc[0],
            false,
            a.as_ptr(),
            sa[1],
            sa[0],
            b.as_ptr(),
            sb[1],
            sb[0],
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::Rayon(2),
        );
    }
}

/// initlab's own product: gemm on one thread, through `linalg::matmul`.
fn gemm_1(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, c: &mut ArrayViewMut2<'_, f32>) {
    initlab::linalg::matmul(a, b, c, false);
}

fn matrixmultiply(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, c: &mut ArrayViewMut2<'_, f32>) {
    general_mat_mul(1.0, &a, &b, 0.0, c);
}

/// Buffers of one net: per layer input, weights, output, dW, dx.
struct Buffers {
    layers: Vec<[Array2<f32>; 5]>,
}

impl Buffers {
    fn new() -> Self {
        let layers = SIZES
            .windows(2)
            .map(|p| {
                let fill = |r, c| {
                    Array2::from_shape_fn((r, c), |(i, j)| ((i * 7 + j * 3) % 11) as f32 * 0.01)
                };
                [
                    fill(BATCH, p[0]),
                    fill(p[0], p[1]),
                    fill(BATCH, p[1]),
                    fill(p[0], p[1]),
                    fill(BATCH, p[0]),
                ]
            })
            .collect();
        Buffers { layers }
    }

    /// The 14 products of a step, in the layouts initlab uses.
    fn step(&mut self, kernel: Kernel) {
        for (l, [x, w, out, dw, dx]) in self.layers.iter_mut().enumerate() {
            kernel(x.view(), w.view(), &mut out.view_mut());
            kernel(x.t(), out.view(), &mut dw.view_mut());
            if l > 0 {
                kernel(out.view(), w.t(), &mut dx.view_mut());
            }
        }
    }
}

fn main() {
    let rounds: usize = std::env::args().nth(1).map_or(15, |a| a.parse().expect("a whole number"));
    let kernels: [(&str, Kernel); 3] = [
        ("gemm, 1 thread", gemm_1),
        ("gemm, 2 threads", gemm_2),
        ("matrixmultiply", matrixmultiply),
    ];
    let mut buffers = Buffers::new();
    let mut times = vec![Vec::new(); kernels.len()];
    for round in 0..rounds {
        // Rotate the order so no kernel always runs first.
        for k in 0..kernels.len() {
            let index = (k + round) % kernels.len();
            let start = Instant::now();
            for _ in 0..STEPS {
                buffers.step(kernels[index].1);
            }
            times[index].push(start.elapsed().as_secs_f64() * 1e6 / STEPS as f64);
        }
    }
    let macs: usize = SIZES
        .windows(2)
        .enumerate()
        .map(|(l, p)| if l == 0 { 2 } else { 3 } * BATCH * p[0] * p[1])
        .sum();
    for ((name, _), mut t) in kernels.iter().zip(times) {
        t.sort_by(f64::total_cmp);
        let median = t[t.len() / 2];
        println!(
            "{name:16} {median:8.0} µs per step's products  {:6.1} GFLOP/s",
            2.0 * macs as f64 / median / 1e3
        );
    }
}
