//! Key drivers of an overall rating: per wave and per overall item of the instrument
//! (`overall = true`), how much of the variation in partners' overall answers each
//! headline-level node (the functions) accounts for. Predictors are the respondents' scores on
//! the headline nodes, by the roll-up rule of [`crate::score`]; complete cases over the
//! predictors and the outcome; ordinary least squares with intercept, its R² decomposed by LMG
//! (exact over all subsets, see [`lmg`]). Intervals are percentile bootstrap intervals over
//! resamples of respondents, from a fixed seed per wave and outcome, so reruns are
//! byte-identical.

pub mod lmg;

use crate::instrument::Instrument;
use crate::score::Scores;
pub use lmg::Method;

/// Bootstrap resamples of respondents per analysis.
pub const RESAMPLES: usize = 2000;

/// One headline node's share of the overall rating's R² in one wave.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeImportance {
    pub level: String,
    pub id: String,
    pub label: String,
    /// On the R² scale: a wave's importances sum to its R².
    pub importance: f64,
    /// Percentile bootstrap interval of the importance (see [`KeyDrivers::widened`]).
    pub ci: (f64, f64),
    /// 1 for the most important node.
    pub rank: usize,
}

/// A fitted decomposition.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverFit {
    pub r2: f64,
    pub method: Method,
    /// In framework order.
    pub nodes: Vec<NodeImportance>,
    /// Resamples in which the outcome varied (the others have no R²).
    pub resamples: usize,
    /// Intervals extended to their estimate: the percentile interval of a near-zero importance
    /// can lie wholly above it, since an importance is never negative.
    pub widened: usize,
}

impl DriverFit {
    /// An importance (or an interval bound) as a share of R²; none when nothing is explained.
    pub fn share_of(&self, importance: f64) -> Option<f64> {
        (self.r2 > 0.0).then(|| importance / self.r2)
    }
}

/// The key-driver analysis of one overall item in one wave, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyDrivers {
    pub wave: String,
    /// The overall item's id and text.
    pub outcome: String,
    pub outcome_label: String,
    /// Complete cases (respondents with a score on the outcome and every predictor).
    pub n: usize,
    /// Complete cases needed: `compare.min_n` × predictors (at least `suppress_below`).
    pub needed: usize,
    /// The headline nodes scored in the wave: (level, id, label).
    pub predictors: Vec<(String, String, String)>,
    /// `None` when there are fewer than `needed` complete cases or the outcome does not vary.
    pub fit: Option<DriverFit>,
}

/// What the analysis needs of the run's rules.
#[derive(Debug, Clone, Copy)]
pub struct DriverRules {
    pub confidence: f64,
    pub min_n: usize,
    pub suppress_below: usize,
}

/// The key-driver analysis of every overall item in every wave where it was answered.
pub fn key_drivers(instrument: &Instrument, scores: &Scores, rules: DriverRules) -> Vec<KeyDrivers> {
    let fw = &instrument.framework;
    let mut out = Vec::new();
    for wave in &scores.waves {
        let predictors: Vec<(String, String, String)> = fw
            .nodes_at(&fw.headline_level)
            .filter(|n| scores.samples.contains_key(&(wave.clone(), n.id.clone())))
            .map(|n| (n.level.clone(), n.id.clone(), n.label.clone()))
            .collect();
        for item in instrument.items.iter().filter(|i| i.overall) {
            if scores.row(wave, &item.id).is_none() {
                continue; // not asked in this wave
            }
            let ids: Vec<&str> = predictors.iter().map(|p| p.1.as_str()).collect();
            let (x, y) = complete_cases(scores, wave, &item.id, &ids);
            let needed = (rules.min_n * predictors.len()).max(rules.suppress_below).max(1);
            let fit = (!predictors.is_empty() && y.len() >= needed)
                .then(|| fit(&x, &y, &predictors, rules.confidence, seed(wave, &item.id)))
                .flatten();
            out.push(KeyDrivers {
                wave: wave.clone(),
                outcome: item.id.clone(),
                outcome_label: item.text.clone(),
                n: y.len(),
                needed,
                predictors: predictors.clone(),
                fit,
            });
        }
    }
    out
}

/// The respondents of a wave with a kept score on the outcome and on every predictor, in
/// respondent order: one column per predictor, and the outcome.
fn complete_cases(
    scores: &Scores,
    wave: &str,
    outcome: &str,
    predictors: &[&str],
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let by_respondent = |id: &str| -> Vec<Option<f64>> {
        let key = (wave.to_string(), id.to_string());
        let (Some(values), Some(who)) = (scores.samples.get(&key), scores.respondents.get(&key)) else {
            return Vec::new();
        };
        let mut column = vec![None; who.iter().max().map_or(0, |m| m + 1)];
        for (&r, &v) in who.iter().zip(values) {
            column[r] = Some(v);
        }
        column
    };
    let y_all = by_respondent(outcome);
    let x_all: Vec<Vec<Option<f64>>> = predictors.iter().map(|p| by_respondent(p)).collect();
    let at = |column: &[Option<f64>], r: usize| column.get(r).copied().flatten();
    let complete: Vec<usize> = (0..y_all.len())
        .filter(|&r| y_all[r].is_some() && x_all.iter().all(|c| at(c, r).is_some()))
        .collect();
    let x = x_all
        .iter()
        .map(|c| complete.iter().filter_map(|&r| at(c, r)).collect())
        .collect();
    let y = complete.iter().filter_map(|&r| y_all[r]).collect();
    (x, y)
}

/// A seed per wave and outcome (FNV-1a of their names), so each analysis has its own stream
/// and adding a wave leaves the others' intervals as they were.
fn seed(wave: &str, outcome: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in wave.bytes().chain([0]).chain(outcome.bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Resamples drawn together on one thread (each thread reuses its buffer of counts).
const RESAMPLES_PER_TASK: usize = 50;

/// Each predictor's importance in every resample whose outcome varies, in resample order.
/// Resample `k` counts the rows drawn by the `n` draws after `k * n` draws from `seed`, so the
/// draws are those of one generator run through in turn, however many threads share them.
fn bootstrap(data: &lmg::Rows, predictors: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let tasks: Vec<usize> = (0..RESAMPLES).step_by(RESAMPLES_PER_TASK).collect();
    let fits = crate::parallel::map(&tasks, |&first| {
        let mut counts = vec![0u32; n];
        let last = (first + RESAMPLES_PER_TASK).min(RESAMPLES);
        (first..last)
            .map(|k| {
                let mut rng = lmg::SplitMix64::after(seed, (k * n) as u64);
                counts.fill(0);
                (0..n).for_each(|_| counts[rng.below(n)] += 1);
                lmg::decompose_rows(data, &counts).map(|(fit, _)| fit.importance)
            })
            .collect::<Vec<_>>()
    });
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(RESAMPLES); predictors];
    for importance in fits.into_iter().flatten().flatten() {
        for (d, v) in draws.iter_mut().zip(importance) {
            d.push(v);
        }
    }
    draws
}

/// The decomposition of the complete cases with its bootstrap intervals and ranks.
fn fit(
    x: &[Vec<f64>],
    y: &[f64],
    predictors: &[(String, String, String)],
    confidence: f64,
    seed: u64,
) -> Option<DriverFit> {
    // Laid out by row once, for the estimate and every resample.
    let data = lmg::Rows::new(x, y);
    let (estimate, method) = lmg::decompose_rows(&data, &vec![1; y.len()])?;
    let mut draws = bootstrap(&data, x.len(), y.len(), seed);
    let tail = (1.0 - confidence) / 2.0;
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| estimate.importance[b].total_cmp(&estimate.importance[a]));
    let mut widened = 0;
    let nodes = predictors
        .iter()
        .enumerate()
        .map(|(j, (level, id, label))| {
            let value = estimate.importance[j];
            let d = &mut draws[j];
            d.sort_by(f64::total_cmp);
            let (lo, hi) = match d.is_empty() {
                true => (value, value),
                false => (lmg::quantile(d, tail), lmg::quantile(d, 1.0 - tail)),
            };
            widened += usize::from(value < lo || value > hi);
            NodeImportance {
                level: level.clone(),
                id: id.clone(),
                label: label.clone(),
                importance: value,
                ci: (lo.min(value), hi.max(value)),
                rank: order.iter().position(|&k| k == j).unwrap_or(j) + 1,
            }
        })
        .collect();
    Some(DriverFit {
        r2: estimate.r2,
        method,
        nodes,
        resamples: draws.first().map_or(0, Vec::len),
        widened,
    })
}
