//! Seeded statistical tests of every scheme: sample std and bound against
//! the formula, parsing and printing, framework presets.

use super::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Side of the square test matrices: 1e6 entries, so a sample std is
/// within about 0.07 % of the true one (std of a sample std: std/√(2n)).
const SIDE: usize = 1000;

/// Relative tolerance of a sample std: about 7 standard errors.
const STD_TOLERANCE: f64 = 5e-3;

/// Sample root mean square, mean and max |w| of a matrix.
fn moments(w: &Array2<f64>) -> (f64, f64, f64) {
    let n = w.len() as f64;
    let rms = (w.iter().map(|v| v * v).sum::<f64>() / n).sqrt();
    let max = w.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    (rms, w.sum() / n, max)
}

/// Draws a seeded `[fan_in, fan_out]` sample and checks its RMS against
/// `init.std`, its mean against 0 and, for bounded schemes, that max |w|
/// is at most the bound and within `edge` of it.
fn assert_stats(init: Init, fan_in: usize, fan_out: usize, edge: f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let w: Array2<f64> = init.sample(fan_in, fan_out, &mut rng);
    assert_eq!(w.dim(), (fan_in, fan_out));
    let (rms, mean, max) = moments(&w);
    let expected = init.std(fan_in, fan_out);
    let rel = (rms - expected).abs() / expected;
    assert!(rel < STD_TOLERANCE, "{init}: std {rms}, expected {expected} (rel err {rel:.2e})");
    assert!(mean.abs() < 5e-3 * expected, "{init}: mean {mean}, expected 0");
    if let Some(bound) = init.bound(fan_in, fan_out) {
        assert!(max <= bound, "{init}: max |w| {max} above the bound {bound}");
        assert!(max > bound * (1.0 - edge), "{init}: max |w| {max}, expected near {bound}");
    }
}

#[test]
fn book_schemes_have_their_std() {
    assert_stats(Init::Normal { std: 0.01 }, SIDE, SIDE, 0.0);
    assert_stats(Init::XAVIER, SIDE, SIDE, 0.0);
    assert_stats(Init::HE, SIDE, SIDE, 0.0);
    assert_stats(Init::HE, 784, 1300, 0.0);
    assert!((Init::XAVIER.std(100, 7) - 0.1).abs() < 1e-15);
    assert!((Init::HE.std(50, 7) - 0.2).abs() < 1e-15);
}

#[test]
fn every_variance_scaling_scheme_has_its_std_and_bound() {
    let dists = [Distribution::Normal, Distribution::Uniform, Distribution::TruncatedNormal];
    let modes = [FanMode::FanIn, FanMode::FanOut, FanMode::Average, FanMode::Geometric];
    for distribution in dists {
        for mode in modes {
            for scale in [1.0, 2.0] {
                let init = Init::VarianceScaling { distribution, mode, scale };
                // a rectangle, so that the four fan modes differ
                assert_stats(init, 800, 1250, 1e-3);
            }
        }
    }
}

#[test]
fn formulas_by_hand() {
    let (fan_in, fan_out) = (300, 600);
    let close = |init: &str, std: f64, bound: Option<f64>| {
        let init: Init = init.parse().unwrap();
        let (got, got_bound) = (init.std(fan_in, fan_out), init.bound(fan_in, fan_out));
        assert!((got - std).abs() < 1e-12 * std, "{init}: std {got}, expected {std}");
        match (got_bound, bound) {
            (Some(g), Some(b)) => assert!((g - b).abs() < 1e-12 * b, "{init}: bound {g} vs {b}"),
            (g, b) => assert_eq!(g, b, "{init}: bound"),
        }
    };
    close("glorot-normal", (2.0 / 900.0_f64).sqrt(), None);
    close("glorot-uniform", (2.0 / 900.0_f64).sqrt(), Some((6.0 / 900.0_f64).sqrt()));
    close("he-uniform", (2.0 / 300.0_f64).sqrt(), Some((6.0 / 300.0_f64).sqrt()));
    close("kaiming-normal:fan_out", (2.0 / 600.0_f64).sqrt(), None);
    close(
        "lecun-uniform:fan_geo",
        (1.0 / 180_000.0_f64).sqrt().sqrt(),
        Some(3.0_f64.sqrt() / 180_000.0_f64.sqrt().sqrt()),
    );
    let sigma = (1.0 / 300.0_f64).sqrt();
    close("lecun-truncated-normal", sigma, Some(2.0 * sigma / TRUNCATION_STD_FACTOR));
    close("uniform:0.3", 0.3 / 3.0_f64.sqrt(), Some(0.3));
    close("orthogonal:2", 2.0 / 600.0_f64.sqrt(), None);
    close("identity", 1.0 / 600.0_f64.sqrt(), None);
    close("constant:-0.5", 0.5, None);
}

#[test]
fn fixed_and_truncated_schemes_have_their_std_and_bound() {
    assert_stats(Init::Uniform { limit: 0.05 }, SIDE, SIDE, 1e-4);
    // barely cut: std 0.02 with PyTorch's absolute bound 2
    assert_stats("truncated-normal:0.02".parse().unwrap(), SIDE, SIDE, 1.0);
    // cut at one std (normal proposals) and at a quarter std (uniform ones)
    assert_stats("truncated-normal:1:1".parse().unwrap(), SIDE, SIDE, 1e-3);
    assert_stats("truncated-normal:8".parse().unwrap(), SIDE, SIDE, 1e-3);
    let cut: Init = "truncated-normal:1".parse().unwrap();
    assert!((cut.std(5, 5) - TRUNCATION_STD_FACTOR).abs() < 1e-15);
}

#[test]
fn orthogonal_and_lsuv_start_are_orthonormal() {
    for init in [Init::Orthogonal { gain: 1.0 }, Init::Lsuv, Init::Orthogonal { gain: 0.5 }] {
        for (fan_in, fan_out) in [(200, 200), (300, 100), (100, 300)] {
            let w: Array2<f64> = init.sample(fan_in, fan_out, &mut ChaCha8Rng::seed_from_u64(1));
            let gram = if fan_in >= fan_out { w.t().dot(&w) } else { w.dot(&w.t()) };
            let g2 = init.std(1, 1).powi(2);
            let err = gram
                .indexed_iter()
                .map(|((i, j), &v)| (v - if i == j { g2 } else { 0.0 }).abs())
                .fold(0.0, f64::max);
            assert!(err < 1e-5, "{init} {fan_in}x{fan_out}: max |Gram - g² I| {err:e}");
            let (rms, ..) = moments(&w);
            let expected = init.std(fan_in, fan_out);
            assert!((rms - expected).abs() < 1e-12, "{init}: rms {rms}, expected {expected}");
        }
    }
    // f32 weights too: rounding leaves the Gram matrix within 1e-5 of I
    let w: Array2<f32> = Init::Lsuv.sample(256, 256, &mut ChaCha8Rng::seed_from_u64(2));
    let gram = w.t().dot(&w);
    let err =
        gram.indexed_iter().map(|((i, j), &v)| (v - f32::from(i == j)).abs()).fold(0.0, f32::max);
    assert!(err < 1e-5, "f32 orthogonal: max |WᵀW - I| {err:e}");
}

#[test]
fn deterministic_schemes_draw_nothing() {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let eye: Array2<f64> = Init::Identity.sample(3, 5, &mut rng);
    assert_eq!(eye.sum(), 3.0);
    assert_eq!(eye[[2, 2]], 1.0);
    let c: Array2<f32> = "constant:0.25".parse::<Init>().unwrap().sample(4, 2, &mut rng);
    assert!(c.iter().all(|&v| v == 0.25));
    let z: Array2<f32> = Init::ZEROS.sample(4, 2, &mut rng);
    assert!(z.iter().all(|&v| v == 0.0));
}

#[test]
fn presets_reproduce_the_frameworks_formulas() {
    let (fan_in, fan_out) = (400, 250);
    let inv_sqrt = 1.0 / (fan_in as f64).sqrt();
    for (name, std, bound, bias) in [
        ("pytorch-default", inv_sqrt / 3.0_f64.sqrt(), Some(inv_sqrt), Some(inv_sqrt)),
        ("burn-default", inv_sqrt / 3.0_f64.sqrt(), Some(inv_sqrt), Some(inv_sqrt)),
        ("candle-default", 2.0_f64.sqrt() * inv_sqrt, None, Some(inv_sqrt)),
        ("keras-default", (2.0 / 650.0_f64).sqrt(), Some((6.0 / 650.0_f64).sqrt()), None),
        ("flax-default", inv_sqrt, Some(2.0 * inv_sqrt / TRUNCATION_STD_FACTOR), None),
        ("selu-default", inv_sqrt, None, None),
    ] {
        let init: Init = name.parse().unwrap();
        let got = init.std(fan_in, fan_out);
        assert!((got - std).abs() < 1e-12 * std, "{name}: std {got}, expected {std}");
        assert_eq!(
            init.bound(fan_in, fan_out).map(|b| (b / bound.unwrap() - 1.0).abs() < 1e-12),
            bound.map(|_| true),
            "{name} bound"
        );
        assert_eq!(BiasInit::Scheme.bound(&init, fan_in), bias, "{name} bias bound");
        assert_stats(init, SIDE, SIDE, 1e-3);
    }
}

#[test]
fn every_scheme_round_trips_through_its_name() {
    for entry in catalog::entries() {
        let init = entry.example;
        assert_eq!(init.to_string().parse::<Init>().unwrap(), init, "{}", entry.form);
        for alias in entry.aliases {
            if !alias.contains(|c: char| c.is_ascii_uppercase()) {
                assert_eq!(alias.parse::<Init>().unwrap(), init, "alias {alias}");
            }
        }
    }
    let general = Init::VarianceScaling {
        distribution: Distribution::TruncatedNormal,
        mode: FanMode::Geometric,
        scale: 0.5,
    };
    assert_eq!(general.to_string(), "variance-scaling:truncated-normal:fan_geo:0.5");
    assert_eq!(general.to_string().parse::<Init>().unwrap(), general);
    assert_eq!(
        "glorot-uniform:fan_out".parse::<Init>().unwrap().to_string(),
        "lecun-uniform:fan_out"
    );
}

#[test]
fn book_names_parse() {
    assert_eq!("std=0.01".parse::<Init>().unwrap(), Init::Normal { std: 0.01 });
    assert_eq!("0.01".parse::<Init>().unwrap(), Init::Normal { std: 0.01 });
    assert_eq!("normal:0.01".parse::<Init>().unwrap(), Init::Normal { std: 0.01 });
    assert_eq!("Xavier".parse::<Init>().unwrap(), Init::XAVIER);
    assert_eq!("sigmoid".parse::<Init>().unwrap(), Init::XAVIER);
    assert_eq!("he".parse::<Init>().unwrap(), Init::HE);
    assert_eq!("ReLU".parse::<Init>().unwrap(), Init::HE);
    // xavier alone is the book's LeCun normal; xavier-normal is Glorot's
    assert_eq!("xavier-normal".parse::<Init>().unwrap(), Init::GLOROT_NORMAL);
    assert_ne!(Init::XAVIER, Init::GLOROT_NORMAL);
}

#[test]
fn bad_names_and_parameters_list_the_valid_forms() {
    let err = "kaiming-sideways".parse::<Init>().unwrap_err().to_string();
    assert!(err.contains("kaiming-sideways") && err.contains("xavier"), "{err}");
    for bad in ["std=-1", "nan", "std=inf"] {
        let err = bad.parse::<Init>().unwrap_err().to_string();
        assert!(err.contains("finite number >= 0"), "{bad}: {err}");
    }
    for (bad, says) in [
        ("he-normal:fan_sideways", "fan_sideways"),
        ("normal:-1", "found -1"),
        ("uniform:nan", "found NaN"),
        ("orthogonal:x", "found 'x'"),
        ("truncated-normal:1:0", "found 0"),
        ("lsuv:3", "found 1 ':' arguments"),
        ("variance-scaling:cauchy:fan_in:1", "cauchy"),
    ] {
        let err = bad.parse::<Init>().unwrap_err().to_string();
        assert!(err.contains(says), "{bad}: {err}");
        assert!(
            err.contains("glorot-uniform") && err.contains("orthogonal[:GAIN]"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn same_seed_gives_identical_weights() {
    for init in [Init::HE, Init::GLOROT_UNIFORM, Init::Lsuv, "flax-default".parse().unwrap()] {
        let draw = || init.sample::<f32, _>(20, 30, &mut ChaCha8Rng::seed_from_u64(3));
        assert_eq!(draw(), draw(), "{init}");
    }
}

#[test]
fn data_dependence_and_bias_rules() {
    assert!(Init::Lsuv.is_data_dependent() && !Init::HE.is_data_dependent());
    assert_eq!(Init::HE.bias_rule(), BiasInit::Zeros);
    assert_eq!(Init::Preset(Preset::Pytorch).bias_rule(), BiasInit::FanInUniform);
    assert!(Init::Normal { std: -1.0 }.validate().is_err());
    assert!(Init::Orthogonal { gain: f64::NAN }.validate().is_err());
}
