//! Tidy CSV outputs from the report model's data: `scores.csv` (one row per wave × level ×
//! id), `groups.csv` (wave × attribute × group × node), `comparison.csv` and `panel.csv` (one
//! row per level × id × compared pair of waves), `reliability.csv` and `drivers.csv` (wave ×
//! overall item × headline node). Numbers are written at
//! full precision (the shortest text that reads back as the computed value); cells of groups,
//! nodes and items under the suppression threshold are blank and say so. Text cells that a
//! spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) get a leading
//! apostrophe; numbers are written as numbers.

use crate::compare::{Direction, PanelComparison};
use crate::reliability::Reliability;
use crate::report::{full, Data};

/// A spreadsheet-safe text cell: a leading `'` before a formula character.
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Writes records whose text fields are neutralised; numeric fields are passed already
/// formatted and are written as they are.
struct Table {
    w: csv::Writer<Vec<u8>>,
}

impl Table {
    fn new(header: &[&str]) -> csv::Result<Table> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(header)?;
        Ok(Table { w })
    }

    fn row(&mut self, cells: impl IntoIterator<Item = Field>) -> csv::Result<()> {
        let record: Vec<String> = cells
            .into_iter()
            .map(|f| match f {
                Field::Text(t) => text_cell(&t),
                Field::Number(n) => n,
            })
            .collect();
        self.w.write_record(&record)
    }

    fn finish(self) -> csv::Result<Vec<u8>> {
        self.w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// A CSV field: text from an input or a definition, or a number already formatted.
enum Field {
    Text(String),
    Number(String),
}

fn t(text: impl Into<String>) -> Field {
    Field::Text(text.into())
}

fn num(value: Option<f64>) -> Field {
    Field::Number(full(value))
}

fn count(n: usize) -> Field {
    Field::Number(n.to_string())
}

pub fn scores_csv(data: &Data) -> csv::Result<Vec<u8>> {
    let mut header: Vec<String> = [
        "wave",
        "level",
        "id",
        "label",
        "reverse",
        "n",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "pct_favorable",
        "n_na",
    ]
    .map(String::from)
    .to_vec();
    header.extend(data.scale_values.iter().map(|v| format!("n_{v}")));
    header.push("suppressed".into());
    if data.weighted.is_some() {
        header.extend(crate::weights::columns::SCORES.map(String::from));
    }
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut w = Table::new(&refs)?;
    for (r, hidden) in &data.scores {
        let hidden = *hidden;
        let mut record = vec![
            t(&r.wave),
            t(&r.level),
            t(&r.id),
            t(&r.label),
            t(if data.reverse.contains(&r.id) { "yes" } else { "" }),
            count(r.n),
            num(r.mean),
            num(r.sd),
            num(r.ci.map(|c| c.0)),
            num(r.ci.map(|c| c.1)),
            num(r.pct_favorable),
            // N/A answers of a suppressed row would tell how its few respondents answered.
            if hidden {
                Field::Number(String::new())
            } else {
                count(r.n_na)
            },
        ];
        record.extend(data.scale_values.iter().map(|v| {
            if hidden {
                Field::Number(String::new())
            } else {
                count(r.counts.get(v).copied().unwrap_or(0))
            }
        }));
        record.push(t(if hidden { "suppressed" } else { "" }));
        if let Some(weighted) = &data.weighted {
            let s = weighted.score(&r.wave, &r.id);
            record.extend(crate::weights::columns::score_cells(s).into_iter().map(num));
        }
        w.row(record)?;
    }
    w.finish()
}

/// `groups.csv`: every wave × attribute × group × node with n, mean, SD and interval, or
/// `suppressed`; groups in the attribute's declared order; where the group was tested against
/// the rest of its wave, the difference, Welch's test, its q and Hedges' g.
pub fn groups_csv(data: &Data) -> csv::Result<Vec<u8>> {
    let mut header = vec![
        "wave",
        "attribute",
        "group",
        "id",
        "respondents",
        "n",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "suppressed",
        "diff_vs_rest",
        "ci_low_vs_rest",
        "ci_high_vs_rest",
        "ci_low_vs_rest_fcr",
        "ci_high_vs_rest_fcr",
        "statistic",
        "df",
        "p_value",
        "q_value",
        "effect_size",
        "magnitude",
        "direction",
    ];
    header.extend(data.weighted.as_ref().map(|_| "mean_weighted"));
    let mut w = Table::new(&header)?;
    let tests: std::collections::HashMap<_, _> = data
        .group_tests
        .iter()
        .map(|g| ((&g.wave, &g.attribute, &g.group, &g.id), g))
        .collect();
    for (attribute, s, hidden) in &data.groups {
        let test = tests
            .get(&(&s.wave, attribute, &s.group, &s.id))
            .filter(|_| !*hidden);
        let mut record = vec![
            t(&s.wave),
            t(attribute),
            t(&s.group),
            t(&s.id),
            count(s.respondents),
            count(s.n),
            num(s.mean),
            num(s.sd),
            num(s.ci.map(|c| c.0)),
            num(s.ci.map(|c| c.1)),
            t(if *hidden { "suppressed" } else { "" }),
        ];
        record.extend(group_test_cells(test.copied()));
        if let Some(weighted) = &data.weighted {
            record.push(num(weighted.group(attribute, &s.wave, &s.group, &s.id)));
        }
        w.row(record)?;
    }
    w.finish()
}

/// The test columns of one `groups.csv` row (blank where the group was not tested).
fn group_test_cells(g: Option<&crate::compare::GroupComparison>) -> Vec<Field> {
    let i = g.and_then(|g| g.interval);
    let fcr = g.and_then(|g| g.fcr);
    let o = g.and_then(|g| g.outcome);
    let direction = g.map_or("", |g| match g.direction {
        Direction::Improved => "better",
        Direction::Declined => "worse",
        Direction::NoReliableChange => "no reliable difference",
        Direction::TooSmall => "reliable but too small a difference",
        Direction::NotTested => "not tested",
    });
    vec![
        num(i.map(|i| i.diff)),
        num(i.map(|i| i.low)),
        num(i.map(|i| i.high)),
        num(fcr.map(|i| i.low)),
        num(fcr.map(|i| i.high)),
        num(o.map(|o| o.statistic)),
        num(o.and_then(|o| o.df)),
        num(o.map(|o| o.p)),
        num(o.map(|o| o.q)),
        num(o.and_then(|o| o.effect)),
        t(o.and_then(|o| o.magnitude).map_or("", |m| m.word())),
        t(direction),
    ]
}

pub fn comparison_csv(data: &Data) -> csv::Result<Vec<u8>> {
    let mut header = vec![
        "level",
        "id",
        "label",
        "from_wave",
        "to_wave",
        "n_from",
        "n_to",
        "n_linked",
        "mean_from",
        "mean_to",
        "diff",
        "ci_low",
        "ci_high",
        "ci_low_fcr",
        "ci_high_fcr",
        "test",
        "statistic",
        "df",
        "p_value",
        "q_value",
        "effect_size",
        "effect_measure",
        "magnitude",
        "reverse",
        "lower_is_better",
        "direction",
        "note",
        "p_welch",
        "p_mann_whitney",
    ];
    if data.weighted.is_some() {
        header.extend(crate::weights::columns::CHANGES);
    }
    let mut w = Table::new(&header)?;
    for c in &data.comparisons {
        let o = c.outcome;
        let mut record = vec![
            t(&c.level),
            t(&c.id),
            t(&c.label),
            t(&c.pair.from),
            t(&c.pair.to),
            count(c.n_from),
            count(c.n_to),
            count(c.n_linked),
            num(c.mean_from),
            num(c.mean_to),
            num(c.diff),
            num(c.interval.map(|i| i.low)),
            num(c.interval.map(|i| i.high)),
            num(c.fcr.map(|i| i.low)),
            num(c.fcr.map(|i| i.high)),
            t(o.map_or("", |o| o.test.name())),
            num(o.map(|o| o.statistic)),
            num(o.and_then(|o| o.df)),
            num(o.map(|o| o.p)),
            num(o.map(|o| o.q)),
            num(o.and_then(|o| o.effect)),
            t(o.map_or("", |o| o.test.effect_measure())),
            t(o.and_then(|o| o.magnitude).map_or("", |m| m.word())),
            t(if data.reverse.contains(&c.id) { "yes" } else { "" }),
            t(if c.lower_is_better { "yes" } else { "" }),
            t(c.direction.word()),
            t(&c.note),
            num(c.p_welch),
            num(c.p_mann_whitney),
        ];
        if let Some(weighted) = &data.weighted {
            let change = weighted.change(&c.pair.from, &c.pair.to, &c.id);
            let (numbers, direction) = crate::weights::columns::change_cells(change);
            record.extend(numbers.into_iter().map(num));
            record.push(t(direction));
        }
        w.row(record)?;
    }
    w.finish()
}

/// `reliability.csv`: one row per node and wave (item blank) with its alpha, then one row per
/// item with the alpha the node would have without it; `flag` says why a blank alpha is blank.
pub fn reliability_csv(rows: &[Reliability], suppress_below: usize, min_alpha: f64) -> csv::Result<Vec<u8>> {
    let mut w = Table::new(&[
        "wave",
        "level",
        "id",
        "label",
        "item",
        "n_items",
        "n_complete",
        "alpha",
        "flag",
    ])?;
    for r in rows {
        let hidden = r.n_complete < suppress_below;
        let k = r.items.len();
        let node_flag = if hidden {
            "suppressed: too few complete cases"
        } else if r.alpha.is_none() {
            r.not_computable(k)
        } else if r.flagged(min_alpha) {
            &format!("below {min_alpha}")
        } else {
            ""
        };
        let mut line = |item: &str, alpha: Option<f64>, flag: &str| {
            w.row([
                t(&r.wave),
                t(&r.level),
                t(&r.id),
                t(&r.label),
                t(item),
                count(k),
                count(r.n_complete),
                num(alpha.filter(|_| !hidden)),
                t(flag),
            ])
        };
        line("", r.alpha, node_flag)?;
        for (item, alpha) in r.items.iter().zip(&r.if_deleted) {
            let flag = match (alpha, r.alpha) {
                _ if hidden => "suppressed: too few complete cases",
                (None, _) => r.not_computable(k - 1),
                (Some(without), Some(with)) if *without > with => "alpha rises without this item",
                _ => "",
            };
            line(item, *alpha, flag)?;
        }
    }
    w.finish()
}

/// `panel.csv`: one row per level × id × pair of waves, over the linked respondents.
pub fn panel_csv(rows: &[PanelComparison]) -> csv::Result<Vec<u8>> {
    let mut w = Table::new(&[
        "level",
        "id",
        "label",
        "from_wave",
        "to_wave",
        "n_pairs",
        "mean_diff",
        "effect_dz",
        "t",
        "df",
        "p_paired_t",
        "w",
        "p_wilcoxon",
        "q_value",
        "direction",
        "note",
    ])?;
    for c in rows {
        w.row([
            t(&c.level),
            t(&c.id),
            t(&c.label),
            t(&c.pair.from),
            t(&c.pair.to),
            count(c.n_pairs),
            num(c.mean_diff),
            num(c.effect),
            num(c.paired_t.map(|t| t.0)),
            num(c.paired_t.map(|t| t.1)),
            num(c.paired_t.map(|t| t.2)),
            num(c.wilcoxon.map(|w| w.0)),
            num(c.wilcoxon.map(|w| w.1)),
            num(c.q),
            t(c.direction.word()),
            t(&c.note),
        ])?;
    }
    w.finish()
}

/// `drivers.csv`: per wave × overall item × headline node, its LMG importance on the R² scale
/// with its bootstrap interval, share of R² and rank; an analysis not run says why in `method`
/// and leaves its numbers blank.
pub fn drivers_csv(data: &Data) -> csv::Result<Vec<u8>> {
    let mut w = Table::new(&[
        "wave",
        "outcome",
        "level",
        "id",
        "label",
        "n",
        "r2",
        "importance",
        "share",
        "ci_low",
        "ci_high",
        "rank",
        "method",
    ])?;
    for k in &data.key_drivers {
        let why = format!("not analysed: {} complete cases, {} needed", k.n, k.needed);
        for (j, (level, id, label)) in k.predictors.iter().enumerate() {
            let node = k.fit.as_ref().map(|f| (f, &f.nodes[j]));
            w.row([
                t(&k.wave),
                t(&k.outcome),
                t(level),
                t(id),
                t(label),
                count(k.n),
                num(node.map(|(f, _)| f.r2)),
                num(node.map(|(_, n)| n.importance)),
                num(node.and_then(|(f, n)| f.share_of(n.importance))),
                num(node.map(|(_, n)| n.ci.0)),
                num(node.map(|(_, n)| n.ci.1)),
                node.map_or(Field::Number(String::new()), |(_, n)| count(n.rank)),
                t(node.map_or(why.as_str(), |(f, _)| f.method.name())),
            ])?;
        }
    }
    w.finish()
}

/// `comments.csv`: per wave × open question × theme, the non-empty comments with the theme,
/// their share of the non-empty comments, the non-empty and uncoded comments; whole-wave rows
/// (attribute and group empty) carry Fisher's exact p against `compared_with` (the previous
/// wave) and its Benjamini-Hochberg q within the question; groups under the suppression
/// threshold keep no counts and say `suppressed`. Never any comment text.
pub fn comments_csv(data: &Data) -> csv::Result<Vec<u8>> {
    let mut w = Table::new(&[
        "wave",
        "question",
        "theme",
        "label",
        "attribute",
        "group",
        "respondents",
        "comments",
        "nonempty",
        "share",
        "uncoded",
        "compared_with",
        "p_value",
        "q_value",
        "suppressed",
    ])?;
    let blank = || Field::Number(String::new());
    for (r, hidden) in &data.comments {
        let shown = |n: usize| if *hidden { blank() } else { count(n) };
        w.row([
            t(&r.wave),
            t(&r.question),
            t(&r.theme),
            t(&r.label),
            t(&r.attribute),
            t(&r.group),
            count(r.respondents),
            if r.theme.is_empty() {
                blank()
            } else {
                shown(r.comments)
            },
            shown(r.nonempty),
            num(r.share().filter(|_| !*hidden)),
            if r.theme.is_empty() {
                blank()
            } else {
                shown(r.uncoded)
            },
            t(r.compared_with.clone().unwrap_or_default()),
            num(r.p),
            num(r.q),
            t(if *hidden { "suppressed" } else { "" }),
        ])?;
    }
    w.finish()
}

/// The columns of `group_changes.csv` and of the workbook's Group changes sheet.
pub const GROUP_CHANGE_COLUMNS: [&str; 23] = [
    "attribute",
    "group",
    "level",
    "id",
    "label",
    "from_wave",
    "to_wave",
    "n_from",
    "n_to",
    "mean_from",
    "mean_to",
    "diff",
    "ci_low",
    "ci_high",
    "ci_low_fcr",
    "ci_high_fcr",
    "test",
    "statistic",
    "df",
    "p_value",
    "q_value",
    "effect_size",
    "direction",
];

/// `group_changes.csv`: per attribute × group × compared pair of waves × node, the group's
/// change tested as comparison.csv's are; a group suppressed in either wave keeps its counts
/// and reads `suppressed`.
pub fn group_changes_csv(data: &Data) -> csv::Result<Vec<u8>> {
    let mut w = Table::new(&GROUP_CHANGE_COLUMNS)?;
    for g in &data.group_changes {
        let (c, o) = (&g.change, g.change.outcome);
        w.row([
            t(&g.attribute),
            t(&g.group),
            t(&c.level),
            t(&c.id),
            t(&c.label),
            t(&c.pair.from),
            t(&c.pair.to),
            count(c.n_from),
            count(c.n_to),
            num(c.mean_from),
            num(c.mean_to),
            num(c.diff),
            num(c.interval.map(|i| i.low)),
            num(c.interval.map(|i| i.high)),
            num(c.fcr.map(|i| i.low)),
            num(c.fcr.map(|i| i.high)),
            t(o.map_or("", |o| o.test.name())),
            num(o.map(|o| o.statistic)),
            num(o.and_then(|o| o.df)),
            num(o.map(|o| o.p)),
            num(o.map(|o| o.q)),
            num(o.and_then(|o| o.effect)),
            t(if g.suppressed {
                "suppressed"
            } else {
                c.direction.word()
            }),
        ])?;
    }
    w.finish()
}
