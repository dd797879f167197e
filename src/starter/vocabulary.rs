//! The answer vocabularies `init --new` recognises (indicators/scales.vocabulary.toml, bundled
//! into the binary): which known scale a column's distinct answers fit, in its natural order.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::normalize::normalize_label;

const BUNDLED: &str = include_str!("../../indicators/scales.vocabulary.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Point {
    label: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Known {
    id: String,
    label: String,
    #[serde(default)]
    points: Vec<Point>,
    #[serde(default)]
    favourable: Vec<String>,
    from: Option<i64>,
    to: Option<i64>,
    favourable_from: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    missing: Vec<String>,
    scales: Vec<Known>,
}

/// The vocabularies, read once per run of `init --new`.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    missing: Vec<String>,
    scales: Vec<Known>,
}

/// A scale as `init --new` writes it: points worst first (codes 1, 2, ...; numbers keep their
/// own), the favourable codes, and how it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    pub id: String,
    pub label: String,
    /// (code, label, the export's own wordings of the point that are not its label).
    pub points: Vec<(i64, String, Vec<String>)>,
    pub favourable: Vec<i64>,
    /// `false`: no vocabulary fits; the points are in order of first appearance.
    pub known: bool,
}

impl Vocabulary {
    pub fn bundled() -> Result<Vocabulary> {
        let file: File = toml::from_str(BUNDLED).map_err(|e| {
            Error::internal(
                "init --new",
                format!("indicators/scales.vocabulary.toml: {}", e.message()),
            )
        })?;
        Ok(Vocabulary {
            missing: file.missing,
            scales: file.scales,
        })
    }

    /// Whether an answer means "no answer on the scale" ("Don't know", "-99").
    pub fn is_missing(&self, answer: &str) -> bool {
        let text = normalize_label(answer);
        self.missing.iter().any(|m| normalize_label(m) == text)
    }

    /// The known scale every answer is a point of, the one whose points the answers use most
    /// (then the shorter, then the first listed); `answers` holds no missing answer.
    pub fn detect(&self, answers: &[&str]) -> Option<Detected> {
        if answers.is_empty() {
            return None;
        }
        let mut best: Option<(f64, usize, Detected)> = None;
        for known in &self.scales {
            let Some(found) = fit(known, answers) else {
                continue;
            };
            let used = answers.len() as f64 / found.points.len() as f64;
            let better = match &best {
                None => true,
                Some((u, n, _)) => used > *u + 1e-12 || ((used - u).abs() < 1e-12 && found.points.len() < *n),
            };
            if better {
                best = Some((used, found.points.len(), found));
            }
        }
        best.map(|(_, _, d)| d)
    }
}

/// The known scale with the export's wordings, when every answer is one of its points.
fn fit(known: &Known, answers: &[&str]) -> Option<Detected> {
    if let (Some(from), Some(to)) = (known.from, known.to) {
        let numbers: Option<Vec<i64>> = answers.iter().map(|a| a.trim().parse::<i64>().ok()).collect();
        if !numbers?.iter().all(|n| (from..=to).contains(n)) {
            return None;
        }
        let first = known.favourable_from.unwrap_or(to);
        return Some(Detected {
            id: known.id.clone(),
            label: known.label.clone(),
            points: (from..=to).map(|n| (n, n.to_string(), Vec::new())).collect(),
            favourable: (first..=to).collect(),
            known: true,
        });
    }
    let names = |p: &Point| -> Vec<String> {
        std::iter::once(&p.label)
            .chain(&p.aliases)
            .map(|l| normalize_label(l))
            .collect()
    };
    let mut wordings: Vec<Vec<String>> = vec![Vec::new(); known.points.len()];
    for answer in answers {
        let text = normalize_label(answer);
        let k = known.points.iter().position(|p| names(p).contains(&text))?;
        if text != normalize_label(&known.points[k].label) {
            wordings[k].push(answer.trim().to_string());
        }
    }
    let points: Vec<(i64, String, Vec<String>)> = known
        .points
        .iter()
        .zip(wordings)
        .enumerate()
        .map(|(k, (p, w))| (k as i64 + 1, p.label.clone(), w))
        .collect();
    let favourable = points
        .iter()
        .filter(|(_, label, _)| {
            known
                .favourable
                .iter()
                .any(|f| normalize_label(f) == normalize_label(label))
        })
        .map(|(code, _, _)| *code)
        .collect();
    Some(Detected {
        id: known.id.clone(),
        label: known.label.clone(),
        points,
        favourable,
        known: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(answers: &[&str]) -> Option<Detected> {
        Vocabulary::bundled().unwrap().detect(answers)
    }

    #[test]
    fn amounts_come_in_their_natural_order_whatever_order_they_appear_in() {
        let d = detect(&["Too much", "too little", "About right"]).unwrap();
        assert_eq!(d.id, "amount3");
        let labels: Vec<&str> = d.points.iter().map(|p| p.1.as_str()).collect();
        assert_eq!(labels, ["Too little", "About right", "Too much"]);
        assert_eq!(d.favourable, [2]);
    }

    #[test]
    fn the_scale_whose_points_are_used_most_wins() {
        // Both agreement scales fit; four of four points beat four of five.
        let d = detect(&["Agree", "Disagree", "Strongly agree", "Strongly disagree"]).unwrap();
        assert_eq!(d.id, "agree4");
        let d = detect(&["Agree", "Neutral", "Strongly agree"]).unwrap();
        assert_eq!(d.id, "agree5");
        assert_eq!(
            d.points[2].2,
            ["Neutral"],
            "the export's own wording is kept as an alias"
        );
    }

    #[test]
    fn numbers_fit_the_shortest_run_that_holds_them() {
        assert_eq!(detect(&["1", "3", "5", "4"]).unwrap().id, "one-five");
        let d = detect(&["0", "10", "7"]).unwrap();
        assert_eq!(
            (d.id.as_str(), d.points.len(), d.favourable.clone()),
            ("zero-ten", 11, vec![7, 8, 9, 10])
        );
        assert_eq!(detect(&["12", "40"]), None);
    }

    #[test]
    fn answers_outside_every_vocabulary_fit_none() {
        assert_eq!(detect(&["Male", "Female"]), None);
        assert_eq!(detect(&["Agree", "Maybe"]), None);
        let v = Vocabulary::bundled().unwrap();
        assert!(v.is_missing("don't KNOW") && v.is_missing("-99") && !v.is_missing("Agree"));
    }
}
