//! A plain single-precision matrix multiply, to measure the machine's
//! GEMM throughput with the kernel initlab uses.
//!
//! ```text
//! cargo run --release --example sgemm -- [N] [THREADS] [REPEATS]
//! ```
//!
//! Multiplies two N×N f32 matrices (default 2048) REPEATS times (default
//! 10) with the `gemm` crate on THREADS threads (default 1) and prints the
//! median GFLOP/s (2 N³ FLOPs per product) on stdout.

use std::time::Instant;

fn main() {
    let args: Vec<usize> =
        std::env::args().skip(1).map(|a| a.parse().expect("whole numbers")).collect();
    let n = args.first().copied().unwrap_or(2048);
    let threads = args.get(1).copied().unwrap_or(1);
    let repeats = args.get(2).copied().unwrap_or(10);
    let parallelism = match threads {
        0 | 1 => gemm::Parallelism::None,
        t => gemm::Parallelism::Rayon(t),
    };
    let a: Vec<f32> = (0..n * n).map(|i| (i % 17) as f32 / 17.0 - 0.5).collect();
    let b: Vec<f32> = (0..n * n).map(|i| (i % 13) as f32 / 13.0 - 0.5).collect();
    let mut c = vec![0.0f32; n * n];

    let mut seconds = Vec::with_capacity(repeats);
    for _ in 0..repeats + 1 {
        let start = Instant::now();
        // SAFETY: the three buffers hold n×n row-major matrices.
        unsafe {
            gemm::gemm(
                n,
                n,
                n,
                c.as_mut_ptr(),
                1,
                n as isize,
                false,
                a.as_ptr(),
                1,
                n as isize,
                b.as_ptr(),
                1,
                n as isize,
                0.0,
                1.0,
                false,
                false,
                false,
                parallelism,
            );
        }
        seconds.push(start.elapsed().as_secs_f64());
    }
    seconds.remove(0); // the first call warms caches and page tables
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    let gflops = 2.0 * (n as f64).powi(3) / median / 1e9;
    println!("sgemm n={n} threads={threads}: {gflops:.1} GFLOP/s (median of {repeats})");
}
