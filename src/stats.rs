//! Statistics on plain slices of scores, one function per statistic, each with its formula.
//! Distributions come from statrs.

use statrs::distribution::{ContinuousCDF, StudentsT};

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
    let m = mean(xs)?;
    Some(xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64)
}

/// Sample standard deviation, √variance. `None` when n < 2.
pub fn sd(xs: &[f64]) -> Option<f64> {
    variance(xs).map(f64::sqrt)
}

/// Two-sided quantile of Student's t: the t with P(|T| ≤ t) = `confidence` on `df` degrees.
fn t_critical(confidence: f64, df: f64) -> Option<f64> {
    let t = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(t.inverse_cdf(0.5 + confidence / 2.0))
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
    pub low: f64,
    pub high: f64,
}

/// Welch interval for mean(b) − mean(a): d ± t(1 − α/2, ν) · √(s²ₐ/nₐ + s²ᵦ/nᵦ), with
/// ν = (s²ₐ/nₐ + s²ᵦ/nᵦ)² / [(s²ₐ/nₐ)²/(nₐ − 1) + (s²ᵦ/nᵦ)²/(nᵦ − 1)].
/// `None` when either sample has fewer than two values or both have zero variance.
pub fn welch_interval(a: &[f64], b: &[f64], confidence: f64) -> Option<WelchInterval> {
    let (va, vb) = (variance(a)? / a.len() as f64, variance(b)? / b.len() as f64);
    let se2 = va + vb;
    if se2 <= 0.0 {
        return None;
    }
    let df = se2.powi(2) / (va.powi(2) / (a.len() - 1) as f64 + vb.powi(2) / (b.len() - 1) as f64);
    let diff = mean(b)? - mean(a)?;
    let half = t_critical(confidence, df)? * se2.sqrt();
    Some(WelchInterval {
        diff,
        df,
        low: diff - half,
        high: diff + half,
    })
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
        assert!(close(w.diff, 7.0 / 6.0), "{}", w.diff);
        assert!(close(w.df, 7.267914619684906), "{}", w.df);
        assert!(close(w.low, -0.8356147656029722), "{}", w.low);
        assert!(close(w.high, 3.168948098936306), "{}", w.high);
        assert_eq!(welch_interval(&[3.0, 3.0], &[3.0, 3.0], 0.95), None);
    }
}
