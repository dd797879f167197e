//! Weighted estimates, beside the unweighted ones, from the same respondent scores (the roll-up
//! rule of `crate::score`) and each wave's raking weights:
//! - mean m = Σwy / Σw over respondents with a score;
//! - its standard error by Taylor linearisation with the finite population correction,
//!   se = √((1 − n/N) · n/(n − 1) · Σw²(y − m)² / (Σw)²), n respondents with a score, N invited;
//! - the interval m ± t(n − 1) · se and Kish's effective sample size n_eff = (Σw)² / Σw²;
//! - % favourable: the weighted share of valid answers on a favourable point;
//! - the change between waves: d = m₂ − m₁, se = √(se₁² + se₂²), Welch–Satterthwaite
//!   df = se⁴ / (se₁⁴/(n₁ − 1) + se₂⁴/(n₂ − 1)), two-sided t p, Benjamini-Hochberg q within
//!   each pair of waves and level (as the unweighted tests), effect Hedges' g on the weighted
//!   means and variances s² = n/(n − 1) · Σw(y − m)² / Σw;
//! - groups: the weighted mean of each group of a breakdown attribute that is not raked.

use std::collections::BTreeMap;

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::{weigh, WaveWeights, WeightsConfig};
use crate::compare::{Comparison, Direction};
use crate::config::Config;
use crate::error::Result;
use crate::instrument::Instrument;
use crate::map::WaveResponses;
use crate::score::{respondent_tables, GroupScore, RespondentTable, Scores};
use crate::stats::{self, Magnitude, Summary};

/// One node's (or item's) weighted estimates in one wave.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WeightedScore {
    /// Respondents with a score.
    pub n: usize,
    pub mean: Option<f64>,
    pub se: Option<f64>,
    pub ci: Option<(f64, f64)>,
    pub pct_favorable: Option<f64>,
    pub n_eff: Option<f64>,
    /// n/(n − 1) · Σw(y − m)² / Σw, for the effect size of a change.
    pub variance: Option<f64>,
}

/// The weighted mean, se, interval, n_eff and variance of scores `y` with weights `w`, in a wave
/// of `invited` (% favourable is left to the caller). se and the interval need n ≥ 2.
pub fn weighted_score(y: &[f64], w: &[f64], invited: usize, confidence: f64) -> WeightedScore {
    let n = y.len();
    let sum: f64 = w.iter().sum();
    if n == 0 || sum <= 0.0 {
        return WeightedScore::default();
    }
    let m = y.iter().zip(w).map(|(y, w)| w * y).sum::<f64>() / sum;
    let squares: f64 = w.iter().map(|w| w * w).sum();
    let mut out = WeightedScore {
        n,
        mean: Some(m),
        n_eff: Some(sum * sum / squares),
        ..WeightedScore::default()
    };
    if n >= 2 {
        let nf = n as f64;
        let spread: f64 = y.iter().zip(w).map(|(y, w)| (w * (y - m)).powi(2)).sum();
        let fpc = 1.0 - nf / invited as f64;
        let se = (fpc * nf / (nf - 1.0) * spread / (sum * sum)).max(0.0).sqrt();
        let half = stats::t_critical(confidence, nf - 1.0).map(|t| t * se);
        out.se = Some(se);
        out.ci = half.map(|h| (m - h, m + h));
        let deviations: f64 = y.iter().zip(w).map(|(y, w)| w * (y - m).powi(2)).sum();
        out.variance = Some(nf / (nf - 1.0) * deviations / sum);
    }
    out
}

/// The weighted change of one node between two waves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedChange {
    pub n_from: usize,
    pub n_to: usize,
    pub diff: Option<f64>,
    pub se: Option<f64>,
    pub df: Option<f64>,
    pub p: Option<f64>,
    /// Benjamini-Hochberg q within the pair of waves and level.
    pub q: Option<f64>,
    /// Hedges' g on the weighted means and variances.
    pub effect: Option<f64>,
    pub direction: Direction,
}

/// Everything weighted in a run: the weights, and the estimates keyed as the unweighted rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighting {
    pub settings: WeightsConfig,
    pub waves: Vec<WaveWeights>,
    /// (wave, id) → estimates.
    pub scores: BTreeMap<(String, String), WeightedScore>,
    /// (from wave, to wave, id) → change.
    pub changes: BTreeMap<(String, String, String), WeightedChange>,
    /// (attribute, wave, group, id) → weighted mean, for breakdowns that are not raked.
    pub groups: BTreeMap<(String, String, String, String), f64>,
}

impl Weighting {
    pub fn score(&self, wave: &str, id: &str) -> Option<&WeightedScore> {
        self.scores.get(&(wave.to_string(), id.to_string()))
    }

    pub fn change(&self, from: &str, to: &str, id: &str) -> Option<&WeightedChange> {
        self.changes
            .get(&(from.to_string(), to.to_string(), id.to_string()))
    }

    pub fn group(&self, attribute: &str, wave: &str, group: &str, id: &str) -> Option<f64> {
        let key = (
            attribute.to_string(),
            wave.to_string(),
            group.to_string(),
            id.to_string(),
        );
        self.groups.get(&key).copied()
    }

    pub fn wave(&self, wave: &str) -> Option<&WaveWeights> {
        self.waves.iter().find(|w| w.wave == wave)
    }

    /// A copy without the numbers of anything under `threshold` respondents (as the unweighted
    /// numbers are hidden): scores, changes with a small side, and small groups.
    pub fn suppressed(&self, threshold: usize, groups: &[(String, GroupScore, bool)]) -> Weighting {
        let mut out = self.clone();
        out.scores.retain(|_, s| s.n >= threshold);
        out.changes
            .retain(|_, c| c.n_from >= threshold && c.n_to >= threshold);
        let hidden: std::collections::BTreeSet<(&str, &str, &str, &str)> = groups
            .iter()
            .filter(|(_, _, hidden)| *hidden)
            .map(|(a, g, _)| (a.as_str(), g.wave.as_str(), g.group.as_str(), g.id.as_str()))
            .collect();
        out.groups
            .retain(|(a, w, g, id), _| !hidden.contains(&(a.as_str(), w.as_str(), g.as_str(), id.as_str())));
        out
    }
}

/// Rakes every wave and computes every weighted estimate of the run.
pub fn weighting(
    settings: &WeightsConfig,
    instrument: &Instrument,
    waves: &[WaveResponses],
    config: &Config,
    scores: &Scores,
    comparisons: &[Comparison],
    breakdowns: &[String],
) -> Result<Weighting> {
    let weights = weigh(settings, instrument, waves, &config.waves)?;
    let mut out = Weighting {
        settings: settings.clone(),
        waves: Vec::new(),
        scores: BTreeMap::new(),
        changes: BTreeMap::new(),
        groups: BTreeMap::new(),
    };
    let unraked: Vec<(&String, usize)> = breakdowns
        .iter()
        .filter(|b| !settings.rake.contains(b))
        .filter_map(|b| Some((b, instrument.attributes.iter().position(|a| a.id == *b)?)))
        .collect();
    for (wave, w) in waves.iter().zip(&weights) {
        for table in respondent_tables(instrument, wave, &config.rules) {
            if scores.row(&wave.wave, &table.id).is_none() {
                continue;
            }
            let estimate = score_table(&table, &w.weights, w.invited, config.rules.confidence);
            out.scores.insert((wave.wave.clone(), table.id.clone()), estimate);
            for &(attribute, a) in &unraked {
                for (group, mean) in group_means(wave, a, &table, &w.weights) {
                    out.groups.insert(
                        (attribute.clone(), wave.wave.clone(), group, table.id.clone()),
                        mean,
                    );
                }
            }
        }
    }
    out.waves = weights;
    out.changes = changes(&out, comparisons, &config.compare, scores);
    Ok(out)
}

/// One target's weighted estimates over its respondents with a score.
fn score_table(table: &RespondentTable, weights: &[f64], invited: usize, confidence: f64) -> WeightedScore {
    let (mut y, mut w) = (Vec::new(), Vec::new());
    for (score, &weight) in table.scores.iter().zip(weights) {
        if let Some(score) = score {
            y.push(*score);
            w.push(weight);
        }
    }
    let mut estimate = weighted_score(&y, &w, invited, confidence);
    let (mut valid, mut favourable) = (0.0, 0.0);
    for ((&v, &f), &weight) in table.valid.iter().zip(&table.favourable).zip(weights) {
        valid += weight * v as f64;
        favourable += weight * f as f64;
    }
    estimate.pct_favorable = (valid > 0.0).then(|| favourable / valid * 100.0);
    estimate
}

/// The weighted mean score of each group of attribute `a` (by index) that has a score.
fn group_means(
    wave: &WaveResponses,
    a: usize,
    table: &RespondentTable,
    weights: &[f64],
) -> Vec<(String, f64)> {
    let names = &wave.groups[a];
    let (mut sum, mut total) = (vec![0.0; names.len()], vec![0.0; names.len()]);
    for ((score, &g), &w) in table.scores.iter().zip(&wave.attributes[a]).zip(weights) {
        if let Some(y) = score {
            sum[g as usize] += w * y;
            total[g as usize] += w;
        }
    }
    names
        .iter()
        .zip(sum.iter().zip(&total))
        .filter(|(_, (_, &t))| t > 0.0)
        .map(|(name, (s, t))| (name.clone(), s / t))
        .collect()
}

/// The weighted change of every compared node, adjusted and judged per pair of waves and level.
fn changes(
    weighting: &Weighting,
    comparisons: &[Comparison],
    rules: &crate::rules::CompareRules,
    scores: &Scores,
) -> BTreeMap<(String, String, String), WeightedChange> {
    let mut rows: Vec<(&Comparison, WeightedChange)> = Vec::new();
    for c in comparisons {
        let (Some(a), Some(b)) = (
            weighting.score(&c.pair.from, &c.id),
            weighting.score(&c.pair.to, &c.id),
        ) else {
            continue;
        };
        rows.push((c, change(a, b, rules.min_n)));
    }
    // Benjamini-Hochberg per family (pair of waves × level), over the tested rows.
    let mut families: BTreeMap<(&str, &str, &str), Vec<usize>> = BTreeMap::new();
    for (i, (c, w)) in rows.iter().enumerate() {
        if w.p.is_some() {
            families
                .entry((c.pair.from.as_str(), c.pair.to.as_str(), c.level.as_str()))
                .or_default()
                .push(i);
        }
    }
    for members in families.values() {
        let p: Vec<f64> = members.iter().filter_map(|&i| rows[i].1.p).collect();
        for (&i, q) in members.iter().zip(stats::benjamini_hochberg(&p)) {
            rows[i].1.q = Some(q);
        }
    }
    rows.into_iter()
        .map(|(c, mut w)| {
            w.direction = verdict(&w, scores.lower_is_better.contains(&c.id), rules);
            ((c.pair.from.clone(), c.pair.to.clone(), c.id.clone()), w)
        })
        .collect()
}

/// The weighted change of a node from wave estimates `a` to `b`; untested (no p) when either has
/// fewer than `min_n` scores or the se is 0.
fn change(a: &WeightedScore, b: &WeightedScore, min_n: usize) -> WeightedChange {
    let mut out = WeightedChange {
        n_from: a.n,
        n_to: b.n,
        diff: a.mean.zip(b.mean).map(|(x, y)| y - x),
        se: None,
        df: None,
        p: None,
        q: None,
        effect: None,
        direction: Direction::NotTested,
    };
    let (Some(s1), Some(s2), Some(diff)) = (a.se, b.se, out.diff) else {
        return out;
    };
    let se = (s1 * s1 + s2 * s2).sqrt();
    out.se = Some(se);
    if a.n < min_n || b.n < min_n || se <= 0.0 {
        return out;
    }
    let df = se.powi(4) / (s1.powi(4) / (a.n - 1) as f64 + s2.powi(4) / (b.n - 1) as f64);
    out.df = Some(df);
    out.p = StudentsT::new(0.0, 1.0, df)
        .ok()
        .map(|t| (2.0 * t.sf((diff / se).abs())).min(1.0));
    let summary = |s: &WeightedScore| Summary {
        n: s.n,
        mean: s.mean,
        variance: s.variance,
        counts: Vec::new(),
    };
    out.effect = stats::hedges_g_of(&summary(a), &summary(b));
    out
}

/// Improved or declined when q is below alpha and the weighted effect at least the minimum.
fn verdict(w: &WeightedChange, lower_is_better: bool, rules: &crate::rules::CompareRules) -> Direction {
    let (Some(q), Some(effect)) = (w.q, w.effect) else {
        return if w.p.is_some() {
            Direction::NoReliableChange
        } else {
            Direction::NotTested
        };
    };
    if q < rules.alpha && Magnitude::of_hedges_g(effect) >= rules.min_effect {
        Direction::of_change(effect, lower_is_better)
    } else {
        Direction::NoReliableChange
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_error_by_hand() {
        // y = 1, 2, 4 with weights 1, 1, 2 in a wave of 10 invited:
        // m = 11/4; Σw²(y − m)² = 3.0625 + 0.5625 + 4 · 1.5625 = 9.875; (Σw)² = 16;
        // se² = (1 − 3/10) · 3/2 · 9.875/16 = 0.648046875; n_eff = 16 / 6;
        // s² = 3/2 · (3.0625 + 0.5625 + 2 · 1.5625) / 4 = 2.53125.
        let s = weighted_score(&[1.0, 2.0, 4.0], &[1.0, 1.0, 2.0], 10, 0.95);
        assert_eq!(s.n, 3);
        assert!((s.mean.unwrap() - 2.75).abs() < 1e-15);
        assert!((s.se.unwrap().powi(2) - 0.648046875).abs() < 1e-15);
        assert!((s.n_eff.unwrap() - 16.0 / 6.0).abs() < 1e-15);
        assert!((s.variance.unwrap() - 2.53125).abs() < 1e-15);
        // t(0.975, 2) = 4.302652729749462 (scipy.stats.t.ppf).
        let (low, high) = s.ci.unwrap();
        assert!((high - 2.75 - 4.302652729749462 * 0.648046875f64.sqrt()).abs() < 1e-12);
        assert!((2.75 - low - (high - 2.75)).abs() < 1e-15);
        // Everyone invited answered: no sampling error left.
        assert_eq!(
            weighted_score(&[1.0, 2.0, 4.0], &[1.0, 1.0, 2.0], 3, 0.95).se,
            Some(0.0)
        );
    }
}
