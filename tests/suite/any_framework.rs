//! Any framework, any scale: a framework and an instrument written from scratch (one level,
//! a six-point scale answered by numeric codes, coded and ordinal attributes, a lower-is-better
//! node, a 90% confidence level) run end to end with no code change, and every output speaks
//! of them, not of the FSG survey. Mixed scales: each item is drawn on its own scale, a
//! best-first scale keeps its labels, and a node that would average different ranges is refused.
//! Needs poppler-utils (installed by .ci/run).

use std::fmt::Write;
use std::path::Path;
use std::process::Command;

use backbone::config::{Config, Wave};
use backbone::framework::Framework;
use backbone::instrument::Instrument;
use backbone::pipeline::analyse;

const FRAMEWORK: &str = r#"
id = "team-climate"
name = "Team climate traits"
title = "Team climate"
source = "Written for this test"
headline_level = "trait"

[[levels]]
id = "trait"
label = "Trait"
plural = "Traits"

[[nodes]]
id = "openness"
level = "trait"
label = "Openness to ideas"

[[nodes]]
id = "calm"
level = "trait"
label = "Calm under pressure"

[[nodes]]
id = "burden"
level = "trait"
label = "Workload burden"
direction = "lower_is_better"
"#;

const INSTRUMENT: &str = r#"
id = "climate-check"
name = "Team Climate Check"
framework = "climate.framework.toml"
respondents = { one = "employee", many = "employees" }

[scales.agree6]
label = "Agreement (6-point)"
points = [
  { value = 1, label = "Strongly disagree" },
  { value = 2, label = "Disagree" },
  { value = 3, label = "Slightly disagree" },
  { value = 4, label = "Slightly agree" },
  { value = 5, label = "Agree" },
  { value = 6, label = "Strongly agree" },
]
favourable = [4, 5, 6]
missing = ["Prefer not to say"]

[[attributes]]
id = "gender"
label = "Gender"
question = "What is your gender?"
options = [{ code = 1, label = "Male" }, { code = 2, label = "Female" }]

[[attributes]]
id = "education"
label = "Education"
question = "What is your highest level of education?"
options = [
  { code = 1, label = "Secondary" },
  { code = 2, label = "Bachelor" },
  { code = 3, label = "Master" },
  { code = 4, label = "Doctorate" },
]

[[items]]
id = "o1"
indicator = "openness"
text = "New ideas are welcome in my team."
scale = "agree6"

[[items]]
id = "o2"
indicator = "openness"
text = "I can question how things are done."
scale = "agree6"

[[items]]
id = "c1"
indicator = "calm"
text = "My team stays calm when deadlines are close."
scale = "agree6"

[[items]]
id = "c2"
indicator = "calm"
text = "Pressure makes my team fall apart."
scale = "agree6"
reverse = true

[[items]]
id = "b1"
indicator = "burden"
text = "I have more work than I can do well."
scale = "agree6"

[[items]]
id = "b2"
indicator = "burden"
text = "I often work late to keep up."
scale = "agree6"
"#;

const HEADERS: [&str; 8] = [
    "New ideas are welcome in my team.",
    "I can question how things are done.",
    "My team stays calm when deadlines are close.",
    "Pressure makes my team fall apart.",
    "I have more work than I can do well.",
    "I often work late to keep up.",
    "What is your gender?",
    "What is your highest level of education?",
];

/// A wave of `n` employees answering by code; `shift` moves every answer up.
fn wave_csv(seed: u64, n: usize, shift: f64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut csv = HEADERS.map(|h| format!("\"{h}\"")).join(",");
    csv.push('\n');
    for _ in 0..n {
        let mood = rng.f64() * 2.0 - 1.0;
        let answers: Vec<String> = (0..6)
            .map(|i| {
                let noise = rng.f64() * 2.0 - 1.0;
                let mirrored = if i == 3 { -1.0 } else { 1.0 };
                let v = (3.5 + mirrored * (1.2 * mood + shift) + noise)
                    .round()
                    .clamp(1.0, 6.0);
                if rng.usize(0..25) == 0 {
                    "Prefer not to say".to_string()
                } else {
                    (v as i64).to_string()
                }
            })
            .collect();
        let _ = writeln!(
            csv,
            "{},{},{}",
            answers.join(","),
            1 + rng.usize(0..2),
            1 + rng.usize(0..4)
        );
    }
    csv
}

fn write_study(dir: &Path) {
    std::fs::write(dir.join("climate.framework.toml"), FRAMEWORK).unwrap();
    std::fs::write(dir.join("climate.instrument.toml"), INSTRUMENT).unwrap();
    std::fs::write(dir.join("climate-2024.csv"), wave_csv(7, 80, 0.0)).unwrap();
    // 2025 adds a gender code outside the options, which must be counted, not merged.
    let mut later = wave_csv(8, 90, 0.6);
    later.push_str("4,4,4,3,3,3,9,2\n");
    std::fs::write(dir.join("climate-2025.csv"), later).unwrap();
    std::fs::write(
        dir.join("backbone.toml"),
        r#"initiative = "Northside Depot"
instrument = "climate.instrument.toml"
out = "out"

[rules]
confidence = 0.9

[[waves]]
label = "2024"
file = "climate-2024.csv"

[[waves]]
label = "2025"
file = "climate-2025.csv"
"#,
    )
    .unwrap();
}

fn pdftotext(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed; .ci/run installs it");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Distinct fill colours of the 16 × 16 legend swatches of a distribution SVG.
fn legend_colours(svg: &str) -> Vec<String> {
    let mut colours: Vec<String> = svg
        .split("<rect")
        .skip(1)
        .filter(|r| r.contains("width=\"16\"") && r.contains("height=\"16\""))
        .filter_map(|r| r.split("fill=\"").nth(1)?.split('"').next().map(String::from))
        .collect();
    colours.sort();
    colours.dedup();
    colours
}

/// The x where each text element ends, estimated at 0.6 em per character, and the SVG width.
fn text_extents(svg: &str) -> (Vec<(String, f64)>, f64) {
    let width: f64 = svg
        .split("width=\"")
        .nth(1)
        .and_then(|w| w.split('"').next())
        .and_then(|w| w.parse().ok())
        .unwrap();
    let mut ends = Vec::new();
    for t in svg.split("<text").skip(1) {
        let attr = |name: &str| -> Option<f64> {
            t.split(&format!(" {name}=\""))
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()
        };
        let (Some(x), Some(size)) = (attr("x"), attr("font-size")) else {
            continue;
        };
        let content = t
            .split('>')
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("")
            .trim();
        let anchored_start = !t.contains("text-anchor=\"end\"") && !t.contains("text-anchor=\"middle\"");
        if anchored_start {
            ends.push((
                content.to_string(),
                x + 0.6 * size * content.chars().count() as f64,
            ));
        }
    }
    (ends, width)
}

#[test]
fn a_framework_written_from_scratch_reads_right_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    write_study(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(["run", "--config"])
        .arg(dir.path().join("backbone.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 attribute answer matched none of the instrument's options"),
        "{stdout}"
    );
    let out = dir.path().join("out");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let pdf = pdftotext(&out.join("brief.pdf"));
    let mut texts = vec![
        ("report.md", md.clone()),
        ("report.html", html.clone()),
        ("brief.pdf", pdf.clone()),
    ];
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            texts.push((
                Box::leak(name.into_boxed_str()),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    for (name, text) in &texts {
        for foreign in [
            "1–5",
            "five-point",
            "95%",
            "Backbone effectiveness",
            "Functions",
            "Governance outcomes",
            "partners",
        ] {
            assert!(!text.contains(foreign), "{name} says {foreign:?}");
        }
    }
    for (name, text) in &texts[..3] {
        assert!(text.contains("90%"), "{name} never says 90%");
        assert!(
            text.contains("Team Climate Check"),
            "{name} never names the instrument"
        );
        assert!(
            text.contains("Team climate"),
            "{name} never gives the framework's title"
        );
    }
    assert!(md.contains("How employees answered") || html.contains("How employees answered"));
    assert!(pdf.contains("Traits"), "{pdf}");

    // Items are reachable under a one-level framework, reverse-worded ones marked.
    for header in &HEADERS[..6] {
        assert!(
            md.contains(&header.replace('.', "")[..20]),
            "{header} not in report.md"
        );
    }
    assert!(md.contains("Pressure makes my team fall apart. (reverse-worded)"));

    // Lower is better: the burden node says so, and the methods explain it.
    assert!(html.contains("(lower is better)"));
    assert!(md.contains("For Workload burden (and everything under it) lower is better"));
    // The workbook's sheet of nodes is named by the framework's one level.
    let book: calamine::Xlsx<_> = calamine::open_workbook(out.join("report.xlsx")).unwrap();
    assert!(
        calamine::Reader::sheet_names(&book).contains(&"Traits".to_string()),
        "{:?}",
        calamine::Reader::sheet_names(&book)
    );
    // The charts' captions say so too, rather than "higher is better" for every node.
    let scorecard = std::fs::read_to_string(out.join("scorecard.svg")).unwrap();
    assert!(
        scorecard.contains("higher is better except for Workload burden (lower is better)"),
        "{scorecard}"
    );

    // Six points, six colours, and a legend inside the picture.
    let svg = std::fs::read_to_string(out.join("distribution.svg")).unwrap();
    let colours = legend_colours(&svg);
    assert_eq!(colours.len(), 6, "{colours:?}");
    let (ends, width) = text_extents(&svg);
    for label in [
        "Strongly disagree",
        "Slightly disagree",
        "Slightly agree",
        "Strongly agree",
    ] {
        let end = ends
            .iter()
            .find(|(t, _)| t == label)
            .unwrap_or_else(|| panic!("{label} not drawn"))
            .1;
        assert!(end <= width, "{label} ends at {end} of {width}");
    }

    // Groups by their labels, in the declared order (not alphabetical), codes read as labels.
    let table = &md[md.find("### What is your highest level of education?").unwrap()..];
    let header = table.lines().nth(2).unwrap();
    let at = |name: &str| header.find(name).unwrap_or_else(|| panic!("{name} in {header}"));
    assert!(
        at("Secondary") < at("Bachelor") && at("Bachelor") < at("Master") && at("Master") < at("Doctorate")
    );
    let gender = &md[md.find("### What is your gender?").unwrap()..];
    let header = gender.lines().nth(2).unwrap();
    assert!(
        header.contains("Male") && header.contains("Female") && !header.contains("Other"),
        "{header}"
    );

    // groups.csv: every wave × attribute × group × node.
    let groups = std::fs::read_to_string(out.join("groups.csv")).unwrap();
    assert!(groups.starts_with("wave,attribute,group,id,respondents,n,mean,sd,ci_low,ci_high,suppressed,diff_vs_rest,ci_low_vs_rest,ci_high_vs_rest,ci_low_vs_rest_fcr,ci_high_vs_rest_fcr,statistic,df,p_value,q_value,effect_size,magnitude,direction\n"));
    assert!(groups.contains("2024,education,Doctorate,burden,"));
}

fn mixed_instrument(node_of: [&str; 3]) -> String {
    format!(
        r#"
id = "mixed"
name = "Mixed scales"
framework = "f.toml"

[scales.ten]
label = "Likelihood (0-10)"
points = [{{ value = 0, label = "Not at all likely" }}, {{ value = 1, label = "1" }}, {{ value = 2, label = "2" }}, {{ value = 3, label = "3" }}, {{ value = 4, label = "4" }}, {{ value = 5, label = "5" }}, {{ value = 6, label = "6" }}, {{ value = 7, label = "7" }}, {{ value = 8, label = "8" }}, {{ value = 9, label = "9" }}, {{ value = 10, label = "Extremely likely" }}]
favourable = [9, 10]

[scales.often]
label = "Frequency (4-point)"
points = [{{ value = 1, label = "Never" }}, {{ value = 2, label = "Rarely" }}, {{ value = 3, label = "Often" }}, {{ value = 4, label = "Always" }}]
favourable = [3, 4]

[scales.rating]
label = "Rating (best first)"
best_first = true
points = [{{ value = 1, label = "Great" }}, {{ value = 2, label = "OK" }}, {{ value = 3, label = "Awful" }}]
favourable = [1]

[[items]]
id = "recommend"
indicator = "{}"
text = "How likely are you to recommend the programme?"
scale = "ten"

[[items]]
id = "meet"
indicator = "{}"
text = "How often do you meet your mentor?"
scale = "often"

[[items]]
id = "rate"
indicator = "{}"
text = "How was the last session?"
scale = "rating"
"#,
        node_of[0], node_of[1], node_of[2]
    )
}

const MIXED_FRAMEWORK: &str = r#"
id = "f"
name = "Programme"
source = "Written for this test"
headline_level = "part"
levels = [{ id = "part", label = "Part", plural = "Parts" }]
nodes = [
  { id = "a", level = "part", label = "Loyalty" },
  { id = "b", level = "part", label = "Contact" },
  { id = "c", level = "part", label = "Sessions" },
]
"#;

fn parse_mixed(node_of: [&str; 3]) -> backbone::Result<Instrument> {
    Instrument::parse(&mixed_instrument(node_of), Path::new("mixed.toml"), |_| {
        Framework::parse(MIXED_FRAMEWORK, Path::new("f.toml"))
    })
}

#[test]
fn a_node_that_would_average_different_ranges_is_refused() {
    let err = parse_mixed(["a", "a", "b"]).unwrap_err().to_string();
    assert!(err.starts_with("mixed.toml: "), "{err}");
    assert!(
        err.contains("node \"a\" would average items on different scales: \"recommend\" on Likelihood (0-10) (0–10) and \"meet\" on Frequency (4-point) (1–4)"),
        "{err}"
    );
}

#[test]
fn each_item_is_drawn_on_its_own_scale_and_best_first_keeps_its_labels() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.toml"), MIXED_FRAMEWORK).unwrap();
    std::fs::write(dir.path().join("mixed.toml"), mixed_instrument(["a", "b", "c"])).unwrap();
    // 30 say the session was "Great" (some by its code, 1), 10 "Awful".
    let mut csv = String::from(
        "How likely are you to recommend the programme?,How often do you meet your mentor?,How was the last session?\n",
    );
    for r in 0..40 {
        let rate = match r {
            0..=19 => "Great",
            20..=29 => "1",
            _ => "Awful",
        };
        let _ = writeln!(
            csv,
            "{},{},{rate}",
            r % 11,
            ["Never", "Rarely", "Often", "Always"][r % 4]
        );
    }
    std::fs::write(dir.path().join("mixed-2025.csv"), csv).unwrap();
    let config = Config::with_waves(
        Some(dir.path().join("mixed.toml")),
        vec![Wave::labelled("2025", dir.path().join("mixed-2025.csv"))],
    );
    let report = analyse(&config).unwrap().report();

    let scale = |label: &str| report.scales.iter().position(|s| s.label == label).unwrap();
    let rating = &report.scales[scale("Rating (best first)")];
    let points: Vec<(i64, &str, bool)> = rating
        .points
        .iter()
        .map(|p| (p.value, p.label.as_str(), p.favourable))
        .collect();
    // Mirrored so that higher is better; every answer keeps its own label.
    assert_eq!(
        points,
        [(1, "Awful", false), (2, "OK", false), (3, "Great", true)]
    );
    let row = |id: &str| {
        report
            .sections
            .iter()
            .flat_map(|s| s.rows.iter())
            .find(|r| r.id == id)
            .unwrap()
    };
    let rate = row("rate");
    let answers = rate.answers.as_ref().unwrap();
    assert_eq!(answers.scale, scale("Rating (best first)"));
    assert_eq!(answers.shares, [25.0, 0.0, 75.0]);
    assert_eq!(rate.favourable, "75%");
    // (10 × 1 + 30 × 3) / 40
    assert_eq!(rate.cells[0].as_ref().unwrap().mean, Some(2.5));

    let meet = row("meet").answers.as_ref().unwrap();
    assert_eq!(meet.scale, scale("Frequency (4-point)"));
    assert_eq!(meet.shares, [25.0, 25.0, 25.0, 25.0]);
    let recommend = row("recommend").answers.as_ref().unwrap();
    assert_eq!(recommend.scale, scale("Likelihood (0-10)"));
    assert_eq!(recommend.shares.len(), 11);

    // The chart's legend names each scale's own points.
    let out = dir.path().join("out");
    backbone::output::write_atomically(&out, |dir| backbone::render::render(&report, dir)).unwrap();
    let svg = std::fs::read_to_string(out.join("distribution.svg")).unwrap();
    let (drawn, _) = text_extents(&svg);
    for label in [
        "Awful",
        "Great",
        "Never",
        "Always",
        "Not at all likely",
        "Extremely likely",
    ] {
        assert!(drawn.iter().any(|(t, _)| t == label), "{label} not in the legend");
    }
    assert!(svg.contains("less favourable ← | → more favourable"));
}
