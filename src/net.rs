//! `Mlp`: a multilayer perceptron, the book's `MultiLayerNet`.
//!
//! ```text
//! a_1 = x W_1 + b_1      z_1 = φ(a_1)
//! a_l = z_{l-1} W_l + b_l  z_l = φ(a_l)       l = 2 .. L-1
//! logits = z_{L-1} W_L + b_L
//! loss = softmax-cross-entropy(logits, t) + ½ λ Σ_l ‖W_l‖²
//! x: [batch, input]   W_l: [fan_in, fan_out]   logits: [batch, classes]
//! ```
//!
//! `gradients` runs forward and backward and leaves `dW`, `db` in each
//! [`Affine`]; `numerical_gradients` estimates the same by central
//! differences, to check the backward pass (run it in f64). Weight decay λ
//! adds `λ W` to each weight gradient; biases are not decayed, as in the
//! book's `MultiLayerNet`.
//!
//! All buffers are sized by the batch: once a step at a batch size has run,
//! further steps at that size allocate nothing.

use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::init::{BiasInit, Init};
use crate::layers::{ActivationLayer, Affine, SoftmaxCrossEntropy, Targets};
use crate::optim::Optimizer;
use crate::{Error, Real};

/// Rows per chunk when `predict` and `accuracy` walk a large input, so the
/// buffers stay small and evaluation does not resize them to a whole
/// test set.
const EVAL_CHUNK: usize = 1000;

/// The shape and settings of an [`Mlp`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlpConfig {
    /// Features per input row (784 for MNIST).
    pub input_size: usize,
    /// Units of each hidden layer, first to last; at least one.
    pub hidden_sizes: Vec<usize>,
    /// Number of classes.
    pub output_size: usize,
    /// The nonlinearity after every hidden layer.
    pub activation: Activation,
    /// How weights are drawn.
    pub init: Init,
    /// L2 weight decay λ ≥ 0: adds ½ λ Σ ‖W‖² to the loss.
    pub weight_decay: f64,
    /// How biases are drawn. The default, [`BiasInit::Scheme`], follows
    /// `init`'s own rule: zeros, except for framework presets such as
    /// `pytorch-default` that define one. Absent from a spec file, it takes
    /// that default.
    #[serde(default)]
    pub bias_init: BiasInit,
}

impl MlpConfig {
    /// The net of the book's chapter 6 race: 784-100-100-100-100-10, ReLU,
    /// He initialization, no weight decay.
    pub fn book() -> Self {
        MlpConfig {
            input_size: 784,
            hidden_sizes: vec![100; 4],
            output_size: 10,
            activation: Activation::Relu,
            init: Init::HE,
            weight_decay: 0.0,
            bias_init: BiasInit::Scheme,
        }
    }

    /// Trainable scalars (weights and biases) of the net this config
    /// builds.
    pub fn parameter_count(&self) -> usize {
        self.sizes().windows(2).map(|pair| pair[0] * pair[1] + pair[1]).sum()
    }

    /// Every layer size, input first: `[784, 100, 100, 100, 100, 10]`.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![self.input_size];
        sizes.extend(&self.hidden_sizes);
        sizes.push(self.output_size);
        sizes
    }

    /// Checks every size, λ and the init parameters.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a zero size, no hidden layer, a λ that is
    /// not finite and ≥ 0, or an out-of-range init or bias-init parameter.
    pub fn validate(&self) -> Result<(), Error> {
        self.init.validate()?;
        self.bias_init.validate()?;
        if self.hidden_sizes.is_empty() {
            return Err(Error::invalid("hidden sizes", "at least one hidden layer", "none"));
        }
        for (i, &size) in self.sizes().iter().enumerate() {
            if size == 0 {
                let what = match i {
                    0 => "input size".to_string(),
                    i if i == self.hidden_sizes.len() + 1 => "output size".to_string(),
                    i => format!("hidden size of layer {i}"),
                };
                return Err(Error::invalid(what, "at least 1 unit", 0));
            }
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            return Err(Error::invalid("weight decay", "a finite number >= 0", self.weight_decay));
        }
        Ok(())
    }
}

/// A fully connected net: affine layers with φ between them and a
/// softmax-cross-entropy head.
///
/// ```
/// use initlab::net::{Mlp, MlpConfig};
/// use initlab::layers::Targets;
/// use rand::SeedableRng;
/// let config = MlpConfig { input_size: 4, hidden_sizes: vec![8], output_size: 3,
///     ..MlpConfig::book() };
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let mut net = Mlp::<f64>::new(&config, &mut rng).unwrap();
/// let x = ndarray::Array2::from_elem((2, 4), 0.5);
/// let loss = net.loss(x.view(), Targets::Labels(&[0, 2])).unwrap();
/// assert!(loss > 0.0 && loss.is_finite());
/// ```
#[derive(Clone, Debug)]
pub struct Mlp<F: Real> {
    /// Affine layers, input to output; one more than `activations`.
    affines: Vec<Affine<F>>,
    /// The nonlinearity after each hidden affine layer.
    activations: Vec<ActivationLayer<F>>,
    /// Softmax with cross-entropy on the logits.
    head: SoftmaxCrossEntropy<F>,
    /// L2 weight decay λ.
    weight_decay: F,
}

/// The gradients of one affine layer, as [`Mlp::numerical_gradients`]
/// returns them.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerGradients<F> {
    /// `∂loss/∂W`, `[fan_in, fan_out]`.
    pub dw: Array2<F>,
    /// `∂loss/∂b`, `[fan_out]`.
    pub db: Array1<F>,
}

impl<F: Real> Mlp<F> {
    /// Builds the net of `config`, drawing from `rng` in layer order each
    /// weight matrix, then that layer's biases (zero biases draw nothing,
    /// so they leave the weights' stream as it was).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] if the config is invalid (see
    /// [`MlpConfig::validate`]).
    pub fn new<R: Rng + ?Sized>(config: &MlpConfig, rng: &mut R) -> Result<Self, Error> {
        config.validate()?;
        let sizes = config.sizes();
        let affines = sizes
            .windows(2)
            .map(|pair| {
                let w = config.init.sample(pair[0], pair[1], rng);
                let b = config.bias_init.sample(&config.init, pair[0], pair[1], rng);
                Affine::new(w, b)
            })
            .collect();
        Self::from_layers(affines, config.activation, config.weight_decay)
    }

    /// Builds a net from given affine layers, with `activation` between them.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if a layer's fan_in differs from the previous
    /// layer's fan_out; [`Error::Invalid`] for fewer than two layers or a
    /// bad λ.
    pub fn from_layers(
        affines: Vec<Affine<F>>,
        activation: Activation,
        weight_decay: f64,
    ) -> Result<Self, Error> {
        if affines.len() < 2 {
            return Err(Error::invalid("layers", "at least 2 affine layers", affines.len()));
        }
        if !(weight_decay.is_finite() && weight_decay >= 0.0) {
            return Err(Error::invalid("weight decay", "a finite number >= 0", weight_decay));
        }
        for (l, pair) in affines.windows(2).enumerate() {
            if pair[0].fan_out() != pair[1].fan_in() {
                return Err(Error::Shape {
                    op: format!("Mlp::from_layers layer {}", l + 2),
                    expected: format!("[{}, _]", pair[0].fan_out()),
                    found: format!("{:?}", pair[1].w.dim()),
                });
            }
        }
        let activations = (1..affines.len()).map(|_| ActivationLayer::new(activation)).collect();
        let head = SoftmaxCrossEntropy::default();
        Ok(Mlp { affines, activations, head, weight_decay: F::of(weight_decay) })
    }

    /// The affine layers, input to output.
    pub fn affines(&self) -> &[Affine<F>] {
        &self.affines
    }

    /// The affine layers, mutable (to set weights by hand or rescale them).
    pub fn affines_mut(&mut self) -> &mut [Affine<F>] {
        &mut self.affines
    }

    /// The activation layers after each hidden affine layer; after a
    /// forward pass each holds its output `z_l`.
    pub fn activation_layers(&self) -> &[ActivationLayer<F>] {
        &self.activations
    }

    /// Features per input row.
    pub fn input_size(&self) -> usize {
        self.affines[0].fan_in()
    }

    /// Number of classes.
    pub fn output_size(&self) -> usize {
        self.affines[self.affines.len() - 1].fan_out()
    }

    /// Number of trainable scalars (weights and biases).
    pub fn parameter_count(&self) -> usize {
        self.affines.iter().map(|a| a.w.len() + a.b.len()).sum()
    }

    /// Sizes every buffer for `batch_size` rows, so that the first step
    /// does not allocate either.
    pub fn reserve(&mut self, batch_size: usize) {
        for (l, affine) in self.affines.iter_mut().enumerate() {
            affine.resize(batch_size);
            if let Some(act) = self.activations.get_mut(l) {
                act.resize(batch_size, affine.fan_out());
            }
        }
    }

    /// Checks that `x` fits the input layer and `targets` fit `x` and the
    /// classes.
    fn check_batch(
        &self,
        x: ArrayView2<'_, F>,
        targets: Option<Targets<'_, F>>,
    ) -> Result<(), Error> {
        if x.ncols() != self.input_size() || x.nrows() == 0 {
            return Err(Error::Shape {
                op: "Mlp input batch".into(),
                expected: format!("[batch >= 1, {}]", self.input_size()),
                found: format!("{:?}", x.dim()),
            });
        }
        let Some(targets) = targets else { return Ok(()) };
        if targets.len() != x.nrows() {
            return Err(Error::Shape {
                op: "Mlp targets".into(),
                expected: format!("{} rows, one per input row", x.nrows()),
                found: format!("{} rows", targets.len()),
            });
        }
        let classes = self.output_size();
        match targets {
            Targets::Labels(labels) => match labels.iter().find(|&&t| t >= classes) {
                Some(bad) => Err(Error::invalid("label", format!("a class below {classes}"), bad)),
                None => Ok(()),
            },
            Targets::OneHot(t) if t.ncols() != classes => Err(Error::Shape {
                op: "Mlp one-hot targets".into(),
                expected: format!("[{}, {classes}]", x.nrows()),
                found: format!("{:?}", t.dim()),
            }),
            Targets::OneHot(_) => Ok(()),
        }
    }
}

impl<F: Real> Mlp<F> {
    /// Forward pass through every layer; the logits stay in the last
    /// affine layer's buffer. `x` is assumed checked.
    fn forward(&mut self, x: ArrayView2<'_, F>) {
        let last = self.affines.len() - 1;
        for l in 0..=last {
            // a_l = z_{l-1} W_l + b_l, with z_0 = x
            let input = if l == 0 { x } else { self.activations[l - 1].output() };
            self.affines[l].forward(input);

            // z_l = φ(a_l) for hidden layers
            if l < last {
                self.activations[l].forward(self.affines[l].output());
            }
        }
    }

    /// Runs the forward pass up to affine layer `layer` (0-based; the last
    /// one gives the logits) and returns its output, the pre-activation
    /// `a_{layer+1} = z W + b`. Layer-wise schemes such as LSUV read it.
    ///
    /// # Shapes
    ///
    /// `x: [batch, input]`; returns `[batch, fan_out of the layer]`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if `x` does not fit the input layer,
    /// [`Error::Invalid`] if `layer` is not below the number of affine
    /// layers.
    pub fn forward_to(
        &mut self,
        x: ArrayView2<'_, F>,
        layer: usize,
    ) -> Result<ArrayView2<'_, F>, Error> {
        self.check_batch(x, None)?;
        let count = self.affines.len();
        if layer >= count {
            return Err(Error::invalid("layer index", format!("below {count}"), layer));
        }
        for l in 0..=layer {
            let input = if l == 0 { x } else { self.activations[l - 1].output() };
            self.affines[l].forward(input);
            if l < layer {
                self.activations[l].forward(self.affines[l].output());
            }
        }
        Ok(self.affines[layer].output())
    }

    /// Backward pass from the head's gradient to every `dW`, `db`.
    fn backward(&mut self, x: ArrayView2<'_, F>, targets: Targets<'_, F>) {
        let last = self.affines.len() - 1;
        self.head.backward(targets);
        for l in (0..=last).rev() {
            // dW_l, db_l and (except for the first layer) dz_{l-1}
            let input = if l == 0 { x } else { self.activations[l - 1].output() };
            let dout = if l == last { self.head.dx() } else { self.activations[l].dx() };
            self.affines[l].backward(input, dout, l > 0);

            // da_{l-1} = dz_{l-1} ⊙ φ'(a_{l-1})
            if l > 0 {
                let (below, here) = self.affines.split_at(l);
                self.activations[l - 1].backward(below[l - 1].output(), here[0].dx());
            }
        }

        // weight decay: dW += λ W
        if self.weight_decay > F::zero() {
            let lambda = self.weight_decay;
            for affine in &mut self.affines {
                Zip::from(&mut affine.dw).and(&affine.w).for_each(|dw, &w| *dw += lambda * w);
            }
        }
    }

    /// ½ λ Σ ‖W‖², the weight-decay term of the loss.
    fn decay_loss(&self) -> F {
        if self.weight_decay == F::zero() {
            return F::zero();
        }
        let squares: F = self.affines.iter().map(|a| a.w.iter().map(|&w| w * w).sum::<F>()).sum();
        F::of(0.5) * self.weight_decay * squares
    }

    /// The loss on a batch: mean cross-entropy plus the weight-decay term.
    ///
    /// # Shapes
    ///
    /// `x: [batch, input]`, `targets` with `batch` rows.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] or [`Error::Invalid`] if `x` or `targets` do not fit.
    pub fn loss(&mut self, x: ArrayView2<'_, F>, targets: Targets<'_, F>) -> Result<F, Error> {
        self.check_batch(x, Some(targets))?;
        self.forward(x);
        let logits = self.affines[self.affines.len() - 1].output();
        Ok(self.head.forward(logits, targets) + self.decay_loss())
    }

    /// Runs forward and backward on a batch, leaving `dW` and `db` in every
    /// affine layer, and returns the loss of that forward pass.
    ///
    /// # Shapes
    ///
    /// `x: [batch, input]`, `targets` with `batch` rows.
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`].
    pub fn gradients(&mut self, x: ArrayView2<'_, F>, targets: Targets<'_, F>) -> Result<F, Error> {
        let loss = self.loss(x, targets)?;
        self.backward(x, targets);
        Ok(loss)
    }

    /// Applies the gradients of the last [`Mlp::gradients`] call with
    /// `optimizer`: slots `2l` and `2l + 1` are layer l's `W` and `b`.
    pub fn apply_gradients<O: Optimizer<F> + ?Sized>(&mut self, optimizer: &mut O) {
        optimizer.begin_step();
        for (l, affine) in self.affines.iter_mut().enumerate() {
            let slices = (affine.w.as_slice_mut(), affine.dw.as_slice(), affine.b.as_slice_mut());
            let (Some(w), Some(dw), Some(b)) = slices else {
                unreachable!("parameters are allocated in standard layout");
            };
            optimizer.update(2 * l, w, dw);
            let db = affine.db.as_slice().expect("db is allocated in standard layout");
            optimizer.update(2 * l + 1, b, db);
        }
    }

    /// One training step: gradients on the batch, then an optimizer update.
    /// Returns the loss of the forward pass that computed the gradients.
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`]; on error nothing is updated.
    pub fn train_step<O: Optimizer<F> + ?Sized>(
        &mut self,
        x: ArrayView2<'_, F>,
        targets: Targets<'_, F>,
        optimizer: &mut O,
    ) -> Result<F, Error> {
        let loss = self.gradients(x, targets)?;
        self.apply_gradients(optimizer);
        Ok(loss)
    }

    /// The logits for `x`, computed in chunks of rows.
    ///
    /// # Shapes
    ///
    /// `x: [n, input]`; returns `[n, classes]`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if `x` does not have `input` columns.
    pub fn predict(&mut self, x: ArrayView2<'_, F>) -> Result<Array2<F>, Error> {
        self.check_batch(x, None)?;
        let mut logits = Array2::zeros((x.nrows(), self.output_size()));
        for (chunk, mut out) in x
            .axis_chunks_iter(Axis(0), EVAL_CHUNK)
            .zip(logits.axis_chunks_iter_mut(Axis(0), EVAL_CHUNK))
        {
            self.forward(chunk);
            out.assign(&self.affines[self.affines.len() - 1].output());
        }
        Ok(logits)
    }

    /// The fraction of rows whose largest logit is at the label, in [0, 1].
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`].
    pub fn accuracy(&mut self, x: ArrayView2<'_, F>, labels: &[usize]) -> Result<f64, Error> {
        self.check_batch(x, Some(Targets::Labels(labels)))?;
        let logits = self.predict(x)?;
        let correct = logits
            .axis_iter(Axis(0))
            .zip(labels)
            .filter(|(row, &label)| argmax(row.iter().copied()) == label)
            .count();
        Ok(correct as f64 / labels.len() as f64)
    }
}

impl<F: Real> Mlp<F> {
    /// The gradient of the loss with respect to affine layer `l`'s output
    /// (its pre-activation, 0-based) from the last backward pass,
    /// `[batch, fan_out]`.
    ///
    /// # Panics
    ///
    /// If `l` is not a layer of the net.
    pub fn pre_activation_gradient(&self, l: usize) -> ArrayView2<'_, F> {
        match self.activations.get(l) {
            Some(act) => act.dx(),
            None => {
                assert_eq!(l, self.activations.len(), "layer {l} of {}", self.affines.len());
                self.head.dx()
            }
        }
    }
}

/// Index of the largest value (the first one on ties).
fn argmax<F: Real>(values: impl Iterator<Item = F>) -> usize {
    let mut best = (0, F::neg_infinity());
    for (i, v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

impl<F: Real> Mlp<F> {
    /// Estimates every gradient by five-point central differences:
    ///
    /// ```text
    /// ∂loss/∂θ ≈ (8 (L(θ+h) - L(θ-h)) - (L(θ+2h) - L(θ-2h))) / 12h
    /// ```
    ///
    /// The truncation error is O(h⁴) and the rounding error of order
    /// ε·loss/h, so in f64 h = 1e-4 leaves about 1e-12: ten times less
    /// than the two-point rule at its best step. Four forward passes per
    /// parameter: use small nets.
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`].
    pub fn numerical_gradients(
        &mut self,
        x: ArrayView2<'_, F>,
        targets: Targets<'_, F>,
        h: F,
    ) -> Result<Vec<LayerGradients<F>>, Error> {
        self.check_batch(x, Some(targets))?;
        let mut grads = Vec::with_capacity(self.affines.len());
        for l in 0..self.affines.len() {
            let (fan_in, fan_out) = self.affines[l].w.dim();
            let mut dw = Array2::zeros((fan_in, fan_out));
            for (idx, g) in dw.indexed_iter_mut() {
                *g = self.central_difference(x, targets, h, |net| &mut net.affines[l].w[idx])?;
            }
            let mut db = Array1::zeros(fan_out);
            for (j, g) in db.iter_mut().enumerate() {
                *g = self.central_difference(x, targets, h, |net| &mut net.affines[l].b[j])?;
            }
            grads.push(LayerGradients { dw, db });
        }
        Ok(grads)
    }

    /// The five-point central difference for the parameter `param`
    /// selects; the parameter is restored exactly afterwards.
    fn central_difference(
        &mut self,
        x: ArrayView2<'_, F>,
        targets: Targets<'_, F>,
        h: F,
        param: impl Fn(&mut Self) -> &mut F,
    ) -> Result<F, Error> {
        let saved = *param(self);
        let mut loss_at = |offset: F| -> Result<F, Error> {
            *param(self) = saved + offset;
            self.loss(x, targets)
        };
        let (plus1, minus1) = (loss_at(h)?, loss_at(-h)?);
        let (plus2, minus2) = (loss_at(h + h)?, loss_at(-(h + h))?);
        *param(self) = saved;
        let eight = F::of(8.0);
        Ok((eight * (plus1 - minus1) - (plus2 - minus2)) / (F::of(12.0) * h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn small_config(activation: Activation, weight_decay: f64) -> MlpConfig {
        MlpConfig {
            input_size: 5,
            hidden_sizes: vec![6, 4],
            output_size: 3,
            activation,
            init: Init::XAVIER,
            weight_decay,
            bias_init: BiasInit::Scheme,
        }
    }

    fn random_batch(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(&mut rng))
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut net = Mlp::<f32>::new(&small_config(Activation::Relu, 0.0), &mut rng).unwrap();
        let wide = Array2::zeros((2, 6));
        let err = net.loss(wide.view(), Targets::Labels(&[0, 1])).unwrap_err().to_string();
        assert!(err.contains("[batch >= 1, 5]") && err.contains("(2, 6)"), "{err}");
        let x = Array2::zeros((2, 5));
        let err = net.loss(x.view(), Targets::Labels(&[0, 3])).unwrap_err().to_string();
        assert!(err.contains("below 3") && err.contains('3'), "{err}");
        let err = net.loss(x.view(), Targets::Labels(&[0])).unwrap_err().to_string();
        assert!(err.contains("2 rows"), "{err}");

        let mut config = small_config(Activation::Relu, 0.0);
        config.hidden_sizes = vec![6, 0];
        let err = Mlp::<f32>::new(&config, &mut rng).unwrap_err().to_string();
        assert!(err.contains("hidden size of layer 2") && err.contains("found 0"), "{err}");
        config.hidden_sizes = vec![];
        assert!(Mlp::<f32>::new(&config, &mut rng).is_err());
        config.hidden_sizes = vec![3];
        config.weight_decay = f64::NAN;
        assert!(Mlp::<f32>::new(&config, &mut rng).is_err());
    }

    #[test]
    fn same_seed_gives_bit_identical_nets() {
        let build = || {
            let mut rng = ChaCha8Rng::seed_from_u64(9);
            Mlp::<f32>::new(&MlpConfig::book(), &mut rng).unwrap()
        };
        let (a, b) = (build(), build());
        for (la, lb) in a.affines().iter().zip(b.affines()) {
            assert_eq!(la.w, lb.w);
        }
        assert_eq!(a.parameter_count(), 784 * 100 + 100 + 3 * (100 * 100 + 100) + 100 * 10 + 10);
        assert_eq!(MlpConfig::book().parameter_count(), a.parameter_count());
    }

    #[test]
    fn bias_init_follows_the_scheme_unless_overridden() {
        // the default draws no biases, so the weights match a net built
        // before biases had a rule (same seed, same stream)
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let mut config = small_config(Activation::Relu, 0.0);
        let net = Mlp::<f64>::new(&config, &mut rng).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let first = Init::XAVIER.sample::<f64, _>(5, 6, &mut rng);
        assert_eq!(net.affines()[0].w, first);
        assert!(net.affines().iter().all(|a| a.b.iter().all(|&b| b == 0.0)));

        // pytorch-default brings U(±1/√fan_in) biases
        config.init = "pytorch-default".parse().unwrap();
        let net = Mlp::<f64>::new(&config, &mut rng).unwrap();
        for affine in net.affines() {
            let bound = 1.0 / (affine.fan_in() as f64).sqrt();
            assert!(
                affine.b.iter().all(|b| b.abs() <= bound) && affine.b.iter().any(|&b| b != 0.0)
            );
        }

        // an explicit rule overrides the preset's
        config.bias_init = BiasInit::Constant { value: 0.5 };
        let net = Mlp::<f64>::new(&config, &mut rng).unwrap();
        assert!(net.affines().iter().all(|a| a.b.iter().all(|&b| b == 0.5)));
    }

    #[test]
    fn config_without_bias_init_reads_as_the_scheme_rule() {
        let text = r#"
            input_size = 784
            hidden_sizes = [100, 100]
            output_size = 10
            activation = "leaky-relu:0.2"
            init = "he-uniform:fan_out"
            weight_decay = 0.0
        "#;
        let config: MlpConfig = toml::from_str(text).unwrap();
        assert_eq!(config.bias_init, BiasInit::Scheme);
        assert_eq!(config.activation, Activation::LeakyRelu { slope: 0.2 });
        let back: MlpConfig = toml::from_str(&toml::to_string(&config).unwrap()).unwrap();
        assert_eq!(back, config);
    }

    #[test]
    fn forward_to_the_last_layer_gives_the_logits() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut net = Mlp::<f64>::new(&small_config(Activation::Gelu, 0.0), &mut rng).unwrap();
        let x = random_batch(9, 5, 3);
        let logits = net.predict(x.view()).unwrap();
        assert_eq!(net.forward_to(x.view(), 2).unwrap(), logits);
        assert_eq!(net.forward_to(x.view(), 0).unwrap().dim(), (9, 6));
        let err = net.forward_to(x.view(), 3).unwrap_err().to_string();
        assert!(err.contains("below 3") && err.contains("found 3"), "{err}");
    }

    #[test]
    fn predict_in_chunks_matches_one_pass() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut net = Mlp::<f64>::new(&small_config(Activation::Tanh, 0.0), &mut rng).unwrap();
        let x = random_batch(EVAL_CHUNK + 17, 5, 5);
        let chunked = net.predict(x.view()).unwrap();
        net.forward(x.view());
        assert!(chunked.abs_diff_eq(&net.affines[2].output(), 1e-12));
    }

    proptest::proptest! {
        /// Any small net on any batch: logits and gradients have the
        /// documented shapes, the loss is finite and ≥ 0, and every
        /// probability row sums to 1.
        #[test]
        fn shapes_and_loss_hold_for_any_net(
            input in 1usize..7,
            hidden in proptest::collection::vec(1usize..7, 1..4),
            output in 2usize..6,
            batch in 1usize..9,
            activation in 0usize..Activation::ALL.len(),
            seed in 0u64..1000,
            scale in 0.01f64..10.0,
        ) {
            let config = MlpConfig {
                input_size: input,
                hidden_sizes: hidden,
                output_size: output,
                activation: Activation::ALL[activation],
                ..MlpConfig::book()
            };
            let mut net = Mlp::<f64>::new(&config, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap();
            let x = random_batch(batch, input, seed) * scale;
            let labels: Vec<usize> = (0..batch).map(|i| i % output).collect();

            let loss = net.gradients(x.view(), Targets::Labels(&labels)).unwrap();
            proptest::prop_assert!(loss.is_finite() && loss >= 0.0, "loss {}", loss);
            for row in net.head.probs().rows() {
                proptest::prop_assert!((row.sum() - 1.0).abs() < 1e-9);
            }
            for affine in net.affines() {
                proptest::prop_assert_eq!(affine.dw.dim(), affine.w.dim());
                proptest::prop_assert_eq!(affine.db.len(), affine.b.len());
            }
            proptest::prop_assert_eq!(net.predict(x.view()).unwrap().dim(), (batch, output));
        }
    }
}
