//! Tidy CSV outputs: `scores.csv` (one row per wave × level × id) and `comparison.csv` (one row
//! per level × id × compared pair of waves).

use crate::compare::Comparison;
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
        "df",
    ])?;
    for c in comparisons {
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
            fixed(c.interval.map(|i| i.df), 2),
        ])?;
    }
    finish(w)
}
