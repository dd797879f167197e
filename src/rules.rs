//! The rules of a run that the stages apply: which answers count and how scores roll up
//! (map and score), and when a change is called one (compare). A leaf module: the config reads
//! them from `backbone.toml`, the stages take them as their options.

use serde::Deserialize;

use crate::stats::Magnitude;

/// Rules that decide which answers count.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// A respondent's score for an indicator, outcome or function is kept only if they answered
    /// at least this share of its items; a respondent is used only if they answered at least this
    /// share of all the instrument's items.
    pub min_answered: f64,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Skip responses the platform marks unfinished (Qualtrics `Finished` = false) instead of
    /// keeping those that meet `min_answered`.
    pub drop_unfinished: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_answered: 0.5,
            confidence: 0.95,
            drop_unfinished: false,
        }
    }
}

/// The rules that decide when a change between waves is called a change.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompareRules {
    /// No test and no direction word when either wave has fewer valid scores than this.
    pub min_n: usize,
    /// A change is "improved" or "declined" only when its Benjamini-Hochberg q is below this...
    pub alpha: f64,
    /// ...and its effect size is at least this large.
    pub min_effect: Magnitude,
}

impl Default for CompareRules {
    fn default() -> Self {
        CompareRules {
            min_n: 5,
            alpha: 0.05,
            min_effect: Magnitude::Small,
        }
    }
}
