//! Render: writes the outputs of a run into a folder; [`crate::output`] makes that folder a
//! fresh staging folder and swaps it in whole, so a failed run never leaves a half-written
//! report.

pub mod charts;
mod html;
pub mod markdown;
mod pdf;
pub mod tables;
pub mod view;

use std::path::Path;

use crate::compare::{Comparison, PanelComparison};
use crate::config::{CompareRules, ReportOptions, Rules};
use crate::error::{Error, Result};
use crate::instrument::Instrument;
use crate::map::FileAccount;
use crate::reliability::Reliability;
use crate::score::{GroupScore, Scores};
use charts::{Chart, ChartText, Distribution, Group, Point, Series};
use view::View;

/// Everything a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub initiative: &'a str,
    pub instrument: &'a Instrument,
    pub rules: &'a Rules,
    pub accounts: &'a [FileAccount],
    pub scores: &'a Scores,
    pub comparisons: &'a [Comparison],
    pub groups: &'a [(String, Vec<GroupScore>)],
    pub options: &'a ReportOptions,
    pub compare: &'a CompareRules,
    pub reliability: &'a [Reliability],
    pub panel: &'a [PanelComparison],
}

const CHART_SIZE: (u32, u32) = (1200, 640);

/// Writes every output into the folder `dir` (which the caller provides and swaps into place,
/// see [`crate::output`]) and returns the names of the files written, in the order written.
pub fn render(report: &Report, dir: &Path) -> Result<Vec<String>> {
    write_all(report, dir)
}

fn put(dir: &Path, names: &mut Vec<String>, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    names.push(name.to_string());
    Ok(())
}

fn write_all(report: &Report, dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let csv_failed = |e: csv::Error| Error::internal("render", e);
    let scores_csv = tables::scores_csv(report.scores).map_err(csv_failed)?;
    put(dir, &mut names, "scores.csv", &scores_csv)?;
    let comparison_csv = tables::comparison_csv(report.comparisons).map_err(csv_failed)?;
    put(dir, &mut names, "comparison.csv", &comparison_csv)?;
    let reliability_csv = tables::reliability_csv(report.reliability).map_err(csv_failed)?;
    put(dir, &mut names, "reliability.csv", &reliability_csv)?;
    crate::output::checkpoint("mid-render")?;
    if !report.panel.is_empty() {
        let panel_csv = tables::panel_csv(report.panel).map_err(csv_failed)?;
        put(dir, &mut names, "panel.csv", &panel_csv)?;
    }
    put(
        dir,
        &mut names,
        "report.md",
        markdown::report_md(report).as_bytes(),
    )?;

    let charts = draw_charts(report, dir, &mut names)?;
    let view = View::new(report);
    let html_page = html::report_html(&view, &charts)?;
    put(dir, &mut names, "report.html", html_page.as_bytes())?;
    let brief = pdf::brief_pdf(&view, &charts, report.options.brief_template.as_deref())?;
    put(dir, &mut names, "brief.pdf", &brief)?;
    Ok(names)
}

/// The SVG text of every chart drawn, by name, for embedding in the HTML and PDF reports.
pub type ChartSvgs = std::collections::BTreeMap<String, String>;

/// Draws every chart as PNG and SVG into `dir`.
fn draw_charts(report: &Report, dir: &Path, names: &mut Vec<String>) -> Result<ChartSvgs> {
    let fw = &report.instrument.framework;
    let plural = fw
        .level(&fw.headline_level)
        .map_or("Scores", |l| l.plural.as_str());
    let latest = report.scores.waves.last().cloned().unwrap_or_default();
    let series = headline_series(report);
    let trend_text = chart_text(report, format!("{plural} across waves"), INTERVAL_NOTE);
    let card_text = chart_text(report, format!("{plural} in {latest}"), INTERVAL_NOTE);
    let (rows, points) = distribution_rows(report, &latest);
    let dist_text = chart_text(
        report,
        format!("How partners answered, {latest}"),
        "Reverse-worded items mirrored.",
    );
    let dist_height = 190
        + 36 * (rows.len()
            + rows
                .iter()
                .map(|r| &r.section)
                .collect::<std::collections::BTreeSet<_>>()
                .len()) as u32;
    let node_labels: Vec<String> = fw.nodes_at(&fw.headline_level).map(|n| n.label.clone()).collect();
    let group_sets: Vec<(String, ChartText, Vec<Group>)> = report
        .groups
        .iter()
        .map(|(attribute, scores)| {
            let title = format!("{plural} by {attribute}, {latest}");
            let note = format!(
                "Groups under {} respondents suppressed.",
                report.options.suppress_below
            );
            (
                attribute.clone(),
                chart_text(report, title, &note),
                group_series(report, scores, &latest),
            )
        })
        .collect();

    let mut charts: Vec<(String, Chart, (u32, u32))> = vec![
        ("trend".into(), Chart::Trend(&trend_text, &series), CHART_SIZE),
        (
            "scorecard".into(),
            Chart::Scorecard(&card_text, &series),
            CHART_SIZE,
        ),
        (
            "distribution".into(),
            Chart::Distribution(&dist_text, &rows, &points),
            (1200, dist_height),
        ),
    ];
    for (attribute, text, groups) in &group_sets {
        let chart = Chart::Groups(text, &node_labels, groups, report.options.suppress_below);
        charts.push((format!("groups-{attribute}"), chart, CHART_SIZE));
    }
    let mut svgs = ChartSvgs::new();
    for (name, chart, size) in charts {
        let png = format!("{name}.png");
        let svg = chart
            .render(size, &dir.join(&png))
            .map_err(|e| Error::internal("render", format!("chart {name}: {e}")))?;
        names.push(png);
        put(dir, names, &format!("{name}.svg"), svg.as_bytes())?;
        svgs.insert(name, svg);
    }
    Ok(svgs)
}

/// Answer shares per leaf node (indicator) of the framework in one wave, grouped under their
/// top-level node, and the labels of the scale points.
fn distribution_rows(report: &Report, wave: &str) -> (Vec<Distribution>, Vec<String>) {
    let fw = &report.instrument.framework;
    let values = &report.scores.scale_values;
    let points = report
        .instrument
        .scales
        .values()
        .next()
        .map(|s| {
            values
                .iter()
                .map(|v| {
                    s.points
                        .iter()
                        .find(|p| p.value == *v)
                        .map_or_else(|| v.to_string(), |p| p.label.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    let leaves = fw.nodes.iter().filter(|n| {
        !fw.nodes
            .iter()
            .any(|c| c.parent.as_deref() == Some(n.id.as_str()))
    });
    let rows = leaves
        .filter_map(|node| {
            let row = report.scores.row(wave, &node.id)?;
            let total: usize = row.counts.values().sum();
            if total == 0 {
                return None;
            }
            let section = fw.ancestry(&node.id)?.last().map(|top| top.label.clone())?;
            Some(Distribution {
                section,
                label: node.label.clone(),
                shares: values
                    .iter()
                    .map(|v| 100.0 * row.counts.get(v).copied().unwrap_or(0) as f64 / total as f64)
                    .collect(),
                n: total,
            })
        })
        .collect();
    (rows, points)
}

/// One entry per group of the latest wave; groups under the suppression threshold carry no
/// numbers at all.
fn group_series(report: &Report, scores: &[GroupScore], wave: &str) -> Vec<Group> {
    let fw = &report.instrument.framework;
    let threshold = report.options.suppress_below;
    let mut groups: Vec<Group> = Vec::new();
    for s in scores.iter().filter(|s| s.wave == wave) {
        if groups.iter().any(|g| g.name == s.group) {
            continue;
        }
        let means = (s.respondents >= threshold).then(|| {
            fw.nodes_at(&fw.headline_level)
                .map(|node| {
                    scores
                        .iter()
                        .find(|x| x.wave == wave && x.group == s.group && x.id == node.id)
                        .filter(|x| x.n >= threshold)
                        .and_then(|x| x.mean)
                })
                .collect()
        });
        groups.push(Group {
            name: s.group.clone(),
            respondents: s.respondents,
            means,
        });
    }
    groups
}

/// What the interval bars mean, for the source line of the charts that have them.
const INTERVAL_NOTE: &str = "Scale 1–5, higher is better; bars are 95% intervals.";

fn chart_text(report: &Report, title: String, note: &str) -> ChartText {
    let n: Vec<String> = report
        .accounts
        .iter()
        .map(|a| format!("{} n={}", a.wave, a.rows_used))
        .collect();
    ChartText {
        title: format!("{title} — {}", report.initiative),
        source: format!(
            "Source: {} ({}); respondents: {}. {note}",
            report.instrument.name,
            report.instrument.framework.name,
            n.join(", ")
        ),
        waves: report.scores.waves.clone(),
        range: scale_range(report.instrument),
    }
}

/// The smallest and largest scale values of the instrument, the charts' score axis.
fn scale_range(instrument: &Instrument) -> (f64, f64) {
    let lo = instrument.scales.values().map(|s| s.min()).min().unwrap_or(1);
    let hi = instrument.scales.values().map(|s| s.max()).max().unwrap_or(5);
    (lo as f64, hi as f64)
}

/// One series per headline node (the functions), one point per wave.
fn headline_series(report: &Report) -> Vec<Series> {
    let fw = &report.instrument.framework;
    let (first, last) = (report.scores.waves.first(), report.scores.waves.last());
    fw.nodes_at(&fw.headline_level)
        .map(|node| Series {
            label: node.label.clone(),
            verdict: report
                .comparisons
                .iter()
                .find(|c| c.id == node.id && Some(&c.pair.from) == first && Some(&c.pair.to) == last)
                .map(|c| format!("{} {}–{}", c.direction.word(), c.pair.from, c.pair.to)),
            points: report
                .scores
                .waves
                .iter()
                .map(|w| {
                    let row = report.scores.row(w, &node.id)?;
                    Some(Point {
                        mean: row.mean?,
                        ci: row.ci,
                        n: row.n,
                    })
                })
                .collect(),
        })
        .collect()
}
