//! Entry points shared by the fuzz targets (`fuzz/`, run with `cargo +nightly fuzz run NAME`)
//! and by their regression tests (`tests/fuzz_regressions.rs`, which replays every input kept in
//! `tests/fixtures/fuzz/NAME/`). Each takes arbitrary bytes and must return without panicking;
//! the invariants it checks are asserted.

use std::path::Path;
use std::sync::OnceLock;

use crate::config::{wave_label_from_name, Config};
use crate::framework::Framework;
use crate::ingest::{read_export_bytes, year_in, Platform, ReadOptions};
use crate::instrument::{Answer, Instrument};
use crate::map::{map_wave, render_mapping, suggest, MapOptions, Mapping};
use crate::normalize::{normalize_label, normalize_question};

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
    let _ = Mapping::parse(first, origin, &instrument().id);
}
