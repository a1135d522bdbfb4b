//! The spec of a comparison: data, model, training and arms, as a TOML
//! file can write it.
//!
//! ```toml
//! [data]
//! dataset = "mnist"              # or: dir = "path/to/idx/files"
//!
//! [model]
//! hidden_sizes = [100, 100, 100, 100]
//! activation = "relu"
//! weight_decay = 0.0
//! bias_init = "scheme"           # the init's own rule; or zeros, normal:0.1, ...
//!
//! [training]
//! batch_size = 128
//! iterations = 2000
//! sampling = "with-replacement"  # or "shuffled-epochs"
//! seed = 0
//! seeds = 1
//! loss_after_update = false
//! diagnose_every = 50            # 0: no per-layer diagnostics
//! optimizer = { name = "sgd", lr = 0.01 }
//!
//! [analysis]
//! target_loss = 0.5              # report when each smoothed curve first dips below
//!
//! [[arm]]
//! name = "He"
//! init = "he"
//! # activation = "tanh"         # optional, overrides the model's
//! # optimizer = { name = "sgd", lr = 0.1 }   # optional, overrides training's
//! ```

use std::collections::HashSet;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::data::{DataSource, KnownDataset, Sampling};
use crate::init::{BiasInit, Init};
use crate::net::MlpConfig;
use crate::optim::OptimizerSpec;
use crate::Error;

/// Where the training and test images come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// A known dataset, found or downloaded by name (default `mnist`).
    #[serde(default = "default_dataset")]
    pub dataset: KnownDataset,
    /// A folder with the four IDX files; when set it is used instead of
    /// looking the dataset up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<PathBuf>,
}

fn default_dataset() -> KnownDataset {
    KnownDataset::Mnist
}

impl DataSpec {
    /// Where to load the data from: the folder if one is set, else the
    /// dataset by name.
    pub fn source(&self) -> DataSource {
        match &self.dir {
            Some(dir) => DataSource::Dir(dir.clone()),
            None => DataSource::Known(self.dataset),
        }
    }
}

impl Default for DataSpec {
    fn default() -> Self {
        DataSpec { dataset: default_dataset(), dir: None }
    }
}

/// The network every arm trains; input and output sizes come from the
/// data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelSpec {
    /// Units per hidden layer (default: four of 100).
    pub hidden_sizes: Vec<usize>,
    /// Nonlinearity after each hidden layer (default ReLU).
    pub activation: Activation,
    /// L2 weight decay λ (default 0).
    pub weight_decay: f64,
    /// How biases start (default: each arm's scheme decides, zeros for
    /// all but framework presets).
    pub bias_init: BiasInit,
}

impl Default for ModelSpec {
    fn default() -> Self {
        let book = MlpConfig::book();
        ModelSpec {
            hidden_sizes: book.hidden_sizes,
            activation: book.activation,
            weight_decay: book.weight_decay,
            bias_init: book.bias_init,
        }
    }
}

/// How every arm is trained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrainingSpec {
    /// Rows per mini-batch (default 128).
    pub batch_size: usize,
    /// Optimizer steps per run (default 2000).
    pub iterations: usize,
    /// How batches are drawn (default: with replacement, as the book).
    pub sampling: Sampling,
    /// First seed (default 0).
    pub seed: u64,
    /// Number of seeds each arm runs with (default 1).
    pub seeds: usize,
    /// Record the loss of a fresh forward pass after each update, as the
    /// book does, instead of the loss that produced the gradient.
    pub loss_after_update: bool,
    /// Optimizer and hyperparameters (default SGD, lr 0.01).
    pub optimizer: OptimizerSpec,
    /// Iterations between per-layer diagnostics (default 50; 0 turns
    /// them off). They never change the loss curve.
    pub diagnose_every: usize,
}

impl Default for TrainingSpec {
    fn default() -> Self {
        TrainingSpec {
            batch_size: 128,
            iterations: 2000,
            sampling: Sampling::WithReplacement,
            seed: 0,
            seeds: 1,
            loss_after_update: false,
            optimizer: OptimizerSpec::default(),
            diagnose_every: DEFAULT_DIAGNOSE_EVERY,
        }
    }
}

/// Iterations between diagnostics by default.
pub const DEFAULT_DIAGNOSE_EVERY: usize = 50;

/// How runs are summarized.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalysisSpec {
    /// The loss whose first crossing (of the smoothed curve) is reported
    /// per run, in nats (default 0.5).
    pub target_loss: f64,
}

impl Default for AnalysisSpec {
    fn default() -> Self {
        AnalysisSpec { target_loss: 0.5 }
    }
}

/// One contestant: a display name and an initialization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmSpec {
    /// Name in tables, files and legends.
    pub name: String,
    /// How its weights start.
    pub init: Init,
    /// Its own nonlinearity, instead of the model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// Its own optimizer, instead of the training section's (to race
    /// initializations at their best learning rates, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimizer: Option<OptimizerSpec>,
}

impl ArmSpec {
    /// An arm named `name` with `init` and the model's activation.
    pub fn new(name: impl Into<String>, init: Init) -> Self {
        ArmSpec { name: name.into(), init, activation: None, optimizer: None }
    }
}

/// A whole comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Spec {
    /// The dataset.
    pub data: DataSpec,
    /// The network.
    pub model: ModelSpec,
    /// The training schedule.
    pub training: TrainingSpec,
    /// How the runs are summarized.
    pub analysis: AnalysisSpec,
    /// The arms, in table and legend order (`[[arm]]` in TOML).
    #[serde(rename = "arm")]
    pub arms: Vec<ArmSpec>,
}

impl Default for Spec {
    /// The book's experiment: std=0.01, Xavier and He on MNIST.
    fn default() -> Self {
        Spec {
            data: DataSpec::default(),
            model: ModelSpec::default(),
            training: TrainingSpec::default(),
            analysis: AnalysisSpec::default(),
            arms: vec![
                ArmSpec::new("std=0.01", Init::Normal { std: 0.01 }),
                ArmSpec::new("Xavier", Init::XAVIER),
                ArmSpec::new("He", Init::HE),
            ],
        }
    }
}

impl Spec {
    /// Checks everything that does not need the data.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the field: no arms, duplicate arm names,
    /// zero iterations, batch size or seeds, a bad model or optimizer.
    pub fn validate(&self) -> Result<(), Error> {
        let training = &self.training;
        if training.iterations == 0 {
            return Err(Error::invalid("training.iterations", "at least 1", 0));
        }
        if training.batch_size == 0 {
            return Err(Error::invalid("training.batch_size", "at least 1", 0));
        }
        if training.seeds == 0 {
            return Err(Error::invalid("training.seeds", "at least 1", 0));
        }
        training.optimizer.validate()?;
        let target = self.analysis.target_loss;
        if !(target.is_finite() && target > 0.0) {
            return Err(Error::invalid("analysis.target_loss", "a finite number > 0", target));
        }
        if self.arms.is_empty() {
            return Err(Error::invalid("arms", "at least one arm", "none"));
        }
        let mut names = HashSet::new();
        for arm in &self.arms {
            if !names.insert(arm.name.as_str()) {
                return Err(Error::invalid("arm names", "distinct names", &arm.name));
            }
            if let Some(optimizer) = &arm.optimizer {
                optimizer.validate()?;
            }
        }
        // Sizes and λ, with placeholder input and output sizes.
        self.net_config(0, 1, 1).validate()
    }

    /// The net of arm `arm` for data with `input_size` features and
    /// `output_size` classes.
    pub fn net_config(&self, arm: usize, input_size: usize, output_size: usize) -> MlpConfig {
        let spec = &self.arms[arm];
        MlpConfig {
            input_size,
            hidden_sizes: self.model.hidden_sizes.clone(),
            output_size,
            activation: spec.activation.unwrap_or(self.model.activation),
            init: spec.init,
            weight_decay: self.model.weight_decay,
            bias_init: self.model.bias_init,
        }
    }

    /// The optimizer of arm `arm`: its own, or the training section's.
    pub fn optimizer(&self, arm: usize) -> OptimizerSpec {
        self.arms[arm].optimizer.unwrap_or(self.training.optimizer)
    }

    /// The seeds every arm runs with.
    pub fn seeds(&self) -> impl Iterator<Item = u64> + '_ {
        (0..self.training.seeds as u64).map(|s| self.training.seed.wrapping_add(s))
    }

    /// Parses a spec from TOML text; missing fields take the book's values.
    ///
    /// # Errors
    ///
    /// [`Error::Spec`] with the parser's message (line, column and field),
    /// then anything [`Spec::validate`] finds.
    pub fn from_toml(text: &str, path: &std::path::Path) -> Result<Self, Error> {
        let spec: Spec = toml::from_str(text)
            .map_err(|e| Error::Spec { path: path.to_path_buf(), message: e.to_string() })?;
        spec.validate()
            .map_err(|e| Error::Spec { path: path.to_path_buf(), message: e.to_string() })?;
        Ok(spec)
    }

    /// The spec as TOML, every field written out.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a spec has only TOML-representable fields")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn default_is_the_books_experiment_and_round_trips() {
        let spec = Spec::default();
        spec.validate().unwrap();
        let text = spec.to_toml();
        assert!(text.contains("[[arm]]"), "{text}");
        let back = Spec::from_toml(&text, Path::new("spec.toml")).unwrap();
        assert_eq!(back, spec);
        assert_eq!(spec.net_config(2, 784, 10), MlpConfig::book());
    }

    #[test]
    fn partial_files_take_defaults() {
        let spec = Spec::from_toml("[training]\niterations = 10\n", Path::new("a.toml")).unwrap();
        assert_eq!(spec.training.iterations, 10);
        assert_eq!(spec.arms.len(), 3);
    }

    #[test]
    fn errors_name_line_and_field() {
        let err = Spec::from_toml("[training]\nbatch_sise = 3\n", Path::new("a.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a.toml") && err.contains("line 2") && err.contains("batch_sise"),
            "{err}"
        );
        let err = Spec::from_toml("[[arm]]\nname = \"x\"\ninit = \"bogus\"\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("bogus"), "{err}");
        let err = Spec::from_toml("[training]\niterations = 0\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("training.iterations"), "{err}");
    }

    #[test]
    fn bundled_book_spec_is_the_default() {
        let text = include_str!("../../../experiments/book-init-compare.toml");
        let path = Path::new("experiments/book-init-compare.toml");
        assert_eq!(Spec::from_toml(text, path).unwrap(), Spec::default());
    }
}
