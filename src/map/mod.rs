//! Map: gives an export's cells meaning. Columns are matched to the instrument's items and
//! attributes by their question text (or a mapping file); answers are coded on the item's
//! scale; every row is either used or skipped with a counted reason. Columns that match nothing
//! are never read past this point.

mod mapping;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::error::{Error, Location, Result};
use crate::ingest::{Column, Export, Role};
use crate::instrument::{Answer, Instrument};
use crate::normalize::{normalize_label, normalize_question};
use crate::rules::Rules;
pub use mapping::{
    render as render_mapping, suggest, suggest_aliases, AliasSuggestion, Mapping, Suggestion, Target,
};

/// How many examples of a problem the accounting keeps, so a report stays readable.
const EXAMPLES_KEPT: usize = 5;

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
    /// Used rows that answer every item the export asks (a scale point or N/A): AAPOR's
    /// complete responses; the other used rows are partials.
    pub rows_complete: usize,
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
    /// Headers of columns that are neither instrument questions, attributes nor known metadata.
    pub unmapped_columns: Vec<String>,
    /// Ids of instrument items that this export does not ask.
    pub missing_items: Vec<String>,
}

impl FileAccount {
    pub fn rows_skipped(&self) -> usize {
        self.skipped.values().sum()
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

#[derive(Debug, Clone)]
enum Use {
    Item(usize),
    Attribute(usize),
    /// One option's column of an attribute question spread over a column per option
    /// (SurveyMonkey's "expanded" export): a filled cell chooses the option.
    AttributeOption(usize, String),
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
    let uses = assign_columns(instrument, export, options)?;
    let items_asked: Vec<usize> = uses
        .iter()
        .filter_map(|(_, u)| match u {
            Use::Item(i) => Some(*i),
            _ => None,
        })
        .collect();
    check_enough_items(instrument, export, &items_asked, &options.rules)?;
    let extra_missing: Vec<String> = options.missing.iter().map(|m| normalize_label(m)).collect();

    let mut account = FileAccount {
        wave: wave.to_string(),
        path: export.path.clone(),
        platform: export.platform.name(),
        detected: export.detected,
        encoding: export.encoding.clone(),
        dropped_columns: export.dropped.clone(),
        rows_read: export.len(),
        rows_used: 0,
        rows_complete: 0,
        skipped: BTreeMap::new(),
        skip_examples: Vec::new(),
        damaged_cells: export.damaged_cells,
        damaged_examples: export.damaged_examples.clone(),
        unknown_answers: 0,
        unknown_examples: Vec::new(),
        unknown_attributes: 0,
        unknown_attribute_examples: Vec::new(),
        unmapped_columns: export
            .columns
            .iter()
            .enumerate()
            .filter(|(i, c)| c.role == Role::Question && !uses.iter().any(|(u, _)| u == i))
            .map(|(_, c)| c.header.clone())
            .collect(),
        missing_items: (0..instrument.items.len())
            .filter(|i| !items_asked.contains(i))
            .map(|i| instrument.items[i].id.clone())
            .collect(),
    };

    // What every distinct text of every used column means, found once per text.
    let n_rows = export.len();
    let item_columns: Vec<(usize, usize)> = uses
        .iter()
        .filter_map(|(col, u)| match u {
            Use::Item(i) => Some((*col, *i)),
            _ => None,
        })
        .collect();
    let meanings: Vec<Vec<Meaning>> = item_columns
        .iter()
        .map(|&(col, i)| {
            let cells = &export.cells[col];
            let item = &instrument.items[i];
            let scale = instrument.scale_of(item);
            (0..cells.values() as u32)
                .map(|code| {
                    let cell = cells.value(code).trim();
                    let answer = if extra_missing.contains(&normalize_label(cell)) {
                        Answer::NotApplicable
                    } else {
                        scale.code(cell)
                    };
                    match answer {
                        Answer::Blank => Meaning::Blank,
                        Answer::NotApplicable => Meaning::Code(NOT_APPLICABLE),
                        Answer::Unknown => Meaning::Unknown,
                        Answer::Value(v) => match scale.points.iter().position(|p| p.value == v) {
                            Some(k) if k + (FIRST_POINT as usize) <= u8::MAX as usize => {
                                Meaning::Code(FIRST_POINT + k as u8)
                            }
                            _ => Meaning::Unknown,
                        },
                    }
                })
                .collect()
        })
        .collect();

    // Per row: items left blank and items answered (a scale point or not applicable); the
    // first unknown answers in row order.
    let mut blank = vec![0u32; n_rows];
    let mut answered = vec![0u32; n_rows];
    let mut unknown: Vec<(usize, usize)> = Vec::new(); // (row, column)
    for (&(col, _), meaning) in item_columns.iter().zip(&meanings) {
        let mut examples = 0;
        for (row, &code) in export.cells[col].codes().iter().enumerate() {
            match meaning[code as usize] {
                Meaning::Blank => blank[row] += 1,
                Meaning::Code(_) => answered[row] += 1,
                Meaning::Unknown => {
                    account.unknown_answers += 1;
                    if examples < EXAMPLES_KEPT {
                        unknown.push((row, col));
                        examples += 1;
                    }
                }
            }
        }
    }
    unknown.sort_unstable();
    account.unknown_examples = unknown
        .into_iter()
        .take(EXAMPLES_KEPT)
        .map(|(row, col)| {
            (
                export.locate_by_name(export.lines[row], col),
                crate::privacy::example(export.cell(row, col).trim()),
            )
        })
        .collect();

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
    let group_index = |groups: &mut Vec<String>, name: &str| -> u32 {
        match groups.iter().position(|g| g == name) {
            Some(g) => g as u32,
            None => {
                groups.push(name.to_string());
                (groups.len() - 1) as u32
            }
        }
    };
    let mut unknown_attributes: Vec<(usize, usize)> = Vec::new(); // (row, column)
    for (col, used) in &uses {
        let cells = &export.cells[*col];
        match used {
            Use::Id => ids = Some(*col),
            Use::Finished => unfinished = flag(*col, &|c| matches!(c, "0" | "false")),
            Use::Status => not_response = flag(*col, &|c| NOT_RESPONSES.contains(&c)),
            Use::Attribute(a) => {
                let attribute = &instrument.attributes[*a];
                // Per distinct text: the group it names, or None for an answer that is none of
                // the options (counted; the respondent is not stated).
                let meaning: Vec<Option<u32>> = (0..cells.values() as u32)
                    .map(|code| {
                        let cell = cells.value(code).trim();
                        match attribute.option(cell) {
                            Some(option) => Some(group_index(&mut groups[*a], option)),
                            None if cell.is_empty() => Some(0),
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
            Use::AttributeOption(a, option) => {
                let g = group_index(&mut groups[*a], option);
                let filled: Vec<bool> = (0..cells.values() as u32)
                    .map(|code| !cells.value(code).trim().is_empty())
                    .collect();
                for (row, &code) in cells.codes().iter().enumerate() {
                    if filled[code as usize] {
                        chosen[*a][row] = g;
                    }
                }
            }
            Use::Item(_) => {}
        }
    }

    unknown_attributes.sort_unstable();
    account.unknown_attribute_examples = unknown_attributes
        .into_iter()
        .take(EXAMPLES_KEPT)
        .map(|(row, col)| {
            (
                export.locate(export.lines[row], col),
                export.cell(row, col).trim().to_string(),
            )
        })
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
            let detail = format!(
                "answered {} of {} items, fewer than the {:.0}% required",
                answered[row],
                items_asked.len(),
                options.rules.min_answered * 100.0
            );
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
    account.rows_complete = rows
        .iter()
        .filter(|&&r| answered[r] as usize == items_asked.len())
        .count();
    if rows.is_empty() {
        return Err(no_usable_rows(&account, export));
    }
    let answers = item_columns
        .iter()
        .zip(&meanings)
        .map(|(&(col, _), meaning)| {
            let codes: Vec<u8> = meaning
                .iter()
                .map(|m| match m {
                    Meaning::Code(c) => *c,
                    _ => NOT_ANSWERED,
                })
                .collect();
            let cells = export.cells[col].codes();
            rows.iter().map(|&r| codes[cells[r] as usize]).collect()
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
        account,
    })
}

/// What one distinct text of an item column means.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    Blank,
    Unknown,
    /// [`NOT_APPLICABLE`] or a point's code.
    Code(u8),
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
    let main_reason = account.skipped.iter().max_by_key(|(_, n)| **n).map(|(r, _)| *r);
    let fix = match main_reason {
        _ if account.rows_read == 0 => "Export the survey again with its responses, or remove this file from the waves.",
        Some(SkipReason::NotAResponse) => "These are survey previews, tests or spam (the Status column): export the recorded responses instead, or remove this file from the waves.",
        Some(SkipReason::Unfinished) => "Every response is unfinished and rules.drop_unfinished is true: set it to false to keep those that answered enough, or export finished responses.",
        _ if account.unknown_answers > 0 => "Check that the answers use the instrument's scale labels (see the examples); answers that mean \"not applicable\" can be listed under `missing` in backbone.toml.",
        Some(SkipReason::TooFewAnswers) => "Lower rules.min_answered in backbone.toml, or check that this export holds the instrument's questions.",
        _ => "Check that this is the right export: its rows leave every question of the instrument blank.",
    };
    Error::input(Location::file(&export.path), what, fix)
}

/// What each column is used for: an item, an attribute, the respondent id, or a status flag.
/// Explicit mappings come first; other question columns are matched by their keys, the most
/// specific key first; a header cut short with "..." (legacy Qualtrics) matches the one item
/// whose text it begins.
fn assign_columns(
    instrument: &Instrument,
    export: &Export,
    options: &MapOptions,
) -> Result<Vec<(usize, Use)>> {
    let mut wanted: HashMap<String, Use> = HashMap::new();
    for (i, item) in instrument.items.iter().enumerate() {
        wanted.insert(normalize_question(&item.text), Use::Item(i));
    }
    for (i, attribute) in instrument.attributes.iter().enumerate() {
        wanted.insert(normalize_question(&attribute.question), Use::Attribute(i));
    }
    // A header equal to an item's or attribute's id (a data set with columns `A1`...`O5`)
    // matches it too, unless that text is some question's own.
    for (i, item) in instrument.items.iter().enumerate() {
        wanted.entry(normalize_question(&item.id)).or_insert(Use::Item(i));
    }
    for (i, attribute) in instrument.attributes.iter().enumerate() {
        wanted
            .entry(normalize_question(&attribute.id))
            .or_insert(Use::Attribute(i));
    }
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

    let mut uses: Vec<(usize, Use)> = Vec::new();
    let mut taken: HashMap<String, usize> = HashMap::new(); // target key -> column
    let mut claim = |target: String, col: usize, used: Use, uses: &mut Vec<(usize, Use)>| -> Result<()> {
        if let Some(&first) = taken.get(&target) {
            return Err(Error::input(
                export.locate(1, col),
                format!(
                    "this column holds the same question as an earlier column (\"{}\")",
                    export.columns[first].header
                ),
                "Remove one of the two columns so each question is answered once, or map them in a mapping file.",
            ));
        }
        taken.insert(target, col);
        uses.push((col, used));
        Ok(())
    };
    for (col, column) in export.columns.iter().enumerate() {
        let header = normalize_question(&column.header);
        if let Some(target) = options.mapping.as_ref().and_then(|m| m.target_of(&column.header)) {
            let used = match target {
                Target::Item(id) => instrument.items.iter().position(|i| i.id == *id).map(Use::Item),
                Target::Attribute(id) => instrument
                    .attributes
                    .iter()
                    .position(|a| a.id == *id)
                    .map(Use::Attribute),
                Target::Ignore => continue,
            };
            let Some(used) = used else {
                return Err(Error::input(
                    export.locate(1, col),
                    format!("the mapping file assigns this column to \"{target}\", which the instrument does not have"),
                    "Correct the mapping file: use item or attribute ids from the instrument.",
                ));
            };
            claim(format!("{target}"), col, used, &mut uses)?;
            continue;
        }
        if id_column.as_deref() == Some(header.as_str())
            || (id_column.is_none()
                && column.role == Role::RespondentId
                && !uses.iter().any(|(_, u)| matches!(u, Use::Id)))
        {
            claim("#id".into(), col, Use::Id, &mut uses)?;
            continue;
        }
        match column.role {
            Role::Finished => claim("#finished".into(), col, Use::Finished, &mut uses)?,
            Role::Status => claim("#status".into(), col, Use::Status, &mut uses)?,
            Role::Question => {
                if let Some((a, option)) = attribute_option_column(instrument, column) {
                    claim(
                        format!("{a}#{option}"),
                        col,
                        Use::AttributeOption(a, option),
                        &mut uses,
                    )?;
                    continue;
                }
                let found = column.keys.iter().map(|k| normalize_question(k)).find_map(|key| {
                    let used = wanted
                        .get(&key)
                        .map(|u| (key.clone(), u))
                        .or_else(|| truncated_match(&key, &wanted));
                    used.map(|(k, u)| (k, u.clone()))
                });
                if let Some((_, used)) = found {
                    // Claimed by what it holds, so that a column matched by text and another
                    // matched by id cannot both fill one item.
                    let key = match &used {
                        Use::Item(i) => format!("{}", Target::Item(instrument.items[*i].id.clone())),
                        Use::Attribute(a) => {
                            format!("{}", Target::Attribute(instrument.attributes[*a].id.clone()))
                        }
                        other => format!("{other:?}"),
                    };
                    claim(key, col, used, &mut uses)?;
                }
            }
            _ => {}
        }
    }
    Ok(uses)
}

/// The attribute and option of one column of an attribute question exported a column per
/// option: the column's question is the attribute's and its sub-label one of its options.
fn attribute_option_column(instrument: &Instrument, column: &Column) -> Option<(usize, String)> {
    let (question, sub) = column.split.as_ref()?;
    let a = instrument
        .attributes
        .iter()
        .position(|a| normalize_question(&a.question) == normalize_question(question))?;
    let option = instrument.attributes[a].option(sub)?;
    Some((a, option.to_string()))
}

/// A header cut short (legacy Qualtrics ends such labels with "...") matches the single
/// question it begins.
fn truncated_match<'a>(key: &str, wanted: &'a HashMap<String, Use>) -> Option<(String, &'a Use)> {
    let raw = key.trim();
    if raw.len() < 20 {
        return None;
    }
    let mut hits = wanted
        .iter()
        .filter(|(text, _)| text.starts_with(raw) && text.len() > raw.len());
    let first = hits.next()?;
    hits.next().is_none().then(|| (first.0.clone(), first.1))
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
            "only {} of the {} questions of instrument \"{}\" were found as column headers (missing, e.g.: \"{}\")",
            items_asked.len(),
            total,
            instrument.id,
            missing.join("\", \"")
        ),
        "Check that this export comes from the survey the instrument describes; if its headers differ, run `backbone init` on it to write a mapping file.",
    ))
}

/// The group of respondents who did not answer an attribute (or answered none of its options).
pub const NOT_STATED: &str = "Not stated";
