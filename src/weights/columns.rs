//! The weighted columns the CSVs gain when `[weights]` is set (and only then, so unweighted
//! outputs stay as they were): their names and each row's values, blank where there is none.

use super::{WeightedChange, WeightedScore};

/// Appended to `scores.csv`.
pub const SCORES: [&str; 6] = [
    "mean_weighted",
    "se_weighted",
    "ci_low_weighted",
    "ci_high_weighted",
    "pct_favorable_weighted",
    "n_eff",
];

/// Appended to `comparison.csv`: the five numbers, then the weighted verdict.
pub const CHANGES: [&str; 7] = [
    "diff_weighted",
    "se_weighted",
    "df_weighted",
    "p_weighted",
    "q_weighted",
    "effect_weighted",
    "direction_weighted",
];

/// The [`SCORES`] values of a row; all blank for a row without estimates (suppressed).
pub fn score_cells(s: Option<&WeightedScore>) -> [Option<f64>; 6] {
    match s {
        Some(s) => [
            s.mean,
            s.se,
            s.ci.map(|c| c.0),
            s.ci.map(|c| c.1),
            s.pct_favorable,
            s.n_eff,
        ],
        None => [None; 6],
    }
}

/// The numbers of [`CHANGES`] and the verdict word; blank for a pair without a weighted change.
pub fn change_cells(c: Option<&WeightedChange>) -> ([Option<f64>; 6], &'static str) {
    match c {
        Some(c) => ([c.diff, c.se, c.df, c.p, c.q, c.effect], c.direction.word()),
        None => ([None; 6], ""),
    }
}
