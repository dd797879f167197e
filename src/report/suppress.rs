//! The suppression rule, applied once: scores, changes, groups, theme counts and alphas resting
//! on fewer respondents (or complete cases) than `report.suppress_below` lose their numbers
//! here. Every table, sentence and chart of the report reads these copies, never the raw ones.

use crate::comments::themes::ThemeRow;
use crate::compare::{Comparison, Direction, GroupChange, GroupComparison, PanelComparison};
use crate::map::NOT_STATED;
use crate::reliability::Reliability;
use crate::score::{GroupScore, ScoreRow};
use crate::weights::Weighting;

use super::Inputs;

/// Whether a count of respondents (or complete cases) is too small to show numbers for.
pub fn suppressed(n: usize, threshold: usize) -> bool {
    n < threshold
}

/// Whether a group shows no numbers: fewer respondents, or fewer answers, than the
/// threshold. The one rule of groups.csv and comments.csv.
pub fn group_suppressed(respondents: usize, n: usize, threshold: usize) -> bool {
    suppressed(respondents, threshold) || suppressed(n, threshold)
}

/// The analysis' rows as the report may show them; each flag says the row is suppressed.
#[derive(Debug, Clone)]
pub(super) struct Shown {
    pub scores: Vec<(ScoreRow, bool)>,
    pub comparisons: Vec<Comparison>,
    pub panel: Vec<PanelComparison>,
    /// A suppressed alpha keeps its n but no alpha, with or without any item.
    pub reliability: Vec<(Reliability, bool)>,
    /// (attribute, score) for every wave, group and node, groups in the attribute's declared
    /// order; suppressed groups keep no numbers.
    pub groups: Vec<(String, GroupScore, bool)>,
    /// Theme counts, and whether the row is a suppressed group's (its counts then not shown).
    pub comments: Vec<(ThemeRow, bool)>,
    /// Each tested group against the rest of its wave (only groups and rests large enough).
    pub group_tests: Vec<GroupComparison>,
    /// Each group's change between compared waves, in groups.csv's order of groups; a group
    /// under the threshold in either wave keeps its counts and no other numbers.
    pub group_changes: Vec<GroupChange>,
    /// Weighted estimates, with the numbers of suppressed rows taken out; `None` unweighted.
    pub weighted: Option<Weighting>,
}

impl Shown {
    pub fn of(i: &Inputs, waves: &[String]) -> Shown {
        let t = i.options.suppress_below;
        let groups = groups(i, waves, t);
        Shown {
            scores: i.scores.rows.iter().map(|r| score(r, t)).collect(),
            comparisons: i.comparisons.iter().map(|c| comparison(c, t)).collect(),
            panel: i.panel.iter().map(|c| panel(c, t)).collect(),
            reliability: i.reliability.iter().map(|r| reliability(r, t)).collect(),
            weighted: i.weights.map(|w| w.suppressed(t, &groups)),
            groups,
            comments: i
                .comments
                .iter()
                .map(|r| {
                    // Whole-wave rows are never suppressed: the wave's n is shown everywhere.
                    let hidden = !r.attribute.is_empty() && group_suppressed(r.respondents, r.nonempty, t);
                    (r.clone(), hidden)
                })
                .collect(),
            group_tests: i
                .group_tests
                .iter()
                .filter(|g| !suppressed(g.n_group, t) && !suppressed(g.n_rest, t))
                .cloned()
                .collect(),
            group_changes: super::group_changes::ordered(i)
                .into_iter()
                .map(group_change)
                .collect(),
        }
    }

    /// A node's alpha in a wave, and whether it is suppressed.
    pub fn alpha(&self, id: &str, wave: &str) -> Option<&(Reliability, bool)> {
        self.reliability
            .iter()
            .find(|(r, _)| r.id == id && r.wave == wave)
    }
}

fn score(r: &ScoreRow, t: usize) -> (ScoreRow, bool) {
    let mut r = r.clone();
    let hidden = suppressed(r.n, t);
    if hidden {
        r.mean = None;
        r.sd = None;
        r.ci = None;
        r.pct_favorable = None;
        r.counts.clear();
    }
    (r, hidden)
}

fn comparison(c: &Comparison, t: usize) -> Comparison {
    let mut c = c.clone();
    if suppressed(c.n_from, t) || suppressed(c.n_to, t) {
        c.mean_from = None;
        c.mean_to = None;
        c.diff = None;
        c.interval = None;
        c.fcr = None;
        c.outcome = None;
        c.p_welch = None;
        c.p_mann_whitney = None;
        c.direction = Direction::NotTested;
        c.note = format!("suppressed: fewer than {t} respondents");
    }
    c
}

fn panel(c: &PanelComparison, t: usize) -> PanelComparison {
    let mut c = c.clone();
    if suppressed(c.n_pairs, t) {
        c.mean_diff = None;
        c.effect = None;
        c.paired_t = None;
        c.wilcoxon = None;
        c.q = None;
        c.direction = Direction::NotTested;
        c.note = format!("suppressed: fewer than {t} linked respondents");
    }
    c
}

fn reliability(r: &Reliability, t: usize) -> (Reliability, bool) {
    let mut r = r.clone();
    let hidden = suppressed(r.n_complete, t);
    if hidden {
        r.alpha = None;
        r.if_deleted.iter_mut().for_each(|a| *a = None);
    }
    (r, hidden)
}

/// Every group score, by wave, then the attribute's declared order (not stated last), then
/// framework order.
fn groups(i: &Inputs, waves: &[String], t: usize) -> Vec<(String, GroupScore, bool)> {
    let order = i.instrument.framework.order();
    let mut out = Vec::new();
    for (attribute, scores) in i.groups {
        let attr = i.instrument.attributes.iter().find(|a| a.id == *attribute);
        let mut ordered: Vec<&GroupScore> = scores.iter().collect();
        ordered.sort_by_key(|s| {
            (
                waves.iter().position(|w| *w == s.wave),
                s.group == NOT_STATED,
                attr.map(|a| a.rank(&s.group)),
                order.get(s.id.as_str()).copied(),
            )
        });
        for s in ordered {
            let hidden = group_suppressed(s.respondents, s.n, t);
            let mut s = s.clone();
            if hidden {
                s.mean = None;
                s.sd = None;
                s.ci = None;
            }
            out.push((attribute.clone(), s, hidden));
        }
    }
    out
}

/// A group change with no numbers but its counts when the group is under the threshold in
/// either wave (the compare stage marks it `suppressed` by [`group_suppressed`]).
fn group_change(mut g: GroupChange) -> GroupChange {
    if g.suppressed {
        let c = &mut g.change;
        (c.mean_from, c.mean_to, c.diff) = (None, None, None);
        (c.interval, c.fcr, c.outcome) = (None, None, None);
        (c.p_welch, c.p_mann_whitney) = (None, None);
    }
    g
}
