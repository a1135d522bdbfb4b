//! The activation-histogram experiment of the book's chapter 6.2: random
//! input through a deep stack, one histogram of each layer's outputs per
//! initialization.
//!
//! ```text
//! x: [samples, width]        x_ij ~ N(0, 1), the same for every config
//! a_l = z_{l-1} W_l (+ b_l)  W_l: [fan_in, units] from the config's init
//! z_l = φ(a_l)               z_l: [samples, units],  z_0 = x
//! ```
//!
//! For each configuration (an init and an activation) and each layer
//! `l = 1 .. layers` it records a histogram of the `samples · units` values
//! of `z_l` and their mean, standard deviation, the fractions saturated
//! ([`Activation::is_saturated`]), exactly zero and outside the histogram
//! range, next to the mean-field prediction of [`crate::theory`].
//!
//! The defaults are the book's: 1000 samples of 100-dimensional standard
//! normal input, 5 layers of 100 units without bias, 30 bins on `[0, 1]`,
//! and the four pictures it shows (std=1, std=0.01 and Xavier with sigmoid,
//! He with ReLU).
//!
//! Randomness: the input is drawn from `ChaCha8Rng::seed_from_u64(seed)` on
//! stream [`INPUT_STREAM`]; configuration `i` (0-based) draws its weights,
//! layer by layer, from the same seed on stream `i + 1`. A configuration's
//! weights depend on its position only: appending another never changes
//! them. The forward pass runs
//! in f32 (the library's working precision); statistics are summed in f64.
//!
//! Memory: every layer's output is kept until the histogram range is known
//! (`auto` needs all of them), and the configurations run in parallel, so
//! a run holds up to `configs · layers · samples · units` f32 values: 8 MB
//! for the defaults, 80 MB for two configurations at width 1000.

use std::fmt;
use std::str::FromStr;

use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::init::Init;
use crate::linalg::matmul;
use crate::theory::{output_fractions, propagate, LayerTheory};
use crate::{Error, Result};

/// The ChaCha stream the input is drawn from; configuration `i` uses
/// stream `i + 1`.
pub const INPUT_STREAM: u64 = 0;

/// `E[x²]` of the standard normal input, for the theory's first layer.
const INPUT_SECOND_MOMENT: f64 = 1.0;

/// At most this many values in one layer's `[samples, units]` output (or
/// the input): 2^28 f32 values are 1 GiB.
pub const MAX_LAYER_VALUES: usize = 1 << 28;

/// At most this many histogram bins.
pub const MAX_BINS: usize = 100_000;

/// Half-width of the range `auto` picks when every value is the same.
const AUTO_PAD: f64 = 0.5;

/// One pair to push the input through: how weights are drawn and which
/// nonlinearity follows each layer.
///
/// Its text form is `INIT:ACTIVATION`, e.g. `std=0.01:sigmoid` or
/// `he:relu`; since init names may contain colons themselves, the split is
/// at the rightmost colon whose two sides both parse.
///
/// ```
/// use initlab::experiment::activations::Config;
/// let config: Config = "xavier:tanh".parse().unwrap();
/// assert_eq!(config.to_string(), "xavier:tanh");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// How every layer's weights are drawn.
    pub init: Init,
    /// The nonlinearity after every layer.
    pub activation: Activation,
}

impl Config {
    /// The book's four pictures (figures 6-10, 6-11, 6-13 and 6-14).
    pub fn book() -> Vec<Config> {
        vec![
            Config { init: Init::Normal { std: 1.0 }, activation: Activation::Sigmoid },
            Config { init: Init::Normal { std: 0.01 }, activation: Activation::Sigmoid },
            Config { init: Init::XAVIER, activation: Activation::Sigmoid },
            Config { init: Init::HE, activation: Activation::Relu },
        ]
    }

    /// A title for tables and figures: `init std=1, sigmoid`.
    pub fn title(&self) -> String {
        format!("init {}, {}", self.init, self.activation)
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.init, self.activation)
    }
}

impl FromStr for Config {
    type Err = Error;

    /// Tries each colon from the right and keeps the first split whose
    /// suffix is an activation and prefix an init.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] without a colon; otherwise the activation's or the
    /// init's own error for the rightmost split, whichever side failed.
    fn from_str(text: &str) -> Result<Self> {
        let mut first_error = None;
        for (at, _) in text.rmatch_indices(':') {
            let (init, activation) = (&text[..at], &text[at + 1..]);
            let parsed = activation.parse::<Activation>().and_then(|activation| {
                init.parse::<Init>().map(|init| Config { init, activation })
            });
            match parsed {
                Ok(config) => return Ok(config),
                Err(err) => {
                    first_error.get_or_insert(err);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| {
            Error::invalid("config", "INIT:ACTIVATION, e.g. he:relu or std=0.01:sigmoid", text)
        }))
    }
}

/// Where the histogram bins lie.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HistogramRange {
    /// Equal bins on `[lo, hi]`; values outside are counted apart.
    Fixed {
        /// Left edge of the first bin.
        lo: f64,
        /// Right edge of the last bin (included in it).
        hi: f64,
    },
    /// Each configuration's bins span the smallest and largest value over
    /// all of its layers, so nothing falls outside and a row of the figure
    /// shares one axis.
    Auto,
}

impl FromStr for HistogramRange {
    type Err = Error;

    /// Parses `auto` or `LO,HI` (two numbers; checked by
    /// [`Spec::validate`]).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the text.
    fn from_str(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("auto") {
            return Ok(HistogramRange::Auto);
        }
        let bad = || Error::invalid("range", "LO,HI (two numbers, e.g. 0,1) or auto", text);
        let (lo, hi) = text.split_once(',').ok_or_else(bad)?;
        let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
        let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
        Ok(HistogramRange::Fixed { lo, hi })
    }
}

impl fmt::Display for HistogramRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistogramRange::Fixed { lo, hi } => write!(f, "{lo},{hi}"),
            HistogramRange::Auto => f.write_str("auto"),
        }
    }
}

/// Everything the experiment needs; [`Spec::default`] is the book's setup.
///
/// Field names are the command-line flags' (`--samples`, `--width`, ...;
/// `configs` is the repeated `--config`), so a validation error names the
/// flag to change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Spec {
    /// Input rows (default 1000).
    pub samples: usize,
    /// Features per input row, the first layer's fan_in (default 100).
    pub width: usize,
    /// Layers in the stack (default 5).
    pub layers: usize,
    /// Units of every layer (default 100).
    pub units: usize,
    /// Whether each layer adds a bias (default no, as in the book).
    pub bias: bool,
    /// Standard deviation of the biases, drawn `N(0, bias_std²)` per unit
    /// when `bias` is on (default 0: zero biases, which change nothing).
    pub bias_std: f64,
    /// The init and activation pairs to compare (default: the book's four).
    pub configs: Vec<Config>,
    /// Histogram bins (default 30).
    pub bins: usize,
    /// Histogram range (default `[0, 1]`, as in the book).
    pub range: HistogramRange,
    /// Seed of the input and of every configuration's weights (default 0).
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            samples: 1000,
            width: 100,
            layers: 5,
            units: 100,
            bias: false,
            bias_std: 0.0,
            configs: Config::book(),
            bins: 30,
            range: HistogramRange::Fixed { lo: 0.0, hi: 1.0 },
            seed: 0,
        }
    }
}

impl Spec {
    /// Checks every field.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`], with `what` the field (and flag) name, for: a
    /// zero `samples`, `width`, `layers`, `units` or `bins`; a layer larger
    /// than [`MAX_LAYER_VALUES`] or more than [`MAX_BINS`] bins; no
    /// configuration; a `bias_std` that is negative, not finite, or set
    /// while `bias` is off; a fixed range that is not finite or has
    /// `lo >= hi`.
    pub fn validate(&self) -> Result<()> {
        for (what, value) in [
            ("samples", self.samples),
            ("width", self.width),
            ("layers", self.layers),
            ("units", self.units),
            ("bins", self.bins),
        ] {
            if value == 0 {
                return Err(Error::invalid(what, "at least 1", value));
            }
        }
        self.check_sizes()?;
        if self.configs.is_empty() {
            let expected = "at least one INIT:ACTIVATION pair";
            return Err(Error::invalid("config", expected, "none"));
        }
        self.check_bias()?;
        if let HistogramRange::Fixed { lo, hi } = self.range {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                let expected = "finite LO < HI, or auto";
                return Err(Error::invalid("range", expected, format!("{lo},{hi}")));
            }
        }
        Ok(())
    }

    /// The size limits: layers that fit in memory, a sane number of bins.
    fn check_sizes(&self) -> Result<()> {
        let limit = format!("at most {MAX_LAYER_VALUES} values per layer");
        for (what, cols) in [("width", self.width), ("units", self.units)] {
            let values = self.samples.saturating_mul(cols);
            if values > MAX_LAYER_VALUES {
                let found = format!("{} samples x {cols} = {values}", self.samples);
                return Err(Error::invalid(what, limit, found));
            }
        }
        if self.bins > MAX_BINS {
            return Err(Error::invalid("bins", format!("at most {MAX_BINS}"), self.bins));
        }
        Ok(())
    }

    /// `bias_std` is finite, ≥ 0, and only set with `bias`.
    fn check_bias(&self) -> Result<()> {
        if !(self.bias_std.is_finite() && self.bias_std >= 0.0) {
            return Err(Error::invalid("bias_std", "a finite number >= 0", self.bias_std));
        }
        if !self.bias && self.bias_std != 0.0 {
            let expected = "0 when bias is off (turn bias on)";
            return Err(Error::invalid("bias_std", expected, self.bias_std));
        }
        Ok(())
    }

    /// The bias std the network (and the theory) actually uses.
    pub fn effective_bias_std(&self) -> f64 {
        if self.bias {
            self.bias_std
        } else {
            0.0
        }
    }

    /// Input width then each layer's units: `[width, units, .., units]`.
    pub fn widths(&self) -> Vec<usize> {
        let mut widths = vec![self.width];
        widths.extend(std::iter::repeat_n(self.units, self.layers));
        widths
    }
}

/// Measured and predicted statistics of one layer's outputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerOutcome {
    /// The layer, from 1.
    pub layer: usize,
    /// Number of values, `samples · units`.
    pub values: usize,
    /// Mean of the values.
    pub mean: f64,
    /// Standard deviation of the values (population, divided by `values`).
    pub std: f64,
    /// Fraction saturated per [`Activation::is_saturated`] (0 for
    /// activations that do not saturate).
    pub saturated: f64,
    /// Fraction exactly 0.
    pub zero: f64,
    /// Fraction infinite or NaN: the stack overflowed f32 (the mean and std
    /// are then not finite either).
    pub non_finite: f64,
    /// Fraction below the histogram range.
    pub below: f64,
    /// Fraction above the histogram range.
    pub above: f64,
    /// Histogram counts, one per bin; the last bin includes its right edge.
    pub counts: Vec<u64>,
    /// The mean-field prediction: q, mean, std and χ.
    pub theory: LayerTheory,
    /// Predicted fraction of values per bin (see
    /// [`crate::theory::output_fractions`]).
    pub predicted: Vec<f64>,
}

impl LayerOutcome {
    /// Fraction of values outside the histogram range.
    pub fn out_of_range(&self) -> f64 {
        self.below + self.above
    }
}

/// The histograms and statistics of one configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigOutcome {
    /// The init and activation.
    pub config: Config,
    /// The histogram range used, `[lo, hi]` (fitted when the spec says
    /// `auto`).
    pub range: [f64; 2],
    /// One entry per layer, first to last.
    pub layers: Vec<LayerOutcome>,
}

/// The result of [`run`]: the spec and one outcome per configuration, in
/// the spec's order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The spec that was run.
    pub spec: Spec,
    /// One entry per configuration.
    pub configs: Vec<ConfigOutcome>,
}

/// Runs the experiment: validates `spec`, draws the input once, then runs
/// every configuration (in parallel, with results independent of the
/// number of threads).
///
/// # Errors
///
/// [`Error::Invalid`] from [`Spec::validate`].
///
/// ```
/// use initlab::experiment::activations::{run, Spec};
/// let spec = Spec { samples: 200, ..Spec::default() };
/// let outcome = run(&spec).unwrap();
/// // He with ReLU: about half of the outputs are exactly zero in every
/// // layer (0.45 to 0.55 at width 100).
/// for layer in &outcome.configs[3].layers {
///     assert!((layer.zero - 0.5).abs() < 0.1);
/// }
/// ```
pub fn run(spec: &Spec) -> Result<Outcome> {
    spec.validate()?;
    let start = std::time::Instant::now();
    let input = draw_input(spec);
    let configs = spec
        .configs
        .par_iter()
        .enumerate()
        .map(|(index, config)| run_config(spec, &input, index, config))
        .collect();
    log::debug!("activations: {} configs in {:?}", spec.configs.len(), start.elapsed());
    Ok(Outcome { spec: spec.clone(), configs })
}

/// The ChaCha8 generator for `stream` under the spec's seed.
fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// `x: [samples, width]`, standard normal.
fn draw_input(spec: &Spec) -> Array2<f32> {
    let mut rng = rng_for(spec.seed, INPUT_STREAM);
    Array2::from_shape_simple_fn((spec.samples, spec.width), || {
        let x: f64 = StandardNormal.sample(&mut rng);
        x as f32
    })
}

/// Forward pass, statistics and theory for configuration `index`.
fn run_config(spec: &Spec, input: &Array2<f32>, index: usize, config: &Config) -> ConfigOutcome {
    let mut rng = rng_for(spec.seed, index as u64 + 1);
    let outputs = forward(spec, config, input, &mut rng);
    let (lo, hi) = match spec.range {
        HistogramRange::Fixed { lo, hi } => (lo, hi),
        HistogramRange::Auto => fit_range(&outputs),
    };
    let theory = propagate(
        config.activation,
        &config.init,
        &spec.widths(),
        INPUT_SECOND_MOMENT,
        spec.effective_bias_std(),
    );
    let layers = outputs
        .iter()
        .zip(theory)
        .enumerate()
        .map(|(l, (z, theory))| {
            let mut layer = measure(z, config.activation, (lo, hi), spec.bins, theory);
            layer.layer = l + 1;
            log::trace!(
                "{config} layer {}: mean {:.4} std {:.4} (theory {:.4}) saturated {:.3} zero {:.3}",
                layer.layer,
                layer.mean,
                layer.std,
                layer.theory.std,
                layer.saturated,
                layer.zero
            );
            layer
        })
        .collect();
    ConfigOutcome { config: *config, range: [lo, hi], layers }
}

/// Every layer's output `z_l: [samples, units]`, first to last.
fn forward(
    spec: &Spec,
    config: &Config,
    input: &Array2<f32>,
    rng: &mut ChaCha8Rng,
) -> Vec<Array2<f32>> {
    let mut outputs: Vec<Array2<f32>> = Vec::with_capacity(spec.layers);
    let bias_std = spec.effective_bias_std();
    for _ in 0..spec.layers {
        let z_prev = outputs.last().unwrap_or(input);
        let fan_in = z_prev.ncols();

        // a = z_prev · W (+ b), W: [fan_in, units]
        let w: Array2<f32> = config.init.sample(fan_in, spec.units, rng);
        let mut a = Array2::<f32>::zeros((spec.samples, spec.units));
        matmul(z_prev.view(), w.view(), &mut a.view_mut(), false);
        if bias_std > 0.0 {
            let b = Array1::from_shape_simple_fn(spec.units, || {
                let e: f64 = StandardNormal.sample(rng);
                (bias_std * e) as f32
            });
            a += &b;
        }

        // z = φ(a), in place
        a.mapv_inplace(|v| config.activation.apply(v));
        outputs.push(a);
    }
    outputs
}

/// The smallest and largest value over all layers, widened when they
/// coincide so the bins have a width.
fn fit_range(outputs: &[Array2<f32>]) -> (f64, f64) {
    let (lo, hi) = outputs
        .iter()
        .flat_map(|z| z.iter())
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(f64::from(v)), hi.max(f64::from(v)))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return (-AUTO_PAD, AUTO_PAD);
    }
    if lo < hi {
        (lo, hi)
    } else {
        (lo - AUTO_PAD, hi + AUTO_PAD)
    }
}

/// Histogram and statistics of one layer's values. `layer` is left 0.
fn measure(
    z: &Array2<f32>,
    activation: Activation,
    (lo, hi): (f64, f64),
    bins: usize,
    theory: LayerTheory,
) -> LayerOutcome {
    let values = z.len();
    let n = values as f64;
    let (mean, std) = mean_std(z);
    let saturated = if activation.saturates() {
        z.iter().filter(|&&v| activation.is_saturated(f64::from(v))).count()
    } else {
        0
    };
    let zero = z.iter().filter(|&&v| v == 0.0).count();
    let non_finite = z.iter().filter(|v| !v.is_finite()).count();
    let (counts, below, above) = histogram(z, (lo, hi), bins);
    LayerOutcome {
        layer: 0,
        values,
        mean,
        std,
        saturated: saturated as f64 / n,
        zero: zero as f64 / n,
        non_finite: non_finite as f64 / n,
        below: below as f64 / n,
        above: above as f64 / n,
        counts,
        predicted: output_fractions(activation, theory.q, lo, hi, bins),
        theory,
    }
}

/// Lanes of the f64 sums in [`mean_std`]: independent partial sums let the
/// compiler use SIMD instead of one long chain of dependent additions.
const LANES: usize = 8;

/// Copies of the histogram that consecutive values go to in turn, so that
/// a run of values in one bin does not wait on its own increments.
const HISTOGRAM_COPIES: usize = 4;

/// Counts of `z` in `bins` equal bins on `[lo, hi]` (the last one closed,
/// as [`crate::theory::bin_index`]), and the numbers below and above the
/// range (NaN counts as above).
fn histogram(z: &Array2<f32>, (lo, hi): (f64, f64), bins: usize) -> (Vec<u64>, usize, usize) {
    let scale = bins as f64 / (hi - lo);
    let mut copies = vec![0u64; bins * HISTOGRAM_COPIES];
    let (mut below, mut above) = (0, 0);
    for (i, &v) in z.iter().enumerate() {
        let v = f64::from(v);
        if v < lo {
            below += 1;
        } else if v <= hi {
            let bin = (((v - lo) * scale) as usize).min(bins - 1);
            copies[bin * HISTOGRAM_COPIES + i % HISTOGRAM_COPIES] += 1;
        } else {
            above += 1;
        }
    }
    let counts = copies.chunks_exact(HISTOGRAM_COPIES).map(|c| c.iter().sum()).collect();
    (counts, below, above)
}

/// Mean and population standard deviation of `z`, summed in f64 (two
/// passes, so a large mean does not cancel a small spread).
fn mean_std(z: &Array2<f32>) -> (f64, f64) {
    let n = z.len() as f64;
    let mean = lane_sum(z, |v| v) / n;
    let variance = lane_sum(z, |v| (v - mean) * (v - mean)) / n;
    (mean, variance.sqrt())
}

/// `Σ f(z_i)` in f64, over [`LANES`] partial sums when `z` is contiguous.
fn lane_sum(z: &Array2<f32>, f: impl Fn(f64) -> f64) -> f64 {
    let Some(slice) = z.as_slice() else {
        return z.iter().map(|&v| f(f64::from(v))).sum();
    };
    let chunks = slice.chunks_exact(LANES);
    let rest: f64 = chunks.remainder().iter().map(|&v| f(f64::from(v))).sum();
    let mut lanes = [0.0_f64; LANES];
    for chunk in chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane += f(f64::from(v));
        }
    }
    lanes.iter().sum::<f64>() + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Outcome {
        run(&Spec::default()).unwrap()
    }

    #[test]
    fn config_parses_with_colons_in_the_init() {
        let c: Config = "std=0.01:sigmoid".parse().unwrap();
        assert_eq!(c, Config { init: Init::Normal { std: 0.01 }, activation: Activation::Sigmoid });
        assert_eq!("he:relu".parse::<Config>().unwrap().init, Init::HE);
        for config in Config::book() {
            assert_eq!(config.to_string().parse::<Config>().unwrap(), config);
        }
        let err = "he".parse::<Config>().unwrap_err().to_string();
        assert!(err.contains("INIT:ACTIVATION") && err.contains("found he"), "{err}");
        let err = "he:swish".parse::<Config>().unwrap_err().to_string();
        assert!(err.contains("activation") && err.contains("swish"), "{err}");
        let err = "hex:relu".parse::<Config>().unwrap_err().to_string();
        assert!(err.contains("init") && err.contains("hex"), "{err}");
    }

    #[test]
    fn validate_names_the_field_and_value() {
        let cases: [(Spec, &str); 6] = [
            (Spec { layers: 0, ..Spec::default() }, "layers"),
            (Spec { bins: 0, ..Spec::default() }, "bins"),
            (Spec { range: HistogramRange::Fixed { lo: 1.0, hi: 0.0 }, ..Spec::default() }, "1,0"),
            (
                Spec { range: HistogramRange::Fixed { lo: 0.0, hi: f64::NAN }, ..Spec::default() },
                "NaN",
            ),
            (Spec { configs: vec![], ..Spec::default() }, "config"),
            (Spec { bias_std: 0.5, ..Spec::default() }, "bias_std"),
        ];
        for (spec, needle) in cases {
            let err = spec.validate().unwrap_err().to_string();
            assert!(err.contains(needle), "{needle}: {err}");
        }
        assert!(Spec::default().validate().is_ok());
    }

    #[test]
    fn spec_round_trips_through_json_and_fills_defaults() {
        let spec =
            Spec { range: HistogramRange::Auto, bias: true, bias_std: 0.1, ..Spec::default() };
        let text = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<Spec>(&text).unwrap(), spec);
        let partial: Spec = serde_json::from_str(
            r#"{"layers": 3, "configs": [{"init": "he", "activation": "relu"}]}"#,
        )
        .unwrap();
        assert_eq!((partial.layers, partial.samples, partial.configs.len()), (3, 1000, 1));
        assert!(serde_json::from_str::<Spec>(r#"{"layer": 3}"#).is_err());
    }

    #[test]
    fn bias_adds_its_variance_to_the_measurement_and_the_theory() {
        let config = Config { init: Init::XAVIER, activation: Activation::Tanh };
        let spec = Spec { bias: true, bias_std: 1.0, configs: vec![config], ..Spec::default() };
        let outcome = run(&spec).unwrap();
        let layer = &outcome.configs[0].layers[0];
        // q_1 = 100 · (1/100) · 1 + 1² = 2
        assert!((layer.theory.q - 2.0).abs() < 1e-12);
        let relative = (layer.std / layer.theory.std - 1.0).abs();
        assert!(relative < 0.05, "std {} vs theory {}", layer.std, layer.theory.std);
    }

    #[test]
    fn range_parses() {
        assert_eq!("auto".parse::<HistogramRange>().unwrap(), HistogramRange::Auto);
        assert_eq!(
            "-1, 2".parse::<HistogramRange>().unwrap(),
            HistogramRange::Fixed { lo: -1.0, hi: 2.0 }
        );
        assert!("0;1".parse::<HistogramRange>().is_err());
    }

    #[test]
    fn same_seed_same_outcome_and_counts_add_up() {
        let spec = Spec { samples: 100, ..Spec::default() };
        let first = run(&spec).unwrap();
        assert_eq!(first, run(&spec).unwrap());
        for config in &first.configs {
            for layer in &config.layers {
                let inside = layer.counts.iter().sum::<u64>() as f64 / layer.values as f64;
                assert!((inside + layer.out_of_range() - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn auto_range_holds_every_value() {
        let spec = Spec { samples: 100, range: HistogramRange::Auto, ..Spec::default() };
        for config in run(&spec).unwrap().configs {
            assert!(config.layers.iter().all(|l| l.out_of_range() == 0.0));
            assert!(config.range[0] < config.range[1]);
        }
    }

    /// Figure 6-10: with std=1, most sigmoid outputs sit at 0 or 1.
    #[test]
    fn std_one_sigmoid_saturates_in_every_layer() {
        for layer in &book().configs[0].layers {
            assert!(layer.saturated > 0.5, "layer {}: saturated {}", layer.layer, layer.saturated);
        }
    }

    /// Figure 6-11: with std=0.01 every output is near 0.5. The theory's
    /// std from layer 2 on is sqrt(0.0025) / 4 = 0.0125, well inside one
    /// bin (1/30) of the histogram.
    #[test]
    fn small_std_sigmoid_collapses_at_one_half() {
        for layer in &book().configs[1].layers[1..] {
            assert!((layer.mean - 0.5).abs() < 0.01, "layer {}: mean {}", layer.layer, layer.mean);
            assert!(layer.std < 0.02, "layer {}: std {}", layer.layer, layer.std);
        }
    }

    /// Figure 6-14: He keeps ReLU's spread from layer to layer.
    #[test]
    fn he_relu_keeps_its_spread() {
        let layers = &book().configs[3].layers;
        let first = layers[0].std;
        for layer in layers {
            let ratio = layer.std / first;
            assert!(
                (0.8..1.25).contains(&ratio),
                "layer {}: std {} vs {first}",
                layer.layer,
                layer.std
            );
        }
    }
}
