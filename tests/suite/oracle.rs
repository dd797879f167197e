//! polars as the oracle of the scoring engine. The engine scores from small-integer columns
//! with integer sums (see src/score.rs); this file scores the same mapped answers a second,
//! independent way, as an analyst would with a data frame: one long table of answers joined to
//! the nodes each item counts towards, grouped by wave, node and respondent for the roll-up,
//! then by wave and node. Every score row of the three bundled samples (the FSG partner survey
//! on three platforms, the five-framework leadership survey, the Microsoft Forms pulse, and the
//! partner survey with a lower-is-better function on a best-first scale) must agree: n, N/A and
//! answer counts exactly, mean, SD and % favourable to 1e-12.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use backbone::config::Config;
use backbone::framework::Polarity;
use backbone::instrument::Instrument;
use backbone::map::{WaveResponses, FIRST_POINT, NOT_ANSWERED};
use backbone::pipeline::read_waves;
use backbone::score::{score, Scores};
use polars::prelude::*;

/// One row per answer given (on the scale or not applicable): wave, respondent, item, oriented
/// value (null for N/A), and whether it is favourable read either way up. Orientation is
/// derived here from the instrument's declared data alone (codes, `reverse`, `best_first`, the
/// favourable codes), not with the engine's helpers.
fn answers(instrument: &Instrument, waves: &[WaveResponses]) -> DataFrame {
    let (mut wave, mut respondent, mut item) = (Vec::new(), Vec::new(), Vec::new());
    let (mut value, mut high, mut low) = (Vec::new(), Vec::new(), Vec::new());
    for w in waves {
        for (k, column) in w.answers.iter().enumerate() {
            let it = &instrument.items[w.items_asked[k]];
            let scale = &instrument.scales[&it.scale];
            let codes: Vec<i64> = scale.points.iter().map(|p| p.value).collect();
            let (lo, hi) = (*codes.iter().min().unwrap(), *codes.iter().max().unwrap());
            let mirror = |c: i64| lo + hi - c;
            for (r, &code) in column.iter().enumerate() {
                if code == NOT_ANSWERED {
                    continue;
                }
                // The declared code, turned round when the statement is worded the other way.
                let declared = (code >= FIRST_POINT)
                    .then(|| codes[usize::from(code - FIRST_POINT)])
                    .map(|c| if it.reverse { mirror(c) } else { c });
                // Scores run low to high; a best-first scale's codes run the other way.
                let score = declared.map(|c| if scale.best_first { mirror(c) } else { c });
                wave.push(w.wave.as_str());
                respondent.push(r as u32);
                item.push(it.id.as_str());
                value.push(score.map(|v| v as f64));
                high.push(declared.map(|c| scale.favourable.contains(&c)));
                // Where lower is better, the mirror image of the favourable codes is favourable.
                low.push(declared.map(|c| scale.favourable.contains(&mirror(c))));
            }
        }
    }
    df!(
        "wave" => wave,
        "respondent" => respondent,
        "item" => item,
        "value" => value,
        "fav_high" => high,
        "fav_low" => low,
    )
    .unwrap()
}

/// Which nodes each asked item counts towards in each wave (the item itself and every node
/// above it), whether lower is better there, and how many items the node has in that wave.
fn membership(instrument: &Instrument, waves: &[WaveResponses]) -> LazyFrame {
    let fw = &instrument.framework;
    let (mut wave, mut item, mut node, mut lower) = (vec![], vec![], vec![], vec![]);
    for w in waves {
        for &i in &w.items_asked {
            let it = &instrument.items[i];
            // An item is read the way up of the indicator it measures.
            let item_lower = fw.polarity(&it.indicator) == Polarity::LowerIsBetter;
            let nodes = std::iter::once((it.id.as_str(), item_lower)).chain(
                instrument
                    .nodes_of(it)
                    .into_iter()
                    .map(|n| (n.id.as_str(), fw.polarity(&n.id) == Polarity::LowerIsBetter)),
            );
            for (n, l) in nodes {
                wave.push(w.wave.as_str());
                item.push(it.id.as_str());
                node.push(n);
                lower.push(l);
            }
        }
    }
    let frame = df!("wave" => wave, "item" => item, "node" => node, "lower" => lower).unwrap();
    let sizes = frame
        .clone()
        .lazy()
        .group_by([col("wave"), col("node")])
        .agg([len().alias("n_items")]);
    frame.lazy().join(
        sizes,
        [col("wave"), col("node")],
        [col("wave"), col("node")],
        JoinArgs::new(JoinType::Inner),
    )
}

/// What the oracle computes for one wave and node.
#[derive(Debug, Default)]
struct Expected {
    n: usize,
    mean: Option<f64>,
    sd: Option<f64>,
    pct_favorable: Option<f64>,
    n_na: usize,
    counts: BTreeMap<i64, usize>,
}

type Key = (String, String);

fn strings(frame: &DataFrame, name: &str) -> Vec<String> {
    let column = frame.column(name).unwrap().str().unwrap().clone();
    column.iter().map(|s| s.unwrap().to_string()).collect()
}

fn floats(frame: &DataFrame, name: &str) -> Vec<Option<f64>> {
    let column = frame.column(name).unwrap().cast(&DataType::Float64).unwrap();
    column.f64().unwrap().iter().collect()
}

fn counts(frame: &DataFrame, name: &str) -> Vec<usize> {
    let column = frame.column(name).unwrap().cast(&DataType::UInt64).unwrap();
    column
        .u64()
        .unwrap()
        .iter()
        .map(|c| c.unwrap() as usize)
        .collect()
}

fn oracle(instrument: &Instrument, waves: &[WaveResponses], min_answered: f64) -> HashMap<Key, Expected> {
    let joined = answers(instrument, waves)
        .lazy()
        .join(
            membership(instrument, waves),
            [col("wave"), col("item")],
            [col("wave"), col("item")],
            JoinArgs::new(JoinType::Inner),
        )
        .with_column(
            when(col("lower"))
                .then(col("fav_low"))
                .otherwise(col("fav_high"))
                .alias("favourable"),
        )
        .cache();

    // Roll-up: a respondent's score is the mean of the node's items they answered on the
    // scale, kept if they answered at least min_answered of the items asked (and one).
    let nodes = joined
        .clone()
        .group_by([col("wave"), col("node"), col("respondent")])
        .agg([
            col("value").mean().alias("score"),
            col("value").count().alias("answered"),
            col("n_items").first(),
        ])
        .filter(
            col("answered")
                .cast(DataType::Float64)
                .gt_eq(col("n_items").cast(DataType::Float64) * lit(min_answered))
                .and(col("answered").gt(lit(0))),
        )
        .group_by([col("wave"), col("node")])
        .agg([
            len().alias("n"),
            col("score").mean().alias("mean"),
            col("score").std(1).alias("sd"),
        ])
        .collect()
        .unwrap();
    let answered = joined
        .clone()
        .group_by([col("wave"), col("node")])
        .agg([
            col("favourable").cast(DataType::Float64).mean().alias("pct"),
            col("value").null_count().alias("n_na"),
        ])
        .collect()
        .unwrap();
    let tallies = joined
        .filter(col("value").is_not_null())
        .group_by([col("wave"), col("node"), col("value")])
        .agg([len().alias("count")])
        .collect()
        .unwrap();

    let mut expected: HashMap<Key, Expected> = HashMap::new();
    let keys =
        |f: &DataFrame| -> Vec<Key> { strings(f, "wave").into_iter().zip(strings(f, "node")).collect() };
    for (i, key) in keys(&answered).into_iter().enumerate() {
        let e = expected.entry(key).or_default();
        e.pct_favorable = floats(&answered, "pct")[i].map(|p| p * 100.0);
        e.n_na = counts(&answered, "n_na")[i];
    }
    let (n, mean, sd) = (counts(&nodes, "n"), floats(&nodes, "mean"), floats(&nodes, "sd"));
    for (i, key) in keys(&nodes).into_iter().enumerate() {
        let e = expected.entry(key).or_default();
        (e.n, e.mean, e.sd) = (n[i], mean[i], sd[i].filter(|_| n[i] > 1));
    }
    let (value, count) = (floats(&tallies, "value"), counts(&tallies, "count"));
    for (i, key) in keys(&tallies).into_iter().enumerate() {
        let v = value[i].unwrap() as i64;
        expected.entry(key).or_default().counts.insert(v, count[i]);
    }
    expected
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(1.0),
        (None, None) => true,
        _ => false,
    }
}

fn check(config: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    check_config(Config::load(&root.join(config)).unwrap());
}

/// Scores `config` both ways, requires them to agree, and returns the engine's scores.
fn check_config(config: Config) -> Scores {
    let instrument = match &config.instrument {
        Some(path) => Instrument::load(path).unwrap(),
        None => Instrument::bundled().unwrap(),
    };
    let waves = read_waves(&instrument, &config).unwrap();
    let scores = score(&instrument, &waves, &config.rules).unwrap();
    let expected = oracle(&instrument, &waves, config.rules.min_answered);
    assert_eq!(scores.rows.len(), expected.len(), "rows scored");
    for row in &scores.rows {
        let e = &expected[&(row.wave.clone(), row.id.clone())];
        let what = format!("{} {}", row.wave, row.id);
        assert_eq!(row.n, e.n, "n of {what}");
        assert!(
            close(row.mean, e.mean),
            "mean of {what}: {:?} vs {:?}",
            row.mean,
            e.mean
        );
        assert!(close(row.sd, e.sd), "sd of {what}: {:?} vs {:?}", row.sd, e.sd);
        assert!(
            close(row.pct_favorable, e.pct_favorable),
            "% favourable of {what}: {:?} vs {:?}",
            row.pct_favorable,
            e.pct_favorable
        );
        assert_eq!(row.n_na, e.n_na, "N/A of {what}");
        let given: BTreeMap<i64, usize> = row
            .counts
            .iter()
            .filter(|(_, &c)| c > 0)
            .map(|(&v, &c)| (v, c))
            .collect();
        assert_eq!(given, e.counts, "answer counts of {what}");
    }
    scores
}

#[test]
fn the_partner_survey_sample_scores_as_the_data_frame_says() {
    check("sample_surveys/backbone.toml");
}

#[test]
fn the_leadership_sample_scores_as_the_data_frame_says() {
    check("sample_surveys/leadership/backbone.toml");
}

#[test]
fn the_pulse_sample_scores_as_the_data_frame_says() {
    check("sample_surveys/pulse/backbone.toml");
}

#[test]
fn a_lower_is_better_function_on_a_best_first_scale_scores_as_the_data_frame_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let indicators = root.join("indicators");
    let framework = std::fs::read_to_string(indicators.join("fsg-backbone.framework.toml"))
        .unwrap()
        .replace(
            "id = \"advance-policy\"\n",
            "id = \"advance-policy\"\ndirection = \"lower_is_better\"\n",
        );
    let instrument = std::fs::read_to_string(indicators.join("fsg-partner-survey.instrument.toml"))
        .unwrap()
        .replace("[scales.agree5]\n", "[scales.agree5]\nbest_first = true\n");
    assert!(framework.contains("lower_is_better") && instrument.contains("best_first"));
    std::fs::write(dir.path().join("fsg-backbone.framework.toml"), framework).unwrap();
    std::fs::write(dir.path().join("survey.instrument.toml"), instrument).unwrap();
    let mut config = Config::load(&root.join("sample_surveys/backbone.toml")).unwrap();
    config.instrument = Some(dir.path().join("survey.instrument.toml"));
    let scores = check_config(config);
    assert!(scores.lower_is_better.contains("advance-policy"));
}
