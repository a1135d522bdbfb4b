//! A training step at a fixed batch size allocates no buffers: every array
//! is sized by the first step. A counting global allocator watches.
//!
//! The one exception is inside the matrix-product kernel: the `gemm` crate
//! takes scratch space for packing its operands on each call (one or two
//! small blocks, freed before it returns). So the test pins that a step
//! allocates the same number of times as its products alone do, measured
//! by running the same products on their own.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use initlab::layers::Targets;
use initlab::linalg::matmul;
use initlab::net::{Mlp, MlpConfig};
use initlab::optim::Sgd;
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Counts every allocation and reallocation, on any thread.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made while running `f`.
fn count(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn training_step_allocates_only_the_kernels_scratch() {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut net = Mlp::<f32>::new(&MlpConfig::book(), &mut rng).unwrap();
    let x = Array2::from_shape_fn((128, 784), |(i, j)| ((i * 31 + j * 7) % 255) as f32 / 255.0);
    let labels: Vec<usize> = (0..128).map(|i| i % 10).collect();
    let mut sgd = Sgd { lr: 0.01 };

    // The first step sizes the buffers.
    net.train_step(x.view(), Targets::Labels(&labels), &mut sgd).unwrap();
    let step = || {
        net.train_step(x.view(), Targets::Labels(&labels), &mut sgd).unwrap();
    };
    let per_step = count(step);

    // The same 14 products on their own, with the same operand layouts:
    // forward x W, backward xᵀ dout and dout Wᵀ.
    let sizes = [784, 100, 100, 100, 100, 10];
    let mut products = 0;
    let kernel = count(|| {
        for pair in sizes.windows(2) {
            let (fan_in, fan_out) = (pair[0], pair[1]);
            let (input, w) =
                (Array2::<f32>::zeros((128, fan_in)), Array2::zeros((fan_in, fan_out)));
            let (mut out, mut dw) =
                (Array2::zeros((128, fan_out)), Array2::zeros((fan_in, fan_out)));
            let mut dx = Array2::zeros((128, fan_in));
            matmul(input.view(), w.view(), &mut out.view_mut(), false);
            matmul(input.t(), out.view(), &mut dw.view_mut(), false);
            products += 2;
            if fan_in != 784 {
                matmul(out.view(), w.t(), &mut dx.view_mut(), false);
                products += 1;
            }
        }
    });
    let arrays = 5 * 5; // input, w, out, dw, dx per layer in the loop above
    assert_eq!(products, 14);
    assert_eq!(
        per_step,
        kernel - arrays,
        "a step allocated {per_step} times; its {products} products alone allocate {}",
        kernel - arrays
    );
}
