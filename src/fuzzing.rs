//! Entry points shared by the fuzz targets (`fuzz/`, run with `cargo +nightly fuzz run NAME`)
//! and by their regression tests (`tests/fuzz_regressions.rs`, which replays every input kept in
//! `tests/fixtures/fuzz/NAME/`). Each takes arbitrary bytes and must return without panicking;
//! the invariants it checks are asserted.

use std::path::Path;
use std::sync::OnceLock;

use crate::config::{wave_label_from_name, Config, Wave};
use crate::framework::Framework;
use crate::ingest::{read_export_bytes, year_in, Platform, ReadOptions};
use crate::instrument::{Answer, Instrument};
use crate::map::{map_wave, render_mapping, suggest, MapOptions, Mapping};
use crate::normalize::{normalize_label, normalize_question};
use crate::pipeline::analyse;
use crate::render::pdf;
use crate::render::templates::{html_from, md_from, HTML, MARKDOWN};
use crate::render::ChartSvgs;
use crate::report::Report;

fn instrument() -> &'static Instrument {
    static INSTRUMENT: OnceLock<Instrument> = OnceLock::new();
    INSTRUMENT.get_or_init(|| Instrument::bundled().expect("the bundled instrument loads"))
}

const PLATFORMS: [Option<Platform>; 8] = [
    None,
    Some(Platform::SurveyMonkey),
    Some(Platform::Qualtrics),
    Some(Platform::QualtricsLegacy),
    Some(Platform::GoogleForms),
    Some(Platform::MicrosoftForms),
    Some(Platform::Plain),
    Some(Platform::Long),
];

/// Format detection, decoding (CSV in any encoding, XLSX), header joining, then mapping onto the
/// bundled instrument and a suggested mapping. The first byte picks the platform (or detection).
pub fn ingest(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let options = ReadOptions {
        platform: PLATFORMS[usize::from(selector) % PLATFORMS.len()],
        ..ReadOptions::default()
    };
    let Ok(export) = read_export_bytes(bytes, Path::new("fuzz.csv"), &options) else {
        return;
    };
    assert_eq!(
        export.cells.len(),
        export.columns.len(),
        "a cell column per column"
    );
    for cells in &export.cells {
        assert_eq!(cells.len(), export.len(), "rows are squared");
    }
    let _ = export.response_year();
    let instrument = instrument();
    if let Ok(wave) = map_wave(instrument, &export, "fuzz", &MapOptions::default()) {
        let a = &wave.account;
        assert_eq!(
            a.rows_read,
            a.rows_used + a.rows_skipped(),
            "every row is accounted for"
        );
        for (k, codes) in wave.answers.iter().enumerate() {
            let scale = instrument.scale_of(&instrument.items[wave.items_asked[k]]);
            for &code in codes {
                if let Some(v) = wave.value(instrument, k, code) {
                    assert!((scale.min()..=scale.max()).contains(&v), "{v} outside the scale");
                }
            }
        }
        for (_, text) in &a.unknown_examples {
            assert!(text.chars().count() <= crate::privacy::EXAMPLE_CHARS + 1);
        }
    }
    let suggestions = suggest(instrument, &export);
    let _ = render_mapping(instrument, &export, &suggestions);
}

/// Answer parsing: every line of the input coded on every scale of the bundled instrument, and
/// the text helpers that see cells (normalisation, examples, years, platform names).
pub fn answers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let instrument = instrument();
    for cell in text.split('\n') {
        for scale in instrument.scales.values() {
            if let Answer::Value(v) = scale.code(cell) {
                assert!((scale.min()..=scale.max()).contains(&v), "{v} outside the scale");
                let twice = scale.oriented(scale.oriented(v, true), true);
                assert_eq!(twice, v, "reverse coding twice is identity");
            }
        }
        let _ = normalize_question(cell);
        let _ = normalize_label(cell);
        let shown = crate::privacy::example(cell);
        assert!(shown.chars().count() <= crate::privacy::EXAMPLE_CHARS + 40);
        let _ = year_in(cell);
        let _ = Platform::parse(cell);
        let _ = wave_label_from_name(Path::new(cell));
    }
}

/// Loading definitions: the input (split at its first NUL) as a framework, an instrument of
/// that framework or of the bundled one, a config and a mapping file.
pub fn definitions(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (first, second) = text.split_once('\0').unwrap_or((&text, ""));
    let origin = Path::new("fuzz.toml");
    let _ = Framework::parse(first, origin);
    let _ = Instrument::parse(second, origin, |_| Framework::parse(first, origin));
    let _ = Instrument::parse(first, origin, |_| Ok(instrument().framework.clone()));
    let _ = Config::parse(first, Path::new("backbone.toml"));
    let _ = Mapping::parse(first, origin, instrument());
}

/// The report model the template target renders, built once: the mini test fixture (two
/// waves, a panel, a breakdown by role), as the model and as the JSON the templates read.
fn model() -> &'static (Report, serde_json::Value) {
    static MODEL: OnceLock<(Report, serde_json::Value)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
        let config = Config {
            panel_key: Some("Email".into()),
            ..Config::with_waves(
                Some(dir.join("mini.instrument.toml")),
                vec![
                    Wave::labelled("2023", dir.join("wave-2023.csv")),
                    Wave::labelled("2024", dir.join("panel-2024.csv")),
                ],
            )
        };
        let report = analyse(&config).expect("the mini fixture runs").report();
        let json = serde_json::to_value(&report).expect("the model serialises");
        (report, json)
    })
}

/// A small SVG under every chart name the templates read (the charts are drawn by plotters,
/// not by the templates, and are not what this target fuzzes).
fn charts() -> ChartSvgs {
    let svg =
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>"#;
    [
        "scorecard",
        "trend",
        "distribution",
        "node-questions",
        "groups-role",
    ]
    .into_iter()
    .map(|name| (name.to_string(), svg.to_string()))
    .collect()
}

/// Marks around every fuzzed string in the model, so its rendering can be found in the output.
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// The longest fuzzed string: longer ones only make a longer document (every string of the
/// model 3,400 characters long took over 2 GB and 20 s to lay out), not another escape.
const FIELD_CHARS: usize = 256;

/// The model with every string replaced by a piece of `text` (split at NUL, taken in turn, at
/// most [`FIELD_CHARS`] long) between [`OPEN`] and [`CLOSE`]: every value a template prints
/// is hostile.
fn hostile_model(text: &str) -> serde_json::Value {
    let pieces: Vec<String> = text
        .split('\0')
        .map(|p| {
            p.chars()
                .filter(|&c| c != OPEN && c != CLOSE)
                .take(FIELD_CHARS)
                .collect()
        })
        .collect();
    let mut model = model().1.clone();
    let mut next = 0;
    let mut pending = vec![&mut model];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::String(s) => {
                *s = format!("{OPEN}{}{CLOSE}", pieces[next % pieces.len()]);
                next += 1;
            }
            serde_json::Value::Array(items) => pending.extend(items.iter_mut()),
            serde_json::Value::Object(fields) => pending.extend(fields.values_mut()),
            _ => {}
        }
    }
    model
}

/// What each fuzzed string became in a rendered output: the text between the marks.
fn rendered_fields(output: &str) -> impl Iterator<Item = &str> {
    output
        .split(OPEN)
        .skip(1)
        .map(|part| part.split(CLOSE).next().unwrap_or_default())
}

/// In the HTML a fuzzed string holds no markup: no `<`, `>` or quote, and `&` only as an
/// entity; and the page holds no script.
fn assert_html_escaped(html: &str) {
    for field in rendered_fields(html) {
        assert!(
            !field.contains(['<', '>', '"', '\'']),
            "unescaped field: {field:?}"
        );
        for (at, _) in field.match_indices('&') {
            let entity = &field[at + 1..];
            let end = entity.find(';').unwrap_or(0);
            assert!(
                end > 0
                    && entity[..end]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'#'),
                "bare & in field: {field:?}"
            );
        }
    }
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "a script in the page"
    );
}

/// Characters that Markdown reads as syntax (see `escape_markdown`).
const MARKDOWN_SYNTAX: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '!'];

/// In the Markdown a fuzzed string has every syntax character escaped and no line break; and
/// every row of every table has as many cells as the table's header.
fn assert_markdown_escaped(md: &str) {
    for field in rendered_fields(md) {
        let mut chars = field.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => assert!(
                    chars.next().is_some_and(|e| MARKDOWN_SYNTAX.contains(&e)),
                    "stray backslash in field: {field:?}"
                ),
                '\n' | '\r' | '\t' => panic!("line break in field: {field:?}"),
                c => assert!(
                    !MARKDOWN_SYNTAX.contains(&c),
                    "unescaped {c:?} in field: {field:?}"
                ),
            }
        }
    }
    let mut header: Option<usize> = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let cells = table_pipes(line);
        let expected = *header.get_or_insert(cells);
        assert_eq!(
            cells, expected,
            "a table row with other cells than its header: {line:?}"
        );
    }
}

/// The unescaped `|` of a Markdown line.
fn table_pipes(line: &str) -> usize {
    let (mut pipes, mut chars) = (0, line.chars());
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => pipes += 1,
            _ => {}
        }
    }
    pipes
}

/// A template's failure names its file and the line: `<file>: the template cannot be ...: line`.
fn assert_names_file_and_line(result: crate::Result<impl Sized>, file: &str) {
    if let Err(e) = result {
        let message = e.to_string();
        let placed = message.starts_with(&format!("{file}: the "))
            && message.contains(" cannot be ")
            && message.contains(": line ");
        assert!(placed, "{message}");
    }
}

/// Template rendering. The first byte picks what the rest is: an edited report.html or
/// report.md template (rendered against the model: it renders, or fails naming its file and
/// line), or strings put in every field of the model and rendered through the real template
/// (escaping must hold; see [`assert_html_escaped`], [`assert_markdown_escaped`]).
pub fn templates(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    let report = &model().0;
    match selector % 4 {
        0 => assert_names_file_and_line(html_from(&text, report, &charts()), HTML.file),
        1 => assert_names_file_and_line(md_from(&text, report), MARKDOWN.file),
        2 => assert_html_escaped(&html_from(HTML.source, &hostile_model(&text), &charts()).expect("renders")),
        _ => assert_markdown_escaped(&md_from(MARKDOWN.source, &hostile_model(&text)).expect("renders")),
    }
}

/// The funder brief (typst), apart from [`templates`] because one layout takes far longer than
/// a minijinja render: an edited brief template (lays out, or fails naming its file and line),
/// or strings in every field of the model through the real template (lays out: strings are
/// set as text, never as markup).
pub fn brief(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes).into_owned();
    let file = Path::new(pdf::TEMPLATE_FILE);
    if selector % 2 == 0 {
        let model = serde_json::to_vec(&model().1).expect("the model serialises");
        assert_names_file_and_line(pdf::brief_from(model, &charts(), text, file), pdf::TEMPLATE_FILE);
    } else {
        let model = serde_json::to_vec(&hostile_model(&text)).expect("the model serialises");
        if let Err(e) = pdf::brief_from(model, &charts(), pdf::TEMPLATE.to_string(), file) {
            panic!("hostile strings broke the brief: {e}");
        }
    }
}
