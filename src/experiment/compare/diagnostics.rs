//! Per-layer diagnostics while a net trains: what the layers say about
//! why a loss curve falls or stalls.
//!
//! Every `diagnose_every` iterations, right after the step's update and
//! from the very buffers that step used (so the loss curve does not change
//! by a bit), each layer l = 1..L records:
//!
//! ```text
//! activation_mean, activation_std   of z_l = φ(a_l) over the batch (hidden layers)
//! dead_fraction      units with z = 0 for every row of the batch (ReLU family)
//! saturated_fraction outputs in φ's flat ends (sigmoid, tanh; see Activation)
//! grad_norm          ‖dW_l‖₂ (Frobenius)
//! weight_norm        ‖W_l‖₂ after the update
//! update_ratio       ‖ΔW_l‖₂ / ‖W_l‖₂, ΔW what the f32 weights actually
//!                    changed by in this step (below ~1e-7 per weight,
//!                    rounding eats part of the intended update)
//! delta_norm         ‖∂loss/∂a_l‖₂, the backprop signal at layer l's output
//! ```
//!
//! and the net as a whole (layer 0) records `gradient_ratio` =
//! delta_norm of layer 1 / delta_norm of layer L: far below 1 the
//! gradients vanish on their way to the input, far above 1 they explode.
//! CS231n's rule of thumb puts a healthy update ratio near 1e-3.

use ndarray::{Array2, ArrayView2, Axis, Zip};
use serde::Serialize;

use crate::activation::Activation;
use crate::net::Mlp;

/// The update ratio practitioners consider healthy.
pub const HEALTHY_UPDATE_RATIO: f64 = 1e-3;

/// Factor either side of [`HEALTHY_UPDATE_RATIO`] beyond which a warning
/// is given.
pub const UPDATE_RATIO_TOLERANCE: f64 = 10.0;

/// Fraction of dead or saturated units above which a layer counts as
/// "mostly" dead or saturated.
pub const MOSTLY: f64 = 0.5;

/// A quantity recorded per layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Mean of the layer's activations over the batch.
    ActivationMean,
    /// Standard deviation of the layer's activations over the batch.
    ActivationStd,
    /// Fraction of units that are zero for every row (ReLU family).
    DeadFraction,
    /// Fraction of outputs in the activation's flat ends.
    SaturatedFraction,
    /// Frobenius norm of the weight gradient.
    GradNorm,
    /// Frobenius norm of the weights.
    WeightNorm,
    /// ‖ΔW‖ / ‖W‖ of the update just applied.
    UpdateRatio,
    /// Norm of the loss gradient at the layer's pre-activation output.
    DeltaNorm,
    /// delta_norm of the first layer over that of the last (layer 0).
    GradientRatio,
}

impl Metric {
    /// Every metric, in figure order.
    pub const ALL: [Metric; 9] = [
        Metric::ActivationMean,
        Metric::ActivationStd,
        Metric::DeadFraction,
        Metric::SaturatedFraction,
        Metric::GradNorm,
        Metric::WeightNorm,
        Metric::UpdateRatio,
        Metric::DeltaNorm,
        Metric::GradientRatio,
    ];

    /// The snake_case name used in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Metric::ActivationMean => "activation_mean",
            Metric::ActivationStd => "activation_std",
            Metric::DeadFraction => "dead_fraction",
            Metric::SaturatedFraction => "saturated_fraction",
            Metric::GradNorm => "grad_norm",
            Metric::WeightNorm => "weight_norm",
            Metric::UpdateRatio => "update_ratio",
            Metric::DeltaNorm => "delta_norm",
            Metric::GradientRatio => "gradient_ratio",
        }
    }

    /// Whether the metric spans orders of magnitude (drawn on a log axis).
    pub fn is_logarithmic(self) -> bool {
        matches!(
            self,
            Metric::GradNorm
                | Metric::WeightNorm
                | Metric::UpdateRatio
                | Metric::DeltaNorm
                | Metric::GradientRatio
        )
    }
}

/// One measurement.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Record {
    /// Iteration (0-based) whose step was measured.
    pub iteration: usize,
    /// Affine layer, 1-based; 0 for whole-net metrics.
    pub layer: usize,
    /// What was measured.
    pub metric: Metric,
    /// The value.
    pub value: f64,
}

/// Records the diagnostics of one run every `every` iterations.
#[derive(Clone, Debug)]
pub struct Recorder {
    /// Iterations between measurements; 0 turns recording off.
    every: usize,
    /// Each layer's weights before the step being measured.
    before: Vec<Array2<f32>>,
    /// Everything measured so far.
    records: Vec<Record>,
}

impl Recorder {
    /// A recorder for `net`, measuring every `every` iterations (never if
    /// 0). The weight snapshots are allocated here, once.
    pub fn new(net: &Mlp<f32>, every: usize) -> Self {
        let before = match every {
            0 => Vec::new(),
            _ => net.affines().iter().map(|a| Array2::zeros(a.w.dim())).collect(),
        };
        Recorder { every, before, records: Vec::new() }
    }

    /// Whether iteration `iteration` is measured.
    pub fn is_due(&self, iteration: usize) -> bool {
        self.every > 0 && iteration.is_multiple_of(self.every)
    }

    /// Before the step of a measured iteration: keeps the weights.
    pub fn before_step(&mut self, net: &Mlp<f32>) {
        for (snapshot, affine) in self.before.iter_mut().zip(net.affines()) {
            snapshot.assign(&affine.w);
        }
    }

    /// After the step of a measured iteration (before any extra forward
    /// pass): records every metric from the step's buffers.
    pub fn after_step(&mut self, iteration: usize, net: &Mlp<f32>) {
        let mut push =
            |layer, metric, value| self.records.push(Record { iteration, layer, metric, value });
        let layers = net.affines().len();
        for (l, act) in net.activation_layers().iter().enumerate() {
            let stats = activation_stats(act.activation, act.output());
            push(l + 1, Metric::ActivationMean, stats.mean);
            push(l + 1, Metric::ActivationStd, stats.std);
            if let Some(dead) = stats.dead {
                push(l + 1, Metric::DeadFraction, dead);
            }
            if let Some(saturated) = stats.saturated {
                push(l + 1, Metric::SaturatedFraction, saturated);
            }
        }
        let mut deltas = Vec::with_capacity(layers);
        for (l, (affine, before)) in net.affines().iter().zip(&self.before).enumerate() {
            let weight_norm = norm(affine.w.view());
            let update = Zip::from(&affine.w).and(before).fold(0.0, |s, &w, &b| {
                let d = f64::from(w - b);
                s + d * d
            });
            let delta = norm(net.pre_activation_gradient(l));
            push(l + 1, Metric::GradNorm, norm(affine.dw.view()));
            push(l + 1, Metric::WeightNorm, weight_norm);
            push(l + 1, Metric::UpdateRatio, ratio(update.sqrt(), weight_norm));
            push(l + 1, Metric::DeltaNorm, delta);
            deltas.push(delta);
        }
        push(0, Metric::GradientRatio, ratio(deltas[0], deltas[layers - 1]));
    }

    /// Everything recorded, in order.
    pub fn into_records(self) -> Vec<Record> {
        self.records
    }
}

/// `a / b`, with 0 / 0 = 0 (a layer with no weights and no update).
fn ratio(a: f64, b: f64) -> f64 {
    if a == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// Frobenius norm, accumulated in f64.
fn norm(x: ArrayView2<'_, f32>) -> f64 {
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>().sqrt()
}

/// Statistics of one layer's activations over a batch.
struct ActivationStats {
    mean: f64,
    std: f64,
    /// For activations that can die.
    dead: Option<f64>,
    /// For activations that saturate.
    saturated: Option<f64>,
}

/// Mean, std, dead and saturated fractions of `z: [batch, units]`.
fn activation_stats(activation: Activation, z: ArrayView2<'_, f32>) -> ActivationStats {
    let n = z.len().max(1) as f64;
    let mean = z.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let var = z.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / n;
    let dead = activation.can_die().then(|| {
        let dead_units = z.axis_iter(Axis(1)).filter(|unit| unit.iter().all(|&v| v == 0.0)).count();
        dead_units as f64 / z.ncols().max(1) as f64
    });
    let saturated = activation
        .saturates()
        .then(|| z.iter().filter(|&&v| activation.is_saturated(f64::from(v))).count() as f64 / n);
    ActivationStats { mean, std: var.sqrt(), dead, saturated }
}

/// What a warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// At least half of the layer's units are dead.
    MostlyDead,
    /// At least half of the layer's outputs are saturated.
    MostlySaturated,
    /// The update ratio is more than 10x below 1e-3.
    UpdatesTooSmall,
    /// The update ratio is more than 10x above 1e-3.
    UpdatesTooLarge,
}

/// A layer that looked unhealthy during a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Affine layer, 1-based.
    pub layer: usize,
    /// What was wrong.
    pub concern: Concern,
    /// The first measured iteration where it was.
    pub first_iteration: usize,
    /// Measurements where it was.
    pub count: usize,
    /// Measurements of that metric in all.
    pub total: usize,
    /// The metric at the last measurement where it was.
    pub value: f64,
}

impl Finding {
    /// A sentence for a log line, without arm or seed.
    pub fn describe(&self) -> String {
        let what = match self.concern {
            Concern::MostlyDead => format!("{:.0} % of units dead", 100.0 * self.value),
            Concern::MostlySaturated => format!("{:.0} % of outputs saturated", 100.0 * self.value),
            Concern::UpdatesTooSmall => {
                format!("update ratio {:.1e}, over 10x below 1e-3", self.value)
            }
            Concern::UpdatesTooLarge => {
                format!("update ratio {:.1e}, over 10x above 1e-3", self.value)
            }
        };
        format!(
            "layer {}: {what}, first at iteration {} ({} of {} measurements)",
            self.layer, self.first_iteration, self.count, self.total
        )
    }
}

/// The concern a record raises, if any.
fn concern(record: &Record) -> Option<Concern> {
    let low = HEALTHY_UPDATE_RATIO / UPDATE_RATIO_TOLERANCE;
    let high = HEALTHY_UPDATE_RATIO * UPDATE_RATIO_TOLERANCE;
    match record.metric {
        Metric::DeadFraction if record.value >= MOSTLY => Some(Concern::MostlyDead),
        Metric::SaturatedFraction if record.value >= MOSTLY => Some(Concern::MostlySaturated),
        Metric::UpdateRatio if record.value < low => Some(Concern::UpdatesTooSmall),
        Metric::UpdateRatio if record.value > high => Some(Concern::UpdatesTooLarge),
        _ => None,
    }
}

/// Every (layer, concern) that any measurement of a run raised, in layer
/// order.
pub fn findings(records: &[Record]) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    for record in records {
        let Some(concern) = concern(record) else { continue };
        match found.iter_mut().find(|f| f.layer == record.layer && f.concern == concern) {
            Some(finding) => {
                finding.count += 1;
                finding.value = record.value;
            }
            None => found.push(Finding {
                layer: record.layer,
                concern,
                first_iteration: record.iteration,
                count: 1,
                total: 0,
                value: record.value,
            }),
        }
    }
    for finding in &mut found {
        let metric = match finding.concern {
            Concern::MostlyDead => Metric::DeadFraction,
            Concern::MostlySaturated => Metric::SaturatedFraction,
            Concern::UpdatesTooSmall | Concern::UpdatesTooLarge => Metric::UpdateRatio,
        };
        finding.total =
            records.iter().filter(|r| r.layer == finding.layer && r.metric == metric).count();
    }
    found.sort_by_key(|f| f.layer);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::{Affine, Targets};
    use crate::optim::Sgd;
    use ndarray::{Array1, Array2};

    /// A 3-2-2-2 ReLU net whose first layer maps the positive inputs below
    /// to negative pre-activations: every unit of layer 1 is dead.
    fn dead_first_layer() -> Mlp<f32> {
        let layers = vec![
            Affine::new(Array2::from_elem((3, 2), -1.0), Array1::from_elem(2, -0.5)),
            Affine::new(Array2::from_elem((2, 2), 0.7), Array1::from_elem(2, 0.1)),
            Affine::new(
                Array2::from_shape_vec((2, 2), vec![0.3, -0.2, 0.1, 0.4]).unwrap(),
                Array1::zeros(2),
            ),
        ];
        Mlp::from_layers(layers, Activation::Relu, 0.0).unwrap()
    }

    fn value(records: &[Record], layer: usize, metric: Metric) -> f64 {
        records.iter().find(|r| r.layer == layer && r.metric == metric).expect("recorded").value
    }

    #[test]
    fn negative_pre_activations_are_all_dead_and_get_no_update() {
        let mut net = dead_first_layer();
        let x = Array2::from_shape_fn((4, 3), |(i, j)| 0.1 + (i + j) as f32 * 0.2);
        let mut recorder = Recorder::new(&net, 1);
        recorder.before_step(&net);
        net.train_step(x.view(), Targets::Labels(&[0, 1, 1, 0]), &mut Sgd { lr: 0.1 }).unwrap();
        recorder.after_step(0, &net);
        let records = recorder.into_records();

        assert_eq!(value(&records, 1, Metric::DeadFraction), 1.0);
        assert_eq!(value(&records, 1, Metric::ActivationStd), 0.0);
        // Nothing flows back through dead units: zero gradient, no update.
        assert_eq!(value(&records, 1, Metric::GradNorm), 0.0);
        assert_eq!(value(&records, 1, Metric::UpdateRatio), 0.0);
        assert_eq!(value(&records, 0, Metric::GradientRatio), 0.0);
        // The last layer still learns from its biases' path.
        assert!(value(&records, 3, Metric::UpdateRatio) > 0.0);
        let found = findings(&records);
        assert!(
            found.iter().any(|f| f.layer == 1 && f.concern == Concern::MostlyDead),
            "{found:?}"
        );
    }

    #[test]
    fn update_ratio_is_the_step_over_the_weights() {
        let mut net = dead_first_layer();
        let x = Array2::from_elem((2, 3), 0.5);
        let mut recorder = Recorder::new(&net, 1);
        recorder.before_step(&net);
        net.train_step(x.view(), Targets::Labels(&[0, 1]), &mut Sgd { lr: 0.01 }).unwrap();
        recorder.after_step(0, &net);
        let records = recorder.into_records();
        // SGD: ‖ΔW‖ = lr ‖dW‖, up to f32 rounding of W + ΔW (ΔW is what
        // the weights actually changed by).
        let expected =
            0.01 * value(&records, 3, Metric::GradNorm) / value(&records, 3, Metric::WeightNorm);
        let got = value(&records, 3, Metric::UpdateRatio);
        assert!((got - expected).abs() < 1e-2 * expected, "{got} vs {expected}");
    }

    #[test]
    fn off_records_nothing_and_costs_no_snapshot() {
        let recorder = Recorder::new(&dead_first_layer(), 0);
        assert!(!recorder.is_due(0) && recorder.before.is_empty());
    }
}
