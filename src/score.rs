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

use crate::error::Result;
use crate::framework::Polarity;
use crate::instrument::Instrument;
use crate::map::{WaveResponses, FIRST_POINT, NOT_APPLICABLE};
use crate::rules::Rules;
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
    /// [`group_test_levels`], for overall items and for waves whose respondents carry panel keys (the group and
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
        let needed = items.len() as f64 * rules.min_answered;
        if let [k] = items {
            // One item: its valid answers are the scores (sum / 1).
            let (values, valid) = (&self.values[*k], &self.valid[*k]);
            let codes = &self.wave.answers[*k];
            let count: Vec<u32> = codes.iter().map(|&c| valid[c as usize] as u32).collect();
            let sum = codes.iter().map(|&c| values[c as usize]).collect();
            return RespondentScores { sum, count, needed };
        }
        let (sum, count) = self.sums(items);
        RespondentScores { sum, count, needed }
    }

    /// The least and greatest sum of valid answers a respondent can have over `items`.
    fn sum_bounds(&self, items: &[usize]) -> (i64, i64) {
        let points = || {
            items.iter().flat_map(|&k| {
                self.values[k]
                    .iter()
                    .zip(&self.valid[k])
                    .filter(|(_, ok)| **ok)
                    .map(|(v, _)| *v)
            })
        };
        let (lo, hi) = (points().min().unwrap_or(0), points().max().unwrap_or(0));
        let m = items.len() as i64;
        (lo.min(lo * m), hi.max(hi * m))
    }
}

/// Per respondent of a wave: the integer sum and count of a node's valid answers; the roll-up
/// rule keeps the score sum / count when count is at least `needed` (and at least 1).
struct RespondentScores {
    sum: Vec<i64>,
    count: Vec<u32>,
    needed: f64,
}

impl RespondentScores {
    fn score(&self, r: usize) -> Option<f64> {
        let c = self.count[r];
        (c > 0 && c as f64 >= self.needed).then(|| self.sum[r] as f64 / c as f64)
    }

    /// In one pass: the kept scores and their respondents, in respondent order, and how often
    /// each distinct score occurs, ascending (counted on (sum, count) pairs, which are few,
    /// when the sums lie in `bounds`).
    fn collect(&self, bounds: (i64, i64)) -> (Vec<f64>, Vec<usize>, Vec<(f64, usize)>) {
        let (lo, hi) = bounds;
        let width = self.count.iter().max().copied().unwrap_or(0) as usize + 1;
        let span = (hi - lo) as usize + 1;
        let tabled = span.saturating_mul(width) <= 1 << 20;
        let mut table = vec![0usize; if tabled { span * width } else { 0 }];
        let (mut sample, mut who) = (Vec::new(), Vec::new());
        for r in 0..self.sum.len() {
            if let Some(x) = self.score(r) {
                sample.push(x);
                who.push(r);
                if tabled {
                    table[(self.sum[r] - lo) as usize * width + self.count[r] as usize] += 1;
                }
            }
        }
        let mut pairs: Vec<(f64, usize)> = if tabled {
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
        (sample, who, counts)
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

/// What one wave's scoring gives: its rows, and per node its summary and (when kept) its
/// respondents' scores.
type WaveScores = Vec<(ScoreRow, Summary, Option<(Vec<f64>, Vec<usize>)>)>;

/// Scores the targets `range` (indices into [`targets`]) of one prepared wave.
fn score_targets(
    instrument: &Instrument,
    prepared: &Prepared,
    range: std::ops::Range<usize>,
    rules: &Rules,
) -> WaveScores {
    let wave = prepared.wave;
    let targets = targets(instrument);
    let tested_levels = group_test_levels(instrument);
    let mut out = Vec::new();
    for (target, items) in targets[range.clone()].iter().zip(&prepared.members[range]) {
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
        let (sample, who, value_counts) = scores.collect(prepared.sum_bounds(items));
        let mean = stats::mean(&sample);
        let variance = mean.and_then(|m| stats::variance_about(&sample, m));
        let sd = variance.map(f64::sqrt);
        let ci = match (mean, sd) {
            (Some(m), Some(s)) => stats::t_interval(m, s, sample.len(), rules.confidence),
            _ => None,
        };
        let summary = Summary {
            n: sample.len(),
            mean,
            variance,
            counts: value_counts,
        };
        let row = ScoreRow {
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
        };
        // Overall items' scores are the outcome of the key-driver analysis (crate::drivers).
        let overall =
            target.level == ITEM_LEVEL && instrument.items.iter().any(|i| i.overall && i.id == target.id);
        let keep = !wave.panel.is_empty() || tested_levels.contains(&target.level) || overall;
        out.push((row, summary, keep.then_some((sample, who))));
    }
    out
}

/// Targets per task when a wave's targets are shared out between threads.
const TARGETS_PER_TASK: usize = 16;

/// The work of every wave cut into tasks: (wave index, range of target indices).
fn chunks<T>(waves: &[T], targets: usize) -> Vec<(usize, std::ops::Range<usize>)> {
    (0..waves.len())
        .flat_map(|w| {
            (0..targets)
                .step_by(TARGETS_PER_TASK)
                .map(move |start| (w, start..(start + TARGETS_PER_TASK).min(targets)))
        })
        .collect()
}

/// Scores every wave (waves and groups of nodes in parallel).
pub fn score(instrument: &Instrument, waves: &[WaveResponses], rules: &Rules) -> Result<Scores> {
    let mut rows = Vec::new();
    let mut samples = HashMap::new();
    let mut respondents = HashMap::new();
    let mut summaries = HashMap::new();
    let prepared = crate::parallel::map(waves, |w| Prepared::new(instrument, w));
    let tasks = chunks(&prepared, targets(instrument).len());
    let scored = crate::parallel::map(&tasks, |(w, range)| {
        score_targets(instrument, &prepared[*w], range.clone(), rules)
    });
    for ((w, _), scored) in tasks.iter().zip(scored) {
        let wave = &waves[*w];
        for (row, summary, kept) in scored {
            let key = (wave.wave.clone(), row.id.clone());
            if let Some((sample, who)) = kept {
                samples.insert(key.clone(), sample);
                respondents.insert(key.clone(), who);
            }
            summaries.insert(key, summary);
            rows.push(row);
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

/// One target's respondent-level inputs in one wave, for estimates that weight respondents
/// (see `crate::weights`): each respondent's kept score by the roll-up rule of [`score`], and
/// how many valid and favourable answers they gave to the target's items.
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentTable {
    pub id: String,
    pub scores: Vec<Option<f64>>,
    pub valid: Vec<u32>,
    pub favourable: Vec<u32>,
}

/// [`RespondentTable`]s of every target one wave asked, in the order of [`score`]'s rows.
pub fn respondent_tables(
    instrument: &Instrument,
    wave: &WaveResponses,
    rules: &Rules,
) -> Vec<RespondentTable> {
    let prepared = Prepared::new(instrument, wave);
    let n = wave.respondents;
    targets(instrument)
        .iter()
        .zip(&prepared.members)
        .filter(|(_, items)| !items.is_empty())
        .map(|(target, items)| {
            let kept = prepared.respondent_scores(items, rules);
            let (mut valid, mut favourable) = (vec![0u32; n], vec![0u32; n]);
            for &k in items {
                for (r, &code) in wave.answers[k].iter().enumerate() {
                    valid[r] += prepared.valid[k][code as usize] as u32;
                    favourable[r] += prepared.favourable[k][code as usize] as u32;
                }
            }
            RespondentTable {
                id: target.id.to_string(),
                scores: (0..n).map(|r| kept.score(r)).collect(),
                valid,
                favourable,
            }
        })
        .collect()
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

/// One attribute's grouping of a wave's respondents: each respondent's group, the groups'
/// names and their sizes.
struct Grouping {
    chosen: Vec<u32>,
    names: Vec<String>,
    sizes: Vec<usize>,
}

impl Grouping {
    /// The attribute's groups in the wave (all respondents not stated when the wave does not
    /// ask it).
    fn of(instrument: &Instrument, wave: &WaveResponses, attribute: &str) -> Grouping {
        let (chosen, names) = match instrument.attributes.iter().position(|x| x.id == attribute) {
            Some(a) if !wave.groups[a].is_empty() => (wave.attributes[a].clone(), wave.groups[a].clone()),
            _ => (
                vec![0; wave.respondents],
                vec![crate::map::NOT_STATED.to_string()],
            ),
        };
        let mut sizes = vec![0usize; names.len()];
        for &g in &chosen {
            sizes[g as usize] += 1;
        }
        Grouping { chosen, names, sizes }
    }

    /// Each group's score of one node from the respondents' scores (NaN: not kept), in
    /// respondent order and in two passes as stats::mean and stats::variance take them, so
    /// that they equal those of the group's scores collected in order.
    fn scores(&self, scores: &[f64], wave: &str, id: &str, confidence: f64) -> Vec<GroupScore> {
        let groups = self.names.len();
        let (mut sum, mut n) = (vec![0.0f64; groups], vec![0usize; groups]);
        for (&s, &g) in scores.iter().zip(&self.chosen) {
            if !s.is_nan() {
                sum[g as usize] += s;
                n[g as usize] += 1;
            }
        }
        let mean: Vec<f64> = sum.iter().zip(&n).map(|(s, &n)| s / n as f64).collect();
        let mut squares = vec![0.0f64; groups];
        for (&s, &g) in scores.iter().zip(&self.chosen) {
            if !s.is_nan() {
                squares[g as usize] += (s - mean[g as usize]).powi(2);
            }
        }
        (0..groups)
            .filter(|&g| n[g] > 0)
            .map(|g| {
                let sd = (n[g] >= 2).then(|| (squares[g] / (n[g] - 1) as f64).sqrt());
                GroupScore {
                    wave: wave.to_string(),
                    group: self.names[g].clone(),
                    id: id.to_string(),
                    respondents: self.sizes[g],
                    n: n[g],
                    mean: Some(mean[g]),
                    sd,
                    ci: sd.and_then(|sd| stats::t_interval(mean[g], sd, n[g], confidence)),
                }
            })
            .collect()
    }
}

/// Scores of every framework node per value of each respondent attribute, by the same roll-up
/// rule as [`score`], each node's respondent scores computed once for all the attributes.
/// Suppression of small groups is the report's job.
pub fn group_scores_by(
    instrument: &Instrument,
    waves: &[WaveResponses],
    rules: &Rules,
    attributes: &[&str],
) -> Result<Vec<Vec<GroupScore>>> {
    let prepared = crate::parallel::map(waves, |w| Prepared::new(instrument, w));
    let targets = targets(instrument);
    let tasks = chunks(&prepared, targets.len());
    let groupings: Vec<Vec<Grouping>> = waves
        .iter()
        .map(|w| {
            attributes
                .iter()
                .map(|a| Grouping::of(instrument, w, a))
                .collect()
        })
        .collect();
    let per_task = crate::parallel::map(&tasks, |(w, range)| {
        let prepared = &prepared[*w];
        let wave = prepared.wave;
        let mut out: Vec<Vec<GroupScore>> = vec![Vec::new(); attributes.len()];
        let mut scores: Vec<f64> = Vec::with_capacity(wave.respondents);
        for (target, items) in targets[range.clone()]
            .iter()
            .zip(&prepared.members[range.clone()])
        {
            if items.is_empty() {
                continue;
            }
            let respondent = prepared.respondent_scores(items, rules);
            scores.clear();
            scores.extend((0..wave.respondents).map(|r| respondent.score(r).unwrap_or(f64::NAN)));
            for (grouping, out) in groupings[*w].iter().zip(&mut out) {
                out.extend(grouping.scores(&scores, &wave.wave, target.id, rules.confidence));
            }
        }
        out
    });
    let mut all: Vec<Vec<GroupScore>> = vec![Vec::new(); attributes.len()];
    for task in per_task {
        for (all, out) in all.iter_mut().zip(task) {
            all.extend(out);
        }
    }
    for out in &mut all {
        out.sort_by(|x, y| (&x.wave, &x.group, &x.id).cmp(&(&y.wave, &y.group, &y.id)));
    }
    Ok(all)
}

/// How one question about a framework node was answered in one wave.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub attribute: String,
    pub wave: String,
    /// Respondents per option, in the declared order; unanswered last as [`crate::map::NOT_STATED`].
    pub counts: Vec<(String, usize)>,
}

/// Counts the answers to every question about a framework node, wave by wave.
pub fn tally(instrument: &Instrument, waves: &[WaveResponses]) -> Vec<Tally> {
    let mut out = Vec::new();
    for (index, a) in instrument.attributes.iter().enumerate() {
        if a.about.is_none() {
            continue;
        }
        for w in waves {
            // Respondents per group the wave's answers name, then per option label.
            let mut per_group = vec![0usize; w.groups[index].len()];
            for &g in &w.attributes[index] {
                per_group[g as usize] += 1;
            }
            let labels = a
                .options
                .iter()
                .map(|o| o.label().to_string())
                .chain(std::iter::once(crate::map::NOT_STATED.to_string()));
            let counts = labels
                .map(|label| {
                    let n = w.groups[index]
                        .iter()
                        .zip(&per_group)
                        .filter(|(name, _)| **name == label)
                        .map(|(_, n)| n)
                        .sum();
                    (label, n)
                })
                .collect();
            out.push(Tally {
                attribute: a.id.clone(),
                wave: w.wave.clone(),
                counts,
            });
        }
    }
    out
}
