//! Rows: which rows of an export are used, and why each other one is not (a survey preview or
//! test, unfinished, empty, too few items answered, or a respondent id that a later row repeats).

use std::collections::HashMap;

use super::accounting::{FileAccount, SkipReason};
use super::answers::RowAnswers;
use super::columns::Use;
use crate::ingest::Export;
use crate::normalize::normalize_label;
use crate::rules::Rules;

/// Qualtrics `Status` values of responses that are not real (preview, test, spam).
const NOT_RESPONSES: [&str; 6] = ["1", "2", "8", "survey preview", "survey test", "spam"];

/// Each row's platform flags, and the respondent id column.
pub(super) struct Flags {
    unfinished: Vec<bool>,
    not_response: Vec<bool>,
    ids: Option<usize>,
}

impl Flags {
    pub(super) fn read(export: &Export, uses: &[(usize, Use)]) -> Flags {
        let n_rows = export.len();
        let mut flags = Flags {
            unfinished: vec![false; n_rows],
            not_response: vec![false; n_rows],
            ids: None,
        };
        for (col, used) in uses {
            match used {
                Use::Id => flags.ids = Some(*col),
                Use::Finished => flags.unfinished = flag(export, *col, |c| matches!(c, "0" | "false")),
                Use::Status => flags.not_response = flag(export, *col, |c| NOT_RESPONSES.contains(&c)),
                _ => {}
            }
        }
        flags
    }
}

/// A flag column, read once per distinct text.
fn flag(export: &Export, col: usize, test: impl Fn(&str) -> bool) -> Vec<bool> {
    let cells = &export.cells[col];
    let meaning: Vec<bool> = (0..cells.values() as u32)
        .map(|code| test(&normalize_label(cells.value(code).trim())))
        .collect();
    cells.codes().iter().map(|&c| meaning[c as usize]).collect()
}

/// The rows used, in file order; a repeated respondent id replaces the earlier row. Every
/// other row is counted in the account with its reason.
pub(super) fn select(
    export: &Export,
    asked: usize,
    answers: &RowAnswers,
    flags: &Flags,
    rules: &Rules,
    account: &mut FileAccount,
) -> Vec<usize> {
    let mut kept: Vec<Option<usize>> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for row in 0..export.len() {
        let line = export.lines[row];
        if let Some((reason, detail)) = unusable(row, asked, answers, flags, rules) {
            account.skip(line, reason, detail);
            continue;
        }
        if let Some(id) = flags
            .ids
            .map(|col| export.cell(row, col).trim())
            .filter(|id| !id.is_empty())
        {
            if let Some(previous) = by_id.insert(id, kept.len()) {
                kept[previous] = None;
                let detail = format!("an earlier row of this respondent was replaced by row {line}");
                account.skip(line, SkipReason::Duplicate, detail);
            }
        }
        kept.push(Some(row));
    }
    let rows: Vec<usize> = kept.into_iter().flatten().collect();
    account.rows_used = rows.len();
    for &r in &rows {
        account.rows_by_answered[(answers.answered[r] as usize).min(asked)] += 1;
    }
    rows
}

/// Why a row cannot be used, if it cannot: the first reason that applies, with its detail.
fn unusable(
    row: usize,
    asked: usize,
    answers: &RowAnswers,
    flags: &Flags,
    rules: &Rules,
) -> Option<(SkipReason, String)> {
    let plain = |reason: SkipReason| Some((reason, reason.describe().to_string()));
    if flags.not_response[row] {
        return plain(SkipReason::NotAResponse);
    }
    if flags.unfinished[row] && rules.drop_unfinished {
        return plain(SkipReason::Unfinished);
    }
    if answers.blank[row] as usize == asked {
        return plain(SkipReason::Empty);
    }
    if (answers.answered[row] as f64) >= rules.min_answered * asked as f64 {
        return None;
    }
    let mut detail = format!(
        "answered {} of {asked} items, fewer than the {:.0}% required",
        answers.answered[row],
        rules.min_answered * 100.0
    );
    if answers.unreadable[row] > 0 {
        detail.push_str(&format!(
            "; {} more matched no label of the scale",
            answers.unreadable[row]
        ));
    }
    if answers.ticked_twice[row] > 0 {
        detail.push_str(&format!(
            "; {} more ticked two or more options of one question",
            answers.ticked_twice[row]
        ));
    }
    Some((SkipReason::TooFewAnswers, detail))
}
