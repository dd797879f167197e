//! Groups over time: each group of a breakdown attribute (e.g. role = Funder) and its change of
//! every node of the tested levels between the pairs of waves the whole-wave changes compare
//! ([`wave_pairs`]), tested as a whole-wave change is (Welch's t, or the partially overlapping
//! t when the group's respondents are linked across the pair; Hedges' g; the same verdict
//! rules). Benjamini-Hochberg q and the false-coverage-rate intervals are taken within the
//! family of one attribute × one pair of waves × one level. A group under the suppression
//! threshold in either wave is not tested.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{adjust, overlap, split, test, wave_pairs, Comparison, PanelKeys, Test, WavePair};
use crate::rules::CompareRules;
use crate::score::{ScoreRow, Scores};
use crate::stats::Summary;

/// Per wave, each respondent's group (by respondent index).
pub type GroupMembers = BTreeMap<String, Vec<String>>;

/// One breakdown attribute: who is in which group, and the report's suppression rule.
pub struct Breakdown<'a> {
    pub attribute: &'a str,
    pub members: &'a GroupMembers,
    /// Whether a group of so many respondents, with so many scores of a node, shows no numbers.
    pub suppressed: &'a dyn Fn(usize, usize) -> bool,
}

/// The change of one node for one group between two waves.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupChange {
    pub attribute: String,
    pub group: String,
    /// The group's respondents in each wave (with or without a score of the node).
    pub respondents_from: usize,
    pub respondents_to: usize,
    /// The group is under the suppression threshold in either wave: not tested, no numbers.
    pub suppressed: bool,
    /// The change as a whole-wave change is given, over the group's respondents only.
    pub change: Comparison,
}

/// Every group present in both waves of a pair, for every node of `levels` scored in both.
pub fn compare_group_changes(
    scores: &Scores,
    breakdown: &Breakdown,
    panels: Option<&PanelKeys>,
    levels: &[&str],
    confidence: f64,
    rules: &CompareRules,
) -> Vec<GroupChange> {
    let mut out = Vec::new();
    for pair in wave_pairs(&scores.waves) {
        let members = &breakdown.members;
        let (Some(from), Some(to)) = (members.get(&pair.from), members.get(&pair.to)) else {
            continue;
        };
        let names: Vec<&String> = {
            let in_from: BTreeSet<&String> = from.iter().collect();
            to.iter()
                .collect::<BTreeSet<_>>()
                .intersection(&in_from)
                .copied()
                .collect()
        };
        let size = |m: &[String], name: &String| m.iter().filter(|g| *g == name).count();
        let sizes: Vec<(usize, usize)> = names.iter().map(|n| (size(from, n), size(to, n))).collect();
        let test = Tester {
            scores,
            breakdown,
            panels,
            pair: &pair,
            confidence,
            rules,
        };
        let mut family: Vec<GroupChange> = Vec::new();
        for row in scores
            .rows
            .iter()
            .filter(|r| r.wave == pair.from && levels.contains(&r.level.as_str()))
        {
            let by_from = by_group(scores, &pair.from, &row.id, from, &names);
            let by_to = by_group(scores, &pair.to, &row.id, to, &names);
            let (Some(by_from), Some(by_to)) = (by_from, by_to) else {
                continue;
            };
            for (g, name) in names.iter().enumerate() {
                family.push(test.change(row, name, sizes[g], (&by_from[g], &by_to[g])));
            }
        }
        let mut tested: Vec<Comparison> = family.iter().map(|g| g.change.clone()).collect();
        adjust(&mut tested, rules);
        for (mut g, c) in family.into_iter().zip(tested) {
            g.change = c;
            out.push(g);
        }
    }
    out
}

/// What testing one group's change of one node over one pair of waves takes.
struct Tester<'a> {
    scores: &'a Scores,
    breakdown: &'a Breakdown<'a>,
    panels: Option<&'a PanelKeys>,
    pair: &'a WavePair,
    confidence: f64,
    rules: &'a CompareRules,
}

impl Tester<'_> {
    /// The group's change of `row`'s node from its scores in each wave (`values`), before the
    /// family's q; a group suppressed in either wave is not tested.
    fn change(
        &self,
        row: &ScoreRow,
        name: &String,
        respondents: (usize, usize),
        values: (&[f64], &[f64]),
    ) -> GroupChange {
        let (a, b) = (Summary::of(values.0), Summary::of(values.1));
        let suppressed = self.breakdown.suppressed;
        let hidden = suppressed(respondents.0, a.n) || suppressed(respondents.1, b.n);
        let mut c = Comparison::untested(row, self.pair, (&a, &b), self.scores, self.confidence);
        if hidden {
            c.interval = None;
            c.note = "not tested: the group is too small to show in one of the waves".into();
        } else {
            test(&mut c, &a, &b, self.confidence, self.rules);
            let members = self.breakdown.members;
            let keep = |wave: &str, r: usize| members.get(wave).and_then(|m| m.get(r)) == Some(name);
            let linked = self
                .panels
                .filter(|_| Test::primary_for(&c.level) == Test::Welch)
                .and_then(|p| split(self.scores, p, self.pair, &row.id, &keep));
            if let Some(linked) = linked {
                overlap(&mut c, &linked, &a, &b, self.confidence);
            }
        }
        GroupChange {
            attribute: self.breakdown.attribute.to_string(),
            group: name.to_string(),
            respondents_from: respondents.0,
            respondents_to: respondents.1,
            suppressed: hidden,
            change: c,
        }
    }
}

/// One node's kept scores of a wave split by group (`names` order), each in respondent order
/// so that a group's mean is the one groups.csv gives (summed in the same order).
fn by_group(
    scores: &Scores,
    wave: &str,
    id: &str,
    members: &[String],
    names: &[&String],
) -> Option<Vec<Vec<f64>>> {
    let key = (wave.to_string(), id.to_string());
    let (values, who) = (scores.samples.get(&key)?, scores.respondents.get(&key)?);
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut out = vec![Vec::new(); names.len()];
    for (&r, &v) in who.iter().zip(values) {
        if let Some(&g) = members.get(r).and_then(|m| index.get(m.as_str())) {
            out[g].push(v);
        }
    }
    Some(out)
}

impl Comparison {
    /// A row of `row`'s node between the waves of `pair` with the samples' sizes, means and
    /// Welch interval, before any test.
    pub(super) fn untested(
        row: &ScoreRow,
        pair: &WavePair,
        (a, b): (&Summary, &Summary),
        scores: &Scores,
        confidence: f64,
    ) -> Comparison {
        Comparison {
            level: row.level.clone(),
            id: row.id.clone(),
            label: row.label.clone(),
            pair: pair.clone(),
            n_from: a.n,
            n_to: b.n,
            mean_from: a.mean,
            mean_to: b.mean,
            diff: a.mean.zip(b.mean).map(|(x, y)| y - x),
            interval: crate::stats::welch_interval_of(a, b, confidence),
            fcr: None,
            outcome: None,
            p_welch: None,
            p_mann_whitney: None,
            n_linked: 0,
            lower_is_better: scores.lower_is_better.contains(&row.id),
            direction: super::Direction::NotTested,
            note: String::new(),
            tested_with: None,
        }
    }
}
