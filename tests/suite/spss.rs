//! SPSS exports (.sav and .zsav) read directly: the same answers as a plain CSV export give
//! byte-identical scores.csv and comparison.csv. The fixture (tests/fixtures/sav/, written by
//! tests/reference/make_sav.py) holds numeric codes with value labels, question texts as
//! variable labels, "Don't know / Not applicable" as the user-missing code -99 labelled "No
//! basis to judge" (a label the instrument does not list), an e-mail variable, and in 2023 a
//! variable with no label that a mapping names by its variable name.

use std::path::{Path, PathBuf};

use backbone::config::{Config, Wave};
use backbone::pipeline::{analyse, suggest_mapping, Analysis};
use backbone::render::tables;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sav")
        .join(name)
}

fn run(waves: Vec<Wave>) -> Analysis {
    analyse(&Config::with_waves(None, waves)).unwrap()
}

#[test]
fn a_sav_and_a_zsav_score_exactly_as_their_csv_export() {
    let csv = run(vec![
        Wave::labelled("2023", fixture("riverbend-2023.csv")),
        Wave::labelled("2024", fixture("riverbend-2024.csv")),
    ]);
    let mut first = Wave::labelled("2023", fixture("riverbend-2023.sav"));
    first.mapping = Some(fixture("riverbend-2023.mapping.toml"));
    let sav = run(vec![
        first,
        Wave::labelled("2024", fixture("riverbend-2024.zsav")),
    ]);

    let (a, b) = (csv.report(), sav.report());
    let csv =
        |report: &backbone::report::Report, name: &str| tables::csv(report.table(name).unwrap()).unwrap();
    let scores = csv(&a, "scores.csv");
    assert_eq!(
        String::from_utf8(scores.clone()).unwrap(),
        String::from_utf8(csv(&b, "scores.csv")).unwrap()
    );
    assert_eq!(
        String::from_utf8(csv(&a, "comparison.csv")).unwrap(),
        String::from_utf8(csv(&b, "comparison.csv")).unwrap()
    );
    // The user-missing codes are N/A answers (473 + 549 = 1,022 of them in the files, as
    // make_sav.py prints; 2 on rows skipped for too few answers), never unreadable ones: their label,
    // "No basis to judge", is not one the instrument lists.
    let n_na: usize = sav
        .scores
        .rows
        .iter()
        .filter(|r| r.level == "item")
        .map(|r| r.n_na)
        .sum();
    assert_eq!(n_na, 1020);
    for account in &sav.accounts {
        assert_eq!(account.unknown_answers, 0, "{}", account.wave);
        assert!(account.missing_items.is_empty(), "{:?}", account.missing_items);
        assert_eq!(
            account.dropped_columns,
            ["Email Address"],
            "the e-mail variable is identifying"
        );
    }
    // The platform as the file's metadata says it, else a plain table.
    assert_eq!(sav.accounts[0].platform, "plain table");
    assert_eq!(sav.accounts[1].platform, "SurveyMonkey");
    assert!(
        sav.accounts[1].encoding.starts_with("SPSS .zsav"),
        "{}",
        sav.accounts[1].encoding
    );
}

#[test]
fn init_suggests_a_mapping_for_a_sav_by_labels_and_names_the_unlabelled_variable() {
    let s = suggest_mapping(&fixture("riverbend-2023.sav"), None, None).unwrap();
    let placed = s.columns.iter().filter(|c| c.target.is_some()).count();
    // 45 items (the overall rating among them) and 2 attributes by their labels; Q5, with no
    // label, is left for the evaluator.
    assert_eq!(placed, 47, "{}", s.text);
    let unplaced: Vec<&str> = s
        .columns
        .iter()
        .filter(|c| c.target.is_none())
        .map(|c| c.column.as_str())
        .collect();
    assert_eq!(unplaced, ["Q5"]);
    assert!(
        s.text.contains("id = \"Q1\""),
        "columns are named by variable name:\n{}",
        s.text
    );
}

#[test]
fn a_damaged_sav_is_refused_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("riverbend-2023.sav")).unwrap();
    let cut = dir.path().join("cut.sav");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let err = analyse(&Config::with_waves(None, vec![Wave::labelled("2023", &cut)]));
    let err = err.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("cut.sav"), "{err}");
    let garbage = dir.path().join("garbage.sav");
    let mut junk = b"$FL2".to_vec();
    junk.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    std::fs::write(&garbage, &junk).unwrap();
    let err = analyse(&Config::with_waves(None, vec![Wave::labelled("2023", &garbage)]))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("garbage.sav") && err.contains("SPSS"), "{err}");
}
