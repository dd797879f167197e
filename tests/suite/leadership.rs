//! Every framework of the source documents scored in one run: the bundled leadership sample
//! (an instrument combining five frameworks) shows a section per framework, a page of verdicts
//! in the brief, who holds each capacity beside the document's suggestion, and the backbone
//! staff's self-rating gap; the gap is checked against a hand computation.

use std::path::Path;
use std::process::Command;

use backbone::config::{Config, Wave};
use backbone::pipeline::analyse;
use statrs::distribution::{ContinuousCDF, StudentsT};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn one_run_scores_every_framework_its_instrument_touches() {
    let config = Config::load(&root().join("sample_surveys/leadership/backbone.toml")).unwrap();
    let a = analyse(&config).unwrap();
    let ids: Vec<&str> = a
        .instrument
        .framework
        .members
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "leader-competencies",
            "influence",
            "mindset-shifts",
            "function-categories",
            "skill-sets"
        ]
    );
    let report = a.report();
    let groups: Vec<&str> = report.verdicts.iter().map(|g| g.level.plural.as_str()).collect();
    assert_eq!(
        groups,
        [
            "Competencies",
            "Sources of influence",
            "Mindset shifts",
            "Function categories",
            "Skill sets"
        ]
    );
    assert_eq!(report.verdicts[0].lines.len(), 14);
    // Who holds each of the 23 capacities, beside the holders the document suggests.
    assert_eq!(report.node_questions.len(), 23);
    let listen = &report.node_questions[0];
    assert_eq!(listen.beside_label.as_deref(), Some("Likely holders"));
    assert_eq!(listen.beside.as_deref(), Some("Backbone organization"));
    let total: usize = listen.answers.iter().map(|o| o.n.expect("not suppressed")).sum();
    assert_eq!(total, listen.n);
    // Backbone staff against everyone else on every competency; the sample's first competency
    // is the one no staff member rates favourably.
    let gap = &report.self_gaps[0];
    assert_eq!(gap.group, "Backbone staff");
    let uncovered: Vec<&str> = gap
        .rows
        .iter()
        .filter(|r| r.uncovered)
        .map(|r| r.label.as_str())
        .collect();
    assert_eq!(uncovered, ["Advocate for Policy Change"]);
    assert!(report.discuss.iter().any(|d| d
        .starts_with("Coverage: no Backbone staff respondent rates Advocate for Policy Change favourably")));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    a.write(&out).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for section in [
        "Competency: Humility",
        "Source of influence: Honest Broker",
        "Function category: Manage relationships",
    ] {
        assert!(html.contains(section), "{section}");
    }
    assert!(html.contains("Who holds what"));
    assert!(out.join("node-questions.svg").exists());
    let pdf = Command::new("pdftotext")
        .arg(out.join("brief.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed; .ci/run installs it");
    let text = String::from_utf8_lossy(&pdf.stdout);
    for heading in [
        "Competencies",
        "Sources of influence",
        "Mindset shifts",
        "Function categories",
        "Skill sets",
    ] {
        assert!(text.contains(heading), "{heading} not in the brief");
    }
    // One wave is one wave, in the brief's subtitle and the reports' first lines.
    assert!(
        text.contains("· wave 2025 ·") && !text.contains("waves 2025"),
        "{text}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("· wave 2025 ·") && !html.contains("waves 2025"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Wave: 2025") && !md.contains("Waves: 2025"));
}

const FRAMEWORK: &str = r#"
id = "team"
name = "Team competencies"
source = "Written for the tests"
headline_level = "competency"
levels = [{ id = "competency", label = "Competency", plural = "Competencies" }]
nodes = [{ id = "listening", level = "competency", label = "Listening" }]
"#;

const INSTRUMENT: &str = r#"
id = "team-check"
name = "Team check"
framework = "f.toml"

[scales.agree]
label = "Agreement"
points = [{ value = 1, label = "Strongly disagree" }, { value = 2, label = "Disagree" }, { value = 3, label = "Neutral" }, { value = 4, label = "Agree" }, { value = 5, label = "Strongly agree" }]
favourable = [4, 5]

[[attributes]]
id = "role"
question = "Your role"
options = ["Backbone staff", "Partner"]
self_rating = "Backbone staff"

[[items]]
id = "listens"
indicator = "listening"
text = "The backbone team listens."
scale = "agree"
"#;

#[test]
fn the_self_rating_gap_is_welch_on_self_against_everyone_else() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.toml"), FRAMEWORK).unwrap();
    std::fs::write(dir.path().join("i.toml"), INSTRUMENT).unwrap();
    let staff = [4.0, 4.0, 5.0, 5.0, 4.0, 5.0];
    let partners = [3.0, 3.0, 4.0, 2.0, 3.0, 3.0, 4.0, 2.0];
    let mut csv = String::from("Your role,The backbone team listens.\n");
    for v in staff {
        csv.push_str(&format!("Backbone staff,{v}\n"));
    }
    for v in partners {
        csv.push_str(&format!("Partner,{v}\n"));
    }
    std::fs::write(dir.path().join("team-2025.csv"), csv).unwrap();
    let config = Config::with_waves(
        Some(dir.path().join("i.toml")),
        vec![Wave::labelled("2025", dir.path().join("team-2025.csv"))],
    );
    let a = analyse(&config).unwrap();

    // By hand: means 4.5 and 3.0; variances 1.5/5 = 0.3 and 4/7; se² = 0.3/6 + (4/7)/8;
    // Welch–Satterthwaite df; the 95% interval from Student's t.
    let (v1, v2): (f64, f64) = (0.3 / 6.0, (4.0 / 7.0) / 8.0);
    let se = (v1 + v2).sqrt();
    let df = (v1 + v2).powi(2) / (v1 * v1 / 5.0 + v2 * v2 / 7.0);
    let t = 1.5 / se;
    let dist = StudentsT::new(0.0, 1.0, df).unwrap();
    let p = 2.0 * (1.0 - dist.cdf(t));
    let half = dist.inverse_cdf(0.975) * se;

    let c = a
        .group_tests
        .iter()
        .find(|c| c.group == "Backbone staff" && c.id == "listening")
        .unwrap();
    let o = c.outcome.unwrap();
    let i = c.interval.unwrap();
    assert!((i.diff - 1.5).abs() < 1e-12);
    assert!((o.statistic - t).abs() < 1e-9, "{} vs {t}", o.statistic);
    assert!((o.df.unwrap() - df).abs() < 1e-9);
    assert!((o.p - p).abs() < 1e-9, "{} vs {p}", o.p);
    assert!((i.low - (1.5 - half)).abs() < 1e-9 && (i.high - (1.5 + half)).abs() < 1e-9);
    // The family is the two groups (each against the other): equal p, so q = p.
    assert!((o.q - p).abs() < 1e-9);
    // Both selected (R = m = 2): the false-coverage-rate level is 1 − 2 · 0.05 / 2, the
    // interval's own.
    let f = c.fcr.unwrap();
    assert!((f.level - 0.95).abs() < 1e-15);
    assert!((f.low - i.low).abs() < 1e-9 && (f.high - i.high).abs() < 1e-9);

    // Suppression: with a threshold of 7, six staff are too few to show.
    let strict = Config {
        report: backbone::report::ReportOptions {
            suppress_below: 7,
            ..Default::default()
        },
        ..config.clone()
    };
    let hidden = analyse(&strict).unwrap().report();
    assert!(
        hidden.self_gaps.is_empty(),
        "a group under the threshold shows no gap"
    );
    let report = a.report();
    let row = &report.self_gaps[0].rows[0];
    assert_eq!(
        (row.self_mean.as_str(), row.others_mean.as_str()),
        ("4.50", "3.00")
    );
    assert_eq!(row.gap.diff, "+1.50");
    assert!(!row.uncovered);
}

#[test]
fn plurals_come_from_the_framework_not_an_appended_s() {
    let out = &crate::common::leadership().out;
    let brief = std::process::Command::new("pdftotext")
        .arg(out.join("brief.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let brief = String::from_utf8_lossy(&brief.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    // The framework's plural of "Competency" is "Competencies" (its [[levels]] entry).
    assert!(
        brief.contains("Groups, competencies and items with fewer than"),
        "{brief}"
    );
    for text in [&brief, &md] {
        assert!(
            !text.contains("competencys") && !text.contains("skill sets (means"),
            "{text}"
        );
    }
    assert!(
        md.contains("Changes of a competency, source of influence"),
        "{md}"
    );
}
