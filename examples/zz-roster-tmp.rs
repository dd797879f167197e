#[path = "shared/exports.rs"]
mod exports;
use backbone::instrument::Instrument;
use exports::*;
use std::collections::BTreeMap;
use std::path::Path;
fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let annual = Instrument::load(&root.join("indicators/fsg-partner-survey.instrument.toml")).unwrap();
    let mut rng = fastrand::Rng::with_seed(20231115);
    for _ in &annual.items { rng.f64(); }
    let roster = Generator::roster(&annual, &mut rng, ROSTER);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in &roster { *counts.entry(p.role.clone()).or_default() += 1; }
    println!("{counts:?}");
}
