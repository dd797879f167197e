//! Every platform's export scores exactly as its plain-table equivalent (written by the same
//! seeded generator), the real exports in ../shared/real_exports are detected and read, and
//! broken exports end in messages that name file, row and column.

use std::path::{Path, PathBuf};

use backbone::config::{Config, Wave};
use backbone::ingest::{read_export, Platform, ReadOptions};
use backbone::pipeline::{analyse, Analysis};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn one_wave(file: PathBuf, instrument: &str) -> Analysis {
    let config = Config::with_waves(
        Some(root().join("indicators").join(instrument)),
        vec![Wave::labelled("wave", file)],
    );
    analyse(&config).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_same_scores(export: &str, plain: &str, instrument: &str, platform: Platform) {
    let from_export = one_wave(root().join("sample_surveys").join(export), instrument);
    let from_plain = one_wave(root().join("tests/fixtures/plain").join(plain), instrument);
    let (a, b) = (&from_export.accounts[0], &from_plain.accounts[0]);
    assert_eq!(a.platform, platform.name(), "{export} detected as {}", a.platform);
    assert!(a.detected);
    assert_eq!(a.rows_used, b.rows_used, "{export}: used rows");
    assert!(a.rows_used > 40, "{export}: {} rows used", a.rows_used);
    assert!(
        a.missing_items.is_empty(),
        "{export}: items not found: {:?}",
        a.missing_items
    );
    assert_eq!(from_export.scores.rows.len(), from_plain.scores.rows.len());
    for (x, y) in from_export.scores.rows.iter().zip(&from_plain.scores.rows) {
        assert_eq!(x, y, "{export} vs {plain}");
    }
}

#[test]
fn surveymonkey_sample_scores_as_its_plain_table() {
    assert_same_scores(
        "riverbend-2023-surveymonkey.csv",
        "riverbend-2023.csv",
        "fsg-partner-survey.instrument.toml",
        Platform::SurveyMonkey,
    );
}

#[test]
fn google_forms_sample_scores_as_its_plain_table() {
    assert_same_scores(
        "riverbend-2024-google-forms.csv",
        "riverbend-2024.csv",
        "fsg-partner-survey.instrument.toml",
        Platform::GoogleForms,
    );
}

#[test]
fn qualtrics_sample_scores_as_its_plain_table() {
    assert_same_scores(
        "riverbend-2025-qualtrics.csv",
        "riverbend-2025.csv",
        "fsg-partner-survey.instrument.toml",
        Platform::Qualtrics,
    );
}

#[test]
fn microsoft_forms_workbook_scores_as_its_plain_table() {
    assert_same_scores(
        "pulse/riverbend-pulse-2025-10-microsoft-forms.xlsx",
        "riverbend-pulse-2025-10.csv",
        "fsg-pulse.instrument.toml",
        Platform::MicrosoftForms,
    );
}

#[test]
fn samples_keep_their_platform_quirks() {
    let sm = read_export(
        &root().join("sample_surveys/riverbend-2023-surveymonkey.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(sm.encoding, "windows-1252");
    assert_eq!(sm.response_year().as_deref(), Some("2023"));
    let qualtrics = one_wave(
        root().join("sample_surveys/riverbend-2025-qualtrics.csv"),
        "fsg-partner-survey.instrument.toml",
    );
    let skipped = &qualtrics.accounts[0].skipped;
    assert_eq!(
        skipped.get(&backbone::map::SkipReason::NotAResponse),
        Some(&2),
        "{skipped:?}"
    );
    let dropped = &qualtrics.accounts[0].dropped_columns;
    assert!(
        dropped.iter().any(|c| c == "Recipient Email") && dropped.iter().any(|c| c == "Location Latitude")
    );
    let google = read_export(
        &root().join("sample_surveys/riverbend-2024-google-forms.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(google.response_year().as_deref(), Some("2024"));
    assert_eq!(google.dropped, ["Email Address"]);
}

/// (path under ../shared/real_exports, platform, data rows, columns). The legacy file has 49
/// fields a line, the last always empty after a trailing comma: 48 columns.
const REAL: [(&str, Platform, usize, usize); 6] = [
    ("surveymonkey/StarWars.csv", Platform::SurveyMonkey, 1186, 38),
    ("surveymonkey/MIDWEST.csv", Platform::SurveyMonkey, 2778, 53),
    (
        "qualtrics/No_Basis_for_Evaluation_Insights.csv",
        Platform::Qualtrics,
        15,
        49,
    ),
    (
        "qualtrics/No_Basis_for_Evaluation_Legacy.csv",
        Platform::QualtricsLegacy,
        15,
        48,
    ),
    ("qualtrics/qualtRics_sample.csv", Platform::Qualtrics, 1, 20),
    (
        "google_forms/2019_English_R_Community_Survey_Responses.csv",
        Platform::GoogleForms,
        1838,
        52,
    ),
];

#[test]
fn real_exports_are_detected_and_read() {
    let dir = root().join("../shared/real_exports");
    if !dir.exists() {
        eprintln!("{} is not present: nothing to check", dir.display());
        return;
    }
    for (name, platform, rows, columns) in REAL {
        let export =
            read_export(&dir.join(name), &ReadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(export.platform, platform, "{name}");
        assert_eq!(export.len(), rows, "{name}: rows");
        assert_eq!(
            export.columns.len() + export.dropped.len(),
            columns,
            "{name}: columns"
        );
        assert_eq!(export.cells.len(), export.columns.len());
        assert!(export.cells.iter().all(|c| c.len() == export.len()));
    }
    let star_wars = read_export(&dir.join("surveymonkey/StarWars.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(star_wars.encoding, "windows-1252");
    let legacy = read_export(
        &dir.join("qualtrics/No_Basis_for_Evaluation_Legacy.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    let insights = read_export(
        &dir.join("qualtrics/No_Basis_for_Evaluation_Insights.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(legacy.dropped.iter().any(|c| c == "EmailAddress"));
    assert!(insights.dropped.iter().any(|c| c == "RecipientEmail"));
    // The same survey in two export formats: the same answers in the same question columns.
    let answers = |e: &backbone::ingest::Export| -> Vec<Vec<String>> {
        let questions: Vec<usize> = (0..e.columns.len())
            .filter(|&c| e.columns[c].keys.iter().any(|k| k.starts_with('Q')))
            .collect();
        (0..e.len())
            .map(|r| questions.iter().map(|&c| e.cell(r, c).to_string()).collect())
            .collect()
    };
    assert_eq!(answers(&legacy), answers(&insights));
}

/// Scores of a plain fixture re-written by `convert` into a temporary file named `name`.
fn converted_scores(name: &str, convert: impl Fn(&[Vec<String>], &Path)) -> Analysis {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(root().join("tests/fixtures/plain/riverbend-2025.csv"))
        .unwrap();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    convert(&rows, &path);
    one_wave(path, "fsg-partner-survey.instrument.toml")
}

#[test]
fn utf16_tab_separated_exports_score_as_the_plain_table() {
    // Excel's "Unicode Text" and Qualtrics' TSV download: UTF-16LE with a BOM, tab-separated.
    let from_tsv = converted_scores("partners-2025.tsv", |rows, path| {
        let text: String = rows.iter().map(|r| r.join("\t") + "\r\n").collect();
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        std::fs::write(path, bytes).unwrap();
    });
    let plain = one_wave(
        root().join("tests/fixtures/plain/riverbend-2025.csv"),
        "fsg-partner-survey.instrument.toml",
    );
    assert_eq!(from_tsv.accounts[0].encoding, "UTF-16LE");
    assert_eq!(from_tsv.scores.rows, plain.scores.rows);
}

#[test]
fn surveymonkey_xlsx_exports_score_as_the_plain_table() {
    // SurveyMonkey's XLSX download has the same two header rows as its CSV.
    let from_xlsx = converted_scores("partners-2025.xlsx", |rows, path| {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let header = &rows[0];
        for (c, h) in header.iter().enumerate() {
            let (top, sub) = if c == 0 {
                ("Respondent ID", "")
            } else if c < 3 {
                (h.as_str(), "Response")
            } else {
                ("", h.as_str())
            };
            let top = if c == 3 {
                "How much do you agree with each statement?"
            } else {
                top
            };
            sheet.write_string(0, c as u16, top).unwrap();
            sheet.write_string(1, c as u16, sub).unwrap();
        }
        for (r, row) in rows[1..].iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32 + 2, c as u16, cell).unwrap();
                }
            }
        }
        workbook.save(path).unwrap();
    });
    let plain = one_wave(
        root().join("tests/fixtures/plain/riverbend-2025.csv"),
        "fsg-partner-survey.instrument.toml",
    );
    assert_eq!(from_xlsx.accounts[0].platform, Platform::SurveyMonkey.name());
    assert_eq!(from_xlsx.scores.rows, plain.scores.rows);
}

#[test]
fn surveymonkey_expanded_single_choice_attributes_are_reassembled() {
    // SurveyMonkey's "expanded" layout: one column per answer option, the chosen option's own
    // label in its cell (as in the real MIDWEST.csv). Here the role question is written so.
    let roles = [
        "Steering committee member",
        "Working group member",
        "Community partner",
        "Funder",
        "Backbone staff",
    ];
    let expanded = converted_scores("expanded-2025.csv", |rows, path| {
        let header = &rows[0];
        let mut top = vec!["Respondent ID".to_string()];
        let mut sub = vec![String::new()];
        for (k, role) in roles.iter().enumerate() {
            top.push(if k == 0 { header[1].clone() } else { String::new() });
            sub.push(role.to_string());
        }
        for h in header.iter().skip(2) {
            top.push(h.clone());
            sub.push("Response".to_string());
        }
        let mut out = csv::Writer::from_path(path).unwrap();
        out.write_record(&top).unwrap();
        out.write_record(&sub).unwrap();
        for row in &rows[1..] {
            let mut cells = vec![row[0].clone()];
            cells.extend(roles.iter().map(|r| {
                if row[1] == *r {
                    r.to_string()
                } else {
                    String::new()
                }
            }));
            cells.extend(row[2..].iter().cloned());
            out.write_record(&cells).unwrap();
        }
        out.flush().unwrap();
    });
    let plain = one_wave(
        root().join("tests/fixtures/plain/riverbend-2025.csv"),
        "fsg-partner-survey.instrument.toml",
    );
    assert_eq!(expanded.accounts[0].platform, Platform::SurveyMonkey.name());
    assert!(
        expanded.accounts[0].unmapped_columns.is_empty(),
        "{:?}",
        expanded.accounts[0].unmapped_columns
    );
    assert_eq!(expanded.scores.rows, plain.scores.rows);
    let role = |a: &Analysis| {
        a.groups
            .iter()
            .find(|(attribute, _)| attribute == "role")
            .unwrap()
            .1
            .clone()
    };
    let (x, y) = (role(&expanded), role(&plain));
    let differing: Vec<_> = x.iter().zip(&y).filter(|(a, b)| a != b).take(2).collect();
    assert!(
        differing.is_empty() && x.len() == y.len(),
        "{} vs {} rows; {differing:?}",
        x.len(),
        y.len()
    );
}
