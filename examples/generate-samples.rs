//! Writes the bundled sample exports in `sample_surveys/` and their plain-table equivalents in
//! `tests/fixtures/plain/`: a fictional initiative (Riverbend Early Learning Partnership)
//! surveyed in 2023 on SurveyMonkey, in 2024 on Google Forms and in 2025 on Qualtrics, plus a
//! short Microsoft Forms pulse survey in autumn 2025. The story the reports should tell:
//! shared measurement improving, policy advocacy declining, the rest flat. Seeded, so the files
//! are the same on every run: `cargo run --example generate-samples`.

#[path = "shared/comments.rs"]
mod comments;
#[path = "shared/exports.rs"]
mod exports;

use std::collections::HashMap;
use std::path::Path;

use backbone::instrument::Instrument;
use exports::*;

const SEED: u64 = 20231115;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let annual = Instrument::load(&root.join("indicators/fsg-partner-survey.instrument.toml"))?;
    let pulse = Instrument::load(&root.join("indicators/fsg-pulse.instrument.toml"))?;
    let mut rng = fastrand::Rng::with_seed(SEED);
    // A fixed offset per item, so items of one function differ a little from each other.
    let offsets: HashMap<String, f64> = annual
        .items
        .iter()
        .filter(|i| !i.overall)
        .map(|i| (i.id.clone(), (rng.f64() - 0.5) * 0.4))
        .collect();
    let samples = root.join("sample_surveys");
    let plain_dir = root.join("tests/fixtures/plain");
    std::fs::create_dir_all(&plain_dir)?;

    let roster = Generator::roster(&annual, &mut rng, ROSTER);
    let mut gen = Generator {
        instrument: &annual,
        offsets: offsets.clone(),
        rng,
        roster: roster.clone(),
        rates: Rates::Story,
    };
    let mut w2023 = gen.wave(0, 2023, (3, 4), 138);
    let mut w2024 = gen.wave(1, 2024, (3, 4), 164);
    let mut w2025 = gen.wave(2, 2025, (4, 5), 151);
    // The open question's answers, from their own generator: the other draws stay as they were.
    let mut talk = fastrand::Rng::with_seed(SEED + 4);
    for (wave, rows) in [&mut w2023, &mut w2024, &mut w2025].into_iter().enumerate() {
        for r in rows
            .iter_mut()
            .filter(|r| r.answers.iter().any(|a| !a.is_empty()))
        {
            r.open
                .iter_mut()
                .for_each(|o| *o = comments::open_answer(&mut talk, wave));
        }
    }
    let previews: Vec<Response> = (0..2)
        .map(|r| gen.respondent(&roster[r], 2, 2025, (3, 3), 900 + r))
        .collect();
    let rng = gen.rng;

    // SurveyMonkey, downloaded and re-saved in Excel on Windows: Windows-1252.
    let text = write_csv(&surveymonkey(&annual, &w2023), true)?;
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy, "the sample text fits Windows-1252");
    std::fs::write(samples.join("riverbend-2023-surveymonkey.csv"), bytes)?;
    // Google Forms via Sheets: UTF-8 without BOM, CRLF records.
    let text = write_csv(&google_forms(&annual, &w2024), true)?;
    std::fs::write(samples.join("riverbend-2024-google-forms.csv"), text)?;
    // Qualtrics: UTF-8 with BOM, LF.
    let text = write_csv(&qualtrics(&annual, &w2025, &previews), false)?;
    std::fs::write(
        samples.join("riverbend-2025-qualtrics.csv"),
        format!("\u{feff}{text}"),
    )?;

    let mut gen = Generator {
        instrument: &pulse,
        offsets,
        rng,
        roster,
        rates: Rates::Story,
    };
    let pulse_rows: Vec<Response> = gen
        .sample(48)
        .iter()
        .enumerate()
        .map(|(r, p)| gen.respondent(p, 2, 2025, (10, 10), r))
        .collect();
    std::fs::create_dir_all(samples.join("pulse"))?;
    microsoft_forms(
        &pulse,
        &pulse_rows,
        &samples.join("pulse/riverbend-pulse-2025-10-microsoft-forms.xlsx"),
    )?;

    // Google Forms exports carry no respondent id, and Forms numbers rows anew in every export.
    for (name, instrument, rows, with_id) in [
        ("riverbend-2023.csv", &annual, &w2023, true),
        ("riverbend-2024.csv", &annual, &w2024, false),
        ("riverbend-2025.csv", &annual, &w2025, true),
        ("riverbend-pulse-2025-10.csv", &pulse, &pulse_rows, false),
    ] {
        let text = write_csv(&plain(instrument, rows, with_id), false)?;
        std::fs::write(plain_dir.join(name), text)?;
    }
    println!(
        "wrote the samples in {} and their plain tables in {}",
        samples.display(),
        plain_dir.display()
    );
    Ok(())
}
