//! Hostile text in every input-derived field, scanned for in every output. Each field of the
//! config, the framework, the instrument, the export's headers, answers and file name carries
//! its own tagged payload that would run as markup, a link, a typst command or a spreadsheet
//! formula if it landed unescaped. Every file the run writes is then read back in its own
//! terms (HTML and SVG as markup, report.md as Markdown, brief.pdf through pdftotext, CSVs as
//! cells, report.xlsx as cells and formulas) and must show each payload only as text. An
//! answer holding an email address must reach no file at all.
//! Needs poppler-utils (installed by .ci/run).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use backbone::config::Config;
use backbone::pipeline::analyse;
use calamine::{Data, Reader};

/// The payload for field `tag`: an HTML element, an attribute break-out, Markdown emphasis,
/// a Markdown link, a table pipe, a typst command and a leading formula character.
fn p(tag: &str) -> String {
    format!("={tag}|<i>{tag}</i>\"onx={tag}*{tag}*#{tag}[l](javascript:{tag})")
}

/// Every field the test plants, by tag: where it comes from.
const FIELDS: [(&str, &str); 20] = [
    ("TA", "initiative (config)"),
    ("TB", "first wave label (config)"),
    ("TC", "second wave label (config)"),
    ("TD", "framework name"),
    ("TE", "framework title"),
    ("TF", "framework source"),
    ("TG", "top level label"),
    ("TH", "top level plural"),
    ("TI", "indicator level label"),
    ("TK", "first function label"),
    ("TL", "second function label"),
    ("TM", "indicator label"),
    ("TN", "band label"),
    ("TO", "instrument name"),
    ("TP", "scale label"),
    ("TQ", "attribute label"),
    ("TR", "attribute option (group)"),
    ("TS", "item statement (export header)"),
    ("TT", "respondents (one/many)"),
    ("TU", "node description"),
];

/// TOML basic string.
fn q(tag: &str) -> String {
    toml_str(&p(tag))
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn framework() -> String {
    let mut f = format!(
        "id = \"hostile\"\nname = {}\ntitle = {}\nsource = {}\nheadline_level = \"function\"\n",
        q("TD"),
        q("TE"),
        q("TF")
    );
    let _ = write!(
        f,
        "[[bands]]\nlabel = {}\nat_least = 0.6\n\n[[bands]]\nlabel = \"Low\"\nat_least = 0.0\n\n",
        q("TN")
    );
    let _ = write!(
        f,
        "[[levels]]\nid = \"function\"\nlabel = {}\nplural = {}\n\n\
         [[levels]]\nid = \"indicator\"\nlabel = {}\nplural = {}\n\n",
        q("TG"),
        q("TH"),
        q("TI"),
        // The reports never name the indicator level in the plural.
        toml_str("Indicators")
    );
    let _ = write!(
        f,
        "[[nodes]]\nid = \"f1\"\nlevel = \"function\"\nlabel = {}\ndescription = {}\n\n\
         [[nodes]]\nid = \"f2\"\nlevel = \"function\"\nlabel = {}\n\n",
        q("TK"),
        q("TU"),
        q("TL")
    );
    for (id, parent, label) in [
        ("f1.a", "f1", q("TM")),
        ("f1.b", "f1", toml_str("Plain indicator")),
        ("f2.a", "f2", toml_str("Second plain indicator")),
        ("f2.b", "f2", toml_str("Third plain indicator")),
    ] {
        let _ = write!(
            f,
            "[[nodes]]\nid = \"{id}\"\nlevel = \"indicator\"\nparent = \"{parent}\"\nlabel = {label}\n\n"
        );
    }
    f
}

const POINTS: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neutral",
    "Agree",
    "Strongly agree",
];

/// The export's question headers, in column order: four statements, then the attribute.
fn headers() -> Vec<String> {
    vec![
        p("TS"),
        "Partners share data.".into(),
        "The agenda is clear.".into(),
        "Funding is aligned.".into(),
        "Which kind of organisation are you?".into(),
    ]
}

fn instrument() -> String {
    let h = headers();
    let mut s = format!(
        "id = \"hostile-survey\"\nname = {}\nframework = \"hostile.framework.toml\"\n\
         respondents = {{ one = {}, many = {} }}\n\n",
        q("TO"),
        toml_str(&format!("{}one", p("TT"))),
        toml_str(&format!("{}many", p("TT"))),
    );
    let points: Vec<String> = POINTS
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{{ value = {}, label = \"{l}\" }}", i + 1))
        .collect();
    let _ = write!(
        s,
        "[scales.agree]\nlabel = {}\npoints = [{}]\nfavourable = [4, 5]\n\n",
        q("TP"),
        points.join(", ")
    );
    let _ = write!(
        s,
        "[[attributes]]\nid = \"kind\"\nlabel = {}\nquestion = \"{}\"\noptions = [{}, \"Funder\"]\n\n",
        q("TQ"),
        h[4],
        q("TR")
    );
    for (i, indicator) in ["f1.a", "f1.b", "f2.a", "f2.b"].iter().enumerate() {
        let _ = write!(
            s,
            "[[items]]\nid = \"i{i}\"\nindicator = \"{indicator}\"\ntext = {}\nscale = \"agree\"\n\n",
            toml_str(&h[i])
        );
    }
    s
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A wave of `n` respondents; `lift` moves answers up. One answer is an email address typed
/// into a rating cell, which must be counted and never shown.
fn export(seed: u64, n: usize, lift: i64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out: Vec<String> = headers().iter().map(|h| csv_cell(h)).collect();
    let mut text = out.join(",") + "\n";
    for r in 0..n {
        out.clear();
        for _ in 0..4 {
            let v = (rng.i64(1..=4) + lift).clamp(1, 5) as usize;
            out.push(POINTS[v - 1].to_string());
        }
        if r == 3 {
            out[1] = "leak.me@evil.example".into();
        }
        out.push(if r % 2 == 0 { p("TR") } else { "Funder".into() });
        let cells: Vec<String> = out.iter().map(|c| csv_cell(c)).collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

/// Writes the study into `dir` and returns the config's path.
fn write_study(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("hostile.framework.toml"), framework()).unwrap();
    std::fs::write(dir.join("hostile.instrument.toml"), instrument()).unwrap();
    // A file name that is itself hostile (the reports name inputs by file name).
    let first = "=TV|<i>TV<b>*TV*#TV.csv";
    std::fs::write(dir.join(first), export(1, 40, 0)).unwrap();
    std::fs::write(dir.join("second.csv"), export(2, 40, 1)).unwrap();
    let config = format!(
        "initiative = {}\ninstrument = \"hostile.instrument.toml\"\nout = \"out\"\n\n\
         [[waves]]\nlabel = {}\nfile = {}\n\n[[waves]]\nlabel = {}\nfile = \"second.csv\"\n",
        q("TA"),
        q("TB"),
        toml_str(first),
        q("TC")
    );
    let path = dir.join("backbone.toml");
    std::fs::write(&path, config).unwrap();
    path
}

/// Every file under `dir`, recursively, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The tags whose payload text shows in `text` in any form (escaped or not).
fn tags_in(text: &str) -> BTreeSet<&'static str> {
    FIELDS
        .iter()
        .map(|(tag, _)| *tag)
        .chain(["TV"])
        .filter(|tag| text.contains(&format!("{tag}*")) || text.contains(&format!("{tag}\\*")))
        .collect()
}

/// Markup that would be live if a payload landed raw in HTML or SVG.
fn raw_markup(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (tag, _) in FIELDS.iter().chain(&[("TV", "")]) {
        for live in [format!("<i>{tag}"), format!("\"onx={tag}")] {
            if text.contains(&live) {
                found.push(live);
            }
        }
    }
    found
}

fn check_markup(name: &str, text: &str, seen: &mut BTreeSet<&'static str>) {
    assert!(raw_markup(text).is_empty(), "{name}: raw {:?}", raw_markup(text));
    assert!(!text.contains("href=\"javascript"), "{name}: a live link");
    seen.extend(tags_in(text));
}

/// report.md: no raw tag, emphasis or link survives, and every table keeps its shape.
fn check_markdown(text: &str, seen: &mut BTreeSet<&'static str>) {
    for (tag, _) in FIELDS {
        for live in [
            format!("<i>{tag}"),
            format!("*{tag}*"),
            format!("[l](javascript:{tag})"),
        ] {
            // An escaped form has a backslash right before the markup character.
            for (at, _) in text.match_indices(&live) {
                assert!(
                    at > 0 && text.as_bytes()[at - 1] == b'\\',
                    "report.md: raw {live:?} at byte {at}"
                );
            }
        }
    }
    let mut table: Vec<usize> = Vec::new();
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    for line in text.lines().chain([""]) {
        if line.starts_with('|') {
            table.push(cells(line));
        } else if !table.is_empty() {
            assert!(
                table.iter().all(|&c| c == table[0]),
                "report.md: a table lost its shape: {table:?}"
            );
            table.clear();
        }
    }
    seen.extend(tags_in(text));
}

/// CSV: every text cell that starts like a formula is neutralised.
fn check_csv(name: &str, path: &Path, seen: &mut BTreeSet<&'static str>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    for (row, record) in reader.records().enumerate() {
        for cell in record.unwrap().iter() {
            let numeric = cell.parse::<f64>().is_ok();
            assert!(
                numeric || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{name} row {row}: {cell:?} can run as a formula"
            );
            seen.extend(tags_in(cell));
        }
    }
}

/// report.xlsx: strings stay strings (no formula holds a payload).
fn check_xlsx(path: &Path, seen: &mut BTreeSet<&'static str>) {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    for sheet in book.sheet_names().to_vec() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        for f in formulas.used_cells() {
            assert!(tags_in(f.2).is_empty(), "report.xlsx {sheet}: formula {:?}", f.2);
        }
        let range = book.worksheet_range(&sheet).unwrap();
        for (_, _, cell) in range.used_cells() {
            if let Data::String(s) = cell {
                seen.extend(tags_in(s));
            }
        }
    }
}

/// brief.pdf: typst took every payload as text, so its markup characters are printed.
fn check_pdf(path: &Path, seen: &mut BTreeSet<&'static str>) {
    let output = Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed; .ci/run installs it");
    // Payloads may wrap across lines: join the text before looking.
    let text: String = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect();
    let found = tags_in(&text);
    // A payload typst ran would lose its markup and escape `tags_in`: the brief must show
    // these fields, so each is looked for by name.
    for tag in ["TA", "TB", "TC", "TE", "TK", "TL", "TN", "TR"] {
        assert!(found.contains(tag), "brief.pdf does not show {tag} as text");
    }
    for tag in &found {
        // `#tag` would be a typst command and `*tag*` strong text if either ran.
        assert!(
            text.contains(&format!("#{tag}")) || text.contains(&format!("*{tag}*")),
            "brief.pdf shows {tag} without its markup characters"
        );
    }
    assert!(!text.contains("@evil"), "brief.pdf holds an answer");
    seen.extend(found);
}

#[test]
fn every_hostile_field_is_text_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::load(&write_study(dir.path())).unwrap();
    let analysis = analyse(&config).unwrap();
    let out = dir.path().join("out");
    analysis.write(&out).unwrap();

    let mut everywhere = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    for path in files(&out) {
        let name = path.strip_prefix(&out).unwrap().display().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let mut seen = BTreeSet::new();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("evil.example"),
            "{name} holds an answer's email address"
        );
        match ext {
            "html" | "svg" => check_markup(&name, &text, &mut seen),
            "md" => check_markdown(&text, &mut seen),
            "csv" => check_csv(&name, &path, &mut seen),
            "xlsx" => check_xlsx(&path, &mut seen),
            "pdf" => check_pdf(&path, &mut seen),
            // Pictures carry their text as pixels; the manifest names files only.
            "png" | "" => {}
            other => panic!("{name}: an output kind this test does not read: {other}"),
        }
        kinds.insert(ext.to_string());
        everywhere.extend(seen);
    }
    for kind in ["html", "md", "csv", "xlsx", "pdf", "svg"] {
        assert!(kinds.contains(kind), "no {kind} output was written");
    }
    // Each planted field reached some output, so the checks above were not vacuous.
    let missing: Vec<&str> = FIELDS
        .iter()
        .filter(|(tag, _)| !everywhere.contains(tag))
        .map(|(_, what)| *what)
        .collect();
    assert!(missing.is_empty(), "never rendered: {missing:?}");
}

#[test]
fn an_id_that_could_name_a_path_is_refused_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_study(dir.path());
    let path = dir.path().join("hostile.instrument.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The attribute's id names its chart file (groups-<id>.svg).
    std::fs::write(&path, text.replace("id = \"kind\"", "id = \"../kind\"")).unwrap();
    let error = Config::load(&config)
        .and_then(|c| analyse(&c).map(|_| ()))
        .unwrap_err()
        .to_string();
    assert!(error.contains("hostile.instrument.toml"), "{error}");
    assert!(
        error.contains("attribute id \"../kind\" may hold only letters"),
        "{error}"
    );
    assert!(!dir.path().join("out").exists());
}
