//! Orthogonal matrices by Householder QR of a Gaussian matrix.
//!
//! ```text
//! A: [m, n], m ≥ n, A_ij ~ N(0, 1)
//! A = Q R          Q: [m, n] orthonormal columns, R: [n, n] upper triangular
//! W = gain · Q · diag(sign(R_jj))
//! ```
//!
//! Multiplying each column of Q by the sign of R's diagonal makes the
//! factorization unique, and with it the distribution of Q the uniform
//! (Haar) one; without it the columns are biased (Mezzadri, "How to
//! generate random matrices from the classical compact groups", 2007). For
//! a wide `[fan_in, fan_out]` matrix (fan_in < fan_out) the Gaussian is drawn
//! `[fan_out, fan_in]` and the result transposed, so W has orthonormal rows:
//! `W Wᵀ = gain² I`; otherwise `Wᵀ W = gain² I`.
//!
//! The factorization runs in f64 on columns stored contiguously. Step k
//! reflects column k onto `∓‖x‖ e_k` with `H_k = I - 2 v vᵀ` (v of unit
//! norm) and applies `H_k` to the columns right of it; Q is then
//! `H_0 H_1 … H_{n-1}` applied to the first n columns of the identity.
//! Cost: about 4 m n² - 2 n³ flops.

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// A `[rows, cols]` matrix `gain · Q`, Q uniformly distributed with
/// orthonormal columns (rows ≥ cols) or orthonormal rows (rows < cols).
///
/// Draws `rows · cols` standard normals from `rng`.
///
/// ```
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let w = initlab::init::orthogonal(5, 3, 2.0, &mut rng);
/// let gram = w.t().dot(&w); // 4 I
/// assert!((gram[[1, 1]] - 4.0).abs() < 1e-12 && gram[[0, 2]].abs() < 1e-12);
/// ```
pub fn orthogonal<R: Rng + ?Sized>(
    rows: usize,
    cols: usize,
    gain: f64,
    rng: &mut R,
) -> Array2<f64> {
    let (m, n) = (rows.max(cols), rows.min(cols));
    let mut columns: Vec<Vec<f64>> =
        (0..n).map(|_| (0..m).map(|_| StandardNormal.sample(rng)).collect()).collect();
    let (reflectors, signs) = householder(&mut columns);
    let q = thin_q(m, &reflectors);

    // q[j][i] is Q_ij; W_ij = gain · sign(R_jj) · Q_ij, transposed if wide
    let entry = |i: usize, j: usize| gain * signs[j] * q[j][i];
    if rows >= cols {
        Array2::from_shape_fn((rows, cols), |(i, j)| entry(i, j))
    } else {
        Array2::from_shape_fn((rows, cols), |(i, j)| entry(j, i))
    }
}

/// Householder reduction of the columns of an `[m, n]` matrix (m ≥ n), in
/// place. Returns each step's unit reflector `v_k` (acting on rows k..m)
/// and the sign of each diagonal entry of R (+1 for a zero entry).
fn householder(columns: &mut [Vec<f64>]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n = columns.len();
    let mut reflectors = Vec::with_capacity(n);
    let mut signs = Vec::with_capacity(n);
    for k in 0..n {
        // v = x + sign(x_0) ‖x‖ e_0 maps x to -sign(x_0) ‖x‖ e_0 = R_kk e_0
        let x = &columns[k][k..];
        let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
        let sign = if x[0] >= 0.0 { 1.0 } else { -1.0 };
        let mut v = x.to_vec();
        v[0] += sign * norm;
        let v_norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if v_norm > 0.0 {
            v.iter_mut().for_each(|a| *a /= v_norm);
        }
        let r_kk = -sign * norm;
        signs.push(if r_kk < 0.0 { -1.0 } else { 1.0 });

        // the columns right of k: c ← c - 2 v (v · c)
        for column in &mut columns[k + 1..] {
            reflect(&v, &mut column[k..]);
        }
        reflectors.push(v);
    }
    (reflectors, signs)
}

/// Independent partial sums in [`dot`]: they let the compiler use SIMD,
/// which a single running sum (fixed order of f64 additions) forbids.
const LANES: usize = 8;

/// `v · c`.
fn dot(v: &[f64], c: &[f64]) -> f64 {
    let mut partial = [0.0; LANES];
    let (v_chunks, c_chunks) = (v.chunks_exact(LANES), c.chunks_exact(LANES));
    let tail: f64 = v_chunks.remainder().iter().zip(c_chunks.remainder()).map(|(a, b)| a * b).sum();
    for (vs, cs) in v_chunks.zip(c_chunks) {
        for lane in 0..LANES {
            partial[lane] += vs[lane] * cs[lane];
        }
    }
    partial.iter().sum::<f64>() + tail
}

/// `c ← (I - 2 v vᵀ) c`.
fn reflect(v: &[f64], c: &mut [f64]) {
    let scale = 2.0 * dot(v, c);
    for (ci, vi) in c.iter_mut().zip(v) {
        *ci -= scale * vi;
    }
}

/// The first n columns of `H_0 … H_{n-1}`, as n columns of length m.
fn thin_q(m: usize, reflectors: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = reflectors.len();
    let mut q: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            let mut e = vec![0.0; m];
            e[j] = 1.0;
            e
        })
        .collect();
    // apply H_{n-1} first; H_k leaves rows above k alone, so columns j < k
    // are still e_j, zero on those rows, and need no work
    for (k, v) in reflectors.iter().enumerate().rev() {
        for column in &mut q[k..] {
            reflect(v, &mut column[k..]);
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Largest |G_ij - gain² δ_ij| for the Gram matrix of the short side.
    fn gram_error(w: &Array2<f64>, gain: f64) -> f64 {
        let gram = if w.nrows() >= w.ncols() { w.t().dot(w) } else { w.dot(&w.t()) };
        let target = gain * gain;
        gram.indexed_iter()
            .map(|((i, j), &g)| (g - if i == j { target } else { 0.0 }).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn square_tall_and_wide_are_orthonormal() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (rows, cols, gain) in [(64, 64, 1.0), (300, 120, 1.0), (120, 300, 1.5), (1, 7, 1.0)] {
            let w = orthogonal(rows, cols, gain, &mut rng);
            assert_eq!(w.dim(), (rows, cols));
            let err = gram_error(&w, gain);
            assert!(err < 1e-5, "{rows}x{cols}: max |WᵀW - g² I| = {err:e}, expected < 1e-5");
        }
    }

    #[test]
    fn sign_correction_makes_q_the_gram_schmidt_basis() {
        // With R's diagonal made positive, Q's first column is the first
        // Gaussian column normalized; without it, it may be its negative.
        let (m, n) = (6, 4);
        for seed in 0..20 {
            let w = orthogonal(m, n, 1.0, &mut ChaCha8Rng::seed_from_u64(seed));
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let a: Vec<f64> = (0..m).map(|_| StandardNormal.sample(&mut rng)).collect();
            let norm = a.iter().map(|v| v * v).sum::<f64>().sqrt();
            for (i, ai) in a.iter().enumerate() {
                let expected = ai / norm;
                assert!((w[[i, 0]] - expected).abs() < 1e-12, "seed {seed} row {i}");
            }
        }
    }
}
