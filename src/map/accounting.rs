//! Accounting: what happened to every row and column of one export, the first examples of
//! each problem (where it is and what it says), and the message when no row is usable.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::columns::{Columns, Use};
use super::loss::{self, DidYouMean, UnknownAnswers};
use crate::error::{Error, Location};
use crate::ingest::Export;
use crate::instrument::Instrument;
use crate::normalize::normalize_question;

/// How many examples of a problem the accounting keeps, so a report stays readable.
const EXAMPLES_KEPT: usize = 5;

/// The first [`EXAMPLES_KEPT`] of the cells at `places` (row, column), in file order, each with
/// where it is and its text as the console may show it (cut short, contact details withheld).
fn cell_examples(export: &Export, mut places: Vec<(usize, usize)>) -> Vec<(Location, String)> {
    places.sort_unstable();
    places
        .into_iter()
        .take(EXAMPLES_KEPT)
        .map(|(row, col)| {
            (
                export.locate_by_name(export.lines[row], col),
                crate::privacy::example(export.cell(row, col).trim()),
            )
        })
        .collect()
}

/// Where one kind of problem occurs: every one counted, the first [`EXAMPLES_KEPT`] of each
/// column (or question) kept as (row, column), so that one bad column cannot crowd out the rest.
#[derive(Debug, Default)]
pub(super) struct Places {
    count: usize,
    kept: Vec<(usize, usize)>,
    column_start: usize,
}

impl Places {
    /// Starts keeping the examples of another column.
    pub(super) fn next_column(&mut self) {
        self.column_start = self.kept.len();
    }

    pub(super) fn note(&mut self, row: usize, col: usize) {
        self.count += 1;
        if self.kept.len() - self.column_start < EXAMPLES_KEPT {
            self.kept.push((row, col));
        }
    }
}

/// The answers that could not be used, by kind.
#[derive(Debug, Default)]
pub(super) struct Problems {
    /// Item answers that are no label of the scale.
    pub(super) unknown: Places,
    /// Attribute answers that are none of its options.
    pub(super) unknown_attributes: Places,
    /// Single-choice questions (items or attributes) with two or more options ticked.
    pub(super) several: Places,
}

/// Why a row of an export was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Every item cell is blank.
    Empty,
    /// Fewer items answered (scale point or "not applicable") than the rules require.
    TooFewAnswers,
    /// A later row carries the same respondent id; the later one is kept.
    Duplicate,
    /// A survey preview, test or spam response (Qualtrics `Status`).
    NotAResponse,
    /// Not finished (Qualtrics `Finished` false), and the rules drop unfinished responses.
    Unfinished,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Empty => "empty row (no item answered)",
            SkipReason::TooFewAnswers => "too few items answered",
            SkipReason::Duplicate => "respondent id repeated; the later row was kept",
            SkipReason::NotAResponse => "survey preview, test or spam response",
            SkipReason::Unfinished => "unfinished response (rules.drop_unfinished)",
        }
    }
}

/// What happened to every row and column of one export.
#[derive(Debug, Clone, PartialEq)]
pub struct FileAccount {
    pub wave: String,
    pub path: PathBuf,
    /// Platform name, and whether it was detected or named by the user.
    pub platform: &'static str,
    pub detected: bool,
    pub encoding: String,
    /// Identifying columns removed at ingest (their headers only).
    pub dropped_columns: Vec<String>,
    pub rows_read: usize,
    pub rows_used: usize,
    /// Used rows by how many of the items the export asks they answer (a scale point or N/A):
    /// index = items answered, 0 to the number asked. The report counts AAPOR's complete and
    /// partial responses from it by `report.complete_at` and `report.partial_at`.
    pub rows_by_answered: Vec<usize>,
    pub skipped: BTreeMap<SkipReason, usize>,
    /// The first skipped rows of each reason: reason, line and detail.
    pub skip_examples: Vec<(SkipReason, usize, String)>,
    /// Cells holding bytes that were not valid in the file's encoding (read as U+FFFD), and
    /// where the first of them are (file name, row, column).
    pub damaged_cells: usize,
    pub damaged_examples: Vec<Location>,
    /// Answers that matched no label of the scale; the cell counts as unanswered.
    pub unknown_answers: usize,
    /// Where the first of them are (file name, row, column) and their text, cut short and
    /// withheld when it looks like contact details (see [`crate::privacy::example`]).
    pub unknown_examples: Vec<(Location, String)>,
    /// Attribute answers that are none of the instrument's options (by label or code); the
    /// respondent counts as "Not stated" for that attribute.
    pub unknown_attributes: usize,
    pub unknown_attribute_examples: Vec<(Location, String)>,
    /// Answers to a single-choice question exported a column per option that tick two or more
    /// options: an item counts as unanswered, an attribute as not stated.
    pub several_choices: usize,
    /// Where the first of them are (file name, row, question) and the options ticked.
    pub several_choice_examples: Vec<(Location, String)>,
    /// Headers of columns that are neither instrument questions, attributes nor known metadata.
    pub unmapped_columns: Vec<String>,
    /// Headers of the columns read as the instrument's open questions (`[[comments]]`).
    pub comment_columns: Vec<String>,
    /// Ids of instrument items that this export does not ask.
    pub missing_items: Vec<String>,
    /// Per item column, its answers that matched no scale point, with counts.
    pub unknown_by_column: Vec<UnknownAnswers>,
    /// Items not asked paired with unused columns that resemble them.
    pub did_you_mean: Vec<DidYouMean>,
}

impl FileAccount {
    /// The account of an export before its rows are read: its file, what its columns hold,
    /// the items it does not ask.
    pub(super) fn opened(
        wave: &str,
        instrument: &Instrument,
        export: &Export,
        columns: &Columns,
    ) -> FileAccount {
        let headers =
            |cols: &mut dyn Iterator<Item = usize>| cols.map(|c| export.columns[c].header.clone()).collect();
        FileAccount {
            wave: wave.to_string(),
            path: export.path.clone(),
            platform: export.platform.name(),
            detected: export.detected,
            encoding: export.encoding.clone(),
            dropped_columns: export.dropped.clone(),
            rows_read: export.len(),
            rows_used: 0,
            rows_by_answered: vec![0; columns.items_asked.len() + 1],
            skipped: BTreeMap::new(),
            skip_examples: Vec::new(),
            damaged_cells: export.damaged_cells,
            damaged_examples: export.damaged_examples.clone(),
            unknown_answers: 0,
            unknown_examples: Vec::new(),
            unknown_attributes: 0,
            unknown_attribute_examples: Vec::new(),
            several_choices: 0,
            several_choice_examples: Vec::new(),
            unmapped_columns: headers(&mut columns.unused.iter().copied()),
            comment_columns: headers(&mut columns.comments.iter().map(|&(_, c)| c)),
            missing_items: columns
                .unasked
                .iter()
                .map(|&i| instrument.items[i].id.clone())
                .collect(),
            unknown_by_column: loss::unknown_by_column(instrument, export, &columns.sources),
            did_you_mean: loss::did_you_mean(instrument, export, &columns.unasked, &columns.unused),
        }
    }

    /// Records the answers that could not be used, with the first examples of each kind.
    pub(super) fn record(&mut self, export: &Export, uses: &[(usize, Use)], problems: Problems) {
        self.unknown_answers = problems.unknown.count;
        self.unknown_examples = cell_examples(export, problems.unknown.kept);
        self.unknown_attributes = problems.unknown_attributes.count;
        self.unknown_attribute_examples = cell_examples(export, problems.unknown_attributes.kept);
        self.several_choices = problems.several.count;
        let mut several = problems.several.kept;
        several.sort_unstable();
        self.several_choice_examples = several
            .into_iter()
            .take(EXAMPLES_KEPT)
            .map(|(row, col)| several_example(export, uses, row, col))
            .collect();
    }

    /// Counts a row skipped, keeping the first examples of each reason.
    pub(super) fn skip(&mut self, line: usize, reason: SkipReason, detail: String) {
        let count = self.skipped.entry(reason).or_default();
        *count += 1;
        if *count <= EXAMPLES_KEPT {
            self.skip_examples.push((reason, line, detail));
        }
    }

    pub fn rows_skipped(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Used rows answering at least `share` of the items the export asks.
    pub fn rows_answering(&self, share: f64) -> usize {
        let asked = self.rows_by_answered.len().saturating_sub(1) as f64;
        self.rows_by_answered
            .iter()
            .enumerate()
            .filter(|(answered, _)| *answered as f64 >= share * asked - 1e-9)
            .map(|(_, rows)| rows)
            .sum()
    }
}

/// Where a row ticked several options of one question, and which: the question as the
/// column, the options' labels (the export's sub-labels, never a respondent's text).
fn several_example(export: &Export, uses: &[(usize, Use)], row: usize, col: usize) -> (Location, String) {
    let question = |c: usize| {
        export.columns[c]
            .split
            .as_ref()
            .map(|(q, _)| normalize_question(q))
    };
    let same = question(col);
    let ticked: Vec<String> = uses
        .iter()
        .filter(|(c, u)| {
            matches!(u, Use::ItemOption(..) | Use::AttributeOption(..))
                && question(*c) == same
                && !export.cell(row, *c).trim().is_empty()
        })
        .map(|(c, _)| {
            let column = &export.columns[*c];
            let label = column.split.as_ref().map_or(&column.header, |(_, sub)| sub);
            format!("\"{label}\"")
        })
        .collect();
    let mut at = export.locate_by_name(export.lines[row], col);
    if let Some((q, _)) = &export.columns[col].split {
        at.column = Some(q.clone());
    }
    (at, ticked.join(" and "))
}

/// Why a wave has no usable row, with its accounting: the reasons rows were skipped, examples
/// of answers outside the scale, and what to do about the main cause.
pub(super) fn no_usable_rows(account: &FileAccount, export: &Export) -> Error {
    let mut what = format!("none of the {} rows holds a usable response", account.rows_read);
    if account.rows_read == 0 {
        what.push_str(": the file has its header row(s) and no responses");
    } else {
        let reasons: Vec<String> = account
            .skipped
            .iter()
            .map(|(reason, count)| format!("{count} skipped as {}", reason.describe()))
            .collect();
        what.push_str(&format!(" ({})", reasons.join("; ")));
    }
    if account.unknown_answers > 0 {
        let examples: Vec<String> = account
            .unknown_examples
            .iter()
            .take(3)
            .map(|(at, text)| format!("{at}: \"{text}\""))
            .collect();
        what.push_str(&format!(
            "; {} answer(s) matched no label of the scale, e.g. {}",
            account.unknown_answers,
            examples.join(", ")
        ));
    }
    if account.several_choices > 0 {
        let examples: Vec<String> = account
            .several_choice_examples
            .iter()
            .take(3)
            .map(|(at, options)| format!("{at}: {options}"))
            .collect();
        what.push_str(&format!(
            "; {} answer(s) ticked two or more options of one single-choice question, e.g. {}",
            account.several_choices,
            examples.join(", ")
        ));
    }
    let main_reason = account.skipped.iter().max_by_key(|(_, n)| **n).map(|(r, _)| *r);
    let fix = match main_reason {
        _ if account.rows_read == 0 => "Export the survey again with its responses, or remove this file from the waves.",
        Some(SkipReason::NotAResponse) => "These are survey previews, tests or spam (the Status column): export the recorded responses instead, or remove this file from the waves.",
        Some(SkipReason::Unfinished) => "Every response is unfinished and rules.drop_unfinished is true: set it to false to keep those that answered enough, or export finished responses.",
        _ if account.several_choices > account.unknown_answers => "Each single-choice question takes one option per respondent: correct the rows that tick several (see the examples) in the survey platform and export again.",
        _ if account.unknown_answers > 0 => "Check that the answers use the instrument's scale labels (see the examples); answers that mean \"not applicable\" can be listed under `missing` in backbone.toml.",
        Some(SkipReason::TooFewAnswers) => "Lower rules.min_answered in backbone.toml, or check that this export holds the instrument's questions.",
        _ => "Check that this is the right export: its rows leave every question of the instrument blank.",
    };
    Error::input(Location::file(&export.path), what, fix)
}
