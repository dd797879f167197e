//! Tidy CSV outputs: `scores.csv` (one row per wave × level × id), `comparison.csv` and
//! `panel.csv` (one row per level × id × compared pair of waves) and `reliability.csv`.

use crate::compare::{Comparison, PanelComparison};
use crate::reliability::Reliability;
use crate::score::Scores;

/// Fixed decimals so that outputs are byte-identical and diff well; blank when not computable.
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> csv::Result<Vec<u8>> {
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

pub fn scores_csv(scores: &Scores) -> csv::Result<Vec<u8>> {
    let mut w = writer();
    let mut header: Vec<String> = [
        "wave",
        "level",
        "id",
        "label",
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
    header.extend(scores.scale_values.iter().map(|v| format!("n_{v}")));
    w.write_record(&header)?;
    for r in &scores.rows {
        let mut record = vec![
            r.wave.clone(),
            r.level.clone(),
            r.id.clone(),
            r.label.clone(),
            r.n.to_string(),
            fixed(r.mean, 4),
            fixed(r.sd, 4),
            fixed(r.ci.map(|c| c.0), 4),
            fixed(r.ci.map(|c| c.1), 4),
            fixed(r.pct_favorable, 1),
            r.n_na.to_string(),
        ];
        record.extend(
            scores
                .scale_values
                .iter()
                .map(|v| r.counts.get(v).copied().unwrap_or(0).to_string()),
        );
        w.write_record(&record)?;
    }
    finish(w)
}

/// A p- or q-value: four decimals, or three significant digits in scientific notation below
/// 0.0001; blank when not computed.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 1e-4 => format!("{p:.3e}"),
        Some(p) => format!("{p:.4}"),
        None => String::new(),
    }
}

pub fn comparison_csv(comparisons: &[Comparison]) -> csv::Result<Vec<u8>> {
    let mut w = writer();
    w.write_record([
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
        "test",
        "statistic",
        "df",
        "p_value",
        "q_value",
        "effect_size",
        "effect_measure",
        "magnitude",
        "direction",
        "note",
        "p_welch",
        "p_mann_whitney",
    ])?;
    for c in comparisons {
        let o = c.outcome;
        w.write_record([
            c.level.clone(),
            c.id.clone(),
            c.label.clone(),
            c.pair.from.clone(),
            c.pair.to.clone(),
            c.n_from.to_string(),
            c.n_to.to_string(),
            fixed(c.mean_from, 4),
            fixed(c.mean_to, 4),
            fixed(c.diff, 4),
            fixed(c.interval.map(|i| i.low), 4),
            fixed(c.interval.map(|i| i.high), 4),
            o.map_or_else(String::new, |o| o.test.name().to_string()),
            fixed(o.map(|o| o.statistic), 4),
            fixed(o.and_then(|o| o.df), 2),
            p_value(o.map(|o| o.p)),
            p_value(o.map(|o| o.q)),
            fixed(o.and_then(|o| o.effect), 4),
            o.map_or_else(String::new, |o| o.test.effect_measure().to_string()),
            o.and_then(|o| o.magnitude)
                .map_or_else(String::new, |m| m.word().to_string()),
            c.direction.word().to_string(),
            c.note.clone(),
            p_value(c.p_welch),
            p_value(c.p_mann_whitney),
        ])?;
    }
    finish(w)
}

/// `reliability.csv`: one row per node and wave (item blank) with its alpha, then one row per
/// item with the alpha the node would have without it; `flag` says why a blank alpha is blank.
pub fn reliability_csv(rows: &[Reliability]) -> csv::Result<Vec<u8>> {
    let mut w = writer();
    w.write_record([
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
        let flag = if r.flagged() { "below 0.7" } else { "" };
        let node = |item: &str, alpha: Option<f64>, flag: &str| {
            [
                r.wave.clone(),
                r.level.clone(),
                r.id.clone(),
                r.label.clone(),
                item.to_string(),
                r.items.len().to_string(),
                r.n_complete.to_string(),
                fixed(alpha, 4),
                flag.to_string(),
            ]
        };
        let k = r.items.len();
        w.write_record(node(
            "",
            r.alpha,
            if r.alpha.is_none() {
                r.not_computable(k)
            } else {
                flag
            },
        ))?;
        for (item, alpha) in r.items.iter().zip(&r.if_deleted) {
            let flag = match (alpha, r.alpha) {
                (None, _) => r.not_computable(k - 1),
                (Some(without), Some(with)) if *without > with => "alpha rises without this item",
                _ => "",
            };
            w.write_record(node(item, *alpha, flag))?;
        }
    }
    finish(w)
}

/// `panel.csv`: one row per level × id × pair of waves, over the linked respondents.
pub fn panel_csv(rows: &[PanelComparison]) -> csv::Result<Vec<u8>> {
    let mut w = writer();
    w.write_record([
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
        w.write_record([
            c.level.clone(),
            c.id.clone(),
            c.label.clone(),
            c.pair.from.clone(),
            c.pair.to.clone(),
            c.n_pairs.to_string(),
            fixed(c.mean_diff, 4),
            fixed(c.effect, 4),
            fixed(c.paired_t.map(|t| t.0), 4),
            fixed(c.paired_t.map(|t| t.1), 0),
            p_value(c.paired_t.map(|t| t.2)),
            fixed(c.wilcoxon.map(|w| w.0), 1),
            p_value(c.wilcoxon.map(|w| w.1)),
            p_value(c.q),
            c.direction.word().to_string(),
            c.note.clone(),
        ])?;
    }
    finish(w)
}
