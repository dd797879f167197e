//! Score: per wave, for every item and every framework node (indicator, outcome, function...),
//! the number of respondents, mean, SD, t-interval, % favourable, answer counts and N/A count.
//!
//! Roll-up rule: a respondent's score for a node is the mean of the node's items they answered
//! on the scale (reverse-worded items mirrored first), kept only if they answered at least
//! `rules.min_answered` of the node's items asked in that wave; the node's score is the mean of
//! the kept respondent scores.
//!
//! The answers come as one small-integer column per item and wave ([`WaveResponses::answers`]).
//! A node's respondent scores are integer sums and counts over its items' columns, in
//! respondent order; answer counts, N/A and % favourable come from per-item tallies of the
//! answer codes. What the comparison of waves needs of each sample is kept as a
//! [`Summary`] (n, mean, variance, value counts); respondent-level scores are kept only for
//! waves with panel keys, whose paired tests need them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::Rules;
use crate::error::Result;
use crate::framework::Polarity;
use crate::instrument::Instrument;
use crate::map::{WaveResponses, FIRST_POINT, NOT_APPLICABLE};
use crate::stats::{self, Summary};

/// The level name used for the instrument's own questions, below the framework's levels.
pub const ITEM_LEVEL: &str = "item";

/// The scores of one node (or item) in one wave.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    pub wave: String,
    pub level: String,
    pub id: String,
    pub label: String,
    /// Respondents with a kept score.
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci: Option<(f64, f64)>,
    /// Share (0-100) of valid answers on a favourable point, after reverse-coding.
    pub pct_favorable: Option<f64>,
    /// Valid answers per scale value, after reverse-coding (pooled over the node's items).
    pub counts: BTreeMap<i64, usize>,
    /// "Not applicable" answers to the node's items.
    pub n_na: usize,
}

/// All scores of a run, and what comparisons need of the respondent-level scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub waves: Vec<String>,
    /// Ordered by wave, then framework order (items after the framework nodes).
    pub rows: Vec<ScoreRow>,
    /// (wave, node id) -> kept respondent scores, in respondent order; only for the nodes of
    /// [`group_test_levels`] and for waves whose respondents carry panel keys (the group and
    /// paired tests need them).
    pub samples: HashMap<(String, String), Vec<f64>>,
    /// (wave, node id) -> the respondents (indices into the wave's respondents) of `samples`.
    pub respondents: HashMap<(String, String), Vec<usize>>,
    /// (wave, node id) -> n, mean, variance and value counts of the kept respondent scores:
    /// all that the comparison of independent waves needs.
    pub summaries: HashMap<(String, String), Summary>,
    /// Every scale value that occurs in the instrument, for count columns.
    pub scale_values: Vec<i64>,
    /// Ids of the nodes and items where a lower score is better (see `Polarity`).
    pub lower_is_better: BTreeSet<String>,
}

impl Scores {
    pub fn row(&self, wave: &str, id: &str) -> Option<&ScoreRow> {
        self.rows.iter().find(|r| r.wave == wave && r.id == id)
    }

    /// The summary of one node's kept respondent scores in one wave.
    pub fn summary(&self, wave: &str, id: &str) -> Option<&Summary> {
        self.summaries.get(&(wave.to_string(), id.to_string()))
    }
}

/// What is scored: every framework node in framework order, then every item.
struct Target<'a> {
    level: &'a str,
    id: &'a str,
    label: &'a str,
}

fn targets(instrument: &Instrument) -> Vec<Target<'_>> {
    let mut targets: Vec<Target> = instrument
        .framework
        .nodes
        .iter()
        .map(|node| Target {
            level: &node.level,
            id: &node.id,
            label: &node.label,
        })
        .collect();
    targets.extend(instrument.items.iter().map(|i| Target {
        level: ITEM_LEVEL,
        id: &i.id,
        label: &i.text,
    }));
    targets
}

/// One wave's answers made ready for scoring: per item asked, what each answer code means,
/// and which items count towards each target.
struct Prepared<'w> {
    wave: &'w WaveResponses,
    /// Per item asked: oriented value of each code (0 when not a point).
    values: Vec<Vec<i64>>,
    /// Per item asked: whether each code is a point of the scale.
    valid: Vec<Vec<bool>>,
    /// Per item asked: whether each code is a favourable point.
    favourable: Vec<Vec<bool>>,
    /// Per item asked: how many respondents gave each code.
    tallies: Vec<Vec<usize>>,
    /// Per target (see [`targets`]): the items asked (positions in `items_asked`) that count.
    members: Vec<Vec<usize>>,
}

impl<'w> Prepared<'w> {
    fn new(instrument: &Instrument, wave: &'w WaveResponses) -> Prepared<'w> {
        let targets = targets(instrument);
        let position: HashMap<&str, usize> = targets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.level != ITEM_LEVEL)
            .map(|(i, t)| (t.id, i))
            .collect();
        let items_from = instrument.framework.nodes.len();
        let mut members = vec![Vec::new(); targets.len()];
        let (mut values, mut valid, mut favourable, mut tallies) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (k, &i) in wave.items_asked.iter().enumerate() {
            let item = &instrument.items[i];
            let scale = instrument.scale_of(item);
            let codes = FIRST_POINT as usize + scale.points.len();
            let value: Vec<Option<i64>> = (0..codes).map(|c| wave.value(instrument, k, c as u8)).collect();
            values.push(value.iter().map(|v| v.unwrap_or(0)).collect());
            valid.push(value.iter().map(Option::is_some).collect());
            favourable.push(
                value
                    .iter()
                    .map(|v| v.is_some_and(|v| instrument.is_favourable(item, v)))
                    .collect(),
            );
            let mut tally = vec![0usize; 256];
            for &code in &wave.answers[k] {
                tally[code as usize] += 1;
            }
            tally.truncate(codes);
            tallies.push(tally);
            members[items_from + i].push(k);
            for node in instrument.nodes_of(item) {
                if let Some(&t) = position.get(node.id.as_str()) {
                    members[t].push(k);
                }
            }
        }
        Prepared {
            wave,
            values,
            valid,
            favourable,
            tallies,
            members,
        }
    }

    /// Per respondent, the sum of the valid answers to `items` and how many there are.
    fn sums(&self, items: &[usize]) -> (Vec<i64>, Vec<u32>) {
        let n = self.wave.respondents;
        let (mut sum, mut count) = (vec![0i64; n], vec![0u32; n]);
        for &k in items {
            let (values, valid) = (&self.values[k], &self.valid[k]);
            for ((s, c), &code) in sum.iter_mut().zip(count.iter_mut()).zip(&self.wave.answers[k]) {
                *s += values[code as usize];
                *c += valid[code as usize] as u32;
            }
        }
        (sum, count)
    }

    /// The roll-up rule: per respondent, the mean of their valid answers to `items` when they
    /// answered at least `min_answered` of them (and at least one).
    fn respondent_scores(&self, items: &[usize], rules: &Rules) -> RespondentScores {
        let (sum, count) = self.sums(items);
        let needed = items.len() as f64 * rules.min_answered;
        let kept: Vec<bool> = count.iter().map(|&c| c > 0 && c as f64 >= needed).collect();
        RespondentScores { sum, count, kept }
    }
}

/// Per respondent of a wave: the integer sum and count of a node's valid answers, and whether
/// the roll-up rule keeps their score (sum / count).
struct RespondentScores {
    sum: Vec<i64>,
    count: Vec<u32>,
    kept: Vec<bool>,
}

impl RespondentScores {
    fn score(&self, r: usize) -> Option<f64> {
        self.kept[r].then(|| self.sum[r] as f64 / self.count[r] as f64)
    }

    /// The kept scores, in respondent order.
    fn sample(&self) -> Vec<f64> {
        (0..self.kept.len()).filter_map(|r| self.score(r)).collect()
    }

    /// How often each distinct kept score occurs, ascending: counted on (sum, count) pairs,
    /// which are few, rather than by sorting the scores.
    fn counts(&self, sample: &[f64]) -> Vec<(f64, usize)> {
        let kept = || (0..self.kept.len()).filter(|&r| self.kept[r]);
        let (Some(lo), Some(hi)) = (
            kept().map(|r| self.sum[r]).min(),
            kept().map(|r| self.sum[r]).max(),
        ) else {
            return Vec::new();
        };
        let width = kept().map(|r| self.count[r]).max().unwrap_or(0) as usize + 1;
        let span = (hi - lo) as usize + 1;
        let mut pairs: Vec<(f64, usize)> = if span.saturating_mul(width) <= 1 << 20 {
            let mut table = vec![0usize; span * width];
            for r in kept() {
                table[(self.sum[r] - lo) as usize * width + self.count[r] as usize] += 1;
            }
            table
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| ((lo + (i / width) as i64) as f64 / (i % width) as f64, n))
                .collect()
        } else {
            sample.iter().map(|&x| (x, 1)).collect()
        };
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut counts: Vec<(f64, usize)> = Vec::with_capacity(pairs.len());
        for (x, n) in pairs {
            match counts.last_mut() {
                Some((v, c)) if *v == x => *c += n,
                _ => counts.push((x, n)),
            }
        }
        counts
    }
}

/// The levels whose nodes' groups are tested against the rest of their wave (see
/// `compare::compare_groups`): the headline level and the levels of the framework's top nodes.
/// [`Scores::samples`] holds these nodes' respondent scores in every wave.
pub fn group_test_levels(instrument: &Instrument) -> Vec<&str> {
    let fw = &instrument.framework;
    let mut levels: Vec<&str> = vec![fw.headline_level.as_str()];
    for top in fw.tops() {
        if !levels.contains(&top.level.as_str()) {
            levels.push(&top.level);
        }
    }
    levels
}

/// Scores every wave.
pub fn score(instrument: &Instrument, waves: &[WaveResponses], rules: &Rules) -> Result<Scores> {
    let targets = targets(instrument);
    let tested_levels = group_test_levels(instrument);
    let mut rows = Vec::new();
    let mut samples = HashMap::new();
    let mut respondents = HashMap::new();
    let mut summaries = HashMap::new();
    for wave in waves {
        let prepared = Prepared::new(instrument, wave);
        for (target, items) in targets.iter().zip(&prepared.members) {
            // Answer tallies pooled over the node's items.
            let (mut n_na, mut valid, mut favourable) = (0, 0, 0);
            let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
            for &k in items {
                for (code, &n) in prepared.tallies[k].iter().enumerate() {
                    if n == 0 {
                        continue;
                    }
                    if code == NOT_APPLICABLE as usize {
                        n_na += n;
                    } else if prepared.valid[k][code] {
                        valid += n;
                        *counts.entry(prepared.values[k][code]).or_default() += n;
                        if prepared.favourable[k][code] {
                            favourable += n;
                        }
                    }
                }
            }
            if valid + n_na == 0 {
                continue; // nothing of this node was asked (or answered) in this wave
            }
            let scores = prepared.respondent_scores(items, rules);
            let sample = scores.sample();
            let mean = stats::mean(&sample);
            let variance = stats::variance(&sample);
            let sd = variance.map(f64::sqrt);
            let ci = match (mean, sd) {
                (Some(m), Some(s)) => stats::t_interval(m, s, sample.len(), rules.confidence),
                _ => None,
            };
            let key = (wave.wave.clone(), target.id.to_string());
            summaries.insert(
                key.clone(),
                Summary {
                    n: sample.len(),
                    mean,
                    variance,
                    counts: scores.counts(&sample),
                },
            );
            rows.push(ScoreRow {
                wave: wave.wave.clone(),
                level: target.level.to_string(),
                id: target.id.to_string(),
                label: target.label.to_string(),
                n: sample.len(),
                mean,
                sd,
                ci,
                pct_favorable: (valid > 0).then(|| favourable as f64 / valid as f64 * 100.0),
                counts,
                n_na,
            });
            if !wave.panel.is_empty() || tested_levels.contains(&target.level) {
                let who: Vec<usize> = (0..wave.respondents).filter(|&r| scores.kept[r]).collect();
                respondents.insert(key.clone(), who);
                samples.insert(key, sample);
            }
        }
    }

    let mut scale_values: Vec<i64> = instrument
        .scales
        .values()
        .flat_map(|s| s.points.iter().map(|p| p.value))
        .collect();
    scale_values.sort_unstable();
    scale_values.dedup();
    let framework = &instrument.framework;
    let lower = |node: &str| framework.polarity(node) == Polarity::LowerIsBetter;
    let lower_is_better = framework
        .nodes
        .iter()
        .filter(|n| lower(&n.id))
        .map(|n| n.id.clone())
        .chain(
            instrument
                .items
                .iter()
                .filter(|i| lower(&i.indicator))
                .map(|i| i.id.clone()),
        )
        .collect();
    Ok(Scores {
        lower_is_better,
        waves: waves.iter().map(|w| w.wave.clone()).collect(),
        rows,
        samples,
        respondents,
        summaries,
        scale_values,
    })
}

/// The score of one node for one group of respondents (e.g. role = Funder) in one wave.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupScore {
    pub wave: String,
    pub group: String,
    pub id: String,
    /// Respondents of the group in the wave, and those with a kept score for the node.
    pub respondents: usize,
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci: Option<(f64, f64)>,
}

/// Scores of every framework node per value of one respondent attribute, by the same roll-up
/// rule as [`score`]. Suppression of small groups is the reader's job (see render).
pub fn group_scores(
    instrument: &Instrument,
    waves: &[WaveResponses],
    rules: &Rules,
    attribute: &str,
) -> Result<Vec<GroupScore>> {
    let targets = targets(instrument);
    let a = instrument.attributes.iter().position(|x| x.id == attribute);
    let mut out = Vec::new();
    for wave in waves {
        let (names, chosen): (&[String], Vec<u32>) = match a {
            Some(a) => (&wave.groups[a], wave.attributes[a].clone()),
            None => (&[], vec![0; wave.respondents]),
        };
        let not_stated = [crate::map::NOT_STATED.to_string()];
        let names = if names.is_empty() { &not_stated[..] } else { names };
        let mut sizes = vec![0usize; names.len()];
        for &g in &chosen {
            sizes[g as usize] += 1;
        }
        let prepared = Prepared::new(instrument, wave);
        for (target, items) in targets.iter().zip(&prepared.members) {
            if items.is_empty() {
                continue;
            }
            // Group means and variances over scores in respondent order, two passes as
            // stats::mean and stats::variance take them, so that they equal those of the
            // group's scores collected in order.
            let scores = prepared.respondent_scores(items, rules);
            let mut sum = vec![0.0f64; names.len()];
            let mut n = vec![0usize; names.len()];
            for (r, &g) in chosen.iter().enumerate() {
                if let Some(s) = scores.score(r) {
                    sum[g as usize] += s;
                    n[g as usize] += 1;
                }
            }
            let mean: Vec<f64> = sum.iter().zip(&n).map(|(s, &n)| s / n as f64).collect();
            let mut squares = vec![0.0f64; names.len()];
            for (r, &g) in chosen.iter().enumerate() {
                if let Some(s) = scores.score(r) {
                    squares[g as usize] += (s - mean[g as usize]).powi(2);
                }
            }
            for g in 0..names.len() {
                if n[g] == 0 {
                    continue;
                }
                let sd = (n[g] >= 2).then(|| (squares[g] / (n[g] - 1) as f64).sqrt());
                out.push(GroupScore {
                    wave: wave.wave.clone(),
                    group: names[g].clone(),
                    id: target.id.to_string(),
                    respondents: sizes[g],
                    n: n[g],
                    mean: Some(mean[g]),
                    sd,
                    ci: sd.and_then(|sd| stats::t_interval(mean[g], sd, n[g], rules.confidence)),
                });
            }
        }
    }
    out.sort_by(|x, y| (&x.wave, &x.group, &x.id).cmp(&(&y.wave, &y.group, &y.id)));
    Ok(out)
}
