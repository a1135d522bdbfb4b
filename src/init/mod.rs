//! Initialization schemes: how the first weights of each layer are drawn.
//!
//! A scheme is a distribution with a scale that may depend on the layer's
//! shape. For a weight matrix `W: [fan_in, fan_out]` (applied as `x W + b`):
//!
//! ```text
//! Normal { std }             W_ij ~ N(0, std²)           (the book's std=0.01)
//! Uniform { limit }          W_ij ~ U(-limit, limit)     std = limit / √3
//! TruncatedNormal { std, bound }
//!                            W_ij ~ N(0, std²) redrawn until |W_ij| ≤ bound
//!                            (absolute bound, no variance correction)
//! VarianceScaling            σ² = scale / fan,  scale = gain²
//!   fan = fan_in | fan_out | (fan_in + fan_out) / 2 | √(fan_in fan_out)
//!   normal:           W_ij ~ N(0, σ²)
//!   uniform:          W_ij ~ U(-√3 σ, √3 σ)
//!   truncated-normal: W_ij ~ N(0, (σ / c)²) cut at ±2 σ / c, so std = σ
//!                     c = 0.87962566103423978, the std of N(0, 1) cut at ±2
//! Orthogonal { gain }        W = gain · Q, Q with orthonormal columns
//!                            (fan_in ≥ fan_out) or rows (fan_in < fan_out)
//! Identity                   W_ij = 1 if i = j else 0
//! Constant { value }         W_ij = value (zeros: value 0)
//! Lsuv                       Orthogonal { gain: 1 }, then each layer rescaled
//!                            to unit output variance on data (lsuv::lsuv)
//! Preset(p)                  a framework's dense-layer default, weights and
//!                            bias rule (Preset)
//! ```
//!
//! Here `σ` is the target standard deviation, `gain` a factor chosen for
//! the activation (see [`gain`]), `scale` the numerator of the variance and
//! `c` the truncation factor [`TRUNCATION_STD_FACTOR`].
//!
//! The book's names map onto these (chapter 6.2):
//!
//! ```text
//! std=0.01, 0.01    Normal { std: 0.01 }
//! xavier, sigmoid   VarianceScaling { normal, fan_in, 1 }  std = √(1 / fan_in)
//! he, relu          VarianceScaling { normal, fan_in, 2 }  std = √(2 / fan_in)
//! ```
//!
//! The book's "Xavier" is what most frameworks call LeCun normal (LeCun,
//! Bottou, Orr and Müller, "Efficient BackProp", 1998). Glorot and Bengio's
//! own formula ("Understanding the difficulty of training deep feedforward
//! neural networks", AISTATS 2010) is `Var = 2 / (fan_in + fan_out)`: the
//! average fan mode, which PyTorch calls `xavier_normal_`. So `xavier` alone
//! means the book's LeCun normal here, while `xavier-normal` and
//! `xavier-uniform` are PyTorch's names for Glorot. He, Zhang, Ren and Sun
//! ("Delving Deep into Rectifiers", ICCV 2015) double the variance to make
//! up for ReLU zeroing half of its inputs; PyTorch calls it Kaiming.
//! Orthogonal matrices are from Saxe, McClelland and Ganguli, "Exact
//! solutions to the nonlinear dynamics of learning in deep linear neural
//! networks" (ICLR 2014); LSUV (see [`lsuv`]) starts from one.
//!
//! Biases start at zero unless a [`BiasInit`] or a framework [`Preset`]
//! says otherwise. [`catalog`] lists every named scheme with its formula, as
//! `initlab inits` prints it.

mod bias;
pub mod catalog;
pub mod gain;
pub mod lsuv;
mod orthogonal;
mod parse;
mod preset;
mod truncated;

pub use bias::{BiasInit, ACCEPTED_BIAS_INITS};
pub use orthogonal::orthogonal;
pub use parse::ACCEPTED_INITS;
pub use preset::Preset;
pub use truncated::{
    truncated_normal_std_factor, TRUNCATION_STDS, TRUNCATION_STD_FACTOR, TRUNC_NORMAL_BOUND,
};

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution as _, StandardNormal, Uniform};

use crate::{Error, Real};

/// The shape of the distribution the weights are drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distribution {
    /// Gaussian with mean 0.
    Normal,
    /// Uniform on a symmetric interval `[-limit, limit]`.
    Uniform,
    /// Gaussian cut at ±2 of its own standard deviations and widened by
    /// 1 / [`TRUNCATION_STD_FACTOR`] so that the std is the intended one,
    /// as Keras's and TensorFlow's `VarianceScaling` and flax's
    /// `variance_scaling` do for `"truncated_normal"`.
    TruncatedNormal,
}

/// Which dimension of `W: [fan_in, fan_out]` sets the variance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FanMode {
    /// `fan_in`: keeps the forward signal's variance (LeCun, He).
    FanIn,
    /// `fan_out`: keeps the backward gradient's variance.
    FanOut,
    /// `(fan_in + fan_out) / 2`: Glorot's compromise between the two.
    Average,
    /// `√(fan_in · fan_out)`: the geometric mean of the two fans.
    Geometric,
}

impl FanMode {
    /// The fan this mode uses for a `[fan_in, fan_out]` matrix.
    pub fn fan(self, fan_in: usize, fan_out: usize) -> f64 {
        match self {
            FanMode::FanIn => fan_in as f64,
            FanMode::FanOut => fan_out as f64,
            FanMode::Average => (fan_in + fan_out) as f64 / 2.0,
            FanMode::Geometric => (fan_in as f64 * fan_out as f64).sqrt(),
        }
    }
}

/// An initialization scheme for one weight matrix.
///
/// Build one from parts ([`Init::VarianceScaling`], [`Init::with_gain`]),
/// from a named constant ([`Init::GLOROT_UNIFORM`], ...) or from a string
/// (`"he-uniform:fan_out".parse()`); [`catalog`] lists every name.
///
/// ```
/// use initlab::init::Init;
/// let he: Init = "he".parse().unwrap();
/// assert!((he.std(784, 100) - (2.0_f64 / 784.0).sqrt()).abs() < 1e-12);
/// let small: Init = "std=0.01".parse().unwrap();
/// assert_eq!(small.std(784, 100), 0.01);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Init {
    /// `W_ij ~ N(0, std²)` whatever the layer's shape: the book's std=0.01
    /// and std=1 baselines. Aliases: `std=STD`, `normal:STD`, a bare number.
    ///
    /// ```
    /// use initlab::init::Init;
    /// let init: Init = "normal:0.01".parse().unwrap();
    /// assert_eq!(init, Init::Normal { std: 0.01 });
    /// assert_eq!((init.std(784, 100), init.to_string().as_str()), (0.01, "std=0.01"));
    /// ```
    Normal {
        /// Standard deviation, finite and ≥ 0.
        std: f64,
    },
    /// `Var(W_ij) = scale / fan`, with the fan chosen by `mode`: LeCun
    /// (book "Xavier"), Glorot and He schemes; printed as
    /// `variance-scaling:DIST:MODE:SCALE` when no family name fits.
    ///
    /// ```
    /// use initlab::init::{Distribution, FanMode, Init};
    /// let init = Init::VarianceScaling {
    ///     distribution: Distribution::Normal,
    ///     mode: FanMode::Geometric,
    ///     scale: 0.5,
    /// };
    /// // fan = √(200 · 50) = 100, std = √(0.5 / 100)
    /// assert!((init.std(200, 50) - 0.05_f64.sqrt() / 10.0_f64.sqrt()).abs() < 1e-15);
    /// assert_eq!(init.to_string(), "variance-scaling:normal:fan_geo:0.5");
    /// ```
    VarianceScaling {
        /// Normal, uniform or truncated normal.
        distribution: Distribution,
        /// Which fan divides the scale.
        mode: FanMode,
        /// Numerator of the variance, `gain²`: 1 for LeCun and Glorot, 2
        /// for He.
        scale: f64,
    },
    /// `W_ij ~ U(-limit, limit)`, `uniform:LIMIT`; std `limit / √3`.
    ///
    /// ```
    /// use initlab::init::Init;
    /// let init: Init = "uniform:0.3".parse().unwrap();
    /// assert_eq!(init.bound(5, 5), Some(0.3));
    /// assert!((init.std(5, 5) - 0.3 / 3.0_f64.sqrt()).abs() < 1e-15);
    /// ```
    Uniform {
        /// Half-width of the interval, finite and ≥ 0.
        limit: f64,
    },
    /// `N(0, std²)` redrawn until `|W_ij| ≤ bound`: PyTorch's
    /// `nn.init.trunc_normal_(w, std=std, a=-bound, b=bound)` (default
    /// bound 2, absolute, with no variance correction, so the std falls
    /// below `std` once `std` nears `bound`). `truncated-normal:STD` or
    /// `truncated-normal:STD:BOUND`.
    ///
    /// ```
    /// use initlab::init::{Init, TRUNCATION_STD_FACTOR};
    /// let init: Init = "truncated-normal:1".parse().unwrap();
    /// assert_eq!(init, Init::TruncatedNormal { std: 1.0, bound: 2.0 });
    /// // cut at ±2 stds with no correction: the std shrinks to c
    /// assert!((init.std(5, 5) - TRUNCATION_STD_FACTOR).abs() < 1e-15);
    /// ```
    TruncatedNormal {
        /// Standard deviation of the Gaussian before the cut, finite, ≥ 0.
        std: f64,
        /// Absolute cut, finite and > 0.
        bound: f64,
    },
    /// `gain · Q` with Q orthonormal (Saxe et al. 2014),
    /// `orthogonal[:GAIN]`; see [`orthogonal`] for the construction.
    ///
    /// ```
    /// use initlab::init::Init;
    /// use rand::SeedableRng;
    /// let init: Init = "orthogonal:2".parse().unwrap();
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    /// let w = init.sample::<f64, _>(3, 6, &mut rng); // wide: W Wᵀ = 4 I
    /// let gram = w.dot(&w.t());
    /// assert!((gram[[2, 2]] - 4.0).abs() < 1e-12 && gram[[0, 1]].abs() < 1e-12);
    /// ```
    Orthogonal {
        /// Factor applied to Q, finite.
        gain: f64,
    },
    /// The identity matrix (ones on the main diagonal of a rectangle),
    /// `identity` or `eye`.
    ///
    /// ```
    /// use initlab::init::Init;
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0); // draws nothing
    /// let eye = Init::Identity.sample::<f32, _>(2, 3, &mut rng);
    /// assert_eq!(eye, ndarray::array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
    /// ```
    Identity,
    /// Every weight equal to `value`: `constant:V`, `zeros` for 0.
    ///
    /// ```
    /// use initlab::init::Init;
    /// let init: Init = "constant:-0.5".parse().unwrap();
    /// use rand::SeedableRng;
    /// let w = init.sample::<f64, _>(2, 2, &mut rand_chacha::ChaCha8Rng::seed_from_u64(0));
    /// assert!(w.iter().all(|&v| v == -0.5));
    /// ```
    Constant {
        /// The value, finite.
        value: f64,
    },
    /// Layer-sequential unit-variance (Mishkin and Matas 2015): draws the
    /// orthogonal start; [`lsuv::lsuv`] then rescales on a data batch.
    ///
    /// ```
    /// use initlab::init::Init;
    /// let init: Init = "lsuv".parse().unwrap();
    /// assert!(init.is_data_dependent());
    /// assert_eq!(init.std(100, 10), Init::Orthogonal { gain: 1.0 }.std(100, 10));
    /// ```
    Lsuv,
    /// A framework's default for a dense layer (weights and bias rule).
    Preset(Preset),
}

/// A variance-scaling scheme as a constant expression.
const fn scaling(distribution: Distribution, mode: FanMode, scale: f64) -> Init {
    Init::VarianceScaling { distribution, mode, scale }
}

/// `Var = 1/(3 fan_in)`, i.e. `U(±1/√fan_in)`: PyTorch's and burn's default.
const ONE_THIRD: f64 = 1.0 / 3.0;

impl Init {
    /// The book's "Xavier": `N(0, 1 / fan_in)`, i.e. LeCun normal. Names:
    /// `xavier`, `sigmoid`, `lecun-normal`; prints as `xavier`.
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("sigmoid".parse::<Init>().unwrap(), Init::XAVIER);
    /// assert!((Init::XAVIER.std(400, 10) - 0.05).abs() < 1e-15);
    /// ```
    pub const XAVIER: Init = scaling(Distribution::Normal, FanMode::FanIn, 1.0);

    /// He (Kaiming) normal: `N(0, 2 / fan_in)`. Names: `he`, `relu`,
    /// `he-normal`, `kaiming-normal`; prints as `he`.
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("kaiming-normal".parse::<Init>().unwrap(), Init::HE);
    /// assert!((Init::HE.std(200, 10) - 0.1).abs() < 1e-15);
    /// ```
    pub const HE: Init = scaling(Distribution::Normal, FanMode::FanIn, 2.0);

    /// LeCun normal, `N(0, 1 / fan_in)`: the same scheme as
    /// [`Init::XAVIER`] (`lecun-normal`, `xavier`, `sigmoid`).
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("lecun-normal".parse::<Init>().unwrap(), Init::LECUN_NORMAL);
    /// assert_eq!(Init::LECUN_NORMAL.bound(100, 10), None);
    /// ```
    pub const LECUN_NORMAL: Init = Init::XAVIER;

    /// LeCun uniform, `U(±√(3 / fan_in))` (`lecun-uniform`).
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("lecun-uniform".parse::<Init>().unwrap(), Init::LECUN_UNIFORM);
    /// let bound = Init::LECUN_UNIFORM.bound(300, 10).unwrap();
    /// assert!((bound - 0.1).abs() < 1e-15);
    /// ```
    pub const LECUN_UNIFORM: Init = scaling(Distribution::Uniform, FanMode::FanIn, 1.0);

    /// LeCun truncated normal with the variance correction (flax's
    /// `lecun_normal`): std `√(1 / fan_in)`, cut at `±2 √(1 / fan_in) / c`
    /// with c = [`TRUNCATION_STD_FACTOR`] (`lecun-truncated-normal`).
    ///
    /// ```
    /// use initlab::init::{Init, TRUNCATION_STD_FACTOR};
    /// let init = Init::LECUN_TRUNCATED_NORMAL;
    /// assert!((init.std(100, 10) - 0.1).abs() < 1e-15);
    /// let bound = init.bound(100, 10).unwrap();
    /// assert!((bound - 0.2 / TRUNCATION_STD_FACTOR).abs() < 1e-15);
    /// ```
    pub const LECUN_TRUNCATED_NORMAL: Init =
        scaling(Distribution::TruncatedNormal, FanMode::FanIn, 1.0);

    /// Glorot normal, `N(0, 2 / (fan_in + fan_out))` (`glorot-normal`,
    /// PyTorch's `xavier-normal`).
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("xavier-normal".parse::<Init>().unwrap(), Init::GLOROT_NORMAL);
    /// assert!((Init::GLOROT_NORMAL.std(150, 50) - 0.1).abs() < 1e-15);
    /// ```
    pub const GLOROT_NORMAL: Init = scaling(Distribution::Normal, FanMode::Average, 1.0);

    /// Glorot uniform, `U(±√(6 / (fan_in + fan_out)))` (`glorot-uniform`,
    /// PyTorch's `xavier-uniform`; Keras's default).
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("xavier-uniform".parse::<Init>().unwrap(), Init::GLOROT_UNIFORM);
    /// let bound = Init::GLOROT_UNIFORM.bound(500, 100).unwrap();
    /// assert!((bound - 0.1).abs() < 1e-15);
    /// ```
    pub const GLOROT_UNIFORM: Init = scaling(Distribution::Uniform, FanMode::Average, 1.0);

    /// He normal, `N(0, 2 / fan_in)`: the same scheme as [`Init::HE`].
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("he-normal:fan_in".parse::<Init>().unwrap(), Init::HE_NORMAL);
    /// ```
    pub const HE_NORMAL: Init = Init::HE;

    /// He uniform, `U(±√(6 / fan_in))` (`he-uniform`, `kaiming-uniform`).
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("kaiming-uniform".parse::<Init>().unwrap(), Init::HE_UNIFORM);
    /// let bound = Init::HE_UNIFORM.bound(600, 10).unwrap();
    /// assert!((bound - 0.1).abs() < 1e-15);
    /// ```
    pub const HE_UNIFORM: Init = scaling(Distribution::Uniform, FanMode::FanIn, 2.0);

    /// `U(±1/√fan_in)`: the weights of PyTorch's and burn's dense layers
    /// (prints as `variance-scaling:uniform:fan_in:0.333…`).
    ///
    /// ```
    /// use initlab::init::Init;
    /// let bound = Init::FAN_IN_UNIFORM.bound(100, 10).unwrap();
    /// assert!((bound - 0.1).abs() < 1e-15);
    /// ```
    pub const FAN_IN_UNIFORM: Init = scaling(Distribution::Uniform, FanMode::FanIn, ONE_THIRD);

    /// Every weight 0 (`zeros`, `constant:0`).
    ///
    /// ```
    /// use initlab::init::Init;
    /// assert_eq!("constant:0".parse::<Init>().unwrap(), Init::ZEROS);
    /// assert_eq!(Init::ZEROS.std(3, 4), 0.0);
    /// ```
    pub const ZEROS: Init = Init::Constant { value: 0.0 };

    /// A normal with a fixed standard deviation.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] if `std` is negative or not finite.
    pub fn normal(std: f64) -> Result<Init, Error> {
        check_non_negative("init std", std)?;
        Ok(Init::Normal { std })
    }

    /// A variance-scaling scheme from a gain: `σ = gain / √fan`, so
    /// `scale = gain²`. With [`gain::gain`] this builds PyTorch's Kaiming
    /// schemes for any activation.
    ///
    /// ```
    /// use initlab::activation::Activation;
    /// use initlab::init::{gain, Distribution, FanMode, Init};
    /// let g = gain::gain(Activation::Tanh).unwrap();
    /// let (normal, fan_in) = (Distribution::Normal, FanMode::FanIn);
    /// let tanh = Init::with_gain(normal, fan_in, g).unwrap();
    /// assert!((tanh.std(100, 10) - 5.0 / 3.0 / 10.0).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] if `gain` is not finite.
    pub fn with_gain(distribution: Distribution, mode: FanMode, gain: f64) -> Result<Init, Error> {
        if !gain.is_finite() {
            return Err(Error::invalid("init gain", "a finite number", gain));
        }
        Ok(Init::VarianceScaling { distribution, mode, scale: gain * gain })
    }

    /// Checks every parameter, as parsing does (constructing a variant by
    /// hand skips that).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the parameter, for a negative or
    /// non-finite std, limit or scale, a non-positive bound, or a
    /// non-finite gain or value.
    pub fn validate(&self) -> Result<(), Error> {
        match *self {
            Init::Normal { std } => check_non_negative("init std", std),
            Init::VarianceScaling { scale, .. } => check_non_negative("init scale", scale),
            Init::Uniform { limit } => check_non_negative("init limit", limit),
            Init::TruncatedNormal { std, bound } => {
                check_non_negative("init std", std)?;
                if bound.is_finite() && bound > 0.0 {
                    Ok(())
                } else {
                    Err(Error::invalid("truncation bound", "a finite number > 0", bound))
                }
            }
            Init::Orthogonal { gain: value } | Init::Constant { value } if !value.is_finite() => {
                Err(Error::invalid("init parameter", "a finite number", value))
            }
            _ => Ok(()),
        }
    }

    /// Whether the scheme needs data to finish: [`Init::Lsuv`], whose
    /// [`sample`](Init::sample) only draws the start that
    /// [`lsuv::lsuv`] then rescales.
    pub fn is_data_dependent(&self) -> bool {
        matches!(self, Init::Lsuv)
    }

    /// The bias rule the scheme defines: a preset's own, zeros otherwise.
    pub fn bias_rule(&self) -> BiasInit {
        match self {
            Init::Preset(preset) => preset.bias(),
            _ => BiasInit::Zeros,
        }
    }

    /// The root mean square of the weights this scheme draws for a
    /// `[fan_in, fan_out]` matrix: `√E[W_ij²]`, the standard deviation
    /// for every zero-mean scheme. This is the factor that enters the
    /// forward variance, `Var(a) ≈ fan_in · E[W²] · E[z²]`.
    pub fn std(&self, fan_in: usize, fan_out: usize) -> f64 {
        self.draw(fan_in, fan_out).rms(fan_in, fan_out)
    }

    /// The largest |W_ij| the scheme can draw, for the bounded random
    /// schemes (uniform and truncated normals); `None` for the others.
    pub fn bound(&self, fan_in: usize, fan_out: usize) -> Option<f64> {
        match self.draw(fan_in, fan_out) {
            Draw::Uniform { limit } => Some(limit),
            Draw::Truncated { bound, .. } => Some(bound),
            _ => None,
        }
    }

    /// The concrete distribution for a `[fan_in, fan_out]` matrix.
    fn draw(&self, fan_in: usize, fan_out: usize) -> Draw {
        match *self {
            Init::Normal { std } => Draw::Normal { std },
            Init::VarianceScaling { distribution, mode, scale } => {
                let sigma = (scale / mode.fan(fan_in, fan_out)).sqrt();
                match distribution {
                    Distribution::Normal => Draw::Normal { std: sigma },
                    Distribution::Uniform => Draw::Uniform { limit: 3.0_f64.sqrt() * sigma },
                    Distribution::TruncatedNormal => {
                        let std = sigma / TRUNCATION_STD_FACTOR;
                        Draw::Truncated { std, bound: TRUNCATION_STDS * std }
                    }
                }
            }
            Init::Uniform { limit } => Draw::Uniform { limit },
            Init::TruncatedNormal { std, bound } => Draw::Truncated { std, bound },
            Init::Orthogonal { gain } => Draw::Orthogonal { gain },
            Init::Lsuv => Draw::Orthogonal { gain: 1.0 },
            Init::Identity => Draw::Identity,
            Init::Constant { value } => Draw::Constant { value },
            Init::Preset(preset) => preset.weights().draw(fan_in, fan_out),
        }
    }

    /// Draws a `[fan_in, fan_out]` weight matrix from `rng`.
    ///
    /// Values are drawn in f64, row by row, and rounded to `F`, so an f32
    /// and an f64 net built from the same seed start from the same weights.
    /// Constant and identity schemes draw nothing.
    pub fn sample<F: Real, R: Rng + ?Sized>(
        &self,
        fan_in: usize,
        fan_out: usize,
        rng: &mut R,
    ) -> Array2<F> {
        let shape = (fan_in, fan_out);
        match self.draw(fan_in, fan_out) {
            Draw::Normal { std } => Array2::from_shape_simple_fn(shape, || {
                let z: f64 = StandardNormal.sample(rng);
                F::of(std * z)
            }),
            Draw::Uniform { limit } => {
                let uniform = Uniform::new_inclusive(-limit, limit)
                    .expect("limit is finite and >= 0, so the interval is valid");
                Array2::from_shape_simple_fn(shape, || F::of(uniform.sample(rng)))
            }
            Draw::Truncated { std, bound } => {
                Array2::from_shape_simple_fn(shape, || F::of(truncated::draw(std, bound, rng)))
            }
            Draw::Orthogonal { gain } => orthogonal(fan_in, fan_out, gain, rng).mapv(F::of),
            Draw::Identity => Array2::from_shape_fn(shape, |(i, j)| F::of(f64::from(i == j))),
            Draw::Constant { value } => Array2::from_elem(shape, F::of(value)),
        }
    }
}

/// A concrete distribution, once a layer's shape is known.
#[derive(Clone, Copy, Debug)]
enum Draw {
    /// `N(0, std²)`.
    Normal { std: f64 },
    /// `U(-limit, limit)`.
    Uniform { limit: f64 },
    /// `N(0, std²)` cut at ±bound.
    Truncated { std: f64, bound: f64 },
    /// `gain · Q`, Q orthonormal.
    Orthogonal { gain: f64 },
    /// Ones on the diagonal.
    Identity,
    /// One value everywhere.
    Constant { value: f64 },
}

impl Draw {
    /// `√E[W²]` for a `[fan_in, fan_out]` matrix.
    fn rms(self, fan_in: usize, fan_out: usize) -> f64 {
        let larger = fan_in.max(fan_out) as f64;
        match self {
            Draw::Normal { std } => std,
            Draw::Uniform { limit } => limit / 3.0_f64.sqrt(),
            Draw::Truncated { std, bound } => std * truncated_normal_std_factor(bound / std),
            // min(fan_in, fan_out) unit vectors share fan_in · fan_out entries
            Draw::Orthogonal { gain } => gain.abs() / larger.sqrt(),
            Draw::Identity => 1.0 / larger.sqrt(),
            Draw::Constant { value } => value.abs(),
        }
    }
}

/// `Ok` if `value` is finite and ≥ 0, else [`Error::Invalid`] naming `what`.
fn check_non_negative(what: &str, value: f64) -> Result<(), Error> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(what, "a finite number >= 0", value))
    }
}

#[cfg(test)]
mod tests;
