//! Writes the bundled leadership sample (sample_surveys/leadership/): one seeded wave of the
//! Backbone Leadership Check, the instrument that combines the competency, influence, mindset,
//! function-category and skill-set frameworks, answered by the Riverbend partners and by
//! backbone staff about their own team. Run: cargo run --example generate-leadership
//!
//! The story it tells: staff rate their own team higher than partners do on most
//! competencies; on one competency (the first) no staff member rates the team favourably; the
//! backbone is seen as holding the capacities the document assigns to it, less so the others.

use std::fmt::Write;
use std::path::Path;

use backbone::instrument::{Instrument, Item};

const RESPONDENTS: usize = 170;
const ROLES: [(&str, u32); 5] = [
    ("Steering committee member", 12),
    ("Working group member", 30),
    ("Community partner", 38),
    ("Funder", 8),
    ("Backbone staff", 12),
];
const HOLDERS: [&str; 4] = [
    "The backbone",
    "A partner organization",
    "Shared by several",
    "Nobody",
];

fn normal(rng: &mut fastrand::Rng) -> f64 {
    let (u, v) = (rng.f64().max(1e-12), rng.f64());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn weighted<'a, T>(rng: &mut fastrand::Rng, options: &'a [(T, u32)]) -> &'a T {
    let total: u32 = options.iter().map(|o| o.1).sum();
    let mut pick = rng.u32(0..total);
    for (option, weight) in options {
        if pick < *weight {
            return option;
        }
        pick -= weight;
    }
    &options[0].0
}

/// Where a top-level node sits for partners, in scale quarters (0 = the middle of the scale).
fn story(top: usize) -> f64 {
    [0.35, -0.25, 0.55, 0.1, -0.45, 0.25, -0.1][top % 7]
}

fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

struct Respondent {
    role: &'static str,
    disposition: f64,
}

fn answer(instrument: &Instrument, item: &Item, who: &Respondent, rng: &mut fastrand::Rng) -> String {
    let scale = instrument.scale_of(item);
    if rng.usize(0..25) == 0 {
        return String::new();
    }
    if !scale.missing.is_empty() && rng.usize(0..20) == 0 {
        return scale.missing[0].clone();
    }
    let fw = &instrument.framework;
    let top = instrument
        .nodes_of(item)
        .last()
        .map(|n| n.id.clone())
        .unwrap_or_default();
    let index = fw.tops().position(|n| n.id == top).unwrap_or(0);
    let staff = who.role == "Backbone staff";
    // Staff rate their own team higher, except on the first competency, which nobody covers.
    let lift = match (staff, index) {
        (true, 0) => -1.4,
        (true, _) => 0.45,
        (false, _) => 0.0,
    };
    let (lo, hi) = (scale.min() as f64, scale.max() as f64);
    let quarter = (hi - lo) / 4.0;
    let noise = if staff && index == 0 { 0.3 } else { 0.8 };
    let oriented = (lo + hi) / 2.0 + quarter * (story(index) + lift + who.disposition) + noise * normal(rng);
    let oriented = oriented.round().clamp(lo, hi) as i64;
    // Back to the answer as asked: reverse-worded items and best-first scales are mirrored.
    let asked = scale.oriented(oriented, item.reverse);
    scale
        .points
        .iter()
        .find(|p| p.value == asked)
        .map(|p| p.label.clone())
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let instrument = Instrument::load(&root.join("indicators/backbone-leadership.instrument.toml"))?;
    let mut rng = fastrand::Rng::with_seed(202511);
    let mut csv = String::new();
    let mut header: Vec<String> = instrument.attributes.iter().map(|a| quote(&a.question)).collect();
    header.extend(instrument.items.iter().map(|i| quote(&i.text)));
    writeln!(csv, "{}", header.join(","))?;
    for _ in 0..RESPONDENTS {
        let role = *weighted(&mut rng, &ROLES);
        let who = Respondent {
            role,
            disposition: 0.5 * normal(&mut rng) + if role == "Community partner" { -0.25 } else { 0.0 },
        };
        let mut row: Vec<String> = Vec::new();
        for a in &instrument.attributes {
            let cell = match &a.about {
                None => role.to_string(),
                Some(node) => {
                    let suggests_backbone = instrument
                        .framework
                        .node(node)
                        .and_then(|n| n.properties.get("likely_holders"))
                        .is_some_and(|p| p.texts().iter().any(|t| t.contains("Backbone")));
                    let weights: [u32; 4] = if suggests_backbone {
                        [55, 12, 25, 8]
                    } else {
                        [22, 38, 28, 12]
                    };
                    let options: Vec<(&str, u32)> = HOLDERS.iter().copied().zip(weights).collect();
                    if rng.usize(0..15) == 0 {
                        String::new()
                    } else {
                        weighted(&mut rng, &options).to_string()
                    }
                }
            };
            row.push(quote(&cell));
        }
        for item in &instrument.items {
            row.push(quote(&answer(&instrument, item, &who, &mut rng)));
        }
        writeln!(csv, "{}", row.join(","))?;
    }
    let out = root.join("sample_surveys/leadership");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("riverbend-leadership-2025.csv"), csv)?;
    println!("wrote {}", out.join("riverbend-leadership-2025.csv").display());
    Ok(())
}
