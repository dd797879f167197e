//! `report.xlsx`: the report's tables as one Excel workbook, from the same report model as every
//! other output. Sheets: Summary (headline nodes × waves: mean, interval, n, % favourable, and
//! the latest band), Changes (every compared pair of waves, each wave with the next and the
//! first with the last), Indicators (every framework node per wave), Items (statements, the
//! node they sit under, reverse marks, answers per point), Groups, Reliability, Drivers (what
//! each overall item tracks, as drivers.csv), Group changes (as group_changes.csv) and Data (rows read, used and skipped per file,
//! and why). Header rows are frozen and filtered; numbers are
//! numbers with formats (means 2 dp, p-values 4 dp, percentages), and every text cell is written
//! as a string, never a formula, whatever it starts with. The creation date is fixed, so the
//! same input gives the same bytes.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::report::Report;

/// How a column's numbers are shown.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Count,
    /// Means, SDs, interval bounds, differences, effect sizes: 2 decimals.
    Mean,
    /// Test statistics and alphas: 3 decimals.
    Stat,
    /// p- and q-values: 4 decimals.
    P,
    /// A share 0–1 shown as a percentage.
    Percent,
}

/// One cell: text, a number, or nothing (not computed, or suppressed).
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn number(value: Option<f64>) -> Cell {
    value.filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Number)
}

fn count(value: usize) -> Cell {
    Cell::Number(value as f64)
}

fn mark(yes: bool) -> Cell {
    text(if yes { "yes" } else { "" })
}

/// A sheet's columns (header, width in characters, kind) and its rows.
struct Sheet {
    name: &'static str,
    columns: Vec<(String, f64, Kind)>,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &'static str, columns: &[(&str, f64, Kind)]) -> Sheet {
        Sheet {
            name,
            columns: columns.iter().map(|(h, w, k)| (h.to_string(), *w, *k)).collect(),
            rows: Vec::new(),
        }
    }

    fn write(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        sheet.set_name(self.name)?;
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xF3F6F9));
        let format = |kind: Kind| match kind {
            Kind::Text => Format::new(),
            Kind::Count => Format::new().set_num_format("0"),
            Kind::Mean => Format::new().set_num_format("0.00"),
            Kind::Stat => Format::new().set_num_format("0.000"),
            Kind::P => Format::new().set_num_format("0.0000"),
            Kind::Percent => Format::new().set_num_format("0.0%"),
        };
        let formats: Vec<Format> = self.columns.iter().map(|c| format(c.2)).collect();
        for (c, (title, width, _)) in self.columns.iter().enumerate() {
            let col = c as u16;
            sheet.write_string_with_format(0, col, title, &header)?;
            sheet.set_column_width(col, *width)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(t) if !t.is_empty() => {
                        sheet.write_string(r, col, excel_text(t))?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number_with_format(r, col, *n, &formats[c])?;
                    }
                    _ => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let last_col = self.columns.len().saturating_sub(1) as u16;
        sheet.autofilter(0, 0, self.rows.len() as u32, last_col)?;
        Ok(())
    }
}

/// Text as a cell can hold it: at most 32,767 characters.
fn excel_text(text: &str) -> &str {
    match text.char_indices().nth(32_767) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The workbook's bytes.
pub fn report_xlsx(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: {}", report.title, report.initiative))
            .set_creation_datetime(&created),
    );
    // With `[weights]` the workbook leads with the weighted scores, as the other reports do.
    for sheet in weighted(report).into_iter().chain([
        summary(report),
        changes(report),
        indicators(report),
        items(report),
        groups(report),
        group_changes(report),
        reliability(report),
        drivers(report),
        comments(report),
        accounting(report),
    ]) {
        if !matches!(sheet.name, "Drivers" | "Themes" | "Group changes") || !sheet.rows.is_empty() {
            sheet.write(book.add_worksheet())?;
        }
    }
    book.save_to_buffer()
}

fn level_label(report: &Report, id: &str) -> String {
    report.level(id).map_or(id.to_string(), |l| l.label.clone())
}

/// Headline nodes × waves: mean, interval, n and % favourable per wave, the latest band.
fn summary(report: &Report) -> Sheet {
    let mut columns = vec![
        (report.headline_level.label.clone(), 34.0, Kind::Text),
        (format!("Band {}", report.latest), 12.0, Kind::Text),
    ];
    for wave in &report.waves {
        columns.push((format!("{wave} mean"), 10.0, Kind::Mean));
        columns.push((format!("{wave} CI low"), 10.0, Kind::Mean));
        columns.push((format!("{wave} CI high"), 10.0, Kind::Mean));
        columns.push((format!("{wave} n"), 8.0, Kind::Count));
        columns.push((format!("{wave} % favourable"), 12.0, Kind::Percent));
    }
    let refs: Vec<(&str, f64, Kind)> = columns.iter().map(|(h, w, k)| (h.as_str(), *w, *k)).collect();
    let mut sheet = Sheet::new("Summary", &refs);
    let scores = score_index(report);
    for row in &report.headline {
        let mut cells = vec![text(&row.label), text(row.band.clone().unwrap_or_default())];
        for wave in &report.waves {
            match scores.get(&(wave.as_str(), row.id.as_str())) {
                Some(s) => cells.extend([
                    number(s.mean),
                    number(s.ci.map(|c| c.0)),
                    number(s.ci.map(|c| c.1)),
                    count(s.n),
                    number(s.pct_favorable.map(|p| p / 100.0)),
                ]),
                None => cells.extend((0..5).map(|_| Cell::Empty)),
            }
        }
        sheet.rows.push(cells);
    }
    sheet
}

/// Headline nodes × waves weighted to the roster: mean, interval, % favourable and n_eff, with
/// the unweighted mean beside; none without `[weights]`.
fn weighted(report: &Report) -> Option<Sheet> {
    let weighting = report.data.weighted.as_ref()?;
    let mut columns = vec![(report.headline_level.label.clone(), 34.0, Kind::Text)];
    for wave in &report.waves {
        columns.push((format!("{wave} weighted mean"), 12.0, Kind::Mean));
        columns.push((format!("{wave} CI low"), 10.0, Kind::Mean));
        columns.push((format!("{wave} CI high"), 10.0, Kind::Mean));
        columns.push((format!("{wave} % favourable"), 12.0, Kind::Percent));
        columns.push((format!("{wave} n_eff"), 8.0, Kind::Mean));
        columns.push((format!("{wave} unweighted mean"), 12.0, Kind::Mean));
    }
    let refs: Vec<(&str, f64, Kind)> = columns.iter().map(|(h, w, k)| (h.as_str(), *w, *k)).collect();
    let mut sheet = Sheet::new("Weighted", &refs);
    let scores = score_index(report);
    for row in &report.headline {
        let mut cells = vec![text(&row.label)];
        for wave in &report.waves {
            let w = weighting.score(wave, &row.id);
            cells.extend([
                number(w.and_then(|w| w.mean)),
                number(w.and_then(|w| w.ci.map(|c| c.0))),
                number(w.and_then(|w| w.ci.map(|c| c.1))),
                number(w.and_then(|w| w.pct_favorable.map(|p| p / 100.0))),
                number(w.and_then(|w| w.n_eff)),
                number(
                    w.and(scores.get(&(wave.as_str(), row.id.as_str())))
                        .and_then(|s| s.mean),
                ),
            ]);
        }
        sheet.rows.push(cells);
    }
    Some(sheet)
}

type ScoreIndex<'a> = BTreeMap<(&'a str, &'a str), &'a crate::score::ScoreRow>;

/// Score rows by (wave, node id).
fn score_index(report: &Report) -> ScoreIndex<'_> {
    report
        .data
        .scores
        .iter()
        .map(|(s, _)| ((s.wave.as_str(), s.id.as_str()), s))
        .collect()
}

fn changes(report: &Report) -> Sheet {
    let mut sheet = Sheet::new(
        "Changes",
        &[
            ("Level", 11.0, Kind::Text),
            ("Id", 16.0, Kind::Text),
            ("Label", 40.0, Kind::Text),
            ("Reverse-worded", 9.0, Kind::Text),
            ("Lower is better", 9.0, Kind::Text),
            ("From", 8.0, Kind::Text),
            ("To", 8.0, Kind::Text),
            ("n from", 8.0, Kind::Count),
            ("n to", 8.0, Kind::Count),
            ("Linked", 8.0, Kind::Count),
            ("Mean from", 10.0, Kind::Mean),
            ("Mean to", 10.0, Kind::Mean),
            ("Difference", 10.0, Kind::Mean),
            ("CI low", 9.0, Kind::Mean),
            ("CI high", 9.0, Kind::Mean),
            ("CI low (FCR)", 9.0, Kind::Mean),
            ("CI high (FCR)", 9.0, Kind::Mean),
            ("Test", 14.0, Kind::Text),
            ("Statistic", 10.0, Kind::Stat),
            ("df", 8.0, Kind::Stat),
            ("p", 9.0, Kind::P),
            ("q", 9.0, Kind::P),
            ("Effect size", 9.0, Kind::Mean),
            ("Effect measure", 12.0, Kind::Text),
            ("Magnitude", 11.0, Kind::Text),
            ("Verdict", 18.0, Kind::Text),
            ("Note", 40.0, Kind::Text),
            ("p Welch", 9.0, Kind::P),
            ("p Mann-Whitney", 9.0, Kind::P),
        ],
    );
    for c in &report.data.comparisons {
        let o = c.outcome;
        sheet.rows.push(vec![
            text(level_label(report, &c.level)),
            text(&c.id),
            text(&c.label),
            mark(report.data.reverse.contains(&c.id)),
            mark(c.lower_is_better),
            text(&c.pair.from),
            text(&c.pair.to),
            count(c.n_from),
            count(c.n_to),
            count(c.n_linked),
            number(c.mean_from),
            number(c.mean_to),
            number(c.diff),
            number(c.interval.map(|i| i.low)),
            number(c.interval.map(|i| i.high)),
            number(c.fcr.map(|i| i.low)),
            number(c.fcr.map(|i| i.high)),
            text(o.map_or("", |o| o.test.name())),
            number(o.map(|o| o.statistic)),
            number(o.and_then(|o| o.df)),
            number(o.map(|o| o.p)),
            number(o.map(|o| o.q)),
            number(o.and_then(|o| o.effect)),
            text(o.map_or("", |o| o.test.effect_measure())),
            text(o.and_then(|o| o.magnitude).map_or("", |m| m.word())),
            text(c.direction.word()),
            text(&c.note),
            number(c.p_welch),
            number(c.p_mann_whitney),
        ]);
    }
    sheet
}

/// Where each node and item sits: (its top-level section, the node right above it).
fn placement(report: &Report) -> BTreeMap<&str, (&str, &str)> {
    let mut places = BTreeMap::new();
    for section in &report.sections {
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

/// The score columns the Indicators and Items sheets share, as [`score_cells`] fills them.
const SCORE_COLUMNS: [(&str, f64, Kind); 7] = [
    ("n", 7.0, Kind::Count),
    ("Mean", 8.0, Kind::Mean),
    ("SD", 8.0, Kind::Mean),
    ("CI low", 8.0, Kind::Mean),
    ("CI high", 8.0, Kind::Mean),
    ("% favourable", 11.0, Kind::Percent),
    ("N/A answers", 8.0, Kind::Count),
];

/// One score row's n, mean, SD, interval, % favourable and N/A count. The N/A count of a
/// suppressed row is left out: it would tell how its few respondents answered.
fn score_cells(s: &crate::score::ScoreRow, hidden: bool) -> [Cell; 7] {
    [
        count(s.n),
        number(s.mean),
        number(s.sd),
        number(s.ci.map(|c| c.0)),
        number(s.ci.map(|c| c.1)),
        number(s.pct_favorable.map(|p| p / 100.0)),
        if hidden { Cell::Empty } else { count(s.n_na) },
    ]
}

/// Every framework node (not items) per wave.
fn indicators(report: &Report) -> Sheet {
    let mut columns = vec![
        ("Wave", 8.0, Kind::Text),
        ("Level", 11.0, Kind::Text),
        ("Id", 16.0, Kind::Text),
        ("Label", 44.0, Kind::Text),
        ("Under", 30.0, Kind::Text),
    ];
    columns.extend(SCORE_COLUMNS);
    columns.push(("Suppressed", 10.0, Kind::Text));
    let mut sheet = Sheet::new("Indicators", &columns);
    let places = placement(report);
    for (s, hidden) in report.data.scores.iter().filter(|(s, _)| s.level != "item") {
        let under = places.get(s.id.as_str()).map_or("", |p| p.1);
        let mut cells = vec![
            text(&s.wave),
            text(level_label(report, &s.level)),
            text(&s.id),
            text(&s.label),
            text(under),
        ];
        cells.extend(score_cells(s, *hidden));
        cells.push(mark(*hidden));
        sheet.rows.push(cells);
    }
    sheet
}

/// Every item per wave: its statement, where it sits, whether it is reverse-worded, its
/// scores and the answers per scale value.
fn items(report: &Report) -> Sheet {
    let mut columns: Vec<(String, f64, Kind)> = [
        ("Wave", 8.0, Kind::Text),
        ("Id", 18.0, Kind::Text),
        ("Statement", 60.0, Kind::Text),
        ("Reverse-worded", 9.0, Kind::Text),
        ("Section", 28.0, Kind::Text),
        ("Under", 30.0, Kind::Text),
    ]
    .iter()
    .chain(&SCORE_COLUMNS)
    .map(|(h, w, k)| (h.to_string(), *w, *k))
    .collect();
    let values = &report.data.scale_values;
    columns.extend(values.iter().map(|v| (format!("Answered {v}"), 9.0, Kind::Count)));
    columns.push(("Suppressed".into(), 10.0, Kind::Text));
    let refs: Vec<(&str, f64, Kind)> = columns.iter().map(|(h, w, k)| (h.as_str(), *w, *k)).collect();
    let mut sheet = Sheet::new("Items", &refs);
    let places = placement(report);
    for (s, hidden) in report.data.scores.iter().filter(|(s, _)| s.level == "item") {
        let (section, under) = places.get(s.id.as_str()).copied().unwrap_or(("", ""));
        let mut cells = vec![
            text(&s.wave),
            text(&s.id),
            text(&s.label),
            mark(report.data.reverse.contains(&s.id)),
            text(section),
            text(under),
        ];
        cells.extend(score_cells(s, *hidden));
        cells.extend(values.iter().map(|v| {
            if *hidden {
                Cell::Empty
            } else {
                count(s.counts.get(v).copied().unwrap_or(0))
            }
        }));
        cells.push(mark(*hidden));
        sheet.rows.push(cells);
    }
    sheet
}

fn groups(report: &Report) -> Sheet {
    let mut sheet = Sheet::new(
        "Groups",
        &[
            ("Wave", 8.0, Kind::Text),
            ("Attribute", 14.0, Kind::Text),
            ("Group", 30.0, Kind::Text),
            ("Level", 11.0, Kind::Text),
            ("Id", 16.0, Kind::Text),
            ("Label", 44.0, Kind::Text),
            ("Respondents", 11.0, Kind::Count),
            ("n", 7.0, Kind::Count),
            ("Mean", 8.0, Kind::Mean),
            ("SD", 8.0, Kind::Mean),
            ("CI low", 8.0, Kind::Mean),
            ("CI high", 8.0, Kind::Mean),
            ("Suppressed", 10.0, Kind::Text),
        ],
    );
    let nodes: BTreeMap<&str, (&str, &str)> = report
        .data
        .scores
        .iter()
        .map(|(s, _)| (s.id.as_str(), (s.level.as_str(), s.label.as_str())))
        .collect();
    let attribute_labels: BTreeMap<&str, &str> = report
        .groups
        .iter()
        .map(|g| (g.attribute.as_str(), g.label.as_str()))
        .collect();
    for (attribute, s, hidden) in &report.data.groups {
        let (level, label) = nodes.get(s.id.as_str()).copied().unwrap_or(("", ""));
        let attribute = attribute_labels
            .get(attribute.as_str())
            .copied()
            .unwrap_or(attribute);
        sheet.rows.push(vec![
            text(&s.wave),
            text(attribute),
            text(&s.group),
            text(level_label(report, level)),
            text(&s.id),
            text(label),
            count(s.respondents),
            count(s.n),
            number(s.mean),
            number(s.sd),
            number(s.ci.map(|c| c.0)),
            number(s.ci.map(|c| c.1)),
            mark(*hidden),
        ]);
    }
    sheet
}

/// Cronbach's alpha per wave and node, then alpha without each item; under the suppression
/// threshold of complete cases, no alpha is given.
fn reliability(report: &Report) -> Sheet {
    let below = format!("Below {}", report.min_alpha);
    let mut sheet = Sheet::new(
        "Reliability",
        &[
            ("Wave", 8.0, Kind::Text),
            ("Level", 11.0, Kind::Text),
            ("Id", 16.0, Kind::Text),
            ("Label", 44.0, Kind::Text),
            ("Without item", 18.0, Kind::Text),
            ("Items", 7.0, Kind::Count),
            ("Complete cases", 10.0, Kind::Count),
            ("Alpha", 8.0, Kind::Stat),
            (below.as_str(), 9.0, Kind::Text),
            ("Suppressed", 10.0, Kind::Text),
        ],
    );
    for r in &report.data.reliability {
        let hidden = r.n_complete < report.suppress_below;
        let mut line = |item: &str, alpha: Option<f64>, flagged: bool| {
            sheet.rows.push(vec![
                text(&r.wave),
                text(level_label(report, &r.level)),
                text(&r.id),
                text(&r.label),
                text(item),
                count(r.items.len()),
                count(r.n_complete),
                number(alpha.filter(|_| !hidden)),
                mark(flagged && !hidden),
                mark(hidden),
            ]);
        };
        line("", r.alpha, r.flagged(report.min_alpha));
        for (item, alpha) in r.items.iter().zip(&r.if_deleted) {
            line(item, *alpha, false);
        }
    }
    sheet
}

/// Per wave, overall item and headline node: importance (share of R²) with its interval and
/// rank, as drivers.csv; an analysis not run says why.
fn drivers(report: &Report) -> Sheet {
    let mut sheet = Sheet::new(
        "Drivers",
        &[
            ("Wave", 8.0, Kind::Text),
            ("Outcome", 20.0, Kind::Text),
            ("Level", 11.0, Kind::Text),
            ("Id", 16.0, Kind::Text),
            ("Label", 44.0, Kind::Text),
            ("Complete cases", 10.0, Kind::Count),
            ("R²", 8.0, Kind::Stat),
            ("Importance", 10.0, Kind::Stat),
            ("Share of R²", 9.0, Kind::Percent),
            ("Low", 8.0, Kind::Stat),
            ("High", 8.0, Kind::Stat),
            ("Rank", 6.0, Kind::Count),
            ("Method", 24.0, Kind::Text),
        ],
    );
    for k in &report.data.key_drivers {
        for (j, (level, id, label)) in k.predictors.iter().enumerate() {
            let node = k.fit.as_ref().map(|f| (f, &f.nodes[j]));
            sheet.rows.push(vec![
                text(&k.wave),
                text(&k.outcome),
                text(level_label(report, level)),
                text(id),
                text(label),
                count(k.n),
                number(node.map(|(f, _)| f.r2)),
                number(node.map(|(_, n)| n.importance)),
                number(node.and_then(|(f, n)| f.share_of(n.importance))),
                number(node.map(|(_, n)| n.ci.0)),
                number(node.map(|(_, n)| n.ci.1)),
                node.map_or(Cell::Empty, |(_, n)| count(n.rank)),
                text(node.map_or(
                    format!("not analysed: {} complete cases, {} needed", k.n, k.needed),
                    |(f, _)| f.method.name().to_string(),
                )),
            ]);
        }
    }
    sheet
}

/// Per wave, open question, group and theme: comments with the theme and their share, as
/// comments.csv (counts only, never comment text).
fn comments(report: &Report) -> Sheet {
    let mut sheet = Sheet::new(
        "Themes",
        &[
            ("Wave", 8.0, Kind::Text),
            ("Question", 14.0, Kind::Text),
            ("Theme", 30.0, Kind::Text),
            ("Attribute", 12.0, Kind::Text),
            ("Group", 20.0, Kind::Text),
            ("Comments", 9.0, Kind::Count),
            ("Non-empty", 9.0, Kind::Count),
            ("Share", 8.0, Kind::Percent),
            ("Uncoded", 9.0, Kind::Count),
            ("Against", 8.0, Kind::Text),
            ("p", 8.0, Kind::Stat),
            ("q", 8.0, Kind::Stat),
        ],
    );
    for (r, hidden) in &report.data.comments {
        let shown = |n: usize| {
            if *hidden || r.theme.is_empty() {
                Cell::Empty
            } else {
                count(n)
            }
        };
        sheet.rows.push(vec![
            text(&r.wave),
            text(&r.question),
            text(if *hidden {
                "suppressed".to_string()
            } else {
                r.label.clone()
            }),
            text(&r.attribute),
            text(&r.group),
            shown(r.comments),
            if *hidden { Cell::Empty } else { count(r.nonempty) },
            number(r.share().filter(|_| !*hidden)),
            shown(r.uncoded),
            text(r.compared_with.clone().unwrap_or_default()),
            number(r.p),
            number(r.q),
        ]);
    }
    sheet
}

/// Rows read, used and skipped per file, with the reasons, and the response rates.
fn accounting(report: &Report) -> Sheet {
    let mut sheet = Sheet::new(
        "Data",
        &[
            ("Wave", 8.0, Kind::Text),
            ("File", 30.0, Kind::Text),
            ("Platform", 16.0, Kind::Text),
            ("Encoding", 12.0, Kind::Text),
            ("Rows read", 9.0, Kind::Count),
            ("Used", 8.0, Kind::Count),
            ("Skipped", 8.0, Kind::Count),
            ("Why skipped", 50.0, Kind::Text),
            ("Complete", 9.0, Kind::Count),
            ("Partial", 8.0, Kind::Count),
            ("Invited", 8.0, Kind::Count),
            ("RR1", 8.0, Kind::Percent),
            ("RR2", 8.0, Kind::Percent),
            ("Caution", 30.0, Kind::Text),
            ("Unknown answers", 10.0, Kind::Count),
            ("Unknown attribute answers", 11.0, Kind::Count),
            ("Several options ticked", 10.0, Kind::Count),
            ("Identifying columns dropped", 11.0, Kind::Count),
            ("Unmapped columns", 10.0, Kind::Count),
            ("Items not asked", 30.0, Kind::Text),
        ],
    );
    for a in &report.accounts {
        let rate = |answered: usize| a.invited.filter(|&i| i > 0).map(|i| answered as f64 / i as f64);
        sheet.rows.push(vec![
            text(&a.wave),
            text(&a.file),
            text(&a.platform),
            text(&a.encoding),
            count(a.read),
            count(a.used),
            count(a.skipped),
            text(a.skip_reasons.join("; ")),
            count(a.complete),
            count(a.partial),
            a.invited.map_or(Cell::Empty, count),
            number(rate(a.complete)),
            number(rate(a.complete + a.partial)),
            text(a.caution.clone().unwrap_or_default()),
            count(a.unknown_answers),
            count(a.unknown_attributes),
            count(a.several_choices),
            count(a.dropped_columns),
            count(a.unmapped_columns),
            text(a.missing_items.join("; ")),
        ]);
    }
    sheet
}

/// Each group's change between the compared waves, with group_changes.csv's columns.
fn group_changes(report: &Report) -> Sheet {
    let kinds = [
        Kind::Text,
        Kind::Text,
        Kind::Text,
        Kind::Text,
        Kind::Text,
        Kind::Text,
        Kind::Text,
        Kind::Count,
        Kind::Count,
        Kind::Mean,
        Kind::Mean,
        Kind::Mean,
        Kind::Mean,
        Kind::Mean,
        Kind::Mean,
        Kind::Mean,
        Kind::Text,
        Kind::Stat,
        Kind::Stat,
        Kind::P,
        Kind::P,
        Kind::Mean,
        Kind::Text,
    ];
    let columns: Vec<(&str, f64, Kind)> = crate::render::tables::GROUP_CHANGE_COLUMNS
        .iter()
        .zip(kinds)
        .map(|(h, k)| (*h, if matches!(k, Kind::Text) { 16.0 } else { 9.0 }, k))
        .collect();
    let mut sheet = Sheet::new("Group changes", &columns);
    for g in &report.data.group_changes {
        let (c, o) = (&g.change, g.change.outcome);
        sheet.rows.push(vec![
            text(&g.attribute),
            text(&g.group),
            text(level_label(report, &c.level)),
            text(&c.id),
            text(&c.label),
            text(&c.pair.from),
            text(&c.pair.to),
            count(c.n_from),
            count(c.n_to),
            number(c.mean_from),
            number(c.mean_to),
            number(c.diff),
            number(c.interval.map(|i| i.low)),
            number(c.interval.map(|i| i.high)),
            number(c.fcr.map(|i| i.low)),
            number(c.fcr.map(|i| i.high)),
            text(o.map_or("", |o| o.test.name())),
            number(o.map(|o| o.statistic)),
            number(o.and_then(|o| o.df)),
            number(o.map(|o| o.p)),
            number(o.map(|o| o.q)),
            number(o.and_then(|o| o.effect)),
            text(if g.suppressed {
                "suppressed"
            } else {
                c.direction.word()
            }),
        ]);
    }
    sheet
}
