//! Property tests (proptest) of the scoring invariants. Each case generates an instrument (a
//! framework of functions and indicators, scales of 2 to 11 points with any distinct codes,
//! declared in any order, best-first or not, reverse-worded items, either direction) and
//! exports of one to three waves, writes them as files and runs the real pipeline on them:
//! `analyse`, the report model every output is written from, and the CSVs written from it.
//!
//! Each property runs `CASES` generated cases (64), a few seconds in the debug test profile.
//! Shrunk failures are kept as plain regression tests at the end of the file, not in
//! proptest's regression files.

use std::collections::BTreeSet;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::Config as RunnerConfig;

use backbone::config::{Config, Wave};
use backbone::instrument::{Instrument, Item};
use backbone::pipeline::{analyse, Analysis};
use backbone::render::tables;
use backbone::report::Report;
use backbone::score::ITEM_LEVEL;

/// Cases per property.
const CASES: u32 = 64;
/// Answers per respondent: at most 3 functions × 3 indicators × 3 items.
const MAX_ITEMS: usize = 27;
/// Point labels by the rank of their value (words, so no label reads as another's code).
const WORDS: [&str; 11] = [
    "Nil", "Scant", "Low", "Fair", "Mid", "Good", "High", "Great", "Superb", "Top", "Peak",
];
const ROLES: [&str; 3] = ["Funder", "Partner", "Staff"];
const HOLDERS: [&str; 2] = ["Backbone", "Partners"];
const NOT_APPLICABLE: &str = "Don't know";

#[derive(Debug, Clone)]
struct ScaleSpec {
    /// Point values in declared order.
    values: Vec<i64>,
    best_first: bool,
    /// Per declared point, whether it is favourable (at least one is).
    favourable: Vec<bool>,
}

#[derive(Debug, Clone)]
struct FunctionSpec {
    /// Every item under the function is on this scale (a node's items share a range).
    scale: usize,
    lower_is_better: bool,
    /// Per indicator, its items' reverse marks.
    indicators: Vec<Vec<bool>>,
}

#[derive(Debug, Clone)]
struct Respondent {
    /// Per item (instrument order): a choice (see [`Case::answer`]) and whether the point is
    /// written as its code rather than its label.
    answers: Vec<(u8, bool)>,
    /// Answers every item on a point (the first respondent of each wave, so that every wave
    /// has a usable row).
    complete: bool,
    /// 0: not stated, else a role.
    role: u8,
    /// 0: not stated, else who holds the first function.
    holder: u8,
}

#[derive(Debug, Clone)]
struct Case {
    scales: Vec<ScaleSpec>,
    functions: Vec<FunctionSpec>,
    waves: Vec<Vec<Respondent>>,
    suppress_below: usize,
    min_answered: f64,
    confidence: f64,
    /// Every item on a symmetric scale has its reverse mark toggled and is answered with the
    /// mirror image of the chosen point: reverse coding applied twice.
    flipped: bool,
}

/// One item of a case: its function, indicator, position under the indicator and reverse mark.
struct ItemSpec {
    function: usize,
    indicator: usize,
    index: usize,
    reverse: bool,
}

impl Case {
    fn items(&self) -> Vec<ItemSpec> {
        let mut items = Vec::new();
        for (f, function) in self.functions.iter().enumerate() {
            let flip = self.flipped && self.scales[function.scale].symmetric();
            for (i, marks) in function.indicators.iter().enumerate() {
                for (index, &reverse) in marks.iter().enumerate() {
                    items.push(ItemSpec {
                        function: f,
                        indicator: i,
                        index,
                        reverse: reverse != flip,
                    });
                }
            }
        }
        items
    }

    fn framework_toml(&self) -> String {
        let mut text = String::from(
            "id = \"gen\"\nname = \"Generated\"\nsource = \"proptest\"\nheadline_level = \"function\"\n\
             levels = [{ id = \"function\", label = \"Function\", plural = \"Functions\" }, \
             { id = \"indicator\", label = \"Indicator\", plural = \"Indicators\" }]\n",
        );
        for (f, function) in self.functions.iter().enumerate() {
            let direction = if function.lower_is_better {
                "\ndirection = \"lower_is_better\""
            } else {
                ""
            };
            text += &format!(
                "[[nodes]]\nid = \"f{f}\"\nlevel = \"function\"\nlabel = \"Function {f}\"{direction}\n"
            );
            for i in 0..function.indicators.len() {
                text += &format!(
                    "[[nodes]]\nid = \"f{f}.i{i}\"\nlevel = \"indicator\"\nparent = \"f{f}\"\nlabel = \"Indicator {f}.{i}\"\n"
                );
            }
        }
        text
    }

    fn instrument_toml(&self) -> String {
        let mut text = String::from(
            "id = \"gen-survey\"\nname = \"Generated survey\"\nframework = \"gen.framework.toml\"\n",
        );
        for (s, scale) in self.scales.iter().enumerate() {
            let points: Vec<String> = scale
                .values
                .iter()
                .map(|&v| format!("{{ value = {v}, label = \"{}\" }}", label(scale, v)))
                .collect();
            let favourable: Vec<String> = scale
                .values
                .iter()
                .zip(&scale.favourable)
                .filter(|(_, &f)| f)
                .map(|(v, _)| v.to_string())
                .collect();
            text += &format!(
                "[scales.s{s}]\nlabel = \"Scale {s}\"\npoints = [{}]\nfavourable = [{}]\nmissing = [\"{NOT_APPLICABLE}\"]\nbest_first = {}\n",
                points.join(", "),
                favourable.join(", "),
                scale.best_first
            );
        }
        text += &format!(
            "[[attributes]]\nid = \"role\"\nquestion = \"Your role\"\noptions = {:?}\nself_rating = \"Staff\"\n",
            ROLES
        );
        text += &format!(
            "[[attributes]]\nid = \"holder\"\nquestion = \"Who leads function 0?\"\noptions = {:?}\nabout = \"f0\"\n",
            HOLDERS
        );
        for (j, item) in self.items().iter().enumerate() {
            text += &format!(
                "[[items]]\nid = \"q{j}\"\nindicator = \"f{}.i{}\"\ntext = \"Statement {} of indicator {}.{}.\"\nscale = \"s{}\"\nreverse = {}\n",
                item.function,
                item.indicator,
                item.index,
                item.function,
                item.indicator,
                self.functions[item.function].scale,
                item.reverse
            );
        }
        text
    }

    /// What a choice means on a scale of p points: of the choice modulo (p + 2), 0 is blank,
    /// 1 not applicable and k ≥ 2 the (k − 2)-th declared point; a complete respondent's
    /// choice modulo p is the point.
    fn answer(points: usize, choice: u8, complete: bool) -> usize {
        if complete {
            2 + usize::from(choice) % points
        } else {
            usize::from(choice) % (points + 2)
        }
    }

    /// The cell a respondent writes for an item on `scale`; `mirror` answers with the mirror
    /// image of the chosen point (see [`Case::flipped`]).
    fn cell(scale: &ScaleSpec, (choice, as_code): (u8, bool), complete: bool, mirror: bool) -> String {
        let value = match Case::answer(scale.values.len(), choice, complete) {
            0 => return String::new(),
            1 => return NOT_APPLICABLE.to_string(),
            k => scale.values[k - 2],
        };
        let value = if mirror {
            let (lo, hi) = (
                scale.values.iter().min().unwrap(),
                scale.values.iter().max().unwrap(),
            );
            lo + hi - value
        } else {
            value
        };
        if as_code {
            value.to_string()
        } else {
            label(scale, value)
        }
    }

    fn export_csv(&self, respondents: &[Respondent]) -> Vec<u8> {
        let items = self.items();
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = vec!["Your role".into(), "Who leads function 0?".into()];
        header.extend(items.iter().map(|i| {
            format!(
                "Statement {} of indicator {}.{}.",
                i.index, i.function, i.indicator
            )
        }));
        w.write_record(&header).unwrap();
        for respondent in respondents {
            let option = |names: &[&str], k: u8| match k {
                0 => String::new(),
                k => names[usize::from(k - 1) % names.len()].to_string(),
            };
            let mut record = vec![
                option(&ROLES, respondent.role),
                option(&HOLDERS, respondent.holder),
            ];
            for (j, item) in items.iter().enumerate() {
                let scale = &self.scales[self.functions[item.function].scale];
                let mirror = self.flipped && scale.symmetric();
                record.push(Case::cell(
                    scale,
                    respondent.answers[j],
                    respondent.complete,
                    mirror,
                ));
            }
            w.write_record(&record).unwrap();
        }
        w.into_inner().unwrap()
    }

    /// Writes the instrument, its framework and one export per wave into `dir`.
    fn write(&self, dir: &Path) -> Config {
        std::fs::write(dir.join("gen.framework.toml"), self.framework_toml()).unwrap();
        std::fs::write(dir.join("gen.instrument.toml"), self.instrument_toml()).unwrap();
        let mut waves = Vec::new();
        for (w, respondents) in self.waves.iter().enumerate() {
            let file = dir.join(format!("wave-{w}.csv"));
            std::fs::write(&file, self.export_csv(respondents)).unwrap();
            waves.push(Wave::labelled(&format!("{}", 2021 + w), file));
        }
        let mut config = Config::with_waves(Some(dir.join("gen.instrument.toml")), waves);
        config.rules.min_answered = self.min_answered;
        config.rules.confidence = self.confidence;
        config.report.suppress_below = self.suppress_below;
        config
    }

    /// The same case with other points chosen for every answer on a point in `waves` (blanks,
    /// not-applicable answers and the attributes stay): who answered what stays, what they
    /// answered changes.
    fn with_other_points(&self, waves: &[usize], other: &[u8]) -> Case {
        let mut changed = self.clone();
        let points: Vec<usize> = self
            .items()
            .iter()
            .map(|i| self.scales[self.functions[i.function].scale].values.len())
            .collect();
        let mut other = other.iter().cycle();
        for &w in waves {
            for respondent in &mut changed.waves[w] {
                for (answer, &p) in respondent.answers.iter_mut().zip(&points) {
                    let pick = *other.next().unwrap();
                    if respondent.complete {
                        answer.0 = pick % p as u8;
                    } else if Case::answer(p, answer.0, false) >= 2 {
                        answer.0 = 2 + pick % p as u8;
                    }
                }
            }
        }
        changed
    }

    fn run(&self, dir: &Path) -> Analysis {
        let config = self.write(dir);
        analyse(&config).unwrap_or_else(|e| panic!("a generated case is valid: {e}"))
    }
}

/// The label of a point: a word by the value's rank among the scale's values.
fn label(scale: &ScaleSpec, value: i64) -> String {
    let rank = scale.values.iter().filter(|&&v| v < value).count();
    WORDS[rank].to_string()
}

impl ScaleSpec {
    /// Every code's mirror image (min + max − code) is a code: the scale may be mirrored.
    fn symmetric(&self) -> bool {
        let (lo, hi) = (self.values.iter().min(), self.values.iter().max());
        let (lo, hi) = (*lo.unwrap(), *hi.unwrap());
        self.values.iter().all(|v| self.values.contains(&(lo + hi - v)))
    }
}

/// Codes whose mirror images are codes: 0 and a width w, chosen offsets o and w − o, shifted.
fn symmetric_values() -> impl Strategy<Value = Vec<i64>> {
    (
        1i64..=20,
        prop::collection::btree_set(0i64..=20, 0..=4),
        -10i64..=10,
    )
        .prop_map(|(width, picks, start)| {
            let mut offsets = std::collections::BTreeSet::from([0, width]);
            for o in picks.into_iter().filter(|&o| o <= width) {
                offsets.extend([o, width - o]);
            }
            offsets.into_iter().map(|o| start + o).collect()
        })
}

fn scale_spec() -> impl Strategy<Value = ScaleSpec> {
    let values = prop_oneof![
        // Codes as most exports number them: consecutive, from any start.
        (2usize..=11, -3i64..=3).prop_map(|(n, start)| (start..start + n as i64).collect::<Vec<_>>()),
        symmetric_values(),
        // Any distinct codes the schema accepts (mirrored only when symmetric, see `case`).
        prop::collection::btree_set(-20i64..=20, 2..=11).prop_map(|s| s.into_iter().collect()),
    ];
    (
        values.prop_shuffle(),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 11),
    )
        .prop_map(|(values, best_first, mask)| {
            let mut favourable: Vec<bool> = mask[..values.len()].to_vec();
            if !favourable.contains(&true) {
                let best = if best_first {
                    values.iter().min()
                } else {
                    values.iter().max()
                };
                let at = values.iter().position(|v| Some(v) == best).unwrap();
                favourable[at] = true;
            }
            let mut scale = ScaleSpec {
                values,
                best_first,
                favourable,
            };
            scale.best_first &= scale.symmetric();
            scale
        })
}

fn respondent() -> impl Strategy<Value = Respondent> {
    (
        prop::collection::vec((any::<u8>(), any::<bool>()), MAX_ITEMS),
        0u8..=3,
        0u8..=2,
    )
        .prop_map(|(answers, role, holder)| Respondent {
            answers,
            complete: false,
            role,
            holder,
        })
}

/// Up to three waves of 1 to 24 respondents, the first of each complete.
fn waves() -> impl Strategy<Value = Vec<Vec<Respondent>>> {
    let wave = prop::collection::vec(respondent(), 1..=24).prop_map(|mut wave| {
        wave[0].complete = true;
        wave
    });
    prop::collection::vec(wave, 1..=3)
}

fn case() -> impl Strategy<Value = Case> {
    let scales = prop::collection::vec(scale_spec(), 1..=3);
    let functions = prop::collection::vec(
        (
            0usize..3,
            any::<bool>(),
            prop::collection::vec(prop::collection::vec(any::<bool>(), 1..=3), 1..=3),
        ),
        1..=3,
    );
    (
        scales,
        functions,
        waves(),
        1usize..=8,
        prop::sample::select(vec![0.25, 0.5, 1.0]),
        prop::sample::select(vec![0.8, 0.9, 0.95, 0.99]),
    )
        .prop_map(
            |(scales, functions, waves, suppress_below, min_answered, confidence)| Case {
                functions: functions
                    .into_iter()
                    .map(|(scale, lower_is_better, mut indicators)| {
                        let scale = scale % scales.len();
                        // The schema mirrors only symmetric scales (see `mirrored_scales_...`).
                        let mirrorable = scales[scale].symmetric();
                        if !mirrorable {
                            indicators.iter_mut().flatten().for_each(|r| *r = false);
                        }
                        FunctionSpec {
                            scale,
                            lower_is_better: lower_is_better && mirrorable,
                            indicators,
                        }
                    })
                    .collect(),
                scales,
                waves,
                suppress_below,
                min_answered,
                confidence,
                flipped: false,
            },
        )
}

/// `CASES` per property, or `PROPTEST_CASES` for a longer run.
fn runner() -> RunnerConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok());
    RunnerConfig {
        cases: cases.unwrap_or(CASES),
        failure_persistence: None,
        ..RunnerConfig::default()
    }
}

/// The scale of a node or item id: every item under a node shares one range.
fn range_of(instrument: &Instrument, id: &str) -> (f64, f64) {
    let item: &Item = instrument
        .items
        .iter()
        .find(|i| i.id == id)
        .or_else(|| instrument.items_under(id).first().copied())
        .unwrap_or_else(|| panic!("{id} has items"));
    let scale = instrument.scale_of(item);
    (scale.min() as f64, scale.max() as f64)
}

fn within(x: f64, (lo, hi): (f64, f64)) -> bool {
    lo <= x && x <= hi
}

proptest! {
    #![proptest_config(runner())]

    /// Item, indicator and function means, group means and compared means lie within the
    /// scale's range; every answer counted per scale value is counted at a point of the scale;
    /// SDs lie between 0 and the range's width; % favourable between 0 and 100. Intervals are
    /// not clamped to the scale (a t-interval may reach past its end), so only their centres
    /// are held to it, and `intervals_contain_their_estimate` checks them.
    #[test]
    fn scores_lie_within_the_scale(case in case()) {
        let dir = tempfile::tempdir().unwrap();
        let a = case.run(dir.path());
        let instrument = &a.instrument;
        for r in &a.scores.rows {
            let range = range_of(instrument, &r.id);
            let what = format!("{} {} in {}", r.level, r.id, r.wave);
            if let Some(m) = r.mean {
                prop_assert!(within(m, range), "{what}: mean {m} outside {range:?}");
            }
            if let Some(sd) = r.sd {
                prop_assert!(within(sd, (0.0, range.1 - range.0)), "{what}: sd {sd}");
            }
            if let Some(p) = r.pct_favorable {
                prop_assert!(within(p, (0.0, 100.0)), "{what}: {p}% favourable");
            }
            let scale = if r.level == ITEM_LEVEL {
                instrument.items.iter().find(|i| i.id == r.id)
            } else {
                instrument.items_under(&r.id).first().copied()
            }
            .map(|i| instrument.scale_of(i))
            .unwrap();
            for (&value, &n) in &r.counts {
                prop_assert!(
                    scale.points.iter().any(|p| p.value == value),
                    "{what}: {n} answer(s) counted at {value}, not a point of {:?}",
                    scale.points.iter().map(|p| p.value).collect::<Vec<_>>()
                );
            }
        }
        for (_, groups) in &a.groups {
            for g in groups {
                let range = range_of(instrument, &g.id);
                if let Some(m) = g.mean {
                    prop_assert!(within(m, range), "group {} {}: mean {m}", g.group, g.id);
                }
            }
        }
        for c in &a.comparisons {
            let range = range_of(instrument, &c.id);
            for m in [c.mean_from, c.mean_to].into_iter().flatten() {
                prop_assert!(within(m, range), "{} {:?}: mean {m}", c.id, c.pair);
            }
            if let Some(d) = c.diff {
                prop_assert!(d.abs() <= range.1 - range.0, "{} {:?}: difference {d}", c.id, c.pair);
            }
        }
    }
}

/// The results that must not depend on the order of the rows, as Debug text: scores,
/// comparisons, group scores and tests, reliability and node-question tallies (not the
/// respondent-level samples, which are kept in row order, nor the accounts, whose examples
/// name rows).
fn results(a: &Analysis) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        a.scores.rows, a.comparisons, a.groups, a.group_tests, a.reliability, a.tallies
    )
}

/// Debug text cut into the text between numbers (even positions) and numbers (odd positions).
fn tokens(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let digit = |j: usize| j < b.len() && b[j].is_ascii_digit();
    let (mut out, mut start, mut i) = (Vec::new(), 0, 0);
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.');
        if boundary && (digit(i) || (b[i] == b'-' && digit(i + 1))) {
            let mut j = i + 1;
            while j < b.len()
                && (b[j].is_ascii_digit() || b".e".contains(&b[j]) || (b[j] == b'-' && b[j - 1] == b'e'))
            {
                j += 1;
            }
            out.extend([&text[start..i], &text[i..j]]);
            (start, i) = (j, j);
        } else {
            i += 1;
        }
    }
    out.push(&text[start..]);
    out
}

/// Whether two Debug texts say the same: equal text and integers, and floating-point numbers
/// equal within 1e-9 of their size (sums over respondents in another order can differ in the
/// last bits; the relative error of a sum of n terms is bounded by about n × 2⁻⁵³).
fn same_numbers(a: &str, b: &str) -> Result<(), String> {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.len() != tb.len() {
        return Err(format!("different shapes:\n{a}\n{b}"));
    }
    for (k, (x, y)) in ta.iter().zip(&tb).enumerate() {
        let float = |t: &str| t.contains(['.', 'e']).then(|| t.parse::<f64>().ok()).flatten();
        let same = match (k % 2, float(x), float(y)) {
            (1, Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-3),
            _ => x == y,
        };
        if !same {
            let context = ta[k.saturating_sub(12)..k].concat();
            return Err(format!("{x} != {y} after …{context}"));
        }
    }
    Ok(())
}

/// Every number and word the outputs read: the report model, its tables included (already
/// suppressed, reliability's alphas too).
fn outputs(report: &Report) -> String {
    format!("{report:?}")
}

/// The model's tables behind the CSVs and the workbook's sheets: a row whose size (n, either
/// n of a comparison, a group's respondents) is under the threshold has no number in its score
/// columns, and says it is suppressed where the table has such a mark.
fn check_data(report: &Report, t: usize) -> Result<(), String> {
    use backbone::report::Value;
    // (table, its size columns, its score columns ("x*": every column starting "x"), its mark
    // of a suppressed row and the mark's word)
    type Check<'a> = (&'a str, &'a [&'a str], &'a [&'a str], Option<(&'a str, &'a str)>);
    let scores: &[&str] = &["mean", "sd", "ci_low", "ci_high", "pct_favorable", "n_na", "n_*"];
    let sheet: &[&str] = &[
        "Mean",
        "SD",
        "CI low",
        "CI high",
        "% favourable",
        "N/A answers",
        "Answered *",
    ];
    let changes: &[&str] = &[
        "Mean from",
        "Mean to",
        "Difference",
        "CI low",
        "CI high",
        "Statistic",
        "p",
        "q",
    ];
    let checks: [Check; 6] = [
        ("scores.csv", &["n"], scores, Some(("suppressed", "suppressed"))),
        ("Scores", &["n"], sheet, Some(("Suppressed", "yes"))),
        ("Items", &["n"], sheet, Some(("Suppressed", "yes"))),
        (
            "Groups",
            &["Respondents", "n"],
            &["Mean", "SD", "CI low", "CI high"],
            Some(("Suppressed", "yes")),
        ),
        ("Changes", &["n from", "n to"], changes, None),
        (
            "Reliability",
            &["Complete cases"],
            &["Alpha"],
            Some(("Suppressed", "yes")),
        ),
    ];
    for (name, sizes, numbers, mark) in checks {
        let table = report.table(name).ok_or(format!("no table {name}"))?;
        let header = |k: usize| {
            let c = &table.columns[k];
            match table.csv.as_ref().is_some_and(|p| p.name == name) {
                true => c.csv.clone(),
                false => c.sheet.as_ref().map(|s| s.0.clone()),
            }
        };
        let columns = |wanted: &str| -> Vec<usize> {
            (0..table.columns.len())
                .filter(|&k| {
                    header(k).is_some_and(|h| match wanted.strip_suffix('*') {
                        Some(prefix) => h.starts_with(prefix) && h != "n_na",
                        None => h == wanted,
                    })
                })
                .collect()
        };
        for row in &table.rows {
            let small = sizes
                .iter()
                .flat_map(|s| columns(s))
                .any(|k| matches!(row[k], Value::Count(n) if n < t));
            let marked = mark.map(|(column, word)| row[columns(column)[0]] == Value::Text(word.into()));
            if marked.is_some_and(|m| m != small) {
                return Err(format!(
                    "{name}: suppressed mark {marked:?} at threshold {t}: {row:?}"
                ));
            }
            if small
                && numbers
                    .iter()
                    .flat_map(|n| columns(n))
                    .any(|k| row[k] != Value::Empty)
            {
                return Err(format!("{name}: numbers kept in a row under {t}: {row:?}"));
            }
        }
    }
    Ok(())
}

/// The CSVs as written: a row whose n (or either n of a comparison, or a group's respondents)
/// is under the threshold has every score column blank.
fn check_csvs(report: &Report, t: usize) -> Result<(), String> {
    let csv = |name: &str| tables::csv(report.table(name).unwrap()).unwrap();
    // (file, its text, the columns holding its sizes, the columns holding scores)
    type Table<'a> = (&'a str, Vec<u8>, &'a [&'a str], &'a [&'a str]);
    let tables: [Table; 4] = [
        (
            "scores.csv",
            csv("scores.csv"),
            &["n"],
            &["mean", "sd", "ci_low", "ci_high", "pct_favorable", "n_*"],
        ),
        (
            "groups.csv",
            csv("groups.csv"),
            &["respondents", "n"],
            &["mean", "sd", "ci_low", "ci_high"],
        ),
        (
            "comparison.csv",
            csv("comparison.csv"),
            &["n_from", "n_to"],
            &[
                "mean_from",
                "mean_to",
                "diff",
                "ci_low",
                "ci_high",
                "statistic",
                "df",
                "p_value",
                "q_value",
                "effect_size",
                "magnitude",
                "p_welch",
                "p_mann_whitney",
            ],
        ),
        (
            "reliability.csv",
            csv("reliability.csv"),
            &["n_complete"],
            &["alpha"],
        ),
    ];
    for (name, bytes, sizes, numbers) in tables {
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let column = |wanted: &str| -> Vec<usize> {
            header
                .iter()
                .enumerate()
                .filter(|(_, h)| match wanted.strip_suffix('*') {
                    Some(prefix) => h.starts_with(prefix) && *h != "n_na",
                    None => *h == wanted,
                })
                .map(|(k, _)| k)
                .collect()
        };
        for record in reader.records() {
            let record = record.unwrap();
            let small = sizes
                .iter()
                .flat_map(|s| column(s))
                .any(|k| record[k].parse::<usize>().unwrap() < t);
            if !small {
                continue;
            }
            for k in numbers.iter().flat_map(|n| column(n)) {
                if !record[k].is_empty() {
                    return Err(format!(
                        "{name}: {} = {} in a row under {t}: {record:?}",
                        header[k], &record[k]
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The report model as the templates read it: every cell, group column, node question,
/// self-rating gap, mix count and reliability cell under the threshold shows no number, and a
/// node whose latest score is suppressed has no band and no % favourable.
fn check_model(v: &serde_json::Value, t: usize, seen: &mut BTreeSet<&'static str>) -> Result<(), String> {
    use serde_json::Value;
    let n_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_u64).map(|n| n as usize);
    let fail = |what: &str, v: &Value| Err(format!("{what} under {t}: {v}"));
    match v {
        Value::Object(o) => {
            let has = |keys: &[&str]| keys.iter().all(|k| o.contains_key(*k));
            let suppressed = o.get("suppressed").and_then(Value::as_bool);
            if has(&["n", "suppressed", "mean", "ci", "mean_text", "ci_text"]) {
                seen.insert("cell");
                let n = n_of(v, "n").unwrap();
                if n < t && suppressed != Some(true) {
                    return fail("cell not suppressed", v);
                }
                let digits = |key: &str| o[key].as_str().unwrap().contains(|c: char| c.is_ascii_digit());
                if suppressed == Some(true)
                    && (!o["mean"].is_null()
                        || !o["ci"].is_null()
                        || digits("mean_text")
                        || digits("ci_text"))
                {
                    return fail("suppressed cell with numbers", v);
                }
            }
            if has(&["question", "n", "suppressed", "answers"]) {
                seen.insert("node question");
                if n_of(v, "n").unwrap() < t && suppressed != Some(true) {
                    return fail("node question not suppressed", v);
                }
                let shown = |a: &Value| !a["percent"].is_null() || a["share"] != "" || !a["n"].is_null();
                if suppressed == Some(true)
                    && (o["answers"].as_array().unwrap().iter().any(shown) || !o["most"].is_null())
                {
                    return fail("suppressed node question with answers", v);
                }
            }
            if has(&["name", "respondents", "suppressed"]) {
                seen.insert("group column");
            }
            if has(&["name", "respondents", "suppressed"])
                && n_of(v, "respondents").unwrap() < t
                && suppressed != Some(true)
            {
                return fail("group column not suppressed", v);
            }
            if has(&["columns", "rows", "attribute"]) {
                seen.insert("group table");
                for (k, column) in o["columns"].as_array().unwrap().iter().enumerate() {
                    if column["suppressed"] == true {
                        for row in o["rows"].as_array().unwrap() {
                            let cell = &row["cells"][k];
                            if !(cell.is_null() || cell["suppressed"] == true)
                                || !row["differences"][k].is_null()
                            {
                                return fail("suppressed group with a score", row);
                            }
                        }
                    }
                }
            }
            if has(&["n_self", "n_others", "gap"]) {
                seen.insert("self-rating gap");
            }
            if has(&["n_self", "n_others", "gap"])
                && (n_of(v, "n_self").unwrap() < t || n_of(v, "n_others").unwrap() < t)
            {
                return fail("self-rating gap", v);
            }
            if has(&["group", "respondents", "invited"]) {
                seen.insert("mix");
                for shown in o["respondents"].as_array().unwrap() {
                    let text = shown.as_str().unwrap();
                    let ok = text == format!("<{t}") || text.parse::<usize>().is_ok_and(|n| n == 0 || n >= t);
                    if !ok {
                        return fail("mix count", v);
                    }
                }
            }
            if has(&["label", "level", "cells"])
                && o["cells"].as_array().unwrap().iter().any(|c| c.is_string())
            {
                seen.insert("reliability row");
                for cell in o["cells"].as_array().unwrap().iter().filter_map(Value::as_str) {
                    let n = cell
                        .rsplit_once("(n=")
                        .and_then(|(_, n)| n.trim_end_matches(')').parse::<usize>().ok());
                    if n.is_some_and(|n| n < t) && !cell.starts_with("suppressed") {
                        return fail("reliability cell", v);
                    }
                }
            }
            if has(&["cells", "favourable", "band", "is_item"]) {
                seen.insert("node row");
                let latest = o["cells"].as_array().unwrap().last().unwrap();
                let hidden = latest.is_null() || latest["suppressed"] == true;
                if hidden
                    && (!o["band"].is_null()
                        || o["favourable"]
                            .as_str()
                            .unwrap()
                            .contains(|c: char| c.is_ascii_digit()))
                {
                    return fail(
                        "node with a suppressed latest score but a band or % favourable",
                        v,
                    );
                }
            }
            o.values().try_for_each(|x| check_model(x, t, seen))
        }
        Value::Array(items) => items.iter().try_for_each(|x| check_model(x, t, seen)),
        _ => Ok(()),
    }
}

/// Every shape `check_model` recognises by its field names, so a renamed field cannot turn a
/// check off unnoticed (see `the_model_checks_all_apply_to_the_leadership_sample`).
const MODEL_SHAPES: [&str; 8] = [
    "cell",
    "node question",
    "group column",
    "group table",
    "self-rating gap",
    "mix",
    "reliability row",
    "node row",
];

#[test]
fn the_model_checks_all_apply_to_the_leadership_sample() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("sample_surveys/leadership/backbone.toml")).unwrap();
    let report = analyse(&config).unwrap().report();
    let mut seen = BTreeSet::new();
    check_model(
        &serde_json::to_value(&report).unwrap(),
        config.report.suppress_below,
        &mut seen,
    )
    .unwrap();
    let missed: Vec<&str> = MODEL_SHAPES
        .iter()
        .copied()
        .filter(|s| !seen.contains(s))
        .collect();
    assert!(
        missed.is_empty(),
        "shapes no longer found in the model: {missed:?}"
    );
}

proptest! {
    #![proptest_config(runner())]

    /// Shuffling the respondents of every wave changes no result: counts, item means and
    /// % favourable to the bit (integer sums), every other number within 1e-9 of its size
    /// (see `same_numbers`). The printed report is not compared: a number within 1e-9 of a
    /// rounding boundary may print either way.
    #[test]
    fn results_do_not_depend_on_row_order(case in case(), seed in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        let a = case.run(dir.path());
        let mut shuffled = case.clone();
        let mut rng = fastrand::Rng::with_seed(seed);
        shuffled.waves.iter_mut().for_each(|w| rng.shuffle(w));
        let b = shuffled.run(dir.path());
        if let Err(e) = same_numbers(&results(&a), &results(&b)) {
            prop_assert!(false, "{}", e);
        }
        for (x, y) in a.scores.rows.iter().zip(&b.scores.rows) {
            prop_assert_eq!(&x.counts, &y.counts);
            prop_assert_eq!(x.pct_favorable.map(f64::to_bits), y.pct_favorable.map(f64::to_bits));
            if x.level == ITEM_LEVEL {
                prop_assert_eq!(x.mean.map(f64::to_bits), y.mean.map(f64::to_bits), "{}", x.id);
            }
        }
    }

    /// Reverse coding twice is identity: on every scale, each code oriented twice the same way
    /// is itself (and, where the scale may be mirrored, oriented once it is a code); through
    /// the pipeline, toggling every item's reverse mark and answering with the mirror image
    /// of each point gives the same results to the bit.
    #[test]
    fn reverse_coding_twice_is_identity(case in case()) {
        let dir = tempfile::tempdir().unwrap();
        let a = case.run(dir.path());
        for (id, scale) in &a.instrument.scales {
            let codes: Vec<i64> = scale.points.iter().map(|p| p.value).collect();
            let symmetric = codes.iter().all(|&v| codes.contains(&(scale.min() + scale.max() - v)));
            for &v in &codes {
                for reverse in [false, true] {
                    let once = scale.oriented(v, reverse);
                    prop_assert_eq!(scale.oriented(once, reverse), v, "scale {} code {}", id, v);
                    if symmetric {
                        prop_assert!(codes.contains(&once), "scale {id}: {v} oriented to {once}");
                    }
                }
            }
        }
        let b = Case { flipped: true, ..case.clone() }.run(dir.path());
        prop_assert_eq!(results(&a), results(&b));
    }

    /// Every t-interval contains its estimate: node, item and group means, the difference of
    /// two waves (Welch) and of a group and the rest of its wave, and the model's cells.
    #[test]
    fn intervals_contain_their_estimate(case in case()) {
        let dir = tempfile::tempdir().unwrap();
        let a = case.run(dir.path());
        let contains = |(lo, hi): (f64, f64), x: f64| lo <= x && x <= hi;
        for r in &a.scores.rows {
            if let (Some(m), Some(ci)) = (r.mean, r.ci) {
                prop_assert!(contains(ci, m), "{} in {}: {m} outside {ci:?}", r.id, r.wave);
            }
        }
        for g in a.groups.iter().flat_map(|(_, g)| g) {
            if let (Some(m), Some(ci)) = (g.mean, g.ci) {
                prop_assert!(contains(ci, m), "group {} {}: {m} outside {ci:?}", g.group, g.id);
            }
        }
        for c in &a.comparisons {
            if let Some(i) = c.interval {
                prop_assert!(contains((i.low, i.high), i.diff), "{} {:?}: {i:?}", c.id, c.pair);
                prop_assert_eq!(Some(i.diff), c.diff);
            }
        }
        for g in &a.group_tests {
            if let Some(i) = g.interval {
                prop_assert!(contains((i.low, i.high), i.diff), "{} {} {}: {i:?}", g.group, g.id, g.wave);
            }
        }
        let cells = serde_json::to_value(a.report()).unwrap();
        let mut pending = vec![&cells];
        while let Some(v) = pending.pop() {
            match v {
                serde_json::Value::Object(o) => {
                    if let (Some(m), Some([lo, hi])) = (o.get("mean").and_then(|m| m.as_f64()), o.get("ci").and_then(|c| c.as_array()).map(Vec::as_slice)) {
                        let ci = (lo.as_f64().unwrap(), hi.as_f64().unwrap());
                        prop_assert!(contains(ci, m), "cell {m} outside {ci:?}");
                    }
                    pending.extend(o.values());
                }
                serde_json::Value::Array(items) => pending.extend(items),
                _ => {}
            }
        }
    }

    /// Suppression lets no number of fewer than `report.suppress_below` respondents through:
    /// not in the data behind the CSVs, the CSVs themselves or the report model the HTML,
    /// Markdown, brief, charts and workbook are written from (see `check_*`). And a wave with
    /// fewer rows than the threshold is invisible: giving its respondents other points
    /// changes no output number or word.
    #[test]
    fn suppression_lets_no_small_group_through(case in case(), other in prop::collection::vec(any::<u8>(), 1..64)) {
        let dir = tempfile::tempdir().unwrap();
        let report = case.run(dir.path()).report();
        let t = case.suppress_below;
        if let Err(e) = check_data(&report, t)
            .and_then(|_| check_csvs(&report, t))
            .and_then(|_| check_model(&serde_json::to_value(&report).unwrap(), t, &mut BTreeSet::new()))
        {
            prop_assert!(false, "{}", e);
        }
        let small: Vec<usize> = (0..case.waves.len()).filter(|&w| case.waves[w].len() < t).collect();
        if !small.is_empty() {
            let changed = case.with_other_points(&small, &other).run(dir.path()).report();
            prop_assert_eq!(outputs(&report), outputs(&changed), "waves {:?} under {}", small, t);
        }
    }
}

// Regression tests: the shrunk cases the properties found, kept as plain tests.

/// One function with one indicator of one item on a scale coded `values`, answered on its
/// second declared point by one complete respondent per entry of `holders` (who they say
/// leads function 0; 0: not stated).
fn small_case(values: Vec<i64>, reverse: bool, holders: &[u8], suppress_below: usize) -> Case {
    let respondent = |holder: u8| Respondent {
        answers: vec![(1, false); MAX_ITEMS],
        complete: true,
        role: 0,
        holder,
    };
    Case {
        scales: vec![ScaleSpec {
            favourable: values
                .iter()
                .map(|&v| v == *values.iter().max().unwrap())
                .collect(),
            values,
            best_first: false,
        }],
        functions: vec![FunctionSpec {
            scale: 0,
            lower_is_better: false,
            indicators: vec![vec![reverse]],
        }],
        waves: vec![holders.iter().map(|&h| respondent(h)).collect()],
        suppress_below,
        min_answered: 0.5,
        confidence: 0.95,
        flipped: false,
    }
}

/// Found by `scores_lie_within_the_scale`: on a scale coded 0, 1 and 3, a reverse-worded answer
/// of 1 was scored 2, no point of the scale (counted under no `n_` column of scores.csv, with no
/// label). A scale that anything mirrors must now have symmetric codes; unmirrored it still
/// scores on its own points.
#[test]
fn an_unevenly_coded_scale_is_refused_where_it_would_be_mirrored() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |case: &Case, why: &str| {
        let err = analyse(&case.write(dir.path())).unwrap_err();
        let text = err.to_string();
        let expected = format!(
            "scale \"s0\" must be mirrored because {why}, but its codes 0, 1, 3 are not symmetric: the mirror image of 1 would be 2, which is not one of them"
        );
        assert!(
            text.contains("gen.instrument.toml: ") && text.contains(&expected),
            "{text}"
        );
        assert!(text.contains("Number the scale's points symmetrically"), "{text}");
        assert_eq!(err.exit_code(), 1);
    };
    let reversed = small_case(vec![0, 1, 3], true, &[0], 1);
    refused(&reversed, "item \"q0\" on it is reverse-worded");
    let mut best_first = small_case(vec![0, 1, 3], false, &[0], 1);
    best_first.scales[0].best_first = true;
    refused(&best_first, "it is best_first");
    let mut lower = small_case(vec![0, 1, 3], false, &[0], 1);
    lower.functions[0].lower_is_better = true;
    refused(&lower, "item \"q0\" on it measures a lower-is-better node");

    // Choice 1 of a complete respondent is the second declared point, coded 1.
    let plain = small_case(vec![0, 1, 3], false, &[0], 1).run(dir.path());
    let item = plain.scores.row("2021", "q0").unwrap();
    assert_eq!(item.mean, Some(1.0));
    assert_eq!(item.counts, [(1, 1)].into());
}

/// Found by `suppression_lets_no_small_group_through`: a question about a node answered by
/// fewer respondents than the threshold showed no shares but still counted its answers option
/// by option (`answers[].n` in the model every template reads).
#[test]
fn a_suppressed_node_question_counts_no_option() {
    let dir = tempfile::tempdir().unwrap();
    let question = |suppress_below: usize| {
        let case = small_case(vec![1, 2, 3], false, &[1, 1, 2, 0], suppress_below);
        case.run(dir.path()).report().node_questions.remove(0)
    };
    let hidden = question(4);
    assert!(hidden.suppressed);
    assert_eq!(hidden.n, 3);
    for option in &hidden.answers {
        assert_eq!(
            (option.n, option.percent, option.share.as_str()),
            (None, None, "")
        );
    }
    assert_eq!(hidden.most, None);
    let shown = question(3);
    assert!(!shown.suppressed);
    let counts: Vec<Option<usize>> = shown.answers.iter().map(|o| o.n).collect();
    assert_eq!(counts, [Some(2), Some(1)]);
    assert_eq!(shown.most.as_deref(), Some("Backbone"));
}
