//! Map: gives an export's cells meaning. Columns are matched to the instrument's items and
//! attributes by their question text (or a mapping file); answers are coded on the item's
//! scale; every row is either used or skipped with a counted reason. Columns that match nothing
//! are never read past this point.

mod loss;
pub(crate) mod mapping;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::error::{Error, Location, Result};
use crate::ingest::{Column, Export, Role};
use crate::instrument::{Answer, Instrument};
use crate::normalize::{normalize_label, normalize_question};
use crate::rules::Rules;
pub use loss::{unaccounted, DidYouMean, UnknownAnswers, UNKNOWN_FIX, VALUES_LISTED};
pub use mapping::{
    render as render_mapping, suggest, suggest_aliases, AliasSuggestion, Mapping, Selector, Suggestion,
    Target,
};

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

/// Qualtrics `Status` values of responses that are not real (preview, test, spam).
const NOT_RESPONSES: [&str; 6] = ["1", "2", "8", "survey preview", "survey test", "spam"];

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

/// An answer code in [`WaveResponses::answers`]: not answered (blank, or a label the scale
/// does not have).
pub const NOT_ANSWERED: u8 = 0;
/// An answer code: "not applicable" (or another missing answer of the scale).
pub const NOT_APPLICABLE: u8 = 1;
/// The answer code of the first point of the item's scale; point k is `FIRST_POINT + k`.
pub const FIRST_POINT: u8 = 2;

/// The usable responses of one wave, column by column: one answer code per respondent for
/// every item asked, and one group per respondent for every attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveResponses {
    pub wave: String,
    /// Number of respondents (rows used), in file order.
    pub respondents: usize,
    /// Indices of the instrument items this wave asked.
    pub items_asked: Vec<usize>,
    /// Per item asked (in the order of `items_asked`), each respondent's answer code:
    /// [`NOT_ANSWERED`], [`NOT_APPLICABLE`], or [`FIRST_POINT`] + the index of the point in
    /// the item's scale.
    pub answers: Vec<Vec<u8>>,
    /// Per instrument attribute (in instrument order), the groups its answers name: an
    /// option, "Not stated" or "Other".
    pub groups: Vec<Vec<String>>,
    /// Per instrument attribute, each respondent's group (an index into `groups`).
    pub attributes: Vec<Vec<u32>>,
    /// Each respondent's hashed panel key; empty unless a panel key is configured.
    pub panel: Vec<Option<String>>,
    /// Per instrument open question (in instrument order), each respondent's comment (empty
    /// when blank); `None` when this export does not ask it. Never shown unless asked.
    pub comments: Vec<Option<Vec<String>>>,
    pub account: FileAccount,
}

impl WaveResponses {
    /// The oriented value (higher is better) of an answer code of the `k`-th item asked;
    /// `None` for not answered and not applicable.
    pub fn value(&self, instrument: &Instrument, k: usize, code: u8) -> Option<i64> {
        let item = &instrument.items[self.items_asked[k]];
        let scale = instrument.scale_of(item);
        let point = scale.points.get(code.checked_sub(FIRST_POINT)? as usize)?;
        Some(scale.oriented(point.value, item.reverse))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Use {
    Item(usize),
    /// One option's column of a single-choice item exported a column per option
    /// (SurveyMonkey's "expanded" export): a filled cell chooses the option, whose answer code
    /// this is; `None` for an option that is no point of the item's scale.
    ItemOption(usize, Option<u8>),
    Attribute(usize),
    /// One option's column of an attribute question exported a column per option: a filled
    /// cell chooses the option; `None` for an option the attribute does not list.
    AttributeOption(usize, Option<String>),
    Id,
    Finished,
    Status,
}

/// What the map stage needs besides the instrument and the export.
#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    /// Header of the respondent id column, when it is not one the platforms use.
    pub id_column: Option<String>,
    pub rules: Rules,
    /// Answers that count as "not applicable" on every scale, beyond the instrument's own.
    pub missing: Vec<String>,
    /// Explicit column-to-item assignments; matching by text applies to the other columns.
    pub mapping: Option<Mapping>,
}

/// Maps one export onto the instrument and codes its answers.
pub fn map_wave(
    instrument: &Instrument,
    export: &Export,
    wave: &str,
    options: &MapOptions,
) -> Result<WaveResponses> {
    let extra_missing: Vec<String> = options.missing.iter().map(|m| normalize_label(m)).collect();
    let uses = assign_columns(instrument, export, options, &extra_missing)?;
    let sources = item_sources(instrument, export, &uses, &extra_missing);
    let items_asked: Vec<usize> = sources.iter().map(|(i, _)| *i).collect();
    check_enough_items(instrument, export, &items_asked, &options.rules)?;

    let mut unused: Vec<usize> = (0..export.columns.len())
        .filter(|&c| export.columns[c].role == Role::Question && !uses.iter().any(|(u, _)| *u == c))
        .collect();
    let comment_columns = crate::comments::columns(&instrument.comments, export, &unused);
    unused.retain(|c| !comment_columns.iter().any(|(_, k)| k == c));
    let unasked: Vec<usize> = (0..instrument.items.len())
        .filter(|i| !items_asked.contains(i))
        .collect();
    let mut account = FileAccount {
        wave: wave.to_string(),
        path: export.path.clone(),
        platform: export.platform.name(),
        detected: export.detected,
        encoding: export.encoding.clone(),
        dropped_columns: export.dropped.clone(),
        rows_read: export.len(),
        rows_used: 0,
        rows_by_answered: vec![0; items_asked.len() + 1],
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
        unmapped_columns: unused.iter().map(|&c| export.columns[c].header.clone()).collect(),
        comment_columns: comment_columns
            .iter()
            .map(|&(_, c)| export.columns[c].header.clone())
            .collect(),
        missing_items: unasked.iter().map(|&i| instrument.items[i].id.clone()).collect(),
        unknown_by_column: loss::unknown_by_column(instrument, export, &sources),
        did_you_mean: loss::did_you_mean(instrument, export, &unasked, &unused),
    };

    // Per row: items left blank and items answered (a scale point or not applicable); the
    // first unusable answers in row order.
    let n_rows = export.len();
    let mut blank = vec![0u32; n_rows];
    let mut answered = vec![0u32; n_rows];
    // Answers given but unusable, so that a row skipped for too few answers says why.
    let mut unreadable = vec![0u32; n_rows];
    let mut ticked_twice = vec![0u32; n_rows];
    let mut unknown: Vec<(usize, usize)> = Vec::new(); // (row, column)
    let mut several: Vec<(usize, usize)> = Vec::new(); // (row, column)
    for (_, source) in &sources {
        let (mut unknown_kept, mut several_kept) = (0, 0);
        for row in 0..n_rows {
            match source.meaning(export, row) {
                Meaning::Blank => blank[row] += 1,
                Meaning::Code(_) => answered[row] += 1,
                Meaning::Unknown => {
                    unreadable[row] += 1;
                    account.unknown_answers += 1;
                    if unknown_kept < EXAMPLES_KEPT {
                        unknown.push((row, source.column_at(row)));
                        unknown_kept += 1;
                    }
                }
                Meaning::Several => {
                    ticked_twice[row] += 1;
                    account.several_choices += 1;
                    if several_kept < EXAMPLES_KEPT {
                        several.push((row, source.column_at(row)));
                        several_kept += 1;
                    }
                }
            }
        }
    }
    account.unknown_examples = cell_examples(export, unknown);

    // Flags and attributes, also once per distinct text.
    let flag = |col: usize, test: &dyn Fn(&str) -> bool| -> Vec<bool> {
        let cells = &export.cells[col];
        let meaning: Vec<bool> = (0..cells.values() as u32)
            .map(|code| test(&normalize_label(cells.value(code).trim())))
            .collect();
        cells.codes().iter().map(|&c| meaning[c as usize]).collect()
    };
    let mut unfinished = vec![false; n_rows];
    let mut not_response = vec![false; n_rows];
    let mut ids: Option<usize> = None;
    let mut groups: Vec<Vec<String>> = instrument
        .attributes
        .iter()
        .map(|_| vec![NOT_STATED.to_string()])
        .collect();
    let mut chosen: Vec<Vec<u32>> = vec![vec![0; n_rows]; instrument.attributes.len()];
    let mut unknown_attributes: Vec<(usize, usize)> = Vec::new(); // (row, column)
    for (col, used) in &uses {
        match used {
            Use::Id => ids = Some(*col),
            Use::Finished => unfinished = flag(*col, &|c| matches!(c, "0" | "false")),
            Use::Status => not_response = flag(*col, &|c| NOT_RESPONSES.contains(&c)),
            Use::Attribute(a) => {
                let attribute = &instrument.attributes[*a];
                let cells = &export.cells[*col];
                let declared = &export.columns[*col].missing;
                // Per distinct text: the group it names, or None for an answer that is none of
                // the options (counted; the respondent is not stated, as for a declared
                // missing answer).
                let meaning: Vec<Option<u32>> = (0..cells.values() as u32)
                    .map(|code| {
                        let cell = cells.value(code).trim();
                        match attribute.option(cell) {
                            Some(option) => Some(group_index(&mut groups[*a], option)),
                            None if cell.is_empty() || declared.iter().any(|m| m == cell) => Some(0),
                            None => None,
                        }
                    })
                    .collect();
                let mut examples = 0;
                for (row, &code) in cells.codes().iter().enumerate() {
                    match meaning[code as usize] {
                        Some(g) => chosen[*a][row] = g,
                        None => {
                            chosen[*a][row] = 0;
                            account.unknown_attributes += 1;
                            if examples < EXAMPLES_KEPT {
                                unknown_attributes.push((row, *col));
                                examples += 1;
                            }
                        }
                    }
                }
            }
            Use::Item(_) | Use::ItemOption(..) | Use::AttributeOption(..) => {}
        }
    }
    // Attributes exported a column per option: one ticked option names the group.
    for (a, columns) in option_groups(&uses, |u| match u {
        Use::AttributeOption(a, option) => Some((*a, option.clone())),
        _ => None,
    }) {
        let cols: Vec<usize> = columns.iter().map(|(c, _)| *c).collect();
        let labels: Vec<Option<u32>> = columns
            .iter()
            .map(|(_, option)| option.as_deref().map(|o| group_index(&mut groups[a], o)))
            .collect();
        let (mut unknown_kept, mut several_kept) = (0, 0);
        for (row, tick) in ticks(export, &cols).into_iter().enumerate() {
            match tick {
                Tick::None => {}
                Tick::One(k) => match labels[k] {
                    Some(g) => chosen[a][row] = g,
                    None => {
                        account.unknown_attributes += 1;
                        if unknown_kept < EXAMPLES_KEPT {
                            unknown_attributes.push((row, cols[k]));
                            unknown_kept += 1;
                        }
                    }
                },
                Tick::Several => {
                    account.several_choices += 1;
                    if several_kept < EXAMPLES_KEPT {
                        several.push((row, cols[0]));
                        several_kept += 1;
                    }
                }
            }
        }
    }

    account.unknown_attribute_examples = cell_examples(export, unknown_attributes);
    several.sort_unstable();
    account.several_choice_examples = several
        .into_iter()
        .take(EXAMPLES_KEPT)
        .map(|(row, col)| several_example(export, &uses, row, col))
        .collect();

    // Rows in file order; a repeated respondent id replaces the earlier row.
    let mut kept: Vec<Option<usize>> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let skip = |account: &mut FileAccount, line: usize, reason: SkipReason, detail: String| {
        let count = account.skipped.entry(reason).or_default();
        *count += 1;
        if *count <= EXAMPLES_KEPT {
            account.skip_examples.push((reason, line, detail));
        }
    };
    for row in 0..n_rows {
        let line = export.lines[row];
        if not_response[row] {
            skip(
                &mut account,
                line,
                SkipReason::NotAResponse,
                SkipReason::NotAResponse.describe().into(),
            );
            continue;
        }
        if unfinished[row] && options.rules.drop_unfinished {
            skip(
                &mut account,
                line,
                SkipReason::Unfinished,
                SkipReason::Unfinished.describe().into(),
            );
            continue;
        }
        if blank[row] as usize == items_asked.len() {
            skip(
                &mut account,
                line,
                SkipReason::Empty,
                SkipReason::Empty.describe().into(),
            );
            continue;
        }
        if (answered[row] as f64) < options.rules.min_answered * items_asked.len() as f64 {
            let mut detail = format!(
                "answered {} of {} items, fewer than the {:.0}% required",
                answered[row],
                items_asked.len(),
                options.rules.min_answered * 100.0
            );
            if unreadable[row] > 0 {
                detail.push_str(&format!(
                    "; {} more matched no label of the scale",
                    unreadable[row]
                ));
            }
            if ticked_twice[row] > 0 {
                detail.push_str(&format!(
                    "; {} more ticked two or more options of one question",
                    ticked_twice[row]
                ));
            }
            skip(&mut account, line, SkipReason::TooFewAnswers, detail);
            continue;
        }
        if let Some(id) = ids
            .map(|col| export.cell(row, col).trim())
            .filter(|id| !id.is_empty())
        {
            if let Some(previous) = by_id.insert(id, kept.len()) {
                kept[previous] = None;
                skip(
                    &mut account,
                    line,
                    SkipReason::Duplicate,
                    format!("an earlier row of this respondent was replaced by row {line}"),
                );
            }
        }
        kept.push(Some(row));
    }

    let rows: Vec<usize> = kept.into_iter().flatten().collect();
    account.rows_used = rows.len();
    for &r in &rows {
        account.rows_by_answered[(answered[r] as usize).min(items_asked.len())] += 1;
    }
    if rows.is_empty() {
        return Err(no_usable_rows(&account, export));
    }
    let answers = sources
        .iter()
        .map(|(_, source)| {
            rows.iter()
                .map(|&r| match source.meaning(export, r) {
                    Meaning::Code(c) => c,
                    _ => NOT_ANSWERED,
                })
                .collect()
        })
        .collect();
    Ok(WaveResponses {
        wave: wave.to_string(),
        respondents: rows.len(),
        items_asked,
        answers,
        groups,
        attributes: chosen
            .iter()
            .map(|c| rows.iter().map(|&r| c[r]).collect())
            .collect(),
        panel: if export.panel.is_empty() {
            Vec::new()
        } else {
            rows.iter().map(|&r| export.panel[r].clone()).collect()
        },
        comments: (0..instrument.comments.len())
            .map(|k| {
                let col = comment_columns.iter().find(|(q, _)| *q == k)?.1;
                Some(crate::comments::texts(export, col, &rows))
            })
            .collect(),
        account,
    })
}

/// The index of a group among an attribute's groups, added when new.
fn group_index(groups: &mut Vec<String>, name: &str) -> u32 {
    match groups.iter().position(|g| g == name) {
        Some(g) => g as u32,
        None => {
            groups.push(name.to_string());
            (groups.len() - 1) as u32
        }
    }
}

/// What one cell (or one row's option columns) of an item means.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Meaning {
    Blank,
    /// A text that is no label of the scale, or a ticked option that is no point of it.
    Unknown,
    /// Two or more options of a single-choice question ticked.
    Several,
    /// [`NOT_APPLICABLE`] or a point's code.
    Code(u8),
}

/// What a text means on an item's scale, with the config's further missing answers.
fn meaning_of(scale: &crate::instrument::Scale, text: &str, extra_missing: &[String]) -> Meaning {
    let text = text.trim();
    let answer = if extra_missing.contains(&normalize_label(text)) {
        Answer::NotApplicable
    } else {
        scale.code(text)
    };
    match answer {
        Answer::Blank => Meaning::Blank,
        Answer::NotApplicable => Meaning::Code(NOT_APPLICABLE),
        Answer::Unknown => Meaning::Unknown,
        Answer::Value(v) => match scale.points.iter().position(|p| p.value == v) {
            Some(k) if k + (FIRST_POINT as usize) <= u8::MAX as usize => Meaning::Code(FIRST_POINT + k as u8),
            _ => Meaning::Unknown,
        },
    }
}

/// Where one asked item's answers come from.
enum Source {
    /// One column, and what each of its distinct texts means.
    Column { col: usize, meaning: Vec<Meaning> },
    /// A single-choice question exported a column per option: each row's answer, and the
    /// column a message about that row's answer points at.
    Options { answers: Vec<Meaning>, at: Vec<usize> },
}

impl Source {
    fn meaning(&self, export: &Export, row: usize) -> Meaning {
        match self {
            Source::Column { col, meaning } => meaning[export.cells[*col].codes()[row] as usize],
            Source::Options { answers, .. } => answers[row],
        }
    }

    fn column_at(&self, row: usize) -> usize {
        match self {
            Source::Column { col, .. } => *col,
            Source::Options { at, .. } => at[row],
        }
    }
}

/// Each asked item (in the order of its first column) with where its answers come from.
fn item_sources(
    instrument: &Instrument,
    export: &Export,
    uses: &[(usize, Use)],
    extra_missing: &[String],
) -> Vec<(usize, Source)> {
    let mut sources: Vec<(usize, usize, Source)> = Vec::new(); // (first column, item, source)
    for (col, used) in uses {
        if let Use::Item(i) = used {
            let cells = &export.cells[*col];
            let scale = instrument.scale_of(&instrument.items[*i]);
            let declared = &export.columns[*col].missing;
            let meaning = (0..cells.values() as u32)
                .map(|code| match cells.value(code).trim() {
                    text if declared.iter().any(|m| m == text) => Meaning::Code(NOT_APPLICABLE),
                    text => meaning_of(scale, text, extra_missing),
                })
                .collect();
            sources.push((*col, *i, Source::Column { col: *col, meaning }));
        }
    }
    for (i, columns) in option_groups(uses, |u| match u {
        Use::ItemOption(i, code) => Some((*i, *code)),
        _ => None,
    }) {
        let cols: Vec<usize> = columns.iter().map(|(c, _)| *c).collect();
        let (answers, at) = ticks(export, &cols)
            .into_iter()
            .map(|tick| match tick {
                Tick::None => (Meaning::Blank, cols[0]),
                Tick::One(k) => (columns[k].1.map_or(Meaning::Unknown, Meaning::Code), cols[k]),
                Tick::Several => (Meaning::Several, cols[0]),
            })
            .unzip();
        sources.push((cols[0], i, Source::Options { answers, at }));
    }
    sources.sort_by_key(|(col, _, _)| *col);
    sources.into_iter().map(|(_, i, s)| (i, s)).collect()
}

/// The option columns of each item or attribute exported a column per option, in column order:
/// (item or attribute, [(column, option)]).
fn option_groups<T>(
    uses: &[(usize, Use)],
    option: impl Fn(&Use) -> Option<(usize, T)>,
) -> Vec<(usize, Vec<(usize, T)>)> {
    let mut groups: Vec<(usize, Vec<(usize, T)>)> = Vec::new();
    for (col, used) in uses {
        if let Some((target, value)) = option(used) {
            match groups.iter_mut().find(|(t, _)| *t == target) {
                Some((_, columns)) => columns.push((*col, value)),
                None => groups.push((target, vec![(*col, value)])),
            }
        }
    }
    groups
}

/// Which of one question's option columns a row ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tick {
    None,
    /// The index of the one ticked column.
    One(usize),
    Several,
}

/// For each row, the option columns it fills (any text but spaces ticks an option).
fn ticks(export: &Export, columns: &[usize]) -> Vec<Tick> {
    let mut out = vec![Tick::None; export.len()];
    for (k, &col) in columns.iter().enumerate() {
        let cells = &export.cells[col];
        let filled: Vec<bool> = (0..cells.values() as u32)
            .map(|code| !cells.value(code).trim().is_empty())
            .collect();
        for (tick, &code) in out.iter_mut().zip(cells.codes()) {
            if filled[code as usize] {
                *tick = match *tick {
                    Tick::None => Tick::One(k),
                    _ => Tick::Several,
                };
            }
        }
    }
    out
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
fn no_usable_rows(account: &FileAccount, export: &Export) -> Error {
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

/// How a column came to hold what it holds, for messages about two columns holding one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    Mapping,
    Role,
    Code,
    Text,
}

impl Via {
    fn describe(self) -> &'static str {
        match self {
            Via::Mapping => "by the mapping file",
            Via::Role => "as a platform column",
            Via::Code => "by the item's code",
            Via::Text => "by its text",
        }
    }
}

/// The instrument's texts and ids a column may be matched on (normalised), with what each
/// names: a text that several items share names them all.
type Wanted = HashMap<String, Vec<Use>>;

fn wanted(instrument: &Instrument) -> Wanted {
    let mut wanted: Wanted = HashMap::new();
    for (i, item) in instrument.items.iter().enumerate() {
        wanted
            .entry(normalize_question(&item.text))
            .or_default()
            .push(Use::Item(i));
    }
    for (i, attribute) in instrument.attributes.iter().enumerate() {
        wanted
            .entry(normalize_question(&attribute.question))
            .or_default()
            .push(Use::Attribute(i));
    }
    // A header equal to an item's or attribute's id (a data set with columns `A1`...`O5`)
    // matches it too, unless that text is some question's own.
    for (i, item) in instrument.items.iter().enumerate() {
        wanted
            .entry(normalize_question(&item.id))
            .or_insert_with(|| vec![Use::Item(i)]);
    }
    for (i, attribute) in instrument.attributes.iter().enumerate() {
        wanted
            .entry(normalize_question(&attribute.id))
            .or_insert_with(|| vec![Use::Attribute(i)]);
    }
    wanted
}

/// What each column is used for: an item, an attribute, the respondent id, or a status flag.
/// The mapping file's entries come first; then a column whose platform id or header is an
/// item's declared code; then the other question columns by their keys, the most specific key
/// first (a header cut short with "..." (legacy Qualtrics) matches the one item whose text it
/// begins). The option columns of one single-choice question share their item or attribute;
/// any other two columns holding one thing are refused, naming both.
fn assign_columns(
    instrument: &Instrument,
    export: &Export,
    options: &MapOptions,
    extra_missing: &[String],
) -> Result<Vec<(usize, Use)>> {
    let wanted = wanted(instrument);
    let id_column = options.id_column.as_deref().map(normalize_question);
    if let Some(name) = &id_column {
        if !export
            .columns
            .iter()
            .any(|c| normalize_question(&c.header) == *name)
        {
            return Err(Error::input(
                Location::file(&export.path).column(options.id_column.clone().unwrap_or_default()),
                "the respondent id column named in the config is not in this file",
                "Correct id_column in backbone.toml, or remove it to number respondents by row.",
            ));
        }
    }
    let mapped = match &options.mapping {
        Some(mapping) => mapping.resolve(export)?,
        None => vec![None; export.columns.len()],
    };
    let item_questions = option_questions(instrument, export, &wanted, extra_missing);
    // Items a column holds by its code.
    let coded: HashSet<usize> = export
        .columns
        .iter()
        .filter_map(|c| instrument.coded_item(&c.ids, &c.header))
        .collect();

    let mut found: Vec<(Via, usize, Use)> = Vec::new();
    let mut has_id = false;
    for (col, column) in export.columns.iter().enumerate() {
        let header = normalize_question(&column.header);
        if let Some(target) = &mapped[col] {
            let used = match target {
                Target::Item(id) => instrument
                    .items
                    .iter()
                    .position(|i| i.id == *id)
                    .map(|i| item_use(instrument, export, column, i, extra_missing)),
                Target::Attribute(id) => instrument
                    .attributes
                    .iter()
                    .position(|a| a.id == *id)
                    .map(|a| attribute_use(instrument, export, column, a)),
                Target::Ignore => continue,
            };
            let Some(used) = used else {
                return Err(Error::input(
                    export.locate(1, col),
                    format!("the mapping file assigns this column ({}) to \"{target}\", which the instrument does not have", column.address()),
                    "Correct the mapping file: use item or attribute ids from the instrument.",
                ));
            };
            found.push((Via::Mapping, col, used));
            continue;
        }
        if id_column.as_deref() == Some(header.as_str())
            || (id_column.is_none() && column.role == Role::RespondentId && !has_id)
        {
            has_id = true;
            found.push((Via::Role, col, Use::Id));
            continue;
        }
        let found_here = match column.role {
            Role::Finished => Some((Via::Role, Use::Finished)),
            Role::Status => Some((Via::Role, Use::Status)),
            Role::Question => question_use(
                instrument,
                export,
                col,
                &wanted,
                &item_questions,
                &coded,
                extra_missing,
            )?,
            _ => None,
        };
        if let Some((via, used)) = found_here {
            found.push((via, col, used));
        }
    }
    claim_all(instrument, export, found)
}

/// What a question column holds, unless the mapping says: an item by its code, an option of
/// a single-choice item or attribute exported a column per option, or whatever its keys name.
fn question_use(
    instrument: &Instrument,
    export: &Export,
    col: usize,
    wanted: &Wanted,
    item_questions: &HashMap<String, usize>,
    coded: &HashSet<usize>,
    extra_missing: &[String],
) -> Result<Option<(Via, Use)>> {
    let column = &export.columns[col];
    if let Some(i) = instrument.coded_item(&column.ids, &column.header) {
        return Ok(Some((Via::Code, Use::Item(i))));
    }
    if let Some((question, _)) = &column.split {
        if let Some(&i) = item_questions.get(&normalize_question(question)) {
            return Ok(Some((
                Via::Text,
                item_use(instrument, export, column, i, extra_missing),
            )));
        }
        if let Some(a) = attribute_question(instrument, export, question) {
            return Ok(Some((Via::Text, attribute_use(instrument, export, column, a))));
        }
    }
    let found = column
        .keys
        .iter()
        .map(|k| normalize_question(k))
        .find_map(|key| wanted.get(&key).or_else(|| truncated_match(&key, wanted)));
    match found.map(Vec::as_slice) {
        None => Ok(None),
        // Every item with this text is held by the column its code names: this one is an
        // uncovered twin (another matrix listing the same statements), left unused.
        Some(uses)
            if uses
                .iter()
                .all(|u| matches!(u, Use::Item(i) if coded.contains(i))) =>
        {
            Ok(None)
        }
        Some([used]) => Ok(Some((Via::Text, used.clone()))),
        Some(uses) => {
            let named: Vec<String> = uses
                .iter()
                .map(|u| match u {
                    Use::Item(i) => {
                        let item = &instrument.items[*i];
                        match &item.code {
                            Some(code) => format!("item \"{}\" (code {code})", item.id),
                            None => format!("item \"{}\"", item.id),
                        }
                    }
                    other => describe_use(instrument, other),
                })
                .collect();
            Err(Error::input(
                export.locate(1, col),
                format!(
                    "this column ({}) reads as {}, which share that text, and neither its id nor its header is one of their codes",
                    column.address(),
                    named.join(" and ")
                ),
                "Give each item the code its column carries in this export (code = \"Q3_1\", or the header, code = \"Squash 1\"), or name this column by id or position in a mapping file (`backbone init` writes one).",
            ))
        }
    }
}

/// A column assigned to item `i`: one of its option columns when its question was exported a
/// column per option of the item's scale (an option that is no point of the scale kept as
/// such: its ticks are unusable answers), else the item's one column.
fn item_use(
    instrument: &Instrument,
    export: &Export,
    column: &Column,
    i: usize,
    extra_missing: &[String],
) -> Use {
    let scale = instrument.scale_of(&instrument.items[i]);
    let on_scale = |sub: &str| matches!(meaning_of(scale, sub, extra_missing), Meaning::Code(_));
    match &column.split {
        Some((question, sub)) if option_group(export, question, on_scale) => {
            match meaning_of(scale, sub, extra_missing) {
                Meaning::Code(code) => Use::ItemOption(i, Some(code)),
                _ => Use::ItemOption(i, None),
            }
        }
        _ => Use::Item(i),
    }
}

/// A column assigned to attribute `a`: one of its option columns when its question was
/// exported a column per option of the attribute (an option it does not list kept as such:
/// its ticks are unusable answers), else the attribute's one column.
fn attribute_use(instrument: &Instrument, export: &Export, column: &Column, a: usize) -> Use {
    let attribute = &instrument.attributes[a];
    match &column.split {
        Some((question, sub)) if option_group(export, question, |s| attribute.option(s).is_some()) => {
            Use::AttributeOption(a, attribute.option(sub).map(str::to_string))
        }
        _ => Use::Attribute(a),
    }
}

/// Whether a question spread over several columns is a single-choice question exported a
/// column per option: some column of it has a sub-label that `fits` (a point of the item's
/// scale, an option of the attribute).
fn option_group(export: &Export, question: &str, fits: impl Fn(&str) -> bool) -> bool {
    let key = normalize_question(question);
    export
        .columns
        .iter()
        .filter_map(|c| c.split.as_ref())
        .any(|(q, sub)| normalize_question(q) == key && fits(sub))
}

/// The single-choice items exported a column per option: each question (normalised) whose
/// text is one item's and at least one of whose columns' sub-labels is a point of its scale.
fn option_questions(
    instrument: &Instrument,
    export: &Export,
    wanted: &Wanted,
    extra_missing: &[String],
) -> HashMap<String, usize> {
    let mut found = HashMap::new();
    for column in &export.columns {
        let Some((question, sub)) = &column.split else {
            continue;
        };
        let key = normalize_question(question);
        if let Some([Use::Item(i)]) = wanted.get(&key).map(Vec::as_slice) {
            let scale = instrument.scale_of(&instrument.items[*i]);
            if matches!(meaning_of(scale, sub, extra_missing), Meaning::Code(_)) {
                found.insert(key, *i);
            }
        }
    }
    found
}

/// The attribute whose question a split column's question is, when that question was
/// exported a column per option of the attribute.
fn attribute_question(instrument: &Instrument, export: &Export, question: &str) -> Option<usize> {
    let key = normalize_question(question);
    let a = instrument
        .attributes
        .iter()
        .position(|a| normalize_question(&a.question) == key)?;
    option_group(export, question, |sub| {
        instrument.attributes[a].option(sub).is_some()
    })
    .then_some(a)
}

/// What a use holds, for messages.
fn describe_use(instrument: &Instrument, used: &Use) -> String {
    match used {
        Use::Item(i) | Use::ItemOption(i, _) => {
            let item = &instrument.items[*i];
            format!("item \"{}\" (\"{}\")", item.id, item.text)
        }
        Use::Attribute(a) | Use::AttributeOption(a, _) => {
            format!("attribute \"{}\"", instrument.attributes[*a].id)
        }
        Use::Id => "the respondent id".into(),
        Use::Finished => "the Finished flag".into(),
        Use::Status => "the response Status".into(),
    }
}

/// Gives each found column what it holds, the mapping's first, then codes, then texts; two
/// columns may hold one thing only as option columns of one question.
fn claim_all(
    instrument: &Instrument,
    export: &Export,
    mut found: Vec<(Via, usize, Use)>,
) -> Result<Vec<(usize, Use)>> {
    found.sort_by_key(|(via, col, _)| (*via, *col));
    // What is held -> (column, how, the question of an option column).
    let mut held: HashMap<String, (usize, Via, Option<String>)> = HashMap::new();
    let mut uses = Vec::new();
    for (via, col, used) in found {
        let key = match &used {
            Use::Item(i) | Use::ItemOption(i, _) => format!("item {i}"),
            Use::Attribute(a) | Use::AttributeOption(a, _) => format!("attribute {a}"),
            other => format!("{other:?}"),
        };
        let question = match &used {
            Use::ItemOption(..) | Use::AttributeOption(..) => export.columns[col]
                .split
                .as_ref()
                .map(|(q, _)| normalize_question(q)),
            _ => None,
        };
        if let Some((first, first_via, first_question)) = held.get(&key) {
            if question.is_none() || *first_question != question {
                let (a, b) = (&export.columns[*first], &export.columns[col]);
                let named = |c: &Column| {
                    if normalize_question(&a.header) == normalize_question(&b.header) {
                        c.address()
                    } else {
                        format!("{} (\"{}\")", c.address(), c.header)
                    }
                };
                return Err(Error::input(
                    export.locate(1, col),
                    format!(
                        "two columns hold {}: {} {} and {} {}",
                        describe_use(instrument, &used),
                        named(a),
                        first_via.describe(),
                        named(b),
                        via.describe()
                    ),
                    "Each question must come from one column. Tell them apart: give the items the codes their columns carry (code = \"Q3_1\" in the instrument), or name the columns by id or position in a mapping file (`backbone init` writes one); a column that repeats a question can be left out with ignore = true.",
                ));
            }
        } else {
            held.insert(key, (col, via, question));
        }
        uses.push((col, used));
    }
    uses.sort_by_key(|(col, _)| *col);
    Ok(uses)
}

/// A header cut short (legacy Qualtrics ends such labels with "...") matches the single
/// question it begins.
fn truncated_match<'a>(key: &str, wanted: &'a Wanted) -> Option<&'a Vec<Use>> {
    let raw = key.trim();
    if raw.len() < 20 {
        return None;
    }
    let mut hits = wanted
        .iter()
        .filter(|(text, _)| text.starts_with(raw) && text.len() > raw.len());
    let first = hits.next()?;
    hits.next().is_none().then_some(first.1)
}

fn check_enough_items(
    instrument: &Instrument,
    export: &Export,
    items_asked: &[usize],
    rules: &Rules,
) -> Result<()> {
    let total = instrument.items.len();
    // An instrument combining several frameworks may be asked one framework at a time.
    let enough = instrument.framework.members.iter().any(|m| {
        let of_member = |i: &usize| instrument.member_of(&instrument.items[*i]) == m.id;
        let all = (0..total).filter(of_member).count();
        let asked = items_asked.iter().filter(|i| of_member(i)).count();
        all > 0 && asked as f64 >= rules.min_answered * all as f64
    });
    if enough {
        return Ok(());
    }
    let missing: Vec<&str> = (0..total)
        .filter(|i| !items_asked.contains(i))
        .take(3)
        .map(|i| instrument.items[i].text.as_str())
        .collect();
    Err(Error::input(
        Location::file(&export.path).row(1),
        format!(
            "only {} of the {} questions of {} were found as column headers (missing, e.g.: \"{}\")",
            items_asked.len(),
            total,
            instrument.described(),
            missing.join("\", \"")
        ),
        format!("Check that this export comes from the survey the instrument describes; if its headers differ, run `backbone init` on it to write a mapping file.{}", instrument.naming_fix()),
    ))
}

/// The group of respondents who did not answer an attribute (or answered none of its options).
pub const NOT_STATED: &str = "Not stated";
