//! What partners wrote: an open question's comments coded into themes on a held-out two-wave
//! export (tests/fixtures/comments/, written by tests/reference/make_comments.py), every count,
//! share, Fisher p and BH q against tests/reference/comments_reference.py (its own keyword
//! matching, scipy's fisher_exact, its own BH); and no comment text in any output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use backbone::config::{Config, Wave};
use backbone::pipeline::{analyse, Analysis};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/comments")
        .join(name)
}

fn held_out() -> Analysis {
    let config = Config::with_waves(
        Some(fixture("comments.instrument.toml")),
        vec![
            Wave::labelled("2024", fixture("comments-2024.csv")),
            Wave::labelled("2025", fixture("comments-2025.csv")),
        ],
    );
    analyse(&config).expect("the comments fixture is valid")
}

/// (wave, group ("" = whole wave), theme, comments, nonempty, uncoded, share, p, q), printed by
/// tests/reference/comments_reference.py.
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    usize,
    usize,
    usize,
    f64,
    Option<f64>,
    Option<f64>,
);
const EXPECTED: [Expected; 48] = [
    ("2024", "", "data", 9, 40, 2, 0.225, None, None),
    ("2024", "", "meetings", 18, 40, 2, 0.45, None, None),
    ("2024", "", "communication", 15, 40, 2, 0.375, None, None),
    ("2024", "", "funding", 13, 40, 2, 0.325, None, None),
    ("2024", "", "voice", 1, 40, 2, 0.025, None, None),
    ("2024", "", "contact", 4, 40, 2, 0.1, None, None),
    ("2024", "North", "data", 6, 22, 0, 0.2727272727272727, None, None),
    ("2024", "North", "meetings", 11, 22, 0, 0.5, None, None),
    (
        "2024",
        "North",
        "communication",
        8,
        22,
        0,
        0.36363636363636365,
        None,
        None,
    ),
    (
        "2024",
        "North",
        "funding",
        9,
        22,
        0,
        0.4090909090909091,
        None,
        None,
    ),
    (
        "2024",
        "North",
        "voice",
        1,
        22,
        0,
        0.045454545454545456,
        None,
        None,
    ),
    (
        "2024",
        "North",
        "contact",
        2,
        22,
        0,
        0.09090909090909091,
        None,
        None,
    ),
    ("2024", "South", "data", 2, 16, 2, 0.125, None, None),
    ("2024", "South", "meetings", 6, 16, 2, 0.375, None, None),
    ("2024", "South", "communication", 6, 16, 2, 0.375, None, None),
    ("2024", "South", "funding", 4, 16, 2, 0.25, None, None),
    ("2024", "South", "voice", 0, 16, 2, 0.0, None, None),
    ("2024", "South", "contact", 2, 16, 2, 0.125, None, None),
    ("2024", "East", "data", 1, 2, 0, 0.5, None, None),
    ("2024", "East", "meetings", 1, 2, 0, 0.5, None, None),
    ("2024", "East", "communication", 1, 2, 0, 0.5, None, None),
    ("2024", "East", "funding", 0, 2, 0, 0.0, None, None),
    ("2024", "East", "voice", 0, 2, 0, 0.0, None, None),
    ("2024", "East", "contact", 0, 2, 0, 0.0, None, None),
    (
        "2025",
        "",
        "data",
        29,
        45,
        2,
        0.6444444444444445,
        Some(0.00016755525223068927),
        Some(0.0005108413362334968),
    ),
    (
        "2025",
        "",
        "meetings",
        4,
        45,
        2,
        0.08888888888888889,
        Some(0.0001702804454111656),
        Some(0.0005108413362334968),
    ),
    (
        "2025",
        "",
        "communication",
        16,
        45,
        2,
        0.35555555555555557,
        Some(1.0),
        Some(1.0),
    ),
    (
        "2025",
        "",
        "funding",
        14,
        45,
        2,
        0.3111111111111111,
        Some(1.0),
        Some(1.0),
    ),
    (
        "2025",
        "",
        "voice",
        9,
        45,
        2,
        0.2,
        Some(0.0165504731559299),
        Some(0.0331009463118598),
    ),
    (
        "2025",
        "",
        "contact",
        6,
        45,
        2,
        0.13333333333333333,
        Some(0.7430855215351353),
        Some(1.0),
    ),
    ("2025", "North", "data", 17, 26, 1, 0.6538461538461539, None, None),
    (
        "2025",
        "North",
        "meetings",
        2,
        26,
        1,
        0.07692307692307693,
        None,
        None,
    ),
    (
        "2025",
        "North",
        "communication",
        10,
        26,
        1,
        0.38461538461538464,
        None,
        None,
    ),
    (
        "2025",
        "North",
        "funding",
        9,
        26,
        1,
        0.34615384615384615,
        None,
        None,
    ),
    (
        "2025",
        "North",
        "voice",
        4,
        26,
        1,
        0.15384615384615385,
        None,
        None,
    ),
    (
        "2025",
        "North",
        "contact",
        3,
        26,
        1,
        0.11538461538461539,
        None,
        None,
    ),
    ("2025", "South", "data", 11, 17, 1, 0.6470588235294118, None, None),
    (
        "2025",
        "South",
        "meetings",
        1,
        17,
        1,
        0.058823529411764705,
        None,
        None,
    ),
    (
        "2025",
        "South",
        "communication",
        5,
        17,
        1,
        0.29411764705882354,
        None,
        None,
    ),
    (
        "2025",
        "South",
        "funding",
        4,
        17,
        1,
        0.23529411764705882,
        None,
        None,
    ),
    (
        "2025",
        "South",
        "voice",
        5,
        17,
        1,
        0.29411764705882354,
        None,
        None,
    ),
    (
        "2025",
        "South",
        "contact",
        2,
        17,
        1,
        0.11764705882352941,
        None,
        None,
    ),
    ("2025", "East", "data", 1, 2, 0, 0.5, None, None),
    ("2025", "East", "meetings", 1, 2, 0, 0.5, None, None),
    ("2025", "East", "communication", 1, 2, 0, 0.5, None, None),
    ("2025", "East", "funding", 1, 2, 0, 0.5, None, None),
    ("2025", "East", "voice", 0, 2, 0, 0.0, None, None),
    ("2025", "East", "contact", 1, 2, 0, 0.5, None, None),
];

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

fn close(cell: &str, expected: f64) -> bool {
    cell.parse::<f64>().is_ok_and(|v| (v - expected).abs() < 1e-9)
}

#[test]
fn theme_counts_shares_and_fisher_p_equal_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    held_out().write(&out).unwrap();
    let rows = read_csv(&out.join("comments.csv"));
    assert_eq!(rows.len(), EXPECTED.len());
    for (wave, group, theme, n, nonempty, uncoded, share, p, q) in EXPECTED {
        let row = rows
            .iter()
            .find(|r| r["wave"] == wave && r["group"] == group && r["theme"] == theme)
            .unwrap_or_else(|| panic!("no row {wave} {group} {theme}"));
        assert_eq!(row["question"], "better");
        assert_eq!(row["attribute"], if group.is_empty() { "" } else { "team" });
        // East has 3 respondents a wave, under suppress_below (5): no counts.
        if group == "East" {
            assert_eq!(row["suppressed"], "suppressed");
            assert!(row["comments"].is_empty() && row["nonempty"].is_empty() && row["share"].is_empty());
            continue;
        }
        let at = format!("{wave} {group} {theme}");
        assert_eq!(row["comments"], n.to_string(), "{at}");
        assert_eq!(row["nonempty"], nonempty.to_string(), "{at}");
        assert_eq!(row["uncoded"], uncoded.to_string(), "{at}");
        assert!(close(&row["share"], share), "{at}: {} vs {share}", row["share"]);
        match (p, q) {
            (Some(p), Some(q)) => {
                assert_eq!(row["compared_with"], "2024");
                assert!(close(&row["p_value"], p), "{at}: p {} vs {p}", row["p_value"]);
                assert!(close(&row["q_value"], q), "{at}: q {} vs {q}", row["q_value"]);
            }
            _ => assert!(row["p_value"].is_empty() && row["q_value"].is_empty(), "{at}"),
        }
    }
    let account = &held_out().accounts[0];
    assert_eq!(
        account.comment_columns,
        ["What is one thing the backbone could do better?"]
    );
    assert!(account.unmapped_columns.is_empty());
}

/// Every output file's text: CSV, Markdown, HTML and SVG as they are, the PDF by pdftotext,
/// the workbook's XML by unzip.
pub fn every_output_text(out: &Path) -> Vec<(PathBuf, String)> {
    let mut texts = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_string();
            let run = |cmd: &str, args: &[&str]| {
                let o = std::process::Command::new(cmd).args(args).output().unwrap();
                assert!(o.status.success(), "{cmd} {path:?}");
                String::from_utf8_lossy(&o.stdout).into_owned()
            };
            let text = match ext.as_str() {
                _ if path.is_dir() => {
                    stack.push(path);
                    continue;
                }
                "pdf" => run("pdftotext", &[path.to_str().unwrap(), "-"]),
                "xlsx" => run("unzip", &["-p", path.to_str().unwrap()]),
                "png" => String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned(),
                _ => std::fs::read_to_string(&path).unwrap(),
            };
            texts.push((path, text));
        }
    }
    texts
}

/// Comment texts of the fixture that no output may show unless quotes are asked for.
const DISTINCTIVE: [&str; 8] = [
    "Dana Whitfield",
    "dana.whitfield@example.org",
    "617-555-0142",
    "backbone.example.org",
    "trop longues",
    "metadata everywhere",
    "coffee at the",
    "fundraising support",
];

#[test]
fn with_quotes_off_no_comment_text_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    held_out().write(&out).unwrap();
    let texts = every_output_text(&out);
    assert!(texts.iter().any(|(p, _)| p.ends_with("brief.pdf")));
    assert!(texts
        .iter()
        .any(|(p, t)| p.ends_with("report.xlsx") && t.contains("Themes")));
    for (path, text) in &texts {
        for s in DISTINCTIVE {
            assert!(
                !text.to_lowercase().contains(&s.to_lowercase()),
                "{s:?} in {path:?}"
            );
        }
    }
}

#[test]
fn with_quotes_on_report_html_quotes_redacted_comments_of_large_groups_only() {
    let mut config = Config::with_waves(
        Some(fixture("comments.instrument.toml")),
        vec![
            Wave::labelled("2024", fixture("comments-2024.csv")),
            Wave::labelled("2025", fixture("comments-2025.csv")),
        ],
    );
    config.report.quotes = true;
    config.report.redact = vec!["Dana Whitfield".into()];
    let analysis = analyse(&config).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analysis.write(&out).unwrap();
    // Every quote is some 2025 comment of a North or South partner (East, 3 a wave, is under
    // suppress_below), as redacted.
    let mut reader = csv::Reader::from_path(fixture("comments-2025.csv")).unwrap();
    let rows: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[5].to_string())
        })
        .collect();
    let names = ["Dana Whitfield".to_string()];
    let quoted: Vec<&String> = analysis.quotes.iter().flat_map(|q| &q.texts).collect();
    assert!(quoted.len() >= 10, "{quoted:?}");
    assert!(quoted.iter().any(|q| q.contains("[redacted]")), "{quoted:?}");
    for q in &quoted {
        assert!(
            rows.iter()
                .any(|(team, text)| team != "East" && backbone::comments::quotes::redact(text, &names) == **q),
            "{q:?} is no large group's comment"
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // minijinja escapes; the quotes used here hold no character it changes but the apostrophe.
    let shown = quoted
        .iter()
        .filter(|q| html.contains(&q.replace('\'', "&#x27;")))
        .count();
    assert_eq!(shown, quoted.len(), "every quote is in report.html");
    for (path, text) in every_output_text(&out) {
        let text = text.to_lowercase();
        for s in [
            "dana whitfield",
            "dana.whitfield@example.org",
            "617-555-0142",
            "backbone.example.org",
        ] {
            assert!(!text.contains(s), "{s:?} in {path:?}");
        }
        if !path.ends_with("report.html") {
            for q in &quoted {
                assert!(!text.contains(&q.to_lowercase()), "quote {q:?} in {path:?}");
            }
        }
    }
}
