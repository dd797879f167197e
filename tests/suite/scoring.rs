//! Scores of the mini fixture (tests/fixtures/mini) against values computed independently by
//! tests/reference/mini_reference.py (plain Python + scipy), which documents the hand rules.

use std::path::{Path, PathBuf};

use backbone::config::{Config, Wave};
use backbone::map::SkipReason;
use backbone::pipeline::{analyse, Analysis};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mini")
        .join(name)
}

fn mini() -> Analysis {
    let config = Config::with_waves(
        Some(fixture("mini.instrument.toml")),
        vec![
            Wave::labelled("2023", fixture("wave-2023.csv")),
            Wave::labelled("2024", fixture("wave-2024.csv")),
        ],
    );
    analyse(&config).expect("the mini fixture is valid")
}

fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: not computed"));
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: {actual} != {expected}"
    );
}

/// (wave, id, n, mean, sd, ci_low, ci_high, pct_favorable, n_na) from the reference script.
type Expected = (&'static str, &'static str, usize, f64, f64, f64, f64, f64, usize);
const EXPECTED: [Expected; 12] = [
    (
        "2023",
        "alpha",
        5,
        3.7666666666666666,
        1.077548658349641,
        2.4287132912811495,
        5.104620042052184,
        78.57142857142857,
        3,
    ),
    (
        "2023",
        "alpha.one",
        5,
        3.8,
        1.0954451150103321,
        2.439825238683489,
        5.160174761316511,
        77.77777777777777,
        2,
    ),
    (
        "2023",
        "alpha.two",
        5,
        4.2,
        0.8366600265340756,
        3.1611493663164323,
        5.238850633683568,
        80.0,
        1,
    ),
    (
        "2023",
        "beta",
        5,
        3.8,
        1.3038404810405297,
        2.1810682152912966,
        5.418931784708703,
        60.0,
        1,
    ),
    (
        "2023",
        "a2",
        4,
        3.75,
        1.2583057392117916,
        1.7477547746640747,
        5.752245225335925,
        75.0,
        1,
    ),
    (
        "2023",
        "b1",
        5,
        3.8,
        1.3038404810405297,
        2.1810682152912966,
        5.418931784708703,
        60.0,
        1,
    ),
    (
        "2024",
        "alpha",
        4,
        4.25,
        0.7391185942027817,
        3.073897380356435,
        5.426102619643565,
        83.33333333333333,
        0,
    ),
    (
        "2024",
        "alpha.one",
        4,
        4.125,
        0.8539125638299665,
        2.7662345581019925,
        5.483765441898008,
        75.0,
        0,
    ),
    (
        "2024",
        "alpha.two",
        4,
        4.5,
        0.5773502691896257,
        3.5813068844814606,
        5.418693115518539,
        100.0,
        0,
    ),
    (
        "2024",
        "beta",
        4,
        3.75,
        1.2583057392117916,
        1.7477547746640747,
        5.752245225335925,
        75.0,
        0,
    ),
    (
        "2024",
        "a1",
        4,
        4.25,
        0.9574271077563381,
        2.7265198191711875,
        5.7734801808288125,
        75.0,
        0,
    ),
    (
        "2024",
        "a2",
        4,
        4.0,
        0.816496580927726,
        2.700771736374889,
        5.2992282636251105,
        75.0,
        0,
    ),
];

#[test]
fn scores_match_the_independent_reference() {
    let analysis = mini();
    for (wave, id, n, mean, sd, lo, hi, fav, n_na) in EXPECTED {
        let row = analysis
            .scores
            .row(wave, id)
            .unwrap_or_else(|| panic!("no row {wave} {id}"));
        let what = format!("{wave} {id}");
        assert_eq!(row.n, n, "{what} n");
        assert_eq!(row.n_na, n_na, "{what} n_na");
        assert_close(row.mean, mean, &format!("{what} mean"));
        assert_close(row.sd, sd, &format!("{what} sd"));
        assert_close(row.ci.map(|c| c.0), lo, &format!("{what} ci_low"));
        assert_close(row.ci.map(|c| c.1), hi, &format!("{what} ci_high"));
        assert_close(row.pct_favorable, fav, &format!("{what} pct_favorable"));
    }
}

#[test]
fn levels_come_from_the_framework_file() {
    let analysis = mini();
    let level = |id: &str| analysis.scores.row("2023", id).unwrap().level.clone();
    assert_eq!(level("alpha"), "domain");
    assert_eq!(level("alpha.one"), "indicator");
    assert_eq!(level("a1"), "item");
}

#[test]
fn reverse_items_are_mirrored_and_na_never_scored() {
    let analysis = mini();
    // a2 answers in 2023: Disagree, Strongly disagree, Agree, blank, N/A, disagree
    // -> mirrored 4, 5, 2, 4 (blank and N/A not scored).
    let a2 = analysis.scores.row("2023", "a2").unwrap();
    let counts: Vec<(i64, usize)> = a2.counts.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(counts, [(2, 1), (4, 2), (5, 1)]);
    assert_eq!(a2.n_na, 1);
    assert_eq!(a2.n, 4);
}

#[test]
fn roll_up_keeps_respondents_who_answered_at_least_half() {
    // Respondent-level scores are kept for waves with panel keys (the paired tests need them).
    let config = Config {
        panel_key: Some("Email".into()),
        ..Config::with_waves(
            Some(fixture("mini.instrument.toml")),
            vec![
                Wave::labelled("2023", fixture("wave-2023.csv")),
                Wave::labelled("2024", fixture("panel-2024.csv")),
            ],
        )
    };
    let analysis = analyse(&config).unwrap();
    // Respondent r5 answered only a3 of alpha's three items (a1, a2 were N/A): 1 of 3 < half,
    // so alpha has 5 respondent scores in 2023, not 6, while alpha.two (a3 only) keeps r5
    // but loses r3 (N/A).
    let alpha = analysis
        .scores
        .samples
        .get(&("2023".into(), "alpha".into()))
        .unwrap();
    let expected = [13.0 / 3.0, 14.0 / 3.0, 2.0, 3.5, 13.0 / 3.0];
    assert_eq!(alpha.len(), expected.len());
    for (a, e) in alpha.iter().zip(expected) {
        assert!((a - e).abs() < 1e-12, "{alpha:?}");
    }
    // The summary the comparisons use holds the same scores, counted by value.
    let summary = mini().scores.summary("2023", "alpha").cloned().unwrap();
    assert_eq!(summary, backbone::stats::Summary::of(alpha));
}

#[test]
fn rows_are_accounted_for() {
    let analysis = mini();
    let a = &analysis.accounts[0];
    assert_eq!((a.rows_read, a.rows_used, a.rows_skipped()), (8, 6, 2));
    assert_eq!(a.skipped.get(&SkipReason::Empty), Some(&1));
    assert_eq!(a.skipped.get(&SkipReason::TooFewAnswers), Some(&1));
    assert_eq!(a.unknown_answers, 1);
    let (at, text) = &a.unknown_examples[0];
    assert_eq!(text, "Somewhat agree");
    assert_eq!(at.row, Some(8));
    assert_eq!(at.column.as_deref(), Some("Partners share one agenda."));
    // The email column is dropped at ingest as identifying; nothing else is left unread.
    assert_eq!(a.dropped_columns, ["Email"]);
    assert!(a.unmapped_columns.is_empty());
    let b = &analysis.accounts[1];
    assert_eq!((b.rows_read, b.rows_used, b.rows_skipped()), (4, 4, 0));
}

#[test]
fn comparisons_match_welch_reference() {
    let analysis = mini();
    let expected = [
        (
            "alpha",
            0.4833333333333334,
            6.904348258777198,
            -0.9567126539121005,
            1.9233793205787673,
        ),
        (
            "alpha.one",
            0.3250000000000002,
            6.999725148825665,
            -1.2116390021316112,
            1.8616390021316116,
        ),
        (
            "beta",
            -0.04999999999999982,
            6.674029097819234,
            -2.098649057573546,
            1.9986490575735463,
        ),
    ];
    for (id, diff, df, lo, hi) in expected {
        let c = analysis.comparisons.iter().find(|c| c.id == id).unwrap();
        assert_eq!((c.pair.from.as_str(), c.pair.to.as_str()), ("2023", "2024"));
        let i = c.interval.unwrap();
        assert_close(c.diff, diff, id);
        assert_close(Some(i.df), df, id);
        assert_close(Some(i.low), lo, id);
        assert_close(Some(i.high), hi, id);
    }
}

#[test]
fn one_file_with_a_wave_column_scores_as_one_file_per_wave() {
    let dir = tempfile::tempdir().unwrap();
    let mut combined = String::new();
    for (i, (year, name)) in [("2023", "wave-2023.csv"), ("2024", "wave-2024.csv")]
        .into_iter()
        .enumerate()
    {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        for (l, line) in text.lines().enumerate() {
            match (i, l) {
                (0, 0) => combined.push_str(&format!("Year,{line}\n")),
                (_, 0) => {}
                _ => combined.push_str(&format!("{year},{line}\n")),
            }
        }
    }
    let path = dir.path().join("both.csv");
    std::fs::write(&path, combined).unwrap();
    let config = Config {
        wave_column: Some("Year".into()),
        ..Config::with_waves(Some(fixture("mini.instrument.toml")), vec![Wave::new(path)])
    };
    let split = analyse(&config).unwrap();
    let separate = mini();
    assert_eq!(split.scores.waves, ["2023", "2024"]);
    assert_eq!(split.scores.rows, separate.scores.rows);
    let read: Vec<usize> = split.accounts.iter().map(|a| a.rows_read).collect();
    assert_eq!(read, [8, 4]);
}

#[test]
fn group_scores_follow_the_same_roll_up() {
    let analysis = mini();
    let (attribute, groups) = &analysis.groups[0];
    assert_eq!(attribute, "role");
    let alpha = |group: &str| {
        groups
            .iter()
            .find(|g| g.wave == "2023" && g.group == group && g.id == "alpha")
            .unwrap_or_else(|| panic!("no alpha score for {group}"))
    };
    // By hand from wave-2023.csv: funders r1 (4, 4, 5 -> 13/3) and r3 (2, 2 -> 2; a3 N/A);
    // r5 answered 1 of 3 alpha items and r7 was skipped. Community partners r2 (14/3), r8 (13/3).
    let funder = alpha("Funder");
    assert_eq!((funder.respondents, funder.n), (3, 2));
    assert!((funder.mean.unwrap() - (13.0 / 3.0 + 2.0) / 2.0).abs() < 1e-12);
    let partner = alpha("Community partner");
    assert_eq!((partner.respondents, partner.n), (2, 2));
    assert!((partner.mean.unwrap() - 4.5).abs() < 1e-12);
    assert_eq!(alpha("Not stated").n, 1);
}

#[test]
fn small_waves_get_no_test_and_no_direction_word() {
    let analysis = mini();
    // 2024 has 4 respondents, and item a2 only 4 scores in 2023: under the default minimum
    // of 5, nothing is tested, and the note names the wave that is short.
    for c in &analysis.comparisons {
        assert_eq!(c.direction, backbone::compare::Direction::NotTested, "{}", c.id);
        assert!(c.outcome.is_none() && c.p_welch.is_none());
        let short = if c.id == "a2" {
            "4 valid score(s) in 2023"
        } else {
            "4 valid score(s) in 2024"
        };
        assert!(
            c.note.contains(short) && c.note.contains("fewer than 5"),
            "{}: {}",
            c.id,
            c.note
        );
    }
}

#[test]
fn reliability_matches_the_reference() {
    let analysis = mini();
    // tests/reference/mini_reference.py: complete cases r1, r2, r8 over (a1, a2 mirrored, a3).
    let alpha = analysis
        .reliability
        .iter()
        .find(|r| r.wave == "2023" && r.id == "alpha")
        .unwrap();
    assert_eq!(alpha.items, ["a1", "a2", "a3"]);
    assert_eq!(alpha.n_complete, 3);
    assert!((alpha.alpha.unwrap() - -3.0).abs() < 1e-9, "{:?}", alpha.alpha);
    assert!(alpha.flagged(0.7));
    assert_eq!(
        alpha.if_deleted[..2],
        [None, None],
        "the two remaining items' totals do not vary"
    );
    assert!((alpha.if_deleted[2].unwrap() - 1.0).abs() < 1e-9);
    // beta has one item: no alpha.
    assert!(!analysis.reliability.iter().any(|r| r.id == "beta"));
}

#[test]
fn panel_links_respondents_by_hashed_key_and_matches_scipy() {
    let config = Config {
        panel_key: Some("Email".into()),
        ..Config::with_waves(
            Some(fixture("mini.instrument.toml")),
            vec![
                Wave::labelled("2023", fixture("wave-2023.csv")),
                Wave::labelled("2024", fixture("panel-2024.csv")),
            ],
        )
    };
    let analysis = analyse(&config).unwrap();
    // (id, n, mean_diff, d_z, t, p_t, W, p_W) from tests/reference/mini_reference.py.
    let expected = [
        (
            "alpha",
            5,
            0.7,
            0.8205378984227916,
            1.8347785189881793,
            0.1404465506872719,
            1.5,
            0.1875,
        ),
        (
            "beta",
            5,
            0.6,
            1.0954451150103324,
            2.449489742783178,
            0.07048399691021992,
            0.0,
            0.25,
        ),
        (
            "a1",
            5,
            0.8,
            0.7302967433402215,
            1.632993161855452,
            0.17780780835622137,
            2.5,
            0.3125,
        ),
    ];
    for (id, n, diff, dz, t, p_t, w, p_w) in expected {
        let c = analysis.panel.iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.n_pairs, n, "{id}");
        assert_close(c.mean_diff, diff, id);
        assert_close(c.effect, dz, id);
        let (tt, df, pt) = c.paired_t.unwrap();
        assert_close(Some(tt), t, id);
        assert_eq!(df, 4.0);
        assert_close(Some(pt), p_t, id);
        let (ww, pw) = c.wilcoxon.unwrap();
        assert_close(Some(ww), w, id);
        assert_close(Some(pw), p_w, id);
    }
    // The whole-wave comparison uses the links too: the partially overlapping samples t-test,
    // (t, df, p, diff, low, high) from tests/reference/mini_reference.py.
    let overlap = [
        (
            "alpha",
            [
                0.7113212366858085,
                4.692189197061711,
                0.5106665955620254,
                0.28095238095238084,
                -0.7547210651954912,
                1.3166258271002529,
            ],
        ),
        (
            "beta",
            [
                0.5662858294997207,
                4.6753945990060854,
                0.5972927226669352,
                0.20000000000000018,
                -0.7271646129187814,
                1.1271646129187818,
            ],
        ),
    ];
    for (id, [t, df, p, diff, low, high]) in overlap {
        let c = analysis.comparisons.iter().find(|c| c.id == id).unwrap();
        let o = c.outcome.unwrap();
        assert_eq!(o.test, backbone::compare::Test::PartiallyOverlapping, "{id}");
        assert_eq!(c.n_linked, 5, "{id}");
        assert_close(Some(o.statistic), t, id);
        assert_close(o.df, df, id);
        assert_close(Some(o.p), p, id);
        let i = c.interval.unwrap();
        assert_close(Some(i.diff), diff, id);
        assert_close(Some(i.low), low, id);
        assert_close(Some(i.high), high, id);
    }
    // Items stay single ordinal answers: Mann-Whitney, links or not.
    let item = analysis.comparisons.iter().find(|c| c.id == "a1").unwrap();
    assert_eq!(item.outcome.unwrap().test, backbone::compare::Test::MannWhitney);
    // The emails themselves are gone after ingest: only hashes link the waves.
    assert_eq!(analysis.accounts[1].dropped_columns, ["Email"]);
}
