//! Compare: what changed between waves, for every item and node, on the respondent scores kept
//! by the score stage. Waves are independent samples (partner surveys are anonymous and the
//! respondent mix changes from year to year). Items (single ordinal answers) are tested with
//! Mann-Whitney U and Cliff's delta; indicators, outcomes and functions (means of items) with
//! Welch's t and Hedges' g. p-values are adjusted by Benjamini-Hochberg within each family (one
//! pair of waves × one level), and a change is called improved or declined only when q is
//! below the configured alpha and the effect is at least the configured size.
//!
//! A node measured by one item alone has that item's answers: the answers are tested once (see
//! [`SameAnswers`]), so the node and its item never carry two verdicts. Every t-interval of a
//! Benjamini-Hochberg family is also given at the false-coverage-rate level of its family (see
//! [`FcrInterval`]), so that such an interval excludes zero exactly when q is below alpha.

mod group_change;

pub use group_change::{compare_group_changes, Breakdown, GroupChange, GroupMembers};

use crate::instrument::Instrument;
use crate::rules::CompareRules;
use crate::score::{ScoreRow, Scores, ITEM_LEVEL};
use crate::stats::{self, Magnitude};

/// One compared pair of waves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WavePair {
    pub from: String,
    pub to: String,
}

/// The pairs compared: each wave with the next, and the first with the last when there are
/// more than two waves.
pub fn wave_pairs(waves: &[String]) -> Vec<WavePair> {
    let mut pairs: Vec<WavePair> = waves
        .windows(2)
        .map(|w| WavePair {
            from: w[0].clone(),
            to: w[1].clone(),
        })
        .collect();
    if waves.len() > 2 {
        pairs.push(WavePair {
            from: waves[0].clone(),
            to: waves[waves.len() - 1].clone(),
        });
    }
    pairs
}

/// The test that decides a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    Welch,
    MannWhitney,
    /// Welch's test extended to waves that share respondents (Derrick, Toher & White 2017).
    PartiallyOverlapping,
}

impl Test {
    pub fn name(self) -> &'static str {
        match self {
            Test::Welch => "Welch t",
            Test::MannWhitney => "Mann-Whitney U",
            Test::PartiallyOverlapping => "partially overlapping t",
        }
    }

    pub fn effect_measure(self) -> &'static str {
        match self {
            Test::Welch | Test::PartiallyOverlapping => "Hedges g",
            Test::MannWhitney => "Cliff's delta",
        }
    }

    /// Items are single ordinal answers; every other level is a mean of items.
    pub fn primary_for(level: &str) -> Test {
        if level == ITEM_LEVEL {
            Test::MannWhitney
        } else {
            Test::Welch
        }
    }
}

/// The verdict on a change, by the rules in [`CompareRules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Declined,
    NoReliableChange,
    /// q is below alpha, so the difference is reliable, but its effect is below the configured
    /// size (negligible, with the default size small): real, and too small to count.
    TooSmall,
    /// Too few scores, or nothing to test (see the note).
    NotTested,
}

impl Direction {
    /// The verdict with its reason, when there is one: "no reliable change (q = 0.31 ...)".
    pub fn with_note(self, note: &str) -> String {
        if note.is_empty() {
            self.word().to_string()
        } else {
            format!("{} ({note})", self.word())
        }
    }

    /// The verdict on a reliable change of sign `e`, by which way is better.
    pub fn of_change(e: f64, lower_is_better: bool) -> Direction {
        if (e > 0.0) != lower_is_better {
            Direction::Improved
        } else {
            Direction::Declined
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Direction::Improved => "improved",
            Direction::Declined => "declined",
            Direction::NoReliableChange => "no reliable change",
            Direction::TooSmall => "reliable but too small",
            Direction::NotTested => "not tested",
        }
    }
}

/// The primary test's result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub test: Test,
    /// t for Welch, U (of the later wave) for Mann-Whitney.
    pub statistic: f64,
    /// Degrees of freedom (Welch only).
    pub df: Option<f64>,
    pub p: f64,
    /// Benjamini-Hochberg q within the family.
    pub q: f64,
    /// Hedges' g or Cliff's delta, positive when the later wave is higher.
    pub effect: Option<f64>,
    pub magnitude: Option<Magnitude>,
}

/// The change of one node between two waves.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub level: String,
    pub id: String,
    pub label: String,
    pub pair: WavePair,
    pub n_from: usize,
    pub n_to: usize,
    pub mean_from: Option<f64>,
    pub mean_to: Option<f64>,
    /// mean_to − mean_from.
    pub diff: Option<f64>,
    /// Welch interval of the difference; `None` when it cannot be computed.
    pub interval: Option<stats::WelchInterval>,
    /// The same interval at the family's false-coverage-rate level.
    pub fcr: Option<FcrInterval>,
    pub outcome: Option<Outcome>,
    /// Respondents linked across the pair by the panel key (0 without one).
    pub n_linked: usize,
    /// Both independent tests' p, whichever is primary.
    pub p_welch: Option<f64>,
    pub p_mann_whitney: Option<f64>,
    /// A decrease is the improvement (the node's framework direction).
    pub lower_is_better: bool,
    pub direction: Direction,
    /// Why a comparison was not tested, or is not called a change.
    pub note: String,
    /// The id of the node whose test this row carries, tested on the same answers (see
    /// [`SameAnswers`]); `None` for a row tested on its own.
    pub tested_with: Option<String>,
}

/// Per wave, each respondent's hashed panel key (None when the row has none).
pub type PanelKeys = std::collections::BTreeMap<String, Vec<Option<String>>>;

/// One node's scores in two waves split by the panel key: the linked respondents' pairs and
/// the respondents seen in one wave only.
struct Split {
    paired_a: Vec<f64>,
    paired_b: Vec<f64>,
    only_a: Vec<f64>,
    only_b: Vec<f64>,
}

/// The respondents kept (`keep(wave, respondent)`: all of them, or one group's) are split.
fn split(
    scores: &Scores,
    panels: &PanelKeys,
    pair: &WavePair,
    id: &str,
    keep: &dyn Fn(&str, usize) -> bool,
) -> Option<Split> {
    let keyed = |wave: &str| -> Option<Vec<(Option<String>, f64)>> {
        let key = (wave.to_string(), id.to_string());
        let (values, who, keys) = (
            scores.samples.get(&key)?,
            scores.respondents.get(&key)?,
            panels.get(wave)?,
        );
        Some(
            who.iter()
                .zip(values)
                .filter(|(&r, _)| keep(wave, r))
                .map(|(&r, &v)| (keys.get(r).cloned().flatten(), v))
                .collect(),
        )
    };
    let (a, b) = (keyed(&pair.from)?, keyed(&pair.to)?);
    // A key held by two respondents of one wave links nobody.
    let unique = |side: &[(Option<String>, f64)]| {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for k in side.iter().filter_map(|(k, _)| k.as_deref()) {
            *counts.entry(k).or_default() += 1;
        }
        counts
            .into_iter()
            .filter(|(_, n)| *n == 1)
            .map(|(k, _)| k.to_string())
            .collect::<std::collections::BTreeSet<String>>()
    };
    let (ua, ub) = (unique(&a), unique(&b));
    let linked: std::collections::BTreeSet<&String> = ua.intersection(&ub).collect();
    let value_of = |side: &[(Option<String>, f64)], k: &str| {
        side.iter()
            .find(|(key, _)| key.as_deref() == Some(k))
            .map(|(_, v)| *v)
    };
    let mut s = Split {
        paired_a: Vec::new(),
        paired_b: Vec::new(),
        only_a: Vec::new(),
        only_b: Vec::new(),
    };
    for k in &linked {
        s.paired_a.extend(value_of(&a, k));
        s.paired_b.extend(value_of(&b, k));
    }
    let is_linked = |k: &Option<String>| k.as_ref().is_some_and(|k| linked.contains(k));
    s.only_a = a.iter().filter(|(k, _)| !is_linked(k)).map(|(_, v)| *v).collect();
    s.only_b = b.iter().filter(|(k, _)| !is_linked(k)).map(|(_, v)| *v).collect();
    Some(s)
}

/// Every node present in both waves of every pair, in the order of the scores, treating the
/// waves as independent samples.
pub fn compare(scores: &Scores, confidence: f64, rules: &CompareRules) -> Vec<Comparison> {
    compare_linked(scores, None, &SameAnswers::default(), confidence, rules)
}

/// As [`compare`]; with panel keys, the means of items (every level but the items) are tested
/// with the partially overlapping samples t-test, which uses the linked respondents' pairs and
/// the respondents seen in one wave only together. Rows of one set of `same` answers are tested
/// once (see [`SameAnswers`]).
pub fn compare_linked(
    scores: &Scores,
    panels: Option<&PanelKeys>,
    same: &SameAnswers,
    confidence: f64,
    rules: &CompareRules,
) -> Vec<Comparison> {
    let mut out = Vec::new();
    for pair in wave_pairs(&scores.waves) {
        let start = out.len();
        for from in scores.rows.iter().filter(|r| r.wave == pair.from) {
            if scores.row(&pair.to, &from.id).is_none() {
                continue;
            }
            let empty = stats::Summary::default();
            let sample = |wave: &str| scores.summary(wave, &from.id).unwrap_or(&empty);
            let (a, b) = (sample(&pair.from), sample(&pair.to));
            let mut c = Comparison::untested(from, &pair, (a, b), scores, confidence);
            let linked = panels
                .filter(|_| Test::primary_for(&c.level) == Test::Welch)
                .and_then(|p| split(scores, p, &pair, &from.id, &|_, _| true));
            test(&mut c, a, b, confidence, rules);
            if let Some(linked) = linked {
                overlap(&mut c, &linked, a, b, confidence);
            }
            out.push(c);
        }
        let family = &mut out[start..];
        let ids: Vec<&str> = family.iter().map(|c| c.id.as_str()).collect();
        let echoes = same.echoes(&ids, &pair, scores);
        // An echo takes no part in its own level's family: its answers are tested once.
        for &(echo, _) in &echoes {
            family[echo].outcome = None;
        }
        adjust(family, rules);
        for (echo, holder) in echoes {
            let tested = family[holder].clone();
            family[echo].take_test_of(&tested);
        }
    }
    out
}

/// The rows tested on the same answers: a node measured by one item alone (its respondents'
/// scores are that item's answers), the nodes above it measured by that item alone too, and the
/// item. Each set lists the nodes top first, then the item. The set's top node present in a
/// pair is tested, in its own level's family; the rest of the set (its echoes) carry that test,
/// its q and verdict, and take no part in their own levels' families.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SameAnswers(pub Vec<Vec<String>>);

impl SameAnswers {
    /// The sets of an instrument: every item with the nodes it alone measures.
    pub fn of(instrument: &Instrument) -> SameAnswers {
        let sets = instrument
            .items
            .iter()
            .filter_map(|item| {
                let mut set: Vec<String> = instrument
                    .nodes_of(item)
                    .iter()
                    .take_while(|n| instrument.items_under(&n.id).len() == 1)
                    .map(|n| n.id.clone())
                    .collect();
                set.reverse();
                (!set.is_empty()).then(|| {
                    set.push(item.id.clone());
                    set
                })
            })
            .collect();
        SameAnswers(sets)
    }

    /// (echo, holder) indices into one pair's rows (`ids`). A node counts only when its scores in both
    /// waves summarise exactly as its item's do (a node's roll-up could drop respondents the
    /// item keeps); the holder is the set's top node that does.
    fn echoes(&self, ids: &[&str], pair: &WavePair, scores: &Scores) -> Vec<(usize, usize)> {
        let index = |id: &str| ids.iter().position(|i| *i == id);
        let summaries = |id: &str| (scores.summary(&pair.from, id), scores.summary(&pair.to, id));
        let mut out = Vec::new();
        for set in &self.0 {
            let Some((item, nodes)) = set.split_last() else {
                continue;
            };
            let Some(item_row) = index(item) else { continue };
            let answers = summaries(item);
            if answers.0.is_none() || answers.1.is_none() {
                continue;
            }
            let mut same: Vec<usize> = nodes
                .iter()
                .filter(|id| summaries(id) == answers)
                .filter_map(|id| index(id))
                .collect();
            if same.is_empty() {
                continue;
            }
            let holder = same.remove(0);
            same.push(item_row);
            out.extend(same.into_iter().map(|echo| (echo, holder)));
        }
        out
    }
}

impl Comparison {
    /// Takes the test, interval, q and verdict of the row tested on the same answers.
    fn take_test_of(&mut self, holder: &Comparison) {
        self.direction = holder.direction;
        self.tested_with = Some(holder.id.clone());
        if holder.outcome.is_none() {
            // Not tested: for the same reason as the holder (the same answers).
            self.note = holder.note.clone();
            return;
        }
        self.interval = holder.interval;
        self.fcr = holder.fcr;
        self.outcome = holder.outcome;
        self.n_linked = holder.n_linked;
        let tested = format!(
            "tested once with {} {} (the same answers)",
            holder.level, holder.id
        );
        self.note = match holder.note.as_str() {
            "" => tested,
            why => format!("{why}; {tested}"),
        };
    }
}

/// Runs both tests and keeps the level's primary one; notes why when nothing can be tested.
/// The tests of independent samples need only each sample's summary.
fn test(c: &mut Comparison, a: &stats::Summary, b: &stats::Summary, confidence: f64, rules: &CompareRules) {
    if a.n < rules.min_n || b.n < rules.min_n {
        let (wave, n) = if a.n < rules.min_n {
            (&c.pair.from, a.n)
        } else {
            (&c.pair.to, b.n)
        };
        c.note = format!(
            "not tested: {n} valid score(s) in {wave}, fewer than {}",
            rules.min_n
        );
        return;
    }
    let welch = stats::welch_test_of(a, b, confidence);
    let mann_whitney = stats::mann_whitney_of(a, b);
    c.p_welch = welch.map(|w| w.p);
    c.p_mann_whitney = mann_whitney.map(|m| m.p);
    let test = Test::primary_for(&c.level);
    let primary = match test {
        Test::Welch | Test::PartiallyOverlapping => welch.map(|w| {
            let g = stats::hedges_g_of(a, b);
            (w.t, Some(w.df), w.p, g, g.map(Magnitude::of_hedges_g))
        }),
        Test::MannWhitney => mann_whitney.map(|m| {
            let d = stats::cliffs_delta_of(a, b);
            (m.u, None, m.p, d, d.map(Magnitude::of_cliffs_delta))
        }),
    };
    match primary {
        Some((statistic, df, p, effect, magnitude)) => {
            c.outcome = Some(Outcome {
                test,
                statistic,
                df,
                p,
                q: p,
                effect,
                magnitude,
            })
        }
        None => c.note = "not computable: the scores do not vary in either wave".to_string(),
    }
}

/// Replaces Welch's test by the partially overlapping samples t-test (Derrick, Toher & White
/// 2017, T_new2) when at least two respondents are linked across the pair.
fn overlap(c: &mut Comparison, s: &Split, a: &stats::Summary, b: &stats::Summary, confidence: f64) {
    c.n_linked = s.paired_a.len();
    if c.outcome.is_none() || c.n_linked < 2 {
        return;
    }
    let Some(t) = stats::partially_overlapping_t(&s.paired_a, &s.paired_b, &s.only_a, &s.only_b, confidence)
    else {
        return;
    };
    let g = stats::hedges_g_of(a, b);
    c.interval = Some(stats::WelchInterval {
        diff: t.diff,
        df: t.df,
        se: t.se,
        low: t.low,
        high: t.high,
    });
    c.outcome = Some(Outcome {
        test: Test::PartiallyOverlapping,
        statistic: t.t,
        df: Some(t.df),
        p: t.p,
        q: t.p,
        effect: g,
        magnitude: g.map(Magnitude::of_hedges_g),
    });
}

/// A tested row of a family: its level, its primary test's outcome and its interval.
trait Tested {
    fn level(&self) -> &str;
    fn outcome_mut(&mut self) -> &mut Option<Outcome>;
    fn interval(&self) -> Option<stats::WelchInterval>;
    fn set_fcr(&mut self, fcr: Option<FcrInterval>);
}

impl Tested for Comparison {
    fn level(&self) -> &str {
        &self.level
    }
    fn outcome_mut(&mut self) -> &mut Option<Outcome> {
        &mut self.outcome
    }
    fn interval(&self) -> Option<stats::WelchInterval> {
        self.interval
    }
    fn set_fcr(&mut self, fcr: Option<FcrInterval>) {
        self.fcr = fcr;
    }
}

impl Tested for GroupComparison {
    fn level(&self) -> &str {
        &self.level
    }
    fn outcome_mut(&mut self) -> &mut Option<Outcome> {
        &mut self.outcome
    }
    fn interval(&self) -> Option<stats::WelchInterval> {
        self.interval
    }
    fn set_fcr(&mut self, fcr: Option<FcrInterval>) {
        self.fcr = fcr;
    }
}

/// A t-interval of a Benjamini-Hochberg family at its false-coverage-rate level (Benjamini &
/// Yekutieli 2005): with R of the family's m tested rows below alpha, the interval at
/// confidence 1 − R·alpha/m, which bounds the expected share of selected rows whose interval
/// misses the true difference by alpha. Each row's t-interval inverts its test, so the interval
/// excludes zero exactly when its q is below alpha. With no row selected the level is
/// 1 − alpha/m (R taken as 1), at which every interval of the family includes zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FcrInterval {
    /// 1 − max(R, 1)·alpha/m.
    pub level: f64,
    pub low: f64,
    pub high: f64,
}

impl FcrInterval {
    /// `interval`'s difference and standard error at `level`.
    fn of(interval: &stats::WelchInterval, level: f64) -> Option<FcrInterval> {
        let half = stats::t_critical(level, interval.df)? * interval.se;
        Some(FcrInterval {
            level,
            low: interval.diff - half,
            high: interval.diff + half,
        })
    }

    /// Whether the interval lies wholly on one side of zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The false-coverage-rate intervals of each level of a family whose q are set; only
/// t-tested rows have one (the Mann-Whitney test of an item inverts to no interval of the mean
/// difference), though every tested row counts in m.
fn fcr_by_level<T: Tested>(family: &mut [T], alpha: f64) {
    for members in tested_by_level(family) {
        let selected = members
            .iter()
            .filter(|&&i| family[i].outcome_mut().is_some_and(|o| o.q < alpha))
            .count();
        let at = 1.0 - selected.max(1) as f64 * alpha / members.len() as f64;
        for i in members {
            let t_based = family[i]
                .outcome_mut()
                .is_some_and(|o| o.test != Test::MannWhitney);
            let fcr = family[i]
                .interval()
                .filter(|_| t_based)
                .and_then(|w| FcrInterval::of(&w, at));
            family[i].set_fcr(fcr);
        }
    }
}

/// The rows of a family that were tested, one list per level (levels in name order).
fn tested_by_level<T: Tested>(family: &mut [T]) -> Vec<Vec<usize>> {
    let mut levels: Vec<String> = family.iter().map(|c| c.level().to_string()).collect();
    levels.sort();
    levels.dedup();
    levels
        .iter()
        .map(|level| {
            (0..family.len())
                .filter(|&i| family[i].level() == level && family[i].outcome_mut().is_some())
                .collect()
        })
        .collect()
}

/// Benjamini-Hochberg q within each level of a family, over the rows that were tested.
fn benjamini_hochberg_by_level<T: Tested>(family: &mut [T]) {
    for members in tested_by_level(family) {
        let p: Vec<f64> = members
            .iter()
            .filter_map(|&i| family[i].outcome_mut().map(|o| o.p))
            .collect();
        for (&i, q) in members.iter().zip(stats::benjamini_hochberg(&p)) {
            if let Some(o) = family[i].outcome_mut().as_mut() {
                o.q = q;
            }
        }
    }
}

/// The verdict on an adjusted outcome, and why it is no change when it is none.
fn verdict(o: &Outcome, lower_is_better: bool, rules: &CompareRules) -> (Direction, String) {
    let large_enough = o.magnitude.is_some_and(|m| m >= rules.min_effect);
    match o.effect {
        Some(e) if o.q < rules.alpha && large_enough => {
            (Direction::of_change(e, lower_is_better), String::new())
        }
        _ if o.q >= rules.alpha => (
            Direction::NoReliableChange,
            format!("q = {:.3} is not below {}", o.q, rules.alpha),
        ),
        _ => (
            Direction::TooSmall,
            format!(
                "effect is {}, below {}",
                o.magnitude.map_or("not computable", |m| m.word()),
                rules.min_effect.word()
            ),
        ),
    }
}

/// Benjamini-Hochberg within each level of one wave pair, the false-coverage-rate intervals,
/// then the verdicts.
fn adjust(family: &mut [Comparison], rules: &CompareRules) {
    benjamini_hochberg_by_level(family);
    fcr_by_level(family, rules.alpha);
    for c in family.iter_mut() {
        let Some(o) = c.outcome else { continue };
        let (direction, note) = verdict(&o, c.lower_is_better, rules);
        c.direction = direction;
        if !note.is_empty() {
            c.note = note;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_consecutive_then_first_to_last() {
        let waves: Vec<String> = ["2023", "2024", "2025"].map(String::from).to_vec();
        let pairs: Vec<(String, String)> = wave_pairs(&waves).into_iter().map(|p| (p.from, p.to)).collect();
        let expected = [("2023", "2024"), ("2024", "2025"), ("2023", "2025")]
            .map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(pairs, expected);
        assert_eq!(wave_pairs(&waves[..2]).len(), 1);
        assert!(wave_pairs(&waves[..1]).is_empty());
    }
}

/// The change of one node for the respondents linked across two waves by the panel key.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelComparison {
    pub level: String,
    pub id: String,
    pub label: String,
    pub pair: WavePair,
    /// Respondents with a score in both waves.
    pub n_pairs: usize,
    /// Mean of (later − earlier) over the linked respondents.
    pub mean_diff: Option<f64>,
    /// d_z = mean difference / SD of the differences.
    pub effect: Option<f64>,
    /// (t, df, p) of the paired t-test.
    pub paired_t: Option<(f64, f64, f64)>,
    /// (W, p) of the Wilcoxon signed-rank test.
    pub wilcoxon: Option<(f64, f64)>,
    /// Benjamini-Hochberg q of the primary test (Wilcoxon for items, paired t otherwise)
    /// within the pair of waves and level.
    pub q: Option<f64>,
    /// A decrease is the improvement (the node's framework direction).
    pub lower_is_better: bool,
    pub direction: Direction,
    pub note: String,
    /// The node whose paired test decides this row, on the same answers (see [`SameAnswers`]).
    pub tested_with: Option<String>,
}

/// Linked-respondent comparisons: for every pair of waves and node, the respondents whose
/// hashed panel key appears once in each wave. `panels` gives, per wave, each respondent's key.
/// Rows of one set of `same` answers get one verdict, by the set's top node's paired test.
pub fn compare_panel(
    scores: &Scores,
    panels: &PanelKeys,
    same: &SameAnswers,
    rules: &CompareRules,
) -> Vec<PanelComparison> {
    let keyed = |wave: &str, id: &str| -> std::collections::BTreeMap<String, f64> {
        let key = (wave.to_string(), id.to_string());
        let (Some(values), Some(who), Some(keys)) = (
            scores.samples.get(&key),
            scores.respondents.get(&key),
            panels.get(wave),
        ) else {
            return Default::default();
        };
        let mut seen: std::collections::BTreeMap<String, Option<f64>> = Default::default();
        for (&r, &v) in who.iter().zip(values) {
            if let Some(k) = keys.get(r).cloned().flatten() {
                // A key used by two respondents of one wave links nobody.
                seen.entry(k).and_modify(|e| *e = None).or_insert(Some(v));
            }
        }
        seen.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect()
    };
    let mut out = Vec::new();
    for pair in wave_pairs(&scores.waves) {
        let start = out.len();
        for row in scores.rows.iter().filter(|r| r.wave == pair.from) {
            let (from, to) = (keyed(&pair.from, &row.id), keyed(&pair.to, &row.id));
            let (a, b): (Vec<f64>, Vec<f64>) = from
                .iter()
                .filter_map(|(k, x)| to.get(k).map(|y| (*x, *y)))
                .unzip();
            let diffs: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
            let mut c = PanelComparison {
                level: row.level.clone(),
                id: row.id.clone(),
                label: row.label.clone(),
                pair: pair.clone(),
                n_pairs: a.len(),
                mean_diff: stats::mean(&diffs),
                effect: stats::mean(&diffs)
                    .zip(stats::sd(&diffs))
                    .filter(|(_, s)| *s > 0.0)
                    .map(|(m, s)| m / s),
                paired_t: None,
                wilcoxon: None,
                q: None,
                lower_is_better: scores.lower_is_better.contains(&row.id),
                direction: Direction::NotTested,
                note: String::new(),
                tested_with: None,
            };
            if a.len() < rules.min_n {
                c.note = format!(
                    "not tested: {} linked respondent(s), fewer than {}",
                    a.len(),
                    rules.min_n
                );
            } else {
                c.paired_t = stats::paired_t(&a, &b);
                c.wilcoxon = stats::wilcoxon_signed_rank(&a, &b);
                if panel_p(&c).is_none() {
                    c.note = "not computable: the differences do not vary".to_string();
                }
            }
            out.push(c);
        }
        decide_panel(&mut out[start..], &pair, same, scores, rules);
    }
    out
}

/// The verdicts of one pair's linked comparisons, one per set of `same` answers: an echo
/// takes no part in its own level's family (see `panel_p`) and gets its holder's q and verdict.
fn decide_panel(
    family: &mut [PanelComparison],
    pair: &WavePair,
    same: &SameAnswers,
    scores: &Scores,
    rules: &CompareRules,
) {
    let ids: Vec<&str> = family.iter().map(|c| c.id.as_str()).collect();
    let echoes = same.echoes(&ids, pair, scores);
    for &(echo, holder) in &echoes {
        family[echo].tested_with = Some(family[holder].id.clone());
    }
    adjust_panel(family, rules);
    for (echo, holder) in echoes {
        let (q, direction) = (family[holder].q, family[holder].direction);
        let tested = format!("tested once with {} {}", family[holder].level, family[holder].id);
        let e = &mut family[echo];
        (e.q, e.direction) = (q, direction);
        // Untested, the echo's own note says why (the same answers, the same reason).
        if q.is_some() {
            e.note = tested;
        }
    }
}

/// p of the primary paired test: Wilcoxon for items, paired t for means of items; none for a
/// row decided by another's test.
fn panel_p(c: &PanelComparison) -> Option<f64> {
    if c.tested_with.is_some() {
        return None;
    }
    match Test::primary_for(&c.level) {
        Test::MannWhitney => c.wilcoxon.map(|w| w.1),
        Test::Welch | Test::PartiallyOverlapping => c.paired_t.map(|t| t.2),
    }
}

fn adjust_panel(family: &mut [PanelComparison], rules: &CompareRules) {
    let mut levels: Vec<String> = family.iter().map(|c| c.level.clone()).collect();
    levels.sort();
    levels.dedup();
    for level in levels {
        let members: Vec<usize> = (0..family.len())
            .filter(|&i| family[i].level == level && panel_p(&family[i]).is_some())
            .collect();
        let p: Vec<f64> = members.iter().filter_map(|&i| panel_p(&family[i])).collect();
        for (&i, q) in members.iter().zip(stats::benjamini_hochberg(&p)) {
            family[i].q = Some(q);
        }
    }
    for c in family.iter_mut() {
        let Some(q) = c.q else { continue };
        // d_z is sized on Cohen's scale, as Hedges' g is.
        let large_enough = c
            .effect
            .is_some_and(|e| Magnitude::of_hedges_g(e) >= rules.min_effect);
        c.direction = match c.effect {
            Some(e) if q < rules.alpha && large_enough && e != 0.0 => {
                Direction::of_change(e, c.lower_is_better)
            }
            _ => Direction::NoReliableChange,
        };
    }
}

/// One group of respondents against everyone else in the same wave, for one node.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupComparison {
    pub attribute: String,
    pub wave: String,
    pub group: String,
    pub level: String,
    pub id: String,
    pub label: String,
    pub n_group: usize,
    pub n_rest: usize,
    pub mean_group: Option<f64>,
    pub mean_rest: Option<f64>,
    /// The highest score within the group.
    pub max_group: Option<f64>,
    /// Welch's test of the group (as the later sample) against the rest, with its interval of
    /// mean(group) − mean(rest), Hedges' g and the Benjamini-Hochberg q within the family of
    /// one wave × attribute × level.
    pub outcome: Option<Outcome>,
    pub interval: Option<stats::WelchInterval>,
    /// The interval at the family's false-coverage-rate level.
    pub fcr: Option<FcrInterval>,
    pub lower_is_better: bool,
    /// Improved: the group rates the node reliably better than the rest; Declined: worse.
    pub direction: Direction,
    pub note: String,
}

/// Each group of an attribute against the rest of its wave, for every node of the given
/// levels; groups (or rests) with fewer than `min_group` scores are not tested.
/// `groups` gives, per wave, each respondent's group.
pub fn compare_groups(
    scores: &Scores,
    attribute: &str,
    groups: &std::collections::BTreeMap<String, Vec<String>>,
    levels: &[&str],
    confidence: f64,
    rules: &CompareRules,
    min_group: usize,
) -> Vec<GroupComparison> {
    let mut out = Vec::new();
    for wave in &scores.waves {
        let Some(members) = groups.get(wave) else { continue };
        // Each respondent's group as an index into the sorted group names.
        let names: Vec<&String> = members
            .iter()
            .collect::<std::collections::BTreeSet<&String>>()
            .into_iter()
            .collect();
        let index: std::collections::HashMap<&String, usize> =
            names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let member_of: Vec<usize> = members.iter().map(|m| index[m]).collect();
        let start = out.len();
        let rows: Vec<&ScoreRow> = scores
            .rows
            .iter()
            .filter(|r| r.wave == *wave && levels.contains(&r.level.as_str()))
            .collect();
        // The groups' moments of every node, nodes in parallel.
        let all_moments = crate::parallel::map(&rows, |row| {
            let key = (wave.clone(), row.id.clone());
            let (values, who) = (scores.samples.get(&key)?, scores.respondents.get(&key)?);
            Some(group_moments(values, who, &member_of, names.len()))
        });
        for (row, moments) in rows.iter().zip(all_moments) {
            let Some(moments) = moments else {
                continue;
            };
            for (g, name) in names.iter().enumerate() {
                let (inside, rest, max) = &moments[g];
                let mut c = GroupComparison {
                    attribute: attribute.to_string(),
                    wave: wave.clone(),
                    group: name.to_string(),
                    level: row.level.clone(),
                    id: row.id.clone(),
                    label: row.label.clone(),
                    n_group: inside.n,
                    n_rest: rest.n,
                    mean_group: inside.mean,
                    max_group: *max,
                    mean_rest: rest.mean,
                    outcome: None,
                    interval: None,
                    fcr: None,
                    lower_is_better: scores.lower_is_better.contains(&row.id),
                    direction: Direction::NotTested,
                    note: String::new(),
                };
                c.test(inside, rest, min_group.max(rules.min_n), confidence);
                out.push(c);
            }
        }
        adjust_groups(&mut out[start..], rules);
    }
    out
}

impl GroupComparison {
    /// Welch's test of the group (as the later sample) against the rest, when both have at
    /// least `least` scores; notes why not otherwise.
    fn test(&mut self, inside: &stats::Summary, rest: &stats::Summary, least: usize, confidence: f64) {
        if inside.n < least || rest.n < least {
            self.note = format!("not tested: fewer than {least} scores in the group or the rest");
        } else if let Some(w) = stats::welch_test_of(rest, inside, confidence) {
            let g = stats::hedges_g_of(rest, inside);
            self.interval = Some(w.interval);
            self.outcome = Some(Outcome {
                test: Test::Welch,
                statistic: w.t,
                df: Some(w.df),
                p: w.p,
                q: w.p,
                effect: g,
                magnitude: g.map(Magnitude::of_hedges_g),
            });
        } else {
            self.note = "not computable: the scores do not vary".into();
        }
    }
}

/// For each group, the n, mean and variance of its members' scores and of everyone else's, in
/// respondent order (as `stats::mean` and `stats::variance` take them from the scores collected
/// in order), and the members' highest score: two passes over the scores for all groups at once.
fn group_moments(
    values: &[f64],
    who: &[usize],
    member_of: &[usize],
    groups: usize,
) -> Vec<(stats::Summary, stats::Summary, Option<f64>)> {
    let group = |r: usize| member_of.get(r).copied().unwrap_or(usize::MAX);
    let (mut n_in, mut sum_in) = (vec![0usize; groups], vec![0.0f64; groups]);
    let (mut n_rest, mut sum_rest) = (vec![0usize; groups], vec![0.0f64; groups]);
    let mut max: Vec<Option<f64>> = vec![None; groups];
    for (&x, &r) in values.iter().zip(who) {
        let h = group(r);
        if h < groups {
            max[h] = Some(max[h].map_or(x, |m: f64| m.max(x)));
        }
        for g in 0..groups {
            if g == h {
                n_in[g] += 1;
                sum_in[g] += x;
            } else {
                n_rest[g] += 1;
                sum_rest[g] += x;
            }
        }
    }
    let mean = |sum: f64, n: usize| (n > 0).then(|| sum / n as f64);
    let m_in: Vec<f64> = (0..groups)
        .map(|g| mean(sum_in[g], n_in[g]).unwrap_or(0.0))
        .collect();
    let m_rest: Vec<f64> = (0..groups)
        .map(|g| mean(sum_rest[g], n_rest[g]).unwrap_or(0.0))
        .collect();
    let (mut sq_in, mut sq_rest) = (vec![0.0f64; groups], vec![0.0f64; groups]);
    for (&x, &r) in values.iter().zip(who) {
        let h = group(r);
        for g in 0..groups {
            if g == h {
                sq_in[g] += (x - m_in[g]).powi(2);
            } else {
                sq_rest[g] += (x - m_rest[g]).powi(2);
            }
        }
    }
    let summary = |n: usize, sum: f64, sq: f64| stats::Summary {
        n,
        mean: mean(sum, n),
        variance: (n >= 2).then(|| sq / (n - 1) as f64),
        counts: Vec::new(),
    };
    (0..groups)
        .map(|g| {
            (
                summary(n_in[g], sum_in[g], sq_in[g]),
                summary(n_rest[g], sum_rest[g], sq_rest[g]),
                max[g],
            )
        })
        .collect()
}

/// Benjamini-Hochberg within each level of one wave, the false-coverage-rate intervals, then
/// the verdicts.
fn adjust_groups(family: &mut [GroupComparison], rules: &CompareRules) {
    benjamini_hochberg_by_level(family);
    fcr_by_level(family, rules.alpha);
    for c in family.iter_mut() {
        let Some(o) = c.outcome else { continue };
        c.direction = verdict(&o, c.lower_is_better, rules).0;
    }
}
