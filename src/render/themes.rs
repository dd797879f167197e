//! The themes chart of an open question: each theme's share of the non-empty comments (in
//! percent, across) per wave (one dot colour per wave), drawn as the group chart of
//! [`super::charts`] with the waves as its groups, from the report model's
//! [`crate::report::ThemeView`] only.

use super::charts::Group;
use crate::report::Report;

/// One open question's chart: file name, title, axis description, theme labels and one group
/// per wave (named with its non-empty comments) holding the theme shares in percent.
pub(super) struct ThemesChart {
    pub name: String,
    pub title: String,
    pub axis: String,
    pub labels: Vec<String>,
    pub groups: Vec<Group>,
}

pub(super) fn charts(report: &Report) -> Vec<ThemesChart> {
    report
        .themes
        .iter()
        .map(|view| {
            let labels = view.themes.iter().map(|t| t.label.clone()).collect();
            let groups = view
                .waves
                .iter()
                .enumerate()
                .map(|(w, (wave, n))| Group {
                    name: wave.clone(),
                    respondents: *n,
                    means: Some(view.themes.iter().map(|t| Some(100.0 * t.shares[w])).collect()),
                })
                .collect();
            ThemesChart {
                name: view.chart.clone(),
                title: format!("What {} said: {}", report.respondents.many, view.question),
                axis: "% of comments mentioning the theme".to_string(),
                labels,
                groups,
            }
        })
        .collect()
}
