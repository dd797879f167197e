//! Page one of the brief: what matters first. One point per topic (a top-level or headline
//! node) that moved reliably or that a group rates differently, wins before losses and largest
//! effect first, with its two comparisons ("this year", "since the first wave") kept apart and
//! the parts under it that moved folded in; the topics that did not move; each top level's nodes
//! ranked by score; the items addressed to one reader (the instrument's `audience`); and the
//! evaluator's own summary and actions. Words are the template's: this holds facts.

use serde::{Deserialize, Serialize};

use crate::compare::{Comparison, Direction};
use crate::map::NOT_STATED;
use crate::score::ITEM_LEVEL;

use super::facts::Facts;
use super::{fixed, Inputs, NodeRow, Section};

/// One thing the committee will do (`[[report.actions]]` in the config).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What will be done.
    pub text: String,
    /// Who does it, when given.
    #[serde(default)]
    pub who: Option<String>,
    /// By when, when given.
    #[serde(default)]
    pub by: Option<String>,
}

/// What page one of the brief shows, in the order it shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PageOne {
    /// The brief's date: the config's `report.date`, else the latest wave's label (never the
    /// clock, so reruns are identical).
    pub date: String,
    /// Whether `date` is the config's `report.date` (else it is the latest wave's label).
    pub dated: bool,
    /// The evaluator's paragraph (`report.summary` in the config), when given.
    pub summary: Option<String>,
    /// What the committee will do (`[[report.actions]]` in the config).
    pub actions: Vec<Action>,
    /// The comparison called "this year" (latest against previous wave), when there are two waves.
    pub recent_pair: Option<(String, String)>,
    /// The comparison called "since the first wave", when there are three or more.
    pub overall_pair: Option<(String, String)>,
    /// One per topic that moved reliably or that a group rates reliably differently:
    /// improvements first, then declines, then group differences only; largest effect first.
    pub points: Vec<Point>,
    /// The topics with no point: nothing under them moved reliably and no group differs.
    pub steady: Vec<String>,
    /// Each top level's nodes ranked by their latest score, best first (highest, or lowest
    /// where lower is better).
    pub ranked: Vec<Ranked>,
    /// Items addressed to one reader (an instrument item's `audience`), with their scores.
    pub addressed: Vec<Addressed>,
}

/// A topic on page one, named once with everything about it.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// The node's label.
    pub label: String,
    /// Its level, singular and lower case ("function").
    pub level: String,
    /// `improved` or `declined` (its largest reliable change, its own or a part's), or
    /// `no_reliable_change` when only groups differ.
    pub verdict: Direction,
    /// Its own reliable change this year, when there is one.
    pub recent: Option<Move>,
    /// Its own reliable change since the first wave, when there is one (three waves or more).
    pub overall: Option<Move>,
    /// Nodes under it that changed reliably, each with its largest change, largest first.
    pub parts: Vec<Part>,
    /// Groups that rate it reliably differently from everyone else in the latest wave.
    pub groups: Vec<GroupGap>,
    /// Groups whose own score of it changed reliably, largest change first.
    pub group_moves: Vec<GroupMove>,
    #[serde(skip)]
    effect: f64,
}

/// A group whose own score of a node changed reliably (`compare::GroupChange`).
#[derive(Debug, Clone, Serialize)]
pub struct GroupMove {
    /// The group ("Funder").
    pub group: String,
    /// The attribute, lower case ("role").
    pub attribute: String,
    /// The group's change, as a whole-wave change is printed.
    pub change: Move,
}

/// Which of page one's two comparisons a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    /// The latest wave against the previous one ("this year").
    Recent,
    /// The latest wave against the first ("since the first wave").
    Overall,
}

/// A reliable change between two waves, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    /// `recent` (latest against previous wave) or `overall` (latest against first).
    pub span: Span,
    /// The earlier wave.
    pub from: String,
    /// The later wave.
    pub to: String,
    /// The earlier mean, two decimals.
    pub mean_from: String,
    /// The later mean, two decimals.
    pub mean_to: String,
    /// The difference of the two printed means ("+0.65", "−0.62"), so it adds up as read.
    pub diff: String,
    /// `improved` or `declined` (by the node's direction).
    pub verdict: Direction,
    /// The effect's size in words ("small", "medium", "large").
    pub size: String,
    #[serde(skip)]
    effect: f64,
}

/// A node under a topic that changed reliably.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// The node's label.
    pub label: String,
    /// Its level, singular and lower case ("indicator").
    pub level: String,
    /// Its largest reliable change.
    pub change: Move,
}

/// A group that rates a node reliably differently from everyone else.
#[derive(Debug, Clone, Serialize)]
pub struct GroupGap {
    /// The group ("Community partner").
    pub group: String,
    /// The attribute, lower case ("role").
    pub attribute: String,
    /// `improved`: rates it more favourably; `declined`: less favourably.
    pub verdict: Direction,
    /// The group's mean, two decimals.
    pub mean_group: String,
    /// Everyone else's mean, two decimals.
    pub mean_rest: String,
    #[serde(skip)]
    effect: f64,
}

/// One top level's nodes, ranked by score.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    /// The level's plural name ("Functions").
    pub level: String,
    /// Its nodes, best latest score first (suppressed ones last).
    pub lines: Vec<RankedLine>,
}

/// A node ranked by its latest score.
#[derive(Debug, Clone, Serialize)]
pub struct RankedLine {
    /// The node's label.
    pub label: String,
    /// Its latest mean ("3.57"), "–" when suppressed.
    pub mean_text: String,
    /// Its latest share of favourable answers ("55%").
    pub favourable: String,
    /// Its band in the latest wave.
    pub band: Option<String>,
}

/// An item addressed to one reader.
#[derive(Debug, Clone, Serialize)]
pub struct Addressed {
    /// Who it speaks of ("funders"), the item's `audience`.
    pub audience: String,
    /// The item's statement.
    pub text: String,
    /// Its latest mean.
    pub mean_text: String,
    /// Its latest share of favourable answers.
    pub favourable: String,
    /// Its band in the latest wave.
    pub band: Option<String>,
    /// Its reliable change this year, when there is one.
    pub recent: Option<Move>,
    /// Its reliable change since the first wave, when there is one.
    pub overall: Option<Move>,
}

/// Builds page one from the analysis, the run's facts and the sections.
pub(super) fn page_one(i: &Inputs, report: &Facts, sections: &[Section]) -> PageOne {
    let recent_pair = report.previous.clone().map(|p| (p, report.latest.clone()));
    let overall_pair = (report.waves.len() > 2).then(|| (report.first.clone(), report.latest.clone()));
    let pairs = Pairs {
        i,
        recent: recent_pair.clone(),
        overall: overall_pair.clone(),
        latest: &report.latest,
    };
    let mut points = Vec::new();
    let mut steady = Vec::new();
    for id in topics(i) {
        match pairs.point(report, &id) {
            Some(p) => points.push(p),
            None => steady.extend(label_of(i, &id)),
        }
    }
    let rank = |p: &Point| match p.verdict {
        Direction::Improved => 0,
        Direction::Declined => 1,
        _ => 2,
    };
    points.sort_by(|a, b| rank(a).cmp(&rank(b)).then(b.effect.total_cmp(&a.effect)));
    PageOne {
        date: i.options.date.clone().unwrap_or_else(|| report.latest.clone()),
        dated: i.options.date.is_some(),
        summary: i.options.summary.clone(),
        actions: i.options.actions.clone(),
        addressed: pairs.addressed(sections),
        ranked: ranked(report, sections),
        recent_pair,
        overall_pair,
        points,
        steady,
    }
}

/// The topics: the headline level's nodes, then the top-level nodes with none of them under
/// them, in framework order (so no node is a topic and a part of another).
fn topics(i: &Inputs) -> Vec<String> {
    let fw = &i.instrument.framework;
    let mut ids: Vec<String> = fw.nodes_at(&fw.headline_level).map(|n| n.id.clone()).collect();
    for top in fw.tops().filter(|n| n.level != fw.headline_level) {
        let holds_headline = descendants(i, &top.id)
            .iter()
            .any(|d| fw.node(d).is_some_and(|n| n.level == fw.headline_level));
        if !holds_headline {
            ids.push(top.id.clone());
        }
    }
    ids
}

fn label_of(i: &Inputs, id: &str) -> Option<String> {
    i.instrument.framework.node(id).map(|n| n.label.clone())
}

struct Pairs<'a> {
    i: &'a Inputs<'a>,
    recent: Option<(String, String)>,
    overall: Option<(String, String)>,
    latest: &'a str,
}

impl Pairs<'_> {
    fn shown(&self, c: &Comparison) -> bool {
        let t = self.i.options.suppress_below;
        c.n_from >= t && c.n_to >= t
    }

    /// The reliable change of the node (or item) `id` at `level` over one comparison, as printed.
    fn change(&self, level: &str, id: &str, span: Span) -> Option<Move> {
        let pair = match span {
            Span::Recent => &self.recent,
            Span::Overall => &self.overall,
        };
        let (from, to) = pair.as_ref()?;
        let c = self.i.comparisons.iter().find(|c| {
            c.level == level && c.id == id && c.pair.from == *from && c.pair.to == *to && self.shown(c)
        })?;
        move_of(c, span)
    }

    /// The groups whose own change of `id` is reliable over either comparison, largest first;
    /// suppressed groups and respondents who did not say are left out.
    fn group_moves(&self, level: &str, id: &str) -> Vec<GroupMove> {
        let mut out = Vec::new();
        for (span, pair) in [(Span::Recent, &self.recent), (Span::Overall, &self.overall)] {
            let Some((from, to)) = pair else { continue };
            let changes = self.i.group_changes.iter().filter(|g| {
                let c = &g.change;
                c.level == level && c.id == id && c.pair.from == *from && c.pair.to == *to
            });
            for g in changes.filter(|g| !g.suppressed && g.group != NOT_STATED) {
                out.extend(move_of(&g.change, span).map(|change| GroupMove {
                    group: g.group.clone(),
                    attribute: self.attribute_word(&g.attribute),
                    change,
                }));
            }
        }
        out.sort_by(|a, b| b.change.effect.total_cmp(&a.change.effect));
        out
    }

    /// An attribute's label, lower case ("role").
    fn attribute_word(&self, id: &str) -> String {
        let attributes = &self.i.instrument.attributes;
        attributes
            .iter()
            .find(|a| a.id == id)
            .map_or(id.to_string(), |a| a.label().to_lowercase())
    }

    fn largest(&self, level: &str, id: &str) -> Option<Move> {
        [
            self.change(level, id, Span::Recent),
            self.change(level, id, Span::Overall),
        ]
        .into_iter()
        .flatten()
        .max_by(|a, b| a.effect.total_cmp(&b.effect))
    }

    fn point(&self, report: &Facts, id: &str) -> Option<Point> {
        let fw = &self.i.instrument.framework;
        let node = fw.node(id)?;
        let recent = self.change(&node.level, id, Span::Recent);
        let overall = self.change(&node.level, id, Span::Overall);
        let mut parts: Vec<Part> = descendants(self.i, id)
            .into_iter()
            .filter_map(|d| {
                let n = fw.node(&d)?;
                Some(Part {
                    label: n.label.clone(),
                    level: level_word(report, &n.level),
                    change: self.largest(&n.level, &d)?,
                })
            })
            .collect();
        parts.sort_by(|a, b| b.change.effect.total_cmp(&a.change.effect));
        let groups = self.groups(&node.level, id);
        let group_moves = self.group_moves(&node.level, id);
        let moves = recent
            .iter()
            .chain(&overall)
            .chain(parts.iter().map(|p| &p.change));
        // A topic where only groups changed ranks by its groups' largest change.
        let key = moves
            .max_by(|a, b| a.effect.total_cmp(&b.effect))
            .or(group_moves.first().map(|g| &g.change));
        if key.is_none() && groups.is_empty() {
            return None;
        }
        Some(Point {
            label: node.label.clone(),
            level: level_word(report, &node.level),
            verdict: key.map_or(Direction::NoReliableChange, |m| m.verdict),
            // A topic where only groups differ ranks by its largest group gap.
            effect: key.map_or_else(
                || groups.iter().map(|g| g.effect).fold(0.0, f64::max),
                |m| m.effect,
            ),
            recent,
            overall,
            parts,
            groups,
            group_moves,
        })
    }

    fn groups(&self, level: &str, id: &str) -> Vec<GroupGap> {
        let t = self.i.options.suppress_below;
        self.i
            .group_tests
            .iter()
            .filter(|g| g.level == level && g.id == id && g.wave == self.latest && g.group != NOT_STATED)
            .filter(|g| g.n_group >= t && g.n_rest >= t)
            .filter(|g| matches!(g.direction, Direction::Improved | Direction::Declined))
            .map(|g| GroupGap {
                group: g.group.clone(),
                attribute: self.attribute_word(&g.attribute),
                verdict: g.direction,
                mean_group: fixed(g.mean_group, 2),
                mean_rest: fixed(g.mean_rest, 2),
                effect: g.outcome.and_then(|o| o.effect).map_or(0.0, f64::abs),
            })
            .collect()
    }

    fn addressed(&self, sections: &[Section]) -> Vec<Addressed> {
        let rows: Vec<&NodeRow> = sections.iter().flat_map(|s| &s.rows).collect();
        self.i
            .instrument
            .items
            .iter()
            .filter_map(|it| {
                let audience = it.audience.clone()?;
                let row = rows.iter().find(|r| r.is_item && r.id == it.id)?;
                let cell = row.cells.last().and_then(Option::as_ref);
                Some(Addressed {
                    audience,
                    text: it.text.clone(),
                    mean_text: cell.map_or_else(|| "–".into(), |c| c.mean_text.clone()),
                    favourable: row.favourable.clone(),
                    band: row.band.clone(),
                    recent: self.change(ITEM_LEVEL, &it.id, Span::Recent),
                    overall: self.change(ITEM_LEVEL, &it.id, Span::Overall),
                })
            })
            .collect()
    }
}

/// A reliable change of a comparison row over `span`, as printed; `None` for any other verdict.
fn move_of(c: &Comparison, span: Span) -> Option<Move> {
    if !matches!(c.direction, Direction::Improved | Direction::Declined) {
        return None;
    }
    let (a, b) = (c.mean_from?, c.mean_to?);
    let o = c.outcome?;
    Some(Move {
        span,
        from: c.pair.from.clone(),
        to: c.pair.to.clone(),
        mean_from: fixed(Some(a), 2),
        mean_to: fixed(Some(b), 2),
        diff: super::text::printed_difference(a, b),
        verdict: c.direction,
        size: o.magnitude.map_or_else(String::new, |m| m.word().to_string()),
        effect: o.effect.map_or(0.0, f64::abs),
    })
}

/// Every node (not item) under `id`, depth first.
fn descendants(i: &Inputs, id: &str) -> Vec<String> {
    let fw = &i.instrument.framework;
    let mut out = Vec::new();
    for child in fw.children(id) {
        out.push(child.id.clone());
        out.extend(descendants(i, &child.id));
    }
    out
}

fn level_word(report: &Facts, level: &str) -> String {
    report
        .level(level)
        .map_or(level.to_string(), |l| l.label.to_lowercase())
}

/// Each top level's nodes (the sections' first rows), best latest score first.
fn ranked(report: &Facts, sections: &[Section]) -> Vec<Ranked> {
    let mut out: Vec<(String, Vec<(f64, RankedLine)>)> = Vec::new();
    for s in sections {
        let row = &s.rows[0];
        let cell = row.cells.last().and_then(Option::as_ref);
        let line = RankedLine {
            label: s.label.clone(),
            mean_text: cell.map_or_else(|| "–".into(), |c| c.mean_text.clone()),
            favourable: row.favourable.clone(),
            band: row.band.clone(),
        };
        let mean = cell.and_then(|c| c.mean).unwrap_or(f64::NEG_INFINITY);
        let key = if row.lower_is_better { -mean } else { mean };
        let level = plural_of(report, s);
        match out.iter_mut().find(|(l, _)| *l == level) {
            Some((_, lines)) => lines.push((key, line)),
            None => out.push((level, vec![(key, line)])),
        }
    }
    out.into_iter()
        .map(|(level, mut lines)| {
            lines.sort_by(|a, b| b.0.total_cmp(&a.0));
            Ranked {
                level,
                lines: lines.into_iter().map(|(_, l)| l).collect(),
            }
        })
        .collect()
}

fn plural_of(report: &Facts, s: &Section) -> String {
    report
        .level(&s.rows[0].level)
        .map_or(s.level_label.clone(), |l| l.plural.clone())
}
