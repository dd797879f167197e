//! Prints how long each pipeline stage takes on the bundled sample (median of several runs):
//! `cargo run --release --example stage-times` for production figures, or without --release
//! for the debug build the tests use.

use std::path::Path;
use std::time::{Duration, Instant};

use backbone::compare::compare;
use backbone::config::Config;
use backbone::ingest::read_export;
use backbone::instrument::Instrument;
use backbone::map::map_wave;
use backbone::pipeline::{map_options, read_options, test_groups, Analysis};
use backbone::reliability::reliability;
use backbone::score::{group_scores, score, tally};

const RUNS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("sample_surveys/backbone.toml"))?;
    let out = tempfile::tempdir()?;
    let stages = [
        "ingest",
        "map",
        "score",
        "groups",
        "reliability",
        "compare",
        "render",
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); stages.len()];
    let mut rows = 0;
    for _ in 0..RUNS {
        let instrument = match &config.instrument {
            Some(path) => Instrument::load(path)?,
            None => Instrument::bundled()?,
        };
        let mut clock = Instant::now();
        let mut lap = |stage: usize, times: &mut Vec<Vec<Duration>>| {
            times[stage].push(clock.elapsed());
            clock = Instant::now();
        };
        let exports = config
            .waves
            .iter()
            .map(|w| read_export(&w.file, &read_options(&config, w, &instrument)))
            .collect::<Result<Vec<_>, _>>()?;
        lap(0, &mut times);
        let waves = exports
            .iter()
            .zip(&config.waves)
            .map(|(e, w)| {
                let options = map_options(&config, w, &instrument)?;
                map_wave(&instrument, e, w.label.as_deref().unwrap_or("wave"), &options)
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows = exports.iter().map(|e| e.rows.len()).sum();
        lap(1, &mut times);
        let scores = score(&instrument, &waves, &config.rules)?;
        lap(2, &mut times);
        let mut groups = Vec::new();
        for attribute in &instrument.attributes {
            groups.push((
                attribute.id.clone(),
                group_scores(&instrument, &waves, &config.rules, &attribute.id)?,
            ));
        }
        lap(3, &mut times);
        let reliability = reliability(&instrument, &waves);
        lap(4, &mut times);
        let comparisons = compare(&scores, config.rules.confidence, &config.compare);
        let group_tests = test_groups(&instrument, &waves, &scores, &groups, &config);
        let tallies = tally(&instrument, &waves);
        lap(5, &mut times);
        let analysis = Analysis {
            initiative: config.initiative.clone(),
            instrument,
            config: config.clone(),
            accounts: waves.into_iter().map(|w| w.account).collect(),
            scores,
            comparisons,
            groups,
            reliability,
            panel: Vec::new(),
            group_tests,
            tallies,
        };
        analysis.write(out.path())?;
        lap(6, &mut times);
    }
    println!(
        "{rows} rows in {} waves, median of {RUNS} runs:",
        config.waves.len()
    );
    let mut total = Duration::ZERO;
    for (stage, samples) in stages.iter().zip(&mut times) {
        samples.sort();
        let median = samples[RUNS / 2];
        total += median;
        println!("  {stage:<12} {:>9.1} ms", median.as_secs_f64() * 1e3);
    }
    println!("  {:<12} {:>9.1} ms", "total", total.as_secs_f64() * 1e3);
    Ok(())
}
