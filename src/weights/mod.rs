//! Survey weights (`[weights]` in the config): each wave's respondents raked by iterative
//! proportional fitting to the roster's mix given by the wave's `invited_by`, so that estimates
//! speak for everyone invited rather than for whoever answered. Raking, per wave: start at
//! weight 1; for each attribute in turn multiply the weights of each category by target share ×
//! (sum of the weights of respondents who stated the attribute) / (sum of the weights in the
//! category), leaving those who did not state it as they are; repeat until no factor differs
//! from 1 by more than [`TOLERANCE`] (at most [`MAX_ROUNDS`] rounds); scale to mean 1. With
//! `trim`, weights above that multiple of the mean are capped and the weights raked again, until
//! none is above it. The weighted estimates are in [`estimate`].

pub mod columns;
pub mod estimate;
pub mod report;

use std::path::PathBuf;

use serde::Deserialize;

use crate::config::Wave;
use crate::error::{Error, Location, Result};
use crate::instrument::{Attribute, Instrument};
use crate::map::WaveResponses;

pub use estimate::{weighted_score, WeightedChange, WeightedScore, Weighting};

/// No raking factor may differ from 1 by more than this once raking has converged.
pub const TOLERANCE: f64 = 1e-12;
/// Raking rounds (each attribute once per round) before it is called not converging.
pub const MAX_ROUNDS: usize = 1000;

/// The `[weights]` table of a config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsConfig {
    /// Attributes whose roster counts (each wave's `invited_by`) the weights match.
    pub rake: Vec<String>,
    /// No weight above this multiple of the mean weight.
    #[serde(default)]
    pub trim: Option<f64>,
    /// Merge a category with invitees but no respondent into the next one instead of failing.
    #[serde(default)]
    pub collapse: bool,
    /// The config file the table was read from, for messages.
    #[serde(skip)]
    pub origin: PathBuf,
}

impl WeightsConfig {
    fn error(&self, what: String, fix: &str) -> Error {
        Error::definition(Location::file(&self.origin), what, fix)
    }

    /// Checks what can be checked without the instrument and the exports.
    pub fn validate(&self) -> Result<()> {
        if self.rake.is_empty() {
            return Err(self.error(
                "weights.rake names no attribute".into(),
                "Name the attributes to weight by, e.g. rake = [\"role\"], or remove [weights].",
            ));
        }
        if let Some(twice) = crate::config::duplicate_label(self.rake.iter().map(String::as_str)) {
            return Err(self.error(
                format!("weights.rake names \"{twice}\" twice"),
                "Name each attribute once.",
            ));
        }
        match self.trim {
            Some(trim) if !(trim > 1.0 && trim.is_finite()) => Err(self.error(
                format!("weights.trim is {trim}; weights average 1, so a cap must be above 1"),
                "Use a multiple of the mean such as 5.0, or remove trim.",
            )),
            _ => Ok(()),
        }
    }
}

/// One category of a raking margin: the options it holds (two or more once collapsed), how many
/// of the roster it stands for, and its respondents (indices into the wave's respondents).
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub labels: Vec<String>,
    pub invited: usize,
    pub members: Vec<usize>,
}

impl Category {
    /// "Funder" or, once collapsed, "Funder + Backbone staff".
    pub fn name(&self) -> String {
        self.labels.join(" + ")
    }
}

/// One raking attribute of one wave: its categories in the attribute's declared order.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    pub attribute: String,
    pub categories: Vec<Category>,
    /// Respondents who stated none of the roster's categories: they keep their weight.
    pub unstated: usize,
}

impl Margin {
    /// Each category's share of the roster.
    pub fn targets(&self) -> Vec<f64> {
        let total: usize = self.categories.iter().map(|c| c.invited).sum();
        self.categories
            .iter()
            .map(|c| c.invited as f64 / total as f64)
            .collect()
    }

    /// Each category's share of the stated respondents' weight.
    pub fn shares(&self, weights: &[f64]) -> Vec<f64> {
        let sums: Vec<f64> = self
            .categories
            .iter()
            .map(|c| c.members.iter().map(|&r| weights[r]).sum())
            .collect();
        let total: f64 = sums.iter().sum();
        sums.iter().map(|s| s / total).collect()
    }
}

/// One wave's weights and how they were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveWeights {
    pub wave: String,
    /// The wave's `invited`: the population size of the finite population correction.
    pub invited: usize,
    /// One weight per respondent, in respondent order, averaging 1.
    pub weights: Vec<f64>,
    pub margins: Vec<Margin>,
    /// Rounds of the last raking.
    pub rounds: usize,
    /// Respondents whose weight was capped by `trim` (0 without it).
    pub trimmed: usize,
    /// Categories merged by `collapse`, in words ("Funder into Backbone staff").
    pub collapsed: Vec<String>,
}

impl WaveWeights {
    pub fn largest(&self) -> f64 {
        self.weights.iter().copied().fold(0.0, f64::max)
    }

    /// Kish's effective sample size of the whole wave, (Σw)² / Σw².
    pub fn n_eff(&self) -> f64 {
        let (sum, squares) = self
            .weights
            .iter()
            .fold((0.0, 0.0), |(s, q), w| (s + w, q + w * w));
        sum * sum / squares
    }
}

/// Rakes `weights` in place to the margins; returns the rounds used, or, when it does not
/// converge, the categories whose factor still differed from 1 in the last round.
pub fn rake(weights: &mut [f64], margins: &[Margin]) -> std::result::Result<usize, Vec<String>> {
    let mut off = Vec::new();
    for round in 1..=MAX_ROUNDS {
        off.clear();
        for margin in margins {
            let stated: f64 = margin
                .categories
                .iter()
                .flat_map(|c| &c.members)
                .map(|&r| weights[r])
                .sum();
            for (category, target) in margin.categories.iter().zip(margin.targets()) {
                let sum: f64 = category.members.iter().map(|&r| weights[r]).sum();
                let factor = target * stated / sum;
                if (factor - 1.0).abs() > TOLERANCE {
                    off.push(format!(
                        "{} = {} (factor {factor:.6})",
                        margin.attribute,
                        category.name()
                    ));
                }
                for &r in &category.members {
                    weights[r] *= factor;
                }
            }
        }
        if off.is_empty() {
            return Ok(round);
        }
    }
    Err(off)
}

/// Scales weights to average 1.
fn to_mean_one(weights: &mut [f64]) {
    let factor = weights.len() as f64 / weights.iter().sum::<f64>();
    weights.iter_mut().for_each(|w| *w *= factor);
}

/// Rakes one wave (and trims, when asked): weights averaging 1, the rounds of the last raking
/// and how many respondents were capped.
fn fit(
    margins: &[Margin],
    respondents: usize,
    trim: Option<f64>,
) -> std::result::Result<(Vec<f64>, usize, usize), String> {
    let conflict = |off: Vec<String>| {
        format!(
            "raking did not converge in {MAX_ROUNDS} rounds: these margins conflict: {}",
            off.join("; ")
        )
    };
    let mut weights = vec![1.0; respondents];
    let mut rounds = rake(&mut weights, margins).map_err(conflict)?;
    to_mean_one(&mut weights);
    let Some(cap) = trim else {
        return Ok((weights, rounds, 0));
    };
    let mut capped = vec![false; respondents];
    for _ in 0..MAX_ROUNDS {
        if weights.iter().all(|&w| w <= cap * (1.0 + 1e-9)) {
            return Ok((weights, rounds, capped.iter().filter(|&&c| c).count()));
        }
        for (w, c) in weights.iter_mut().zip(&mut capped) {
            if *w > cap {
                *w = cap;
                *c = true;
            }
        }
        rounds = rake(&mut weights, margins).map_err(conflict)?;
        to_mean_one(&mut weights);
    }
    Err(format!(
        "no weights match the roster with none above trim = {cap} times the mean"
    ))
}

/// The config wave a wave's responses came from: by label, else (unlabelled) by file.
fn config_wave<'c>(waves: &'c [Wave], responses: &WaveResponses) -> Option<&'c Wave> {
    waves
        .iter()
        .find(|w| w.label.as_deref() == Some(responses.wave.as_str()))
        .or_else(|| {
            waves
                .iter()
                .find(|w| w.label.is_none() && w.file == responses.account.path)
        })
}

/// Rakes every wave to its roster, as `[weights]` says.
pub fn weigh(
    settings: &WeightsConfig,
    instrument: &Instrument,
    waves: &[WaveResponses],
    config_waves: &[Wave],
) -> Result<Vec<WaveWeights>> {
    let mut attributes = Vec::new();
    for id in &settings.rake {
        match instrument.attributes.iter().position(|a| a.id == *id) {
            Some(a) if instrument.attributes[a].about.is_none() => attributes.push(a),
            _ => {
                return Err(settings.error(
                    format!(
                    "weights.rake names \"{id}\", which is not a respondent attribute of instrument \"{}\"",
                    instrument.id
                ),
                    "Use attribute ids from the instrument's [[attributes]] (not questions about nodes).",
                ))
            }
        }
    }
    waves
        .iter()
        .map(|wave| weigh_wave(settings, instrument, &attributes, wave, config_waves))
        .collect()
}

fn weigh_wave(
    settings: &WeightsConfig,
    instrument: &Instrument,
    attributes: &[usize],
    wave: &WaveResponses,
    config_waves: &[Wave],
) -> Result<WaveWeights> {
    let name = &wave.wave;
    let source = config_wave(config_waves, wave);
    let invited = source.and_then(|w| w.invited).ok_or_else(|| {
        settings.error(
            format!("wave {name} gives no invited count, which weights need (the roster's size)"),
            "Add invited = <roster size> to the wave, or remove [weights].",
        )
    })?;
    if wave.respondents > invited {
        return Err(settings.error(
            format!(
                "wave {name} has {} respondents but invited = {invited}",
                wave.respondents
            ),
            "Give the number invited to the wave (at least its respondents).",
        ));
    }
    let mut margins = Vec::new();
    let mut collapsed = Vec::new();
    for (attribute, &a) in settings.rake.iter().zip(attributes) {
        let roster = source.and_then(|w| w.invited_by.get(attribute)).ok_or_else(|| {
            settings.error(
                format!("wave {name} gives no invited_by counts for \"{attribute}\", which weights.rake names"),
                &format!("Add invited_by = {{ {attribute} = {{ \"<option>\" = <count>, ... }} }} to the wave, or take \"{attribute}\" out of weights.rake."),
            )
        })?;
        let (margin, merged) = margin(settings, &instrument.attributes[a], a, wave, roster)?;
        collapsed.extend(merged);
        margins.push(margin);
    }
    let (weights, rounds, trimmed) = fit(&margins, wave.respondents, settings.trim).map_err(|what| {
        settings.error(
            format!("wave {name}: {what}"),
            "Rake by fewer attributes, set [weights] collapse = true, or raise trim.",
        )
    })?;
    Ok(WaveWeights {
        wave: name.clone(),
        invited,
        weights,
        margins,
        rounds,
        trimmed,
        collapsed,
    })
}

/// One attribute's margin in one wave: the roster's categories in the attribute's declared
/// order with their respondents, empty ones merged when `collapse` is set.
fn margin(
    settings: &WeightsConfig,
    attr: &Attribute,
    a: usize,
    wave: &WaveResponses,
    roster: &std::collections::BTreeMap<String, usize>,
) -> Result<(Margin, Vec<String>)> {
    let (name, attribute) = (&wave.wave, attr.id.as_str());
    let options: Vec<&str> = attr.options.iter().map(|o| o.label()).collect();
    if let Some(unknown) = roster.keys().find(|k| !options.contains(&k.as_str())) {
        return Err(settings.error(
            format!("wave {name}: invited_by.{attribute} names \"{unknown}\", which is not an option of \"{attribute}\""),
            &format!("Use the option labels: {}.", options.join(", ")),
        ));
    }
    let group_of = |r: usize| {
        wave.groups[a]
            .get(wave.attributes[a][r] as usize)
            .map(String::as_str)
    };
    let mut categories: Vec<Category> = Vec::new();
    for option in &options {
        let members: Vec<usize> = (0..wave.respondents)
            .filter(|&r| group_of(r) == Some(*option))
            .collect();
        let invited = roster.get(*option).copied().unwrap_or(0);
        if invited == 0 && !members.is_empty() {
            return Err(settings.error(
                format!("wave {name}: {} respondent(s) give {attribute} = \"{option}\", which invited_by.{attribute} gives no invitees", members.len()),
                &format!("Add \"{option}\" with its roster count to the wave's invited_by.{attribute}."),
            ));
        }
        if invited > 0 {
            categories.push(Category {
                labels: vec![option.to_string()],
                invited,
                members,
            });
        }
    }
    let merged = collapse(settings, name, attribute, &mut categories)?;
    let stated: usize = categories.iter().map(|c| c.members.len()).sum();
    Ok((
        Margin {
            attribute: attribute.to_string(),
            categories,
            unstated: wave.respondents - stated,
        },
        merged,
    ))
}

/// Merges each category with invitees but no respondent into the next (the last into the one
/// before) when `collapse` is set; otherwise such a category is an error naming it.
fn collapse(
    settings: &WeightsConfig,
    wave: &str,
    attribute: &str,
    categories: &mut Vec<Category>,
) -> Result<Vec<String>> {
    let mut merged = Vec::new();
    while let Some(empty) = categories.iter().position(|c| c.members.is_empty()) {
        if !settings.collapse || categories.len() < 2 {
            let what = if categories.len() < 2 && settings.collapse {
                format!("wave {wave}: no respondent states \"{attribute}\", so it cannot be weighted by it")
            } else {
                format!(
                    "wave {wave}: {attribute} = \"{}\" has {} invitee(s) but no respondent, so no weight can stand for them",
                    categories[empty].name(),
                    categories[empty].invited
                )
            };
            return Err(settings.error(
                what,
                "Set [weights] collapse = true to merge it with the next category, or take the attribute out of weights.rake.",
            ));
        }
        let category = categories.remove(empty);
        let into = empty.min(categories.len() - 1);
        merged.push(format!(
            "{attribute} = {} into {}",
            category.name(),
            categories[into].name()
        ));
        let target = &mut categories[into];
        target.invited += category.invited;
        if into == empty {
            target.labels.splice(0..0, category.labels);
        } else {
            target.labels.extend(category.labels);
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn margin(attribute: &str, categories: &[(&str, usize, &[usize])]) -> Margin {
        Margin {
            attribute: attribute.into(),
            categories: categories
                .iter()
                .map(|(label, invited, members)| Category {
                    labels: vec![label.to_string()],
                    invited: *invited,
                    members: members.to_vec(),
                })
                .collect(),
            unstated: 0,
        }
    }

    #[test]
    fn one_margin_is_met_in_one_step_and_the_unstated_keep_their_weight() {
        // Three A and one B stated, one respondent unstated; the roster is half A, half B.
        // Factors 0.5 · 4 / 3 for A and 0.5 · 4 / 1 for B; the unstated keeps 1; the sum is
        // then 5, so the mean is already 1.
        let m = margin("role", &[("A", 20, &[0, 1, 2]), ("B", 20, &[3])]);
        let (weights, rounds, trimmed) = fit(&[m], 5, None).unwrap();
        let expected = [2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 2.0, 1.0];
        for (w, e) in weights.iter().zip(expected) {
            assert!((w - e).abs() < 1e-15, "{weights:?}");
        }
        // The second round finds every factor 1.
        assert_eq!((rounds, trimmed), (2, 0));
    }

    #[test]
    fn margins_that_cannot_both_hold_are_named() {
        // Every A is North and every B South, yet the roster is half A but three-quarters North.
        let role = margin("role", &[("A", 1, &[0, 1]), ("B", 1, &[2, 3])]);
        let team = margin("team", &[("North", 3, &[0, 1]), ("South", 1, &[2, 3])]);
        let err = fit(&[role, team], 4, None).unwrap_err();
        assert!(err.contains("did not converge in 1000 rounds"), "{err}");
        assert!(err.contains("role = A") && err.contains("team = North"), "{err}");
    }

    #[test]
    fn trimmed_weights_are_re_raked_under_the_cap() {
        // The one North B stands for much of North and of B: 2.83 untrimmed. Capped at 2 and
        // re-raked (76 passes, as numpy's same loop), both margins still hold.
        let role = margin(
            "role",
            &[("A", 50, &[0, 1, 2, 3, 4, 5, 6, 7]), ("B", 50, &[8, 9, 10, 11])],
        );
        let team = margin(
            "team",
            &[
                ("North", 60, &[0, 1, 2, 3, 8]),
                ("South", 40, &[4, 5, 6, 7, 9, 10, 11]),
            ],
        );
        let margins = [role.clone(), team.clone()];
        let (untrimmed, _, _) = fit(&margins, 12, None).unwrap();
        assert!((untrimmed[8] - 2.8306787322487383).abs() < 1e-9, "{untrimmed:?}");
        let (weights, _, trimmed) = fit(&margins, 12, Some(2.0)).unwrap();
        assert_eq!(trimmed, 1);
        let expected = [
            1.3,
            1.3,
            1.3,
            1.3,
            0.2,
            0.2,
            0.2,
            0.2,
            2.0,
            4.0 / 3.0,
            4.0 / 3.0,
            4.0 / 3.0,
        ];
        for (w, e) in weights.iter().zip(expected) {
            assert!((w - e).abs() < 1e-6, "{weights:?}");
        }
        assert!(weights.iter().all(|&w| w <= 2.0 * (1.0 + 1e-9)));
        assert!((team.shares(&weights)[0] - 0.6).abs() < 1e-12);
        assert!((role.shares(&weights)[0] - 0.5).abs() < 1e-6);
        // A cap the margins cannot allow (one B for half the roster) is refused.
        let lone = margin("role", &[("A", 50, &[0, 1, 2]), ("B", 50, &[3])]);
        let err = fit(&[lone], 4, Some(1.5)).unwrap_err();
        assert!(err.contains("none above trim = 1.5"), "{err}");
    }

    #[test]
    fn an_empty_category_is_an_error_or_merged_with_the_next() {
        let settings = |collapse| WeightsConfig {
            rake: vec!["role".into()],
            trim: None,
            collapse,
            origin: PathBuf::from("cfg/backbone.toml"),
        };
        let categories = || {
            vec![
                Category {
                    labels: vec!["Staff".into()],
                    invited: 5,
                    members: vec![0],
                },
                Category {
                    labels: vec!["Funder".into()],
                    invited: 3,
                    members: vec![],
                },
                Category {
                    labels: vec!["Partner".into()],
                    invited: 9,
                    members: vec![1],
                },
            ]
        };
        let err = collapse(&settings(false), "2024", "role", &mut categories()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("cfg/backbone.toml") && text.contains("wave 2024"),
            "{text}"
        );
        assert!(
            text.contains("role = \"Funder\" has 3 invitee(s) but no respondent"),
            "{text}"
        );
        let mut merged = categories();
        let said = collapse(&settings(true), "2024", "role", &mut merged).unwrap();
        assert_eq!(said, ["role = Funder into Partner"]);
        assert_eq!(merged[1].labels, ["Funder", "Partner"]);
        assert_eq!(merged[1].invited, 12);
        // The last category merges into the one before.
        let mut last = vec![
            categories().remove(0),
            Category {
                labels: vec!["Funder".into()],
                invited: 3,
                members: vec![],
            },
        ];
        collapse(&settings(true), "2024", "role", &mut last).unwrap();
        assert_eq!(
            (last.len(), last[0].labels.clone(), last[0].invited),
            (1, vec!["Staff".to_string(), "Funder".to_string()], 8)
        );
    }
}
