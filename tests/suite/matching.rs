//! Matching columns to the instrument on real exports (tests/fixtures/real): two Qualtrics
//! matrices that list the same statements, told apart by the items' codes or by a mapping file
//! keyed on column ids; mapping files naming columns by position and spreadsheet letter; and a
//! SurveyMonkey export whose single-choice questions come one column per option. Expected
//! scores and counts are printed by tests/reference/real_exports_reference.py (plain Python,
//! no backbone code); the column counts and confidences `init` prints are regression values
//! (the tool's own output when the tests were written).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use backbone::config::{Config, Wave};
use backbone::pipeline::{analyse, Analysis};
use backbone::score::ScoreRow;

fn real(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name)
}

fn backbone_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn analysis(instrument: &str, wave: Wave) -> backbone::Result<Analysis> {
    analyse(&Config::with_waves(Some(real(instrument)), vec![wave]))
}

fn row<'a>(a: &'a Analysis, id: &str) -> &'a ScoreRow {
    a.scores
        .rows
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no score for {id}"))
}

fn assert_close(got: Option<f64>, want: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: no value"));
    assert!((got - want).abs() < 1e-12, "{what}: {got} != {want}");
}

/// The Qualtrics files hold generated test responses (`Status` 2 on every row), which a run
/// skips. This copy marks them normal responses (`Status` 0), the only change, so that the
/// rows are scored; it keeps the file's own line breaks and quoting.
fn as_responses(name: &str, status_column: usize, header_rows: usize, dir: &Path) -> PathBuf {
    let raw = std::fs::read_to_string(real(name)).unwrap();
    let mut lines: Vec<String> = raw.split('\n').map(String::from).collect();
    for line in lines.iter_mut().skip(header_rows).filter(|l| !l.is_empty()) {
        let mut cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[status_column], "2", "{name}: {line}");
        cells[status_column] = "0";
        *line = cells.join(",");
    }
    let path = dir.join(name.replace(".csv", "-2016.csv"));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

/// Item means, n and N/A of both matrices, and their questions' means, from
/// tests/reference/real_exports_reference.py (best-first codes mirrored: 4 - code).
fn assert_vegetable_scores(a: &Analysis) {
    for (id, n, mean, n_na) in [
        ("q3-squash", 10, 1.9, 5),
        ("q3-cucumbers", 11, 1.7272727272727273, 4),
        ("q3-zucchini", 11, 1.6363636363636365, 4),
        ("q3-green-beans", 11, 1.8181818181818181, 4),
        ("q4-squash", 9, 1.6666666666666667, 6),
        ("q4-cucumbers", 8, 2.0, 7),
        ("q4-zucchini", 8, 2.25, 7),
        ("q4-green-beans", 8, 1.75, 7),
    ] {
        let r = row(a, id);
        assert_eq!((r.n, r.n_na), (n, n_na), "{id}");
        assert_close(r.mean, mean, id);
    }
    assert_eq!(row(a, "q3").n, 14);
    assert_close(row(a, "q3").mean, 1.7857142857142858, "q3");
    assert_eq!(row(a, "q4").n, 11);
    assert_close(row(a, "q4").mean, 1.893939393939394, "q4");
}

#[test]
fn matrices_sharing_statements_are_told_apart_by_the_items_codes() {
    let dir = tempfile::tempdir().unwrap();
    // Status is the 11th column of the three-row export and the 7th of the legacy one.
    let insights = as_responses("No_Basis_for_Evaluation_Insights.csv", 10, 3, dir.path());
    let a = analysis("vegetables.instrument.toml", Wave::labelled("2016", insights))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.accounts[0].rows_used, 15);
    assert!(a.accounts[0].missing_items.is_empty());
    assert_vegetable_scores(&a);
    // The legacy export names its columns Q3_1 ... in its first row too (no ImportId).
    let legacy = as_responses("No_Basis_for_Evaluation_Legacy.csv", 6, 2, dir.path());
    let b = analysis("vegetables.instrument.toml", Wave::labelled("2016", legacy))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_vegetable_scores(&b);
}

#[test]
fn a_matrix_the_instrument_leaves_out_does_not_block_the_twin_it_codes() {
    let dir = tempfile::tempdir().unwrap();
    let insights = as_responses("No_Basis_for_Evaluation_Insights.csv", 10, 3, dir.path());
    // Only Q3 is measured: Q4's columns read "Squash", "Cucumbers"... like Q3's items, whose
    // own columns their codes already hold, so Q4's are left unused, not an ambiguity.
    let text = std::fs::read_to_string(real("vegetables.instrument.toml")).unwrap();
    let (q3_only, _) = text.split_once("\n[[items]]\nid = \"q4-squash\"").unwrap();
    let framework = real("vegetables.framework.toml");
    let q3_only = q3_only.replace(
        "framework = \"vegetables.framework.toml\"",
        &format!("framework = {:?}", framework.display().to_string()),
    );
    let instrument = dir.path().join("q3.instrument.toml");
    std::fs::write(&instrument, q3_only).unwrap();
    let a = analyse(&Config::with_waves(
        Some(instrument),
        vec![Wave::labelled("2016", insights)],
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let r = row(&a, "q3-squash");
    assert_eq!((r.n, r.n_na), (10, 5));
    assert_close(r.mean, 1.9, "q3-squash");
    assert!(a.scores.rows.iter().all(|r| !r.id.starts_with("q4")));
}

#[test]
fn init_keys_qualtrics_columns_by_id_and_run_scores_both_matrices() {
    let dir = tempfile::tempdir().unwrap();
    let export = as_responses("No_Basis_for_Evaluation_Insights.csv", 10, 3, dir.path());
    // An instrument without codes: Q4's statements are worded "(again)", and Q3's and Q4's
    // columns read the same. Before column ids, init put Q4's columns on Q3's items and the
    // run then failed "mapped twice".
    let uncoded = real("vegetables-uncoded.instrument.toml");
    let init = backbone_in(
        dir.path(),
        &[
            "init",
            export.to_str().unwrap(),
            "--instrument",
            uncoded.to_str().unwrap(),
            "--out",
            "veg.mapping.toml",
        ],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    let stdout = text(&init.stdout);
    assert!(
        stdout.contains("35 question columns; 9 placed, 26 not placed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("check Q3_1 / QID3_1 (column 18, R): Q4_1 / QID4_1 (column 22, V) reads the same"),
        "{stdout}"
    );
    let mapping = std::fs::read_to_string(dir.path().join("veg.mapping.toml")).unwrap();
    // Every entry is keyed by the Qualtrics id and shows the header for the reader.
    assert!(!mapping.contains("\ncolumn = "), "{mapping}");
    for (id, item) in [
        ("Q1", "q1-squash"),
        ("Q3_1", "q3-squash"),
        ("Q3_4", "q3-green-beans"),
        ("Q4_1", "q4-squash"),
        ("Q4_4", "q4-green-beans"),
    ] {
        let entry = format!("\nid = \"{id}\"\nheader = \"");
        let at = mapping
            .find(&entry)
            .unwrap_or_else(|| panic!("no {id} in {mapping}"));
        let rest = &mapping[at..];
        let item_line = rest.lines().find(|l| l.starts_with("item = ")).unwrap();
        assert_eq!(item_line, format!("item = \"{item}\""), "{id}");
    }
    assert!(mapping.contains(
        "id = \"Q4_1\"\nheader = \"Indicate how you feel about the following vegetables-Squash\"\nitem = \"q4-squash\"\nconfidence = 0.67"
    ), "{mapping}");

    let config = dir.path().join("backbone.toml");
    std::fs::write(
        &config,
        format!(
            "initiative = \"Vegetables\"\ninstrument = \"{}\"\nout = \"out\"\n[[waves]]\nlabel = \"2016\"\nfile = \"{}\"\nmapping = \"veg.mapping.toml\"\n",
            uncoded.display(),
            export.display()
        ),
    )
    .unwrap();
    let run = backbone_in(dir.path(), &["run", "--config", config.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let scores = std::fs::read_to_string(dir.path().join("out/scores.csv")).unwrap();
    let mean_of = |id: &str| -> f64 {
        let line = scores
            .lines()
            .find(|l| l.split(',').nth(2) == Some(id))
            .unwrap_or_else(|| panic!("{id} not in {scores}"));
        line.split(',').nth(6).unwrap().parse().unwrap()
    };
    // The same statement, scored apart (reference script): Squash 1.9 in Q3, 5/3 in Q4.
    assert_eq!(mean_of("q3-squash"), 1.9);
    assert_eq!(mean_of("q4-squash"), 1.6666666666666667);
    assert_eq!(mean_of("q4-zucchini"), 2.25);

    // With codes in the instrument, init places every column by its code.
    let coded = backbone_in(
        dir.path(),
        &[
            "init",
            export.to_str().unwrap(),
            "--instrument",
            real("vegetables.instrument.toml").to_str().unwrap(),
            "--out",
            "coded.mapping.toml",
        ],
    );
    assert!(coded.status.success(), "{}", text(&coded.stderr));
    assert!(text(&coded.stdout).contains("9 placed, 26 not placed"));
    let mapping = std::fs::read_to_string(dir.path().join("coded.mapping.toml")).unwrap();
    assert_eq!(mapping.matches("confidence = 1.00").count(), 9, "{mapping}");
    assert!(!mapping.contains("# note"), "{mapping}");
}

#[test]
fn a_text_that_matches_two_columns_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let export = as_responses("No_Basis_for_Evaluation_Insights.csv", 10, 3, dir.path());
    // By the instrument's text: Q4_1 reads "Squash", Q3's statement.
    let err = analysis(
        "vegetables-uncoded.instrument.toml",
        Wave::labelled("2016", export.clone()),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(
            "two columns hold item \"q3-squash\" (\"Squash\"): Q3_1 / QID3_1 (column 18, R) by its text and Q4_1 / QID4_1 (column 22, V) by its text"
        ) && err.contains("code = \"Q3_1\""),
        "{err}"
    );
    // By a mapping entry naming the header both columns have.
    let mapping = dir.path().join("by-header.mapping.toml");
    std::fs::write(
        &mapping,
        "[[columns]]\ncolumn = \"Indicate how you feel about the following vegetables-Squash\"\nitem = \"q3-squash\"\n",
    )
    .unwrap();
    let mut wave = Wave::labelled("2016", export.clone());
    wave.mapping = Some(mapping);
    let err = analysis("vegetables.instrument.toml", wave).unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let err = err.to_string();
    assert!(
        err.contains("by-header.mapping.toml: column = \"Indicate how you feel about the following vegetables-Squash\" (assigned to item q3-squash) matches 2 columns of No_Basis_for_Evaluation_Insights-2016.csv: Q3_1 / QID3_1 (column 18, R); Q4_1 / QID4_1 (column 22, V)"),
        "{err}"
    );
    assert!(
        err.contains("by id (id = \"Q3_1\") or position (position = 18)"),
        "{err}"
    );
    // A plain table whose header is a statement both matrices list, with codes in the
    // instrument that the table does not carry.
    let plain = dir.path().join("plain-2016.csv");
    std::fs::write(&plain, "Squash,Cucumbers\nLike,Dislike\n").unwrap();
    let err = analysis("vegetables.instrument.toml", Wave::labelled("2016", plain))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("plain-2016.csv, row 1, column \"Squash\": this column (column 1 (A)) reads as item \"q3-squash\" (code Q3_1) and item \"q4-squash\" (code Q4_1), which share that text"),
        "{err}"
    );
    // Two items sharing a text must both declare codes.
    let instrument = std::fs::read_to_string(real("vegetables.instrument.toml")).unwrap();
    let path = dir.path().join("vegetables.instrument.toml");
    std::fs::write(&path, instrument.replacen("code = \"Q4_1\"\n", "", 1)).unwrap();
    std::fs::copy(
        real("vegetables.framework.toml"),
        dir.path().join("vegetables.framework.toml"),
    )
    .unwrap();
    let err = analyse(&Config::with_waves(
        Some(path),
        vec![Wave::labelled("2016", export)],
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("items \"q3-squash\" and \"q4-squash\" have the same text") && err.contains("code"),
        "{err}"
    );
}

#[test]
fn mapping_entries_name_columns_by_position_letters_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let export = as_responses("No_Basis_for_Evaluation_Insights.csv", 10, 3, dir.path());
    let write = |name: &str, entries: &str| -> Wave {
        let path = dir.path().join(name);
        std::fs::write(&path, entries).unwrap();
        let mut wave = Wave::labelled("2016", export.clone());
        wave.mapping = Some(path);
        wave
    };
    // Q3 by ImportId, Q4 by number and by letters (Q4_1 is column 22, V; Q4_4 is 25, Y); the
    // uncoded instrument would otherwise match Q4's columns to Q3's items.
    let mut entries = String::new();
    for k in 1..=4 {
        let item = ["squash", "cucumbers", "zucchini", "green-beans"][k - 1];
        entries.push_str(&format!(
            "[[columns]]\nid = \"QID3_{k}\"\nitem = \"q3-{item}\"\n\n"
        ));
        let position = match k {
            1 => "22".to_string(),
            2 => "\"w\"".to_string(),
            3 => "\"X\"".to_string(),
            _ => "25".to_string(),
        };
        entries.push_str(&format!(
            "[[columns]]\nposition = {position}\nitem = \"q4-{item}\"\n\n"
        ));
    }
    let a = analysis("vegetables-uncoded.instrument.toml", write("ok.toml", &entries))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_vegetable_scores(&a);

    for (entries, needle) in [
        (
            "[[columns]]\nposition = 22\nheader = \"Indicate how you feel about squash\"\nitem = \"q4-squash\"\n",
            "position = 22 (\"V\") expects the header \"Indicate how you feel about squash\", but that column of No_Basis_for_Evaluation_Insights-2016.csv is \"Indicate how you feel about the following vegetables-Squash\"",
        ),
        (
            "[[columns]]\nposition = 60\nitem = \"q4-squash\"\n",
            "position = 60 (\"BH\"), assigned to item q4-squash, names no column of No_Basis_for_Evaluation_Insights-2016.csv (it has 49 columns)",
        ),
        (
            "[[columns]]\nposition = 3\nitem = \"q4-squash\"\n",
            "removed as the file was read: an identifying column",
        ),
        (
            "[[columns]]\nid = \"Q9_1\"\nitem = \"q4-squash\"\n",
            "id = \"Q9_1\", assigned to item q4-squash, names no column",
        ),
        (
            "[[columns]]\nposition = \"R2\"\nitem = \"q4-squash\"\n",
            "has position = \"R2\", which is not a column",
        ),
        (
            "[[columns]]\nid = \"Q4_1\"\nposition = 22\nitem = \"q4-squash\"\n",
            "needs exactly one of column, id or position",
        ),
        (
            "[[columns]]\nid = \"Q4_1\"\nitem = \"q4-squash\"\n\n[[columns]]\nposition = \"V\"\nitem = \"q4-squash\"\n",
            "id = \"Q4_1\" and position = 22 (\"V\") both name Q4_1 / QID4_1 (column 22, V)",
        ),
        (
            "[[columns]]\nid = \"q4_1\"\nitem = \"q4-squash\"\n\n[[columns]]\nid = \"Q4_1\"\nignore = true\n",
            "id = \"q4_1\" is mapped twice",
        ),
    ] {
        let err = analysis("vegetables-uncoded.instrument.toml", write("bad.toml", entries))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(&format!("{}: ", dir.path().join("bad.toml").display())), "{err}");
        assert!(err.contains(needle), "{needle:?} not in {err}");
    }
}

#[test]
fn headers_that_are_item_codes_match_in_run_and_init() {
    // The Qualtrics export as a plain table whose headers are the question numbers (its first
    // header row), as an evaluator's own spreadsheet might be.
    let dir = tempfile::tempdir().unwrap();
    let export = as_responses("No_Basis_for_Evaluation_Insights.csv", 10, 3, dir.path());
    let raw = std::fs::read_to_string(&export).unwrap();
    let lines: Vec<&str> = raw.split('\n').collect();
    let plain = dir.path().join("numbers-2016.csv");
    let mut kept = vec![lines[0]];
    kept.extend(&lines[3..]);
    std::fs::write(&plain, kept.join("\n")).unwrap();
    let a = analysis(
        "vegetables.instrument.toml",
        Wave::labelled("2016", plain.clone()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.accounts[0].platform, "plain table");
    assert_vegetable_scores(&a);
    let init = backbone_in(
        dir.path(),
        &[
            "init",
            plain.to_str().unwrap(),
            "--instrument",
            real("vegetables.instrument.toml").to_str().unwrap(),
            "--out",
            "numbers.mapping.toml",
        ],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    let mapping = std::fs::read_to_string(dir.path().join("numbers.mapping.toml")).unwrap();
    assert!(
        mapping.contains("[[columns]]\ncolumn = \"Q4_1\"\nitem = \"q4-squash\"\nconfidence = 1.00"),
        "{mapping}"
    );
    assert_eq!(mapping.matches("confidence = 1.00").count(), 9, "{mapping}");
}

/// MIDWEST.csv with some options ticked twice (see the reference script): "A lot" also on data
/// rows r with r % 100 == 7, both genders on rows with r % 250 == 3.
fn ticked_twice(dir: &Path) -> PathBuf {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(real("MIDWEST.csv"))
        .unwrap();
    let path = dir.join("midwest-2015.csv");
    let mut writer = csv::Writer::from_path(&path).unwrap();
    for (i, record) in reader.records().enumerate() {
        let mut cells: Vec<String> = record.unwrap().iter().map(String::from).collect();
        if let Some(r) = i.checked_sub(2) {
            if r % 100 == 7 {
                cells[2] = "A lot".into();
            }
            if r % 250 == 3 {
                cells[27] = "Male".into();
                cells[28] = "Female".into();
            }
        }
        writer.write_record(&cells).unwrap();
    }
    writer.flush().unwrap();
    path
}

fn gender(a: &Analysis, group: &str) -> usize {
    a.groups
        .iter()
        .find(|(attribute, _)| attribute == "gender")
        .unwrap()
        .1
        .iter()
        .find(|g| g.group == group && g.id == "identify")
        .map_or(0, |g| g.respondents)
}

#[test]
fn expanded_single_choice_items_are_reassembled_in_run_and_init() {
    let a = analysis(
        "midwest.instrument.toml",
        Wave::labelled("2015", real("MIDWEST.csv")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let account = &a.accounts[0];
    assert_eq!((account.rows_read, account.rows_used), (2778, 2778));
    assert_eq!(account.several_choices, 0);
    // Counts per point and mean from the reference script.
    let identify = row(&a, "identify");
    assert_eq!(
        identify.counts.values().copied().collect::<Vec<_>>(),
        [1075, 346, 587, 770]
    );
    assert_close(identify.mean, 2.378689704823614, "identify");
    assert_eq!(
        (gender(&a, "Male"), gender(&a, "Female"), gender(&a, "Not stated")),
        (1173, 1330, 275)
    );

    let dir = tempfile::tempdir().unwrap();
    let init = backbone_in(
        dir.path(),
        &[
            "init",
            real("MIDWEST.csv").to_str().unwrap(),
            "--instrument",
            real("midwest.instrument.toml").to_str().unwrap(),
            "--out",
            "midwest.mapping.toml",
        ],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    let stdout = text(&init.stdout);
    // The item's four option columns, gender's two, age's five ("< 18" noted: not an option).
    // The ZIP code question is dropped as identifying, so never offered.
    assert!(
        stdout.contains("51 question columns; 11 placed, 40 not placed"),
        "{stdout}"
    );
    assert!(!stdout.contains("ZIP"), "{stdout}");
    assert!(
        stdout.contains("\"< 18\" is not an answer attribute age lists"),
        "{stdout}"
    );
    let mapping = std::fs::read_to_string(dir.path().join("midwest.mapping.toml")).unwrap();
    assert_eq!(mapping.matches("item = \"identify\"").count(), 4, "{mapping}");
    let mut wave = Wave::labelled("2015", real("MIDWEST.csv"));
    wave.mapping = Some(dir.path().join("midwest.mapping.toml"));
    let b = analysis("midwest.instrument.toml", wave).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.scores.rows, b.scores.rows);
    assert_eq!(a.groups, b.groups);
}

#[test]
fn options_ticked_twice_are_counted_never_picked() {
    let dir = tempfile::tempdir().unwrap();
    let file = ticked_twice(dir.path());
    let a = analysis("midwest.instrument.toml", Wave::labelled("2015", file.clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    let account = &a.accounts[0];
    // Reference script: 22 rows tick two answers to the item (not used: it is their only
    // item), 12 tick both genders (not stated); 34 in all.
    assert_eq!(account.several_choices, 34);
    assert_eq!(account.rows_used, 2756);
    let identify = row(&a, "identify");
    assert_eq!(
        identify.counts.values().copied().collect::<Vec<_>>(),
        [1066, 340, 580, 770]
    );
    assert_close(identify.mean, 2.3824383164005805, "identify");
    assert_eq!(
        (gender(&a, "Male"), gender(&a, "Female"), gender(&a, "Not stated")),
        (1159, 1315, 282)
    );
    // Data row 3 (file line 6) ticks both genders; row 7 (line 10) two answers to the item.
    let (first, options) = &account.several_choice_examples[0];
    assert_eq!(first.to_string(), "midwest-2015.csv, row 6, column \"Gender\"");
    assert_eq!(options, "\"Male\" and \"Female\"");
    let (second, options) = &account.several_choice_examples[1];
    assert_eq!(
        second.to_string(),
        "midwest-2015.csv, row 10, column \"How much, if at all, do you personally identify as a Midwesterner?\""
    );
    assert!(options.starts_with("\"A lot\" and \""), "{options}");

    // The console names the cause, and the reports count them.
    let run = backbone_in(
        dir.path(),
        &[
            "run",
            file.to_str().unwrap(),
            "--instrument",
            real("midwest.instrument.toml").to_str().unwrap(),
            "--out",
            "out",
        ],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("row 10: answered 0 of 1 items, fewer than the 50% required; 1 more ticked two or more options of one question"),
        "{stdout}"
    );
    assert!(
        stdout.contains("34 answers tick more than one option of a single-choice question")
            && stdout.contains("midwest-2015.csv, row 6, column \"Gender\": \"Male\" and \"Female\""),
        "{stdout}"
    );
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(
        md.contains("34 answer(s) ticked more than one option of a single-choice question"),
        "report.md does not count them"
    );

    // A file whose every answer ticks two options says so, rather than blaming the scale.
    let head: Vec<String> = std::fs::read_to_string(real("MIDWEST.csv"))
        .unwrap()
        .lines()
        .take(2)
        .map(String::from)
        .collect();
    let mut lines = head.clone();
    for id in 1..=3 {
        let mut cells = vec![String::new(); 53];
        cells[0] = id.to_string();
        cells[2] = "A lot".into();
        cells[4] = "Not much".into();
        lines.push(cells.join(","));
    }
    let all = dir.path().join("all-twice-2015.csv");
    std::fs::write(&all, lines.join("\n") + "\n").unwrap();
    let err = analysis("midwest.instrument.toml", Wave::labelled("2015", all))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("none of the 3 rows holds a usable response (3 skipped as too few items answered); 3 answer(s) ticked two or more options of one single-choice question, e.g. all-twice-2015.csv, row 3, column \"How much, if at all, do you personally identify as a Midwesterner?\": \"A lot\" and \"Not much\"")
            && err.contains("Each single-choice question takes one option per respondent")
            && !err.contains("scale labels"),
        "{err}"
    );
}
