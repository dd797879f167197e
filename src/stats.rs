//! Statistics on plain slices of scores, one function per statistic, each with its formula.
//! Distributions come from statrs.

use statrs::distribution::{Continuous, ContinuousCDF, Normal, StudentsT};

/// Arithmetic mean, Σx / n. `None` for an empty sample.
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    Some(xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample variance with n − 1 in the denominator, Σ(x − x̄)² / (n − 1). `None` when n < 2.
pub fn variance(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    variance_about(xs, mean(xs)?)
}

/// [`variance`] given the mean `m` of `xs` (as [`mean`] computes it). `None` when n < 2.
pub fn variance_about(xs: &[f64], m: f64) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    Some(xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64)
}

/// Sample standard deviation, √variance. `None` when n < 2.
pub fn sd(xs: &[f64]) -> Option<f64> {
    variance(xs).map(f64::sqrt)
}

/// What the tests of two independent samples need of each: its size, mean and variance (as
/// [`mean`] and [`variance`] compute them, so results are the same to the last bit), and how
/// often each distinct value occurs, in ascending order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub n: usize,
    pub mean: Option<f64>,
    pub variance: Option<f64>,
    pub counts: Vec<(f64, usize)>,
}

impl Summary {
    /// n, mean and variance only: what Welch's test and Hedges' g need.
    pub fn moments(xs: &[f64]) -> Summary {
        Summary {
            n: xs.len(),
            mean: mean(xs),
            variance: variance(xs),
            counts: Vec::new(),
        }
    }

    pub fn of(xs: &[f64]) -> Summary {
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut counts: Vec<(f64, usize)> = Vec::new();
        for x in sorted {
            match counts.last_mut() {
                Some((v, c)) if *v == x => *c += 1,
                _ => counts.push((x, 1)),
            }
        }
        Summary {
            n: xs.len(),
            mean: mean(xs),
            variance: variance(xs),
            counts,
        }
    }
}

/// Two-sided quantile of Student's t: the t with P(|T| ≤ t) = `confidence` on `df` degrees.
/// statrs 0.19's inverse is off by up to about 1e-7 (relative) at hundreds of thousands of
/// degrees of freedom; two Newton steps on its cdf bring it to within rounding of scipy's.
pub fn t_critical(confidence: f64, df: f64) -> Option<f64> {
    let t = StudentsT::new(0.0, 1.0, df).ok()?;
    let p = 0.5 + confidence / 2.0;
    let mut x = t.inverse_cdf(p);
    for _ in 0..2 {
        let (error, density) = (t.cdf(x) - p, t.pdf(x));
        if density > 0.0 && error.is_finite() {
            x -= error / density;
        }
    }
    Some(x)
}

/// t-interval for a mean: x̄ ± t(1 − α/2, n − 1) · s / √n. `None` when n < 2.
pub fn t_interval(mean: f64, sd: f64, n: usize, confidence: f64) -> Option<(f64, f64)> {
    if n < 2 {
        return None;
    }
    let half = t_critical(confidence, (n - 1) as f64)? * sd / (n as f64).sqrt();
    Some((mean - half, mean + half))
}

/// The difference of two independent means with Welch's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WelchInterval {
    /// mean(to) − mean(from)
    pub diff: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// The difference's standard error, √(s²ₐ/nₐ + s²ᵦ/nᵦ): an interval at any other level is
    /// diff ± t(level, df) · se.
    pub se: f64,
    pub low: f64,
    pub high: f64,
}

/// Welch interval for mean(b) − mean(a): d ± t(1 − α/2, ν) · √(s²ₐ/nₐ + s²ᵦ/nᵦ), with
/// ν = (s²ₐ/nₐ + s²ᵦ/nᵦ)² / [(s²ₐ/nₐ)²/(nₐ − 1) + (s²ᵦ/nᵦ)²/(nᵦ − 1)].
/// `None` when either sample has fewer than two values or both have zero variance.
pub fn welch_interval(a: &[f64], b: &[f64], confidence: f64) -> Option<WelchInterval> {
    welch_interval_of(&Summary::moments(a), &Summary::moments(b), confidence)
}

/// [`welch_interval`] from the samples' summaries.
pub fn welch_interval_of(a: &Summary, b: &Summary, confidence: f64) -> Option<WelchInterval> {
    let (va, vb) = (a.variance? / a.n as f64, b.variance? / b.n as f64);
    let se2 = va + vb;
    if se2 <= 0.0 {
        return None;
    }
    let df = se2.powi(2) / (va.powi(2) / (a.n - 1) as f64 + vb.powi(2) / (b.n - 1) as f64);
    let diff = b.mean? - a.mean?;
    let half = t_critical(confidence, df)? * se2.sqrt();
    Some(WelchInterval {
        diff,
        df,
        se: se2.sqrt(),
        low: diff - half,
        high: diff + half,
    })
}

/// Welch's two-sample t-test of mean(b) − mean(a), two-sided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WelchTest {
    /// t = d / √(s²ₐ/nₐ + s²ᵦ/nᵦ)
    pub t: f64,
    pub df: f64,
    /// p = 2 · P(T_ν > |t|)
    pub p: f64,
    pub interval: WelchInterval,
}

/// Welch's t-test with the Welch–Satterthwaite degrees of freedom (see [`welch_interval`]).
/// `None` when either sample has fewer than two values or both have zero variance.
pub fn welch_test(a: &[f64], b: &[f64], confidence: f64) -> Option<WelchTest> {
    welch_test_of(&Summary::moments(a), &Summary::moments(b), confidence)
}

/// [`welch_test`] from the samples' summaries.
pub fn welch_test_of(a: &Summary, b: &Summary, confidence: f64) -> Option<WelchTest> {
    let interval = welch_interval_of(a, b, confidence)?;
    let se = (a.variance? / a.n as f64 + b.variance? / b.n as f64).sqrt();
    let t = interval.diff / se;
    let p = 2.0 * StudentsT::new(0.0, 1.0, interval.df).ok()?.sf(t.abs());
    Some(WelchTest {
        t,
        df: interval.df,
        p: p.min(1.0),
        interval,
    })
}

/// The partially overlapping samples t-test of mean(b) − mean(a), two-sided: two waves in which
/// some respondents answered both times (pairs) and others only once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverlapTest {
    /// t = d / se
    pub t: f64,
    /// ν, the test's degrees of freedom (not an integer in general).
    pub df: f64,
    /// p = 2 · P(T_ν > |t|)
    pub p: f64,
    /// d = x̄ᵦ − x̄ₐ, each mean over every observation of its wave (paired and single).
    pub diff: f64,
    /// The difference's standard error.
    pub se: f64,
    /// d − t(1 − α/2, ν) · se
    pub low: f64,
    /// d + t(1 − α/2, ν) · se
    pub high: f64,
}

/// What both partially overlapping tests need: counts, whole-wave means and variances, and the
/// correlation of the pairs.
struct Overlap {
    /// Observations seen in one wave only, in a and in b.
    singles: f64,
    /// Pairs.
    n_c: f64,
    n1: f64,
    n2: f64,
    diff: f64,
    var1: f64,
    var2: f64,
    r: f64,
}

fn overlap(paired_a: &[f64], paired_b: &[f64], only_a: &[f64], only_b: &[f64]) -> Option<Overlap> {
    if paired_a.len() != paired_b.len() || paired_a.len() == 1 {
        return None;
    }
    let wave_a: Vec<f64> = only_a.iter().chain(paired_a).copied().collect();
    let wave_b: Vec<f64> = only_b.iter().chain(paired_b).copied().collect();
    let (var1, var2) = (variance(&wave_a)?, variance(&wave_b)?);
    // Pearson's r of the pairs; 0 when there are none or either side is constant.
    let r = match (variance(paired_a), variance(paired_b)) {
        (Some(va), Some(vb)) if va > 0.0 && vb > 0.0 => {
            let (ma, mb) = (mean(paired_a)?, mean(paired_b)?);
            let cov = paired_a
                .iter()
                .zip(paired_b)
                .map(|(x, y)| (x - ma) * (y - mb))
                .sum::<f64>()
                / (paired_a.len() - 1) as f64;
            cov / (va * vb).sqrt()
        }
        _ => 0.0,
    };
    Some(Overlap {
        singles: (only_a.len() + only_b.len()) as f64,
        n_c: paired_a.len() as f64,
        n1: wave_a.len() as f64,
        n2: wave_b.len() as f64,
        diff: mean(&wave_b)? - mean(&wave_a)?,
        var1,
        var2,
        r,
    })
}

/// The test from d, se² and ν. se² is what is left of `uncorrelated` (its value with r = 0) once
/// the pairs' covariance is taken off; at or below 1e-12 of it, it is rounding left by that
/// cancellation (pairs that all change by the same amount give 0 in exact arithmetic, about 1e-16
/// in floating point) and counts as 0. `None` when se² is 0 or `confidence` not in (0, 1).
fn overlap_test(diff: f64, se2: f64, uncorrelated: f64, df: f64, confidence: f64) -> Option<OverlapTest> {
    if se2.is_nan()
        || se2 <= 1e-12 * uncorrelated
        || confidence.is_nan()
        || confidence <= 0.0
        || confidence >= 1.0
    {
        return None;
    }
    let se = se2.sqrt();
    let t = diff / se;
    let p = 2.0 * StudentsT::new(0.0, 1.0, df).ok()?.sf(t.abs());
    let half = t_critical(confidence, df)? * se;
    Some(OverlapTest {
        t,
        df,
        p: p.min(1.0),
        diff,
        se,
        low: diff - half,
        high: diff + half,
    })
}

/// The partially overlapping samples t-test for unequal variances, T_new2 of Derrick, Russ,
/// Toher & White (2017, JMASM 16(1)) as set out in Derrick, Toher & White (2017, TQMP 13(2),
/// 120–126) and computed by the R package Partiallyoverlapping (`Partover.test`,
/// `var.equal = FALSE`). `paired_a[i]` and `paired_b[i]` are one respondent in waves a and b;
/// `only_a`, `only_b` respondents seen in one wave only. With n_c pairs, nₐ and nᵦ single
/// observations, n₁ = nₐ + n_c and n₂ = nᵦ + n_c, x̄₁, x̄₂, S₁, S₂ the means and SDs of all of
/// each wave and r Pearson's correlation of the pairs:
/// d = x̄₂ − x̄₁, se² = S₁²/n₁ + S₂²/n₂ − 2 r S₁ S₂ n_c / (n₁n₂), t = d / se,
/// ν = (n_c − 1) + (γ − n_c + 1) / (nₐ + nᵦ + 2n_c) · (nₐ + nᵦ), with γ the Welch–Satterthwaite
/// degrees of freedom of the two whole waves (see [`welch_interval`]); p = 2 · P(T_ν > |t|) and
/// the interval d ± t(1 − α/2, ν) · se. The sign is b − a (`Partover.test` reports a − b).
/// r is taken as 0 when either paired side is constant, as `Partover.test` does.
///
/// With no pairs the correlation term vanishes and ν = γ: this is Welch's test on `only_a` and
/// `only_b` (`Partover.test` refuses fewer than 2 pairs). With no single observations,
/// se² = S_d²/n_c and ν = n_c − 1: the paired t-test.
///
/// `None` when it cannot be computed: the paired slices differ in length; there is exactly one
/// pair (r needs two); either wave has fewer than two observations in all (no variance); se² is
/// 0 (e.g. no answer varies, or every pair changes by the same amount and nobody else answered;
/// se² ≤ 1e-12 · (S₁²/n₁ + S₂²/n₂) counts as 0, being rounding from the cancellation);
/// or `confidence` is not strictly between 0 and 1.
pub fn partially_overlapping_t(
    paired_a: &[f64],
    paired_b: &[f64],
    only_a: &[f64],
    only_b: &[f64],
    confidence: f64,
) -> Option<OverlapTest> {
    let o = overlap(paired_a, paired_b, only_a, only_b)?;
    let (v1, v2) = (o.var1 / o.n1, o.var2 / o.n2);
    let se2 = v1 + v2 - 2.0 * o.r * (o.var1 * o.var2).sqrt() * o.n_c / (o.n1 * o.n2);
    let gamma = (v1 + v2).powi(2) / (v1.powi(2) / (o.n1 - 1.0) + v2.powi(2) / (o.n2 - 1.0));
    let df = (o.n_c - 1.0) + (gamma - o.n_c + 1.0) / (o.singles + 2.0 * o.n_c) * o.singles;
    overlap_test(o.diff, se2, v1 + v2, df, confidence)
}

/// The partially overlapping samples t-test for equal variances, T_new1 of the same papers
/// (`Partover.test` with `var.equal = TRUE`), in the notation of [`partially_overlapping_t`]:
/// se² = S_p² · (1/n₁ + 1/n₂ − 2 r n_c / (n₁n₂)), S_p² = ((n₁ − 1)S₁² + (n₂ − 1)S₂²) / (n₁ + n₂ − 2),
/// ν = (n_c − 1) + (nₐ + nᵦ + n_c − 1) / (nₐ + nᵦ + 2n_c) · (nₐ + nᵦ), t = d / se, p and the
/// interval as there. With no pairs it is Student's pooled t-test (ν = nₐ + nᵦ − 2); with no single
/// observations ν = n_c − 1 but se² uses the pooled, not the paired, variance.
/// `None` in the same cases as [`partially_overlapping_t`] (here se² is also 0 when every
/// observation is paired and r = 1).
pub fn partially_overlapping_t_pooled(
    paired_a: &[f64],
    paired_b: &[f64],
    only_a: &[f64],
    only_b: &[f64],
    confidence: f64,
) -> Option<OverlapTest> {
    let o = overlap(paired_a, paired_b, only_a, only_b)?;
    let pooled = ((o.n1 - 1.0) * o.var1 + (o.n2 - 1.0) * o.var2) / (o.n1 + o.n2 - 2.0);
    let uncorrelated = pooled * (1.0 / o.n1 + 1.0 / o.n2);
    let se2 = pooled * (1.0 / o.n1 + 1.0 / o.n2 - 2.0 * o.r * o.n_c / (o.n1 * o.n2));
    let df = (o.n_c - 1.0) + (o.singles + o.n_c - 1.0) / (o.singles + 2.0 * o.n_c) * o.singles;
    overlap_test(o.diff, se2, uncorrelated, df, confidence)
}

/// Mann-Whitney U test of b against a, two-sided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U of sample b: Rᵦ − nᵦ(nᵦ + 1)/2, with average ranks for ties (large when b is higher).
    pub u: f64,
    pub p: f64,
    /// Whether p comes from the exact distribution (no ties, both samples of 8 or fewer).
    pub exact: bool,
}

/// Mann-Whitney U with tie correction. p is exact (the U distribution counted out) when both
/// samples have at most 8 values and there are no ties (scipy's method="exact"); otherwise the
/// normal approximation with continuity correction (scipy's method="asymptotic"),
/// z = (max(Uᵦ, Uₐ) − nₐnᵦ/2 − ½) / √(nₐnᵦ/12 · [(n + 1) − Σ(t³ − t)/(n(n − 1))]), p = 2·P(Z > z).
/// scipy's method="auto" differs in one case: it is also exact when only one sample is small.
/// Written here rather than taken from statrs 0.19.1's `mannwhitneyu`: its exact two-sided p is
/// 1.0 when the first sample is the smaller one and has the larger U (checked against scipy),
/// and its approximation computes 1 − cdf, which rounds p below about 1e-16 to 0.
/// `None` when a sample is empty or every value is the same (no ranks to compare).
pub fn mann_whitney(a: &[f64], b: &[f64]) -> Option<MannWhitney> {
    mann_whitney_of(&Summary::of(a), &Summary::of(b))
}

/// [`mann_whitney`] from the samples' value counts: the tie groups of the pooled sample are
/// the distinct values of both, in ascending order.
pub fn mann_whitney_of(a: &Summary, b: &Summary) -> Option<MannWhitney> {
    let (na, nb) = (a.n, b.n);
    if na == 0 || nb == 0 {
        return None;
    }
    let (mut rank_b, mut tie_term, mut i) = (0.0, 0.0, 0);
    for (count_a, count_b) in merged_counts(a, b) {
        let j = i + count_a + count_b;
        let average = (i + j + 1) as f64 / 2.0; // ranks i+1 ..= j
        rank_b += average * count_b as f64;
        let t = (j - i) as f64;
        tie_term += t.powi(3) - t;
        i = j;
    }
    let n = (na + nb) as f64;
    if tie_term == n.powi(3) - n {
        return None;
    }
    let u = rank_b - (nb * (nb + 1)) as f64 / 2.0;
    let (naf, nbf) = (na as f64, nb as f64);
    if tie_term == 0.0 && na <= 8 && nb <= 8 {
        return Some(MannWhitney {
            u,
            p: exact_mann_whitney_p(u.max(naf * nbf - u), na, nb),
            exact: true,
        });
    }
    let larger = u.max(naf * nbf - u);
    let sd = (naf * nbf / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
    let z = (larger - naf * nbf / 2.0 - 0.5) / sd;
    let p = (2.0 * Normal::new(0.0, 1.0).ok()?.sf(z)).min(1.0);
    Some(MannWhitney { u, p, exact: false })
}

/// The distinct values of two samples in ascending order, with how often each occurs in a and
/// in b.
fn merged_counts(a: &Summary, b: &Summary) -> Vec<(usize, usize)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.counts.len() + b.counts.len());
    while i < a.counts.len() || j < b.counts.len() {
        match (a.counts.get(i), b.counts.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                out.push((x.1, y.1));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0.total_cmp(&y.0).is_lt() => {
                out.push((x.1, 0));
                i += 1;
            }
            (Some(x), None) => {
                out.push((x.1, 0));
                i += 1;
            }
            (_, Some(y)) => {
                out.push((0, y.1));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Exact two-sided p of U ≥ `u_max` for samples of sizes n₁, n₂ without ties: 2 · (number of
/// rank subsets of size n₂ whose U is at least `u_max`) / C(n₁ + n₂, n₂), at most 1.
fn exact_mann_whitney_p(u_max: f64, n1: usize, n2: usize) -> f64 {
    let n = n1 + n2;
    let max_sum = n * (n + 1) / 2;
    // ways[k][s]: subsets of k ranks (from those seen so far) whose ranks sum to s.
    let mut ways = vec![vec![0f64; max_sum + 1]; n2 + 1];
    ways[0][0] = 1.0;
    for rank in 1..=n {
        for k in (1..=n2.min(rank)).rev() {
            for sum in (rank..=max_sum).rev() {
                ways[k][sum] += ways[k - 1][sum - rank];
            }
        }
    }
    let offset = n2 * (n2 + 1) / 2;
    let total: f64 = ways[n2].iter().sum();
    let at_least: f64 = ways[n2]
        .iter()
        .enumerate()
        .filter(|(sum, _)| *sum >= offset && (*sum - offset) as f64 >= u_max)
        .map(|(_, w)| w)
        .sum();
    (2.0 * at_least / total).min(1.0)
}

/// Hedges' g for mean(b) − mean(a): J · d, d = (x̄ᵦ − x̄ₐ) / s_p,
/// s_p = √[((nₐ − 1)s²ₐ + (nᵦ − 1)s²ᵦ) / (nₐ + nᵦ − 2)], J = 1 − 3 / (4(nₐ + nᵦ) − 9).
/// `None` when either sample has fewer than two values or the pooled SD is 0.
pub fn hedges_g(a: &[f64], b: &[f64]) -> Option<f64> {
    hedges_g_of(&Summary::moments(a), &Summary::moments(b))
}

/// [`hedges_g`] from the samples' summaries.
pub fn hedges_g_of(a: &Summary, b: &Summary) -> Option<f64> {
    let (na, nb) = (a.n as f64, b.n as f64);
    let pooled = (((na - 1.0) * a.variance? + (nb - 1.0) * b.variance?) / (na + nb - 2.0)).sqrt();
    if pooled == 0.0 {
        return None;
    }
    let j = 1.0 - 3.0 / (4.0 * (na + nb) - 9.0);
    Some(j * (b.mean? - a.mean?) / pooled)
}

/// Cliff's delta of b against a: (#{bⱼ > aᵢ} − #{bⱼ < aᵢ}) / (nₐnᵦ), over all pairs.
/// `None` when a sample is empty.
pub fn cliffs_delta(a: &[f64], b: &[f64]) -> Option<f64> {
    cliffs_delta_of(&Summary::of(a), &Summary::of(b))
}

/// [`cliffs_delta`] from the samples' value counts (the count of pairs is exact in integers).
pub fn cliffs_delta_of(a: &Summary, b: &Summary) -> Option<f64> {
    if a.n == 0 || b.n == 0 {
        return None;
    }
    let (mut below, mut net) = (0i128, 0i128);
    for (count_a, count_b) in merged_counts(a, b) {
        let above = a.n as i128 - below - count_a as i128;
        net += count_b as i128 * (below - above);
        below += count_a as i128;
    }
    Some(net as f64 / (a.n * b.n) as f64)
}

/// Conventional size words: Hedges' g by Cohen (|g| < 0.2 negligible, < 0.5 small, < 0.8
/// medium, else large); Cliff's delta by Romano et al. (2006) (< 0.147, < 0.33, < 0.474).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Magnitude {
    Negligible,
    Small,
    Medium,
    Large,
}

impl Magnitude {
    pub fn of_hedges_g(g: f64) -> Magnitude {
        Magnitude::from_thresholds(g.abs(), [0.2, 0.5, 0.8])
    }

    pub fn of_cliffs_delta(d: f64) -> Magnitude {
        Magnitude::from_thresholds(d.abs(), [0.147, 0.33, 0.474])
    }

    fn from_thresholds(size: f64, [small, medium, large]: [f64; 3]) -> Magnitude {
        if size < small {
            Magnitude::Negligible
        } else if size < medium {
            Magnitude::Small
        } else if size < large {
            Magnitude::Medium
        } else {
            Magnitude::Large
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Magnitude::Negligible => "negligible",
            Magnitude::Small => "small",
            Magnitude::Medium => "medium",
            Magnitude::Large => "large",
        }
    }
}

/// Benjamini-Hochberg adjusted p-values, in the input order: with p sorted ascending,
/// q₍ᵢ₎ = min over j ≥ i of min(1, m · p₍ⱼ₎ / j).
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&x, &y| p[x].total_cmp(&p[y]));
    let mut q = vec![0.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(m as f64 * p[i] / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// Cronbach's alpha of a respondents × items table of complete cases:
/// α = k/(k − 1) · (1 − Σ s²ᵢ / s²ₜ), s²ᵢ the item variances and s²ₜ that of the respondents'
/// totals (all with n − 1). `None` with fewer than 2 items or 2 respondents, or when the
/// totals do not vary.
pub fn cronbach_alpha(rows: &[Vec<f64>]) -> Option<f64> {
    AlphaTable::new(&columns_of(rows)?).alpha(None)
}

/// Cronbach's alpha of the same table without item `drop`, for each item in turn.
pub fn alpha_if_deleted(rows: &[Vec<f64>], drop: usize) -> Option<f64> {
    AlphaTable::new(&columns_of(rows)?).alpha(Some(drop))
}

fn columns_of(rows: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = rows.first()?.len();
    Some((0..k).map(|i| rows.iter().map(|r| r[i]).collect()).collect())
}

/// A table of complete cases held by column, for Cronbach's alpha with and without each item:
/// each item's variance is computed once.
pub struct AlphaTable<'a> {
    columns: &'a [Vec<f64>],
    variances: Vec<Option<f64>>,
}

impl<'a> AlphaTable<'a> {
    pub fn new(columns: &'a [Vec<f64>]) -> AlphaTable<'a> {
        AlphaTable {
            columns,
            variances: columns.iter().map(|c| variance(c)).collect(),
        }
    }

    /// Alpha of the table, or of the table without item `drop` (see [`cronbach_alpha`]).
    pub fn alpha(&self, drop: Option<usize>) -> Option<f64> {
        let kept: Vec<usize> = (0..self.columns.len()).filter(|&i| Some(i) != drop).collect();
        let k = kept.len();
        let n = self.columns.first().map_or(0, Vec::len);
        if k < 2 || n < 2 {
            return None;
        }
        let item_variance: f64 = kept.iter().map(|&i| self.variances[i]).sum::<Option<f64>>()?;
        // Each respondent's total, summed over the items in order.
        let mut totals = vec![0.0f64; n];
        for &i in &kept {
            for (t, x) in totals.iter_mut().zip(&self.columns[i]) {
                *t += x;
            }
        }
        let total = variance(&totals)?;
        if total == 0.0 {
            return None;
        }
        Some(k as f64 / (k as f64 - 1.0) * (1.0 - item_variance / total))
    }
}

/// Paired t-test of the differences dᵢ = bᵢ − aᵢ: t = d̄ / (s_d / √n), n − 1 degrees of freedom,
/// two-sided. `None` with fewer than two pairs or when every difference is the same.
pub fn paired_t(a: &[f64], b: &[f64]) -> Option<(f64, f64, f64)> {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let s = sd(&d)?;
    if s == 0.0 {
        return None;
    }
    let df = (d.len() - 1) as f64;
    let t = mean(&d)? / (s / (d.len() as f64).sqrt());
    let p = 2.0 * StudentsT::new(0.0, 1.0, df).ok()?.sf(t.abs());
    Some((t, df, p.min(1.0)))
}

/// Wilcoxon signed-rank test of the differences bᵢ − aᵢ, two-sided, zero differences dropped
/// (scipy's default "wilcox"). The statistic is min(W₊, W₋) over the average ranks of |d|.
/// p follows scipy 1.17's automatic choice: exact, counting all 2ⁿ sign patterns over the
/// ranks, for at most 50 pairs without ties or zeros, or (ties or zeros) at most 13 pairs;
/// otherwise the normal approximation over the n non-zero differences,
/// z = (W − n(n + 1)/4) / √(n(n + 1)(2n + 1)/24 − Σ(t³ − t)/48), p = 2·P(Z > |z|), with no
/// continuity correction (scipy's default). `None` when no difference is non-zero.
pub fn wilcoxon_signed_rank(a: &[f64], b: &[f64]) -> Option<(f64, f64)> {
    let pairs = a.len().min(b.len());
    let mut d: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| y - x)
        .filter(|d| *d != 0.0)
        .collect();
    if d.is_empty() {
        return None;
    }
    let zeros = pairs - d.len();
    d.sort_by(|x, y| x.abs().total_cmp(&y.abs()));
    let n = d.len();
    // Ranks doubled, so that average ranks of ties (halves) are whole numbers.
    let mut doubled = Vec::with_capacity(n);
    let (mut plus, mut tie_term, mut i) = (0usize, 0.0, 0);
    while i < n {
        let j = d[i..].iter().take_while(|x| x.abs() == d[i].abs()).count() + i;
        let rank = i + j + 1;
        for x in &d[i..j] {
            doubled.push(rank);
            if *x > 0.0 {
                plus += rank;
            }
        }
        let t = (j - i) as f64;
        tie_term += t.powi(3) - t;
        i = j;
    }
    let total: usize = doubled.iter().sum();
    let w2 = plus.min(total - plus);
    let w = w2 as f64 / 2.0;
    let exact = if tie_term == 0.0 && zeros == 0 {
        pairs <= 50
    } else {
        pairs <= 13
    };
    if exact {
        // counts[s]: sign patterns whose positive (doubled) ranks sum to s.
        let mut counts = vec![0f64; total + 1];
        counts[0] = 1.0;
        for &rank in &doubled {
            for s in (rank..=total).rev() {
                counts[s] += counts[s - rank];
            }
        }
        let at_most: f64 = counts.iter().take(w2 + 1).sum();
        return Some((w, (2.0 * at_most / 2f64.powi(n as i32)).min(1.0)));
    }
    let nf = n as f64;
    let sd = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term / 48.0).sqrt();
    let z = (w - nf * (nf + 1.0) / 4.0) / sd;
    let p = 2.0 * Normal::new(0.0, 1.0).ok()?.sf(z.abs());
    Some((w, p.min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    // Reference values printed by tests/reference/mini_reference.py (scipy.stats).
    #[test]
    fn t_interval_matches_reference() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let (m, s) = (mean(&xs).unwrap(), sd(&xs).unwrap());
        assert!(close(m, 3.0) && close(s, 2.5f64.sqrt()));
        let (lo, hi) = t_interval(m, s, xs.len(), 0.95).unwrap();
        assert!(close(lo, 1.0367568385224428), "{lo}");
        assert!(close(hi, 4.963243161477557), "{hi}");
        assert_eq!(t_interval(m, s, 1, 0.95), None);
    }

    #[test]
    fn welch_matches_reference() {
        let w = welch_interval(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 4.0, 5.0, 5.0, 5.0], 0.95).unwrap();
        assert!(close(w.diff, 1.1666666666666667), "{}", w.diff);
        assert!(close(w.df, 7.267914619684906), "{}", w.df);
        assert!(close(w.low, -0.8356147656029722), "{}", w.low);
        assert!(close(w.high, 3.168948098936306), "{}", w.high);
        assert_eq!(welch_interval(&[3.0, 3.0], &[3.0, 3.0], 0.95), None);
    }
}
