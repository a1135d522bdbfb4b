//! Statistics across seeds: when each arm reaches a target loss, and
//! whether one arm beats another by more than the seed-to-seed noise.
//!
//! Runs of the same seed share their batches, so arms are compared seed by
//! seed (a paired comparison):
//!
//! ```text
//! d_s   = x_A,s - x_B,s                 for every seed s both runs finished
//! mean  = Σ d_s / n
//! 95 %  = mean ± t(0.975, n - 1) · sd(d) / sqrt(n)
//! ```
//!
//! with `sd` the sample standard deviation and `t` Student's quantile. The
//! interval needs n ≥ 2; an interval that excludes 0 says the difference is
//! larger than the noise between seeds.

use serde::Serialize;

/// Student's t quantile at 0.975 for 1 to 30 degrees of freedom (standard
/// tables).
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

/// Student's t quantile at 0.975 for `df` degrees of freedom; beyond 30
/// the approximation 1.96 + 2.4 / df, within 0.002 of the exact value.
pub fn t_975(df: usize) -> f64 {
    match df {
        0 => f64::NAN,
        1..=30 => T_975[df - 1],
        _ => 1.96 + 2.4 / df as f64,
    }
}

/// A paired difference between two arms over the seeds both finished.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Paired {
    /// The first arm's name.
    pub a: String,
    /// The second arm's name.
    pub b: String,
    /// Seeds compared.
    pub n: usize,
    /// Mean of a - b.
    pub mean: f64,
    /// Lower end of the 95 % interval (NaN for n < 2).
    pub low: f64,
    /// Upper end of the 95 % interval (NaN for n < 2).
    pub high: f64,
}

impl Paired {
    /// The paired comparison of `pairs` of values (a, b), one per seed.
    pub fn of(a: &str, b: &str, pairs: &[(f64, f64)]) -> Paired {
        let n = pairs.len();
        let diffs: Vec<f64> = pairs.iter().map(|(x, y)| x - y).collect();
        let mean = diffs.iter().sum::<f64>() / n.max(1) as f64;
        let half = if n >= 2 {
            let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            t_975(n - 1) * (var / n as f64).sqrt()
        } else {
            f64::NAN
        };
        Paired { a: a.to_string(), b: b.to_string(), n, mean, low: mean - half, high: mean + half }
    }

    /// Whether the interval excludes 0.
    pub fn is_significant(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_matches_a_hand_computation() {
        // d = 1, 2, 3, 4: mean 2.5, sd = sqrt(5/3), t(3) = 3.182,
        // half width = 3.182 * sqrt(5/3) / 2 = 2.0540
        let pairs = [(2.0, 1.0), (4.0, 2.0), (6.0, 3.0), (8.0, 4.0)];
        let p = Paired::of("A", "B", &pairs);
        assert_eq!((p.n, p.mean), (4, 2.5));
        assert!((p.high - 2.5 - 2.0540).abs() < 1e-3, "{p:?}");
        assert!(p.is_significant());
        let single = Paired::of("A", "B", &[(1.0, 0.0)]);
        assert!(single.low.is_nan() && !single.is_significant());
    }

    #[test]
    fn t_quantiles_decrease_towards_the_normal() {
        assert_eq!(t_975(1), 12.706);
        assert!((t_975(60) - 2.000).abs() < 2e-3 && (t_975(120) - 1.980).abs() < 2e-3);
    }
}
