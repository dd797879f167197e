//! The catalogue of hostile and careless use (issue 11): each case asserts the message, the exit
//! code, and, when the run fails, that the previous report is byte for byte as it was and that
//! nothing was left beside it. Runs are also interrupted and killed at several points.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/plain")
        .join(name)
        .display()
        .to_string()
}

fn sample(name: &str) -> PathBuf {
    root().join("sample_surveys").join(name)
}

fn backbone_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn backbone(args: &[&str]) -> Output {
    backbone_in(root(), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` (recursively) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file under `dir`, subfolders' files as `folder/file`.
fn files(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for name in entries(dir) {
        if dir.join(&name).is_dir() {
            names.extend(files(&dir.join(&name)).into_iter().map(|f| format!("{name}/{f}")));
        } else {
            names.push(name);
        }
    }
    names.sort();
    names
}

/// A folder holding a previous report in `reports/` (of the 2023 and 2024 plain fixtures).
fn with_previous_report() -> (tempfile::TempDir, PathBuf, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    crate::common::copy_dir(&crate::common::plain_pair().out, &out);
    let before = snapshot(&out);
    assert!(before.contains_key("scores.csv") && before.contains_key("brief.pdf"));
    (dir, out, before)
}

/// The run failed with `code`, its message holds every needle, the previous report is intact
/// and nothing but it sits in its parent folder.
fn failed_cleanly(
    output: &Output,
    code: i32,
    needles: &[&str],
    out: &Path,
    before: &BTreeMap<String, Vec<u8>>,
) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
    }
    assert!(snapshot(out) == *before, "the previous report changed");
    let parent = out.parent().unwrap();
    let debris: Vec<String> = entries(parent)
        .into_iter()
        .filter(|n| n.contains("backbone-"))
        .collect();
    assert!(debris.is_empty(), "left behind: {debris:?}");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// A plain fixture with its cells changed by `edit(row, column, cell)` (row 0 is the header).
fn edited(name: &str, edit: impl Fn(usize, usize, &str) -> String) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(fixture(name))
        .unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    for (r, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let cells: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(c, cell)| edit(r, c, cell))
            .collect();
        writer.write_record(&cells).unwrap();
    }
    writer.into_inner().unwrap()
}

#[test]
fn a_second_run_leaves_no_stale_file_beside_the_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let first = backbone(&[
        "run",
        "--config",
        "sample_surveys/backbone.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(out.join("panel.csv").exists());
    let second = backbone(&[
        "run",
        &fixture("riverbend-2023.csv"),
        &fixture("riverbend-2024.csv"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(
        !out.join("panel.csv").exists(),
        "a panel of the earlier run was kept"
    );
    let manifest = std::fs::read_to_string(out.join(".backbone-report")).unwrap();
    let mut listed: Vec<String> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect();
    listed.push(".backbone-report".into());
    listed.sort();
    assert_eq!(files(&out), listed);
    assert_eq!(entries(dir.path()), ["reports"]);
}

#[test]
fn failed_runs_leave_the_previous_report_byte_identical() {
    let (dir, out, before) = with_previous_report();
    let o = out.to_str().unwrap();
    // Input errors: exit 1.
    let empty = write(dir.path(), "empty-2025.csv", b"");
    failed_cleanly(
        &backbone(&["run", &empty, "--out", o]),
        1,
        &["empty-2025.csv", "the file is empty"],
        &out,
        &before,
    );
    let open_quote = write(
        dir.path(),
        "quote-2025.csv",
        b"Respondent ID,Your role\n1,\"Funder\n2,Other\n",
    );
    failed_cleanly(
        &backbone(&["run", &open_quote, "--out", o]),
        1,
        &["quote-2025.csv, row 2", "never closed"],
        &out,
        &before,
    );
    let mut cut = edited("riverbend-2025.csv", |_, _, c| c.to_string());
    let keep = cut.len() - 40;
    cut.truncate(keep);
    let cut = write(dir.path(), "cut-2025.csv", &cut);
    failed_cleanly(
        &backbone(&["run", &cut, "--out", o]),
        1,
        &["cut-2025.csv, row 156", "cut short"],
        &out,
        &before,
    );
    // Every answer outside the scale: examples with their row and column, and what to do.
    let off = edited("riverbend-2025.csv", |r, c, cell| {
        if r > 0 && c >= 3 && !cell.is_empty() {
            "Maybe".into()
        } else {
            cell.to_string()
        }
    });
    let off = write(dir.path(), "off-2025.csv", &off);
    failed_cleanly(
        &backbone(&["run", &off, "--out", o]),
        1,
        &[
            "none of the 155 rows holds a usable response",
            "matched no label of the scale",
            "off-2025.csv, row 2, column \"I can accurately describe",
            ": \"Maybe\"",
            "use the instrument's scale labels",
        ],
        &out,
        &before,
    );
    // A wave column holding a 5,000-character cell (a question's column named by mistake):
    // refused at its row before it heads every table and chart.
    let long = edited("riverbend-2025.csv", |r, c, cell| match (r, c) {
        (4, 1) => "x".repeat(5000),
        _ => cell.to_string(),
    });
    let long = write(dir.path(), "long-2025.csv", &long);
    let config = format!(
        "initiative = \"R\"\nout = \"{o}\"\nwave_column = \"Which best describes your main role in the initiative?\"\n[[waves]]\nfile = \"{long}\"\n"
    );
    let config = write(dir.path(), "long.toml", config.as_bytes());
    let output = backbone(&["run", "--config", &config]);
    failed_cleanly(
        &output,
        1,
        &[
            "long-2025.csv, row 5",
            "wave label is 5000 characters long",
            "check that wave_column names the column of waves",
        ],
        &out,
        &before,
    );
    assert!(text(&output.stderr).len() < 2000, "the label was echoed");
    // A broken brief template: its file, line and message, not a debug dump.
    let template = write(dir.path(), "my-brief.typ", b"= Brief\n\n#let x = (1 +\n");
    let config = format!(
        "initiative = \"R\"\nout = \"{o}\"\n[report]\nbrief_template = \"my-brief.typ\"\n[[waves]]\nfile = \"{}\"\n",
        fixture("riverbend-2025.csv")
    );
    let config = write(dir.path(), "backbone.toml", config.as_bytes());
    let output = backbone(&["run", "--config", &config]);
    failed_cleanly(
        &output,
        1,
        &["my-brief.typ", "line 3", "brief template"],
        &out,
        &before,
    );
    assert!(!text(&output.stderr).contains("SourceDiagnostic"));
    assert!(template.ends_with("my-brief.typ"));
    // Usage errors: exit 2. An output folder holding a file that is not the report's.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let mut with_notes = before.clone();
    with_notes.insert("notes.txt".into(), b"mine".to_vec());
    failed_cleanly(
        &backbone(&["run", &fixture("riverbend-2025.csv"), "--out", o]),
        2,
        &["notes.txt", "not part of a backbone report", "--out"],
        &out,
        &with_notes,
    );
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    // --out naming a file.
    let file = write(dir.path(), "a-file", b"keep");
    let output = backbone(&["run", &fixture("riverbend-2025.csv"), "--out", &file]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("names a file, not a folder"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"keep");
}

#[test]
fn command_line_mistakes_get_a_way_forward() {
    let typo = backbone(&["rnu"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        text(&typo.stderr).contains("similar subcommand exists: 'run'"),
        "{}",
        text(&typo.stderr)
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let bare = backbone_in(elsewhere.path(), &["run"]);
    assert_eq!(bare.status.code(), Some(2));
    let stderr = text(&bare.stderr);
    assert!(
        stderr.contains("nothing to run on") && stderr.contains("--config"),
        "{stderr}"
    );
    assert!(entries(elsewhere.path()).is_empty());
    let help = text(&backbone(&["--help"]).stdout);
    for line in [
        "Exit codes:",
        "0    the run succeeded",
        "2    the command line is wrong",
        "130  interrupted",
    ] {
        assert!(help.contains(line), "{help}");
    }
    let missing = backbone(&[
        "run",
        "/nonexistent/partners-2025.csv",
        "--out",
        elsewhere.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(3), "{}", text(&missing.stderr));
    let format = backbone(&["run", "--format", "typeform", "x.csv"]);
    assert_eq!(format.status.code(), Some(2));
    assert!(
        text(&format.stderr).contains("surveymonkey"),
        "{}",
        text(&format.stderr)
    );
}

#[test]
fn a_stray_byte_in_a_utf8_export_is_reported_not_decoded_as_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    // The fixture with curly apostrophes, as platforms write them, and one stray byte.
    let curly = edited("riverbend-2025.csv", |_, _, c| {
        c.replace("Don't know", "Don’t know")
    });
    let mut damaged = curly.clone();
    let at = damaged.windows(6).position(|w| w == b"Agree,").unwrap();
    damaged.insert(at + 5, 0x92);
    let clean = write(dir.path(), "clean-2025.csv", &curly);
    let bad = write(dir.path(), "damaged-2025.csv", &damaged);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let clean_run = backbone(&["run", &clean, "--out", a.to_str().unwrap()]);
    assert!(clean_run.status.success(), "{}", text(&clean_run.stderr));
    let run = backbone(&["run", &bad, "--out", b.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(stdout.contains("UTF-8 (1 invalid byte sequence"), "{stdout}");
    assert!(
        stdout.contains("1 cell held bytes that are not valid UTF-8"),
        "{stdout}"
    );
    assert!(stdout.contains("damaged-2025.csv, row "), "{stdout}");
    // Not-applicable answers are still read as such: the N/A counts match the clean file's.
    let n_na = |dir: &Path| -> usize {
        let mut reader = csv::Reader::from_path(dir.join("scores.csv")).unwrap();
        let col = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "n_na")
            .unwrap();
        reader
            .records()
            .map(|r| r.unwrap()[col].parse::<usize>().unwrap_or(0))
            .sum()
    };
    assert!(n_na(&a) > 0);
    assert_eq!(n_na(&a), n_na(&b));
}

#[test]
fn console_examples_are_short_and_withhold_contact_details() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "x".repeat(5_000_000);
    let bytes = edited("riverbend-2025.csv", |r, c, cell| match (r, c) {
        (1, 5) => "ann.lee@example.org".into(),
        (2, 5) => "+1 (555) 123-4567".into(),
        (3, 5) => "see https://example.org/me".into(),
        (4, 5) => huge.clone(),
        _ => cell.to_string(),
    });
    let file = write(dir.path(), "hostile-2025.csv", &bytes);
    let out = dir.path().join("out");
    let run = backbone(&["run", &file, "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(stdout.len() < 20_000, "{} bytes of console output", stdout.len());
    for secret in ["ann.lee@example.org", "555", "https://example.org/me"] {
        assert!(!stdout.contains(secret), "{secret} printed: {stdout}");
    }
    assert!(
        stdout.contains("(withheld: looks like an email address)"),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("\"{}…\"", "x".repeat(60))), "{stdout}");
    for line in stdout.lines() {
        assert!(line.chars().count() < 400, "long console line: {}", &line[..200]);
    }
    // Report files name the input by its file name only, never by the folder it was in.
    let folder = dir.path().to_str().unwrap();
    for (name, bytes) in snapshot(&out) {
        if !name.ends_with(".png") && !name.ends_with(".pdf") {
            assert!(!text(&bytes).contains(folder), "{name} names the input's folder");
        }
    }
}

#[test]
fn identifying_headers_are_dropped_like_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = edited("riverbend-2025.csv", |r, c, cell| match (r, c) {
        (0, 0) => "Your work e-mail".into(),
        (_, 0) => format!("p{cell}@example.org"),
        _ => cell.to_string(),
    });
    let mut text_with_more = String::from_utf8(bytes).unwrap();
    text_with_more = text_with_more
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("Contact phone,Full name (optional),{l}\n"),
            _ => format!("555-010-{i:04},Ann Lee {i},{l}\n"),
        })
        .collect();
    let file = write(dir.path(), "ids-2025.csv", text_with_more.as_bytes());
    let out = dir.path().join("out");
    let run = backbone(&["run", &file, "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains(
            "3 identifying columns dropped: Contact phone | Full name (optional) | Your work e-mail"
        ),
        "{stdout}"
    );
    for (name, bytes) in snapshot(&out) {
        let t = text(&bytes);
        assert!(!t.contains("@example.org") && !t.contains("Ann Lee"), "{name}");
    }
}

#[test]
fn platforms_are_found_by_shape_and_named_as_users_write_them() {
    let dir = tempfile::tempdir().unwrap();
    let o = |name: &str| dir.path().join(name).display().to_string();
    let scores = |name: &str| std::fs::read_to_string(dir.path().join(name).join("scores.csv")).unwrap();
    let sm = sample("riverbend-2023-surveymonkey.csv");
    let reference = backbone(&["run", sm.to_str().unwrap(), "--out", &o("ref")]);
    assert!(reference.status.success(), "{}", text(&reference.stderr));
    // No "Response" sub-label (as in an export whose questions are all matrices). The sample is
    // Windows-1252, so it is edited as bytes.
    let bytes = std::fs::read(&sm).unwrap();
    let first_break = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let second_break = first_break + bytes[first_break..].iter().position(|&b| b == b'\n').unwrap();
    let row2 = String::from_utf8(bytes[first_break..second_break].to_vec()).unwrap();
    assert!(row2.contains(",Response,Response,"));
    let mut edited_sm = bytes[..first_break].to_vec();
    edited_sm.extend(row2.replace(",Response,Response,", ",,,").as_bytes());
    edited_sm.extend(&bytes[second_break..]);
    let no_sub = write(dir.path(), "nosub-2023.csv", &edited_sm);
    let run = backbone(&["run", &no_sub, "--out", &o("nosub")]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("SurveyMonkey, detected"),
        "{}",
        text(&run.stdout)
    );
    // Named as users write it.
    for name in ["surveymonkey", "SurveyMonkey", "survey-monkey"] {
        let run = backbone(&[
            "run",
            sm.to_str().unwrap(),
            "--format",
            name,
            "--out",
            &o("named"),
        ]);
        assert!(run.status.success(), "{name}: {}", text(&run.stderr));
    }
    assert_eq!(scores("nosub"), scores("ref"));
    // Qualtrics labels joined with "-" instead of " - ".
    let q = std::fs::read_to_string(sample("riverbend-2025-qualtrics.csv")).unwrap();
    let mut lines: Vec<String> = q.lines().map(String::from).collect();
    lines[1] = lines[1].replace(") - ", ")-");
    let dashed = write(
        dir.path(),
        "dashed-2025.csv",
        (lines.join("\n") + "\n").as_bytes(),
    );
    let q_ref = backbone(&[
        "run",
        sample("riverbend-2025-qualtrics.csv").to_str().unwrap(),
        "--out",
        &o("qref"),
    ]);
    assert!(q_ref.status.success());
    let run = backbone(&["run", &dashed, "--out", &o("dashed")]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(scores("dashed"), scores("qref"));
    // Every row a Qualtrics test response: said so, with the accounting.
    let mut lines: Vec<String> = q.lines().map(String::from).collect();
    for line in lines.iter_mut().skip(3) {
        *line = line.replacen(",IP Address,", ",Survey Test,", 1);
    }
    let tests_only = write(dir.path(), "tests-2025.csv", (lines.join("\n") + "\n").as_bytes());
    let run = backbone(&["run", &tests_only, "--out", &o("tests")]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains("skipped as survey preview, test or spam response")
            && stderr.contains("export the recorded responses"),
        "{stderr}"
    );
    assert!(!stderr.contains("scale labels"), "{stderr}");
}

#[test]
fn headers_that_are_item_ids_match_in_run_and_init() {
    let dir = tempfile::tempdir().unwrap();
    let instrument =
        std::fs::read_to_string(root().join("indicators/fsg-partner-survey.instrument.toml")).unwrap();
    let value: toml::Value = toml::from_str(&instrument).unwrap();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let normal = |t: &str| t.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    for item in value["items"].as_array().unwrap() {
        ids.insert(
            normal(item["text"].as_str().unwrap()),
            item["id"].as_str().unwrap().to_string(),
        );
    }
    let mut replaced = 0;
    let bytes = edited("riverbend-2025.csv", |r, _, cell| match ids.get(&normal(cell)) {
        Some(id) if r == 0 => id.clone(),
        _ => cell.to_string(),
    });
    let header = String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .unwrap()
        .to_string();
    for id in ids.values() {
        if header.contains(id.as_str()) {
            replaced += 1;
        }
    }
    assert!(replaced > 40, "{replaced} headers replaced by ids: {header}");
    let file = write(dir.path(), "ids-2025.csv", &bytes);
    let run = backbone(&["run", &file, "--out", dir.path().join("o").to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let reference = backbone(&[
        "run",
        &fixture("riverbend-2025.csv"),
        "--out",
        dir.path().join("r").to_str().unwrap(),
    ]);
    assert!(reference.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("o/scores.csv")).unwrap(),
        std::fs::read_to_string(dir.path().join("r/scores.csv")).unwrap()
    );
    let init = backbone(&[
        "init",
        &file,
        "--out",
        dir.path().join("m.toml").to_str().unwrap(),
    ]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    assert!(
        text(&init.stdout).contains(" 0 not placed"),
        "{}",
        text(&init.stdout)
    );
}

#[test]
fn columns_that_read_the_same_are_refused_naming_both_and_the_report_is_kept() {
    // The real Qualtrics export whose matrices Q3 and Q4 list the same statements, scored with
    // an instrument that does not say which column is which (no codes).
    let (dir, out, before) = with_previous_report();
    let real = |name: &str| root().join("tests/fixtures/real").join(name);
    let export = real("No_Basis_for_Evaluation_Insights.csv");
    let uncoded = real("vegetables-uncoded.instrument.toml");
    let run = backbone(&[
        "run",
        export.to_str().unwrap(),
        "--instrument",
        uncoded.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    failed_cleanly(
        &run,
        1,
        &[
            "No_Basis_for_Evaluation_Insights.csv, row 1",
            "two columns hold item \"q3-squash\"",
            "Q3_1 / QID3_1 (column 18, R) by its text and Q4_1 / QID4_1 (column 22, V) by its text",
            "code = \"Q3_1\"",
        ],
        &out,
        &before,
    );
    // A mapping entry naming their shared header.
    let mapping = write(
        dir.path(),
        "shared.mapping.toml",
        b"[[columns]]\ncolumn = \"Indicate how you feel about the following vegetables-Zucchini\"\nitem = \"q3-zucchini\"\n",
    );
    let config = write(
        dir.path(),
        "backbone.toml",
        format!(
            "initiative = \"V\"\ninstrument = \"{}\"\n[[waves]]\nfile = \"{}\"\nmapping = \"shared.mapping.toml\"\n",
            uncoded.display(),
            export.display()
        )
        .as_bytes(),
    );
    let run = backbone(&["run", "--config", &config, "--out", out.to_str().unwrap()]);
    failed_cleanly(
        &run,
        1,
        &[
            &mapping,
            "matches 2 columns of No_Basis_for_Evaluation_Insights.csv: Q3_3 / QID3_3 (column 20, T); Q4_3 / QID4_3 (column 24, X)",
            "by id (id = \"Q3_3\") or position (position = 20)",
        ],
        &out,
        &before,
    );
}

#[test]
fn skipped_row_examples_sit_under_their_own_reason() {
    let dir = tempfile::tempdir().unwrap();
    let run = backbone(&[
        "run",
        "--config",
        "sample_surveys/backbone.toml",
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let stdout = text(&run.stdout);
    let mut reason = String::new();
    let mut checked = 0;
    for line in stdout.lines() {
        if let Some(r) = line.trim().strip_prefix("skipped ") {
            reason = r.to_string();
        } else if let Some(detail) = line.trim().strip_prefix("row ") {
            let detail = detail.split_once(": ").unwrap().1;
            let fits = if reason.contains("too few items") {
                detail.starts_with("answered ")
            } else if reason.contains("repeated") {
                detail.contains("replaced")
            } else {
                reason.ends_with(detail)
            };
            assert!(fits, "{detail:?} listed under {reason:?}");
            checked += 1;
        } else if !line.starts_with("    ") {
            reason.clear();
        }
    }
    assert!(checked >= 3, "{stdout}");
}

/// Starts a run that pauses at `stage` (the test hook), waits for it to get there, and sends
/// it `signal`; returns its exit status.
fn interrupt_at(stage: &str, signal: i32, out: &Path) -> std::process::ExitStatus {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args([
            "run",
            &fixture("riverbend-2024.csv"),
            &fixture("riverbend-2025.csv"),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("BACKBONE_TEST_PAUSE_AT", stage)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let marker = format!("backbone-test: paused at {stage}");
    loop {
        match lines.next() {
            Some(Ok(line)) if line == marker => break,
            Some(_) => {}
            None => panic!("the run ended before {stage}: {:?}", child.wait()),
        }
    }
    let pid = child.id() as i32;
    // SAFETY: sends a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    child.wait().unwrap()
}

#[test]
fn interrupted_runs_leave_the_previous_report_and_no_debris() {
    let (dir, out, before) = with_previous_report();
    // The new report, for a signal that arrives when the swap is done.
    let reference = dir.path().join("reference");
    let run = backbone(&[
        "run",
        &fixture("riverbend-2024.csv"),
        &fixture("riverbend-2025.csv"),
        "--out",
        reference.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let after = snapshot(&reference);
    std::fs::remove_dir_all(&reference).unwrap();
    assert!(after != before);
    for stage in ["after-ingest", "mid-render", "before-swap"] {
        for signal in [libc::SIGTERM, libc::SIGINT] {
            let status = interrupt_at(stage, signal, &out);
            assert_eq!(status.code(), Some(130), "{stage}");
            assert!(snapshot(&out) == before, "the previous report changed ({stage})");
            assert_eq!(entries(dir.path()), ["reports"], "{stage}");
        }
    }
    // Mid-swap, the exchange is done: the new report is in place, whole, and nothing is left.
    let status = interrupt_at("mid-swap", libc::SIGTERM, &out);
    assert_eq!(status.code(), Some(130));
    assert!(
        snapshot(&out) == after,
        "the swapped-in report is not the complete new one"
    );
    assert_eq!(entries(dir.path()), ["reports"]);
}

#[test]
fn a_killed_run_leaves_the_previous_report_and_the_next_run_sweeps_its_debris() {
    let (dir, out, before) = with_previous_report();
    for stage in ["mid-render", "before-swap"] {
        let status = interrupt_at(stage, libc::SIGKILL, &out);
        assert_eq!(status.code(), None, "killed");
        assert!(snapshot(&out) == before, "the previous report changed ({stage})");
    }
    // The second killed run swept the first one's staging folder; its own is left.
    let debris: Vec<String> = entries(dir.path())
        .into_iter()
        .filter(|n| n != "reports")
        .collect();
    assert_eq!(debris.len(), 1, "{debris:?}");
    assert!(debris.iter().all(|n| n.starts_with(".reports.backbone-staging-")));
    // A folder of the user's own beside it, named like a staging folder, is never removed.
    let mine = dir.path().join(".reports.backbone-staging-notes");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("keep.txt"), "mine").unwrap();
    let run = backbone(&[
        "run",
        &fixture("riverbend-2023.csv"),
        &fixture("riverbend-2024.csv"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(snapshot(&out) == before, "the same inputs give the same report");
    assert_eq!(
        entries(dir.path()),
        [".reports.backbone-staging-notes", "reports"]
    );
    assert_eq!(std::fs::read_to_string(mine.join("keep.txt")).unwrap(), "mine");
}

#[test]
fn a_wave_where_one_respondent_remains_is_never_scored() {
    let dir = tempfile::tempdir().unwrap();
    // Every row shares one respondent id, so the later rows replace the earlier: one remains.
    let one = edited("riverbend-2023.csv", |r, c, cell| {
        if r > 0 && c == 0 {
            "7".into()
        } else {
            cell.to_string()
        }
    });
    let one = write(dir.path(), "one-2025.csv", &one);
    let out = dir.path().join("out");
    let run = backbone(&[
        "run",
        &fixture("riverbend-2024.csv"),
        &one,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(stdout.contains("respondent id repeated"), "{stdout}");

    // No number but n for any 2025 row of scores.csv, and no 2024 → 2025 test.
    let mut reader = csv::Reader::from_path(out.join("scores.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        if &record[0] != "2025" {
            continue;
        }
        rows += 1;
        for (header, cell) in headers.iter().zip(record.iter()) {
            match header {
                "wave" | "level" | "id" | "label" | "reverse" => {}
                // The one respondent may have skipped a statement.
                "n" => assert!(cell == "1" || cell == "0", "{record:?}"),
                "suppressed" => assert_eq!(cell, "suppressed"),
                _ => assert_eq!(cell, "", "{header} of {record:?}"),
            }
        }
    }
    assert!(rows > 50, "{rows} rows of 2025");
    let mut reader = csv::Reader::from_path(out.join("comparison.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (mean, diff, p, direction) = (
        column("mean_to"),
        column("diff"),
        column("p_value"),
        column("direction"),
    );
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(&record[direction], "not tested", "{record:?}");
        assert!(record[mean].is_empty() && record[diff].is_empty() && record[p].is_empty());
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("165 partners answered in 2024; 1 partner answered in 2025."));
    assert!(
        md.contains("**Advance Policy**: not shown: fewer than 5 partners answered in 2025."),
        "{md}"
    );
}

#[test]
fn a_console_pipe_closed_early_ends_the_console_not_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // As `backbone run … | head -1` does: read one line, then close the pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(["run", &fixture("riverbend-2023.csv"), "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // No instrument is named, so the first line says which one scores the file.
    assert!(first.starts_with("scoring with the bundled"), "{first}");
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let written = files(&out);
    assert!(
        written.contains(&"brief.pdf".to_string()) && written.contains(&"scores.csv".to_string()),
        "{written:?}"
    );
}
