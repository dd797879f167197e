//! Render: writes the outputs of a run into the output folder. Everything is first written to a
//! staging folder inside it and moved into place only when every file succeeded, so a failed
//! run never leaves a half-written report.

pub mod charts;
pub mod markdown;
pub mod tables;

use std::path::{Path, PathBuf};

use crate::compare::Comparison;
use crate::config::Rules;
use crate::error::{Error, Result};
use crate::instrument::Instrument;
use crate::map::FileAccount;
use crate::score::Scores;
use charts::{Chart, ChartText, Point, Series};

/// Everything a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub initiative: &'a str,
    pub instrument: &'a Instrument,
    pub rules: &'a Rules,
    pub accounts: &'a [FileAccount],
    pub scores: &'a Scores,
    pub comparisons: &'a [Comparison],
}

const STAGING: &str = ".backbone-staging";
const CHART_SIZE: (u32, u32) = (1200, 640);

/// Writes every output into `out` and returns their paths, in the order written.
pub fn render(report: &Report, out: &Path) -> Result<Vec<PathBuf>> {
    let staging = out.join(STAGING);
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let written = write_all(report, &staging);
    let names = match written {
        Ok(names) => names,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let mut paths = Vec::new();
    for name in names {
        let target = out.join(&name);
        std::fs::rename(staging.join(&name), &target).map_err(|e| Error::io(&target, e))?;
        paths.push(target);
    }
    std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    Ok(paths)
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
    put(
        dir,
        &mut names,
        "report.md",
        markdown::report_md(report).as_bytes(),
    )?;

    let series = headline_series(report);
    let fw = &report.instrument.framework;
    let plural = fw
        .level(&fw.headline_level)
        .map_or("Scores", |l| l.plural.as_str());
    let latest = report.scores.waves.last().cloned().unwrap_or_default();
    let trend_text = chart_text(report, format!("{plural} across waves"));
    let card_text = chart_text(report, format!("{plural} in {latest}"));
    let charts = [
        ("trend", Chart::Trend(&trend_text, &series)),
        ("scorecard", Chart::Scorecard(&card_text, &series)),
    ];
    for (name, chart) in charts {
        let png = format!("{name}.png");
        let svg = chart
            .render(CHART_SIZE, &dir.join(&png))
            .map_err(|e| Error::internal("render", format!("chart {name}: {e}")))?;
        names.push(png);
        put(dir, &mut names, &format!("{name}.svg"), svg.as_bytes())?;
    }
    Ok(names)
}

fn chart_text(report: &Report, title: String) -> ChartText {
    let n: Vec<String> = report
        .accounts
        .iter()
        .map(|a| format!("{} n={}", a.wave, a.rows_used))
        .collect();
    ChartText {
        title: format!("{title} — {}", report.initiative),
        source: format!(
            "Source: {} ({}); respondents: {}. Scale 1–5, higher is better; bars are 95% intervals.",
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
    fw.nodes_at(&fw.headline_level)
        .map(|node| Series {
            label: node.label.clone(),
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
