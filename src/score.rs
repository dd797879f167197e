//! Score: per wave, for every item and every framework node (indicator, outcome, function...),
//! the number of respondents, mean, SD, t-interval, % favourable, answer counts and N/A count.
//!
//! Roll-up rule: a respondent's score for a node is the mean of the node's items they answered
//! on the scale (reverse-worded items mirrored first), kept only if they answered at least
//! `rules.min_answered` of the node's items asked in that wave; the node's score is the mean of
//! the kept respondent scores. The answers are held in one long polars table and aggregated there.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::framework::Polarity;
use crate::instrument::Instrument;
use crate::map::WaveResponses;
use crate::rules::Rules;
use crate::stats;

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

/// All scores of a run, and the respondent-level scores that comparisons need.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub waves: Vec<String>,
    /// Ordered by wave, then framework order (items after the framework nodes).
    pub rows: Vec<ScoreRow>,
    /// (wave, node id) -> kept respondent scores, in respondent order.
    pub samples: HashMap<(String, String), Vec<f64>>,
    /// (wave, node id) -> the respondents (indices into the wave's respondents) of `samples`.
    pub respondents: HashMap<(String, String), Vec<usize>>,
    /// Every scale value that occurs in the instrument, for count columns.
    pub scale_values: Vec<i64>,
    /// Ids of the nodes and items where a lower score is better (see `Polarity`).
    pub lower_is_better: BTreeSet<String>,
}

impl Scores {
    pub fn row(&self, wave: &str, id: &str) -> Option<&ScoreRow> {
        self.rows.iter().find(|r| r.wave == wave && r.id == id)
    }
}

fn internal(e: PolarsError) -> Error {
    Error::internal("score", e)
}

/// Scores every wave.
pub fn score(instrument: &Instrument, waves: &[WaveResponses], rules: &Rules) -> Result<Scores> {
    let answers = answer_frame(instrument, waves).map_err(internal)?;
    let membership = membership_frame(instrument, waves).map_err(internal)?;
    let joined = answers.lazy().join(
        membership.lazy(),
        cols_wave_item(),
        cols_wave_item(),
        JoinArgs::new(JoinType::Inner),
    );
    let joined = joined.cache();

    let respondent_scores = roll_up(joined.clone(), &["wave", "node", "respondent"], rules)
        .sort(["wave", "node", "respondent"], SortMultipleOptions::default())
        .collect()
        .map_err(internal)?;

    let answer_summary = joined
        .clone()
        .group_by_stable([col("wave"), col("node")])
        .agg([
            col("favourable")
                .cast(DataType::Float64)
                .mean()
                .alias("pct_favorable"),
            col("value").null_count().alias("n_na"),
        ])
        .collect()
        .map_err(internal)?;

    let counts = joined
        .filter(col("value").is_not_null())
        .group_by_stable([col("wave"), col("node"), col("value")])
        .agg([len().alias("count")])
        .collect()
        .map_err(internal)?;

    assemble(
        instrument,
        waves,
        &respondent_scores,
        &answer_summary,
        &counts,
        rules,
    )
    .map_err(internal)
}

/// The roll-up rule on answers joined to their nodes: per `keys` (ending in the respondent),
/// the mean of the valid answers as `score`, kept when the respondent answered at least
/// `rules.min_answered` of the node's items (and at least one).
fn roll_up(answers: LazyFrame, keys: &[&str], rules: &Rules) -> LazyFrame {
    answers
        .group_by_stable(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([
            col("value").mean().alias("score"),
            col("value").count().alias("answered"),
            col("n_items").first(),
        ])
        .filter(
            col("answered")
                .cast(DataType::Float64)
                .gt_eq(col("n_items").cast(DataType::Float64) * lit(rules.min_answered))
                .and(col("answered").gt(lit(0))),
        )
}

fn cols_wave_item() -> [Expr; 2] {
    [col("wave"), col("item")]
}

/// One row per valid or not-applicable answer: wave, respondent, item, oriented value (null for
/// N/A) and whether the answer is favourable (null for N/A).
fn answer_frame(instrument: &Instrument, waves: &[WaveResponses]) -> PolarsResult<DataFrame> {
    let size: usize = waves.iter().map(|w| w.answers.len()).sum();
    let mut wave = Vec::with_capacity(size);
    let mut respondent = Vec::with_capacity(size);
    let mut item = Vec::with_capacity(size);
    let mut value = Vec::with_capacity(size);
    let mut favourable = Vec::with_capacity(size);
    for w in waves {
        for a in &w.answers {
            let it = &instrument.items[a.item];
            wave.push(w.wave.as_str());
            respondent.push(a.respondent as u32);
            item.push(it.id.as_str());
            value.push(a.value.map(|v| v as f64));
            favourable.push(a.value.map(|v| instrument.is_favourable(it, v)));
        }
    }
    df!(
        "wave" => wave,
        "respondent" => respondent,
        "item" => item,
        "value" => value,
        "favourable" => favourable,
    )
}

/// Which nodes each asked item counts towards in each wave (the item itself, its indicator and
/// every ancestor), with the number of items each node has in that wave.
fn membership_frame(instrument: &Instrument, waves: &[WaveResponses]) -> PolarsResult<DataFrame> {
    let (mut wave, mut item, mut node) = (Vec::new(), Vec::new(), Vec::new());
    for w in waves {
        for &i in &w.items_asked {
            let it = &instrument.items[i];
            let nodes = std::iter::once(it.id.as_str())
                .chain(instrument.nodes_of(it).into_iter().map(|n| n.id.as_str()));
            for n in nodes {
                wave.push(w.wave.as_str());
                item.push(it.id.as_str());
                node.push(n);
            }
        }
    }
    let frame = df!("wave" => wave, "item" => item, "node" => node)?;
    let sizes = frame
        .clone()
        .lazy()
        .group_by_stable([col("wave"), col("node")])
        .agg([len().alias("n_items")]);
    frame
        .lazy()
        .join(
            sizes,
            [col("wave"), col("node")],
            [col("wave"), col("node")],
            JoinArgs::new(JoinType::Inner),
        )
        .collect()
}

type Key = (String, String);

/// Reads the aggregated frames back into typed rows, in wave and framework order.
fn assemble(
    instrument: &Instrument,
    waves: &[WaveResponses],
    respondent_scores: &DataFrame,
    answer_summary: &DataFrame,
    counts: &DataFrame,
    rules: &Rules,
) -> PolarsResult<Scores> {
    let mut samples: HashMap<Key, Vec<f64>> = HashMap::new();
    let mut respondents: HashMap<Key, Vec<usize>> = HashMap::new();
    let (w, n, s, r) = (
        respondent_scores.column("wave")?.str()?,
        respondent_scores.column("node")?.str()?,
        respondent_scores.column("score")?.f64()?,
        respondent_scores.column("respondent")?.u32()?,
    );
    for (((w, n), s), r) in w.iter().zip(n.iter()).zip(s.iter()).zip(r.iter()) {
        if let (Some(w), Some(n), Some(s), Some(r)) = (w, n, s, r) {
            let key: Key = (w.into(), n.into());
            respondents.entry(key.clone()).or_default().push(r as usize);
            samples.entry(key).or_default().push(s);
        }
    }

    let mut summary: HashMap<Key, (Option<f64>, usize)> = HashMap::new();
    let (w, n) = (
        answer_summary.column("wave")?.str()?,
        answer_summary.column("node")?.str()?,
    );
    let pct = answer_summary.column("pct_favorable")?.f64()?;
    let na = answer_summary.column("n_na")?.cast(&DataType::UInt64)?;
    for (((w, n), p), na) in w.iter().zip(n.iter()).zip(pct.iter()).zip(na.u64()?.iter()) {
        if let (Some(w), Some(n)) = (w, n) {
            summary.insert(
                (w.into(), n.into()),
                (p.map(|p| p * 100.0), na.unwrap_or(0) as usize),
            );
        }
    }

    let mut tallies: HashMap<Key, BTreeMap<i64, usize>> = HashMap::new();
    let (w, n) = (counts.column("wave")?.str()?, counts.column("node")?.str()?);
    let v = counts.column("value")?.f64()?;
    let c = counts.column("count")?.cast(&DataType::UInt64)?;
    for (((w, n), v), c) in w.iter().zip(n.iter()).zip(v.iter()).zip(c.u64()?.iter()) {
        if let (Some(w), Some(n), Some(v), Some(c)) = (w, n, v, c) {
            tallies
                .entry((w.into(), n.into()))
                .or_default()
                .insert(v as i64, c as usize);
        }
    }

    let mut targets: Vec<(&str, &str, &str)> = instrument
        .framework
        .nodes
        .iter()
        .map(|node| (node.level.as_str(), node.id.as_str(), node.label.as_str()))
        .collect();
    targets.extend(
        instrument
            .items
            .iter()
            .map(|i| (ITEM_LEVEL, i.id.as_str(), i.text.as_str())),
    );

    let mut rows = Vec::new();
    for wave in waves {
        for &(level, id, label) in &targets {
            let key = (wave.wave.clone(), id.to_string());
            let Some(&(pct_favorable, n_na)) = summary.get(&key) else {
                continue; // nothing of this node was asked in this wave
            };
            let sample = samples.get(&key).map(Vec::as_slice).unwrap_or_default();
            let mean = stats::mean(sample);
            let sd = stats::sd(sample);
            let ci = match (mean, sd) {
                (Some(m), Some(s)) => stats::t_interval(m, s, sample.len(), rules.confidence),
                _ => None,
            };
            rows.push(ScoreRow {
                wave: wave.wave.clone(),
                level: level.to_string(),
                id: id.to_string(),
                label: label.to_string(),
                n: sample.len(),
                mean,
                sd,
                ci,
                pct_favorable,
                counts: tallies.remove(&key).unwrap_or_default(),
                n_na,
            });
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
    let (mut wave, mut respondent, mut group) = (Vec::new(), Vec::new(), Vec::new());
    let mut sizes: BTreeMap<(String, String), usize> = BTreeMap::new();
    for w in waves {
        for (i, r) in w.respondents.iter().enumerate() {
            let g = r
                .attributes
                .get(attribute)
                .map_or(crate::map::NOT_STATED, String::as_str);
            wave.push(w.wave.as_str());
            respondent.push(i as u32);
            group.push(g);
            *sizes.entry((w.wave.clone(), g.to_string())).or_default() += 1;
        }
    }
    let groups = df!("wave" => wave, "respondent" => respondent, "group" => group).map_err(internal)?;
    let answers = answer_frame(instrument, waves).map_err(internal)?;
    let membership = membership_frame(instrument, waves).map_err(internal)?;
    let answers = answers
        .lazy()
        .join(
            membership.lazy(),
            cols_wave_item(),
            cols_wave_item(),
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            groups.lazy(),
            [col("wave"), col("respondent")],
            [col("wave"), col("respondent")],
            JoinArgs::new(JoinType::Inner),
        );
    let frame = roll_up(answers, &["wave", "group", "node", "respondent"], rules)
        .sort(
            ["wave", "group", "node", "respondent"],
            SortMultipleOptions::default(),
        )
        .collect()
        .map_err(internal)?;

    // The group mean is taken here, over scores in respondent order, as for whole waves, so
    // that it cannot depend on how the engine splits a sum.
    let read = |frame: &DataFrame| -> PolarsResult<BTreeMap<(String, String, String), Vec<f64>>> {
        let (w, g, node, score) = (
            frame.column("wave")?.str()?,
            frame.column("group")?.str()?,
            frame.column("node")?.str()?,
            frame.column("score")?.f64()?,
        );
        // Rows come sorted by key, so a key is allocated once per group, not once per row.
        let mut scores: BTreeMap<(String, String, String), Vec<f64>> = BTreeMap::new();
        let mut current: Option<((String, String, String), Vec<f64>)> = None;
        for (((w, g), node), score) in w.iter().zip(g.iter()).zip(node.iter()).zip(score.iter()) {
            let (Some(w), Some(g), Some(node), Some(score)) = (w, g, node, score) else {
                continue;
            };
            match &mut current {
                Some((key, values)) if key.0 == w && key.1 == g && key.2 == node => values.push(score),
                _ => {
                    if let Some((key, values)) = current.take() {
                        scores.insert(key, values);
                    }
                    current = Some(((w.into(), g.into(), node.into()), vec![score]));
                }
            }
        }
        if let Some((key, values)) = current {
            scores.insert(key, values);
        }
        Ok(scores)
    };
    let scores = read(&frame).map_err(internal)?;
    Ok(scores
        .into_iter()
        .map(|((wave, group, id), values)| {
            let (mean, sd) = (stats::mean(&values), stats::sd(&values));
            GroupScore {
                respondents: sizes.get(&(wave.clone(), group.clone())).copied().unwrap_or(0),
                n: values.len(),
                mean,
                sd,
                ci: mean
                    .zip(sd)
                    .and_then(|(m, s)| stats::t_interval(m, s, values.len(), rules.confidence)),
                wave,
                group,
                id,
            }
        })
        .collect())
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
    for a in instrument.attributes.iter().filter(|a| a.about.is_some()) {
        for w in waves {
            let labels = a
                .options
                .iter()
                .map(|o| o.label().to_string())
                .chain(std::iter::once(crate::map::NOT_STATED.to_string()));
            let counts = labels
                .map(|label| {
                    let n = w
                        .respondents
                        .iter()
                        .filter(|r| {
                            r.attributes
                                .get(&a.id)
                                .map_or(crate::map::NOT_STATED, String::as_str)
                                == label
                        })
                        .count();
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
