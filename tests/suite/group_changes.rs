//! Groups over time (group_changes.csv): every group of every breakdown attribute, its change
//! between the compared waves with its means those of groups.csv, and the tests against scipy
//! (tests/reference/group_change_reference.py).

use std::collections::HashMap;
use std::path::Path;

use backbone::compare::{Direction, GroupChange, Test};
use backbone::config::Config;
use backbone::pipeline::analyse;

use crate::common;

const COLUMNS: [&str; 23] = [
    "attribute",
    "group",
    "level",
    "id",
    "label",
    "from_wave",
    "to_wave",
    "n_from",
    "n_to",
    "mean_from",
    "mean_to",
    "diff",
    "ci_low",
    "ci_high",
    "ci_low_fcr",
    "ci_high_fcr",
    "test",
    "statistic",
    "df",
    "p_value",
    "q_value",
    "effect_size",
    "direction",
];

/// A CSV's rows as column name → cell.
fn rows(out: &Path, name: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_path(out.join(name)).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn means_are_those_of_groups_csv_on_both_samples() {
    // One wave has no change to show: no file, as panel.csv and drivers.csv without rows.
    assert!(!common::leadership().out.join("group_changes.csv").exists());
    for (run, pairs) in [(common::sample(), 3)] {
        let (header, changes) = rows(&run.out, "group_changes.csv");
        assert_eq!(header, COLUMNS);
        let (_, groups) = rows(&run.out, "groups.csv");
        let group = |wave: &str, r: &HashMap<String, String>| {
            let g = groups.iter().find(|g| {
                g["wave"] == wave
                    && g["attribute"] == r["attribute"]
                    && g["group"] == r["group"]
                    && g["id"] == r["id"]
            });
            g.unwrap_or_else(|| panic!("{wave} {r:?} not in groups.csv"))
        };
        let (mut shown, mut hidden) = (0, 0);
        for r in &changes {
            let (from, to) = (group(&r["from_wave"], r), group(&r["to_wave"], r));
            assert_eq!((&r["n_from"], &r["n_to"]), (&from["n"], &to["n"]));
            if r["direction"] == "suppressed" {
                hidden += 1;
                assert!(
                    from["suppressed"] == "suppressed" || to["suppressed"] == "suppressed",
                    "{r:?}"
                );
                for blank in ["mean_from", "mean_to", "diff", "ci_low", "p_value", "q_value"] {
                    assert_eq!(r[blank], "", "{blank} of {r:?}");
                }
            } else {
                shown += 1;
                // The same numbers written the same way: equal as text.
                assert_eq!(
                    (&r["mean_from"], &r["mean_to"]),
                    (&from["mean"], &to["mean"]),
                    "{r:?}"
                );
            }
        }
        // Every group of every attribute in both waves of every pair, for each tested node.
        let ids: std::collections::BTreeSet<&String> = changes.iter().map(|r| &r["id"]).collect();
        let waves: std::collections::BTreeSet<&String> = groups.iter().map(|g| &g["wave"]).collect();
        let waves: Vec<&String> = waves.into_iter().collect();
        let mut expected = 0;
        for (a, b) in [(0, 1), (1, 2), (0, 2)].into_iter().take(pairs) {
            let in_wave = |w: &String| {
                groups
                    .iter()
                    .filter(|g| g["wave"] == *w && ids.contains(&g["id"]))
                    .map(|g| (g["attribute"].clone(), g["group"].clone(), g["id"].clone()))
                    .collect::<std::collections::BTreeSet<_>>()
            };
            expected += in_wave(waves[a]).intersection(&in_wave(waves[b])).count();
        }
        assert_eq!(changes.len(), expected);
        assert_eq!(changes.len(), shown + hidden);
        if pairs > 0 {
            assert!(shown > 300, "{shown} shown");
            same_in_workbook(&run.out, &changes);
        }
    }
}

/// The workbook's Group changes sheet: the CSV's columns and rows, numbers as numbers.
fn same_in_workbook(out: &Path, changes: &[HashMap<String, String>]) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    let sheet = book.worksheet_range("Group changes").unwrap();
    let mut lines = sheet.rows();
    let header: Vec<String> = lines.next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header, COLUMNS);
    let lines: Vec<_> = lines.collect();
    assert_eq!(lines.len(), changes.len());
    let at = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    for (line, r) in lines.iter().zip(changes) {
        assert_eq!(line[at("group")].to_string(), r["group"]);
        for name in ["mean_from", "q_value"] {
            match &line[at(name)] {
                Data::Float(x) => assert_eq!(*x, r[name].parse::<f64>().unwrap()),
                Data::Empty => assert_eq!(r[name], ""),
                other => panic!("{name}: {other:?}"),
            }
        }
    }
}

/// The sample with its waves treated as independent (no panel key), as the scipy reference
/// treats them.
fn independent_changes() -> Vec<GroupChange> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = Config::load(&root.join("sample_surveys/backbone.toml")).unwrap();
    config.panel_key = None;
    for wave in &mut config.waves {
        wave.panel_key = None;
    }
    analyse(&config).unwrap().group_changes
}

#[test]
fn welch_changes_match_scipy() {
    // tests/reference/group_change_reference.py: mean_from, mean_to, t, df, p, ci_low, ci_high,
    // Hedges' g, q over role × 2023 → 2025 × function (30 tests).
    let expected: [(&str, &str, [f64; 9]); 4] = [
        (
            "Community partner",
            "shared-measurement",
            [
                2.607516339869281,
                3.4278787878787877,
                5.947703098728112,
                103.24591839593005,
                3.747229490986048e-08,
                0.5468199820193744,
                1.0939049139996389,
                1.1408372256462551,
                1.1241688472958143e-06,
            ],
        ),
        (
            "Steering committee member",
            "advance-policy",
            [
                3.7941176470588234,
                2.7598039215686274,
                -3.765006853367762,
                28.32671454578408,
                0.0007753930156471887,
                -1.5967550015054859,
                -0.47187244947490514,
                -1.260881499246428,
                0.005815447617353915,
            ],
        ),
        (
            "Funder",
            "advance-policy",
            [
                3.509259259259259,
                2.6136363636363638,
                -2.5120332610941767,
                17.020067553220333,
                0.02237569371732149,
                -1.6477743359699244,
                -0.14347145527586636,
                -1.0845349851542125,
                0.07458564572440497,
            ],
        ),
        (
            "Backbone staff",
            "advance-policy",
            [
                3.375,
                3.1833333333333336,
                -0.577869106832247,
                19.425480104101897,
                0.5699911812182288,
                -0.8848496990372368,
                0.5015163657039039,
                -0.2301483472607994,
                0.7434667581107332,
            ],
        ),
    ];
    let changes = independent_changes();
    let family = changes
        .iter()
        .filter(|g| g.attribute == "role" && g.change.level == "function")
        .filter(|g| g.change.pair.from == "2023" && g.change.pair.to == "2025")
        .filter(|g| g.change.outcome.is_some())
        .count();
    assert_eq!(family, 30, "the family scipy adjusts over");
    for (group, id, want) in expected {
        let g = changes
            .iter()
            .find(|g| {
                g.attribute == "role"
                    && g.group == group
                    && g.change.id == id
                    && g.change.pair.from == "2023"
                    && g.change.pair.to == "2025"
            })
            .unwrap();
        let (c, o, i) = (&g.change, g.change.outcome.unwrap(), g.change.interval.unwrap());
        assert_eq!(o.test, Test::Welch);
        let got = [
            c.mean_from.unwrap(),
            c.mean_to.unwrap(),
            o.statistic,
            o.df.unwrap(),
            o.p,
            i.low,
            i.high,
            o.effect.unwrap(),
            o.q,
        ];
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-9 * w.abs().max(1.0),
                "{group} {id} value {k}: {g} vs {w}"
            );
        }
    }
    let verdict = |group: &str| {
        let g = changes.iter().find(|g| {
            g.group == group
                && g.change.id == "advance-policy"
                && g.change.pair.from == "2023"
                && g.change.pair.to == "2025"
        });
        g.unwrap().change.direction
    };
    // q 0.0058, g −1.26; q 0.075 (not below 0.05); q 0.74.
    assert_eq!(verdict("Steering committee member"), Direction::Declined);
    assert_eq!(verdict("Funder"), Direction::NoReliableChange);
    assert_eq!(verdict("Backbone staff"), Direction::NoReliableChange);
}

/// Text with every run of white space as one space.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn brief_and_report_name_the_groups_whose_change_is_reliable() {
    let run = common::sample();
    let page_one = std::process::Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(run.out.join("brief.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let page_one = squeezed(&String::from_utf8_lossy(&page_one.stdout));
    let html = squeezed(&std::fs::read_to_string(run.out.join("report.html")).unwrap());
    // group_changes.csv: declined, q = 0.0010 (3.7941 → 2.7598, partially overlapping t).
    let steering = "Steering committee member (role) since the first wave 3.79 → 2.76 (−1.03, large decline)";
    assert!(page_one.contains(steering), "{page_one}");
    let html_steering = "Steering committee member (role) since the first wave 3.79 → 2.76 (<span class=\"declined\">−1.03</span>, large decline)";
    assert!(html.contains(html_steering));
    // Declined, q = 0.040: in the full report (page one shows the three largest per topic).
    assert!(html.contains("Funder (role) since the first wave 3.51 → 2.61"));
    // Advance Policy among backbone staff: no reliable change (q = 0.64), never named.
    let staff = "Backbone staff (role) since the first wave 3.38 → 3.18";
    assert!(!html.contains(staff) && !page_one.contains(staff));
}

#[test]
fn groups_under_the_threshold_in_either_wave_are_not_tested_and_show_no_numbers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = Config::load(&root.join("sample_surveys/backbone.toml")).unwrap();
    // Funders are 9, 11 and 11 respondents, backbone staff 12, 9 and 10: under 12 in some wave.
    config.report.suppress_below = 12;
    let analysis = analyse(&config).unwrap();
    let report = analysis.report();
    let table = report.table("group_changes.csv").unwrap();
    let csv = backbone::render::tables::csv(table).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let role: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[at("attribute")] == "role" && &r[at("level")] == "function")
        .filter(|r| &r[at("from_wave")] == "2023" && &r[at("to_wave")] == "2025")
        .collect();
    for r in &role {
        let small = matches!(&r[at("group")], "Funder" | "Backbone staff");
        assert_eq!(&r[at("direction")] == "suppressed", small, "{r:?}");
        if small {
            for column in [
                "mean_from",
                "mean_to",
                "diff",
                "ci_low",
                "ci_high",
                "p_value",
                "q_value",
                "test",
            ] {
                assert_eq!(&r[at(column)], "", "{column} shown: {r:?}");
            }
            assert!(r[at("n_from")].parse::<usize>().unwrap() > 0, "counts kept");
        }
    }
    // The family holds the three groups left × six functions.
    assert_eq!(role.iter().filter(|r| !r[at("q_value")].is_empty()).count(), 18);
}

/// Scores of one function in two waves by hand, with each respondent's panel key and group.
struct Wave {
    values: Vec<f64>,
    keys: Vec<&'static str>,
    groups: Vec<&'static str>,
}

#[test]
fn a_groups_linked_respondents_are_those_in_the_group_in_both_waves() {
    use backbone::compare::{compare_group_changes, Breakdown, GroupMembers, PanelKeys};
    use backbone::score::{ScoreRow, Scores};
    let waves = [
        Wave {
            values: vec![2.0, 3.0, 3.5, 4.0, 2.5, 3.0, 4.5, 1.5],
            keys: vec!["k0", "k1", "k2", "k3", "k4", "y0", "y1", "y2"],
            groups: vec!["X", "X", "X", "X", "X", "Y", "Y", "Y"],
        },
        // k4 answers again, now in group Y: in X's change a respondent of 2023 only.
        Wave {
            values: vec![3.0, 3.5, 3.0, 5.0, 4.0, 4.5, 2.0, 3.5, 1.0],
            keys: vec!["k0", "k1", "k2", "k3", "n1", "n2", "k4", "y0", "y1"],
            groups: vec!["X", "X", "X", "X", "X", "X", "Y", "Y", "Y"],
        },
    ];
    let labels = ["2023".to_string(), "2024".to_string()];
    let mut scores = Scores {
        waves: labels.to_vec(),
        rows: Vec::new(),
        samples: HashMap::new(),
        respondents: HashMap::new(),
        summaries: HashMap::new(),
        scale_values: vec![1, 2, 3, 4, 5],
        lower_is_better: Default::default(),
    };
    let (mut panels, mut members) = (PanelKeys::new(), GroupMembers::new());
    for (label, w) in labels.iter().zip(&waves) {
        let key = (label.clone(), "f".to_string());
        scores.rows.push(ScoreRow {
            wave: label.clone(),
            level: "function".into(),
            id: "f".into(),
            label: "F".into(),
            n: w.values.len(),
            mean: backbone::stats::mean(&w.values),
            sd: None,
            ci: None,
            pct_favorable: None,
            counts: Default::default(),
            n_na: 0,
        });
        scores.samples.insert(key.clone(), w.values.clone());
        scores
            .respondents
            .insert(key.clone(), (0..w.values.len()).collect());
        scores
            .summaries
            .insert(key, backbone::stats::Summary::of(&w.values));
        panels.insert(
            label.clone(),
            w.keys.iter().map(|k| Some(k.to_string())).collect(),
        );
        members.insert(label.clone(), w.groups.iter().map(|g| g.to_string()).collect());
    }
    let breakdown = Breakdown {
        attribute: "team",
        members: &members,
        suppressed: &|_, _| false,
    };
    let rules = backbone::rules::CompareRules::default();
    let changes = compare_group_changes(&scores, &breakdown, Some(&panels), &["function"], 0.95, &rules);
    assert_eq!(changes.len(), 2, "X and Y, one pair");
    let x = &changes.iter().find(|g| g.group == "X").unwrap().change;
    // By hand: k0..k3 linked; k4 in X in 2023 only; n1, n2 new in 2024.
    let expected = backbone::stats::partially_overlapping_t(
        &[2.0, 3.0, 3.5, 4.0],
        &[3.0, 3.5, 3.0, 5.0],
        &[2.5],
        &[4.0, 4.5],
        0.95,
    )
    .unwrap();
    let o = x.outcome.unwrap();
    assert_eq!((x.n_from, x.n_to, x.n_linked), (5, 6, 4));
    assert_eq!(o.test, Test::PartiallyOverlapping);
    assert_eq!(
        (o.statistic, o.df.unwrap(), o.p),
        (expected.t, expected.df, expected.p)
    );
    assert_eq!(x.mean_from, Some(15.0 / 5.0));
    assert_eq!(x.mean_to, Some(23.0 / 6.0));
    // Y has 3 scores in each wave, fewer than min_n = 5.
    let y = &changes.iter().find(|g| g.group == "Y").unwrap().change;
    assert!(
        y.outcome.is_none() && y.note.starts_with("not tested"),
        "{}",
        y.note
    );
}
