//! Framework presets: the default initialization of a dense layer in
//! PyTorch, Keras, flax, candle and burn, and the SELU paper's choice.
//!
//! ```text
//! preset           weights W_ij                         biases b_j
//! selu-default     N(0, 1/fan_in)                       0
//! pytorch-default  U(±1/√fan_in)                        U(±1/√fan_in)
//! keras-default    U(±√(6/(fan_in + fan_out)))          0
//! flax-default     N(0, 1/(c² fan_in)) cut at ±2 std/c  0
//! candle-default   N(0, 2/fan_in)                       U(±1/√fan_in)
//! burn-default     U(±1/√fan_in)                        U(±1/√fan_in)
//! ```
//!
//! `fan_in`, `fan_out` are the layer's input and output sizes, std the
//! weights' standard deviation and `c` the truncation factor
//! [`TRUNCATION_STD_FACTOR`](super::TRUNCATION_STD_FACTOR).
//! Each variant's doc names the function or file that defines the default.

use super::{BiasInit, Init};

/// A framework's default for a dense layer: weights and biases.
///
/// ```
/// use initlab::init::{BiasInit, Init, Preset};
/// let fan_in = 400; // 1/√fan_in = 0.05
/// for (name, weights, bias) in [
///     ("selu-default", Init::LECUN_NORMAL, BiasInit::Zeros),
///     ("pytorch-default", Init::FAN_IN_UNIFORM, BiasInit::FanInUniform),
///     ("keras-default", Init::GLOROT_UNIFORM, BiasInit::Zeros),
///     ("flax-default", Init::LECUN_TRUNCATED_NORMAL, BiasInit::Zeros),
///     ("candle-default", Init::HE_NORMAL, BiasInit::FanInUniform),
///     ("burn-default", Init::FAN_IN_UNIFORM, BiasInit::FanInUniform),
/// ] {
///     let Init::Preset(preset) = name.parse::<Init>().unwrap() else {
///         panic!("{name} parses to a preset")
///     };
///     assert_eq!((preset.weights(), preset.bias()), (weights, bias), "{name}");
/// }
/// let pytorch = Init::Preset(Preset::Pytorch);
/// assert!((pytorch.bound(fan_in, 10).unwrap() - 0.05).abs() < 1e-15);
/// assert_eq!(BiasInit::Scheme.bound(&pytorch, fan_in), Some(0.05));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// `selu-default`: LeCun normal, as Klambauer et al. ("Self-Normalizing
    /// Neural Networks", NeurIPS 2017) prescribe for SELU nets; zero bias.
    Selu,
    /// `pytorch-default`: `torch.nn.Linear.reset_parameters` (file
    /// `torch/nn/modules/linear.py`) calls `kaiming_uniform_` with
    /// `a = √5`, i.e. gain √(2 / (1 + 5)) = 1/√3, so
    /// `W ~ U(±1/√fan_in)`, and draws `b ~ U(±1/√fan_in)`.
    Pytorch,
    /// `keras-default`: `keras.layers.Dense` defaults to
    /// `kernel_initializer="glorot_uniform"`, `bias_initializer="zeros"`.
    Keras,
    /// `flax-default`: `flax.linen.Dense` defaults to `lecun_normal()`
    /// (`jax.nn.initializers`, a `variance_scaling(1, "fan_in",
    /// "truncated_normal")`, so a truncated normal with the variance
    /// correction) and zero biases.
    Flax,
    /// `candle-default`: candle-nn's `Linear` initializer (file
    /// `candle-nn/src/linear.rs`) draws weights with
    /// `init::DEFAULT_KAIMING_NORMAL` (normal, fan_in, ReLU gain √2, so
    /// He normal) and `b ~ U(±1/√fan_in)`.
    Candle,
    /// `burn-default`: burn's `LinearConfig` (file
    /// `crates/burn-nn/src/modules/linear.rs`) defaults to
    /// `KaimingUniform { gain: 1/√3 }` for weights and biases, both with
    /// fan_in: `U(±1/√fan_in)`.
    Burn,
}

impl Preset {
    /// Every preset, in the order the catalog lists them.
    pub const ALL: [Preset; 6] =
        [Preset::Selu, Preset::Pytorch, Preset::Keras, Preset::Flax, Preset::Candle, Preset::Burn];

    /// The command-line name, e.g. `pytorch-default`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Selu => "selu-default",
            Preset::Pytorch => "pytorch-default",
            Preset::Keras => "keras-default",
            Preset::Flax => "flax-default",
            Preset::Candle => "candle-default",
            Preset::Burn => "burn-default",
        }
    }

    /// The weight scheme this preset draws with.
    pub fn weights(self) -> Init {
        match self {
            Preset::Selu => Init::LECUN_NORMAL,
            Preset::Pytorch | Preset::Burn => Init::FAN_IN_UNIFORM,
            Preset::Keras => Init::GLOROT_UNIFORM,
            Preset::Flax => Init::LECUN_TRUNCATED_NORMAL,
            Preset::Candle => Init::HE_NORMAL,
        }
    }

    /// The bias rule this preset draws with.
    pub fn bias(self) -> BiasInit {
        match self {
            Preset::Pytorch | Preset::Candle | Preset::Burn => BiasInit::FanInUniform,
            Preset::Selu | Preset::Keras | Preset::Flax => BiasInit::Zeros,
        }
    }
}
