//! The reader's view of a run: every number formatted, every sentence written, groups under
//! the suppression threshold already suppressed. The HTML report and the PDF brief are both
//! filled from it, so they cannot disagree.

use serde::Serialize;

use super::markdown::{alpha_cell, method_lines};
use super::tables::p_value;
use super::Report;
use crate::compare::Comparison;
use crate::score::ScoreRow;

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub mean: String,
    pub ci: String,
    pub n: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub from: String,
    pub to: String,
    pub diff: String,
    pub ci: String,
    /// "improved", "declined", "no reliable change" or "not tested".
    pub word: String,
    /// q and effect size of the primary test, as text ("" when not tested).
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub label: String,
    pub level: String,
    /// One per wave, `None` where the node was not scored.
    pub cells: Vec<Option<Cell>>,
    pub favourable: String,
    pub change: Option<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub kind: String,
    pub label: String,
    pub description: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaveCount {
    pub wave: String,
    pub file: String,
    pub platform: String,
    pub read: usize,
    pub used: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupColumn {
    pub name: String,
    pub respondents: usize,
    pub suppressed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupTable {
    pub attribute: String,
    pub question: String,
    pub wave: String,
    pub columns: Vec<GroupColumn>,
    /// Headline label, then one cell per column ("" where suppressed or not scored).
    pub rows: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub initiative: String,
    pub framework: String,
    pub framework_source: String,
    pub instrument: String,
    pub date: Option<String>,
    pub waves: Vec<String>,
    pub latest: String,
    pub headline_plural: String,
    pub headline: Vec<Row>,
    pub findings: Vec<String>,
    pub sections: Vec<Section>,
    pub responses: Vec<WaveCount>,
    pub groups: Vec<GroupTable>,
    pub suppress_below: usize,
    /// The thresholds a change must pass to be called one, as text.
    pub compare_alpha: String,
    pub min_effect: String,
    /// Node label, then Cronbach's alpha per wave ("0.85 (n=120)", ⚠ below 0.7).
    pub reliability: Vec<(String, Vec<String>)>,
    /// Headline rows of the linked-respondent comparison: label, waves, then the numbers as
    /// text (linked, mean change, paired t p, Wilcoxon p, q, d_z, verdict).
    pub panel: Vec<(String, String, Vec<String>)>,
    pub methods: Vec<String>,
    pub version: String,
}

fn cell(row: Option<&ScoreRow>) -> Option<Cell> {
    let row = row?;
    Some(Cell {
        mean: row.mean.map_or_else(|| "–".to_string(), |m| format!("{m:.2}")),
        ci: row
            .ci
            .map_or_else(String::new, |(lo, hi)| format!("{lo:.2}–{hi:.2}")),
        n: row.n,
    })
}

fn change(c: &Comparison) -> Change {
    Change {
        from: c.pair.from.clone(),
        to: c.pair.to.clone(),
        diff: c.diff.map_or_else(String::new, |d| format!("{d:+.2}")),
        ci: c
            .interval
            .map_or_else(String::new, |i| format!("{:+.2} to {:+.2}", i.low, i.high)),
        word: c.direction.word().to_string(),
        evidence: c.outcome.map_or_else(
            || c.note.clone(),
            |o| {
                let effect = o
                    .effect
                    .map_or_else(String::new, |e| format!(", {} {e:+.2}", o.test.effect_measure()));
                format!("q = {}{effect}", super::tables::p_value(Some(o.q)))
            },
        ),
    }
}

impl View {
    pub fn new(report: &Report) -> View {
        let fw = &report.instrument.framework;
        let scores = report.scores;
        let waves = scores.waves.clone();
        let latest = waves.last().cloned().unwrap_or_default();
        let first = waves.first().cloned().unwrap_or_default();
        // The change shown beside a row: first wave to latest.
        let overall = |id: &str| {
            report
                .comparisons
                .iter()
                .find(|c| c.id == id && c.pair.from == first && c.pair.to == latest)
                .map(change)
        };
        let row = |id: &str, label: &str, level: &str| Row {
            id: id.to_string(),
            label: label.to_string(),
            level: level.to_string(),
            cells: waves.iter().map(|w| cell(scores.row(w, id))).collect(),
            favourable: scores
                .row(&latest, id)
                .and_then(|r| r.pct_favorable)
                .map_or_else(String::new, |p| format!("{p:.0}%")),
            change: overall(id),
        };

        let headline: Vec<Row> = fw
            .nodes_at(&fw.headline_level)
            .map(|n| row(&n.id, &n.label, &n.level))
            .collect();
        let sections = fw
            .nodes
            .iter()
            .filter(|n| n.parent.is_none())
            .map(|top| Section {
                kind: fw.level(&top.level).map_or_else(String::new, |l| l.label.clone()),
                label: top.label.clone(),
                description: top.description.clone().unwrap_or_default(),
                rows: std::iter::once(row(&top.id, &format!("All {} items", top.label), &top.level))
                    .chain(
                        fw.nodes
                            .iter()
                            .filter(|n| n.parent.as_deref() == Some(top.id.as_str()))
                            .map(|n| row(&n.id, &n.label, &n.level)),
                    )
                    .collect(),
            })
            .collect();
        let responses = report
            .accounts
            .iter()
            .map(|a| WaveCount {
                wave: a.wave.clone(),
                file: a
                    .path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                platform: a.platform.to_string(),
                read: a.rows_read,
                used: a.rows_used,
                skipped: a.rows_skipped(),
            })
            .collect();

        View {
            initiative: report.initiative.to_string(),
            framework: fw.name.clone(),
            framework_source: fw.source.clone(),
            instrument: report.instrument.name.clone(),
            date: report.options.date.clone(),
            findings: findings(report, &headline, &latest),
            headline_plural: fw
                .level(&fw.headline_level)
                .map_or_else(String::new, |l| l.plural.clone()),
            headline,
            sections,
            responses,
            groups: group_tables(report, &latest),
            suppress_below: report.options.suppress_below,
            compare_alpha: report.compare.alpha.to_string(),
            min_effect: report.compare.min_effect.word().to_string(),
            reliability: reliability_rows(report),
            panel: panel_rows(report),
            methods: method_lines(report),
            version: env!("CARGO_PKG_VERSION").to_string(),
            waves,
            latest,
        }
    }
}

/// Headline findings in plain words: strongest and weakest headline node in the latest wave,
/// and every headline change between the first and the latest wave whose interval excludes 0.
fn findings(report: &Report, headline: &[Row], latest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let fw = &report.instrument.framework;
    let scored: Vec<(&str, f64, usize)> = fw
        .nodes_at(&fw.headline_level)
        .filter_map(|n| {
            let r = report.scores.row(latest, &n.id)?;
            Some((n.label.as_str(), r.mean?, r.n))
        })
        .collect();
    let by_mean = |a: &&(&str, f64, usize), b: &&(&str, f64, usize)| a.1.total_cmp(&b.1);
    if let (Some(top), Some(bottom)) = (scored.iter().max_by(by_mean), scored.iter().min_by(by_mean)) {
        out.push(format!(
            "In {latest}, partners rated {} highest ({:.2} on the 1–5 scale, n={}) and {} lowest ({:.2}, n={}).",
            top.0, top.1, top.2, bottom.0, bottom.1, bottom.2
        ));
    }
    for row in headline {
        let Some(change) = &row.change else { continue };
        let phrase = match change.word.as_str() {
            "improved" => "improved",
            "declined" => "declined",
            _ => continue,
        };
        let from = row
            .cells
            .first()
            .and_then(|c| c.as_ref())
            .map_or("–", |c| c.mean.as_str());
        let to = row
            .cells
            .last()
            .and_then(|c| c.as_ref())
            .map_or("–", |c| c.mean.as_str());
        out.push(format!(
            "{} {phrase} from {from} in {} to {to} in {} (difference {}, 95% interval {}; {}).",
            row.label, change.from, change.to, change.diff, change.ci, change.evidence
        ));
    }
    if out.len() == 1 && headline.iter().any(|r| r.change.is_some()) {
        out.push(
            "No function changed by more than its 95% interval allows between the first and the latest wave."
                .into(),
        );
    }
    let used: Vec<String> = report
        .accounts
        .iter()
        .map(|a| format!("{} in {}", a.rows_used, a.wave))
        .collect();
    out.push(format!("Responses used: {}.", used.join(", ")));
    out
}

/// One table per breakdown attribute for the latest wave; groups below the threshold are
/// suppressed (named, with no numbers).
fn group_tables(report: &Report, latest: &str) -> Vec<GroupTable> {
    let fw = &report.instrument.framework;
    let threshold = report.options.suppress_below;
    report
        .groups
        .iter()
        .map(|(attribute, scores)| {
            let mut columns: Vec<GroupColumn> = Vec::new();
            for s in scores.iter().filter(|s| s.wave == latest) {
                if !columns.iter().any(|c| c.name == s.group) {
                    columns.push(GroupColumn {
                        name: s.group.clone(),
                        respondents: s.respondents,
                        suppressed: s.respondents < threshold,
                    });
                }
            }
            let rows = fw
                .nodes_at(&fw.headline_level)
                .map(|node| {
                    let cells = columns
                        .iter()
                        .map(|c| {
                            let score = scores
                                .iter()
                                .find(|s| s.wave == latest && s.group == c.name && s.id == node.id);
                            match score {
                                Some(s) if !c.suppressed && s.n >= threshold => {
                                    s.mean.map_or_else(String::new, |m| format!("{m:.2}"))
                                }
                                _ => String::new(),
                            }
                        })
                        .collect();
                    (node.label.clone(), cells)
                })
                .collect();
            let question = report
                .instrument
                .attributes
                .iter()
                .find(|a| a.id == *attribute)
                .map_or_else(String::new, |a| a.question.clone());
            GroupTable {
                attribute: attribute.clone(),
                question,
                wave: latest.to_string(),
                columns,
                rows,
            }
        })
        .collect()
}

fn reliability_rows(report: &Report) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for r in report.reliability {
        if seen.contains(&r.id.as_str()) {
            continue;
        }
        seen.push(&r.id);
        let cells = report
            .scores
            .waves
            .iter()
            .map(|w| alpha_cell(report.reliability.iter().find(|x| x.wave == *w && x.id == r.id)))
            .collect();
        rows.push((r.label.clone(), cells));
    }
    rows
}

fn panel_rows(report: &Report) -> Vec<(String, String, Vec<String>)> {
    let fw = &report.instrument.framework;
    report
        .panel
        .iter()
        .filter(|c| c.level == fw.headline_level)
        .map(|c| {
            let verdict = c.direction.with_note(&c.note);
            let cells = vec![
                c.n_pairs.to_string(),
                c.mean_diff.map_or_else(String::new, |d| format!("{d:+.2}")),
                p_value(c.paired_t.map(|t| t.2)),
                p_value(c.wilcoxon.map(|w| w.1)),
                p_value(c.q),
                c.effect.map_or_else(String::new, |e| format!("{e:+.2}")),
                verdict,
            ];
            (c.label.clone(), format!("{} → {}", c.pair.from, c.pair.to), cells)
        })
        .collect()
}
