//! Survey weights (issue 24) on a fixture whose respondents over-represent staff against the
//! roster (tests/fixtures/weights/): the raking weights, weighted means, standard errors,
//! intervals, % favourable, n_eff, the weighted change between waves and weighted group means
//! equal what numpy/scipy compute from the rules (tests/reference/weights_reference.py) to
//! 1e-9; the unweighted columns stay as they were; bad `[weights]` settings are refused with
//! the config file, wave and attribute named.

use std::path::{Path, PathBuf};

use backbone::config::Config;
use backbone::pipeline::{analyse, Analysis};
use backbone::render::tables;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/weights")
}

fn close(actual: Option<f64>, expected: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: no value, expected {expected}"));
    let scale = expected.abs().max(1.0);
    assert!(
        ((actual - expected) / scale).abs() < 1e-9,
        "{what}: {actual} vs {expected}"
    );
}

fn weighted() -> Analysis {
    analyse(&Config::load(&fixture().join("weights.toml")).unwrap()).unwrap()
}

/// Printed by tests/reference/weights_reference.py.
const WEIGHTS: [&[f64]; 2] = [
    &[
        1.473557438242195,
        0.2116185345434986,
        1.1680120502754396,
        1.1680120502754396,
        2.559113101381664,
        0.2669767538553643,
        0.2116185345434986,
        0.2389280094893961,
        0.2669767538553643,
        2.0284753501005026,
        0.2669767538553643,
        0.2116185345434986,
        0.2116185345434986,
        1.1680120502754396,
        1.1680120502754396,
        1.1680120502754396,
        1.1680120502754396,
        1.473557438242195,
        1.473557438242195,
        0.2669767538553643,
        1.1680120502754396,
        0.2116185345434986,
        1.473557438242195,
        1.473557438242195,
        1.1680120502754396,
        0.2669767538553643,
        0.2116185345434986,
        2.559113101381664,
        1.473557438242195,
        2.0284753501005026,
        1.473557438242195,
        0.8856999855133785,
        1.473557438242195,
        0.2669767538553643,
        2.559113101381664,
        1.1680120502754396,
        1.1680120502754396,
        0.2669767538553643,
        0.2669767538553643,
        0.2669767538553643,
    ],
    &[
        2.1939944253232606,
        0.9719669266346949,
        2.1939944253232606,
        0.9719669266346949,
        0.9719669266346949,
        0.9719669266346949,
        0.33830950853728853,
        1.439349013118944,
        0.9719669266346949,
        0.9719669266346949,
        0.33830950853728853,
        0.33830950853728853,
        0.33830950853728853,
        2.5373213140296635,
        0.9719669266346949,
        0.14987533672326148,
        0.33830950853728853,
        0.33830950853728853,
        0.14987533672326148,
        1.1240650254244602,
        0.14987533672326148,
        0.9719669266346949,
        2.5373213140296635,
        0.33830950853728853,
        0.9719669266346949,
        0.9719669266346949,
        0.9719669266346949,
        2.5373213140296635,
        2.1939944253232606,
        0.33830950853728853,
        0.9719669266346949,
        2.1939944253232606,
        2.5373213140296635,
        0.9719669266346949,
        0.33830950853728853,
        0.9719669266346949,
        0.14987533672326148,
        0.14987533672326148,
        0.9719669266346949,
        0.675282310110823,
        1.1240650254244602,
        0.33830950853728853,
    ],
];

#[test]
fn raking_weights_match_numpy() {
    let a = weighted();
    let w = a.weights.as_ref().unwrap();
    for (wave, expected) in w.waves.iter().zip(WEIGHTS) {
        assert_eq!(wave.weights.len(), expected.len(), "{}", wave.wave);
        for (r, (&actual, &e)) in wave.weights.iter().zip(expected).enumerate() {
            close(
                Some(actual),
                e,
                &format!("weight of respondent {r} in {}", wave.wave),
            );
        }
        let mean = wave.weights.iter().sum::<f64>() / wave.weights.len() as f64;
        assert!((mean - 1.0).abs() < 1e-12);
    }
    // Staff are 16 of the 39 who gave a role in 2024 but 10% of the roster: weighted to 10%.
    let role = &w.waves[0].margins[0];
    let shares = role.shares(&w.waves[0].weights);
    assert_eq!(role.categories[0].labels, ["Staff"]);
    assert_eq!(role.categories[0].members.len(), 16);
    assert!((shares[0] - 0.1).abs() < 1e-12, "{shares:?}");
    assert_eq!(role.unstated, 1);
}

#[test]
fn weighted_scores_match_numpy() {
    let a = weighted();
    let w = a.weights.as_ref().unwrap();
    // (wave, id, n, [mean, se, ci_low, ci_high, pct_favorable, n_eff])
    let expected = [
        (
            "2024",
            "timeliness",
            38,
            [
                2.899027556586415,
                0.14254394683817323,
                2.6102060858524863,
                3.1878490273203437,
                29.41270723090438,
                24.952747329466195,
            ],
        ),
        (
            "2024",
            "responsiveness",
            37,
            [
                3.0590070109808285,
                0.12724141936853534,
                2.8009494516832643,
                3.3170645702783927,
                31.033281151644335,
                24.239058574175637,
            ],
        ),
        (
            "2024",
            "a1",
            32,
            [
                3.146845427730309,
                0.20276256414224922,
                2.7333084517363773,
                3.5603824037242404,
                34.77653982171653,
                21.9685197899783,
            ],
        ),
        (
            "2024",
            "a2",
            36,
            [
                2.690627475748062,
                0.18356158100691444,
                2.3179776548237574,
                3.0632772966723665,
                24.977796835221685,
                24.289188977466072,
            ],
        ),
        (
            "2024",
            "b1",
            34,
            [
                3.3477271101006623,
                0.13017465945562828,
                3.0828847740979284,
                3.612569446103396,
                37.252227316267344,
                21.225238394952274,
            ],
        ),
        (
            "2024",
            "b2",
            37,
            [
                3.1964896279745734,
                0.15044773819203724,
                2.891367472686225,
                3.5016117832629217,
                34.00347958728071,
                24.361777164798596,
            ],
        ),
        (
            "2024",
            "b3",
            33,
            [
                2.7904170336243106,
                0.17932816193522655,
                2.425137521157035,
                3.155696546091586,
                22.711280220292984,
                23.049143851825065,
            ],
        ),
        (
            "2025",
            "timeliness",
            40,
            [
                3.2708458214292198,
                0.12198290433261143,
                3.0241121084359337,
                3.517579534422506,
                40.91543142106428,
                25.22803461931721,
            ],
        ),
        (
            "2025",
            "responsiveness",
            40,
            [
                2.9524294580727632,
                0.10395002494343795,
                2.7421706864820763,
                3.16268822966345,
                29.668760742779792,
                25.162943453993904,
            ],
        ),
        (
            "2025",
            "a1",
            32,
            [
                3.659128865078054,
                0.15886636874469529,
                3.3351187698430778,
                3.9831389603130303,
                45.25536223847295,
                19.531697076186997,
            ],
        ),
        (
            "2025",
            "a2",
            38,
            [
                2.94411251888012,
                0.17820270564835003,
                2.583039539804038,
                3.3051854979562014,
                37.24895419162591,
                24.47101515414206,
            ],
        ),
        (
            "2025",
            "b1",
            36,
            [
                2.7170201751210517,
                0.15206895318944622,
                2.4083037876104267,
                3.0257365626316766,
                22.343363544836276,
                22.98122755906707,
            ],
        ),
        (
            "2025",
            "b2",
            36,
            [
                2.8962626432187806,
                0.1661733183071255,
                2.558912872259817,
                3.233612414177744,
                21.168725820592275,
                21.83882808968254,
            ],
        ),
        (
            "2025",
            "b3",
            35,
            [
                3.2607654350396187,
                0.1856063009310984,
                2.883568049077622,
                3.6379628210016155,
                45.5445867630669,
                22.061343841593633,
            ],
        ),
    ];
    for (wave, id, n, [mean, se, low, high, pct, n_eff]) in expected {
        let s = w.score(wave, id).unwrap_or_else(|| panic!("{wave} {id}"));
        let what = |x: &str| format!("{x} of {id} in {wave}");
        assert_eq!(s.n, n, "{}", what("n"));
        assert_eq!(a.scores.row(wave, id).unwrap().n, n, "{}", what("unweighted n"));
        close(s.mean, mean, &what("mean_weighted"));
        close(s.se, se, &what("se_weighted"));
        close(s.ci.map(|c| c.0), low, &what("ci_low_weighted"));
        close(s.ci.map(|c| c.1), high, &what("ci_high_weighted"));
        close(s.pct_favorable, pct, &what("pct_favorable_weighted"));
        close(s.n_eff, n_eff, &what("n_eff"));
    }
}

#[test]
fn weighted_changes_match_scipy() {
    let a = weighted();
    let w = a.weights.as_ref().unwrap();
    // (id, [diff, se, df, p, q]), 2024 to 2025; q per level (areas, items).
    let expected = [
        (
            "timeliness",
            [
                0.3718182648428048,
                0.1876129146131017,
                73.59172162167924,
                0.05123249840635949,
                0.10246499681271898,
            ],
        ),
        (
            "responsiveness",
            [
                -0.10657755290806525,
                0.1643045540715803,
                70.92629980532904,
                0.5186538596870984,
                0.5186538596870984,
            ],
        ),
        (
            "a1",
            [
                0.5122834373477452,
                0.2575872289840186,
                58.643382869873086,
                0.05139838727144545,
                0.12152871915454687,
            ],
        ),
        (
            "a2",
            [
                0.2534850431320579,
                0.2558340444939854,
                71.76339391859317,
                0.3251034227618291,
                0.3251034227618291,
            ],
        ),
        (
            "b1",
            [
                -0.6307069349796106,
                0.200175943830728,
                66.95617019193244,
                0.0024349979759814098,
                0.012174989879907049,
            ],
        ),
        (
            "b2",
            [
                -0.3002269847557928,
                0.22416086555039227,
                70.10193407148418,
                0.18478725948339247,
                0.2309840743542406,
            ],
        ),
        (
            "b3",
            [
                0.4703484014153081,
                0.2580858163642324,
                65.99889293313974,
                0.07291723149272812,
                0.12152871915454687,
            ],
        ),
    ];
    for (id, [diff, se, df, p, q]) in expected {
        let c = w.change("2024", "2025", id).unwrap_or_else(|| panic!("{id}"));
        close(c.diff, diff, &format!("diff_weighted of {id}"));
        close(c.se, se, &format!("se_weighted of {id}"));
        close(c.df, df, &format!("df_weighted of {id}"));
        close(c.p, p, &format!("p_weighted of {id}"));
        close(c.q, q, &format!("q_weighted of {id}"));
    }
}

#[test]
fn weighted_group_means_match_numpy() {
    let a = weighted();
    let w = a.weights.as_ref().unwrap();
    // (wave, sector, id, weighted mean); role and team are raked, so they have none.
    let expected = [
        ("2024", "Private", "timeliness", 2.5643476939880463),
        ("2024", "Private", "responsiveness", 2.9096714344264205),
        ("2024", "Public", "timeliness", 3.560237801998653),
        ("2024", "Public", "responsiveness", 3.427047014571361),
        ("2025", "Private", "timeliness", 3.138768150289542),
        ("2025", "Private", "responsiveness", 3.051578462526127),
        ("2025", "Public", "timeliness", 3.4118642809211024),
        ("2025", "Public", "responsiveness", 2.847347167793377),
    ];
    for (wave, sector, id, mean) in expected {
        close(
            w.group("sector", wave, sector, id),
            mean,
            &format!("{sector} {id} {wave}"),
        );
    }
    assert!(w.group("role", "2024", "Staff", "timeliness").is_none());
    assert!(w.group("team", "2024", "North", "timeliness").is_none());
}

#[test]
fn weighted_columns_follow_the_unweighted_ones_which_stay_as_they_were() {
    let with = weighted();
    let mut config = Config::load(&fixture().join("weights.toml")).unwrap();
    config.weights = None;
    let without = analyse(&config).unwrap();
    let (w, u) = (with.report(), without.report());
    let csv =
        |report: &backbone::report::Report, name: &str| tables::csv(report.table(name).unwrap()).unwrap();
    let tables: [(&str, &[&str]); 3] = [
        ("scores.csv", &backbone::weights::columns::SCORES),
        ("comparison.csv", &backbone::weights::columns::CHANGES),
        ("groups.csv", &["mean_weighted"]),
    ];
    for (name, added) in tables {
        let (weighted, plain) = (csv(&w, name), csv(&u, name));
        let (weighted, plain) = (
            String::from_utf8(weighted).unwrap(),
            String::from_utf8(plain).unwrap(),
        );
        assert_eq!(weighted.lines().count(), plain.lines().count(), "{name}");
        for (i, (long, short)) in weighted.lines().zip(plain.lines()).enumerate() {
            let rest = long
                .strip_prefix(short)
                .and_then(|r| r.strip_prefix(','))
                .unwrap_or_else(|| panic!("{name} line {i}: {long} does not extend {short}"));
            if i == 0 {
                assert_eq!(rest, added.join(","), "{name}");
            } else {
                assert_eq!(rest.split(',').count(), added.len(), "{name} line {i}");
            }
        }
    }
    // The cells hold the estimates at full precision.
    let scores = String::from_utf8(csv(&w, "scores.csv")).unwrap();
    let line = scores
        .lines()
        .find(|l| l.starts_with("2024,area,timeliness,"))
        .unwrap();
    let cells: Vec<&str> = line.rsplitn(7, ',').collect();
    assert_eq!(
        cells[5].parse::<f64>().unwrap(),
        with.weights
            .as_ref()
            .unwrap()
            .score("2024", "timeliness")
            .unwrap()
            .mean
            .unwrap()
    );
    // Without [weights], the report model has no weights section either.
    assert!(u.weights.is_none() && u.table("Weighted").is_none() && w.table("Weighted").is_some());
    let section = w.weights.as_ref().unwrap();
    assert_eq!(section.phrase, "weighted to the roster's mix of roles and teams");
    assert!(w
        .methods
        .iter()
        .any(|m| m.contains("raked (iterative proportional fitting)")));
}

/// The fixture's config with `edit` applied to its text, and the error analysing it gives.
fn error_of(edit: impl Fn(&str) -> String) -> String {
    let text = std::fs::read_to_string(fixture().join("weights.toml")).unwrap();
    let path = fixture().join("edited.toml");
    match Config::parse(&edit(&text), &path).and_then(|c| analyse(&c)) {
        Ok(_) => panic!("the edited config ran"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_weights_settings_name_the_config_the_wave_and_the_attribute() {
    let no_team = error_of(|t| t.replacen(", team = { \"North\" = 55, \"South\" = 45 }", "", 2));
    assert!(no_team.contains("edited.toml"), "{no_team}");
    assert!(
        no_team.contains("wave 2024 gives no invited_by counts for \"team\""),
        "{no_team}"
    );
    let no_funders = error_of(|t| t.replace(", \"Funder\" = 30", ""));
    assert!(
        no_funders.contains("5 respondent(s) give role = \"Funder\""),
        "{no_funders}"
    );
    let typo = error_of(|t| t.replacen("\"Partner\" = 60", "\"Partners\" = 60", 1));
    assert!(
        typo.contains("invited_by.role names \"Partners\", which is not an option"),
        "{typo}"
    );
    let unknown = error_of(|t| t.replace("rake = [\"role\", \"team\"]", "rake = [\"region\"]"));
    assert!(unknown.contains("weights.rake names \"region\""), "{unknown}");
    let trim = error_of(|t| t.replace("rake = [\"role\", \"team\"]", "rake = [\"role\"]\ntrim = 1.0"));
    assert!(trim.contains("weights.trim is 1"), "{trim}");
    let uninvited = error_of(|t| t.replacen("invited = 100\n", "", 1));
    assert!(
        uninvited.contains("wave 2024 gives no invited count"),
        "{uninvited}"
    );
    let few = error_of(|t| t.replacen("invited = 100\n", "invited = 30\n", 1));
    assert!(
        few.contains("wave 2024 has 40 respondents but invited = 30"),
        "{few}"
    );
}

/// The bundled sample weighted to its roster (sample_surveys/weighted.toml): each wave's role
/// mix after weighting is the roster's (27 of 240 invited are steering-committee members:
/// 11.2%), the unweighted columns of scores.csv are the unweighted sample's, and the brief
/// carries the weighted table.
#[test]
fn the_weighted_sample_matches_its_roster_and_keeps_the_unweighted_scores() {
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(["run", "--config", "sample_surveys/weighted.toml", "--out"])
        .arg(out.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    let roster = [
        ("Steering committee member", "11.2%"),
        ("Working group member", "35.4%"),
        ("Community partner", "37.9%"),
        ("Funder", "8.8%"),
        ("Backbone staff", "6.7%"),
    ];
    for wave in ["2023", "2024", "2025"] {
        let table = &md[md.find(&format!("Role, {wave}:")).unwrap()..];
        for (role, share) in roster {
            let row = table
                .lines()
                .find(|l| l.starts_with(&format!("| {role} |")))
                .unwrap();
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            assert_eq!((cells[2], cells[4]), (share, share), "{wave}: {row}");
        }
    }
    let columns = |path: &Path| -> Vec<Vec<String>> {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let width = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "suppressed")
            .unwrap()
            + 1;
        reader
            .records()
            .map(|r| r.unwrap().iter().take(width).map(String::from).collect())
            .collect()
    };
    let plain = crate::common::sample().out.join("scores.csv");
    assert_eq!(columns(&out.path().join("scores.csv")), columns(&plain));
    // The workbook leads with the weighted headline, the numbers of scores.csv.
    let mut reader = csv::Reader::from_path(out.path().join("scores.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let policy_2023 = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[at("wave")] == "2023" && &r[at("id")] == "advance-policy")
        .unwrap();
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.path().join("report.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[0], "Weighted");
    let sheet = book.worksheet_range("Weighted").unwrap();
    let row = sheet.rows().find(|r| r[0] == "Advance Policy").unwrap();
    for (cell, column) in [
        (1, "mean_weighted"),
        (2, "ci_low_weighted"),
        (5, "n_eff"),
        (6, "mean"),
    ] {
        let expected: f64 = policy_2023[at(column)].parse().unwrap();
        assert_eq!(
            calamine::DataType::get_float(&row[cell]),
            Some(expected),
            "{column}"
        );
    }
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(out.path().join("brief.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Functions weighted to the roster's mix of roles"),
        "{text}"
    );
}
