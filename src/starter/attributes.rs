//! The columns of an export that are not scale questions, as `init --new` reads them: a
//! column unique on every row is a respondent id (a panel key when its values recur across
//! the exports), a column of few repeating answers an attribute, anything else free text.

use crate::starter::columns::Profile;

/// The most distinct answers an attribute is proposed with.
pub const MOST_OPTIONS: usize = 12;

/// What a column that fits no scale is taken for.
#[derive(Debug, Clone, PartialEq)]
pub enum Other {
    /// Unique on every row of every export.
    Id,
    /// Unique on every row, and most of one export's values recur in another: the same
    /// respondents answering again.
    Panel,
    /// Few answers, each given by several rows: the options, in order of first appearance.
    Attribute(Vec<String>),
    /// Free text (or numbers) with too many distinct answers to group by.
    Open,
    /// No answer in any export.
    Empty,
}

/// What a column that fits no scale holds.
pub fn classify(profile: &Profile) -> Other {
    if profile.answers.is_empty() {
        return Other::Empty;
    }
    if profile.unique {
        return if recurs(profile) { Other::Panel } else { Other::Id };
    }
    if profile.few_answers(MOST_OPTIONS) {
        return Other::Attribute(profile.answers.iter().map(|(a, _)| a.clone()).collect());
    }
    Other::Open
}

/// Whether at least half of the smaller of two exports' values are also the other's.
fn recurs(profile: &Profile) -> bool {
    let sets = &profile.values;
    sets.iter().enumerate().any(|(i, a)| {
        sets[i + 1..].iter().any(|b| {
            let shared = a.intersection(b).count();
            shared > 0 && shared * 2 >= a.len().min(b.len())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn profile(answers: &[(&str, usize)], unique: bool, values: &[&[&str]]) -> Profile {
        Profile {
            header: "h".into(),
            stem: None,
            answers: answers.iter().map(|(a, n)| (a.to_string(), *n)).collect(),
            filled: answers.iter().map(|(_, n)| n).sum(),
            rows: answers.iter().map(|(_, n)| n).sum(),
            unique,
            values: values
                .iter()
                .map(|v| v.iter().map(|s| s.to_string()).collect::<HashSet<_>>())
                .collect(),
        }
    }

    #[test]
    fn columns_are_told_apart_by_how_their_answers_repeat() {
        let sex = profile(&[("Female", 30), ("Male", 25)], false, &[]);
        assert_eq!(
            classify(&sex),
            Other::Attribute(vec!["Female".into(), "Male".into()])
        );
        let ids: Vec<(String, usize)> = (0..8).map(|i| (format!("R{i}"), 1)).collect();
        let ids: Vec<(&str, usize)> = ids.iter().map(|(a, n)| (a.as_str(), *n)).collect();
        let alone = profile(
            &ids,
            true,
            &[&["R0", "R1", "R2", "R3"], &["R4", "R5", "R6", "R7"]],
        );
        assert_eq!(classify(&alone), Other::Id);
        let linked = profile(
            &ids,
            true,
            &[&["R0", "R1", "R2", "R3"], &["R1", "R2", "R9", "R8"]],
        );
        assert_eq!(classify(&linked), Other::Panel);
        let comments = profile(
            &[("Great", 1), ("More meetings", 1), ("Less email", 1)],
            false,
            &[],
        );
        assert_eq!(classify(&comments), Other::Open);
        assert_eq!(classify(&profile(&[], false, &[])), Other::Empty);
    }
}
