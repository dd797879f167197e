//! The report's words: number formats, and the sentences of the findings, the brief's method
//! note and the methods section, each filled from the model's facts (level names, scales,
//! confidence, thresholds), never from what one framework happens to say.

use super::facts::Facts;
use super::{Account, Inputs, NodeRow, ScaleInfo, Section};
use crate::compare::{Comparison, Direction};
use crate::instrument::Noun;
use crate::reliability::Reliability;

/// Versions pinned in Cargo.toml, named in the methods.
const STATRS_VERSION: &str = "0.19.1";

/// Fixed decimals for people; blank when not computable.
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

/// A p- or q-value for people: four decimals, or three significant digits in scientific
/// notation below 0.0001; blank when not computed.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 1e-4 => format!("{p:.3e}"),
        Some(p) => format!("{p:.4}"),
        None => String::new(),
    }
}

/// A share as a percentage without trailing zeros: 0.9 → "90%", 0.975 → "97.5%".
pub fn percent(share: f64) -> String {
    let text = format!("{:.2}", share * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// "A", "A or B", "A, B or C".
pub fn or_list(words: &[&str]) -> String {
    listed(words, "or")
}

/// "A", "A and B", "A, B and C".
pub fn and_list(words: &[&str]) -> String {
    listed(words, "and")
}

fn listed(words: &[&str], conjunction: &str) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// A property key as words: "likely_holders" → "Likely holders".
pub fn key_words(key: &str) -> String {
    let words = key.replace(['_', '-'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "a 4-point scale from Never (1) to Always (4)", from the scale's own points; or each scale in turn.
pub fn scale_phrase(scales: &[ScaleInfo]) -> String {
    let one = |s: &ScaleInfo| {
        let (Some(lo), Some(hi)) = (s.points.first(), s.points.last()) else {
            return String::new();
        };
        format!(
            "a {}-point scale from {} ({}) to {} ({})",
            s.points.len(),
            lo.label,
            lo.value,
            hi.label,
            hi.value
        )
    };
    match scales {
        [single] => one(single),
        _ => format!(
            "{} scales: {}",
            scales.len(),
            scales
                .iter()
                .map(|s| format!("{} ({})", s.label, one(s)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// One reliability cell: alpha with its complete cases, flagged below the acceptable alpha;
/// nothing but n when fewer complete cases than the suppression threshold.
pub fn alpha_cell(r: Option<&(Reliability, bool)>, min_alpha: f64) -> String {
    match r {
        Some((r, true)) => format!("suppressed (n={})", r.n_complete),
        Some((r, false)) => match r.alpha {
            Some(a) => format!(
                "{a:.2}{} (n={})",
                if r.flagged(min_alpha) { " ⚠" } else { "" },
                r.n_complete
            ),
            None => format!("not computable (n={})", r.n_complete),
        },
        None => "–".to_string(),
    }
}

/// Headline findings in plain words: the highest and lowest headline node in the latest wave,
/// every reliable headline change from the first to the latest wave, and the responses used.
pub(super) fn findings(r: &Facts, headline: &[NodeRow], accounts: &[Account]) -> Vec<String> {
    let mut out = Vec::new();
    let latest = r.waves.len() - 1;
    let scored: Vec<(&str, f64, usize)> = headline
        .iter()
        .filter_map(|row| {
            let cell = row.cells.get(latest)?.as_ref()?;
            Some((row.label.as_str(), cell.mean?, cell.n))
        })
        .collect();
    let by_mean = |a: &&(&str, f64, usize), b: &&(&str, f64, usize)| a.1.total_cmp(&b.1);
    if let (Some(top), Some(bottom)) = (scored.iter().max_by(by_mean), scored.iter().min_by(by_mean)) {
        out.push(format!(
            "In {}, {} rated {} highest ({:.2} on the {} scale, n={}) and {} lowest ({:.2}, n={}).",
            r.latest, r.respondents.many, top.0, top.1, r.score_range, top.2, bottom.0, bottom.1, bottom.2
        ));
    }
    let mut tested = false;
    for row in headline {
        let Some(change) = row.change_overall.as_ref().or(row.change_recent.as_ref()) else {
            continue;
        };
        tested |= change.verdict != Direction::NotTested;
        if !matches!(change.verdict, Direction::Improved | Direction::Declined) {
            continue;
        }
        let mean = |wave: &str| {
            r.waves
                .iter()
                .position(|w| w == wave)
                .and_then(|i| row.cells[i].as_ref())
                .and_then(|c| c.mean)
        };
        let (Some(a), Some(b)) = (mean(&change.from), mean(&change.to)) else {
            continue;
        };
        // Plain words here; the test, q and effect size are in the tables and the methods. The
        // difference is that of the means as printed, so it adds up as read.
        out.push(format!(
            "{} {} from {:.2} in {} to {:.2} in {} ({}: {}; adjusted interval {}).",
            row.label,
            change.word,
            a,
            change.from,
            b,
            change.to,
            printed_difference(a, b),
            change.sized,
            change.ci.replace('-', "−")
        ));
    }
    if out.len() == 1 && tested {
        out.push(format!(
            "No {} changed reliably between {} and {}.",
            r.headline_level.label.to_lowercase(),
            r.first,
            r.latest
        ));
    }
    let used: Vec<String> = accounts
        .iter()
        .map(|a| format!("{} in {}", a.used, a.wave))
        .collect();
    out.push(format!("Responses used: {}.", used.join(", ")));
    out
}

/// The difference of two means as they are printed (two decimals), so that it adds up as read:
/// 2.91 → 3.57 is "+0.66" even when the unrounded difference is 0.654.
pub fn printed_difference(from: f64, to: f64) -> String {
    let round = |v: f64| (v * 100.0).round() / 100.0;
    format!("{:+.2}", round(to) - round(from)).replace('-', "−")
}

impl super::PercentText {
    pub fn as_string(self) -> String {
        percent(self.0)
    }
}

/// A change in plain words, never calling noise a change: "a large, clear decline since 2023",
/// "no clear change since 2024", "too few partners to compare with 2023".
pub fn change_phrase(c: &Comparison, respondents: &Noun) -> String {
    let since = &c.pair.from;
    match c.direction {
        Direction::Improved | Direction::Declined => format!("{} since {since}", clear_change(c)),
        Direction::NoReliableChange => format!("no clear change since {since}"),
        Direction::TooSmall => format!("a clear change since {since}, too small to count"),
        Direction::NotTested => format!("too few {} to compare with {since}", respondents.many),
    }
}

/// A reliable change sized by its effect: "a large, clear decline", "a clear improvement";
/// empty for any other verdict.
pub fn clear_change(c: &Comparison) -> String {
    if !matches!(c.direction, Direction::Improved | Direction::Declined) {
        return String::new();
    }
    let size = c
        .outcome
        .and_then(|o| o.magnitude)
        .map_or(String::new(), |m| format!("{}, ", m.word()));
    let what = if c.direction == Direction::Improved {
        "improvement"
    } else {
        "decline"
    };
    let article = if size.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {size}clear {what}")
}

/// "4.12 on the 0–10 scale, 78% favourable; no clear change since 2024; a small, clear
/// improvement since 2023."
pub fn verdict_detail(
    row: &super::NodeRow,
    mean: &str,
    range: &str,
    changes: [&Option<String>; 2],
) -> String {
    let mut sentence = format!("{mean} on the {range} scale");
    if row.lower_is_better {
        sentence.push_str(" (lower is better)");
    }
    if !row.favourable.is_empty() {
        sentence.push_str(&format!(", {} favourable", row.favourable));
    }
    for phrase in changes.into_iter().flatten() {
        sentence.push_str("; ");
        sentence.push_str(phrase);
    }
    sentence.push('.');
    sentence
}

fn missing_words(r: &Facts) -> String {
    let mut missing: Vec<&str> = r
        .scales
        .iter()
        .flat_map(|s| s.missing.iter().map(String::as_str))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if missing.is_empty() {
        "Answers outside the scale".to_string()
    } else {
        format!("\"{}\"", missing.join("\", \""))
    }
}

/// The brief's method note: what was asked, how it was scored, how changes were called.
pub(super) fn method_note(r: &Facts) -> Vec<String> {
    let headline = r.headline_level.label.to_lowercase();
    let conf = r.confidence.text.as_string();
    let mut asked = format!(
        "{} answered statements on {}; {} is never scored",
        capitalised(&r.respondents.many),
        r.scale_phrase,
        missing_words(r)
    );
    if r.reverse_items > 0 {
        asked.push_str(" and reverse-worded statements are mirrored so that higher is always better");
    }
    asked.push('.');
    vec![
        asked,
        format!(
            "A {}'s score for a {headline} is the mean of the statements they answered in it (at least {} of them); a {headline}'s score is the mean over {}, with a {conf} t-interval.",
            r.respondents.one,
            r.min_answered.text.as_string(),
            r.respondents.many
        ),
        format!(
            "A change is called an improvement or a decline only when a test adjusted for the number of comparisons (false discovery rate below {}) finds it clear and its effect is at least {}; anything less is reported as no clear change. {} and the exact statistics are in the full report.",
            r.compare_alpha,
            r.min_effect,
            bands_sentence(r)
        ),
        format!(
            "Groups, {} and items with fewer than {} {} are never shown. The full report (report.html) lists every {}, the answer distributions, the group breakdowns and the exact methods.",
            r.headline_level.plural.to_lowercase(),
            r.suppress_below,
            r.respondents.many,
            r.level_names
        ),
    ]
}

/// "Bands (a convention, not a validated norm): Strength from 75% of the scale's range, ..."
fn bands_sentence(r: &Facts) -> String {
    let bands: Vec<String> = r
        .bands
        .iter()
        .map(|b| format!("{} from {}", b.label, percent(b.at_least)))
        .collect();
    format!(
        "Bands (a convention, not a validated norm) start at shares of each scale's range: {}",
        bands.join(", ")
    )
}

fn capitalised(word: &str) -> String {
    key_words(word)
}

/// What was computed, one statement per line, with the run's own thresholds and words.
pub(super) fn methods(r: &Facts, sections: &[Section], accounts: &[Account], i: &Inputs) -> Vec<String> {
    let compare = i.compare;
    let pct = r.min_answered.text.as_string();
    let conf = r.confidence.text.as_string();
    let levels = &r.level_names;
    let values = &i.scores.scale_values;
    let counts = match (values.first(), values.last()) {
        (Some(lo), Some(hi)) => format!("n_{lo}…n_{hi}"),
        _ => "n_…".into(),
    };
    let favourable: Vec<String> = r
        .scales
        .iter()
        .map(|s| format!("{}: {}", s.label, s.favourable))
        .collect();
    let mut lines = vec![
        format!("Answers are read by their scale label (case, spacing and curly quotes ignored), a declared alias, or numeric code. {} and the config's other missing answers are counted as N/A and never scored; blank cells are unanswered; text that matches no label is unanswered and counted in the data section.", missing_words(r)),
        format!("A row is used when it answers (with a scale point or N/A) at least {pct} of the items its export asks; a respondent id that appears twice keeps its later row."),
    ];
    if r.reverse_items > 0 {
        lines.push(format!("{} reverse-worded item(s) are mirrored (value' = min + max − value) before any computation, so that higher is always better.", r.reverse_items));
    }
    let best_first: Vec<&str> = r
        .scales
        .iter()
        .filter(|s| s.best_first)
        .map(|s| s.label.as_str())
        .collect();
    if !best_first.is_empty() {
        lines.push(format!("The codes of {} run best-first; they are mirrored when read, so that a higher score is better, and each answer keeps its own label.", or_list(&best_first)));
    }
    let lower: Vec<&str> = sections
        .iter()
        .flat_map(|s| s.rows.iter())
        .filter(|row| row.lower_is_better && !row.is_item && row.depth == 0)
        .map(|row| row.label.trim_start_matches("All ").trim_end_matches(" items"))
        .collect();
    if !lower.is_empty() {
        lines.push(format!("For {} (and everything under it) lower is better, as its framework declares: a decrease is called an improvement, and % favourable counts the answers at the low end of the scale (the mirror image of the favourable points).", or_list(&lower)));
    }
    // With linked respondents the waves are not independent, and the tests below say how.
    let independent = match i.comparisons.iter().any(|c| c.n_linked >= 2) {
        true => "treating waves as independent samples except where respondents are linked across them (see below)",
        false => "treating waves as independent samples",
    };
    lines.extend([
        format!("Roll-up: a {}'s score for a {levels} is the mean of the items in it that they answered on the scale, kept only if they answered at least {pct} of the items it has in that wave. Its score is the mean of the kept {} scores; n is their number. The items of one {} share one range (checked when the instrument is read).", r.respondents.one, r.respondents.one, levels),
        format!("SD is the sample standard deviation (n − 1). The {conf} interval is mean ± t(n − 1) · SD / √n (Student's t); it is not computed for n < 2."),
        format!("% favourable is the share of valid answers (N/A excluded) on a favourable point of the scale ({}), after reverse-coding; it pools the answers to all items of a {levels}. Answer counts ({counts} in scores.csv) are pooled the same way.", favourable.join("; ")),
        format!("Changes compare each wave with the next and the first with the last, {independent}. Changes of a {} score (a mean of items) are tested with Welch's t-test (t = d / √(s₁²/n₁ + s₂²/n₂), ν by Welch–Satterthwaite, two-sided) and sized with Hedges' g (pooled SD, small-sample correction J = 1 − 3/(4(n₁ + n₂) − 9)); the {conf} interval of the difference is d ± t(ν) · √(s₁²/n₁ + s₂²/n₂). Items (single ordinal answers) are tested with the Mann-Whitney U test (exact when both waves have at most 8 answers and no ties, otherwise the normal approximation with tie and continuity corrections) and sized with Cliff's delta (share of pairs where the later answer is higher minus share where it is lower). These are the primary tests that decide each verdict; comparison.csv gives both tests' p for every row (p_welch, p_mann_whitney).", levels),
        format!("p-values are adjusted with the Benjamini-Hochberg procedure within each family of one pair of waves and one level (q). A change is called an improvement or a decline only when q < {} and the effect is at least {} (Hedges' g: 0.2 small, 0.5 medium, 0.8 large; Cliff's delta: 0.147, 0.33, 0.474); when q < {} but the effect is smaller, the change is reliable but too small (real, and too small to count; with the default size, a negligible effect); otherwise (q at or above {}) no reliable change. No test is made, and no direction word given, when either wave has fewer than {} valid scores.", compare.alpha, compare.min_effect.word(), compare.alpha, compare.alpha, compare.min_n),
        format!("Intervals beside a verdict are adjusted as the verdict is: false-coverage-rate intervals (Benjamini & Yekutieli 2005). In a family of m tested rows of which R have q < {a}, each row's t-interval is given at confidence 1 − R·{a}/m (1 − {a}/m when R = 0), d ± t(1 − R·{a}/(2m), ν) · se with the row's own test's se and ν, so that it excludes zero exactly when q < {a}. The CSVs keep the unadjusted {conf} interval (ci_low, ci_high) beside the adjusted one (ci_low_fcr, ci_high_fcr; in groups.csv ci_low_vs_rest_fcr, ci_high_vs_rest_fcr). An item tested with Mann-Whitney has no adjusted interval: that test does not invert to an interval of the difference of means.", a = compare.alpha),
        format!("Reliability: Cronbach's alpha, α = k/(k − 1) · (1 − Σ item variances / variance of the totals), per wave for every {levels} with at least two items, over respondents who answered every item of it on the scale (after reverse-coding), with alpha if each item were deleted (reliability.csv); alpha below {} is flagged.", r.min_alpha),
        format!("Suppression: no score, interval, share, test or alpha is shown for a wave, {levels}, item or group with fewer than {} {}; such cells are marked suppressed in every output, the CSVs included.", r.suppress_below, r.respondents.many),
        "Numbers in the CSVs are written at full precision (the shortest decimal that reads back as the computed value); the reports round them.".to_string(),
        format!("Software: backbone {}, statrs {STATRS_VERSION} (t and normal distributions; its Mann-Whitney test is not used, as its exact two-sided p is wrong when the first sample has the larger U). Every statistic is checked against scipy and numpy (tests/reference/stats_reference.py).", r.version),
        "Identifying and metadata columns (names, emails, IP addresses and any column that is not an instrument question or attribute) are not read. Respondent attributes keep only the instrument's options; other answers count as not stated and are counted in the data section.".to_string(),
    ]);
    if i.comparisons.iter().any(|c| c.tested_with.is_some()) {
        lines.push(format!("One test per set of answers: a {levels} measured by one item alone has that item's answers (its respondents' scores are the item's answers, in both waves of the pair), so the answers are tested once, by the test of the highest {levels} they alone measure, in that level's family. The item, and any node between, carry that test, its q, adjusted interval and verdict (comparison.csv: test, and the note \"tested once with …\") and take no part in their own levels' families; q of those families is computed over the other rows."));
    }
    if i.comparisons.iter().any(|c| c.n_linked >= 2) {
        lines.push(format!("Where a panel key links respondents across waves, the waves share respondents and are not independent: every {levels} comparison with at least two linked respondents is then tested with the partially overlapping samples t-test of Derrick, Toher & White (2017, T_new2: se² = s₁²/n₁ + s₂²/n₂ − 2r·s₁·s₂·n_c/(n₁n₂), r the correlation of the n_c linked pairs, ν = (n_c − 1) + (γ − n_c + 1)(n_a + n_b)/(n_a + n_b + 2n_c), γ Welch's df of the whole waves), which uses the linked pairs and the respondents seen in one wave only together; its interval replaces Welch's. comparison.csv names the test behind each verdict (test) and the linked respondents (n_linked); items keep the Mann-Whitney test. The panel section reports the linked respondents alone."));
    }
    lines.extend(later_methods(r, accounts, i));
    lines
}

/// The methods of bands, and of group tests, response rates and the panel where the run has them.
fn later_methods(r: &Facts, accounts: &[Account], i: &Inputs) -> Vec<String> {
    let compare = i.compare;
    let levels = &r.level_names;
    let bands: Vec<String> = r
        .bands
        .iter()
        .map(|b| format!("{} from {}", b.label, percent(b.at_least)))
        .collect();
    let mut lines = Vec::new();
    lines.push(format!("Bands: a score is placed in the first band whose lower bound it reaches, bounds being shares of its scale's range from the worst point (0%) to the best (100%): {}. On a 1-to-5 scale, 75% is 4.0 and 50% is 3.0. These bands are a convention used by collaboration inventories, not a validated norm; where lower is better the position is mirrored.", bands.join(", ")));
    if !i.group_tests.is_empty() {
        lines.push(format!("Groups: in each wave, each group of a breakdown attribute is compared with everyone else in the wave by Welch's t-test (group minus the rest, Hedges' g), with q by Benjamini-Hochberg within each wave, attribute and level; a difference is called only when q < {} and the effect is at least {} (with a smaller effect, reliable but too small). Groups or rests with fewer than {} {} are not tested. A self-rating group (one that rates its own work) is shown as a gap against everyone else.", compare.alpha, compare.min_effect.word(), r.suppress_below.max(compare.min_n), r.respondents.many));
    }
    if !i.group_changes.is_empty() {
        lines.push(format!("Groups over time: each group's own change of every tested node between the compared waves is tested as a whole-wave change is, on the group's respondents only: Welch's t-test, or, where a panel key links at least two of the group's respondents across the pair, the partially overlapping samples t-test on those linked (a respondent counted in the group of each wave they answered in); Hedges' g; q by Benjamini-Hochberg within each family of one attribute, one pair of waves and one level (every group of the attribute × every node of the level), with the family's false-coverage-rate intervals; a change is called only when q < {} and the effect is at least {}. A group with fewer than {} respondents or scores in either wave is not tested and shows no numbers (group_changes.csv: suppressed).", compare.alpha, compare.min_effect.word(), r.suppress_below));
    }
    if accounts.iter().any(|a| a.invited.is_some()) {
        lines.push(format!("Response rates follow AAPOR's Standard Definitions with everyone invited treated as eligible: RR1 = complete responses / invited, RR2 = (complete + partial responses) / invited, where a complete response answers at least {} of the questions its export asks (with a scale point or N/A; report.complete_at) and a partial one at least {} (report.partial_at); AAPOR leaves these shares to the researcher. Used responses answering fewer are break-offs and, like skipped rows, count as neither.", r.complete_at.text.as_string(), r.partial_at.text.as_string()));
    }
    if !i.panel.is_empty() {
        lines.push(format!("Panel: respondents whose panel key (hashed with SHA-256 when the file is read; the value is never kept) appears once in each of two waves are linked; for each node the linked respondents' own changes are tested with the paired t-test (t = mean d / (SD_d / √n), n − 1 df) and the Wilcoxon signed-rank test (zero changes dropped; exact for small samples as scipy 1.17 chooses, otherwise the tie-corrected normal approximation), q by Benjamini-Hochberg on the primary test (Wilcoxon for items, paired t otherwise) within each pair of waves and level, one test per set of answers as for the waves (a {levels} measured by one item alone and its item get the paired t of the highest such {levels}; panel.csv note \"tested once with …\"); a change is called only when q < {} and d_z = mean d / SD_d is at least {} on Cohen's scale; no test with fewer than {} linked respondents.", compare.alpha, compare.min_effect.word(), compare.min_n));
    }
    lines
}
