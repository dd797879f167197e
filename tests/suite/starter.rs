//! `backbone init --new` on a survey unlike the bundled one (tests/fixtures/own_survey: one
//! matrix stem "stem: - statement" over 18 statements on a too little / about right / too much
//! scale, two loose questions, sex, degree and race, two files for two waves), then `backbone
//! run` on what it wrote with no edit: every item's n and mean equal the pandas computation of
//! tests/reference/init_new_reference.py, whose output is pasted below.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use backbone::config::Config;
use backbone::instrument::Instrument;
use backbone::pipeline::analyse;

/// (wave, item text, n, mean), printed by tests/reference/init_new_reference.py.
const REFERENCE: [(&str, &str, usize, f64); 40] = [
    ("2022", "The space exploration program", 107, 1.3738317757009346),
    (
        "2022",
        "Improving and protecting the environment",
        109,
        2.0458715596330275,
    ),
    (
        "2022",
        "Improving and protecting the nation's health",
        108,
        2.574074074074074,
    ),
    ("2022", "Solving the problems of the big cities", 110, 1.7),
    ("2022", "Halting the rising crime rate", 108, 2.2962962962962963),
    ("2022", "Dealing with drug addiction", 106, 1.4245283018867925),
    (
        "2022",
        "Improving the nation's education system",
        105,
        2.104761904761905,
    ),
    (
        "2022",
        "The military, armaments and defense",
        107,
        2.607476635514019,
    ),
    ("2022", "Foreign aid", 108, 1.75),
    ("2022", "Welfare", 105, 2.295238095238095),
    ("2022", "Highways and bridges", 107, 1.5514018691588785),
    ("2022", "Social Security", 104, 2.173076923076923),
    ("2022", "Mass transportation", 112, 2.4732142857142856),
    ("2022", "Parks and recreation", 103, 1.6213592233009708),
    ("2022", "Assistance for childcare", 110, 2.2363636363636363),
    ("2022", "Supporting scientific research", 106, 1.490566037735849),
    (
        "2022",
        "Developing alternative energy sources",
        110,
        1.9727272727272727,
    ),
    ("2022", "Assistance to the poor", 109, 2.522935779816514),
    (
        "2022",
        "How satisfied are you with your local government?",
        110,
        3.3363636363636364,
    ),
    (
        "2022",
        "How often do you follow news about local government?",
        109,
        2.9174311926605503,
    ),
    ("2024", "The space exploration program", 127, 1.8031496062992125),
    (
        "2024",
        "Improving and protecting the environment",
        120,
        1.9166666666666667,
    ),
    (
        "2024",
        "Improving and protecting the nation's health",
        121,
        2.553719008264463,
    ),
    (
        "2024",
        "Solving the problems of the big cities",
        122,
        2.2950819672131146,
    ),
    ("2024", "Halting the rising crime rate", 125, 2.24),
    ("2024", "Dealing with drug addiction", 129, 1.503875968992248),
    (
        "2024",
        "Improving the nation's education system",
        118,
        2.389830508474576,
    ),
    (
        "2024",
        "The military, armaments and defense",
        129,
        2.5348837209302326,
    ),
    ("2024", "Foreign aid", 127, 1.68503937007874),
    ("2024", "Welfare", 121, 2.6198347107438016),
    ("2024", "Highways and bridges", 124, 1.4596774193548387),
    ("2024", "Social Security", 127, 1.937007874015748),
    ("2024", "Mass transportation", 122, 2.7540983606557377),
    ("2024", "Parks and recreation", 123, 1.829268292682927),
    ("2024", "Assistance for childcare", 129, 2.3333333333333335),
    ("2024", "Supporting scientific research", 123, 1.886178861788618),
    (
        "2024",
        "Developing alternative energy sources",
        130,
        1.9846153846153847,
    ),
    ("2024", "Assistance to the poor", 124, 2.5725806451612905),
    (
        "2024",
        "How satisfied are you with your local government?",
        132,
        3.265151515151515,
    ),
    (
        "2024",
        "How often do you follow news about local government?",
        135,
        3.162962962962963,
    ),
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/own_survey")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("starter").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn backbone(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// Copies both exports into `dir`/exports and runs init --new on them into `dir`/starter.
fn start(dir: &Path) -> (Output, PathBuf) {
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    for year in ["2022", "2024"] {
        let name = format!("civic-spending-{year}.csv");
        std::fs::copy(fixture(&name), dir.join("exports").join(&name)).unwrap();
    }
    let out = backbone(
        &[
            "init",
            "--new",
            "exports/civic-spending-2022.csv",
            "exports/civic-spending-2024.csv",
            "--out",
            "starter",
        ],
        dir,
    );
    (out, dir.join("starter"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn init_new_then_run_scores_every_item_as_pandas_does() {
    let dir = scratch("scores");
    let (out, starter) = start(&dir);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let instrument = Instrument::load(&starter.join("civic-spending.instrument.toml")).unwrap();
    // Every statement is an item on the too little / about right / too much scale, in order.
    let amount = &instrument.scales["amount3"];
    let labels: Vec<&str> = amount.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["Too little", "About right", "Too much"]);
    assert_eq!(
        instrument.items.iter().filter(|i| i.scale == "amount3").count(),
        18
    );
    let attributes: Vec<&str> = instrument
        .attributes
        .iter()
        .map(|a| a.question.as_str())
        .collect();
    assert_eq!(attributes, ["Respondent's sex", "Highest degree", "Race"]);

    let config = Config::load(&starter.join("backbone.toml")).unwrap();
    let analysis = analyse(&config).unwrap();
    for account in &analysis.accounts {
        assert!(
            account.unmapped_columns.is_empty(),
            "{:?}",
            account.unmapped_columns
        );
        assert!(account.missing_items.is_empty(), "{:?}", account.missing_items);
        assert_eq!(account.unknown_answers, 0);
        assert!(account.dropped_columns.contains(&"Email address".to_string()));
    }
    for (wave, statement, n, mean) in REFERENCE {
        let item = instrument
            .items
            .iter()
            .find(|i| i.text == statement)
            .unwrap_or_else(|| panic!("{statement}"));
        let row = analysis
            .scores
            .rows
            .iter()
            .find(|r| r.wave == wave && r.id == item.id)
            .unwrap_or_else(|| panic!("{wave} {}", item.id));
        assert_eq!(row.n, n, "{wave} {statement}");
        let got = row.mean.expect("a mean");
        assert!((got - mean).abs() < 1e-12, "{wave} {statement}: {got} != {mean}");
    }

    // The run itself, as an evaluator types it, with no edit.
    let run = backbone(&["run", "--config", "starter/backbone.toml"], &dir);
    assert!(run.status.success(), "{}{}", text(&run.stdout), text(&run.stderr));
    assert!(starter.join("reports/report.md").is_file());
}

#[test]
fn the_written_files_comment_every_guess() {
    let dir = scratch("guesses");
    let (out, starter) = start(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("20 items under 3 topic(s), 3 scale(s), 3 attribute(s), 1 open question(s)"),
        "{said}"
    );
    let config = std::fs::read_to_string(starter.join("backbone.toml")).unwrap();
    for line in [
        "id_column = \"Case ID\"",
        "label = \"2022\"",
        "label = \"2024\"",
        "\"Any other comments?\",",
    ] {
        let found = config
            .lines()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("{line}: {config}"));
        assert!(found.contains("# guess"), "{found}");
    }
    assert!(
        config.contains("file = \"../exports/civic-spending-2022.csv\""),
        "{config}"
    );
    let instrument = std::fs::read_to_string(starter.join("civic-spending.instrument.toml")).unwrap();
    for line in [
        "favourable = [2]",
        "missing = [\"Don't know\"]",
        "options = [\"Female\", \"Male\"]",
    ] {
        let found = instrument
            .lines()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("{line}"));
        assert!(found.contains("# guess"), "{found}");
    }
    // The e-mail addresses and the comments reach none of the written files.
    for file in [
        "backbone.toml",
        "civic-spending.instrument.toml",
        "civic-spending.framework.toml",
    ] {
        let written = std::fs::read_to_string(starter.join(file)).unwrap();
        assert!(
            !written.contains("@example.org") && !written.contains("More buses"),
            "{file}"
        );
    }
    // Files already there are kept unless --force.
    let again = backbone(
        &[
            "init",
            "--new",
            "exports/civic-spending-2022.csv",
            "--out",
            "starter",
        ],
        &dir,
    );
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("--force"));
}

#[test]
fn a_matrix_no_vocabulary_fits_keeps_its_order_of_appearance_and_says_to_check_it() {
    let dir = scratch("unknown-scale");
    let mut csv = String::from("Case,Rate the town: - Parks,Rate the town: - Roads\n");
    let answers = ["Meh", "Grand", "Awful", "Grand", "Meh", "Awful", "Grand", "Grand"];
    for (k, a) in answers.iter().enumerate() {
        csv.push_str(&format!("{k},{a},{}\n", answers[(k + 3) % answers.len()]));
    }
    std::fs::write(dir.join("town-2023.csv"), csv).unwrap();
    let out = backbone(&["init", "--new", "town-2023.csv", "--out", "starter"], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("CHECK"), "{}", text(&out.stdout));
    let instrument = Instrument::load(&dir.join("starter/town.instrument.toml")).unwrap();
    let scale = instrument.scales.values().next().unwrap();
    let labels: Vec<&str> = scale.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["Meh", "Grand", "Awful"]);
    let written = std::fs::read_to_string(dir.join("starter/town.instrument.toml")).unwrap();
    assert!(written.contains("# CHECK THIS"), "{written}");
}

/// A survey of one's own scored without naming its instrument falls back to the bundled FSG
/// survey: the console says so on every run, and the error that follows names the bundled
/// default, why it was used, and the fix (`instrument =`), not only the FSG questions missing.
#[test]
fn the_bundled_default_is_said_and_the_fix_is_naming_the_instrument() {
    let dir = scratch("default");
    let (out, starter) = start(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let config = std::fs::read_to_string(starter.join("backbone.toml")).unwrap();
    let without: String = config
        .lines()
        .filter(|l| !l.trim_start().starts_with("instrument"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, config, "backbone.toml names its instrument");
    std::fs::write(starter.join("backbone.toml"), without).unwrap();
    let run = backbone(
        &["run", "--config", "starter/backbone.toml", "--out", "out"],
        &dir,
    );
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("of the bundled Backbone Partner Survey (\"fsg-partner-survey\"; no `instrument` in backbone.toml or --instrument)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`instrument = \"my-survey.instrument.toml\"`"),
        "{stderr}"
    );
    assert!(!dir.join("out").exists());
    // A run that fits the bundled survey says once which instrument scored it.
    let plain = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain/riverbend-2023.csv");
    let fsg = backbone(&["run", plain.to_str().unwrap(), "--out", "fsg"], &dir);
    assert!(fsg.status.success(), "{}", text(&fsg.stderr));
    assert_eq!(
        text(&fsg.stdout)
            .matches("scoring with the bundled Backbone Partner Survey")
            .count(),
        1,
        "{}",
        text(&fsg.stdout)
    );
}

/// `run --strict` refuses a run that loses anything, before writing, and lets a clean one
/// through: the starter files of the own survey account for every column and answer; the
/// bundled sample's 2023 file has 3 answers no scale label matches ("N.A" twice, "Agree
/// strongly") and an open comment column.
#[test]
fn strict_runs_refuse_what_is_lost_and_pass_what_is_not() {
    let dir = scratch("strict");
    let (out, _) = start(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let clean = backbone(
        &[
            "run",
            "--strict",
            "--config",
            "starter/backbone.toml",
            "--out",
            "clean",
        ],
        &dir,
    );
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_surveys/backbone.toml");
    let lossy = backbone(
        &[
            "run",
            "--strict",
            "--config",
            sample.to_str().unwrap(),
            "--out",
            "lossy",
        ],
        &dir,
    );
    let stderr = text(&lossy.stderr);
    assert_eq!(lossy.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("riverbend-2023-surveymonkey.csv: --strict: 3 answer(s) match no point of their scale; 1 column(s) are not used"),
        "{stderr}"
    );
    assert!(!dir.join("lossy").exists());
}

/// `backbone check` reads everything a run reads and writes nothing: on the starter files it
/// prints the framework's tree and each file's accounting; with both waves broken (one file
/// missing, one cut short inside a quote) it names both, not only the first, and exits 1.
#[test]
fn check_says_every_problem_at_once() {
    let dir = scratch("check");
    let (out, _) = start(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let good = backbone(&["check", "--config", "starter/backbone.toml"], &dir);
    let stdout = text(&good.stdout);
    assert!(good.status.success(), "{}", text(&good.stderr));
    assert!(
        stdout.contains("Topic: How satisfied are you with your local government?"),
        "{stdout}"
    );
    assert!(stdout.contains("civic-spending-2024.csv (wave 2024, plain table, detected, UTF-8): 140 rows read, 136 used, 4 skipped"), "{stdout}");
    assert!(stdout.contains("everything checked can be used"), "{stdout}");

    std::fs::remove_file(dir.join("exports/civic-spending-2022.csv")).unwrap();
    std::fs::write(dir.join("exports/civic-spending-2024.csv"), "a,b\n\"1,2\n").unwrap();
    let bad = backbone(&["check", "--config", "starter/backbone.toml"], &dir);
    let stderr = text(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("civic-spending-2022.csv: No such file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("civic-spending-2024.csv, row 2: a quoted value opened on this line is never closed"),
        "{stderr}"
    );
    assert!(stderr.contains("2 of the 2 wave(s) cannot be used"), "{stderr}");
}

/// A typo in an item's text is paired with the column it probably meant, on the console and in
/// report.md and report.html ("did you mean").
#[test]
fn a_typo_in_an_item_names_the_column_it_meant() {
    let dir = scratch("typo");
    let (out, starter) = start(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = starter.join("civic-spending.instrument.toml");
    let instrument = std::fs::read_to_string(&path).unwrap();
    let typo = instrument.replace(
        "text = \"How often do you follow news about local government?\"",
        "text = \"How often do you folow news about local goverment?\"",
    );
    assert_ne!(typo, instrument);
    std::fs::write(&path, typo).unwrap();
    let run = backbone(
        &["run", "--config", "starter/backbone.toml", "--out", "out"],
        &dir,
    );
    let stdout = text(&run.stdout);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let said = "is not in this export; did you mean column";
    let header = "\"How often do you follow news about local government?\"";
    let line = stdout
        .lines()
        .find(|l| l.contains(said))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains(header), "{line}");
    let md = std::fs::read_to_string(dir.join("out/report.md")).unwrap();
    assert!(
        md.contains(said) && md.contains("follow news about local government"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(html.contains(said), "report.html has no did-you-mean");
}

/// `init --new --framework fsg-backbone` on plain exports of the bundled survey places each
/// item at an FSG indicator by the words they share: 40 of the 45 statements land on the
/// indicator the bundled instrument gives them (the truth here; the 46th item, the overall
/// rating, belongs to no indicator and is counted wrong), the framework file is the
/// bundled one, the run scores with no edit, and an unknown framework id is refused.
#[test]
fn items_are_placed_into_a_bundled_framework_by_their_words() {
    let dir = scratch("placed");
    let plain = |year: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/plain/riverbend-{year}.csv"))
            .display()
            .to_string()
    };
    let (a, b) = (plain("2023"), plain("2024"));
    let args = [
        "init",
        "--new",
        &a,
        &b,
        "--framework",
        "fsg-backbone",
        "--out",
        "fsg",
    ];
    let out = backbone(&args, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mine = Instrument::load(&dir.join("fsg/riverbend.instrument.toml")).unwrap();
    let truth = Instrument::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/fsg-partner-survey.instrument.toml"),
    )
    .unwrap();
    let mut right = 0;
    let mut wrong = Vec::new();
    for item in &mine.items {
        let known = truth
            .items
            .iter()
            .find(|t| t.text == item.text)
            .unwrap_or_else(|| panic!("{}", item.text));
        if known.indicator == item.indicator {
            right += 1;
        } else {
            wrong.push(format!(
                "{} -> {} (is {})",
                item.text, item.indicator, known.indicator
            ));
        }
    }
    assert_eq!(mine.items.len(), 46);
    assert!(right >= 40, "{right} placed right; wrong:\n{}", wrong.join("\n"));
    let bundled = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/fsg-backbone.framework.toml"),
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("fsg/fsg-backbone.framework.toml")).unwrap(),
        bundled
    );
    let run = backbone(&["run", "--config", "fsg/backbone.toml", "--out", "out"], &dir);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let unknown = backbone(&["init", "--new", &a, "--framework", "fsg", "--out", "x"], &dir);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no bundled framework is called \"fsg\""));
}

/// A column whose answers all fit a scale but one stray wording ("N.A" once among 140, as the
/// bundled sample's exports have) is an item, not an attribute, and the run lists the stray.
#[test]
fn a_stray_answer_does_not_make_a_question_an_attribute() {
    let dir = scratch("strays");
    let plain = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain/riverbend-2023.csv");
    let out = backbone(&["init", "--new", plain.to_str().unwrap(), "--out", "s"], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let instrument = Instrument::load(&dir.join("s/riverbend.instrument.toml")).unwrap();
    // The bundled instrument's 45 statements, its overall rating and its two attributes.
    assert_eq!(instrument.items.len(), 46);
    assert_eq!(instrument.attributes.len(), 2);
    let speaks = "My organization speaks publicly in support of the initiative's common agenda goals.";
    assert!(instrument.items.iter().any(|i| i.text == speaks));
    let run = backbone(&["run", "--config", "s/backbone.toml", "--out", "out"], &dir);
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains(&format!("\"{speaks}\"")) && stdout.contains("\"N.A\" × 1"),
        "{stdout}"
    );
}
