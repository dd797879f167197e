//! What the reports say about survey weights (present only with `[weights]`): the phrase that
//! says what the leading scores are weighted to, the headline nodes' weighted scores and
//! verdicts, each wave's mix before and after weighting with its largest weight and effective
//! sample size (flagged under `compare.min_n`), and the methods. Numbers come from the
//! suppressed copy of the weighting, so nothing hidden elsewhere shows here.

use serde::Serialize;

use super::{Weighting, MAX_ROUNDS, TOLERANCE};
use crate::instrument::Instrument;
use crate::report::{fixed, p_value};
use crate::rules::CompareRules;
use crate::score::Scores;

/// The weighting of a run, for the reports.
#[derive(Debug, Clone, Serialize)]
pub struct WeightsReport {
    /// What the leading scores are weighted to ("weighted to the roster's mix of roles").
    pub phrase: String,
    /// The headline nodes' weighted scores per wave and weighted change into the latest wave.
    pub headline: Vec<WeightedHeadline>,
    /// One per wave: its largest weight and effective sample size.
    pub waves: Vec<WeightedWave>,
    /// One per wave and raked attribute: the mix of respondents before and after weighting.
    pub mixes: Vec<WeightedMix>,
}

/// One headline node's weighted scores.
#[derive(Debug, Clone, Serialize)]
pub struct WeightedHeadline {
    /// The node's label.
    pub label: String,
    /// Per wave: the weighted mean and its interval, blank when suppressed.
    pub cells: Vec<WeightedCell>,
    /// Per wave: the unweighted mean ("3.45"), for comparison.
    pub unweighted: Vec<String>,
    /// The weighted change from the previous wave to the latest ("+0.12, q = 0.0300"); blank with one wave.
    pub change: String,
    /// The weighted verdict in words ("improved", "no reliable change").
    pub word: String,
}

/// A weighted mean as the summary tables show a mean: "3.41", and "3.30–3.52" (empty without
/// an interval); both empty when suppressed.
#[derive(Debug, Clone, Serialize)]
pub struct WeightedCell {
    /// The weighted mean ("3.41").
    pub mean_text: String,
    /// Its interval ("3.30–3.52").
    pub ci_text: String,
}

/// One wave's weights in numbers.
#[derive(Debug, Clone, Serialize)]
pub struct WeightedWave {
    /// The wave's label.
    pub wave: String,
    /// Respondents weighted.
    pub respondents: usize,
    /// The largest weight, weights averaging 1 ("2.41").
    pub largest: String,
    /// Kish's effective sample size of the wave ("96.3").
    pub n_eff: String,
    /// Respondents whose weight was capped by `trim`.
    pub trimmed: usize,
    /// Categories merged for want of respondents, in words.
    pub collapsed: Vec<String>,
    /// A caution when n_eff is under `compare.min_n`.
    pub caution: Option<String>,
}

/// One wave's mix by one raked attribute.
#[derive(Debug, Clone, Serialize)]
pub struct WeightedMix {
    /// The wave's label.
    pub wave: String,
    /// The attribute's label ("Role").
    pub attribute: String,
    /// One per category, in the attribute's declared order.
    pub rows: Vec<WeightedMixRow>,
}

/// One category's share of the roster, of the respondents, and of the weighted respondents.
#[derive(Debug, Clone, Serialize)]
pub struct WeightedMixRow {
    /// The category's option label (merged ones joined).
    pub category: String,
    /// Its share of the roster ("11.2%").
    pub roster: String,
    /// Blank for a category with fewer respondents than `report.suppress_below`.
    pub before: String,
    /// Its share of the weighted respondents.
    pub after: String,
}

/// "roles", "roles and sectors": the raked attributes' labels, lower case.
fn attribute_words(w: &Weighting, instrument: &Instrument) -> String {
    let words: Vec<String> = w
        .settings
        .rake
        .iter()
        .map(|id| {
            let label = instrument
                .attributes
                .iter()
                .find(|a| a.id == *id)
                .map_or(id.as_str(), |a| a.label())
                .to_lowercase();
            if label.ends_with('s') {
                label
            } else {
                format!("{label}s")
            }
        })
        .collect();
    words.join(" and ")
}

/// The reports' weights section from the suppressed weighting `w`.
pub fn section(
    w: &Weighting,
    scores: &Scores,
    instrument: &Instrument,
    waves: &[String],
    rules: &CompareRules,
    threshold: usize,
) -> WeightsReport {
    let fw = &instrument.framework;
    let latest = waves.last().cloned().unwrap_or_default();
    let previous = (waves.len() > 1).then(|| waves[waves.len() - 2].clone());
    let headline = fw
        .nodes_at(&fw.headline_level)
        .map(|node| {
            let change = previous.as_ref().and_then(|p| w.change(p, &latest, &node.id));
            WeightedHeadline {
                label: node.label.clone(),
                cells: waves
                    .iter()
                    .map(|wave| {
                        let s = w.score(wave, &node.id);
                        WeightedCell {
                            mean_text: s.map(|s| fixed(s.mean, 2)).unwrap_or_default(),
                            ci_text: s.and_then(|s| s.ci).map_or_else(String::new, |(lo, hi)| {
                                format!("{}–{}", fixed(Some(lo), 2), fixed(Some(hi), 2))
                            }),
                        }
                    })
                    .collect(),
                unweighted: waves
                    .iter()
                    .map(|wave| match scores.row(wave, &node.id) {
                        Some(r) if r.n >= threshold => fixed(r.mean, 2),
                        _ => String::new(),
                    })
                    .collect(),
                change: change
                    .and_then(|c| Some(format!("{:+.2}, q = {}", c.diff?, p_value(c.q))))
                    .unwrap_or_default(),
                word: change.map_or("", |c| c.direction.word()).to_string(),
            }
        })
        .collect();
    WeightsReport {
        phrase: format!(
            "weighted to the roster's mix of {}",
            attribute_words(w, instrument)
        ),
        headline,
        waves: wave_rows(w, rules),
        mixes: mixes(w, instrument, threshold),
    }
}

fn wave_rows(w: &Weighting, rules: &CompareRules) -> Vec<WeightedWave> {
    w.waves
        .iter()
        .map(|wave| {
            let n_eff = wave.n_eff();
            WeightedWave {
                wave: wave.wave.clone(),
                respondents: wave.weights.len(),
                largest: fixed(Some(wave.largest()), 2),
                n_eff: fixed(Some(n_eff), 1),
                trimmed: wave.trimmed,
                collapsed: wave.collapsed.clone(),
                caution: (n_eff < rules.min_n as f64).then(|| {
                    format!(
                        "In {} the weights leave an effective sample of {n_eff:.1}, below compare.min_n = {}: its weighted estimates rest on very few respondents.",
                        wave.wave, rules.min_n
                    )
                }),
            }
        })
        .collect()
}

fn mixes(w: &Weighting, instrument: &Instrument, threshold: usize) -> Vec<WeightedMix> {
    let mut out = Vec::new();
    for wave in &w.waves {
        for margin in &wave.margins {
            let ones = vec![1.0; wave.weights.len()];
            let (before, after) = (margin.shares(&ones), margin.shares(&wave.weights));
            let rows = margin
                .categories
                .iter()
                .zip(margin.targets())
                .zip(before.iter().zip(after))
                .map(|((c, target), (b, a))| {
                    let shown = c.members.len() >= threshold;
                    WeightedMixRow {
                        category: c.name(),
                        roster: percent_1(target),
                        before: if shown {
                            percent_1(*b)
                        } else {
                            format!("<{threshold} respondents")
                        },
                        after: if shown { percent_1(a) } else { String::new() },
                    }
                })
                .collect();
            let label = instrument
                .attributes
                .iter()
                .find(|a| a.id == margin.attribute)
                .map_or(margin.attribute.as_str(), |a| a.label());
            out.push(WeightedMix {
                wave: wave.wave.clone(),
                attribute: label.to_string(),
                rows,
            });
        }
    }
    out
}

/// A share to one decimal: "12.5%". Snapped to 1e-9 first, so that a raked share a rounding
/// error off its roster share (27/240 = 11.25%) prints the same digit as the roster.
fn percent_1(share: f64) -> String {
    format!("{:.1}%", (share * 100.0 * 1e9).round() / 1e9)
}

/// The methods' statements on weighting.
pub fn methods(w: &Weighting, instrument: &Instrument, rules: &CompareRules) -> Vec<String> {
    let s = &w.settings;
    let mut lines = vec![format!(
        "Weights: each wave's respondents are raked (iterative proportional fitting) to the roster's mix of {} given by the wave's invited counts (invited_by): starting at 1, for each attribute in turn the weights of each category are multiplied by its share of the roster × the summed weight of respondents who stated the attribute / the summed weight in the category, respondents who did not state it keeping theirs; rounds repeat until no factor differs from 1 by more than {TOLERANCE:e} (at most {MAX_ROUNDS}), and the weights are then scaled to average 1.",
        attribute_words(w, instrument)
    )];
    if let Some(trim) = s.trim {
        lines.push(format!("Trimming: no weight is above {trim} times the mean; weights above it are capped and the weights raked again, until none is above it."));
    }
    let merged: Vec<String> = w
        .waves
        .iter()
        .flat_map(|wave| {
            wave.collapsed
                .iter()
                .map(move |c| format!("{} in {}", c, wave.wave))
        })
        .collect();
    if !merged.is_empty() {
        lines.push(format!(
            "Categories with invitees but no respondent are merged with the next category before raking: {}.",
            merged.join("; ")
        ));
    }
    lines.push("Weighted estimates (the _weighted columns of the CSVs) stand beside the unweighted ones: the weighted mean m = Σwy / Σw over respondents with a score; its standard error by Taylor linearisation with the finite population correction, se = √((1 − n/N) · n/(n − 1) · Σw²(y − m)² / (Σw)²), n those respondents and N the wave's invited; the interval m ± t(n − 1) · se; % favourable as the weighted share of valid answers on a favourable point; and Kish's effective sample size n_eff = (Σw)² / Σw², the number of unweighted respondents that would give the same precision.".to_string());
    lines.push(format!("Weighted changes: d = m₂ − m₁ with se = √(se₁² + se₂²), Welch–Satterthwaite df = se⁴ / (se₁⁴/(n₁ − 1) + se₂⁴/(n₂ − 1)) and a two-sided t-test, the waves treated as independent samples; q by Benjamini-Hochberg within each pair of waves and level; a weighted change is called only when q < {} and Hedges' g on the weighted means and variances (s² = n/(n − 1) · Σw(y − m)² / Σw) is at least {}. A wave whose n_eff is below {} is flagged.", rules.alpha, rules.min_effect.word(), rules.min_n));
    lines
}
