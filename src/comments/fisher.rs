//! Fisher's exact test of a 2×2 table, two-sided as `scipy.stats.fisher_exact` and R's
//! `fisher.test`: the probability, under the hypergeometric law of tables with the same
//! margins, of every table no more likely than the one observed (with a relative tolerance of
//! 1e-7, as R uses, so equal probabilities computed two ways count as equal).

/// The two-sided p of the table `[[a, b], [c, d]]` (1 when a margin is empty).
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (row1, row2, col1) = (a + b, c + d, a + c);
    let n = row1 + row2;
    if row1 == 0 || row2 == 0 || col1 == 0 || col1 == n {
        return 1.0;
    }
    let lo = col1.saturating_sub(row2);
    let hi = col1.min(row1);
    // Weights relative to the lowest count, by the ratio of successive hypergeometric terms,
    // kept as logarithms so that long tails do not underflow.
    let mut log_w = Vec::with_capacity((hi - lo + 1) as usize);
    let mut acc = 0.0f64;
    log_w.push(0.0);
    for x in lo..hi {
        let ratio = ((row1 - x) as f64 * (col1 - x) as f64) / ((x + 1) as f64 * (row2 + x + 1 - col1) as f64);
        acc += ratio.ln();
        log_w.push(acc);
    }
    let top = log_w.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = log_w.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = w.iter().sum();
    let observed = w[(a - lo) as usize];
    let p: f64 = w.iter().filter(|&&x| x <= observed * (1.0 + 1e-7)).sum::<f64>() / total;
    p.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_published_values() {
        // R: fisher.test(matrix(c(3, 1, 1, 3), 2)) -- the lady tasting tea: p = 0.4857143.
        assert!((fisher_exact(3, 1, 1, 3) - 0.4857142857142857).abs() < 1e-12);
        // scipy 1.x: fisher_exact([[74, 31], [43, 32]]).pvalue = 0.0817946749549986.
        let p = fisher_exact(74, 31, 43, 32);
        assert!((p - 0.0817946749549986).abs() < 1e-12, "{p}");
        assert_eq!(fisher_exact(0, 0, 3, 4), 1.0);
    }
}
