//! Writes the bundled sample exports in `sample_surveys/`: a fictional initiative (Riverbend
//! Early Learning Partnership) surveyed in 2023, 2024 and 2025, with a story the reports should
//! tell: shared measurement improving, policy advocacy declining, the rest flat. Seeded, so the
//! files are the same on every run: `cargo run --example generate-samples`.

use std::collections::HashMap;
use std::path::Path;

use backbone::instrument::{Instrument, Item};

const SEED: u64 = 20231115;

/// True mean of each function (or governance outcome) per wave, on the 1-5 scale.
fn story(top: &str, wave: usize) -> f64 {
    let by_wave: [f64; 3] = match top {
        "guide-vision" => [3.70, 3.75, 3.72],
        "aligned-activities" => [3.60, 3.62, 3.66],
        "shared-measurement" => [2.95, 3.30, 3.65],
        "community-engagement" => [3.30, 3.28, 3.25],
        "advance-policy" => [3.55, 3.25, 2.95],
        "mobilize-funding" => [3.20, 3.18, 3.22],
        _ => [3.85, 3.85, 3.88], // governance outcomes
    };
    by_wave[wave]
}

struct Wave {
    year: &'static str,
    respondents: usize,
}

const WAVES: [Wave; 3] = [
    Wave {
        year: "2023",
        respondents: 138,
    },
    Wave {
        year: "2024",
        respondents: 164,
    },
    Wave {
        year: "2025",
        respondents: 151,
    },
];

const FIRST: [&str; 12] = [
    "Maria", "James", "Aisha", "Tom", "Lena", "Carlos", "Grace", "Wei", "Fatima", "Noah", "Priya", "Sam",
];
const LAST: [&str; 12] = [
    "Okafor",
    "Lindqvist",
    "Hernandez",
    "Nguyen",
    "Baker",
    "Haddad",
    "Kowalski",
    "Mensah",
    "Ortiz",
    "Reyes",
    "Schmidt",
    "Walker",
];
const COMMENTS: [&str; 5] = [
    "The data dashboard finally helps our team, thank you.",
    "Hard to see what the policy group is doing this year.",
    "Meetings are well run but we need more notice.",
    "",
    "More support for small organizations, please",
];
const UNKNOWN_LABELS: [&str; 3] = ["Somewhat agree", "Agree strongly", "N.A"];

fn normal(rng: &mut fastrand::Rng) -> f64 {
    // Box-Muller; 1 - f64() keeps the logarithm finite.
    let (u, v) = (1.0 - rng.f64(), rng.f64());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn weighted<'a>(rng: &mut fastrand::Rng, options: &'a [String], weights: &[u32]) -> &'a str {
    let total: u32 = weights.iter().sum();
    let mut pick = rng.u32(0..total);
    for (option, w) in options.iter().zip(weights) {
        if pick < *w {
            return option;
        }
        pick -= w;
    }
    &options[0]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let instrument = Instrument::load(&root.join("indicators/fsg-partner-survey.instrument.toml"))?;
    let mut rng = fastrand::Rng::with_seed(SEED);
    // A fixed offset per item, so items of one function differ a little from each other.
    let offsets: HashMap<&str, f64> = instrument
        .items
        .iter()
        .map(|i| (i.id.as_str(), (rng.f64() - 0.5) * 0.4))
        .collect();

    for (w, wave) in WAVES.iter().enumerate() {
        let path = root.join(format!(
            "sample_surveys/riverbend-partner-survey-{}.csv",
            wave.year
        ));
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_path(&path)?;
        let mut header = vec![
            "Respondent ID".to_string(),
            "Submitted".to_string(),
            "Name".to_string(),
            "Email".to_string(),
        ];
        header.extend(instrument.attributes.iter().map(|a| a.question.clone()));
        header.extend(instrument.items.iter().map(|i| i.text.clone()));
        header.push("Any other comments about the backbone's support?".to_string());
        out.write_record(&header)?;

        let mut rows: Vec<Vec<String>> = Vec::new();
        for r in 0..wave.respondents {
            rows.push(respondent(&instrument, &offsets, &mut rng, w, wave, r));
        }
        spoil(&mut rows, &mut rng, &instrument, w);
        for row in &rows {
            out.write_record(row)?;
        }
        out.flush()?;
        println!("wrote {} ({} rows)", path.display(), rows.len());
    }
    Ok(())
}

fn respondent(
    instrument: &Instrument,
    offsets: &HashMap<&str, f64>,
    rng: &mut fastrand::Rng,
    w: usize,
    wave: &Wave,
    r: usize,
) -> Vec<String> {
    let roles = &instrument.attributes[0].options;
    let sectors = &instrument.attributes[1].options;
    let role = weighted(rng, roles, &[12, 30, 40, 8, 10]).to_string();
    let sector = sectors[rng.usize(0..sectors.len())].clone();
    let role_effect = match role.as_str() {
        "Backbone staff" => 0.35,
        "Steering committee member" => 0.15,
        "Community partner" => -0.2,
        _ => 0.0,
    };
    let disposition = 0.45 * normal(rng) + role_effect;
    let first = FIRST[rng.usize(0..FIRST.len())];
    let last = LAST[rng.usize(0..LAST.len())];
    let mut row = vec![
        format!("{}{:04}", 11 + w, 1000 + r * 7),
        format!(
            "{}-{:02}-{:02} {:02}:{:02}",
            wave.year,
            3 + rng.u32(0..2),
            1 + rng.u32(0..28),
            8 + rng.u32(0..10),
            rng.u32(0..60)
        ),
        format!("{first} {last}"),
        format!(
            "{}.{}{}@riverbend-partners.example.org",
            first.to_lowercase(),
            last.to_lowercase(),
            r
        ),
        role.clone(),
        sector,
    ];
    let distant = role == "Community partner";
    row.extend(
        instrument
            .items
            .iter()
            .map(|item| answer(instrument, item, offsets, rng, w, disposition, distant)),
    );
    row.push(COMMENTS[rng.usize(0..COMMENTS.len())].to_string());
    row
}

fn answer(
    instrument: &Instrument,
    item: &Item,
    offsets: &HashMap<&str, f64>,
    rng: &mut fastrand::Rng,
    w: usize,
    disposition: f64,
    distant: bool,
) -> String {
    let scale = instrument.scale_of(item);
    let top = instrument.nodes_of(item).last().map_or("", |n| n.id.as_str());
    if rng.f64() < 0.03 {
        return String::new(); // skipped the question
    }
    let na_rate = match top {
        "advance-policy" | "mobilize-funding" => 0.14,
        _ if top.starts_with("governance") && distant => 0.18,
        _ => 0.04,
    };
    if rng.f64() < na_rate {
        return scale.missing[0].clone();
    }
    let latent = story(top, w) + offsets[item.id.as_str()] + disposition + 0.75 * normal(rng);
    let value = latent.round().clamp(scale.min() as f64, scale.max() as f64) as i64;
    let raw = scale.oriented(value, item.reverse);
    scale
        .points
        .iter()
        .find(|p| p.value == raw)
        .map(|p| p.label.clone())
        .unwrap_or_default()
}

/// The unusable rows every real export has: empty rows, a respondent who stopped early, a
/// resubmission, and answers typed in labels the scale does not have.
fn spoil(rows: &mut Vec<Vec<String>>, rng: &mut fastrand::Rng, instrument: &Instrument, w: usize) {
    let first_item = 4 + instrument.attributes.len();
    let width = rows[0].len();
    let mut empty = rows[0].clone();
    for cell in empty.iter_mut().skip(first_item) {
        cell.clear();
    }
    empty[0] = format!("{}9990", 11 + w);
    rows.insert(rows.len() / 3, empty.clone());
    if w != 1 {
        empty[0] = format!("{}9991", 11 + w);
        rows.push(empty);
    }
    let mut partial = rows[5].clone();
    partial[0] = format!("{}9992", 11 + w);
    for cell in partial.iter_mut().take(width - 1).skip(first_item + 8) {
        cell.clear();
    }
    rows.insert(rows.len() / 2, partial);
    // A resubmission: the same respondent id again, later in the file.
    let mut again = rows[10].clone();
    again[first_item] = instrument
        .scales
        .values()
        .next()
        .map(|s| s.points[3].label.clone())
        .unwrap_or_default();
    rows.push(again);
    for _ in 0..(3 + w) {
        let r = rng.usize(0..rows.len());
        let c = rng.usize(first_item..width - 1);
        if !rows[r][c].is_empty() {
            rows[r][c] = UNKNOWN_LABELS[rng.usize(0..UNKNOWN_LABELS.len())].to_string();
        }
    }
}
