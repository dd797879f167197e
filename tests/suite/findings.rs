//! Findings a funder and a steering committee act on: groups tested against everyone else
//! (checked against scipy), a change spread across a node's parts said in words, no change
//! never called one, and both comparisons shown for every function. The PDF is read back with
//! poppler's pdftotext (installed by .ci/run).

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use backbone::compare::{Direction, Test};
use backbone::config::{Config, Wave};
use backbone::pipeline::analyse;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn close(actual: f64, expected: f64, what: &str) {
    let scale = expected.abs().max(1e-300);
    assert!(
        ((actual - expected) / scale).abs() < 1e-9,
        "{what}: {actual} vs {expected}"
    );
}

#[test]
fn each_group_against_everyone_else_matches_scipy() {
    let fixture = root().join("tests/fixtures/groups");
    let config = Config::with_waves(
        Some(fixture.join("groups.instrument.toml")),
        vec![Wave::labelled("2025", fixture.join("groups-2025.csv"))],
    );
    let a = analyse(&config).unwrap();
    // (area, team, [t, df, p, g, q, diff, ci_low, ci_high]) printed by
    // tests/reference/group_reference.py.
    let expected = [
        (
            "timeliness",
            "North",
            [
                3.627246062551726,
                43.55456102371879,
                0.0007470258976259632,
                1.0371473530918842,
                0.0014940517952519263,
                0.7192307692307693,
                0.31949687515613034,
                1.1189646633054084,
            ],
        ),
        (
            "timeliness",
            "South",
            [
                -3.627246062551726,
                43.55456102371879,
                0.0007470258976259632,
                -1.0371473530918842,
                0.0014940517952519263,
                -0.7192307692307693,
                -1.1189646633054084,
                -0.31949687515613034,
            ],
        ),
        (
            "responsiveness",
            "North",
            [
                -0.5492808670936892,
                43.39038102036454,
                0.5856286778692698,
                -0.15279941766943478,
                0.5856286778692698,
                -0.10769230769230731,
                -0.5029832366777625,
                0.28759862129314784,
            ],
        ),
        (
            "responsiveness",
            "South",
            [
                0.5492808670936892,
                43.39038102036454,
                0.5856286778692698,
                0.15279941766943478,
                0.5856286778692698,
                0.10769230769230731,
                -0.28759862129314784,
                0.5029832366777625,
            ],
        ),
    ];
    assert_eq!(a.group_tests.len(), 4, "two teams × two areas");
    let report = a.report();
    let csv = String::from_utf8(backbone::render::tables::csv(report.table("groups.csv").unwrap()).unwrap())
        .unwrap();
    let mut rows = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = rows.collect();
    for (area, team, [t, df, p, g, q, diff, low, high]) in expected {
        let c = a
            .group_tests
            .iter()
            .find(|c| c.id == area && c.group == team)
            .unwrap();
        let o = c.outcome.unwrap();
        assert_eq!(o.test, Test::Welch);
        close(o.statistic, t, "t");
        close(o.df.unwrap(), df, "df");
        close(o.p, p, "p");
        close(o.effect.unwrap(), g, "g");
        close(o.q, q, "q");
        // groups.csv carries the same test, at full precision.
        let row = rows
            .iter()
            .find(|r| r[column("id")] == area && r[column("group")] == team)
            .unwrap();
        let cell = |name: &str| row[column(name)].parse::<f64>().unwrap();
        for (name, expected) in [
            ("diff_vs_rest", diff),
            ("ci_low_vs_rest", low),
            ("ci_high_vs_rest", high),
            ("statistic", t),
            ("df", df),
            ("p_value", p),
            ("q_value", q),
            ("effect_size", g),
        ] {
            close(cell(name), expected, name);
        }
        let word = if area == "responsiveness" {
            "no reliable difference"
        } else if team == "North" {
            "better"
        } else {
            "worse"
        };
        assert_eq!(row[column("direction")], word, "{area} {team}");
        assert_eq!(row[column("magnitude")], o.magnitude.unwrap().word());
    }
    // Nodes below the tested levels have no test, and say nothing.
    assert!(rows
        .iter()
        .filter(|r| r[column("id")] != "timeliness" && r[column("id")] != "responsiveness")
        .all(|r| r[column("diff_vs_rest")].is_empty() && r[column("direction")].is_empty()));
    let verdict = |area: &str, team: &str| {
        a.group_tests
            .iter()
            .find(|c| c.id == area && c.group == team)
            .unwrap()
            .direction
    };
    assert_eq!(verdict("timeliness", "North"), Direction::Improved);
    assert_eq!(verdict("timeliness", "South"), Direction::Declined);
    assert_eq!(verdict("responsiveness", "North"), Direction::NoReliableChange);
    assert!(
        report
            .group_findings
            .iter()
            .any(|f| f == "In 2025, South (team) rated 1 of 2 areas less favourably than everyone else, reliably so on 1: Timeliness."),
        "{:?}",
        report.group_findings
    );
}

const FRAMEWORK: &str = r#"
id = "one-function"
name = "One function"
source = "Written for the tests"
headline_level = "function"
levels = [{ id = "function", label = "Function", plural = "Functions" }, { id = "indicator", label = "Indicator", plural = "Indicators" }]
nodes = [
  { id = "f", level = "function", label = "Convening" },
  { id = "f.1", level = "indicator", parent = "f", label = "Indicator one" },
  { id = "f.2", level = "indicator", parent = "f", label = "Indicator two" },
  { id = "f.3", level = "indicator", parent = "f", label = "Indicator three" },
  { id = "f.4", level = "indicator", parent = "f", label = "Indicator four" },
  { id = "f.5", level = "indicator", parent = "f", label = "Indicator five" },
  { id = "f.6", level = "indicator", parent = "f", label = "Indicator six" },
  { id = "f.7", level = "indicator", parent = "f", label = "Indicator seven" },
  { id = "f.8", level = "indicator", parent = "f", label = "Indicator eight" },
]
"#;

fn instrument() -> String {
    let mut text = String::from(
        r#"
id = "convening"
name = "Convening check"
framework = "f.toml"

[scales.agree]
label = "Agreement"
points = [{ value = 1, label = "Strongly disagree" }, { value = 2, label = "Disagree" }, { value = 3, label = "Neutral" }, { value = 4, label = "Agree" }, { value = 5, label = "Strongly agree" }]
favourable = [4, 5]
"#,
    );
    for i in 1..=8 {
        let _ = write!(
            text,
            "\n[[items]]\nid = \"q{i}\"\nindicator = \"f.{i}\"\ntext = \"Statement number {i}.\"\nscale = \"agree\"\n"
        );
    }
    text
}

/// One wave: a person effect shared by all eight items, independent noise per item, and a
/// small shift of every item.
fn wave(seed: u64, n: usize, shift: f64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let normal = |rng: &mut fastrand::Rng| {
        // Box-Muller.
        let (u, v) = (rng.f64().max(1e-12), rng.f64());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    let mut csv = (1..=8)
        .map(|i| format!("Statement number {i}."))
        .collect::<Vec<_>>()
        .join(",");
    csv.push('\n');
    for _ in 0..n {
        let person = 0.35 * normal(&mut rng);
        let row: Vec<String> = (0..8)
            .map(|_| {
                let v = (3.0 + shift + person + 0.9 * normal(&mut rng))
                    .round()
                    .clamp(1.0, 5.0);
                (v as i64).to_string()
            })
            .collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    csv
}

fn study(dir: &Path, later: &str) -> Config {
    std::fs::write(dir.join("f.toml"), FRAMEWORK).unwrap();
    std::fs::write(dir.join("i.toml"), instrument()).unwrap();
    std::fs::write(dir.join("wave-2024.csv"), wave(11, 160, 0.0)).unwrap();
    std::fs::write(dir.join("wave-2025.csv"), later).unwrap();
    Config::with_waves(
        Some(dir.join("i.toml")),
        vec![
            Wave::labelled("2024", dir.join("wave-2024.csv")),
            Wave::labelled("2025", dir.join("wave-2025.csv")),
        ],
    )
}

#[test]
fn a_change_spread_across_its_parts_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let a = analyse(&study(dir.path(), &wave(17, 160, 0.15))).unwrap();
    let verdict = |id: &str| a.comparisons.iter().find(|c| c.id == id).unwrap().direction;
    assert_eq!(verdict("f"), Direction::Improved, "the function moves");
    for i in 1..=8 {
        assert_eq!(
            verdict(&format!("f.{i}")),
            Direction::NoReliableChange,
            "indicator {i}"
        );
        assert_eq!(verdict(&format!("q{i}")), Direction::NoReliableChange, "item {i}");
    }
    let report = a.report();
    let driver = report.drivers.iter().find(|d| d.label == "Convening").unwrap();
    assert!(driver.parts.is_empty());
    assert_eq!(
        driver.spread.as_deref(),
        Some("No single indicator changed reliably on its own: the shift is spread across its 8 indicators.")
    );
    let out = dir.path().join("out");
    a.write(&out).unwrap();
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("the shift is spread across its 8 indicators"));
}

fn visible_text(html: &str) -> String {
    let body = &html[html.find("</style>").unwrap()..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn pdftotext(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed; .ci/run installs it");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn when_nothing_changes_nothing_is_called_a_change() {
    let dir = tempfile::tempdir().unwrap();
    // The same answers twice: every difference is exactly zero.
    let a = analyse(&study(dir.path(), &wave(11, 160, 0.0))).unwrap();
    let out: PathBuf = dir.path().join("out");
    a.write(&out).unwrap();
    let mut texts = vec![
        (
            "report.md",
            std::fs::read_to_string(out.join("report.md")).unwrap(),
        ),
        (
            "report.html",
            visible_text(&std::fs::read_to_string(out.join("report.html")).unwrap()),
        ),
        ("brief.pdf", pdftotext(&out.join("brief.pdf"))),
        (
            "comparison.csv",
            std::fs::read_to_string(out.join("comparison.csv")).unwrap(),
        ),
    ];
    for chart in ["trend", "scorecard", "distribution"] {
        let svg = std::fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
        texts.push(("chart", svg));
    }
    for (name, text) in &texts {
        for word in ["improved", "declined", "improvement since", "decline since"] {
            assert!(!text.contains(word), "{name} says {word:?}");
        }
    }
    // The brief's first page lists the function as steady (its one function, "Convening").
    let flowing = texts[2].1.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flowing.contains("No reliable change, and no group differs: Convening."),
        "{flowing}"
    );
}

#[test]
fn the_html_report_shows_both_comparisons_for_every_function() {
    let config = Config::load(&root().join("sample_surveys/backbone.toml")).unwrap();
    let a = analyse(&config).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    a.write(&out).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let summary =
        &html[html.find("<section id=\"summary\">").unwrap()..html.find("<section id=\"trend\">").unwrap()];
    assert!(summary.contains("<th>Change 2024 → 2025</th><th>Change 2023 → 2025</th>"));
    let report = a.report();
    for row in &report.headline {
        let tr = summary
            .split("<tr>")
            .find(|tr| tr.starts_with(&format!("<td>{}</td>", row.label)))
            .unwrap_or_else(|| panic!("{} has no row", row.label));
        for change in [&row.change_recent, &row.change_overall] {
            let change = change.as_ref().unwrap();
            assert!(tr.contains(&format!("{} {}", change.diff, change.word)), "{tr}");
        }
    }
}
