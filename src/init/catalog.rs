//! Every named scheme with its formula, aliases and source: the one list
//! that `initlab inits` prints and `docs/inits.md` is generated from.
//!
//! In the formulas `fan_in` and `fan_out` are the layer's input and output
//! sizes (`W: [fan_in, fan_out]`); a `:MODE` suffix (`fan_in`, `fan_out`,
//! `fan_avg` = (fan_in + fan_out)/2, `fan_geo` = √(fan_in fan_out)) replaces
//! the fan of a variance-scaling family. `N(0, v)` is a normal with
//! variance v, `U(±l)` a uniform on [-l, l], `c` = 0.8796 the truncation
//! factor [`TRUNCATION_STD_FACTOR`](super::TRUNCATION_STD_FACTOR).

use serde::Serialize;

use super::{Distribution, FanMode, Init, Preset};

/// One named scheme.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The form accepted by `--init`, placeholders in capitals.
    pub form: &'static str,
    /// The scheme at example parameters (defaults where there are some).
    pub example: Init,
    /// The distribution of `W_ij`.
    pub formula: &'static str,
    /// Other names accepted for the same scheme.
    pub aliases: &'static [&'static str],
    /// The paper or framework function it comes from.
    pub source: &'static str,
}

/// Shorthand for the table below.
const fn entry(
    form: &'static str,
    example: Init,
    formula: &'static str,
    aliases: &'static [&'static str],
    source: &'static str,
) -> Entry {
    Entry { form, example, formula, aliases, source }
}

const LECUN: &str = "LeCun et al. 1998, Efficient BackProp";
const GLOROT: &str = "Glorot & Bengio 2010, Understanding the difficulty of training deep \
                      feedforward neural networks";
const HE: &str = "He et al. 2015, Delving Deep into Rectifiers";

/// Every scheme, book names first.
pub fn entries() -> &'static [Entry] {
    SCHEMES
}

/// Truncated normal, for the table below.
const TRUNCATED: Distribution = Distribution::TruncatedNormal;

/// The catalog's entries.
const SCHEMES: &[Entry] = &[
    entry(
        "normal:STD",
        Init::Normal { std: 0.01 },
        "N(0, STD²)",
        &["std=STD", "STD"],
        "the book's baseline (std=0.01), chapter 6",
    ),
    entry(
        "lecun-normal[:MODE]",
        Init::LECUN_NORMAL,
        "N(0, 1/fan_in)",
        &["xavier", "sigmoid"],
        "LeCun et al. 1998; the book's \"Xavier\"",
    ),
    entry("lecun-uniform[:MODE]", Init::LECUN_UNIFORM, "U(±√(3/fan_in))", &[], LECUN),
    entry(
        "lecun-truncated-normal[:MODE]",
        Init::LECUN_TRUNCATED_NORMAL,
        "N(0, 1/(c² fan_in)) cut at ±2/(c √fan_in)",
        &[],
        "LeCun et al. 1998; flax lecun_normal",
    ),
    entry(
        "glorot-normal[:MODE]",
        Init::GLOROT_NORMAL,
        "N(0, 2/(fan_in + fan_out))",
        &["xavier-normal"],
        GLOROT,
    ),
    entry(
        "glorot-uniform[:MODE]",
        Init::GLOROT_UNIFORM,
        "U(±√(6/(fan_in + fan_out)))",
        &["xavier-uniform"],
        GLOROT,
    ),
    entry(
        "glorot-truncated-normal[:MODE]",
        scheme(TRUNCATED, FanMode::Average, 1.0),
        "N(0, 2/(c² (fan_in + fan_out))) cut at ±2 std/c",
        &[],
        GLOROT,
    ),
    entry(
        "he-normal[:MODE]",
        Init::HE_NORMAL,
        "N(0, 2/fan_in)",
        &["he", "relu", "kaiming-normal"],
        HE,
    ),
    entry("he-uniform[:MODE]", Init::HE_UNIFORM, "U(±√(6/fan_in))", &["kaiming-uniform"], HE),
    entry(
        "he-truncated-normal[:MODE]",
        scheme(TRUNCATED, FanMode::FanIn, 2.0),
        "N(0, 2/(c² fan_in)) cut at ±2 std/c",
        &[],
        HE,
    ),
    entry(
        "variance-scaling:DIST:MODE:SCALE",
        scheme(Distribution::Normal, FanMode::Geometric, 0.5),
        "variance SCALE/fan, DIST normal, uniform or truncated-normal",
        &[],
        "Keras/TensorFlow VarianceScaling",
    ),
    entry(
        "uniform:LIMIT",
        Init::Uniform { limit: 0.05 },
        "U(±LIMIT)",
        &[],
        "torch.nn.init.uniform_",
    ),
    entry(
        "truncated-normal:STD[:BOUND]",
        Init::TruncatedNormal { std: 0.02, bound: 2.0 },
        "N(0, STD²) redrawn outside ±BOUND (default 2, absolute)",
        &[],
        "torch.nn.init.trunc_normal_",
    ),
    entry(
        "orthogonal[:GAIN]",
        Init::Orthogonal { gain: 1.0 },
        "GAIN · Q, Q from the QR of a Gaussian, sign-corrected",
        &[],
        "Saxe et al. 2014, Exact solutions to the nonlinear dynamics of learning",
    ),
    entry("identity", Init::Identity, "W_ij = 1 if i = j else 0", &["eye"], "torch.nn.init.eye_"),
    entry("zeros", Init::ZEROS, "W_ij = 0", &["constant:0"], "torch.nn.init.zeros_"),
    entry("constant:V", Init::Constant { value: 0.1 }, "W_ij = V", &[], "torch.nn.init.constant_"),
    entry(
        "lsuv",
        Init::Lsuv,
        "orthogonal, then each layer scaled to unit output variance",
        &[],
        "Mishkin & Matas 2015, All you need is a good init",
    ),
    entry(
        "selu-default",
        Init::Preset(Preset::Selu),
        "N(0, 1/fan_in), b = 0",
        &[],
        "Klambauer et al. 2017, Self-Normalizing Neural Networks",
    ),
    entry(
        "pytorch-default",
        Init::Preset(Preset::Pytorch),
        "U(±1/√fan_in), b ~ U(±1/√fan_in)",
        &[],
        "torch.nn.Linear.reset_parameters",
    ),
    entry(
        "keras-default",
        Init::Preset(Preset::Keras),
        "U(±√(6/(fan_in + fan_out))), b = 0",
        &[],
        "keras.layers.Dense",
    ),
    entry(
        "flax-default",
        Init::Preset(Preset::Flax),
        "N(0, 1/(c² fan_in)) cut at ±2 std/c, b = 0",
        &[],
        "flax.linen.Dense",
    ),
    entry(
        "candle-default",
        Init::Preset(Preset::Candle),
        "N(0, 2/fan_in), b ~ U(±1/√fan_in)",
        &[],
        "candle-nn linear.rs",
    ),
    entry(
        "burn-default",
        Init::Preset(Preset::Burn),
        "U(±1/√fan_in), b ~ U(±1/√fan_in)",
        &[],
        "burn-nn LinearConfig",
    ),
];

/// A variance-scaling scheme.
const fn scheme(distribution: Distribution, mode: FanMode, scale: f64) -> Init {
    Init::VarianceScaling { distribution, mode, scale }
}

/// One line of the catalog for a given layer shape.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The accepted form.
    pub form: &'static str,
    /// The canonical name of the example scheme.
    pub name: String,
    /// The distribution of `W_ij`.
    pub formula: &'static str,
    /// Other accepted names.
    pub aliases: Vec<&'static str>,
    /// `√E[W²]` for the shape.
    pub std: f64,
    /// Largest |W_ij| for uniform and truncated schemes.
    pub bound: Option<f64>,
    /// The bias rule the scheme brings.
    pub bias: String,
    /// Paper or framework.
    pub source: &'static str,
}

/// The catalog evaluated for a `[fan_in, fan_out]` layer.
pub fn rows(fan_in: usize, fan_out: usize) -> Vec<Row> {
    entries()
        .iter()
        .map(|e| Row {
            form: e.form,
            name: e.example.to_string(),
            formula: e.formula,
            aliases: e.aliases.to_vec(),
            std: e.example.std(fan_in, fan_out),
            bound: e.example.bound(fan_in, fan_out),
            bias: e.example.bias_rule().to_string(),
            source: e.source,
        })
        .collect()
}

/// The layer shape `initlab inits` and `docs/inits.md` evaluate the
/// schemes at: the first layer of the book's MNIST net.
pub const DEFAULT_SHAPE: (usize, usize) = (784, 100);

/// The generated part of `docs/inits.md` (what `initlab inits --markdown`
/// prints): the scheme table for the shape, then the gain table.
pub fn docs_section(fan_in: usize, fan_out: usize) -> String {
    format!(
        "{}
{}",
        markdown(fan_in, fan_out),
        super::gain::markdown()
    )
}

/// Significant digits of the std and bound columns.
const DIGITS: usize = 4;

/// A number with [`DIGITS`] significant digits.
pub(crate) fn short(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let decimals = (DIGITS as i32 - 1 - value.abs().log10().floor() as i32).max(0);
    format!("{value:.0$}", decimals as usize)
}

/// The catalog as a Markdown table for a `[fan_in, fan_out]` layer.
pub fn markdown(fan_in: usize, fan_out: usize) -> String {
    let mut out = format!(
        "| scheme | W_ij | aliases | example | std at {fan_in}x{fan_out} | bound | bias | source |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    for row in rows(fan_in, fan_out) {
        let aliases: Vec<String> = row.aliases.iter().map(|a| format!("`{a}`")).collect();
        let bound = row.bound.map_or("-".to_string(), short);
        out += &format!(
            "| `{}` | {} | {} | `{}` | {} | {bound} | {} | {} |\n",
            row.form,
            row.formula,
            aliases.join(", "),
            row.name,
            short(row.std),
            row.bias,
            row.source
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated part of `docs/inits.md`, between these markers.
    const BEGIN: &str = "<!-- BEGIN GENERATED: initlab inits --markdown -->\n";
    const END: &str = "<!-- END GENERATED -->";

    #[test]
    fn docs_page_matches_the_catalog() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/inits.md");
        let page = std::fs::read_to_string(path).expect("docs/inits.md is committed");
        let start = page.find(BEGIN).expect("docs/inits.md has the BEGIN marker") + BEGIN.len();
        let end = page.find(END).expect("docs/inits.md has the END marker");
        let (fan_in, fan_out) = DEFAULT_SHAPE;
        let expected = docs_section(fan_in, fan_out);
        assert!(
            page[start..end] == expected,
            "docs/inits.md is out of date with the scheme catalog: replace the lines \
             between its GENERATED markers with the output of `cargo run -- inits --markdown`"
        );
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.050507627), "0.05051");
        assert_eq!(short(2.0), "2.000");
        assert_eq!(short(1234.5), "1234");
    }
}
