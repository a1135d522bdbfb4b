//! Expectations over a Gaussian by Gauss–Hermite quadrature.
//!
//! ```text
//! E[f(h)], h ~ N(0, q)  ≈  Σ_i w_i f(sqrt(2 q) x_i) / sqrt(π)
//! x_i: roots of the physicists' Hermite polynomial H_n
//! w_i = 2^(n-1) n! sqrt(π) / (n² H_{n-1}(x_i)²)
//! ```
//!
//! The rule with n nodes is exact for polynomials of degree up to 2n - 1
//! and converges fast for smooth f (tanh, sigmoid, GELU: 1e-9 and better
//! with [`DEFAULT_NODES`] nodes). A kink at 0 slows it down: E[relu(h)]
//! comes out 0.5 % high, so ReLU-family theory should use closed forms
//! where they exist (E[relu(h)²] = q/2 happens to be exact, by symmetry). The signal-propagation
//! theory (activations' predicted variances, numerically derived gains)
//! evaluates every E[φ(h)²] this way.
//!
//! Roots are found by Newton's method on the orthonormal Hermite functions,
//! whose three-term recurrence stays finite for large n, starting from the
//! classical asymptotic guesses for the largest roots and extrapolating
//! from the previous roots for the rest.

use std::f64::consts::PI;

/// Node count used by [`expect_normal`]: exact for polynomials of degree
/// up to 159.
pub const DEFAULT_NODES: usize = 80;

/// Newton iterations allowed per root; convergence takes 3-6.
const MAX_NEWTON: usize = 100;

/// A Gauss–Hermite rule for the weight `e^{-x²}`: nodes ascending and their
/// weights (the weights sum to sqrt(π)).
#[derive(Clone, Debug)]
pub struct GaussHermite {
    /// Roots of H_n, ascending.
    pub nodes: Vec<f64>,
    /// Weights, one per node.
    pub weights: Vec<f64>,
}

impl GaussHermite {
    /// The n-node rule (n ≥ 1).
    ///
    /// # Panics
    ///
    /// If `n` is 0.
    ///
    /// ```
    /// let rule = initlab::quadrature::GaussHermite::new(20);
    /// // E[h⁴] = 3 for h ~ N(0, 1)
    /// let m4 = rule.expect(1.0, |h| h.powi(4));
    /// assert!((m4 - 3.0).abs() < 1e-12);
    /// ```
    pub fn new(n: usize) -> Self {
        assert!(n >= 1, "GaussHermite::new: need at least one node");
        let mut nodes = vec![0.0; n];
        let mut weights = vec![0.0; n];
        let half = n.div_ceil(2);
        let mut z = 0.0;
        // The roots are symmetric: find the positive half, largest first.
        for i in 0..half {
            z = initial_guess(n, i, z, &nodes);
            for _ in 0..MAX_NEWTON {
                let (p, dp) = hermite_normalized(n, z);
                let step = p / dp;
                z -= step;
                if step.abs() <= 1e-15 * z.abs().max(1.0) {
                    break;
                }
            }
            let (_, dp) = hermite_normalized(n, z);
            let w = 2.0 / (dp * dp);
            nodes[i] = z;
            nodes[n - 1 - i] = -z;
            weights[i] = w;
            weights[n - 1 - i] = w;
        }
        nodes.reverse();
        weights.reverse();
        GaussHermite { nodes, weights }
    }

    /// `E[f(h)]` for `h ~ N(0, variance)`.
    pub fn expect(&self, variance: f64, f: impl Fn(f64) -> f64) -> f64 {
        let scale = (2.0 * variance.max(0.0)).sqrt();
        let sum: f64 = self.nodes.iter().zip(&self.weights).map(|(&x, &w)| w * f(scale * x)).sum();
        sum / PI.sqrt()
    }
}

/// Starting point of Newton's method for the i-th largest root of H_n,
/// given the roots already found (stored at `found[0..i]`, descending).
fn initial_guess(n: usize, i: usize, previous: f64, found: &[f64]) -> f64 {
    let nf = n as f64;
    match i {
        0 => (2.0 * nf + 1.0).sqrt() - 1.85575 * (2.0 * nf + 1.0).powf(-1.0 / 6.0),
        1 => previous - 1.14 * nf.powf(0.426) / previous,
        2 => 1.86 * previous - 0.86 * found[0],
        3 => 1.91 * previous - 0.91 * found[1],
        _ => 2.0 * previous - found[i - 2],
    }
}

/// The orthonormal Hermite function of degree n (without the Gaussian
/// factor) at z, and its derivative: `(p_n(z), p_n'(z))` with
/// `p_n = H_n / sqrt(2^n n! sqrt(π))`.
fn hermite_normalized(n: usize, z: f64) -> (f64, f64) {
    let mut p_prev = 0.0;
    let mut p = PI.powf(-0.25);
    for j in 1..=n {
        let jf = j as f64;
        let next = z * (2.0 / jf).sqrt() * p - ((jf - 1.0) / jf).sqrt() * p_prev;
        p_prev = p;
        p = next;
    }
    (p, (2.0 * n as f64).sqrt() * p_prev)
}

/// `E[f(h)]` for `h ~ N(0, variance)` with the default rule.
///
/// ```
/// // E[max(h, 0)²] = q / 2
/// let e = initlab::quadrature::expect_normal(4.0, |h: f64| h.max(0.0).powi(2));
/// assert!((e - 2.0).abs() < 1e-3);
/// ```
pub fn expect_normal(variance: f64, f: impl Fn(f64) -> f64) -> f64 {
    use std::sync::OnceLock;
    static RULE: OnceLock<GaussHermite> = OnceLock::new();
    RULE.get_or_init(|| GaussHermite::new(DEFAULT_NODES)).expect(variance, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaussian_moments_are_exact() {
        // E[h^2k] = (2k - 1)!! q^k
        for n in [5, 10, 40, DEFAULT_NODES, 150] {
            let rule = GaussHermite::new(n);
            let total: f64 = rule.weights.iter().sum();
            assert!((total - PI.sqrt()).abs() < 1e-12, "n={n}: weights sum {total}");
            assert!(rule.expect(2.0, |h| h * h) - 2.0 < 1e-12);
            if n >= 5 {
                let m8 = rule.expect(1.5, |h| h.powi(8));
                assert!((m8 - 105.0 * 1.5_f64.powi(4)).abs() < 1e-9 * m8, "n={n}: {m8}");
            }
        }
    }

    #[test]
    fn nodes_are_symmetric_and_sorted() {
        let rule = GaussHermite::new(7);
        assert!(rule.nodes.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(rule.nodes[3], 0.0);
        assert!((rule.nodes[0] + rule.nodes[6]).abs() < 1e-14);
        // Largest root of H_7 (tables of Hermite zeros): 2.651961356835233
        assert!((rule.nodes[6] - 2.651961356835233).abs() < 1e-12);
    }

    #[test]
    fn smooth_and_kinked_expectations() {
        // E[tanh(h)²] for q = 1: 0.3942944903 (independent 1e6-point Simpson)
        let t = expect_normal(1.0, |h| h.tanh().powi(2));
        assert!((t - 0.394294490).abs() < 1e-7, "{t}");
        // The kink costs accuracy for E[relu(h)] (exact: 1/sqrt(2π)) ...
        let relu = expect_normal(1.0, |h| h.max(0.0));
        assert!((relu - 1.0 / (2.0 * PI).sqrt()).abs() < 3e-3, "{relu}");
        // ... but E[relu(h)²] = q/2 is exact: the nodes are symmetric.
        let relu2 = expect_normal(3.0, |h| h.max(0.0).powi(2));
        assert!((relu2 - 1.5).abs() < 1e-12, "{relu2}");
    }
}
