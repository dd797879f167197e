//! Writes large seeded exports of the bundled instrument for the benchmark (bench/run.sh):
//! the sample's fictional initiative, with a roster big enough for `respondents` per wave,
//! ~8% of cells blank and ~5% "Don't know / Not applicable", and the sample's unusable rows
//! (empty, partial, resubmitted, unknown labels) in every wave. Never committed: written to a
//! scratch folder with a `backbone.toml` naming the waves.
//!
//! `cargo run --release --example bench-exports -- DIR RESPONDENTS WAVES [FORMAT]`, FORMAT one
//! of plain (default), survey-monkey, google-forms, qualtrics.

#[path = "shared/exports.rs"]
mod exports;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use backbone::instrument::Instrument;
use exports::*;

const SEED: u64 = 20260101;
/// Rows per table handed to a writer, so a large wave is never held as text all at once.
const CHUNK: usize = 20_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: bench-exports DIR RESPONDENTS WAVES [plain|survey-monkey|google-forms|qualtrics]";
    let (Some(dir), Some(n), Some(waves)) = (args.first(), args.get(1), args.get(2)) else {
        return Err(usage.into());
    };
    let (n, waves): (usize, usize) = (n.parse()?, waves.parse()?);
    if waves > 5 {
        return Err("at most 5 waves".into());
    }
    let format = args.get(3).map_or("plain", String::as_str);
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let instrument = Instrument::load(&root.join("indicators/fsg-partner-survey.instrument.toml"))?;
    let mut rng = fastrand::Rng::with_seed(SEED);
    let offsets: HashMap<String, f64> = instrument
        .items
        .iter()
        .map(|i| (i.id.clone(), (rng.f64() - 0.5) * 0.4))
        .collect();
    let roster = Generator::roster(&instrument, &mut rng, n + n / 4);
    let mut gen = Generator {
        instrument: &instrument,
        offsets,
        rng,
        roster,
        rates: Rates::Fixed {
            blank: 0.08,
            na: 0.05,
        },
    };
    let mut config = format!(
        "# Written by `cargo run --release --example bench-exports -- {} {n} {waves} {format}`.\n\
         initiative = \"Riverbend Early Learning Partnership (benchmark, {n} per wave)\"\n\
         instrument = \"{}\"\nout = \"reports\"\n",
        dir.display(),
        root.join("indicators/fsg-partner-survey.instrument.toml")
            .display()
    );
    for wave in 0..waves {
        let year = 2021 + wave as u16;
        let rows = gen.wave(wave, year, (3, 4), n);
        let name = format!("wave-{year}-{format}.csv");
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(&name))?);
        let header_rows = match format {
            "plain" => 1,
            "google-forms" => 1,
            "survey-monkey" => 2,
            "qualtrics" => 3,
            _ => return Err(usage.into()),
        };
        for (k, chunk) in rows.chunks(CHUNK).enumerate() {
            let table = match format {
                "plain" => plain(&instrument, chunk, true),
                "google-forms" => google_forms(&instrument, chunk),
                "survey-monkey" => surveymonkey(&instrument, chunk),
                _ => qualtrics(&instrument, chunk, &[]),
            };
            let skip = if k == 0 { 0 } else { header_rows };
            out.write_all(write_csv(&table[skip..], false)?.as_bytes())?;
        }
        out.flush()?;
        config.push_str(&format!("\n[[waves]]\nlabel = \"{year}\"\nfile = \"{name}\"\n"));
    }
    std::fs::write(dir.join("backbone.toml"), config)?;
    println!("wrote {waves} waves of {n} respondents to {}", dir.display());
    Ok(())
}
