//! Render: writes every output of a run from the one report model ([`Report`]) into a folder;
//! [`crate::output`] makes that folder a fresh staging folder and swaps it in whole, so a failed
//! run never leaves a half-written report.

mod axis;
pub mod charts;
mod group_trend;
pub(crate) mod pdf;
pub mod priority;
mod subset;
pub mod tables;
pub(crate) mod templates;
mod themes;
mod xlsx;

use std::path::Path;

use crate::error::{Error, Result};
use crate::report::{NodeRow, Report, Section};
use charts::{
    Chart, ChartText, Distribution, GapRow, Group, Look, NodeScale, Point, RowLabel, ScaleKey, ScalePoint,
    Series, ShareRow,
};

/// Height of the document charts in design pixels (800 wide, 16:9).
const DOCUMENT_HEIGHT: u32 = 450;
/// The tallest part of a chart in report.html, in design pixels (a printed page at 800 wide).
const PAGE_HEIGHT: u32 = 1000;
/// The width of the brief's gap chart in design pixels (printed the brief's full width, its
/// text is as large as that of a document chart printed at 73%).
const BRIEF_GAP_WIDTH: u32 = 1100;
/// The folder of the slide versions of the charts.
pub const SLIDES: &str = "slides";

/// Writes every output into the folder `dir` (which the caller provides and swaps into place,
/// see [`crate::output`]) and returns the names of the files written, in the order written.
pub fn render(report: &Report, dir: &Path) -> Result<Vec<String>> {
    write_all(report, dir)
}

fn put(dir: &Path, names: &mut Vec<String>, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    names.push(name.to_string());
    Ok(())
}

fn write_all(report: &Report, dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for table in &report.tables {
        if let Some(name) = table.written(&table.csv) {
            let bytes = tables::csv(table).map_err(|e| Error::internal("render", e))?;
            put(dir, &mut names, name, &bytes)?;
        }
    }
    let workbook = xlsx::report_xlsx(report).map_err(|e| Error::internal("render", e))?;
    put(dir, &mut names, "report.xlsx", &workbook)?;
    crate::output::checkpoint("mid-render")?;
    put(
        dir,
        &mut names,
        "report.md",
        templates::report_md(report)?.as_bytes(),
    )?;

    let (charts, paged) = draw_charts(report, dir, &mut names)?;
    let html_page = templates::report_html(report, &paged)?;
    put(dir, &mut names, "report.html", html_page.as_bytes())?;
    let brief = pdf::brief_pdf(report, &charts, report.brief_template.as_deref())?;
    put(dir, &mut names, "brief.pdf", &brief)?;
    Ok(names)
}

/// The SVG text of every chart drawn, by name, for embedding in the HTML and PDF reports.
pub type ChartSvgs = std::collections::BTreeMap<String, String>;

/// What the charts draw, prepared from the report model once: each chart borrows its part.
struct ChartData {
    series: Vec<Series>,
    trend_text: ChartText,
    card_text: ChartText,
    scales: Vec<ScaleKey>,
    distribution: Vec<Distribution>,
    distribution_text: ChartText,
    node_labels: Vec<RowLabel>,
    group_sets: Vec<(String, ChartText, Vec<Group>)>,
    shares: (Vec<ShareRow>, Vec<String>),
    shares_text: ChartText,
    priorities: Vec<(String, ChartText, priority::Priority)>,
    themes: Vec<(String, ChartText, Vec<RowLabel>, Vec<Group>)>,
    gaps: Vec<(String, ChartText, Vec<GapRow>, String)>,
    suppress_below: usize,
}

impl ChartData {
    fn of(report: &Report) -> ChartData {
        let plural = &report.headline_level.plural;
        let latest = &report.latest;
        let c = &report.captions;
        // One wave has no trend yet: its chart says so and shows each node's mean.
        let trend_title = match report.waves.len() {
            1 => format!("{plural} in {latest}, the first wave (no trend yet)"),
            _ => format!("{plural} across waves"),
        };
        let mut dist_note = String::new();
        if report.reverse_items > 0 {
            dist_note.push_str("Reverse-worded items mirrored.");
        }
        ChartData {
            series: headline_series(report),
            trend_text: chart_text(report, trend_title, &c.interval_note),
            card_text: chart_text(report, format!("{plural} in {latest}"), &c.interval_note),
            scales: scale_keys(report),
            distribution: distribution_rows(report),
            distribution_text: chart_text(report, c.distribution_title.clone(), &dist_note),
            node_labels: report
                .headline
                .iter()
                .map(|r| RowLabel {
                    label: r.label.clone(),
                    scale: node_scale(r),
                })
                .collect(),
            group_sets: group_sets(report),
            shares: share_rows(report),
            shares_text: chart_text(report, format!("Who holds what, {latest}"), &c.groups),
            priorities: priority::from_report(report)
                .into_iter()
                .map(|(name, title, chart)| (name, chart_text(report, title, ""), chart))
                .collect(),
            themes: theme_sets(report),
            gaps: gap_charts(report, false),
            suppress_below: report.suppress_below,
        }
    }

    /// Every chart drawn for the documents and the slides, by file name, in drawing order.
    fn charts(&self) -> Vec<(String, Chart<'_>)> {
        let mut charts: Vec<(String, Chart)> = vec![
            ("trend".into(), Chart::Trend(&self.trend_text, &self.series)),
            (
                "scorecard".into(),
                Chart::Scorecard(&self.card_text, &self.series),
            ),
            (
                "distribution".into(),
                Chart::Distribution(&self.distribution_text, &self.distribution, &self.scales),
            ),
        ];
        let (share_rows, options) = &self.shares;
        if !share_rows.is_empty() {
            charts.push((
                "node-questions".into(),
                Chart::Shares(&self.shares_text, share_rows, options),
            ));
        }
        for (attribute, text, groups) in &self.group_sets {
            let chart = Chart::Groups(text, &self.node_labels, groups, self.suppress_below);
            charts.push((format!("groups-{attribute}"), chart));
        }
        for (name, text, chart) in &self.priorities {
            charts.push((name.clone(), Chart::Priority(text, chart)));
        }
        for (name, text, labels, groups) in &self.themes {
            charts.push((name.clone(), Chart::Groups(text, labels, groups, 0)));
        }
        for (name, text, rows, group) in &self.gaps {
            charts.push((name.clone(), Chart::Gap(text, rows, group)));
        }
        charts
    }
}

/// Per breakdown attribute: its name, the latest wave's group chart text, and each group's
/// headline means (none when suppressed).
fn group_sets(report: &Report) -> Vec<(String, ChartText, Vec<Group>)> {
    let plural = &report.headline_level.plural;
    report
        .groups
        .iter()
        .map(|table| {
            let title = format!("{plural} by {}, {}", table.label.to_lowercase(), report.latest);
            let groups = table
                .columns
                .iter()
                .enumerate()
                .map(|(i, col)| Group {
                    name: col.name.clone(),
                    respondents: col.respondents,
                    means: (!col.suppressed).then(|| {
                        table
                            .rows
                            .iter()
                            .map(|row| row.cells[i].as_ref().and_then(|cell| cell.mean))
                            .collect()
                    }),
                })
                .collect();
            (
                table.attribute.clone(),
                chart_text(report, title, &report.captions.groups),
                groups,
            )
        })
        .collect()
}

/// The themes of each open question as group charts: shares of comments (0–100%), no bands.
fn theme_sets(report: &Report) -> Vec<(String, ChartText, Vec<RowLabel>, Vec<Group>)> {
    themes::charts(report)
        .into_iter()
        .map(|c| {
            let mut text = chart_text(report, c.title, "");
            text.range = (0.0, 100.0);
            text.axis = Some(c.axis);
            // Shares of comments, not means: no bands.
            text.bands.clear();
            let labels = c
                .labels
                .into_iter()
                .map(|label| RowLabel { label, scale: None })
                .collect();
            (c.name, text, labels, c.groups)
        })
        .collect()
}

/// Draws every chart as PNG and SVG into `dir`; returns their SVGs whole (for the brief), and
/// with long charts in parts no taller than a printed page (for report.html).
fn draw_charts(report: &Report, dir: &Path, names: &mut Vec<String>) -> Result<(ChartSvgs, ChartSvgs)> {
    let data = ChartData::of(report);
    let charts = data.charts();
    let mut out = Drawn {
        dir,
        names,
        titles: report.chart_titles,
    };
    let (mut svgs, mut paged) = out.documents(&charts)?;
    out.slides(&charts)?;
    // Groups over time: document charts only (report.html).
    for (name, chart) in group_trend::from_report(report) {
        let least = Look::document(out.titles, DOCUMENT_HEIGHT);
        let look = Look::document(out.titles, chart.height(&least, DOCUMENT_HEIGHT));
        let (svg, png) = chart.render(&look).map_err(|e| failed(&name, e))?;
        out.put(&name, &png, &svg)?;
        paged.insert(name.clone(), svg.clone());
        svgs.insert(name, svg);
    }
    svgs.extend(brief_gap_charts(report)?);
    Ok((svgs, paged))
}

/// The brief's gap charts (gap-1-headline …): the headline nodes only, as tall as their rows
/// need (report.html and the slides show every top-level node). Wider than a document chart
/// so that labels keep to one line and the rows to one line's height, and titled by the
/// brief's caption instead: the brief has little room. Not written as files.
fn brief_gap_charts(report: &Report) -> Result<Vec<(String, String)>> {
    let wide = |height| Look {
        canvas: (BRIEF_GAP_WIDTH, height),
        ..Look::document(false, height)
    };
    gap_charts(report, true)
        .into_iter()
        .map(|(name, text, rows, group)| {
            let chart = Chart::Gap(&text, &rows, &group);
            let look = wide(chart.height(&wide(0), 0));
            let svg = chart
                .svg(&look)
                .map_err(|e| failed(&format!("{name}-headline"), e))?;
            Ok((format!("{name}-headline"), svg))
        })
        .collect()
}

fn failed(name: &str, e: String) -> Error {
    Error::internal("render", format!("chart {name}: {e}"))
}

/// Where the charts are written, and the files written so far.
struct Drawn<'a> {
    dir: &'a Path,
    names: &'a mut Vec<String>,
    titles: bool,
}

impl Drawn<'_> {
    fn put(&mut self, name: &str, png: &[u8], svg: &str) -> Result<()> {
        put(self.dir, self.names, &format!("{name}.png"), png)?;
        put(self.dir, self.names, &format!("{name}.svg"), svg.as_bytes())
    }

    fn draw(&mut self, name: &str, chart: &Chart, look: &Look) -> Result<String> {
        let (svg, png) = chart.render(look).map_err(|e| failed(name, e))?;
        self.put(name, &png, &svg)?;
        Ok(svg)
    }

    /// The document look, as tall as the chart needs and at least `least`.
    fn sized(&self, chart: &Chart, least: u32) -> Look {
        let look = Look::document(self.titles, least);
        Look::document(self.titles, chart.height(&look, least))
    }

    /// The document versions: each chart whole, and for report.html a long chart in parts no
    /// taller than a printed page.
    fn documents(&mut self, charts: &[(String, Chart)]) -> Result<(ChartSvgs, ChartSvgs)> {
        let (mut svgs, mut paged) = (ChartSvgs::new(), ChartSvgs::new());
        for (name, chart) in charts {
            let svg = self.draw(name, chart, &self.sized(chart, DOCUMENT_HEIGHT))?;
            let parts = chart.parts(&Look::document(self.titles, PAGE_HEIGHT));
            let shown = if parts.len() > 1 {
                let mut shown = String::new();
                for part in &parts {
                    shown.push_str(&part.svg(&self.sized(part, 0)).map_err(|e| failed(name, e))?);
                }
                shown
            } else {
                svg.clone()
            };
            paged.insert(name.clone(), shown);
            svgs.insert(name.clone(), svg);
        }
        Ok((svgs, paged))
    }

    /// Slide versions: 16:9, titled (the title names the wave), no source line; a long chart
    /// over as many slides as it needs.
    fn slides(&mut self, charts: &[(String, Chart)]) -> Result<()> {
        let slide = Look::slide(self.titles);
        for (name, chart) in charts {
            let parts = chart.parts(&slide);
            for (i, part) in parts.iter().enumerate() {
                let numbered = match parts.len() {
                    1 => format!("{SLIDES}/{name}"),
                    _ => format!("{SLIDES}/{name}-{}", i + 1),
                };
                self.draw(&numbered, part, &slide)?;
            }
        }
        Ok(())
    }
}

/// One gap chart per self-rating group with numbers: its name (gap-1, gap-2 … by its place
/// in `report.self_gaps`, as the templates find it), text, rows (the headline nodes' only
/// when `headline_only`) and the group's name.
fn gap_charts(report: &Report, headline_only: bool) -> Vec<(String, ChartText, Vec<GapRow>, String)> {
    report
        .self_gaps
        .iter()
        .enumerate()
        .map(|(i, gap)| {
            let title = format!("{} against everyone else, {}", gap.group, gap.wave);
            let note = format!("Gap: {} minus everyone else.", gap.group);
            let rows: Vec<GapRow> = gap
                .rows
                .iter()
                .filter(|row| row.headline || !headline_only)
                .filter_map(|row| {
                    let n = row.numbers?;
                    Some(GapRow {
                        label: row.label.clone(),
                        scale: n.range.map(|range| NodeScale {
                            range,
                            lower_is_better: n.lower_is_better,
                        }),
                        self_mean: n.self_mean,
                        others_mean: n.others_mean,
                        gap: n.gap,
                        reliable: n.reliable,
                    })
                })
                .collect();
            let mut text = chart_text(report, title, &note);
            // Top-level nodes of other frameworks may be on other scales: the axis spans them.
            let ranges = rows.iter().filter_map(|r| r.scale.map(|s| s.range));
            if let Some(range) = ranges.reduce(|a, b| (a.0.min(b.0), a.1.max(b.1))) {
                text.range = range;
            }
            (format!("gap-{}", i + 1), text, rows, gap.group.clone())
        })
        .filter(|(_, _, rows, _)| !rows.is_empty())
        .collect()
}

/// One bar per question about a framework node, with what the source document suggests.
fn share_rows(report: &Report) -> (Vec<ShareRow>, Vec<String>) {
    let options = report
        .node_questions
        .first()
        .map(|q| q.answers.iter().map(|a| a.option.clone()).collect())
        .unwrap_or_default();
    let rows = report
        .node_questions
        .iter()
        .map(|q| ShareRow {
            label: q.node.clone(),
            shares: (!q.suppressed).then(|| q.answers.iter().map(|a| a.percent.unwrap_or(0.0)).collect()),
            n: q.n,
            note: match (&q.beside_label, &q.beside) {
                (Some(label), Some(text)) => format!("{label}: {text}"),
                _ => String::new(),
            },
        })
        .collect();
    (rows, options)
}

fn scale_keys(report: &Report) -> Vec<ScaleKey> {
    report
        .scales
        .iter()
        .map(|s| ScaleKey {
            label: s.label.clone(),
            points: s
                .points
                .iter()
                .map(|p| ScalePoint {
                    value: p.value as f64,
                    label: p.label.clone(),
                    favourable: p.favourable,
                })
                .collect(),
        })
        .collect()
}

/// The latest wave's answer shares of every lowest node of the framework under its section
/// (an indicator), or of its items where there is no lower node to show (a one-level
/// framework) or the node mixes scales.
fn distribution_rows(report: &Report) -> Vec<Distribution> {
    let mut rows = Vec::new();
    for section in &report.sections {
        for (i, row) in section.rows.iter().enumerate() {
            let drawn = if row.is_item {
                parent_shows_items(section, i)
            } else {
                is_leaf(section, i) && row.depth > 0 && row.answers.is_some()
            };
            if let Some(bar) = drawn.then(|| distribution_row(&section.label, row)).flatten() {
                rows.push(bar);
            }
        }
    }
    rows
}

/// Whether a node row has no node under it (only items, or nothing).
fn is_leaf(section: &Section, at: usize) -> bool {
    let row = &section.rows[at];
    section.rows[at + 1..]
        .iter()
        .take_while(|r| r.depth > row.depth)
        .all(|r| r.is_item)
}

/// Whether the node an item sits under is drawn through its items: the section's own node, or
/// a node without a single-scale distribution.
fn parent_shows_items(section: &Section, item: usize) -> bool {
    let depth = section.rows[item].depth;
    section.rows[..item]
        .iter()
        .rposition(|r| !r.is_item && r.depth < depth)
        .is_some_and(|p| {
            let parent = &section.rows[p];
            is_leaf(section, p) && (parent.depth == 0 || parent.answers.is_none())
        })
}

fn distribution_row(section: &str, row: &NodeRow) -> Option<Distribution> {
    let answers = row.answers.as_ref()?;
    let mut label = row.label.clone();
    if row.lower_is_better {
        label.push_str(" (lower is better)");
    }
    Some(Distribution {
        section: section.to_string(),
        label,
        scale: answers.scale,
        shares: answers.shares.clone(),
        n: answers.n,
    })
}

fn chart_text(report: &Report, title: String, note: &str) -> ChartText {
    let c = &report.captions;
    let source = if note.is_empty() {
        c.source.clone()
    } else {
        format!("{} {note}", c.source)
    };
    ChartText {
        title: format!("{title} — {}", report.initiative),
        source,
        waves: report.waves.clone(),
        range: report.score_bounds,
        confidence: report.confidence.text.as_string(),
        axis: None,
        bands: report
            .bands
            .iter()
            .map(|b| (b.label.clone(), b.at_least))
            .collect(),
    }
}

/// A node's scale and direction, for its band zones.
fn node_scale(row: &NodeRow) -> Option<NodeScale> {
    row.range.map(|range| NodeScale {
        range,
        lower_is_better: row.lower_is_better,
    })
}

/// One series per headline node, one point per wave (suppressed cells are not drawn).
fn headline_series(report: &Report) -> Vec<Series> {
    report
        .headline
        .iter()
        .map(|row| Series {
            label: row.label.clone(),
            scale: node_scale(row),
            verdict: row
                .change_overall
                .as_ref()
                .or(row.change_recent.as_ref())
                .map(|c| {
                    // Labels of several words are spanned by an arrow, which may wrap.
                    let spaced = c.from.contains(' ') || c.to.contains(' ');
                    let span = if spaced { " → " } else { "–" };
                    format!("{} {}{span}{}", c.word, c.from, c.to)
                }),
            points: row
                .cells
                .iter()
                .map(|cell| {
                    let cell = cell.as_ref()?;
                    Some(Point {
                        mean: cell.mean?,
                        ci: cell.ci,
                        n: cell.n,
                    })
                })
                .collect(),
        })
        .collect()
}
