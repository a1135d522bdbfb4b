//! One training step (forward, backward, SGD update) at the book's shapes
//! and at a wider net, batch 128, f32, one thread.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use initlab::experiment::compare::diagnostics::Recorder;
use initlab::layers::Targets;
use initlab::net::{Mlp, MlpConfig};
use initlab::optim::Sgd;
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Rows per batch, as in the book.
const BATCH: usize = 128;

/// Multiply-adds of one step, counted as 2 FLOPs each: the forward product
/// and, in backward, the weight gradient and (except for the first layer)
/// the input gradient.
fn step_flops(sizes: &[usize]) -> u64 {
    let products: usize = sizes
        .windows(2)
        .enumerate()
        .map(|(l, pair)| if l == 0 { 2 } else { 3 } * BATCH * pair[0] * pair[1])
        .sum();
    2 * products as u64
}

fn bench_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("train_step");
    for hidden in [vec![100; 4], vec![1000; 4]] {
        let config = MlpConfig { hidden_sizes: hidden.clone(), ..MlpConfig::book() };
        let mut net = Mlp::<f32>::new(&config, &mut ChaCha8Rng::seed_from_u64(0)).unwrap();
        let x =
            Array2::from_shape_fn((BATCH, 784), |(i, j)| ((i * 31 + j * 7) % 255) as f32 / 255.0);
        let labels: Vec<usize> = (0..BATCH).map(|i| i % 10).collect();
        let mut sgd = Sgd { lr: 0.001 };
        group.throughput(Throughput::Elements(step_flops(&config.sizes())));
        let name = config.sizes().iter().map(|s| s.to_string()).collect::<Vec<_>>().join("-");
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| net.train_step(x.view(), Targets::Labels(&labels), &mut sgd).unwrap())
        });
    }
    group.finish();
}

/// A step with per-layer diagnostics recorded, at the book's shapes: the
/// difference to a plain step, divided by `diagnose_every`, is the
/// average cost of diagnostics per iteration.
fn bench_diagnosed_step(c: &mut Criterion) {
    let config = MlpConfig::book();
    let mut net = Mlp::<f32>::new(&config, &mut ChaCha8Rng::seed_from_u64(0)).unwrap();
    let x = Array2::from_shape_fn((BATCH, 784), |(i, j)| ((i * 31 + j * 7) % 255) as f32 / 255.0);
    let labels: Vec<usize> = (0..BATCH).map(|i| i % 10).collect();
    let mut sgd = Sgd { lr: 0.001 };
    let mut recorder = Recorder::new(&net, 1);
    c.bench_function("train_step_diagnosed/784-100-100-100-100-10", |b| {
        b.iter(|| {
            recorder.before_step(&net);
            net.train_step(x.view(), Targets::Labels(&labels), &mut sgd).unwrap();
            recorder.after_step(0, &net);
        })
    });
}

criterion_group!(benches, bench_step, bench_diagnosed_step);
criterion_main!(benches);
