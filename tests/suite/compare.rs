//! The rules that keep claims about changes honest, on scores built by hand: the primary test per
//! level, Benjamini-Hochberg within each family, verdicts only with q below alpha and an effect
//! of at least the configured size, no test below min_n, and "not computable" with its reason
//! (blank cells, never NaN). Also: the methods text follows the config, and alpha of a two-item
//! indicator on the mini fixture. One test per set of answers, and false-coverage-rate
//! intervals against scipy; over both bundled samples, single-item nodes agree with their item
//! and an adjusted interval excludes zero exactly when the verdict is a reliable difference.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use backbone::compare::{compare, compare_linked, Comparison, Direction, SameAnswers, Test};
use backbone::config::{Config, Wave};
use backbone::pipeline::analyse;
use backbone::rules::CompareRules;
use backbone::score::{ScoreRow, Scores};
use backbone::stats::{benjamini_hochberg, mean, Magnitude};

/// 1..=5 in a fixed order, `n` of them.
fn likert(n: usize, step: usize) -> Vec<f64> {
    (0..n).map(|i| ((i * step) % 5 + 1) as f64).collect()
}

fn shifted(xs: &[f64], by: f64) -> Vec<f64> {
    xs.iter().map(|x| x + by).collect()
}

/// Two waves of hand-made respondent scores: (level, id, 2023 scores, 2024 scores).
fn scores(nodes: &[(&str, &str, Vec<f64>, Vec<f64>)]) -> Scores {
    let waves = vec!["2023".to_string(), "2024".to_string()];
    let mut rows = Vec::new();
    let mut samples = HashMap::new();
    for (w, wave) in waves.iter().enumerate() {
        for (level, id, a, b) in nodes {
            let xs = if w == 0 { a } else { b };
            rows.push(ScoreRow {
                wave: wave.clone(),
                level: level.to_string(),
                id: id.to_string(),
                label: id.to_string(),
                n: xs.len(),
                mean: mean(xs),
                sd: None,
                ci: None,
                pct_favorable: None,
                counts: BTreeMap::new(),
                n_na: 0,
            });
            samples.insert((wave.clone(), id.to_string()), xs.clone());
        }
    }
    let summaries = samples
        .iter()
        .map(|(key, xs)| (key.clone(), backbone::stats::Summary::of(xs)))
        .collect();
    Scores {
        waves,
        rows,
        samples,
        respondents: HashMap::new(),
        summaries,
        scale_values: vec![1, 2, 3, 4, 5],
        lower_is_better: Default::default(),
    }
}

fn sample() -> Scores {
    let base = likert(30, 7);
    let large = likert(2000, 7);
    let item = likert(20, 3);
    scores(&[
        // g about 0.68: medium.
        ("function", "up", base.clone(), shifted(&base, 1.0)),
        ("function", "flat", base.clone(), base.clone()),
        // p far below 0.05 but g about 0.18: negligible.
        ("function", "tiny", large.clone(), shifted(&large, 0.25)),
        ("function", "constant", vec![3.0; 6], vec![4.0; 6]),
        ("function", "few", base.clone(), vec![4.0, 5.0, 3.0]),
        (
            "item",
            "i",
            item.clone(),
            item.iter().map(|x| (x + 1.0).min(5.0)).collect(),
        ),
        ("item", "unanswered", item, Vec::new()),
    ])
}

fn find<'a>(all: &'a [Comparison], id: &str) -> &'a Comparison {
    all.iter().find(|c| c.id == id).unwrap()
}

#[test]
fn primary_tests_bh_within_the_family_and_verdicts() {
    let all = compare(&sample(), 0.95, &CompareRules::default());
    assert_eq!(all.len(), 7, "one row per node and pair");

    let up = find(&all, "up");
    let o = up.outcome.unwrap();
    assert_eq!(o.test, Test::Welch);
    assert_eq!(o.magnitude, Some(Magnitude::Medium));
    assert_eq!(up.direction, Direction::Improved);
    assert_eq!(up.p_welch, Some(o.p));
    assert!(up.p_mann_whitney.is_some());

    let flat = find(&all, "flat");
    assert_eq!(flat.direction, Direction::NoReliableChange);
    assert!(flat.note.contains("is not below 0.05"), "{}", flat.note);

    let tiny = find(&all, "tiny");
    assert!(tiny.outcome.unwrap().q < 1e-6);
    assert_eq!(tiny.direction, Direction::TooSmall, "significant but negligible");
    assert_eq!(tiny.direction.word(), "reliable but too small");
    assert_eq!(tiny.note, "effect is negligible, below small");

    // The function family is the three tested functions; untested ones take no part.
    let family = ["up", "flat", "tiny"].map(|id| find(&all, id).outcome.unwrap());
    let q = benjamini_hochberg(&family.map(|o| o.p));
    for (o, q) in family.iter().zip(q) {
        assert_eq!(o.q, q);
    }

    let item = find(&all, "i");
    let o = item.outcome.unwrap();
    assert_eq!(o.test, Test::MannWhitney);
    assert_eq!(o.test.effect_measure(), "Cliff's delta");
    assert_eq!(o.q, o.p, "the item family has one tested member");
    assert!(o.effect.unwrap() > 0.0 && item.p_welch.is_some());
}

#[test]
fn a_rise_on_a_lower_is_better_node_is_a_decline() {
    let mut scores = sample();
    scores.lower_is_better.insert("up".to_string());
    let all = compare(&scores, 0.95, &CompareRules::default());
    let up = find(&all, "up");
    assert!(up.diff.unwrap() > 0.0 && up.lower_is_better);
    assert_eq!(up.direction, Direction::Declined);
    // Only the verdict turns: the test and its numbers are the same.
    let plain = compare(&sample(), 0.95, &CompareRules::default());
    assert_eq!(up.outcome, find(&plain, "up").outcome);
}

#[test]
fn small_and_degenerate_comparisons_are_explained_never_nan() {
    let all = compare(&sample(), 0.95, &CompareRules::default());

    let constant = find(&all, "constant");
    assert_eq!(constant.direction, Direction::NotTested);
    assert!(constant.outcome.is_none() && constant.interval.is_none());
    assert_eq!(
        constant.note,
        "not computable: the scores do not vary in either wave"
    );
    assert!(constant.p_mann_whitney.is_some(), "ranks still differ");

    let few = find(&all, "few");
    assert_eq!(few.direction, Direction::NotTested);
    assert_eq!(few.note, "not tested: 3 valid score(s) in 2024, fewer than 5");
    assert!(few.p_welch.is_none() && few.p_mann_whitney.is_none());

    let unanswered = find(&all, "unanswered");
    assert_eq!(unanswered.direction, Direction::NotTested);
    assert!(unanswered.note.contains("0 valid score(s) in 2024"));

    let table = backbone::report::tables::comparison(&all, &[], &Default::default(), None);
    let csv = String::from_utf8(backbone::render::tables::csv(&table).unwrap()).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        // "NaN" and "inf" parse as floats too.
        for cell in &record {
            assert!(cell.parse::<f64>().map_or(true, f64::is_finite), "{cell}");
        }
        if &record[column("id")] != "constant" {
            continue;
        }
        for blank in [
            "ci_low",
            "ci_high",
            "test",
            "statistic",
            "df",
            "p_value",
            "q_value",
            "effect_size",
            "effect_measure",
            "magnitude",
            "p_welch",
        ] {
            assert_eq!(&record[column(blank)], "", "{blank}");
        }
        assert_eq!(&record[column("direction")], "not tested");
        assert!(!record[column("p_mann_whitney")].is_empty());
    }
}

#[test]
fn thresholds_come_from_the_rules() {
    let strict = CompareRules {
        min_effect: Magnitude::Large,
        ..CompareRules::default()
    };
    let all = compare(&sample(), 0.95, &strict);
    let up = find(&all, "up");
    assert_eq!(
        up.direction,
        Direction::TooSmall,
        "reliable, below the configured size"
    );
    assert_eq!(up.note, "effect is medium, below large");

    let lenient = CompareRules {
        min_n: 3,
        min_effect: Magnitude::Negligible,
        ..CompareRules::default()
    };
    let all = compare(&sample(), 0.95, &lenient);
    assert_eq!(find(&all, "tiny").direction, Direction::Improved);
    assert!(find(&all, "few").outcome.is_some());
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mini")
        .join(name)
}

#[test]
fn methods_state_what_ran_and_two_item_indicators_get_alpha() {
    let config = Config {
        compare: CompareRules {
            min_n: 3,
            alpha: 0.1,
            min_effect: Magnitude::Medium,
        },
        ..Config::with_waves(
            Some(fixture("mini.instrument.toml")),
            vec![
                Wave::labelled("2023", fixture("wave-2023.csv")),
                Wave::labelled("2024", fixture("wave-2024.csv")),
            ],
        )
    };
    let a = analyse(&config).unwrap();
    let methods = a.report().methods.join("\n");
    let md = &methods;
    for said in [
        "Welch's t-test",
        "Hedges' g",
        "Mann-Whitney U",
        "Cliff's delta",
        "Benjamini-Hochberg",
        "q < 0.1 and the effect is at least medium",
        "fewer than 3 valid scores",
        "statrs 0.19.1",
        "Cronbach's alpha",
    ] {
        assert!(methods.contains(said), "{said}: {methods}");
    }
    assert!(!md.contains("NaN"));

    // alpha.one is a1 and a2 (mirrored); the complete cases r1, r2, r3, r8 give a2' = a1, so
    // alpha = 2 · (1 − 2v / 4v) = 1, and without either item one item is left.
    let one = a
        .reliability
        .iter()
        .find(|r| r.wave == "2023" && r.id == "alpha.one")
        .unwrap();
    assert_eq!(one.level, "indicator");
    assert_eq!(one.n_complete, 4);
    assert!((one.alpha.unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(one.if_deleted, [None, None]);
    assert_eq!(one.not_computable(1), "not computable: one item left");
}

#[test]
fn false_coverage_rate_intervals_match_scipy() {
    let all = compare(&sample(), 0.95, &CompareRules::default());
    // (id, q, low, high) printed by tests/reference/fcr_reference.py: 2 of the 3 functions are
    // selected, so the level is 1 − 2 · 0.05 / 3.
    let level = 0.9666666666666667;
    for (id, q, low, high) in [
        (
            "up",
            0.013879283668615466,
            0.19038666457543474,
            1.8096133354245652,
        ),
        ("flat", 1.0, -0.8096133354245653, 0.8096133354245653),
        (
            "tiny",
            7.31772018485187e-08,
            0.15477420267972322,
            0.3452257973202768,
        ),
    ] {
        let c = find(&all, id);
        let f = c.fcr.unwrap();
        // statrs and scipy differ in the far tail of t by about 1e-9 (relative).
        assert!((c.outcome.unwrap().q - q).abs() < 1e-6 * q, "{id} q");
        assert!((f.level - level).abs() < 1e-15, "{id} level");
        assert!(
            (f.low - low).abs() < 1e-9 && (f.high - high).abs() < 1e-9,
            "{id}: {f:?}"
        );
        // Wider than the unadjusted 95% interval, about the same difference.
        let i = c.interval.unwrap();
        assert!(f.low < i.low && i.high < f.high);
    }
    // Reliable, though too small to count: its adjusted interval excludes zero, as its verdict says.
    assert!(find(&all, "tiny").fcr.unwrap().excludes_zero());
    // A Mann-Whitney test gives no interval of the mean difference to adjust.
    assert!(find(&all, "i").fcr.is_none() && find(&all, "i").interval.is_some());
}

#[test]
fn a_node_measured_by_one_item_is_tested_once() {
    let base = likert(30, 7);
    let up = shifted(&base, 0.4);
    let other = likert(30, 3);
    let scores = scores(&[
        ("indicator", "solo", base.clone(), up.clone()),
        ("indicator", "pair", other.clone(), shifted(&other, 0.3)),
        ("item", "solo-item", base.clone(), up.clone()),
        ("item", "pair-item", other.clone(), shifted(&other, 0.6)),
    ]);
    let same = SameAnswers(vec![vec!["solo".into(), "solo-item".into()]]);
    let rules = CompareRules::default();
    let all = compare_linked(&scores, None, &same, 0.95, &rules);
    let (solo, item) = (find(&all, "solo"), find(&all, "solo-item"));
    assert_eq!(solo.outcome.unwrap().test, Test::Welch);
    assert_eq!(item.outcome, solo.outcome, "the item carries the node's test");
    assert_eq!((item.direction, item.fcr), (solo.direction, solo.fcr));
    assert_eq!(item.tested_with.as_deref(), Some("solo"));
    assert!(
        item.note.contains("tested once with indicator solo"),
        "{}",
        item.note
    );
    // The item family is the other item alone; the indicator family keeps both indicators.
    let pair_item = find(&all, "pair-item").outcome.unwrap();
    assert_eq!((pair_item.test, pair_item.q), (Test::MannWhitney, pair_item.p));
    let indicators = [solo, find(&all, "pair")].map(|c| c.outcome.unwrap().p);
    assert_eq!(solo.outcome.unwrap().q, benjamini_hochberg(&indicators)[0]);
    // Tested apart, the same answers got two tests in two families.
    let apart = compare(&scores, 0.95, &rules);
    assert_eq!(find(&apart, "solo-item").outcome.unwrap().test, Test::MannWhitney);
}

/// One run's CSV as rows of named cells.
fn rows(out: &std::path::Path, name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(out.join(name)).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Whether a row's adjusted interval (named `low`, `high`) lies wholly on one side of zero;
/// `None` when it has none.
fn excludes_zero(row: &HashMap<String, String>, low: &str, high: &str) -> Option<bool> {
    let bound = |name: &str| row[name].parse::<f64>().ok();
    Some(bound(low)? > 0.0 || bound(high)? < 0.0)
}

#[test]
fn both_samples_give_one_verdict_per_set_of_answers_and_intervals_that_agree() {
    let config =
        Config::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_surveys/backbone.toml"))
            .unwrap();
    let instrument = backbone::instrument::Instrument::load(config.instrument.as_ref().unwrap()).unwrap();
    let mut single = 0;
    for run in [crate::common::sample(), crate::common::leadership()] {
        let comparisons = rows(&run.out, "comparison.csv");
        let verdict = |id: &str, from: &str, to: &str| {
            comparisons
                .iter()
                .find(|r| r["id"] == id && r["from_wave"] == from && r["to_wave"] == to)
                .map(|r| {
                    (
                        r["direction"].clone(),
                        r["q_value"].clone(),
                        r["ci_low_fcr"].clone(),
                    )
                })
        };
        for r in &comparisons {
            if r["level"] == "item" {
                continue;
            }
            let items = instrument.items_under(&r["id"]);
            if let [item] = items.as_slice() {
                single += 1;
                let node = verdict(&r["id"], &r["from_wave"], &r["to_wave"]);
                assert_eq!(
                    node,
                    verdict(&item.id, &r["from_wave"], &r["to_wave"]),
                    "{}",
                    r["id"]
                );
            }
            // Every t-tested row has an adjusted interval, and it agrees with the verdict.
            let reliable = matches!(
                r["direction"].as_str(),
                "improved" | "declined" | "reliable but too small"
            );
            let excludes = excludes_zero(r, "ci_low_fcr", "ci_high_fcr");
            if r["test"].ends_with(" t") {
                assert_eq!(excludes, Some(reliable), "{r:?}");
            }
        }
        // The linked respondents' changes too: one verdict and q per set of answers.
        let panel = if run.out.join("panel.csv").exists() {
            rows(&run.out, "panel.csv")
        } else {
            Vec::new()
        };
        let paired = |id: &str, from: &str, to: &str| {
            panel
                .iter()
                .find(|r| r["id"] == id && r["from_wave"] == from && r["to_wave"] == to)
                .map(|r| (r["direction"].clone(), r["q_value"].clone()))
        };
        for r in panel.iter().filter(|r| r["level"] != "item") {
            if let [item] = instrument.items_under(&r["id"]).as_slice() {
                let (from, to) = (&r["from_wave"], &r["to_wave"]);
                assert_eq!(
                    paired(&r["id"], from, to),
                    paired(&item.id, from, to),
                    "panel {}",
                    r["id"]
                );
            }
        }
        for r in rows(&run.out, "groups.csv") {
            let reliable = matches!(
                r["direction"].as_str(),
                "better" | "worse" | "reliable but too small a difference"
            );
            if !r["q_value"].is_empty() {
                let excludes = excludes_zero(&r, "ci_low_vs_rest_fcr", "ci_high_vs_rest_fcr");
                assert_eq!(excludes, Some(reliable), "{r:?}");
            }
        }
    }
    // The methods say what ran: the sample links respondents, and folds single-item nodes.
    let md = std::fs::read_to_string(crate::common::sample().out.join("report.md")).unwrap();
    for said in [
        "independent samples except where respondents are linked across them",
        "One test per set of answers",
        "false-coverage-rate intervals (Benjamini & Yekutieli 2005)",
    ] {
        assert!(md.contains(said), "{said}");
    }
    // The sample's 33 single-item indicators and one outcome over one of them, in each of its
    // three pairs of waves (the leadership sample has one wave). The groups' rows include the
    // leadership sample's self-rating gaps, whose printed interval is this adjusted one.
    assert_eq!(single, 34 * 3);
}
