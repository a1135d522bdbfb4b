//! The book's net learns: He-initialized 784-100-100-100-100-10 ReLU, SGD
//! lr 0.01, batches of 128 drawn with replacement, on the shared MNIST.

use std::path::Path;

use initlab::data::{self, BatchSampler, DataSource, Sampling};
use initlab::layers::Targets;
use initlab::net::{Mlp, MlpConfig};
use initlab::optim::Sgd;
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[test]
fn he_net_falls_well_below_ln_10_in_300_iterations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist");
    let splits = data::load(&DataSource::Dir(dir)).unwrap();
    let train = &splits.train;
    let mut net = Mlp::<f32>::new(&MlpConfig::book(), &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
    let mut sampler =
        BatchSampler::from_seed(train.len(), 128, Sampling::WithReplacement, 2).unwrap();
    let mut sgd = Sgd { lr: 0.01 };
    let (mut x, mut labels) = (Array2::<f32>::zeros((0, 0)), Vec::new());

    let mut losses = Vec::new();
    for _ in 0..300 {
        train.gather(sampler.next_batch(), &mut x, &mut labels);
        losses.push(net.train_step(x.view(), Targets::Labels(&labels), &mut sgd).unwrap());
    }

    let first: f32 = losses[..20].iter().sum::<f32>() / 20.0;
    let last: f32 = losses[250..].iter().sum::<f32>() / 50.0;
    let ln10 = 10f32.ln();
    assert!(first > 0.8 * ln10, "the untrained net should guess: mean loss {first}");
    assert!(last < 0.4 * ln10, "mean loss of the last 50 iterations {last}, ln 10 = {ln10}");
}
