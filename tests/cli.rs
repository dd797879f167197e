//! End-to-end runs of the `backbone` binary: the bundled sample, determinism, privacy, and the
//! messages an evaluator gets for broken input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn backbone(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn run_sample(out: &Path) -> Output {
    let output = backbone(&[
        "run",
        "--config",
        "sample_surveys/backbone.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn sample_run_writes_every_output_identically_twice() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_sample(a.path());
    run_sample(b.path());
    let names: Vec<String> = files_in(a.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected = [
        "comparison.csv",
        "report.md",
        "scorecard.png",
        "scorecard.svg",
        "scores.csv",
        "trend.png",
        "trend.svg",
    ];
    assert_eq!(names, expected);
    for name in names {
        let (x, y) = (
            std::fs::read(a.path().join(&name)).unwrap(),
            std::fs::read(b.path().join(&name)).unwrap(),
        );
        assert!(!x.is_empty(), "{name} is empty");
        assert!(x == y, "{name} differs between two runs");
    }
}

#[test]
fn sample_run_accounts_for_every_row() {
    let out = tempfile::tempdir().unwrap();
    let stdout = String::from_utf8(run_sample(out.path()).stdout).unwrap();
    for line in stdout.lines().filter(|l| l.contains("rows read")) {
        // "<file> (<wave>, <encoding>): R rows read, U used, S skipped"
        let numbers: Vec<usize> = line
            .rsplit(':')
            .next()
            .unwrap()
            .split(',')
            .map(|part| part.split_whitespace().next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(numbers[0], numbers[1] + numbers[2], "{line}");
        assert!(numbers[2] > 0, "the sample has unusable rows: {line}");
    }
    assert_eq!(stdout.lines().filter(|l| l.contains("rows read")).count(), 3);
    let report = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(report.contains("## Methods"));
    assert!(report.contains("rows read") || report.contains("Rows read"));
}

#[test]
fn no_name_or_email_from_the_inputs_reaches_an_output() {
    let out = tempfile::tempdir().unwrap();
    run_sample(out.path());
    let mut identities = Vec::new();
    for year in ["2023", "2024", "2025"] {
        let path = root().join(format!("sample_surveys/riverbend-partner-survey-{year}.csv"));
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let name = headers.iter().position(|h| h == "Name").unwrap();
        let email = headers.iter().position(|h| h == "Email").unwrap();
        for record in reader.records() {
            let record = record.unwrap();
            for i in [name, email] {
                if !record[i].is_empty() {
                    identities.push(record[i].to_string());
                }
            }
        }
    }
    assert!(identities.len() > 300);
    for file in files_in(out.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        let binary = file.extension().is_some_and(|e| e == "png");
        assert!(binary || !text.contains('@'), "{} contains an @", file.display());
        for id in &identities {
            assert!(!text.contains(id.as_str()), "{} contains {id}", file.display());
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn fails_with(file: &Path, needles: &[&str]) {
    let out = file.parent().unwrap().join("out");
    let output = backbone(&["run", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "should fail: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
    }
    assert!(
        !out.join("scores.csv").exists(),
        "no report is written for a failed run"
    );
}

#[test]
fn broken_inputs_get_messages_naming_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let sample =
        std::fs::read_to_string(root().join("sample_surveys/riverbend-partner-survey-2023.csv")).unwrap();
    let header = sample.lines().next().unwrap();

    fails_with(
        &write(dir.path(), "empty-2023.csv", b""),
        &["empty-2023.csv", "the file is empty"],
    );
    fails_with(
        &write(dir.path(), "binary-2023.csv", b"PK\x03\x04\x00\x00\x14\x00"),
        &["binary-2023.csv", "binary"],
    );
    fails_with(
        &write(
            dir.path(),
            "header-only-2023.csv",
            format!("{header}\n").as_bytes(),
        ),
        &["header-only-2023.csv", "none of the 0 rows"],
    );
    // A row with more fields than the header.
    let ragged = format!("{header}\n{}\n", "x,".repeat(header.split(',').count() + 3));
    fails_with(
        &write(dir.path(), "ragged-2023.csv", ragged.as_bytes()),
        &["ragged-2023.csv", "row 2", "fields"],
    );
    // An export of another survey: the instrument's questions are missing.
    fails_with(
        &write(
            dir.path(),
            "other-2023.csv",
            b"Name,How did you hear about us?\nAnn,Radio\n",
        ),
        &["other-2023.csv", "only 0 of the", "questions"],
    );
    // The same question twice.
    let cols: Vec<&str> = header.split(',').collect();
    let dup = format!("{},{}\n", header, cols[6]);
    fails_with(
        &write(dir.path(), "dup-2023.csv", dup.as_bytes()),
        &["dup-2023.csv", "row 1", "same question as an earlier column"],
    );
}

#[test]
fn unknown_answers_are_reported_with_file_row_and_column() {
    let out = tempfile::tempdir().unwrap();
    let stdout = String::from_utf8(run_sample(out.path()).stdout).unwrap();
    assert!(stdout.contains("matched no scale label"), "{stdout}");
    assert!(
        stdout.contains("riverbend-partner-survey-2023.csv, row "),
        "{stdout}"
    );
    assert!(stdout.contains(", column \""), "{stdout}");
}
