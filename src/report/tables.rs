//! Every table of the outputs, each declared once: its columns (CSV header, workbook header and
//! width, number kind) with the cell each column takes from a row. One declaration gives a CSV
//! (`scores.csv`, `groups.csv`, `comparison.csv`, `panel.csv`, `reliability.csv`,
//! `drivers.csv`, `comments.csv`), a workbook sheet, or both, so a table is added here once and
//! render writes it. Rows come from the suppressed copies (`suppress::Shown`): a suppressed row
//! carries blanks and says so.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::compare::{Comparison, Direction, GroupChange, GroupComparison, PanelComparison};
use crate::drivers::{DriverFit, KeyDrivers, NodeImportance};
use crate::framework::Level;
use crate::reliability::Reliability;
use crate::score::{GroupScore, ScoreRow, ITEM_LEVEL};
use crate::weights::{columns as weighted_columns, Weighting};

use super::model::{Account, Column, Kind, NodeRow, Place, Section, Table, Value};
use super::suppress::Shown;

/// What the tables read besides the suppressed rows.
pub(super) struct Context<'a> {
    pub shown: &'a Shown,
    pub levels: &'a [Level],
    /// Ids of the reverse-worded items.
    pub reverse: &'a BTreeSet<String>,
    /// Every scale value answered, for the answers-per-point columns.
    pub scale_values: &'a [i64],
    pub key_drivers: &'a [KeyDrivers],
    /// Attribute id → label.
    pub attributes: BTreeMap<&'a str, &'a str>,
    pub headline: &'a [NodeRow],
    pub headline_label: &'a str,
    pub sections: &'a [Section],
    pub accounts: &'a [Account],
    pub waves: &'a [String],
    pub latest: &'a str,
    pub min_alpha: f64,
}

/// Every table, in the order the CSVs and the workbook's sheets are written.
pub(super) fn all(c: &Context) -> Vec<Table> {
    let weighted = c.shown.weighted.as_ref();
    let mut tables: Vec<Table> = weighted.map(|w| weighted_summary(c, w)).into_iter().collect();
    tables.extend([
        summary(c),
        scores(c),
        comparison(&c.shown.comparisons, c.levels, c.reverse, weighted),
        indicators(c),
        items(c),
        groups(c),
        group_changes(c),
        reliability(c),
        panel(&c.shown.panel),
        drivers(c),
        comments(c),
        accounting(c.accounts),
    ]);
    tables
}

/// How a column takes its cell from a row.
type Cell<'a, R> = Box<dyn Fn(&R) -> Value + 'a>;

/// A table being declared: its columns, and for each the cell it takes from a row.
struct Decl<'a, R> {
    columns: Vec<Column>,
    cells: Vec<Cell<'a, R>>,
}

impl<'a, R> Decl<'a, R> {
    fn new() -> Self {
        Decl {
            columns: Vec::new(),
            cells: Vec::new(),
        }
    }

    fn add(mut self, column: Column, cell: impl Fn(&R) -> Value + 'a) -> Self {
        self.columns.push(column);
        self.cells.push(Box::new(cell));
        self
    }

    /// A column of both the CSV and the sheet.
    fn both(self, csv: &str, sheet: &str, width: f64, kind: Kind, cell: impl Fn(&R) -> Value + 'a) -> Self {
        let column = Column {
            csv: Some(csv.into()),
            sheet: Some((sheet.into(), width)),
            kind,
        };
        self.add(column, cell)
    }

    /// A column of the CSV only.
    fn csv(self, csv: impl Into<String>, cell: impl Fn(&R) -> Value + 'a) -> Self {
        let column = Column {
            csv: Some(csv.into()),
            sheet: None,
            kind: Kind::Text,
        };
        self.add(column, cell)
    }

    /// A column of the sheet only.
    fn sheet(
        self,
        sheet: impl Into<String>,
        width: f64,
        kind: Kind,
        cell: impl Fn(&R) -> Value + 'a,
    ) -> Self {
        let column = Column {
            csv: None,
            sheet: Some((sheet.into(), width)),
            kind,
        };
        self.add(column, cell)
    }

    /// The table of these rows, written to the CSV and sheet given.
    fn table(self, csv: Option<Place>, sheet: Option<Place>, rows: impl IntoIterator<Item = R>) -> Table {
        let rows = rows
            .into_iter()
            .map(|r| self.cells.iter().map(|cell| cell(&r)).collect())
            .collect();
        Table {
            csv,
            sheet,
            columns: self.columns,
            rows,
        }
    }
}

/// Always written.
fn always(name: impl Into<String>) -> Option<Place> {
    Some(Place {
        name: name.into(),
        only_with_rows: false,
    })
}

/// Written only when the table has rows.
fn with_rows(name: impl Into<String>) -> Option<Place> {
    Some(Place {
        name: name.into(),
        only_with_rows: true,
    })
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

fn number(value: Option<f64>) -> Value {
    value.map_or(Value::Empty, Value::Number)
}

fn count(n: usize) -> Value {
    Value::Count(n)
}

/// "yes" or blank.
fn mark(yes: bool) -> Value {
    text(if yes { "yes" } else { "" })
}

/// A count, blank when hidden.
fn shown_count(n: usize, hidden: bool) -> Value {
    if hidden {
        Value::Empty
    } else {
        count(n)
    }
}

/// A level's label ("Function"), its id when the framework has no such level.
fn level_label(levels: &[Level], id: &str) -> String {
    levels
        .iter()
        .find(|l| l.id == id)
        .map_or(id.to_string(), |l| l.label.clone())
}

/// The verdict of a group against the rest of its wave, in groups.csv's words.
fn group_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Improved => "better",
        Direction::Declined => "worse",
        Direction::NoReliableChange => "no reliable difference",
        Direction::TooSmall => "reliable but too small a difference",
        Direction::NotTested => "not tested",
    }
}

/// `scores.csv`: one row per wave × level × id with n, mean, SD, interval, % favourable, N/A
/// answers and answers per scale value; with `[weights]`, the weighted estimates after.
fn scores(c: &Context) -> Table {
    type Row<'r> = &'r (ScoreRow, bool);
    let mut d = Decl::<Row>::new()
        .csv("wave", |(r, _)| text(&r.wave))
        .csv("level", |(r, _)| text(&r.level))
        .csv("id", |(r, _)| text(&r.id))
        .csv("label", |(r, _)| text(&r.label))
        .csv("reverse", |(r, _)| {
            text(if c.reverse.contains(&r.id) { "yes" } else { "" })
        })
        .csv("n", |(r, _)| count(r.n))
        .csv("mean", |(r, _)| number(r.mean))
        .csv("sd", |(r, _)| number(r.sd))
        .csv("ci_low", |(r, _)| number(r.ci.map(|c| c.0)))
        .csv("ci_high", |(r, _)| number(r.ci.map(|c| c.1)))
        .csv("pct_favorable", |(r, _)| number(r.pct_favorable))
        // N/A answers of a suppressed row would tell how its few respondents answered.
        .csv("n_na", |(r, hidden)| shown_count(r.n_na, *hidden));
    for &v in c.scale_values {
        d = d.csv(format!("n_{v}"), move |(r, hidden)| {
            shown_count(r.counts.get(&v).copied().unwrap_or(0), *hidden)
        });
    }
    d = d.csv("suppressed", |(_, hidden)| {
        text(if *hidden { "suppressed" } else { "" })
    });
    if let Some(w) = &c.shown.weighted {
        for (k, name) in weighted_columns::SCORES.iter().enumerate() {
            d = d.csv(*name, move |(r, _)| {
                number(weighted_columns::score_cells(w.score(&r.wave, &r.id))[k])
            });
        }
    }
    d.table(always("scores.csv"), None, &c.shown.scores)
}

/// `comparison.csv` and the Changes sheet: every compared pair of waves per level × id, with
/// the test, its q, the effect size and the verdict; with `[weights]`, the weighted change.
pub fn comparison(
    rows: &[Comparison],
    levels: &[Level],
    reverse: &BTreeSet<String>,
    weighted: Option<&Weighting>,
) -> Table {
    use Kind::{Count, Mean, Stat, Text, P};
    let mut d = Decl::<&Comparison>::new()
        .csv("level", |c| text(&c.level))
        .sheet("Level", 11.0, Text, |c| text(level_label(levels, &c.level)))
        .both("id", "Id", 16.0, Text, |c| text(&c.id))
        .both("label", "Label", 40.0, Text, |c| text(&c.label))
        .both("from_wave", "From", 8.0, Text, |c| text(&c.pair.from))
        .both("to_wave", "To", 8.0, Text, |c| text(&c.pair.to))
        .both("n_from", "n from", 8.0, Count, |c| count(c.n_from))
        .both("n_to", "n to", 8.0, Count, |c| count(c.n_to))
        .both("n_linked", "Linked", 8.0, Count, |c| count(c.n_linked))
        .both("mean_from", "Mean from", 10.0, Mean, |c| number(c.mean_from))
        .both("mean_to", "Mean to", 10.0, Mean, |c| number(c.mean_to))
        .both("diff", "Difference", 10.0, Mean, |c| number(c.diff))
        .both("ci_low", "CI low", 9.0, Mean, |c| {
            number(c.interval.map(|i| i.low))
        })
        .both("ci_high", "CI high", 9.0, Mean, |c| {
            number(c.interval.map(|i| i.high))
        })
        .both("ci_low_fcr", "CI low (FCR)", 9.0, Mean, |c| {
            number(c.fcr.map(|i| i.low))
        })
        .both("ci_high_fcr", "CI high (FCR)", 9.0, Mean, |c| {
            number(c.fcr.map(|i| i.high))
        })
        .both("test", "Test", 14.0, Text, |c| {
            text(c.outcome.map_or("", |o| o.test.name()))
        })
        .both("statistic", "Statistic", 10.0, Stat, |c| {
            number(c.outcome.map(|o| o.statistic))
        })
        .both("df", "df", 8.0, Stat, |c| number(c.outcome.and_then(|o| o.df)))
        .both("p_value", "p", 9.0, P, |c| number(c.outcome.map(|o| o.p)))
        .both("q_value", "q", 9.0, P, |c| number(c.outcome.map(|o| o.q)))
        .both("effect_size", "Effect size", 9.0, Mean, |c| {
            number(c.outcome.and_then(|o| o.effect))
        })
        .both("effect_measure", "Effect measure", 12.0, Text, |c| {
            text(c.outcome.map_or("", |o| o.test.effect_measure()))
        })
        .both("magnitude", "Magnitude", 11.0, Text, |c| {
            text(c.outcome.and_then(|o| o.magnitude).map_or("", |m| m.word()))
        })
        .both("reverse", "Reverse-worded", 9.0, Text, |c| {
            mark(reverse.contains(&c.id))
        })
        .both("lower_is_better", "Lower is better", 9.0, Text, |c| {
            mark(c.lower_is_better)
        })
        .both("direction", "Verdict", 18.0, Text, |c| text(c.direction.word()))
        .both("note", "Note", 40.0, Text, |c| text(&c.note))
        .both("p_welch", "p Welch", 9.0, P, |c| number(c.p_welch))
        .both("p_mann_whitney", "p Mann-Whitney", 9.0, P, |c| {
            number(c.p_mann_whitney)
        });
    if let Some(w) = weighted {
        let change =
            |c: &Comparison| weighted_columns::change_cells(w.change(&c.pair.from, &c.pair.to, &c.id));
        let (numbers, verdict) = weighted_columns::CHANGES.split_at(6);
        for (k, name) in numbers.iter().enumerate() {
            d = d.csv(*name, move |c| number(change(c).0[k]));
        }
        d = d.csv(verdict[0], move |c| text(change(c).1));
    }
    d.table(always("comparison.csv"), always("Changes"), rows)
}

/// Where each node and item sits: (its top-level section, the node right above it).
fn placement(sections: &[Section]) -> BTreeMap<&str, (&str, &str)> {
    let mut places = BTreeMap::new();
    for section in sections {
        let mut path: Vec<&str> = Vec::new();
        for row in &section.rows {
            path.truncate(row.depth);
            let parent = path.last().copied().unwrap_or("");
            places.insert(row.id.as_str(), (section.label.as_str(), parent));
            if !row.is_item {
                path.push(&row.label);
            }
        }
    }
    places
}

/// The score columns the Indicators and Items sheets share: n, mean, SD, interval, %
/// favourable and N/A answers (not counted out for a suppressed row).
fn score_columns<'a, 'r>(d: Decl<'a, &'r (ScoreRow, bool)>) -> Decl<'a, &'r (ScoreRow, bool)> {
    use Kind::{Count, Mean, Points};
    d.sheet("n", 7.0, Count, |(s, _)| count(s.n))
        .sheet("Mean", 8.0, Mean, |(s, _)| number(s.mean))
        .sheet("SD", 8.0, Mean, |(s, _)| number(s.sd))
        .sheet("CI low", 8.0, Mean, |(s, _)| number(s.ci.map(|c| c.0)))
        .sheet("CI high", 8.0, Mean, |(s, _)| number(s.ci.map(|c| c.1)))
        .sheet("% favourable", 11.0, Points, |(s, _)| number(s.pct_favorable))
        .sheet("N/A answers", 8.0, Count, |(s, hidden)| {
            shown_count(s.n_na, *hidden)
        })
}

/// The sheet of every framework node: named by the framework's one level ("Competencies"),
/// or "Scores" when it has several; Excel allows 31 characters.
fn nodes_sheet(levels: &[Level]) -> String {
    let framework: Vec<&Level> = levels.iter().filter(|l| l.id != ITEM_LEVEL).collect();
    match framework[..] {
        [one] => one
            .plural
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect(),
        _ => "Scores".to_string(),
    }
}

/// The sheet of every framework node (not items) per wave, as scores.csv.
fn indicators(c: &Context) -> Table {
    let places = &placement(c.sections);
    let under = |id: &str| places.get(id).map_or("", |p| p.1);
    let d = Decl::<&(ScoreRow, bool)>::new()
        .sheet("Wave", 8.0, Kind::Text, |(s, _)| text(&s.wave))
        .sheet("Level", 11.0, Kind::Text, |(s, _)| {
            text(level_label(c.levels, &s.level))
        })
        .sheet("Id", 16.0, Kind::Text, |(s, _)| text(&s.id))
        .sheet("Label", 44.0, Kind::Text, |(s, _)| text(&s.label))
        .sheet("Under", 30.0, Kind::Text, move |(s, _)| text(under(&s.id)));
    let rows = c.shown.scores.iter().filter(|(s, _)| s.level != ITEM_LEVEL);
    score_columns(d)
        .sheet("Suppressed", 10.0, Kind::Text, |(_, hidden)| mark(*hidden))
        .table(None, always(nodes_sheet(c.levels)), rows)
}

/// The Items sheet: every item per wave, its statement, where it sits, whether it is
/// reverse-worded, its scores and the answers per scale value.
fn items(c: &Context) -> Table {
    let places = &placement(c.sections);
    let place = |id: &str| places.get(id).copied().unwrap_or(("", ""));
    let mut d = Decl::<&(ScoreRow, bool)>::new()
        .sheet("Wave", 8.0, Kind::Text, |(s, _)| text(&s.wave))
        .sheet("Id", 18.0, Kind::Text, |(s, _)| text(&s.id))
        .sheet("Statement", 60.0, Kind::Text, |(s, _)| text(&s.label))
        .sheet("Reverse-worded", 9.0, Kind::Text, |(s, _)| {
            mark(c.reverse.contains(&s.id))
        })
        .sheet("Section", 28.0, Kind::Text, move |(s, _)| text(place(&s.id).0))
        .sheet("Under", 30.0, Kind::Text, move |(s, _)| text(place(&s.id).1));
    d = score_columns(d);
    for &v in c.scale_values {
        d = d.sheet(format!("Answered {v}"), 9.0, Kind::Count, move |(s, hidden)| {
            shown_count(s.counts.get(&v).copied().unwrap_or(0), *hidden)
        });
    }
    let rows = c.shown.scores.iter().filter(|(s, _)| s.level == ITEM_LEVEL);
    d.sheet("Suppressed", 10.0, Kind::Text, |(_, hidden)| mark(*hidden))
        .table(None, always("Items"), rows)
}

/// One group score with its test against the rest of its wave (when tested and shown).
type GroupLine<'a> = (&'a str, &'a GroupScore, bool, Option<&'a GroupComparison>);

/// `groups.csv` and the Groups sheet: every wave × attribute × group × node with n, mean, SD
/// and interval, or `suppressed`; in the CSV, where the group was tested against the rest of
/// its wave, the difference, Welch's test, its q and Hedges' g.
fn groups(c: &Context) -> Table {
    use Kind::{Count, Mean, Text};
    let tests: HashMap<_, _> = c
        .shown
        .group_tests
        .iter()
        .map(|g| {
            (
                (
                    g.wave.as_str(),
                    g.attribute.as_str(),
                    g.group.as_str(),
                    g.id.as_str(),
                ),
                g,
            )
        })
        .collect();
    let lines: Vec<GroupLine> = c
        .shown
        .groups
        .iter()
        .map(|(a, s, hidden)| {
            let test = tests.get(&(s.wave.as_str(), a.as_str(), s.group.as_str(), s.id.as_str()));
            (a.as_str(), s, *hidden, test.copied().filter(|_| !*hidden))
        })
        .collect();
    let nodes: BTreeMap<&str, (&str, &str)> = c
        .shown
        .scores
        .iter()
        .map(|(s, _)| (s.id.as_str(), (s.level.as_str(), s.label.as_str())))
        .collect();
    let nodes = &nodes;
    let node = |id: &str| nodes.get(id).copied().unwrap_or(("", ""));
    let d = Decl::<GroupLine>::new()
        .both("wave", "Wave", 8.0, Text, |l| text(&l.1.wave))
        .csv("attribute", |l| text(l.0))
        .sheet("Attribute", 14.0, Text, |l| {
            text(*c.attributes.get(l.0).unwrap_or(&l.0))
        })
        .both("group", "Group", 30.0, Text, |l| text(&l.1.group))
        .sheet("Level", 11.0, Text, move |l| {
            text(level_label(c.levels, node(&l.1.id).0))
        })
        .both("id", "Id", 16.0, Text, |l| text(&l.1.id))
        .sheet("Label", 44.0, Text, move |l| text(node(&l.1.id).1))
        .both("respondents", "Respondents", 11.0, Count, |l| {
            count(l.1.respondents)
        })
        .both("n", "n", 7.0, Count, |l| count(l.1.n))
        .both("mean", "Mean", 8.0, Mean, |l| number(l.1.mean))
        .both("sd", "SD", 8.0, Mean, |l| number(l.1.sd))
        .both("ci_low", "CI low", 8.0, Mean, |l| number(l.1.ci.map(|c| c.0)))
        .both("ci_high", "CI high", 8.0, Mean, |l| number(l.1.ci.map(|c| c.1)))
        .csv("suppressed", |l| text(if l.2 { "suppressed" } else { "" }))
        .sheet("Suppressed", 10.0, Text, |l| mark(l.2));
    let mut d = group_tests(d);
    if let Some(w) = &c.shown.weighted {
        d = d.csv("mean_weighted", move |l| {
            number(w.group(l.0, &l.1.wave, &l.1.group, &l.1.id))
        });
    }
    d.table(with_rows("groups.csv"), always("Groups"), lines)
}

/// The test columns of groups.csv (blank where the group was not tested).
fn group_tests<'a>(d: Decl<'a, GroupLine<'a>>) -> Decl<'a, GroupLine<'a>> {
    let i = |l: &GroupLine| l.3.and_then(|g| g.interval);
    let fcr = |l: &GroupLine| l.3.and_then(|g| g.fcr);
    let o = |l: &GroupLine| l.3.and_then(|g| g.outcome);
    d.csv("diff_vs_rest", move |l| number(i(l).map(|i| i.diff)))
        .csv("ci_low_vs_rest", move |l| number(i(l).map(|i| i.low)))
        .csv("ci_high_vs_rest", move |l| number(i(l).map(|i| i.high)))
        .csv("ci_low_vs_rest_fcr", move |l| number(fcr(l).map(|i| i.low)))
        .csv("ci_high_vs_rest_fcr", move |l| number(fcr(l).map(|i| i.high)))
        .csv("statistic", move |l| number(o(l).map(|o| o.statistic)))
        .csv("df", move |l| number(o(l).and_then(|o| o.df)))
        .csv("p_value", move |l| number(o(l).map(|o| o.p)))
        .csv("q_value", move |l| number(o(l).map(|o| o.q)))
        .csv("effect_size", move |l| number(o(l).and_then(|o| o.effect)))
        .csv("magnitude", move |l| {
            text(o(l).and_then(|o| o.magnitude).map_or("", |m| m.word()))
        })
        .csv("direction", |l| text(l.3.map_or("", |g| group_word(g.direction))))
}

/// One line of reliability.csv: a node's alpha (item blank), or its alpha without one item.
struct AlphaLine<'a> {
    r: &'a Reliability,
    hidden: bool,
    item: &'a str,
    alpha: Option<f64>,
    /// Why a blank alpha is blank, or what a shown one means.
    flag: String,
    /// The node's alpha is below the acceptable level (never on an item's line).
    below: bool,
}

/// Every node's line, then one line per item without it.
fn alpha_lines(rows: &[(Reliability, bool)], min_alpha: f64) -> Vec<AlphaLine<'_>> {
    const HIDDEN: &str = "suppressed: too few complete cases";
    let mut lines = Vec::new();
    for (r, hidden) in rows {
        let (r, hidden) = (r, *hidden);
        let k = r.items.len();
        let flag = if hidden {
            HIDDEN.to_string()
        } else if r.alpha.is_none() {
            r.not_computable(k).to_string()
        } else if r.flagged(min_alpha) {
            format!("below {min_alpha}")
        } else {
            String::new()
        };
        let below = r.flagged(min_alpha) && !hidden;
        lines.push(AlphaLine {
            r,
            hidden,
            item: "",
            alpha: r.alpha,
            flag,
            below,
        });
        for (item, alpha) in r.items.iter().zip(&r.if_deleted) {
            let flag = match (alpha, r.alpha) {
                _ if hidden => HIDDEN,
                (None, _) => r.not_computable(k - 1),
                (Some(without), Some(with)) if *without > with => "alpha rises without this item",
                _ => "",
            };
            let flag = flag.to_string();
            lines.push(AlphaLine {
                r,
                hidden,
                item,
                alpha: *alpha,
                flag,
                below: false,
            });
        }
    }
    lines
}

/// `reliability.csv` and the Reliability sheet: one line per node and wave (item blank) with
/// its alpha, then one per item with the alpha the node would have without it; under the
/// suppression threshold of complete cases, no alpha.
fn reliability(c: &Context) -> Table {
    use Kind::{Count, Stat, Text};
    Decl::<AlphaLine>::new()
        .both("wave", "Wave", 8.0, Text, |l| text(&l.r.wave))
        .csv("level", |l| text(&l.r.level))
        .sheet("Level", 11.0, Text, |l| text(level_label(c.levels, &l.r.level)))
        .both("id", "Id", 16.0, Text, |l| text(&l.r.id))
        .both("label", "Label", 44.0, Text, |l| text(&l.r.label))
        .both("item", "Without item", 18.0, Text, |l| text(l.item))
        .both("n_items", "Items", 7.0, Count, |l| count(l.r.items.len()))
        .both("n_complete", "Complete cases", 10.0, Count, |l| {
            count(l.r.n_complete)
        })
        .both("alpha", "Alpha", 8.0, Stat, |l| number(l.alpha))
        .csv("flag", |l| text(&l.flag))
        .sheet(format!("Below {}", c.min_alpha), 9.0, Text, |l| mark(l.below))
        .sheet("Suppressed", 10.0, Text, |l| mark(l.hidden))
        .table(
            always("reliability.csv"),
            always("Reliability"),
            alpha_lines(&c.shown.reliability, c.min_alpha),
        )
}

/// `panel.csv`: one row per level × id × pair of waves, over the linked respondents.
fn panel(rows: &[PanelComparison]) -> Table {
    Decl::<&PanelComparison>::new()
        .csv("level", |c| text(&c.level))
        .csv("id", |c| text(&c.id))
        .csv("label", |c| text(&c.label))
        .csv("from_wave", |c| text(&c.pair.from))
        .csv("to_wave", |c| text(&c.pair.to))
        .csv("n_pairs", |c| count(c.n_pairs))
        .csv("mean_diff", |c| number(c.mean_diff))
        .csv("effect_dz", |c| number(c.effect))
        .csv("t", |c| number(c.paired_t.map(|t| t.0)))
        .csv("df", |c| number(c.paired_t.map(|t| t.1)))
        .csv("p_paired_t", |c| number(c.paired_t.map(|t| t.2)))
        .csv("w", |c| number(c.wilcoxon.map(|w| w.0)))
        .csv("p_wilcoxon", |c| number(c.wilcoxon.map(|w| w.1)))
        .csv("q_value", |c| number(c.q))
        .csv("direction", |c| text(c.direction.word()))
        .csv("note", |c| text(&c.note))
        .table(with_rows("panel.csv"), None, rows)
}

/// `group_changes.csv` and the Group changes sheet: per attribute × group × compared pair of
/// waves × node, the group's change tested as comparison.csv's are; a group suppressed in
/// either wave keeps its counts and reads `suppressed`.
fn group_changes(c: &Context) -> Table {
    use Kind::{Count, Mean, Stat, Text, P};
    let o = |g: &GroupChange| g.change.outcome;
    Decl::<&GroupChange>::new()
        .both("attribute", "attribute", 16.0, Text, |g| text(&g.attribute))
        .both("group", "group", 16.0, Text, |g| text(&g.group))
        .csv("level", |g| text(&g.change.level))
        .sheet("level", 16.0, Text, |g| {
            text(level_label(c.levels, &g.change.level))
        })
        .both("id", "id", 16.0, Text, |g| text(&g.change.id))
        .both("label", "label", 16.0, Text, |g| text(&g.change.label))
        .both("from_wave", "from_wave", 16.0, Text, |g| {
            text(&g.change.pair.from)
        })
        .both("to_wave", "to_wave", 16.0, Text, |g| text(&g.change.pair.to))
        .both("n_from", "n_from", 9.0, Count, |g| count(g.change.n_from))
        .both("n_to", "n_to", 9.0, Count, |g| count(g.change.n_to))
        .both("mean_from", "mean_from", 9.0, Mean, |g| {
            number(g.change.mean_from)
        })
        .both("mean_to", "mean_to", 9.0, Mean, |g| number(g.change.mean_to))
        .both("diff", "diff", 9.0, Mean, |g| number(g.change.diff))
        .both("ci_low", "ci_low", 9.0, Mean, |g| {
            number(g.change.interval.map(|i| i.low))
        })
        .both("ci_high", "ci_high", 9.0, Mean, |g| {
            number(g.change.interval.map(|i| i.high))
        })
        .both("ci_low_fcr", "ci_low_fcr", 9.0, Mean, |g| {
            number(g.change.fcr.map(|i| i.low))
        })
        .both("ci_high_fcr", "ci_high_fcr", 9.0, Mean, |g| {
            number(g.change.fcr.map(|i| i.high))
        })
        .both("test", "test", 16.0, Text, |g| {
            text(o(g).map_or("", |o| o.test.name()))
        })
        .both("statistic", "statistic", 9.0, Stat, |g| {
            number(o(g).map(|o| o.statistic))
        })
        .both("df", "df", 9.0, Stat, |g| number(o(g).and_then(|o| o.df)))
        .both("p_value", "p_value", 9.0, P, |g| number(o(g).map(|o| o.p)))
        .both("q_value", "q_value", 9.0, P, |g| number(o(g).map(|o| o.q)))
        .both("effect_size", "effect_size", 9.0, Mean, |g| {
            number(o(g).and_then(|o| o.effect))
        })
        .both("direction", "direction", 16.0, Text, |g| {
            text(if g.suppressed {
                "suppressed"
            } else {
                g.change.direction.word()
            })
        })
        .table(
            with_rows("group_changes.csv"),
            with_rows("Group changes"),
            &c.shown.group_changes,
        )
}

/// `drivers.csv` and the Drivers sheet: per wave × overall item × headline node, its LMG
/// importance on the R² scale with its bootstrap interval, share of R² and rank; an analysis
/// not run says why in `method` and leaves its numbers blank.
fn drivers(c: &Context) -> Table {
    use Kind::{Count, Percent, Stat, Text};
    type Line<'a> = (&'a KeyDrivers, usize);
    fn node<'a>((k, j): &(&'a KeyDrivers, usize)) -> Option<(&'a DriverFit, &'a NodeImportance)> {
        k.fit.as_ref().map(|f| (f, &f.nodes[*j]))
    }
    let lines = c
        .key_drivers
        .iter()
        .flat_map(|k| (0..k.predictors.len()).map(move |j| (k, j)));
    Decl::<Line>::new()
        .both("wave", "Wave", 8.0, Text, |(k, _)| text(&k.wave))
        .both("outcome", "Outcome", 20.0, Text, |(k, _)| text(&k.outcome))
        .csv("level", |(k, j)| text(&k.predictors[*j].0))
        .sheet("Level", 11.0, Text, |(k, j)| {
            text(level_label(c.levels, &k.predictors[*j].0))
        })
        .both("id", "Id", 16.0, Text, |(k, j)| text(&k.predictors[*j].1))
        .both("label", "Label", 44.0, Text, |(k, j)| text(&k.predictors[*j].2))
        .both("n", "Complete cases", 10.0, Count, |(k, _)| count(k.n))
        .both("r2", "R²", 8.0, Stat, |l| number(node(l).map(|(f, _)| f.r2)))
        .both("importance", "Importance", 10.0, Stat, |l| {
            number(node(l).map(|(_, n)| n.importance))
        })
        .both("share", "Share of R²", 9.0, Percent, |l| {
            number(node(l).and_then(|(f, n)| f.share_of(n.importance)))
        })
        .both("ci_low", "Low", 8.0, Stat, |l| {
            number(node(l).map(|(_, n)| n.ci.0))
        })
        .both("ci_high", "High", 8.0, Stat, |l| {
            number(node(l).map(|(_, n)| n.ci.1))
        })
        .both("rank", "Rank", 6.0, Count, |l| {
            node(l).map_or(Value::Empty, |(_, n)| count(n.rank))
        })
        .both("method", "Method", 24.0, Text, |l| {
            text(node(l).map_or_else(
                || format!("not analysed: {} complete cases, {} needed", l.0.n, l.0.needed),
                |(f, _)| f.method.name().to_string(),
            ))
        })
        .table(with_rows("drivers.csv"), with_rows("Drivers"), lines)
}

/// `comments.csv` and the Themes sheet: per wave × open question × theme, the non-empty
/// comments with the theme, their share of the non-empty comments, the non-empty and uncoded
/// comments; whole-wave rows (attribute and group empty) carry Fisher's exact p against
/// `compared_with` (the previous wave) and its Benjamini-Hochberg q within the question;
/// groups under the suppression threshold keep no counts and say `suppressed`. Never any
/// comment text.
fn comments(c: &Context) -> Table {
    use Kind::{Count, Percent, Stat, Text};
    type Row<'a> = &'a (crate::comments::themes::ThemeRow, bool);
    // A question without a codebook has no theme to count.
    let themed = |(r, hidden): Row, n: usize| shown_count(n, *hidden || r.theme.is_empty());
    Decl::<Row>::new()
        .both("wave", "Wave", 8.0, Text, |(r, _)| text(&r.wave))
        .both("question", "Question", 14.0, Text, |(r, _)| text(&r.question))
        .csv("theme", |(r, _)| text(&r.theme))
        .csv("label", |(r, _)| text(&r.label))
        .sheet("Theme", 30.0, Text, |(r, hidden)| {
            text(if *hidden { "suppressed" } else { r.label.as_str() })
        })
        .both("attribute", "Attribute", 12.0, Text, |(r, _)| text(&r.attribute))
        .both("group", "Group", 20.0, Text, |(r, _)| text(&r.group))
        .csv("respondents", |(r, _)| count(r.respondents))
        .both("comments", "Comments", 9.0, Count, move |row| {
            themed(row, row.0.comments)
        })
        .both("nonempty", "Non-empty", 9.0, Count, |(r, hidden)| {
            shown_count(r.nonempty, *hidden)
        })
        .both("share", "Share", 8.0, Percent, |(r, hidden)| {
            number(r.share().filter(|_| !*hidden))
        })
        .both("uncoded", "Uncoded", 9.0, Count, move |row| {
            themed(row, row.0.uncoded)
        })
        .both("compared_with", "Against", 8.0, Text, |(r, _)| {
            text(r.compared_with.clone().unwrap_or_default())
        })
        .both("p_value", "p", 8.0, Stat, |(r, _)| number(r.p))
        .both("q_value", "q", 8.0, Stat, |(r, _)| number(r.q))
        .csv("suppressed", |(_, hidden)| {
            text(if *hidden { "suppressed" } else { "" })
        })
        .table(with_rows("comments.csv"), with_rows("Themes"), &c.shown.comments)
}

/// Score rows by (wave, node id).
fn score_index(shown: &Shown) -> BTreeMap<(&str, &str), &ScoreRow> {
    shown
        .scores
        .iter()
        .map(|(s, _)| ((s.wave.as_str(), s.id.as_str()), s))
        .collect()
}

/// The Summary sheet: headline nodes × waves: mean, interval, n and % favourable per wave,
/// and the latest band.
fn summary(c: &Context) -> Table {
    use Kind::{Count, Mean, Points, Text};
    let scores = &score_index(c.shown);
    let mut d = Decl::<&NodeRow>::new()
        .sheet(c.headline_label, 34.0, Text, |r| text(&r.label))
        .sheet(format!("Band {}", c.latest), 12.0, Text, |r| {
            text(r.band.clone().unwrap_or_default())
        });
    for wave in c.waves {
        let s = move |r: &NodeRow| scores.get(&(wave.as_str(), r.id.as_str())).copied();
        d = d
            .sheet(format!("{wave} mean"), 10.0, Mean, move |r| {
                number(s(r).and_then(|s| s.mean))
            })
            .sheet(format!("{wave} CI low"), 10.0, Mean, move |r| {
                number(s(r).and_then(|s| s.ci.map(|c| c.0)))
            })
            .sheet(format!("{wave} CI high"), 10.0, Mean, move |r| {
                number(s(r).and_then(|s| s.ci.map(|c| c.1)))
            })
            .sheet(format!("{wave} n"), 8.0, Count, move |r| {
                s(r).map_or(Value::Empty, |s| count(s.n))
            })
            .sheet(format!("{wave} % favourable"), 12.0, Points, move |r| {
                number(s(r).and_then(|s| s.pct_favorable))
            });
    }
    d.table(None, always("Summary"), c.headline)
}

/// The Weighted sheet: headline nodes × waves weighted to the roster: mean, interval, %
/// favourable and n_eff, with the unweighted mean beside.
fn weighted_summary(c: &Context, w: &Weighting) -> Table {
    use Kind::{Mean, Points, Text};
    let scores = &score_index(c.shown);
    let mut d = Decl::<&NodeRow>::new().sheet(c.headline_label, 34.0, Text, |r| text(&r.label));
    for wave in c.waves {
        let s = move |r: &NodeRow| w.score(wave, &r.id);
        d = d
            .sheet(format!("{wave} weighted mean"), 12.0, Mean, move |r| {
                number(s(r).and_then(|w| w.mean))
            })
            .sheet(format!("{wave} CI low"), 10.0, Mean, move |r| {
                number(s(r).and_then(|w| w.ci.map(|c| c.0)))
            })
            .sheet(format!("{wave} CI high"), 10.0, Mean, move |r| {
                number(s(r).and_then(|w| w.ci.map(|c| c.1)))
            })
            .sheet(format!("{wave} % favourable"), 12.0, Points, move |r| {
                number(s(r).and_then(|w| w.pct_favorable))
            })
            .sheet(format!("{wave} n_eff"), 8.0, Mean, move |r| {
                number(s(r).and_then(|w| w.n_eff))
            })
            .sheet(format!("{wave} unweighted mean"), 12.0, Mean, move |r| {
                let unweighted = scores.get(&(wave.as_str(), r.id.as_str()));
                number(s(r).and(unweighted).and_then(|s| s.mean))
            });
    }
    d.table(None, always("Weighted"), c.headline)
}

/// The Data sheet: rows read, used and skipped per file, with the reasons, and the response
/// rates.
fn accounting(accounts: &[Account]) -> Table {
    use Kind::{Count, Percent, Text};
    let rate = |a: &Account, answered: usize| {
        number(a.invited.filter(|&i| i > 0).map(|i| answered as f64 / i as f64))
    };
    Decl::<&Account>::new()
        .sheet("Wave", 8.0, Text, |a| text(&a.wave))
        .sheet("File", 30.0, Text, |a| text(&a.file))
        .sheet("Platform", 16.0, Text, |a| text(&a.platform))
        .sheet("Encoding", 12.0, Text, |a| text(&a.encoding))
        .sheet("Rows read", 9.0, Count, |a| count(a.read))
        .sheet("Used", 8.0, Count, |a| count(a.used))
        .sheet("Skipped", 8.0, Count, |a| count(a.skipped))
        .sheet("Why skipped", 50.0, Text, |a| text(a.skip_reasons.join("; ")))
        .sheet("Complete", 9.0, Count, |a| count(a.complete))
        .sheet("Partial", 8.0, Count, |a| count(a.partial))
        .sheet("Invited", 8.0, Count, |a| a.invited.map_or(Value::Empty, count))
        .sheet("RR1", 8.0, Percent, move |a| rate(a, a.complete))
        .sheet("RR2", 8.0, Percent, move |a| rate(a, a.complete + a.partial))
        .sheet("Caution", 30.0, Text, |a| {
            text(a.caution.clone().unwrap_or_default())
        })
        .sheet("Unknown answers", 10.0, Count, |a| count(a.unknown_answers))
        .sheet("Unknown attribute answers", 11.0, Count, |a| {
            count(a.unknown_attributes)
        })
        .sheet("Several options ticked", 10.0, Count, |a| {
            count(a.several_choices)
        })
        .sheet("Identifying columns dropped", 11.0, Count, |a| {
            count(a.dropped_columns)
        })
        .sheet("Unmapped columns", 10.0, Count, |a| count(a.unmapped_columns))
        .sheet("Items not asked", 30.0, Text, |a| {
            text(a.missing_items.join("; "))
        })
        .table(None, always("Data"), accounts)
}
