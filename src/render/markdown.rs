//! `report.md`: the scores, changes, data accounting and methods as Markdown, for people who
//! paste into documents. Survey-derived text is escaped.

use std::fmt::Write;

use super::Report;
use crate::compare::{Comparison, Direction};
use crate::map::FileAccount;
use crate::reliability::ACCEPTABLE_ALPHA;
use crate::render::tables::{fixed, p_value};
use crate::score::ScoreRow;

/// Escapes Markdown syntax and folds line breaks, so survey text renders as text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn cell(row: Option<&ScoreRow>) -> String {
    match row {
        Some(r) if r.mean.is_some() => {
            let ci =
                r.ci.map_or_else(String::new, |(lo, hi)| format!(" [{lo:.2}, {hi:.2}]"));
            format!("{}{ci} (n={})", fixed(r.mean, 2), r.n)
        }
        Some(r) => format!("– (n={})", r.n),
        None => "not asked".to_string(),
    }
}

pub fn report_md(report: &Report) -> String {
    let mut md = String::new();
    let fw = &report.instrument.framework;
    let scores = report.scores;
    let waves = &scores.waves;
    let headline = fw
        .level(&fw.headline_level)
        .map_or("Nodes", |l| l.plural.as_str());

    let _ = writeln!(md, "# Backbone effectiveness: {}\n", escape(report.initiative));
    let _ = writeln!(
        md,
        "Framework: {} ({}). Instrument: {}. Waves: {}.\n",
        escape(&fw.name),
        escape(&fw.source),
        escape(&report.instrument.name),
        waves.join(", ")
    );

    let _ = writeln!(md, "## Summary\n");
    let _ = writeln!(
        md,
        "Mean score on the 1–5 scale with its 95% interval and the number of respondents.\n"
    );
    table_header(&mut md, headline, waves);
    for node in fw.nodes_at(&fw.headline_level) {
        let cells: Vec<String> = waves.iter().map(|w| cell(scores.row(w, &node.id))).collect();
        let _ = writeln!(md, "| {} | {} |", escape(&node.label), cells.join(" | "));
    }
    let _ = writeln!(
        md,
        "\n![Trend of the {} across waves](trend.png)\n",
        headline.to_lowercase()
    );
    let _ = writeln!(md, "![Scorecard of the latest wave](scorecard.png)\n");

    changes(&mut md, report, headline);
    panel(&mut md, report, headline);

    for top in fw.nodes.iter().filter(|n| n.parent.is_none()) {
        let level = fw.level(&top.level).map_or("", |l| l.label.as_str());
        let _ = writeln!(md, "## {level}: {}\n", escape(&top.label));
        if let Some(d) = &top.description {
            let _ = writeln!(md, "{}\n", escape(d));
        }
        table_header(&mut md, "", waves);
        let descendants = fw.nodes.iter().filter(|n| {
            n.id != top.id
                && fw
                    .ancestry(&n.id)
                    .unwrap_or_default()
                    .iter()
                    .any(|a| a.id == top.id)
        });
        for node in std::iter::once(top).chain(descendants) {
            let cells: Vec<String> = waves.iter().map(|w| cell(scores.row(w, &node.id))).collect();
            let name = if node.id == top.id {
                format!("**All {} items**", escape(&top.label))
            } else {
                escape(&node.label)
            };
            let _ = writeln!(md, "| {name} | {} |", cells.join(" | "));
        }
        md.push('\n');
    }

    reliability(&mut md, report);
    data_quality(&mut md, report.accounts);
    methods(&mut md, report);
    md
}

fn table_header(md: &mut String, first: &str, waves: &[String]) {
    let _ = writeln!(md, "| {first} | {} |", waves.join(" | "));
    let _ = writeln!(md, "|---|{}", "---|".repeat(waves.len()));
}

fn changes(md: &mut String, report: &Report, headline: &str) {
    let fw = &report.instrument.framework;
    let rows: Vec<&Comparison> = report
        .comparisons
        .iter()
        .filter(|c| c.level == fw.headline_level)
        .collect();
    if rows.is_empty() {
        return;
    }
    let rules = report.compare;
    let _ = writeln!(md, "## Changes between waves\n");
    let _ = writeln!(
        md,
        "Difference of mean scores (later minus earlier) with Welch's 95% interval, Welch's t-test, its Benjamini-Hochberg q and Hedges' g. A change is called improved or declined only when q < {} and the effect is at least {}.\n",
        rules.alpha,
        rules.min_effect.word()
    );
    let _ = writeln!(
        md,
        "| {headline} | Waves | Difference [95% CI] | p | q | Effect | Verdict |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for c in rows {
        let diff = match c.interval {
            Some(i) => format!("{:+.2} [{:+.2}, {:+.2}]", i.diff, i.low, i.high),
            None => "not computable".to_string(),
        };
        let (p, q, effect) = match c.outcome {
            Some(o) => (
                p_value(Some(o.p)),
                p_value(Some(o.q)),
                o.effect.map_or_else(String::new, |e| {
                    format!(
                        "{} {e:+.2} ({})",
                        o.test.effect_measure(),
                        o.magnitude.map_or("", |m| m.word())
                    )
                }),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let verdict = escape(&c.direction.with_note(&c.note));
        let _ = writeln!(
            md,
            "| {} | {} → {} | {diff} | {p} | {q} | {effect} | {verdict} |",
            escape(&c.label),
            c.pair.from,
            c.pair.to
        );
    }
    md.push('\n');
    let reliable: Vec<&Comparison> = report
        .comparisons
        .iter()
        .filter(|c| c.level != fw.headline_level)
        .filter(|c| matches!(c.direction, Direction::Improved | Direction::Declined))
        .collect();
    if !reliable.is_empty() {
        let _ = writeln!(md, "Other reliable changes (indicators, outcomes and items):\n");
        for c in reliable {
            let o = c.outcome.as_ref();
            let _ = writeln!(
                md,
                "- {} {} {} → {}: {} (q = {}, {} {})",
                c.level,
                escape(&c.label),
                c.pair.from,
                c.pair.to,
                c.direction.word(),
                p_value(o.map(|o| o.q)),
                o.map_or("", |o| o.test.effect_measure()),
                fixed(o.and_then(|o| o.effect), 2)
            );
        }
        md.push('\n');
    }
}

fn panel(md: &mut String, report: &Report, headline: &str) {
    let fw = &report.instrument.framework;
    let rows: Vec<_> = report
        .panel
        .iter()
        .filter(|c| c.level == fw.headline_level)
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Linked respondents (panel)\n");
    let _ = writeln!(
        md,
        "Respondents linked across waves by the panel key (hashed when read, never shown): the mean of their own change, the paired t-test and the Wilcoxon signed-rank test, q by Benjamini-Hochberg on the paired t within each pair of waves and level, and d_z (mean change / SD of the changes). Reported apart from the independent comparison above.\n"
    );
    let _ = writeln!(
        md,
        "| {headline} | Waves | Linked | Mean change | Paired t p | Wilcoxon p | q | d_z | Verdict |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|");
    for c in rows {
        let verdict = escape(&c.direction.with_note(&c.note));
        let _ = writeln!(
            md,
            "| {} | {} → {} | {} | {} | {} | {} | {} | {} | {verdict} |",
            escape(&c.label),
            c.pair.from,
            c.pair.to,
            c.n_pairs,
            c.mean_diff.map_or_else(String::new, |d| format!("{d:+.2}")),
            p_value(c.paired_t.map(|t| t.2)),
            p_value(c.wilcoxon.map(|w| w.1)),
            p_value(c.q),
            fixed(c.effect, 2)
        );
    }
    md.push('\n');
}

/// One reliability cell: alpha with its complete cases, flagged below 0.7.
pub fn alpha_cell(r: Option<&crate::reliability::Reliability>) -> String {
    match r {
        Some(r) => match r.alpha {
            Some(a) => format!(
                "{a:.2}{} (n={})",
                if r.flagged() { " ⚠" } else { "" },
                r.n_complete
            ),
            None => format!("not computable (n={})", r.n_complete),
        },
        None => "–".to_string(),
    }
}

fn reliability(md: &mut String, report: &Report) {
    if report.reliability.is_empty() {
        return;
    }
    let waves = &report.scores.waves;
    let _ = writeln!(md, "## Reliability\n");
    let _ = writeln!(
        md,
        "Cronbach's alpha of every function, outcome and indicator with at least two items, over respondents who answered every one of its items on the scale (n); ⚠ marks alpha below 0.7. Alpha if each item were deleted is in reliability.csv.\n"
    );
    let _ = writeln!(md, "|  | Level | {} |", waves.join(" | "));
    let _ = writeln!(md, "|---|---|{}", "---|".repeat(waves.len()));
    let mut seen: Vec<&str> = Vec::new();
    for r in report.reliability {
        if seen.contains(&r.id.as_str()) {
            continue;
        }
        seen.push(&r.id);
        let cells: Vec<String> = waves
            .iter()
            .map(|w| alpha_cell(report.reliability.iter().find(|x| x.wave == *w && x.id == r.id)))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            escape(&r.label),
            r.level,
            cells.join(" | ")
        );
    }
    md.push('\n');
}

fn data_quality(md: &mut String, accounts: &[FileAccount]) {
    let _ = writeln!(md, "## Data\n");
    let _ = writeln!(
        md,
        "| Wave | File | Platform | Encoding | Rows read | Used | Skipped | Unknown answers |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|");
    for a in accounts {
        let name = a
            .path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let platform = if a.detected {
            format!("{} (detected)", a.platform)
        } else {
            a.platform.to_string()
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&a.wave),
            escape(&name),
            platform,
            escape(&a.encoding),
            a.rows_read,
            a.rows_used,
            a.rows_skipped(),
            a.unknown_answers
        );
    }
    md.push('\n');
    for a in accounts {
        for (reason, count) in &a.skipped {
            let _ = writeln!(
                md,
                "- {}: {count} row(s) skipped: {}.",
                escape(&a.wave),
                reason.describe()
            );
            for (_, line, detail) in a.skip_examples.iter().filter(|e| e.0 == *reason) {
                let _ = writeln!(md, "  - row {line}: {}", escape(detail));
            }
        }
        if a.unknown_answers > 0 {
            let _ = writeln!(
                md,
                "- {}: {} answer(s) matched no label of the scale and were treated as unanswered, e.g.:",
                escape(&a.wave),
                a.unknown_answers
            );
            for (at, text) in &a.unknown_examples {
                let short: String = text.chars().take(40).collect();
                let _ = writeln!(md, "  - {}: \"{}\"", escape(&at.to_string()), escape(&short));
            }
        }
        if !a.missing_items.is_empty() {
            let _ = writeln!(
                md,
                "- {}: {} instrument item(s) not asked: {}.",
                escape(&a.wave),
                a.missing_items.len(),
                escape(&a.missing_items.join(", "))
            );
        }
        if !a.dropped_columns.is_empty() {
            let _ = writeln!(
                md,
                "- {}: {} identifying column(s) (names, emails, IP addresses, locations...) were removed when the file was read.",
                escape(&a.wave),
                a.dropped_columns.len()
            );
        }
        if !a.unmapped_columns.is_empty() {
            let _ = writeln!(
                md,
                "- {}: {} column(s) are not instrument questions and were not read (identifying and metadata columns are never used).",
                escape(&a.wave),
                a.unmapped_columns.len()
            );
        }
    }
    md.push('\n');
}

fn methods(md: &mut String, report: &Report) {
    let _ = writeln!(md, "## Methods\n");
    for line in method_lines(report) {
        let _ = writeln!(md, "- {line}");
    }
    let _ = writeln!(md, "\nProduced by backbone {}.", env!("CARGO_PKG_VERSION"));
}

/// Versions pinned in Cargo.toml, named in the methods.
const STATRS_VERSION: &str = "0.19.1";
const POLARS_VERSION: &str = "0.55.2";

/// What was computed, one statement per line, shared by every report format.
pub fn method_lines(report: &Report) -> Vec<String> {
    let rules = report.rules;
    let compare = report.compare;
    let pct = rules.min_answered * 100.0;
    let conf = rules.confidence * 100.0;
    let lines = [
        "Answers are read by their scale label (case, spacing and curly quotes ignored) or numeric code. \"Don't know / Not applicable\" and the scale's other missing answers are counted as N/A and never scored; blank cells are unanswered; text that matches no label is unanswered and counted above.".to_string(),
        format!("A row is used when it answers (with a scale point or N/A) at least {pct:.0}% of the items its export asks; a respondent id that appears twice keeps its later row."),
        "Reverse-worded items are mirrored (value' = min + max − value) before any computation, so that higher is always better.".to_string(),
        format!("Roll-up: a respondent's score for an indicator, outcome or function is the mean of the items in it that they answered on the scale, kept only if they answered at least {pct:.0}% of the items it has in that wave. The score of the indicator, outcome or function is the mean of the kept respondent scores; n is their number."),
        format!("SD is the sample standard deviation (n − 1). The {conf:.0}% interval is mean ± t(n − 1) · SD / √n (Student's t); it is not computed for n < 2."),
        "% favourable is the share of valid answers (N/A excluded) on a favourable point of the scale (Agree or Strongly agree), after reverse-coding; it pools the answers to all items of an indicator, outcome or function. Answer counts (n_1…n_5 in scores.csv) are pooled the same way.".to_string(),
        format!("Changes compare each wave with the next and the first with the last, treating waves as independent samples. Indicators, outcomes and functions (means of items) are tested with Welch's t-test (t = d / √(s₁²/n₁ + s₂²/n₂), ν by Welch–Satterthwaite, two-sided) and sized with Hedges' g (pooled SD, small-sample correction J = 1 − 3/(4(n₁ + n₂) − 9)); the {conf:.0}% interval of the difference is d ± t(ν) · √(s₁²/n₁ + s₂²/n₂). Items (single ordinal answers) are tested with the Mann-Whitney U test (exact when both waves have at most 8 answers and no ties, otherwise the normal approximation with tie and continuity corrections) and sized with Cliff's delta (share of pairs where the later answer is higher minus share where it is lower). These are the primary tests that decide each verdict; comparison.csv gives both tests' p for every row (p_welch, p_mann_whitney)."),
        format!("p-values are adjusted with the Benjamini-Hochberg procedure within each family of one pair of waves and one level (q). A change is called improved or declined only when q < {} and the effect is at least {} (Hedges' g: 0.2 small, 0.5 medium, 0.8 large; Cliff's delta: 0.147, 0.33, 0.474); otherwise no reliable change. No test is made, and no direction word given, when either wave has fewer than {} valid scores.", compare.alpha, compare.min_effect.word(), compare.min_n),
        format!("Reliability: Cronbach's alpha, α = k/(k − 1) · (1 − Σ item variances / variance of the totals), per wave for every function, outcome and indicator with at least two items, over respondents who answered every item of it on the scale (after reverse-coding), with alpha if each item were deleted (reliability.csv); alpha below {ACCEPTABLE_ALPHA} is flagged."),
        format!("Software: backbone {}, statrs {STATRS_VERSION} (t and normal distributions; its Mann-Whitney test is not used, as its exact two-sided p is wrong when the first sample has the larger U), polars {POLARS_VERSION} (aggregation). Every statistic is checked against scipy and numpy (tests/reference/stats_reference.py).", env!("CARGO_PKG_VERSION")),
        "Identifying and metadata columns (names, emails, IP addresses and any column that is not an instrument question or attribute) are not read. Respondent attributes keep only the instrument's options.".to_string(),
    ];
    let mut lines: Vec<String> = lines.into_iter().collect();
    if !report.panel.is_empty() {
        lines.push(format!("Panel: respondents whose panel key (hashed with SHA-256 when the file is read; the value is never kept) appears once in each of two waves are linked; for each node the linked respondents' own changes are tested with the paired t-test (t = mean d / (SD_d / √n), n − 1 df) and the Wilcoxon signed-rank test (zero changes dropped; exact for small samples as scipy 1.17 chooses, otherwise the tie-corrected normal approximation), q by Benjamini-Hochberg on the primary test (Wilcoxon for items, paired t otherwise) within each pair of waves and level; a change is called only when q < {} and d_z = mean d / SD_d is at least {} on Cohen's scale; no test with fewer than {} linked respondents.", compare.alpha, compare.min_effect.word(), compare.min_n));
    }
    lines
}
