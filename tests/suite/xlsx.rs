//! report.xlsx opens in a spreadsheet reader (calamine) with the sheets an evaluator expects:
//! numbers are numbers equal to the computed values, no cell is a formula, and a hostile
//! string from the input stays text, character for character.

use std::path::Path;

use backbone::config::Config;
use backbone::pipeline::analyse;
use calamine::{open_workbook, Data, Range, Reader, Xlsx};

const HOSTILE: &str = "=HYPERLINK(\"http://x\",\"y\")";

fn column(range: &Range<Data>, header: &str) -> usize {
    let first: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    first
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {first:?}"))
}

#[test]
fn workbook_has_its_sheets_numbers_as_numbers_and_no_formula() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = Config::load(&root.join("sample_surveys/backbone.toml")).unwrap();
    // A hostile wave label, as a config or a wave column could carry it.
    config.waves[0].label = Some(HOSTILE.into());
    let analysis = analyse(&config).unwrap();
    let report = analysis.report();
    let dir = tempfile::tempdir().unwrap();
    analysis.write(dir.path()).unwrap();
    let path = dir.path().join("report.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();

    let names = book.sheet_names();
    let expected = [
        "Summary",
        "Changes",
        "Scores",
        "Items",
        "Groups",
        "Group changes",
        "Reliability",
        "Drivers",
        "Themes",
        "Data",
    ];
    assert_eq!(names, expected);
    for name in &names {
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} has a formula"
        );
        let range = book.worksheet_range(name).unwrap();
        assert!(range.height() > 1, "{name} has rows");
    }

    // Summary: one row per headline node, its means per wave as numbers equal to the model's.
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(summary.height(), report.headline.len() + 1);
    for (w, wave) in report.waves.iter().enumerate() {
        let mean = column(&summary, &format!("{wave} mean"));
        let n = column(&summary, &format!("{wave} n"));
        let favourable = column(&summary, &format!("{wave} % favourable"));
        for (r, row) in report.headline.iter().enumerate() {
            let line: Vec<&Data> = summary.rows().nth(r + 1).unwrap().iter().collect();
            assert_eq!(line[0], &Data::String(row.label.clone()));
            let cell = row.cells[w].as_ref().unwrap();
            assert_eq!(
                line[mean],
                &Data::Float(cell.mean.unwrap()),
                "{} {wave}",
                row.label
            );
            assert_eq!(line[n], &Data::Float(cell.n as f64));
            assert!(matches!(line[favourable], Data::Float(p) if (0.0..=1.0).contains(p)));
        }
    }
    // The hostile label is the first wave: a header and a cell, both plain text.
    assert!(summary
        .rows()
        .next()
        .unwrap()
        .contains(&Data::String(format!("{HOSTILE} mean"))));

    let changes = book.worksheet_range("Changes").unwrap();
    let (from, p, verdict) = (
        column(&changes, "From"),
        column(&changes, "p"),
        column(&changes, "Verdict"),
    );
    assert_eq!(changes.height(), analysis.comparisons.len() + 1);
    let pairs: Vec<(String, String)> = changes
        .rows()
        .skip(1)
        .map(|r| (r[from].to_string(), r[column(&changes, "To")].to_string()))
        .collect();
    let first_to_last = (report.first.clone(), report.latest.clone());
    assert!(pairs.contains(&first_to_last), "first against last is there");
    assert!(pairs.contains(&(report.previous.clone().unwrap(), report.latest.clone())));
    assert!(changes
        .rows()
        .skip(1)
        .any(|r| r[from] == Data::String(HOSTILE.into())));
    for (row, c) in changes.rows().skip(1).zip(&analysis.comparisons) {
        match c.outcome {
            Some(o) => assert_eq!(row[p], Data::Float(o.p)),
            None => assert_eq!(row[p], Data::Empty),
        }
        assert!(matches!(row[verdict], Data::String(_)));
    }

    let items = book.worksheet_range("Items").unwrap();
    let (statement, reverse) = (column(&items, "Statement"), column(&items, "Reverse-worded"));
    assert!(items
        .rows()
        .skip(1)
        .all(|r| matches!(r[statement], Data::String(_))));
    assert!(items
        .rows()
        .skip(1)
        .any(|r| r[reverse] == Data::String("yes".into())));

    let data = book.worksheet_range("Data").unwrap();
    let read = column(&data, "Rows read");
    let used = column(&data, "Used");
    assert_eq!(data.height(), report.accounts.len() + 1);
    for (row, account) in data.rows().skip(1).zip(&report.accounts) {
        assert_eq!(row[read], Data::Float(account.read as f64));
        assert_eq!(row[used], Data::Float(account.used as f64));
    }

    // The same input gives the same bytes.
    let again = tempfile::tempdir().unwrap();
    analysis.write(again.path()).unwrap();
    let (a, b) = (
        std::fs::read(&path).unwrap(),
        std::fs::read(again.path().join("report.xlsx")).unwrap(),
    );
    assert!(a == b, "report.xlsx differs between two writes");
}
