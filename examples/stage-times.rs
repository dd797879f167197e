//! Prints how long each pipeline stage takes (median of several runs):
//! `cargo run --release --example stage-times` for production figures on the bundled sample, or
//! without --release for the debug build the tests use.
//!
//! `stage-times [CONFIG] [--runs N] [--dump DIR] [--out DIR]` times the run a config describes
//! (bench/run.sh uses it on the large exports), writes the outputs to `--out` (default: a
//! temporary folder), and with `--dump` writes every computed number at full precision
//! (shortest round-trip) to DIR/scores.csv, comparison.csv, groups.csv and reliability.csv,
//! for checking against bench/reference.py and against an earlier build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use backbone::compare::{compare, Comparison};
use backbone::config::Config;
use backbone::ingest::read_export;
use backbone::instrument::Instrument;
use backbone::map::map_wave;
use backbone::pipeline::{driver_rules, map_options, read_options, test_groups, Analysis};
use backbone::reliability::{reliability, Reliability};
use backbone::score::{group_scores_by, score, tally, GroupScore, Scores};

fn f(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:?}"))
}

fn dump(dir: &Path, analysis: &Analysis) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let scores: &Scores = &analysis.scores;
    let mut out = String::from("wave,level,id,n,mean,sd,ci_low,ci_high,pct_favorable,n_na,counts\n");
    for r in &scores.rows {
        let counts: Vec<String> = r.counts.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.wave,
            r.level,
            r.id,
            r.n,
            f(r.mean),
            f(r.sd),
            f(r.ci.map(|c| c.0)),
            f(r.ci.map(|c| c.1)),
            f(r.pct_favorable),
            r.n_na,
            counts.join(" ")
        );
    }
    std::fs::write(dir.join("scores.csv"), out)?;

    let mut out = String::from(
        "level,id,from_wave,to_wave,n_from,n_to,mean_from,mean_to,diff,df,ci_low,ci_high,\
         statistic,test_df,p,q_value,effect,p_welch,p_mann_whitney,direction,note\n",
    );
    for c in &analysis.comparisons {
        let c: &Comparison = c;
        let o = c.outcome;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},\"{}\"",
            c.level,
            c.id,
            c.pair.from,
            c.pair.to,
            c.n_from,
            c.n_to,
            f(c.mean_from),
            f(c.mean_to),
            f(c.interval.map(|i| i.diff)),
            f(c.interval.map(|i| i.df)),
            f(c.interval.map(|i| i.low)),
            f(c.interval.map(|i| i.high)),
            f(o.map(|o| o.statistic)),
            f(o.and_then(|o| o.df)),
            f(o.map(|o| o.p)),
            f(o.map(|o| o.q)),
            f(o.and_then(|o| o.effect)),
            f(c.p_welch),
            f(c.p_mann_whitney),
            c.direction.word(),
            c.note
        );
    }
    std::fs::write(dir.join("comparison.csv"), out)?;

    let mut out = String::from("attribute,wave,group,id,respondents,n,mean,sd,ci_low,ci_high\n");
    for (attribute, groups) in &analysis.groups {
        for g in groups {
            let g: &GroupScore = g;
            let _ = writeln!(
                out,
                "{attribute},{},\"{}\",{},{},{},{},{},{},{}",
                g.wave,
                g.group,
                g.id,
                g.respondents,
                g.n,
                f(g.mean),
                f(g.sd),
                f(g.ci.map(|c| c.0)),
                f(g.ci.map(|c| c.1)),
            );
        }
    }
    out.push_str(
        "\nattribute,wave,group,id,n_group,n_rest,mean_group,mean_rest,t,df,p,q,g,low,high,direction\n",
    );
    for c in &analysis.group_tests {
        let o = c.outcome;
        let _ = writeln!(
            out,
            "{},{},\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},{}",
            c.attribute,
            c.wave,
            c.group,
            c.id,
            c.n_group,
            c.n_rest,
            f(c.mean_group),
            f(c.mean_rest),
            f(o.map(|o| o.statistic)),
            f(o.and_then(|o| o.df)),
            f(o.map(|o| o.p)),
            f(o.map(|o| o.q)),
            f(o.and_then(|o| o.effect)),
            f(c.interval.map(|i| i.low)),
            f(c.interval.map(|i| i.high)),
            c.direction.word()
        );
    }
    std::fs::write(dir.join("groups.csv"), out)?;

    let mut out = String::from("wave,level,id,items,n_complete,alpha,if_deleted\n");
    for r in &analysis.reliability {
        let r: &Reliability = r;
        let deleted: Vec<String> = r.if_deleted.iter().map(|v| f(*v)).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            r.wave,
            r.level,
            r.id,
            r.items.join(" "),
            r.n_complete,
            f(r.alpha),
            deleted.join(" ")
        );
    }
    std::fs::write(dir.join("reliability.csv"), out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config_path = root.join("sample_surveys/backbone.toml");
    let (mut runs, mut dump_dir, mut out_dir) = (5usize, None::<PathBuf>, None::<PathBuf>);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().ok_or("--runs needs a number")?.parse()?,
            "--dump" => dump_dir = Some(args.next().ok_or("--dump needs a folder")?.into()),
            "--out" => out_dir = Some(args.next().ok_or("--out needs a folder")?.into()),
            _ => config_path = arg.into(),
        }
    }
    let runs = runs.max(1);
    let config = Config::load(&config_path)?;
    let scratch = tempfile::tempdir()?;
    let out = out_dir.unwrap_or_else(|| scratch.path().to_path_buf());
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
    let (mut rows, mut answers) = (0, 0);
    for run in 0..runs {
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
        rows = waves.iter().map(|w| w.account.rows_read).sum();
        answers = waves
            .iter()
            .map(|w| w.account.rows_read * w.items_asked.len())
            .sum();
        drop(exports);
        lap(1, &mut times);
        let scores = score(&instrument, &waves, &config.rules)?;
        lap(2, &mut times);
        let names: Vec<&str> = instrument
            .attributes
            .iter()
            .filter(|a| a.about.is_none())
            .map(|a| a.id.as_str())
            .collect();
        let groups: Vec<(String, Vec<GroupScore>)> = names
            .iter()
            .map(|n| n.to_string())
            .zip(group_scores_by(&instrument, &waves, &config.rules, &names)?)
            .collect();
        lap(3, &mut times);
        let reliability = reliability(&instrument, &waves);
        lap(4, &mut times);
        let comparisons = compare(&scores, config.rules.confidence, &config.compare);
        let (group_tests, group_changes) =
            test_groups(&instrument, &waves, &scores, &groups, (&config, None));
        let tallies = tally(&instrument, &waves);
        let key_drivers = backbone::drivers::key_drivers(&instrument, &scores, driver_rules(&config));
        let codebooks = backbone::comments::codebook::load_all(&instrument)?;
        let breakdowns: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let comments = backbone::comments::themes::theme_rows(&instrument, &codebooks, &waves, &breakdowns);
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
            group_changes,
            tallies,
            key_drivers,
            weights: None,
            comments,
            quotes: Vec::new(),
        };
        analysis.write(&out)?;
        lap(6, &mut times);
        if run == 0 {
            if let Some(dir) = &dump_dir {
                dump(dir, &analysis)?;
            }
        }
    }
    println!(
        "{rows} rows, {answers} answer cells in {} waves, median of {runs} run(s):",
        config.waves.len()
    );
    let mut total = Duration::ZERO;
    for (stage, samples) in stages.iter().zip(&mut times) {
        samples.sort();
        let median = samples[runs / 2];
        total += median;
        println!("  {stage:<12} {:>9.1} ms", median.as_secs_f64() * 1e3);
    }
    println!("  {:<12} {:>9.1} ms", "total", total.as_secs_f64() * 1e3);
    Ok(())
}
