//! Open questions: the instrument's `[[comments]]`, each a column of free text matched by its
//! question like an item. The map stage reads their text per respondent ([`columns`],
//! [`texts`]); a codebook ([`codebook`]) gives each comment its themes; [`themes`] counts them
//! per wave and breakdown group for comments.csv. Comment text itself leaves these values only
//! as counts, unless the config asks for quotes.

pub mod codebook;
pub mod fisher;
pub mod quotes;
pub mod themes;

use std::path::PathBuf;

use serde::Deserialize;

use crate::ingest::Export;
use crate::normalize::normalize_question;

/// One open question of an instrument.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CommentQuestion {
    pub id: String,
    /// The question's text, as the export's header.
    pub question: String,
    /// The codebook of themes, relative to the instrument file (resolved when it is loaded).
    #[serde(default)]
    pub codebook: Option<PathBuf>,
}

/// The columns of an export holding the instrument's open questions, among `unused` (the
/// question columns no item or attribute took): (index of the comment, column). A column is
/// matched by its header or keys, normalised as items' are.
pub fn columns(questions: &[CommentQuestion], export: &Export, unused: &[usize]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (k, q) in questions.iter().enumerate() {
        let wanted = normalize_question(&q.question);
        let column = unused.iter().copied().find(|&c| {
            let column = &export.columns[c];
            std::iter::once(&column.header)
                .chain(&column.keys)
                .any(|key| normalize_question(key) == wanted)
        });
        if let Some(c) = column {
            found.push((k, c));
        }
    }
    found
}

/// The trimmed text of column `col` for each of `rows` (empty when blank).
pub fn texts(export: &Export, col: usize, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .map(|&r| export.cell(r, col).trim().to_string())
        .collect()
}

/// Checks an instrument's open questions (ids unique, a question given) and resolves each
/// codebook path against the instrument file's folder `base`; `(what, fix)` when invalid.
pub(crate) fn resolve(
    mut questions: Vec<CommentQuestion>,
    base: &std::path::Path,
) -> Result<Vec<CommentQuestion>, (String, &'static str)> {
    let mut ids = std::collections::HashSet::new();
    for q in &mut questions {
        if !ids.insert(q.id.clone()) {
            return Err((
                format!("comment id \"{}\" is used twice", q.id),
                "Give every [[comments]] entry a unique id.",
            ));
        }
        if normalize_question(&q.question).is_empty() {
            return Err((
                format!("comment \"{}\" has no question", q.id),
                "Give the open question's text as the export's header shows it (question = \"...\").",
            ));
        }
        if let Some(path) = &q.codebook {
            q.codebook = Some(base.join(path));
        }
    }
    Ok(questions)
}
