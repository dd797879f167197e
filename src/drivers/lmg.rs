//! Relative importance of the predictors of a linear regression: the LMG decomposition of R²
//! (Lindeman, Merenda & Gold 1980; the Shapley value of R², equal to general dominance),
//! exact over every subset of predictors, and Johnson's (2000) relative weights for more
//! predictors than an exact enumeration allows. Both work on the correlation matrix of the
//! complete cases, so they need no regression coefficients and no external linear algebra.

/// How the importances were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// LMG, exact over all 2^p subsets of the predictors.
    Lmg,
    /// Johnson's relative weights (an approximation of LMG for many predictors).
    RelativeWeights,
}

impl Method {
    /// The name written in `drivers.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Lmg => "lmg",
            Method::RelativeWeights => "relative_weights",
        }
    }
}

/// The most predictors decomposed exactly (2^12 subsets); above, relative weights.
pub const EXACT_UP_TO: usize = 12;

/// R² of the regression of the outcome on all predictors, and each predictor's importance on
/// the R² scale (the importances sum to R²).
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub r2: f64,
    pub importance: Vec<f64>,
}

/// A pivot below this (on the correlation scale, where a variable's own variance is 1) marks
/// a predictor that the others already explain: it adds nothing to the fit.
const REDUNDANT: f64 = 1e-10;

/// The predictors and the outcome row by row (the outcome last), each less its mean over the
/// whole sample, followed by the lower triangle of their products: a resample's sums of
/// products are then one weighted sum of fixed rows, read in order and vectorised.
pub struct Rows {
    /// Variables per row: the predictors, then the outcome.
    vars: usize,
    /// Values per row: `vars` deviations, then `vars * (vars + 1) / 2` products.
    width: usize,
    values: Vec<f64>,
}

impl Rows {
    /// `x` one column per predictor, `y` the outcome, all of one length.
    pub fn new(x: &[Vec<f64>], y: &[f64]) -> Rows {
        let vars = x.len() + 1;
        let column = |j: usize| if j < x.len() { &x[j][..] } else { y };
        let n = y.len().max(1) as f64;
        let shift: Vec<f64> = (0..vars).map(|j| column(j).iter().sum::<f64>() / n).collect();
        let width = vars + vars * (vars + 1) / 2;
        let mut values = Vec::with_capacity(width * y.len());
        let mut d = vec![0.0; vars];
        for r in 0..y.len() {
            d.iter_mut()
                .enumerate()
                .for_each(|(j, d)| *d = column(j)[r] - shift[j]);
            values.extend_from_slice(&d);
            for j in 0..vars {
                values.extend(d[..=j].iter().map(|dk| d[j] * dk));
            }
        }
        Rows { vars, width, values }
    }
}

/// Correlations among the predictors (`x`, one column per predictor) and with the outcome
/// `y`, each row counted `counts[row]` times (all ones for the sample itself, how often the
/// row was drawn for a bootstrap resample). A predictor that does not vary gets a zero row and
/// column; `None` when the outcome does not vary.
pub fn correlations(x: &[Vec<f64>], y: &[f64], counts: &[u32]) -> Option<(Vec<Vec<f64>>, Vec<f64>)> {
    correlations_of(&Rows::new(x, y), counts)
}

/// [`correlations`] of data already laid out by row.
pub fn correlations_of(rows: &Rows, counts: &[u32]) -> Option<(Vec<Vec<f64>>, Vec<f64>)> {
    let sums = centred_products(rows, counts);
    let v = rows.vars;
    let (p, syy) = (v - 1, sums[v * v - 1]);
    if syy <= 0.0 {
        return None;
    }
    let sd: Vec<f64> = (0..v).map(|j| sums[j * v + j].sqrt()).collect();
    let scaled = |j: usize, k: usize| match (sd[j] > 0.0, sd[k] > 0.0) {
        (true, true) if j == k => 1.0,
        (true, true) => sums[j * v + k] / (sd[j] * sd[k]),
        _ => 0.0,
    };
    // The sums are a lower triangle: (j, k) is read as (larger, smaller).
    let rxx = (0..p)
        .map(|j| (0..p).map(|k| scaled(j.max(k), j.min(k))).collect())
        .collect();
    let rxy = (0..p).map(|j| scaled(p, j)).collect();
    Some((rxx, rxy))
}

/// The sums of products of the columns' deviations from their (weighted) means, lower
/// triangle of a `v x v` row-major matrix, in one pass: S_jk = Σ w·d_j·d_k − n·m_j·m_k over the
/// rows' deviations d from the whole sample's means, whose weighted means m are near zero, so
/// the subtraction loses no precision. Every row is summed (a row drawn no times adds zero):
/// no branch in the loop.
fn centred_products(rows: &Rows, counts: &[u32]) -> Vec<f64> {
    let (mut acc, mut n) = (vec![0.0; rows.width], 0.0);
    for (row, &w) in rows.values.chunks_exact(rows.width).zip(counts) {
        let w = f64::from(w);
        n += w;
        acc.iter_mut().zip(row).for_each(|(a, x)| *a += w * x);
    }
    let v = rows.vars;
    let means: Vec<f64> = acc[..v].iter().map(|s| s / n).collect();
    let mut products = acc[v..].iter();
    let mut sums = vec![0.0; v * v];
    for j in 0..v {
        for k in 0..=j {
            sums[j * v + k] = products.next().unwrap_or(&0.0) - n * means[j] * means[k];
        }
    }
    sums
}

/// R² of the outcome on the predictors in `subset` (a bit mask): r' R⁻¹ r by a Cholesky
/// factorisation that passes over redundant predictors (a generalised inverse, so R² is that
/// of the projection on the span of the subset).
pub fn subset_r2(rxx: &[Vec<f64>], rxy: &[f64], subset: usize) -> f64 {
    let members: Vec<usize> = (0..rxy.len()).filter(|j| subset >> j & 1 == 1).collect();
    let k = members.len();
    let mut l = vec![vec![0.0; k]; k];
    let mut kept = vec![false; k];
    let mut z = vec![0.0; k];
    let mut r2 = 0.0;
    for a in 0..k {
        let ja = members[a];
        let d = rxx[ja][ja] - (0..a).map(|c| l[a][c] * l[a][c]).sum::<f64>();
        if d <= REDUNDANT {
            continue;
        }
        kept[a] = true;
        let pivot = d.sqrt();
        l[a][a] = pivot;
        for b in a + 1..k {
            let jb = members[b];
            let s = rxx[jb][ja] - (0..a).map(|c| l[b][c] * l[a][c]).sum::<f64>();
            l[b][a] = s / pivot;
        }
        // Forward substitution of L z = r, one row at a time.
        let s = rxy[ja] - (0..a).filter(|&c| kept[c]).map(|c| l[a][c] * z[c]).sum::<f64>();
        z[a] = s / pivot;
        r2 += z[a] * z[a];
    }
    r2
}

/// LMG importances: each predictor's increase in R² when it joins a subset of the others,
/// averaged over all orderings (subsets of size s weighted s!(p−s−1)!/p!).
pub fn lmg(rxx: &[Vec<f64>], rxy: &[f64]) -> Fit {
    let p = rxy.len();
    let r2: Vec<f64> = (0..1usize << p).map(|s| subset_r2(rxx, rxy, s)).collect();
    // weight[s] = s!(p−s−1)!/p! = 1 / (p · C(p−1, s)).
    let mut weight = vec![0.0; p];
    let mut choose = 1.0;
    for (s, w) in weight.iter_mut().enumerate() {
        *w = 1.0 / (p as f64 * choose);
        choose = choose * (p - 1 - s) as f64 / (s + 1) as f64;
    }
    let mut importance = vec![0.0; p];
    for (subset, &base) in r2.iter().enumerate() {
        let size = subset.count_ones() as usize;
        for (j, imp) in importance.iter_mut().enumerate() {
            if subset >> j & 1 == 0 {
                *imp += weight[size] * (r2[subset | 1 << j] - base);
            }
        }
    }
    Fit {
        r2: r2[(1 << p) - 1],
        importance,
    }
}

/// Johnson's relative weights: the predictors replaced by their closest orthogonal
/// counterparts Z = X R^(−1/2); the outcome's R² on Z is shared out by how much each original
/// predictor loads on each Z (Λ = R^(1/2), weight_j = Σ_k Λ_jk² β_k², β = Λ⁻¹ r).
pub fn relative_weights(rxx: &[Vec<f64>], rxy: &[f64]) -> Fit {
    let p = rxy.len();
    let (values, vectors) = jacobi_eigen(rxx);
    // Λ = V diag(√λ) V', β = V diag(1/√λ) V' r; eigenvalues ~0 (redundant directions) dropped.
    let root: Vec<f64> = values
        .iter()
        .map(|&v| if v > REDUNDANT { v.sqrt() } else { 0.0 })
        .collect();
    let projected: Vec<f64> = (0..p)
        .map(|k| (0..p).map(|i| vectors[i][k] * rxy[i]).sum::<f64>())
        .collect();
    let beta: Vec<f64> = (0..p)
        .map(|i| {
            (0..p)
                .filter(|&k| root[k] > 0.0)
                .map(|k| vectors[i][k] * projected[k] / root[k])
                .sum()
        })
        .collect();
    let importance: Vec<f64> = (0..p)
        .map(|j| {
            (0..p)
                .map(|k| {
                    let lambda: f64 = (0..p).map(|m| vectors[j][m] * root[m] * vectors[k][m]).sum();
                    lambda * lambda * beta[k] * beta[k]
                })
                .sum()
        })
        .collect();
    Fit {
        r2: beta.iter().map(|b| b * b).sum(),
        importance,
    }
}

/// Eigenvalues and eigenvectors (columns) of a small symmetric matrix by cyclic Jacobi
/// rotations.
fn jacobi_eigen(matrix: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let p = matrix.len();
    let mut a: Vec<Vec<f64>> = matrix.to_vec();
    let mut v: Vec<Vec<f64>> = (0..p)
        .map(|i| (0..p).map(|j| f64::from(i == j)).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..p)
            .flat_map(|i| (0..p).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for i in 0..p {
            for j in i + 1..p {
                if a[i][j].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[j][j] - a[i][i]) / (2.0 * a[i][j]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
                rotate(&mut a, &mut v, i, j, c, s);
            }
        }
    }
    ((0..p).map(|i| a[i][i]).collect(), v)
}

/// Applies the Jacobi rotation (i, j, c, s) to A (both sides) and to the eigenvectors V.
fn rotate(a: &mut [Vec<f64>], v: &mut [Vec<f64>], i: usize, j: usize, c: f64, s: f64) {
    for row in a.iter_mut() {
        let (aki, akj) = (row[i], row[j]);
        row[i] = c * aki - s * akj;
        row[j] = s * aki + c * akj;
    }
    let (row_i, row_j) = (a[i].clone(), a[j].clone());
    for (k, (aik, ajk)) in row_i.into_iter().zip(row_j).enumerate() {
        a[i][k] = c * aik - s * ajk;
        a[j][k] = s * aik + c * ajk;
    }
    for row in v.iter_mut() {
        let (vi, vj) = (row[i], row[j]);
        row[i] = c * vi - s * vj;
        row[j] = s * vi + c * vj;
    }
}

/// The importances of the predictors, each row counted `counts[row]` times: exact LMG for up
/// to [`EXACT_UP_TO`] predictors, else relative weights. `None` when the outcome does not vary.
pub fn decompose(x: &[Vec<f64>], y: &[f64], counts: &[u32]) -> Option<(Fit, Method)> {
    decompose_rows(&Rows::new(x, y), counts)
}

/// [`decompose`] of data already laid out by row.
pub fn decompose_rows(rows: &Rows, counts: &[u32]) -> Option<(Fit, Method)> {
    let (rxx, rxy) = correlations_of(rows, counts)?;
    Some(if rows.vars - 1 <= EXACT_UP_TO {
        (lmg(&rxx, &rxy), Method::Lmg)
    } else {
        (relative_weights(&rxx, &rxy), Method::RelativeWeights)
    })
}

/// SplitMix64's increment, 2⁶⁴ divided by the golden ratio.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, the same on every
/// platform, for the bootstrap's resamples.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The generator as it is after `steps` draws from `seed`: its state only counts, so a
    /// stream can be cut into pieces drawn on different threads.
    pub fn after(seed: u64, steps: u64) -> SplitMix64 {
        SplitMix64(seed.wrapping_add(steps.wrapping_mul(GOLDEN_GAMMA)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (Lemire's multiply-shift; its bias is below 2⁻⁵⁰ for survey
    /// sizes).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// The `q` quantile of sorted values, interpolated linearly between order statistics (the
/// "type 7" definition of R and numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orthogonal_predictors_share_r2_by_their_squared_correlations() {
        // x1 and x2 uncorrelated: each importance is its r², for LMG and relative weights alike.
        let x = vec![vec![1.0, -1.0, 1.0, -1.0], vec![1.0, 1.0, -1.0, -1.0]];
        let y = vec![3.0, 1.0, 2.0, -2.0];
        let (rxx, rxy) = correlations(&x, &y, &[1; 4]).unwrap();
        let expected: Vec<f64> = rxy.iter().map(|r| r * r).collect();
        for fit in [lmg(&rxx, &rxy), relative_weights(&rxx, &rxy)] {
            for (a, b) in fit.importance.iter().zip(&expected) {
                assert!((a - b).abs() < 1e-12, "{fit:?} {expected:?}");
            }
            assert!((fit.r2 - expected.iter().sum::<f64>()).abs() < 1e-12);
        }
    }

    #[test]
    fn a_row_counted_twice_is_a_row_given_twice() {
        // A resample as counts (row 0 drawn twice, rows 1 and 5 not at all) against the same
        // resample written out row by row.
        let x = vec![
            vec![1.0, 2.0, 4.0, 3.0, 5.0, 2.5],
            vec![2.0, 1.0, 3.0, 5.0, 4.0, 1.5],
        ];
        let y = vec![1.5, 1.0, 4.5, 2.0, 6.0, 3.0];
        let counts: [u32; 6] = [2, 0, 1, 3, 1, 0];
        let expand = |v: &[f64]| -> Vec<f64> {
            v.iter()
                .zip(counts)
                .flat_map(|(&a, c)| std::iter::repeat_n(a, c as usize))
                .collect()
        };
        let xs: Vec<Vec<f64>> = x.iter().map(|c| expand(c)).collect();
        let (rxx, rxy) = correlations(&x, &y, &counts).unwrap();
        let (want_xx, want_xy) = correlations(&xs, &expand(&y), &[1; 7]).unwrap();
        for (a, b) in rxx
            .iter()
            .flatten()
            .chain(&rxy)
            .zip(want_xx.iter().flatten().chain(&want_xy))
        {
            assert!((a - b).abs() < 1e-12, "{a} {b}");
        }
        // numpy.corrcoef(numpy.repeat(x0, counts), numpy.repeat(y, counts))[0, 1]
        assert!((rxy[0] - 0.863_111_371_904_041_9).abs() < 1e-12, "{rxy:?}");
    }

    #[test]
    fn a_stream_cut_into_pieces_draws_as_one() {
        let mut one = SplitMix64(7);
        let first: Vec<u64> = (0..5).map(|_| one.next_u64()).collect();
        let mut later = SplitMix64::after(7, 3);
        assert_eq!([later.next_u64(), later.next_u64()], first[3..5]);
    }

    #[test]
    fn a_duplicated_predictor_splits_its_share_and_adds_nothing() {
        let a = vec![1.0, 2.0, 4.0, 3.0, 5.0];
        let y = vec![1.5, 1.0, 4.5, 2.0, 6.0];
        let (one, _) = decompose(std::slice::from_ref(&a), &y, &[1; 5]).unwrap();
        let (two, method) = decompose(&[a.clone(), a], &y, &[1; 5]).unwrap();
        assert_eq!(method, Method::Lmg, "two predictors are decomposed exactly");
        assert!((one.r2 - two.r2).abs() < 1e-12);
        assert!((two.importance[0] - one.r2 / 2.0).abs() < 1e-12);
        assert!((two.importance[1] - one.r2 / 2.0).abs() < 1e-12);
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.025) - 1.075).abs() < 1e-12);
        assert_eq!(quantile(&v, 1.0), 8.0);
    }

    #[test]
    fn splitmix64_matches_its_published_sequence() {
        // The reference implementation's first outputs from seed 1234567.
        let mut g = SplitMix64(1234567);
        let first: Vec<u64> = (0..3).map(|_| g.next_u64()).collect();
        assert_eq!(
            first,
            [6457827717110365317, 3203168211198807973, 9817491932198370423]
        );
    }
}
