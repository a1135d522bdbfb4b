//! What a comparison produces: every run's loss curve and test accuracy,
//! and per arm the statistics over seeds.
//!
//! ```text
//! final loss of a run  = mean of its last FINAL_WINDOW recorded losses
//! per arm, over seeds:   mean ± sample std (n - 1 in the denominator)
//! ```

use serde::Serialize;

use super::diagnostics::Record;
use super::spec::Spec;
use super::stats::Paired;
use crate::report::smooth::smooth;

/// Iterations averaged for a run's final loss: the last 100, as the
/// book's table prints one loss per 100 iterations.
pub const FINAL_WINDOW: usize = 100;

/// One trained net: an arm with one seed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunOutcome {
    /// Index of the arm in the spec.
    pub arm: usize,
    /// The arm's name.
    pub name: String,
    /// The seed.
    pub seed: u64,
    /// Loss per iteration, in nats; shorter than the spec's iterations if
    /// the run diverged.
    pub losses: Vec<f64>,
    /// The first iteration whose loss was not finite.
    pub diverged_at: Option<usize>,
    /// Accuracy on the whole test set, in [0, 1]; `None` if diverged.
    pub test_accuracy: Option<f64>,
    /// Wall time of training and evaluation, in ms.
    pub wall_ms: f64,
    /// Per-layer diagnostics, every `diagnose_every` iterations.
    pub diagnostics: Vec<Record>,
}

impl RunOutcome {
    /// The first iteration at which the book-smoothed loss curve is below
    /// `target`, if it ever is (before diverging).
    pub fn iteration_below(&self, target: f64) -> Option<usize> {
        smooth(&self.losses).iter().position(|&loss| loss < target)
    }

    /// Mean loss of the last [`FINAL_WINDOW`] iterations; `None` if the
    /// run diverged.
    pub fn final_loss(&self) -> Option<f64> {
        if self.diverged_at.is_some() || self.losses.is_empty() {
            return None;
        }
        let tail = &self.losses[self.losses.len().saturating_sub(FINAL_WINDOW)..];
        Some(tail.iter().sum::<f64>() / tail.len() as f64)
    }
}

/// Mean and spread of a quantity over seeds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stat {
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (0 for a single value).
    pub std: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Number of values.
    pub n: usize,
}

impl Stat {
    /// The statistics of `values`; `None` if there are none.
    pub fn of(values: &[f64]) -> Option<Stat> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let var = if n > 1 {
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Stat { mean, std: var.sqrt(), min, max, n })
    }
}

/// One arm's results over its seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArmSummary {
    /// The arm's name.
    pub name: String,
    /// Its init scheme, as text.
    pub init: String,
    /// Its activation.
    pub activation: String,
    /// Final loss over the seeds that did not diverge.
    pub final_loss: Option<Stat>,
    /// Test accuracy over the seeds that did not diverge, in [0, 1].
    pub test_accuracy: Option<Stat>,
    /// Wall time per run, in ms.
    pub wall_ms: Option<Stat>,
    /// `(seed, iteration)` of every diverged run.
    pub diverged: Vec<(u64, usize)>,
    /// First iteration below the target loss, over the seeds that got
    /// there.
    pub target_iteration: Option<Stat>,
    /// Seeds whose smoothed loss got below the target.
    pub reached_target: usize,
}

/// Everything a comparison produced.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// The resolved spec.
    pub spec: Spec,
    /// Name or folder of the data.
    pub dataset: String,
    /// Layer sizes of the first arm's net, input first.
    pub sizes: Vec<usize>,
    /// Training images.
    pub train_size: usize,
    /// Test images.
    pub test_size: usize,
    /// Every run, arm-major: arm 0's seeds, then arm 1's, ...
    pub runs: Vec<RunOutcome>,
    /// Wall time from the first step of any run to the end of the last
    /// run's evaluation, in ms: the whole training loop, data loading
    /// excluded.
    pub training_ms: f64,
    /// Worker threads the runs trained on.
    pub workers: usize,
}

impl Outcome {
    /// The runs of arm `arm`, in seed order.
    pub fn runs_of(&self, arm: usize) -> impl Iterator<Item = &RunOutcome> {
        self.runs.iter().filter(move |run| run.arm == arm)
    }

    /// Per arm, the statistics over seeds.
    pub fn summary(&self) -> Vec<ArmSummary> {
        (0..self.spec.arms.len()).map(|arm| self.arm_summary(arm)).collect()
    }

    fn arm_summary(&self, arm: usize) -> ArmSummary {
        let runs: Vec<&RunOutcome> = self.runs_of(arm).collect();
        let finals: Vec<f64> = runs.iter().filter_map(|r| r.final_loss()).collect();
        let accuracies: Vec<f64> = runs.iter().filter_map(|r| r.test_accuracy).collect();
        let walls: Vec<f64> = runs.iter().map(|r| r.wall_ms).collect();
        let target = self.spec.analysis.target_loss;
        let reached: Vec<f64> =
            runs.iter().filter_map(|r| r.iteration_below(target)).map(|i| i as f64).collect();
        let spec = &self.spec.arms[arm];
        ArmSummary {
            name: spec.name.clone(),
            init: spec.init.to_string(),
            activation: spec.activation.unwrap_or(self.spec.model.activation).to_string(),
            final_loss: Stat::of(&finals),
            test_accuracy: Stat::of(&accuracies),
            wall_ms: Stat::of(&walls),
            diverged: runs.iter().filter_map(|r| r.diverged_at.map(|i| (r.seed, i))).collect(),
            target_iteration: Stat::of(&reached),
            reached_target: reached.len(),
        }
    }

    /// Paired comparisons of every two arms (a before b in the spec) on a
    /// per-run quantity, over the seeds where both runs have it.
    pub fn pairwise(&self, quantity: impl Fn(&RunOutcome) -> Option<f64>) -> Vec<Paired> {
        let arms = &self.spec.arms;
        let mut comparisons = Vec::new();
        for a in 0..arms.len() {
            for b in a + 1..arms.len() {
                let pairs: Vec<(f64, f64)> = self
                    .runs_of(a)
                    .zip(self.runs_of(b))
                    .filter_map(|(ra, rb)| Some((quantity(ra)?, quantity(rb)?)))
                    .collect();
                comparisons.push(Paired::of(&arms[a].name, &arms[b].name, &pairs));
            }
        }
        comparisons
    }

    /// Paired differences of the final losses.
    pub fn pairwise_final_loss(&self) -> Vec<Paired> {
        self.pairwise(RunOutcome::final_loss)
    }

    /// Paired differences of the first iterations below the target loss.
    pub fn pairwise_target_iteration(&self) -> Vec<Paired> {
        let target = self.spec.analysis.target_loss;
        self.pairwise(|run| run.iteration_below(target).map(|i| i as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_uses_the_sample_std() {
        let s = Stat::of(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!((s.mean, s.min, s.max, s.n), (2.5, 1.0, 4.0, 4));
        assert!((s.std - (5.0_f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(Stat::of(&[7.0]).unwrap().std, 0.0);
        assert!(Stat::of(&[]).is_none());
    }

    #[test]
    fn final_loss_averages_the_tail() {
        let mut run = RunOutcome {
            arm: 0,
            name: "a".into(),
            seed: 0,
            losses: (0..300).map(|i| if i < 200 { 9.0 } else { 1.0 }).collect(),
            diverged_at: None,
            test_accuracy: None,
            wall_ms: 0.0,
            diagnostics: Vec::new(),
        };
        assert_eq!(run.final_loss(), Some(1.0));
        run.diverged_at = Some(250);
        assert_eq!(run.final_loss(), None);
    }
}
