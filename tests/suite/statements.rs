//! Matrix headers as real exports write them: "stem - statement", "stem: - statement",
//! "stem: statement" and "stem [statement]" match an item on its statement in every format
//! (plain, Google Forms, Qualtrics, SurveyMonkey, Microsoft Forms), in `run` and in `init`'s
//! suggestions. Expected n and means are counted by hand from the six rows below.

use std::path::{Path, PathBuf};
use std::process::Command;

use backbone::config::{Config, Wave};
use backbone::pipeline::analyse;

const STEM: &str = "Are we spending too much, too little, or about the right amount on";

const FRAMEWORK: &str = r#"
id = "spending"
name = "Spending"
source = "test fixture"
headline_level = "topic"

[[levels]]
id = "topic"
label = "Topic"
plural = "Topics"

[[nodes]]
id = "spending"
level = "topic"
label = "Spending"
"#;

const INSTRUMENT: &str = r#"
id = "spending-survey"
name = "Spending survey"
framework = "spending.framework.toml"

[scales.amount]
label = "Amount"
points = [
  { value = 1, label = "Too little" },
  { value = 2, label = "About right" },
  { value = 3, label = "Too much" },
]
favourable = [2]
missing = ["Don't know"]

[[items]]
id = "natfare"
indicator = "spending"
text = "Welfare"
scale = "amount"

[[items]]
id = "natroad"
indicator = "spending"
text = "Highways and bridges"
scale = "amount"
"#;

/// Six respondents' answers to Welfare and Highways and bridges.
const ANSWERS: [(&str, &str); 6] = [
    ("Too little", "Too much"),
    ("About right", "Too much"),
    ("Too much", "About right"),
    ("About right", "Don't know"),
    ("Too little", "Too little"),
    ("Don't know", "Too much"),
];
// By hand: Welfare 1, 2, 3, 2, 1 -> n 5, mean 9/5; Highways 3, 3, 2, 1, 3 -> n 5, mean 12/5.
const EXPECTED: [(&str, usize, f64); 2] = [("natfare", 5, 9.0 / 5.0), ("natroad", 5, 12.0 / 5.0)];

fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("statements")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("spending.framework.toml"), FRAMEWORK).unwrap();
    std::fs::write(dir.join("spending.instrument.toml"), INSTRUMENT).unwrap();
    dir
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    quoted.join(",") + "\n"
}

/// An export: header rows, then per respondent `before` cells and the two answers.
fn export(dir: &Path, name: &str, headers: &[Vec<String>], before: impl Fn(usize) -> Vec<String>) -> PathBuf {
    let mut text: String = headers.iter().map(|h| csv_line(h)).collect();
    for (k, (welfare, roads)) in ANSWERS.iter().enumerate() {
        let mut row = before(k);
        row.extend([welfare.to_string(), roads.to_string()]);
        text.push_str(&csv_line(&row));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn joined(join: &dyn Fn(&str) -> String) -> Vec<String> {
    vec![join("Welfare"), join("Highways and bridges")]
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// How a header joins the stem to a statement.
type Join = Box<dyn Fn(&str) -> String>;

/// Every way of joining a stem to its statement, in the five formats.
fn exports(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let forms: [(&str, Join); 4] = [
        ("dash", Box::new(|s| format!("{STEM} - {s}"))),
        ("colon-dash", Box::new(|s| format!("{STEM}: - {s}"))),
        ("colon", Box::new(|s| format!("{STEM}: {s}"))),
        ("bracket", Box::new(|s| format!("{STEM} [{s}]"))),
    ];
    let mut out = Vec::new();
    for (name, join) in &forms {
        let mut header = strings(&["Respondent ID"]);
        header.extend(joined(join.as_ref()));
        out.push((
            export(dir, &format!("plain-{name}.csv"), &[header], |k| {
                vec![format!("c{k}")]
            }),
            "plain table",
        ));

        let mut header = strings(&["Timestamp"]);
        header.extend(joined(join.as_ref()));
        let google = export(dir, &format!("google-{name}.csv"), &[header], |k| {
            vec![format!("2024/03/0{} 10:00:00", k + 1)]
        });
        out.push((google, "Google Forms"));

        let ids = strings(&["ResponseId", "Q1_1", "Q1_2"]);
        let mut labels = strings(&["Response ID"]);
        labels.extend(joined(join.as_ref()));
        let imports = strings(&[
            r#"{"ImportId":"_recordId"}"#,
            r#"{"ImportId":"QID1_1"}"#,
            r#"{"ImportId":"QID1_2"}"#,
        ]);
        let qualtrics = export(
            dir,
            &format!("qualtrics-{name}.csv"),
            &[ids, labels, imports],
            |k| vec![format!("R_{k}")],
        );
        out.push((qualtrics, "Qualtrics"));

        let mut top = strings(&["Respondent ID"]);
        top.extend(joined(join.as_ref()));
        let subs = strings(&["", "Response", "Response"]);
        let monkey = export(dir, &format!("monkey-{name}.csv"), &[top, subs], |k| {
            vec![format!("{}", 100 + k)]
        });
        out.push((monkey, "SurveyMonkey"));

        let mut header = strings(&["ID", "Start time", "Completion time"]);
        header.extend(joined(join.as_ref()));
        let forms = export(dir, &format!("msforms-{name}.csv"), &[header], |k| {
            vec![
                format!("{}", k + 1),
                "3/4/24 10:00:00".into(),
                "3/4/24 10:05:00".into(),
            ]
        });
        out.push((forms, "Microsoft Forms"));
    }
    out
}

#[test]
fn every_join_matches_the_statement_in_every_format() {
    let dir = dir("run");
    let instrument = dir.join("spending.instrument.toml");
    for (path, platform) in exports(&dir) {
        let config = Config::with_waves(Some(instrument.clone()), vec![Wave::labelled("2024", &path)]);
        let analysis = analyse(&config).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let account = &analysis.accounts[0];
        assert_eq!(account.platform, platform, "{}", path.display());
        assert!(
            account.unmapped_columns.is_empty(),
            "{}: {:?}",
            path.display(),
            account.unmapped_columns
        );
        for (id, n, mean) in EXPECTED {
            let row = analysis.scores.rows.iter().find(|r| r.id == id).expect("scored");
            assert_eq!(row.n, n, "{} {id}", path.display());
            let got = row.mean.expect("a mean");
            assert!(
                (got - mean).abs() < 1e-12,
                "{} {id}: {got} != {mean}",
                path.display()
            );
        }
    }
}

#[test]
fn init_suggests_the_item_whose_text_is_the_statement() {
    let dir = dir("init");
    for (path, _) in exports(&dir) {
        let out = Command::new(env!("CARGO_BIN_EXE_backbone"))
            .args(["init", "--instrument", "spending.instrument.toml"])
            .arg(&path)
            .current_dir(&dir)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}: {said}", path.display());
        assert!(
            said.contains("2 placed, 0 not placed"),
            "{}: {said}",
            path.display()
        );
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mapping = std::fs::read_to_string(dir.join(format!("{stem}.mapping.toml"))).unwrap();
        for id in ["natfare", "natroad"] {
            let entry = mapping
                .split("[[columns]]")
                .find(|e| e.contains(&format!("item = \"{id}\"")))
                .expect(id);
            assert!(entry.contains("confidence = 1.00"), "{}: {entry}", path.display());
        }
    }
}
