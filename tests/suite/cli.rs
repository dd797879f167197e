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

/// Every file under `dir`, in its subfolders too.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_in(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn sample_run_writes_every_output_identically_twice() {
    // The shared run is the first; a second, separate process must write the same bytes.
    let (a, b) = (
        crate::common::sample().out.as_path(),
        tempfile::tempdir().unwrap(),
    );
    run_sample(b.path());
    let names: Vec<String> = files_in(a)
        .iter()
        .map(|p| p.strip_prefix(a).unwrap().to_string_lossy().into_owned())
        .collect();
    let expected = [
        ".backbone-report",
        "brief.pdf",
        "comments.csv",
        "comparison.csv",
        "distribution.png",
        "distribution.svg",
        "drivers.csv",
        "gap-1.png",
        "gap-1.svg",
        "group-trend-role.png",
        "group-trend-role.svg",
        "group-trend-sector.png",
        "group-trend-sector.svg",
        "group_changes.csv",
        "groups-role.png",
        "groups-role.svg",
        "groups-sector.png",
        "groups-sector.svg",
        "groups.csv",
        "panel.csv",
        "priority-overall-effectiveness.png",
        "priority-overall-effectiveness.svg",
        "reliability.csv",
        "report.html",
        "report.md",
        "report.xlsx",
        "scorecard.png",
        "scorecard.svg",
        "scores.csv",
        "slides/distribution-1.png",
        "slides/distribution-1.svg",
        "slides/distribution-2.png",
        "slides/distribution-2.svg",
        "slides/distribution-3.png",
        "slides/distribution-3.svg",
        "slides/distribution-4.png",
        "slides/distribution-4.svg",
        "slides/distribution-5.png",
        "slides/distribution-5.svg",
        "slides/gap-1.png",
        "slides/gap-1.svg",
        "slides/groups-role.png",
        "slides/groups-role.svg",
        "slides/groups-sector.png",
        "slides/groups-sector.svg",
        "slides/priority-overall-effectiveness.png",
        "slides/priority-overall-effectiveness.svg",
        "slides/scorecard.png",
        "slides/scorecard.svg",
        "slides/themes-do-better.png",
        "slides/themes-do-better.svg",
        "slides/trend.png",
        "slides/trend.svg",
        "themes-do-better.png",
        "themes-do-better.svg",
        "trend.png",
        "trend.svg",
    ];
    assert_eq!(names, expected);
    for name in [
        "scores.csv",
        "comparison.csv",
        "reliability.csv",
        "report.md",
        "report.html",
    ] {
        // Rust prints non-numbers as NaN, inf and -inf.
        let text = std::fs::read_to_string(a.join(name)).unwrap();
        let words = text.split(|c: char| !c.is_alphanumeric() && c != '-');
        for word in words {
            assert!(!["NaN", "inf", "-inf"].contains(&word), "{name} contains {word}");
        }
    }
    for name in names {
        let (x, y) = (
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.path().join(&name)).unwrap(),
        );
        assert!(!x.is_empty(), "{name} is empty");
        assert!(x == y, "{name} differs between two runs");
    }
}

#[test]
fn sample_run_accounts_for_every_row() {
    let run = crate::common::sample();
    let stdout = run.stdout();
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
    let report = std::fs::read_to_string(run.out.join("report.md")).unwrap();
    assert!(report.contains("## Methods"));
    assert!(report.contains("rows read") || report.contains("Rows read"));
}

/// Names, emails and IP addresses as the sample exports hold them, read without backbone's
/// code: by header, from the raw rows.
fn identities_in_samples() -> Vec<String> {
    let mut found = Vec::new();
    for name in [
        "riverbend-2023-surveymonkey.csv",
        "riverbend-2024-google-forms.csv",
        "riverbend-2025-qualtrics.csv",
    ] {
        let bytes = std::fs::read(root().join("sample_surveys").join(name)).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let rows: Vec<Vec<String>> = reader
            .byte_records()
            .map(|r| {
                r.unwrap()
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect()
            })
            .collect();
        let header = &rows[0];
        let col = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.contains(&h.trim_start_matches('\u{feff}')))
        };
        let email = col(&["Email Address", "RecipientEmail"]);
        let ip = col(&["IP Address", "IPAddress"]);
        let first = col(&["First Name", "RecipientFirstName"]);
        let last = col(&["Last Name", "RecipientLastName"]);
        for row in &rows[1..] {
            for c in [email, ip].into_iter().flatten() {
                if row[c].contains('@') || row[c].starts_with("203.0.113.") {
                    found.push(row[c].clone());
                }
            }
            if let (Some(f), Some(l)) = (first, last) {
                if !row[f].is_empty() && !row[f].contains(' ') && row[f] != "Recipient First Name" {
                    found.push(format!("{} {}", row[f], row[l]));
                }
            }
        }
    }
    found
}

/// Whether the text holds something shaped like an email address (`x@y.z`).
fn has_email(text: &str) -> bool {
    text.match_indices('@').any(|(i, _)| {
        let before = text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || "._-+".contains(c));
        let domain: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || ".-".contains(*c))
            .collect();
        before && domain.contains('.') && !domain.starts_with('.')
    })
}

#[test]
fn no_name_email_or_ip_address_from_the_inputs_reaches_an_output() {
    let out = &crate::common::sample().out;
    let identities = identities_in_samples();
    assert!(identities.len() > 900, "{} identities found", identities.len());
    // One pass over each file for all identities (a contains() per identity took 23 s).
    let searcher = aho_corasick::AhoCorasick::new(&identities).unwrap();
    assert!(searcher.is_match(&format!("Dear {}, thanks", identities[900])));
    assert!(has_email("write to ann.lee@example.org today") && !has_email("@media print"));
    for file in files_in(out) {
        let extension = file
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A PDF's text is compressed: read it as a reader would, with poppler's pdftotext.
        let text = if extension == "pdf" {
            let output = Command::new("pdftotext")
                .args([file.to_str().unwrap(), "-"])
                .output();
            String::from_utf8_lossy(&output.expect("pdftotext (poppler-utils) is needed").stdout).into_owned()
        } else if extension == "xlsx" {
            // A workbook is compressed too: read its cells.
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
            let mut cells = String::new();
            for name in book.sheet_names() {
                for row in book.worksheet_range(&name).unwrap().rows() {
                    for cell in row {
                        cells.push_str(&cell.to_string());
                        cells.push('\n');
                    }
                }
            }
            cells
        } else {
            String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned()
        };
        let binary = extension == "png";
        assert!(
            binary || !has_email(&text),
            "{} contains an email address",
            file.display()
        );
        assert!(
            !text.contains("203.0.113."),
            "{} contains an IP address",
            file.display()
        );
        if let Some(found) = searcher.find(&text) {
            panic!("{} contains {}", file.display(), identities[found.pattern()]);
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

/// A CSV line of these cells, quoted where needed.
fn csv_line(cells: &[String]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(cells).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn broken_inputs_get_messages_naming_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut reader = csv::Reader::from_path(root().join("tests/fixtures/plain/riverbend-2025.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let header_line = csv_line(&header);

    fails_with(
        &write(dir.path(), "empty-2023.csv", b""),
        &["empty-2023.csv", "the file is empty"],
    );
    fails_with(
        &write(dir.path(), "binary-2023.csv", b"\x00\x01\x02\x03\xff\xfe\x00"),
        &["binary-2023.csv", "binary data"],
    );
    fails_with(
        &write(
            dir.path(),
            "broken-2023.xlsx",
            b"PK\x03\x04\x14\x00\x00\x00truncated",
        ),
        &["broken-2023.xlsx", "looks like a spreadsheet but cannot be read"],
    );
    let mut bad_utf8 = b"\xef\xbb\xbf".to_vec();
    bad_utf8.extend(header_line.as_bytes());
    bad_utf8.extend(b"1,Funder,\xff\xfe\n");
    fails_with(
        &write(dir.path(), "bom-2023.csv", &bad_utf8),
        &["bom-2023.csv", "not valid UTF-8"],
    );
    fails_with(
        &write(dir.path(), "header-only-2023.csv", header_line.as_bytes()),
        &["header-only-2023.csv", "none of the 0 rows"],
    );
    // A row with more filled fields than the header has columns.
    let ragged = format!("{header_line}{}\n", "x,".repeat(header.len() + 3));
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
        &["other-2023.csv", "only 0 of the", "questions", "backbone init"],
    );
    // The same question twice.
    let mut doubled = header.clone();
    assert_eq!(header.len(), 49);
    doubled.push(header[5].clone());
    fails_with(
        &write(dir.path(), "dup-2023.csv", csv_line(&doubled).as_bytes()),
        &[
            "dup-2023.csv",
            "row 1",
            &format!("column \"{}\"", header[5]),
            "two columns hold item",
            // The sixth column and its copy appended after the 48 of the fixture, by number and
            // spreadsheet letter.
            "column 6 (F) by its text and column 50 (AX) by its text",
            "mapping file",
        ],
    );
    // A workbook whose first sheet is empty.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet();
    let empty_sheet = dir.path().join("empty-sheet-2023.xlsx");
    workbook.save(&empty_sheet).unwrap();
    fails_with(&empty_sheet, &["empty-sheet-2023.xlsx", "has only 0"]);
}

#[test]
fn unknown_answers_are_reported_with_file_row_and_column() {
    let stdout = crate::common::sample().stdout();
    assert!(stdout.contains("matched no scale label"), "{stdout}");
    assert!(
        stdout.contains("riverbend-2023-surveymonkey.csv, row "),
        "{stdout}"
    );
    assert!(stdout.contains(", column \""), "{stdout}");
}

#[test]
fn init_suggests_a_mapping_that_run_then_uses() {
    let dir = tempfile::tempdir().unwrap();
    let plain = root().join("tests/fixtures/plain/riverbend-2025.csv");
    // The same export with numbered, reworded question headers, as a survey tool might show them.
    let mut reader = csv::Reader::from_path(&plain).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i < 3 {
                h.to_string()
            } else {
                format!("Q{i}. {}", h.trim_end_matches('.'))
            }
        })
        .collect();
    let mut writer = csv::Writer::from_path(dir.path().join("renamed-2025.csv")).unwrap();
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        writer.write_record(&record.unwrap()).unwrap();
    }
    writer.flush().unwrap();

    let export = dir.path().join("renamed-2025.csv");
    let mapping = dir.path().join("renamed.mapping.toml");
    let output = backbone(&[
        "init",
        export.to_str().unwrap(),
        "--out",
        mapping.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("48 question columns; 48 placed, 0 not placed"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&mapping).unwrap();
    assert!(text.contains("item = \"gv-describe-agenda\""), "{text}");
    assert!(text.contains("attribute = \"role\""), "{text}");
    assert!(
        text.contains(
            "item = \"gv-describe-agenda\"
confidence = 0.9"
        ),
        "reworded, so below 1:
{text}"
    );
    // Without the mapping the export is not recognised; with it, it scores as the plain table.
    let bare = backbone(&[
        "run",
        export.to_str().unwrap(),
        "--out",
        dir.path().join("bare").to_str().unwrap(),
    ]);
    assert!(!bare.status.success());
    assert!(String::from_utf8_lossy(&bare.stderr).contains("backbone init"));
    let config = dir.path().join("backbone.toml");
    std::fs::write(
        &config,
        format!(
            "initiative = \"Riverbend\"\nout = \"mapped\"\n[[waves]]\nlabel = \"2025\"\nfile = \"renamed-2025.csv\"\nmapping = \"renamed.mapping.toml\"\n\n[[waves]]\nlabel = \"2025 plain\"\nfile = \"{}\"\n",
            plain.display()
        ),
    )
    .unwrap();
    let run = backbone(&["run", "--config", config.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let scores = std::fs::read_to_string(dir.path().join("mapped/scores.csv")).unwrap();
    let mut by_wave: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for line in scores.lines().skip(1) {
        let (wave, rest) = line.split_once(',').unwrap();
        by_wave.entry(wave).or_default().push(rest.to_string());
    }
    assert_eq!(by_wave["2025"], by_wave["2025 plain"]);
    assert_eq!(by_wave["2025"].len(), 48 + 46);
}

#[test]
fn init_suggests_aliases_for_answers_that_match_no_scale_point() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("mini.mapping.toml");
    let fixture = root().join("tests/fixtures/mini");
    let output = backbone(&[
        "init",
        fixture.join("wave-2023.csv").to_str().unwrap(),
        "--instrument",
        fixture.join("mini.instrument.toml").to_str().unwrap(),
        "--out",
        mapping.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Row r7 answers "Somewhat agree", which the agreement scale does not list; "Agree" shares
    // the most words with it (Dice 2/3).
    assert!(
        stdout.contains("1 answer(s) \"Somewhat agree\" match no point of scale \"agree5\": if it means \"Agree\", add it to that point's aliases"),
        "{stdout}"
    );
}

#[test]
fn a_fix_names_the_config_file_the_run_read() {
    // The sample's config, renamed and moved, with an id column no export has.
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("sample_surveys");
    let text = std::fs::read_to_string(sample.join("backbone.toml")).unwrap();
    let moved = text
        .replace("file = \"", &format!("file = \"{}/", sample.display()))
        .replace(
            "instrument = \"",
            &format!("instrument = \"{}/", sample.display()),
        )
        .replacen("[rules]", "id_column = \"No Such Column\"\n[rules]", 1);
    let config = write(dir.path(), "partners.toml", moved.as_bytes());
    let out = dir.path().join("out");
    let run = backbone(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("Correct id_column in {}", config.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("backbone.toml"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}
