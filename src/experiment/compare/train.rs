//! Training the runs of a comparison in parallel, and reporting their
//! progress in iteration order.
//!
//! Each run (arm × seed) trains on a worker thread with its own net,
//! optimizer, batch buffers and random streams; workers send every
//! iteration's loss to the calling thread, which hands the observer one
//! row per iteration once every run has reached it. The observer therefore
//! runs on the caller's thread and sees rows in order.
//!
//! Workers: with one thread (`RAYON_NUM_THREADS=1`) the runs go one after
//! another; otherwise every run gets its own OS thread as long as there
//! are at most two per core, so that three arms on two cores share them
//! evenly instead of leaving one core idle for a third of the time; beyond
//! that, one worker per core takes runs from a queue.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::diagnostics::Recorder;
use super::spec::Spec;
use super::summary::{Outcome, RunOutcome};
use crate::data::{self, BatchSampler, Dataset, Sampling, Splits};
use crate::init::lsuv::{lsuv, LsuvOptions};
use crate::layers::Targets;
use crate::net::Mlp;
use crate::Error;

/// Rows per chunk when computing test accuracy.
const EVAL_CHUNK: usize = 1000;

/// ChaCha8 stream of a seed that draws the batches; arm `a` draws its
/// weights from stream `WEIGHT_STREAM + a`.
const BATCH_STREAM: u64 = 0;

/// First ChaCha8 stream used for initial weights.
const WEIGHT_STREAM: u64 = 1;

/// ChaCha8 stream of a seed that draws LSUV's batch, far from the weight
/// streams of any realistic number of arms.
const LSUV_STREAM: u64 = 1 << 32;

/// Rows of the batch LSUV normalizes the layers on, distinct rows of the
/// training set.
const LSUV_BATCH: usize = 256;

/// Which run: an arm and a seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunId {
    /// Index of the arm in the spec.
    pub arm: usize,
    /// The seed.
    pub seed: u64,
}

/// What is about to be trained, told to the observer before the first
/// step.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Every run, arm-major; rows of losses follow this order.
    pub runs: Vec<RunId>,
    /// Layer sizes of the first arm's net, input first.
    pub sizes: Vec<usize>,
    /// Trainable scalars per net.
    pub parameter_count: usize,
    /// Training images.
    pub train_size: usize,
    /// Test images.
    pub test_size: usize,
    /// Worker threads in use.
    pub workers: usize,
}

/// Receives progress while a comparison trains. Every method has an empty
/// default.
pub trait Observer {
    /// Before the first step.
    fn started(&mut self, _plan: &Plan) {}

    /// Iteration `iteration` is done in every run that has not diverged;
    /// `losses` has one entry per run in plan order, NaN for runs that
    /// diverged at or before it.
    fn iteration(&mut self, _iteration: usize, _losses: &[f64]) {}

    /// A run's loss stopped being finite at `iteration`.
    fn diverged(&mut self, _run: RunId, _iteration: usize) {}

    /// A run finished training and evaluation.
    fn run_finished(&mut self, _run: &RunOutcome) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// Loads the data the spec names and runs the comparison.
///
/// # Errors
///
/// A missing or malformed dataset, an invalid spec, or a batch larger than
/// the training set without replacement, all before any training starts.
pub fn run(spec: &Spec, observer: &mut impl Observer) -> Result<Outcome, Error> {
    spec.validate()?; // before the data is looked for, downloaded or read
    let splits = data::load(&spec.data.source())?;
    run_on(spec, &splits, observer)
}

/// Runs the comparison on data already loaded.
///
/// # Errors
///
/// As [`run`], except for data loading.
pub fn run_on(
    spec: &Spec,
    splits: &Splits,
    observer: &mut impl Observer,
) -> Result<Outcome, Error> {
    spec.validate()?;
    let (train, test) = (&splits.train, &splits.test);
    // Fails now, not in a worker, if the batch cannot be drawn.
    BatchSampler::from_seed(train.len(), spec.training.batch_size, spec.training.sampling, 0)?;
    let runs: Vec<RunId> = (0..spec.arms.len())
        .flat_map(|arm| spec.seeds().map(move |seed| RunId { arm, seed }))
        .collect();
    let first = spec.net_config(0, train.image_size(), train.classes());
    first.validate()?;
    let plan = Plan {
        sizes: first.sizes(),
        parameter_count: first.parameter_count(),
        train_size: train.len(),
        test_size: test.len(),
        workers: worker_count(runs.len(), rayon::current_num_threads()),
        runs,
    };
    observer.started(&plan);

    let start = Instant::now();
    let outcomes = train_all(spec, splits, &plan, observer)?;
    let training_ms = start.elapsed().as_secs_f64() * 1e3;
    Ok(Outcome {
        training_ms,
        workers: plan.workers,
        spec: spec.clone(),
        dataset: describe(splits),
        sizes: plan.sizes.clone(),
        train_size: train.len(),
        test_size: test.len(),
        runs: outcomes,
    })
}

/// A short name for the data: the known dataset's, or the folder's.
fn describe(splits: &Splits) -> String {
    match (splits.dataset, splits.dir.file_name()) {
        (Some(dataset), _) => dataset.title().to_string(),
        (None, Some(name)) => name.to_string_lossy().into_owned(),
        (None, None) => splits.dir.display().to_string(),
    }
}

/// How many worker threads train `runs` runs on `threads` threads.
fn worker_count(runs: usize, threads: usize) -> usize {
    match threads {
        0 | 1 => 1,
        t if runs <= 2 * t => runs,
        t => t,
    }
}

/// A message from a worker to the calling thread.
enum Message {
    /// Run `run` (index in the plan) recorded `loss` at `iteration`.
    Loss { run: usize, iteration: usize, loss: f64 },
    /// Run `run` is done.
    Finished { run: usize, outcome: Result<RunOutcome, Error> },
}

/// Trains every run of the plan on worker threads, forwarding progress to
/// the observer in iteration order.
fn train_all(
    spec: &Spec,
    splits: &Splits,
    plan: &Plan,
    observer: &mut impl Observer,
) -> Result<Vec<RunOutcome>, Error> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..plan.workers {
            let (tx, next) = (tx.clone(), &next);
            scope.spawn(move || loop {
                let run = next.fetch_add(1, Ordering::SeqCst);
                let Some(&id) = plan.runs.get(run) else { break };
                let outcome = train_one(spec, splits, id, |iteration, loss| {
                    let _ = tx.send(Message::Loss { run, iteration, loss });
                });
                let _ = tx.send(Message::Finished { run, outcome });
            });
        }
        drop(tx);
        collect(spec, plan, rx, observer)
    })
}

/// Receives workers' messages until every run has finished, emitting rows.
fn collect(
    spec: &Spec,
    plan: &Plan,
    rx: mpsc::Receiver<Message>,
    observer: &mut impl Observer,
) -> Result<Vec<RunOutcome>, Error> {
    let iterations = spec.training.iterations;
    let mut table = vec![vec![f64::NAN; plan.runs.len()]; iterations];
    // Per run: iterations reported so far, or all of them once finished.
    let mut reached = vec![0usize; plan.runs.len()];
    let mut emitted = 0;
    let mut outcomes: Vec<Option<RunOutcome>> = vec![None; plan.runs.len()];
    for message in rx {
        match message {
            Message::Loss { run, iteration, loss } => {
                table[iteration][run] = loss;
                reached[run] = iteration + 1;
                if !loss.is_finite() {
                    observer.diverged(plan.runs[run], iteration);
                }
            }
            Message::Finished { run, outcome } => {
                let outcome = outcome?;
                reached[run] = iterations;
                observer.run_finished(&outcome);
                outcomes[run] = Some(outcome);
            }
        }
        let ready = reached.iter().copied().min().unwrap_or(iterations);
        for (i, row) in table.iter().enumerate().take(ready).skip(emitted) {
            observer.iteration(i, row);
        }
        emitted = emitted.max(ready);
    }
    Ok(outcomes.into_iter().map(|o| o.expect("every run sends Finished")).collect())
}

/// The random stream `stream` of seed `seed`.
fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Trains one run and evaluates it on the test set; `report` receives
/// every iteration's loss.
fn train_one(
    spec: &Spec,
    splits: &Splits,
    id: RunId,
    mut report: impl FnMut(usize, f64),
) -> Result<RunOutcome, Error> {
    let start = Instant::now();
    let (train, training) = (&splits.train, &spec.training);
    let config = spec.net_config(id.arm, train.image_size(), train.classes());
    let mut net = Mlp::<f32>::new(&config, &mut stream(id.seed, WEIGHT_STREAM + id.arm as u64))?;
    if config.init.is_data_dependent() {
        data_dependent_init(&mut net, train, id)?;
    }
    let mut optimizer = spec.optimizer(id.arm).build::<f32>();
    let batches = stream(id.seed, BATCH_STREAM);
    let mut sampler =
        BatchSampler::new(train.len(), training.batch_size, training.sampling, batches)?;
    let mut x = Array2::<f32>::zeros((training.batch_size, train.image_size()));
    let mut labels = Vec::with_capacity(training.batch_size);
    net.reserve(training.batch_size);

    let mut recorder = Recorder::new(&net, training.diagnose_every);
    let mut losses = Vec::with_capacity(training.iterations);
    let mut diverged_at = None;
    for iteration in 0..training.iterations {
        // batch: gather and scale the sampled rows
        // TODO: the arms of one seed each gather the same batch; sharing
        // one gathered batch between their threads would save the ~7 % of
        // a step that the gather costs (mostly cache misses on its rows).
        train.gather(sampler.next_batch(), &mut x, &mut labels);

        // forward, backward, update, with diagnostics read from the step's
        // own buffers; optionally re-measure the loss after the update
        let targets = Targets::Labels(&labels);
        let diagnose = recorder.is_due(iteration);
        if diagnose {
            recorder.before_step(&net);
        }
        let mut loss = net.train_step(x.view(), targets, optimizer.as_mut())?;
        if diagnose {
            recorder.after_step(iteration, &net);
        }
        if training.loss_after_update {
            loss = net.loss(x.view(), targets)?;
        }

        // record; a non-finite loss ends the run
        let loss = f64::from(loss);
        report(iteration, loss);
        if !loss.is_finite() {
            log::warn!(
                "{} (seed {}) diverged at iteration {iteration}",
                spec.arms[id.arm].name,
                id.seed
            );
            diverged_at = Some(iteration);
            break;
        }
        losses.push(loss);
    }

    let test_accuracy = match diverged_at {
        Some(_) => None,
        None => Some(accuracy(&mut net, &splits.test)?),
    };
    Ok(RunOutcome {
        arm: id.arm,
        name: spec.arms[id.arm].name.clone(),
        seed: id.seed,
        losses,
        diverged_at,
        test_accuracy,
        wall_ms: start.elapsed().as_secs_f64() * 1e3,
        diagnostics: recorder.into_records(),
    })
}

/// Rescales a freshly built net on a batch of training rows (LSUV). The
/// batch comes from its own stream of the seed, so the training batches
/// are the same as every other arm's.
fn data_dependent_init(net: &mut Mlp<f32>, train: &Dataset, id: RunId) -> Result<(), Error> {
    let rows = LSUV_BATCH.min(train.len());
    let rng = stream(id.seed, LSUV_STREAM);
    let mut sampler = BatchSampler::new(train.len(), rows, Sampling::ShuffledEpochs, rng)?;
    let (mut x, mut labels) = (Array2::<f32>::zeros((0, 0)), Vec::new());
    train.gather(sampler.next_batch(), &mut x, &mut labels);
    let report = lsuv(net, x.view(), &LsuvOptions::default())?;
    for (l, layer) in report.layers.iter().enumerate() {
        log::debug!("lsuv (seed {}) layer {}: {layer:?}", id.seed, l + 1);
    }
    Ok(())
}

/// Accuracy on a whole dataset, gathered in chunks from its `u8` pixels.
fn accuracy(net: &mut Mlp<f32>, dataset: &Dataset) -> Result<f64, Error> {
    let mut x = Array2::<f32>::zeros((0, 0));
    let mut labels = Vec::new();
    let mut correct = 0.0;
    let chunks = (0..dataset.len()).step_by(EVAL_CHUNK);
    for start in chunks {
        let rows: Range<usize> = start..(start + EVAL_CHUNK).min(dataset.len());
        let n = rows.len() as f64;
        dataset.gather_range(rows, &mut x, &mut labels);
        correct += net.accuracy(x.view(), &labels)? * n;
    }
    Ok(correct / dataset.len().max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_share_cores_evenly() {
        assert_eq!(worker_count(3, 1), 1);
        assert_eq!(worker_count(3, 2), 3);
        assert_eq!(worker_count(4, 2), 4);
        assert_eq!(worker_count(15, 2), 2);
        assert_eq!(worker_count(1, 8), 1);
    }
}
