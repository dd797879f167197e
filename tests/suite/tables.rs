//! The CSVs are tidy data an analyst can recompute from: every number reads back as exactly
//! the value computed in memory, and no text cell can run as a spreadsheet formula.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use backbone::config::Config;
use backbone::pipeline::{analyse, Analysis};

fn sample() -> Analysis {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = Config::load(&root.join("sample_surveys/backbone.toml")).unwrap();
    // A hostile wave label, as a config or a wave column could carry it.
    config.waves[0].label = Some("=HYPERLINK(\"http://x\",\"y\")|<img src=x onerror=alert(7)>".into());
    analyse(&config).unwrap()
}

fn read(dir: &Path, name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join(name)).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn number(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| cell.parse().unwrap())
}

fn write(a: &Analysis) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    a.write(&out).unwrap();
    (dir, out)
}

#[test]
fn csv_numbers_read_back_exactly() {
    let a = sample();
    let (_dir, out) = write(&a);
    let hostile = &a.scores.waves[0];

    let scores = read(&out, "scores.csv");
    assert_eq!(scores.len(), a.scores.rows.len());
    for (line, row) in scores.iter().zip(&a.scores.rows) {
        let wave = line["wave"].strip_prefix('\'').unwrap_or(&line["wave"]);
        assert_eq!(wave, row.wave);
        assert_eq!(line["id"], row.id);
        assert_eq!(number(&line["mean"]), row.mean, "{} {}", row.wave, row.id);
        assert_eq!(number(&line["sd"]), row.sd);
        assert_eq!(number(&line["ci_low"]), row.ci.map(|c| c.0));
        assert_eq!(number(&line["ci_high"]), row.ci.map(|c| c.1));
        assert_eq!(number(&line["pct_favorable"]), row.pct_favorable);
    }

    let comparisons = read(&out, "comparison.csv");
    assert_eq!(comparisons.len(), a.comparisons.len());
    for (line, c) in comparisons.iter().zip(&a.comparisons) {
        assert_eq!(line["id"], c.id);
        assert_eq!(number(&line["diff"]), c.diff);
        assert_eq!(number(&line["ci_low"]), c.interval.map(|i| i.low));
        assert_eq!(number(&line["statistic"]), c.outcome.map(|o| o.statistic));
        assert_eq!(number(&line["df"]), c.outcome.and_then(|o| o.df));
        assert_eq!(number(&line["p_value"]), c.outcome.map(|o| o.p));
        assert_eq!(number(&line["q_value"]), c.outcome.map(|o| o.q));
        assert_eq!(number(&line["effect_size"]), c.outcome.and_then(|o| o.effect));
        assert_eq!(number(&line["p_mann_whitney"]), c.p_mann_whitney);
    }

    let groups = read(&out, "groups.csv");
    let in_memory: usize = a.groups.iter().map(|(_, g)| g.len()).sum();
    assert_eq!(groups.len(), in_memory);
    for line in &groups {
        let wave = line["wave"].strip_prefix('\'').unwrap_or(&line["wave"]);
        let (_, scores) = a.groups.iter().find(|(id, _)| *id == line["attribute"]).unwrap();
        let s = scores
            .iter()
            .find(|s| s.wave == wave && s.group == line["group"] && s.id == line["id"])
            .unwrap();
        if line["suppressed"].is_empty() {
            assert_eq!(number(&line["mean"]), s.mean);
            assert_eq!(number(&line["sd"]), s.sd);
            assert_eq!(number(&line["ci_low"]), s.ci.map(|c| c.0));
        } else {
            assert!(s.respondents < 5 || s.n < 5, "{line:?}");
            assert!(line["mean"].is_empty() && line["sd"].is_empty());
        }
    }
    // The group columns follow the instrument's order of options.
    let roles: Vec<&str> = a.instrument.attributes[0]
        .options
        .iter()
        .map(|o| o.label())
        .collect();
    let seen: Vec<&str> = groups
        .iter()
        .filter(|l| l["attribute"] == "role" && l["id"] == "guide-vision" && l["wave"] == "2025")
        .map(|l| l["group"].as_str())
        .collect();
    assert_eq!(seen, roles);
    assert!(hostile.starts_with('='));
}

#[test]
fn no_text_cell_can_run_as_a_formula_and_markdown_tables_hold() {
    let a = sample();
    let (_dir, out) = write(&a);
    for name in [
        "scores.csv",
        "comparison.csv",
        "groups.csv",
        "reliability.csv",
        "panel.csv",
    ] {
        let mut cells = 0;
        for line in read(&out, name) {
            for (column, cell) in line {
                let numeric = cell.parse::<f64>().is_ok();
                if !numeric && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    panic!("{name} {column}: {cell}");
                }
                cells += usize::from(cell.starts_with("'=HYPERLINK"));
            }
        }
        assert!(cells > 0, "{name} lost the hostile wave label");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let raw = md.matches("<img").count();
    assert!(
        raw > 0 && raw == md.matches("\\<img").count(),
        "raw HTML in report.md"
    );
    // Every row of the summary table still has as many cells as its header.
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| Functions |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    assert!(table.len() > 2);
    assert!(table.iter().all(|l| cells(l) == cells(table[0])), "{table:#?}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<img src=x"));
}

/// A cell written by `Field::Number`: only digits, signs, a point and an exponent, and at least
/// one digit (text cells such as "2023" pass the same check, as they are numbers too).
fn looks_numeric(cell: &str) -> bool {
    cell.bytes().any(|b| b.is_ascii_digit())
        && cell.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
}

#[test]
fn csv_numbers_are_short_and_read_back_in_both_samples() {
    let runs = [crate::common::sample(), crate::common::leadership()];
    let mut longest = (0, String::new());
    let mut saw_exponent = false;
    for run in runs {
        for (name, header, rows) in crate::common::csvs(&run.out) {
            for row in &rows {
                for (column, cell) in header.iter().zip(row) {
                    if !looks_numeric(cell) {
                        continue;
                    }
                    let value: f64 = cell
                        .parse()
                        .unwrap_or_else(|_| panic!("{name} {column}: {cell} is not a number"));
                    // The shortest text that reads back as the same double is at most 17
                    // significant digits, a sign, a point and a 4-character exponent.
                    assert!(cell.len() <= 24, "{name} {column}: {cell}");
                    assert!(value.is_finite(), "{name} {column}: {cell}");
                    saw_exponent |= cell.contains('e');
                    if cell.len() > longest.0 {
                        longest = (cell.len(), format!("{name} {column}: {cell}"));
                    }
                }
            }
        }
    }
    // The check saw full-precision numbers, scientific notation among them.
    assert!(longest.0 > 17, "{longest:?}");
    assert!(saw_exponent);
}
