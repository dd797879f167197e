//! The key-driver part of the report model: for each overall item, the latest wave's
//! importances of the headline nodes with their intervals, scores and bands, the priority (the
//! node that matters at least an average share and scores lowest of those), and the findings
//! in plain words. Intervals that overlap are never called different.

use super::model::{KeyDriverRow, KeyDriverView, NodeRow};
use super::text::fixed;
use super::Builder;
use crate::drivers::{DriverFit, KeyDrivers, Method, NodeImportance, RESAMPLES};
use crate::score::ITEM_LEVEL;

impl Builder<'_> {
    /// One view per overall item analysed in the latest wave.
    pub(super) fn key_drivers(&self) -> Vec<KeyDriverView> {
        let i = self.i;
        i.key_drivers
            .iter()
            .filter(|k| k.wave == self.latest)
            .map(|k| {
                let rating = self.row(&k.outcome, &k.outcome_label, ITEM_LEVEL, 0);
                let rows = k.fit.as_ref().map(|f| self.driver_rows(f)).unwrap_or_default();
                let many = &i.instrument.respondents.many;
                let note = k.fit.is_none().then(|| {
                    format!(
                        "No key-driver analysis in {}: {} {many} answered it and scored every {}, fewer than the {} it needs ({} per {}).",
                        k.wave,
                        k.n,
                        self.level(&i.instrument.framework.headline_level).label.to_lowercase(),
                        k.needed,
                        i.compare.min_n,
                        self.level(&i.instrument.framework.headline_level).label.to_lowercase(),
                    )
                });
                let mut sentences = k.fit.as_ref().map(|f| self.driver_sentences(k, f, &rows)).unwrap_or_default();
                if k.fit.is_some() {
                    sentences.extend(self.driver_changes(&rating, &rows));
                }
                KeyDriverView {
                    sentences,
                    wave: k.wave.clone(),
                    n: k.n,
                    analysed: k.fit.is_some(),
                    r2: fixed(k.fit.as_ref().map(|f| f.r2), 2),
                    r2_percent: k.fit.as_ref().map_or_else(String::new, |f| format!("{:.0}%", f.r2 * 100.0)),
                    note,
                    rows,
                    rating,
                    caption: self.priority_caption(&k.wave),
                }
            })
            .collect()
    }

    /// What the priority chart shows, in the framework's words.
    fn priority_caption(&self, wave: &str) -> String {
        let level = self.level(&self.i.instrument.framework.headline_level);
        format!(
            "Each {} placed by its importance to the overall rating (its share of what explains it, across) and its score in {wave} (up). Dashed: the average share and the band thresholds. Bottom right: matters most, scores lowest — the priority.",
            level.label.to_lowercase()
        )
    }

    /// The nodes most important first, each with its latest score and band; the priority
    /// marked: as in an importance-performance analysis (Martilla & James 1977), the quadrant
    /// of at least the average share and a score below the nodes' mean score, and in it the
    /// node that matters most.
    fn driver_rows(&self, fit: &DriverFit) -> Vec<KeyDriverRow> {
        let average = fit.r2 / fit.nodes.len().max(1) as f64;
        let score = |n: &NodeImportance| {
            self.i
                .scores
                .row(&self.latest, &n.id)
                .filter(|r| !self.suppressed(r.n))
                .and_then(|r| r.mean)
        };
        let scored: Vec<(&NodeImportance, f64)> = fit
            .nodes
            .iter()
            .filter_map(|n| score(n).map(|s| (n, s)))
            .collect();
        let mean = scored.iter().map(|(_, s)| s).sum::<f64>() / scored.len().max(1) as f64;
        let priority = scored
            .iter()
            .filter(|(n, s)| n.importance >= average && *s < mean)
            .max_by(|a, b| a.0.importance.total_cmp(&b.0.importance))
            .map(|(n, _)| n.id.clone());
        let mut nodes: Vec<&NodeImportance> = fit.nodes.iter().collect();
        nodes.sort_by_key(|n| n.rank);
        nodes
            .into_iter()
            .map(|n| {
                let mean = score(n);
                let lower = self.i.scores.lower_is_better.contains(&n.id);
                KeyDriverRow {
                    id: n.id.clone(),
                    label: n.label.clone(),
                    rank: n.rank,
                    importance: format!("{:.2}", n.importance),
                    interval: format!("{:.2}–{:.2}", n.ci.0, n.ci.1),
                    share: fit
                        .share_of(n.importance)
                        .map_or_else(|| "–".to_string(), |s| format!("{:.0}%", s * 100.0)),
                    score: mean.map_or_else(|| "–".to_string(), |m| format!("{m:.2}")),
                    band: mean.and_then(|m| self.band(&n.id, m, lower)),
                    priority: priority.as_deref() == Some(n.id.as_str()),
                    values: (
                        fit.share_of(n.importance).unwrap_or(0.0),
                        (
                            fit.share_of(n.ci.0).unwrap_or(0.0),
                            fit.share_of(n.ci.1).unwrap_or(0.0),
                        ),
                        mean,
                    ),
                }
            })
            .collect()
    }

    /// What the rating tracks most (all the nodes whose intervals overlap the first's), how
    /// much its nodes explain together, and where to act.
    fn driver_sentences(&self, k: &KeyDrivers, fit: &DriverFit, rows: &[KeyDriverRow]) -> Vec<String> {
        let Some(first) = rows.first() else {
            return Vec::new();
        };
        let i = self.i;
        let plural = self
            .level(&i.instrument.framework.headline_level)
            .plural
            .to_lowercase();
        let who = capitalised(&i.instrument.respondents.many);
        let (lo, _) = first.values.1;
        let tied: Vec<&KeyDriverRow> = rows[1..].iter().filter(|r| r.values.1 .1 >= lo).collect();
        let share = words_share(first.values.0);
        let mut lead = format!(
            "{who}' overall rating (“{}”) tracks {} most (about {share} of what explains it)",
            k.outcome_label, first.label
        );
        if !tied.is_empty() {
            let names: Vec<&str> = tied.iter().map(|r| r.label.as_str()).collect();
            lead.push_str(&format!(
                ", though not clearly more than {}: their intervals overlap",
                join_and(&names)
            ));
        }
        let act = rows.iter().find(|r| r.priority).map(|p| {
            let band = p.band.clone().unwrap_or_else(|| p.score.clone());
            match p.id == first.id {
                true => format!("; it scores {band}: the clearest place to act."),
                false => format!(
                    ". Of the {plural} that matter most, {} scores lowest ({band}, {}): the clearest place to act.",
                    p.label, p.score
                ),
            }
        });
        let none =
            format!(". None of the {plural} that matter more than average scores below the {plural}' mean.");
        lead.push_str(&act.unwrap_or(none));
        let together = format!(
            "Together the {} {plural} account for {:.0}% of the variation in the overall rating (R² {:.2}, {} {} in {}).",
            rows.len(),
            fit.r2 * 100.0,
            fit.r2,
            k.n,
            i.instrument.respondents.many,
            k.wave
        );
        vec![lead, together]
    }

    /// The overall rating's change since the previous wave beside the changes of what it
    /// tracks most (the first two nodes and the priority), each in the words of every change.
    fn driver_changes(&self, rating: &NodeRow, rows: &[KeyDriverRow]) -> Option<String> {
        let change = rating.change_recent.as_ref()?;
        let level = &self.i.instrument.framework.headline_level;
        let drivers: Vec<String> = rows
            .iter()
            .filter(|r| r.rank <= 2 || r.priority)
            .filter_map(|r| {
                let row = self.row(&r.id, &r.label, level, 0);
                row.change_recent.map(|c| format!("{}, {}", r.label, c.phrase))
            })
            .collect();
        let tracked = match drivers.is_empty() {
            true => String::new(),
            false => format!("; of what it tracks most: {}", drivers.join("; ")),
        };
        Some(format!(
            "The overall rating shows {} ({}){tracked}.",
            change.phrase, change.diff
        ))
    }
}

/// A share in plain words: "a third", "half", else a percentage ("22%").
fn words_share(share: f64) -> String {
    const WORDS: [(f64, &str); 9] = [
        (0.2, "a fifth"),
        (0.25, "a quarter"),
        (1.0 / 3.0, "a third"),
        (0.4, "two-fifths"),
        (0.5, "half"),
        (0.6, "three-fifths"),
        (2.0 / 3.0, "two-thirds"),
        (0.75, "three-quarters"),
        (0.8, "four-fifths"),
    ];
    WORDS
        .iter()
        .find(|(f, _)| (share - f).abs() < 0.025)
        .map_or_else(|| format!("{:.0}%", share * 100.0), |(_, w)| w.to_string())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// "A", "A and B", "A, B and C".
fn join_and(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The methods statement of the key-driver analysis, when one ran.
pub(super) fn method(analyses: &[KeyDrivers], confidence: f64, headline: &str) -> Option<String> {
    let fits: Vec<&DriverFit> = analyses.iter().filter_map(|k| k.fit.as_ref()).collect();
    let first = fits.first()?;
    let how = match first.method {
        Method::Lmg => "LMG (Lindeman, Merenda & Gold 1980: each predictor's gain in R² when it joins the others, averaged over every order of entry; the Shapley value of R², equal to general dominance), exact over all subsets",
        Method::RelativeWeights => "Johnson's (2000) relative weights, since more than 12 predictors are too many for an exact decomposition over all subsets",
    };
    let widened: usize = fits.iter().map(|f| f.widened).sum();
    let extended = match widened {
        0 => String::new(),
        n => format!(" {n} interval(s) whose resamples lay wholly on one side of the estimate (an importance is never negative) are extended to it."),
    };
    Some(format!(
        "Key drivers of the overall rating: per wave, the respondents' scores on the {} are the predictors of the overall item (complete cases; ordinary least squares with intercept), and R² is shared out by {how}. Intervals are {:.0}% percentile bootstrap intervals over {RESAMPLES} resamples of respondents (seeded per wave and item, so reruns give the same numbers); two intervals that overlap are not called different. No analysis with fewer complete cases than compare.min_n per predictor.{extended}",
        headline.to_lowercase(),
        confidence * 100.0
    ))
}
