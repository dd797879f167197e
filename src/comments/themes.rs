//! Counts of themes: per wave × open question × theme, how many non-empty comments have the
//! theme and their share, for the whole wave and for each group of each breakdown attribute;
//! on the whole-wave rows, Fisher's exact test against the previous wave, with
//! Benjamini-Hochberg q within the question. Only counts leave here, never comment text.

use super::codebook::{fold, Codebook};
use super::fisher::fisher_exact;
use crate::instrument::Instrument;
use crate::map::{WaveResponses, NOT_STATED};

/// One row of comments.csv, before suppression (see [`crate::report`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeRow {
    pub wave: String,
    pub question: String,
    /// Theme id and label; empty for a question without a codebook (counts only).
    pub theme: String,
    pub label: String,
    /// Empty on whole-wave rows.
    pub attribute: String,
    pub group: String,
    /// Respondents of the wave (or group), whether they commented or not.
    pub respondents: usize,
    /// Non-empty comments with the theme.
    pub comments: usize,
    pub nonempty: usize,
    /// Non-empty comments with no theme of the codebook.
    pub uncoded: usize,
    /// The wave tested against (the previous one), with Fisher's p and its BH q.
    pub compared_with: Option<String>,
    pub p: Option<f64>,
    pub q: Option<f64>,
}

impl ThemeRow {
    /// `comments` as a share of the non-empty comments.
    pub fn share(&self) -> Option<f64> {
        (self.nonempty > 0 && !self.theme.is_empty()).then(|| self.comments as f64 / self.nonempty as f64)
    }
}

/// One wave's coded comments to one question: per respondent, `None` when blank, else the
/// themes the comment has.
type Coded = Vec<Option<Vec<usize>>>;

fn code(texts: &[String], codebook: Option<&Codebook>) -> Coded {
    texts
        .iter()
        .map(|t| {
            let words = fold(t);
            (!words.is_empty()).then(|| codebook.map_or_else(Vec::new, |c| c.themes_of(&words)))
        })
        .collect()
}

/// Every row of comments.csv: waves in order, then questions, then the whole wave and each
/// breakdown attribute's groups (declared order, "Not stated" last), then themes.
pub fn theme_rows(
    instrument: &Instrument,
    codebooks: &[Option<Codebook>],
    waves: &[WaveResponses],
    breakdowns: &[String],
) -> Vec<ThemeRow> {
    let mut rows = Vec::new();
    for (k, question) in instrument.comments.iter().enumerate() {
        let codebook = codebooks.get(k).and_then(Option::as_ref);
        let themes: Vec<(String, String)> = match codebook {
            Some(c) => c.themes.iter().map(|t| (t.id.clone(), t.label.clone())).collect(),
            None => vec![(String::new(), String::new())],
        };
        let first = rows.len();
        let mut previous: Option<(&str, Coded)> = None;
        for w in waves {
            let Some(texts) = w.comments.get(k).and_then(Option::as_ref) else {
                continue;
            };
            let coded = code(texts, codebook);
            let everyone: Vec<usize> = (0..w.respondents).collect();
            let mut wave_rows = counts(&coded, &everyone, &themes, ("", ""));
            if let Some((from, before)) = &previous {
                for (t, row) in wave_rows.iter_mut().enumerate().filter(|_| codebook.is_some()) {
                    row.compared_with = Some(from.to_string());
                    row.p = Some(test(before, &coded, t));
                }
            }
            for row in &mut wave_rows {
                row.wave.clone_from(&w.wave);
                row.question.clone_from(&question.id);
            }
            rows.extend(wave_rows);
            for (attribute, group, members) in groups(instrument, w, breakdowns) {
                let mut group_rows = counts(&coded, &members, &themes, (attribute, &group));
                for row in &mut group_rows {
                    row.wave.clone_from(&w.wave);
                    row.question.clone_from(&question.id);
                }
                rows.extend(group_rows);
            }
            previous = Some((&w.wave, coded));
        }
        let tested: Vec<usize> = (first..rows.len()).filter(|&r| rows[r].p.is_some()).collect();
        let p: Vec<f64> = tested.iter().filter_map(|&r| rows[r].p).collect();
        for (&r, q) in tested.iter().zip(crate::stats::benjamini_hochberg(&p)) {
            rows[r].q = Some(q);
        }
    }
    rows
}

/// The rows of one set of respondents (`members`), one per theme.
fn counts(
    coded: &Coded,
    members: &[usize],
    themes: &[(String, String)],
    (attribute, group): (&str, &str),
) -> Vec<ThemeRow> {
    let given: Vec<&Vec<usize>> = members.iter().filter_map(|&m| coded[m].as_ref()).collect();
    let uncoded = given.iter().filter(|t| t.is_empty()).count();
    themes
        .iter()
        .enumerate()
        .map(|(t, (id, label))| ThemeRow {
            wave: String::new(),
            question: String::new(),
            theme: id.clone(),
            label: label.clone(),
            attribute: attribute.to_string(),
            group: group.to_string(),
            respondents: members.len(),
            comments: if id.is_empty() {
                0
            } else {
                given.iter().filter(|g| g.contains(&t)).count()
            },
            nonempty: given.len(),
            uncoded: if id.is_empty() { 0 } else { uncoded },
            compared_with: None,
            p: None,
            q: None,
        })
        .collect()
}

/// Fisher's exact p for theme `t`: comments with and without it, later wave against earlier.
fn test(before: &Coded, after: &Coded, t: usize) -> f64 {
    let tally = |c: &Coded| {
        let given: Vec<&Vec<usize>> = c.iter().flatten().collect();
        let with = given.iter().filter(|g| g.contains(&t)).count() as u64;
        (with, given.len() as u64 - with)
    };
    let (a, b) = tally(after);
    let (c, d) = tally(before);
    fisher_exact(a, b, c, d)
}

/// Each breakdown attribute's groups in wave `w` with their members: declared order, then
/// other answers, "Not stated" last.
fn groups<'a>(
    instrument: &'a Instrument,
    w: &WaveResponses,
    breakdowns: &'a [String],
) -> Vec<(&'a str, String, Vec<usize>)> {
    let mut out = Vec::new();
    for attribute in breakdowns {
        let Some(a) = instrument.attributes.iter().position(|x| x.id == *attribute) else {
            continue;
        };
        let mut names: Vec<(usize, &String)> = w.groups[a].iter().enumerate().collect();
        names.sort_by_key(|(_, g)| (*g == NOT_STATED, instrument.attributes[a].rank(g)));
        for (g, name) in names {
            let members: Vec<usize> = (0..w.respondents)
                .filter(|&r| w.attributes[a][r] as usize == g)
                .collect();
            if !members.is_empty() {
                out.push((attribute.as_str(), name.clone(), members));
            }
        }
    }
    out
}
