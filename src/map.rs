//! Map: gives an export's cells meaning. Columns are matched to the instrument's items and
//! attributes by their question text; answers are coded on the item's scale; every row is either
//! used or skipped with a counted reason. Columns that match nothing (names, emails, IP
//! addresses...) are never read past this point.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::config::Rules;
use crate::error::{Error, Location, Result};
use crate::ingest::RawTable;
use crate::instrument::{normalize_label, Answer, Instrument};

/// Headers that identify a respondent on the platforms we know, compared after normalising.
const ID_HEADERS: [&str; 5] = ["respondent id", "responseid", "response id", "respondent", "id"];

/// How many examples of a problem the accounting keeps, so a report stays readable.
const EXAMPLES_KEPT: usize = 5;

/// Why a row of an export was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Every item cell is blank.
    Empty,
    /// Fewer items answered (scale point or "not applicable") than the rules require.
    TooFewAnswers,
    /// A later row carries the same respondent id; the later one is kept.
    Duplicate,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Empty => "empty row (no item answered)",
            SkipReason::TooFewAnswers => "too few items answered",
            SkipReason::Duplicate => "respondent id repeated; the later row was kept",
        }
    }
}

/// What happened to every row and column of one export.
#[derive(Debug, Clone, PartialEq)]
pub struct FileAccount {
    pub wave: String,
    pub path: PathBuf,
    pub encoding: &'static str,
    pub delimiter: char,
    pub rows_read: usize,
    pub rows_used: usize,
    pub skipped: BTreeMap<SkipReason, usize>,
    /// The first skipped rows: line and reason.
    pub skip_examples: Vec<(usize, String)>,
    /// Answers that matched no label of the scale; the cell counts as unanswered.
    pub unknown_answers: usize,
    pub unknown_examples: Vec<(Location, String)>,
    /// Headers of columns that are not instrument questions (never read further).
    pub unmapped_columns: Vec<String>,
    /// Ids of instrument items that this export does not ask.
    pub missing_items: Vec<String>,
}

impl FileAccount {
    pub fn rows_skipped(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// One respondent of one wave, known only by attributes they chose from the instrument's options.
#[derive(Debug, Clone, PartialEq)]
pub struct Respondent {
    /// Attribute id -> chosen option, "Not stated" or "Other".
    pub attributes: BTreeMap<String, String>,
}

/// One answer in long format: respondent (index into `respondents`), item (index into the
/// instrument's items), and the scale value, or `None` for "not applicable".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemAnswer {
    pub respondent: usize,
    pub item: usize,
    pub value: Option<i64>,
}

/// The usable responses of one wave.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveResponses {
    pub wave: String,
    pub respondents: Vec<Respondent>,
    pub answers: Vec<ItemAnswer>,
    /// Indices of the instrument items this wave asked.
    pub items_asked: Vec<usize>,
    pub account: FileAccount,
}

/// Lower-case words only: punctuation, quotes and spacing are ignored when matching questions.
pub fn normalize_question(text: &str) -> String {
    normalize_label(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An item index and its oriented value (`None`: not applicable).
type Coded = (usize, Option<i64>);

enum Column {
    Item(usize),
    Attribute(usize),
    Id,
}

/// Maps one export onto the instrument and codes its answers.
pub fn map_wave(
    instrument: &Instrument,
    table: &RawTable,
    wave: &str,
    id_column: Option<&str>,
    rules: &Rules,
) -> Result<WaveResponses> {
    let columns = match_columns(instrument, table, id_column)?;
    let items_asked: Vec<usize> = columns
        .iter()
        .filter_map(|(_, c)| match c {
            Column::Item(i) => Some(*i),
            _ => None,
        })
        .collect();
    check_enough_items(instrument, table, &items_asked, rules)?;

    let mut account = FileAccount {
        wave: wave.to_string(),
        path: table.path.clone(),
        encoding: table.encoding,
        delimiter: table.delimiter,
        rows_read: table.rows.len(),
        rows_used: 0,
        skipped: BTreeMap::new(),
        skip_examples: Vec::new(),
        unknown_answers: 0,
        unknown_examples: Vec::new(),
        unmapped_columns: table
            .headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !columns.iter().any(|(c, _)| c == i))
            .map(|(_, h)| h.clone())
            .collect(),
        missing_items: (0..instrument.items.len())
            .filter(|i| !items_asked.contains(i))
            .map(|i| instrument.items[i].id.clone())
            .collect(),
    };

    // Rows in file order; a repeated respondent id replaces the earlier row.
    let mut kept: Vec<Option<(Respondent, Vec<Coded>)>> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let skip = |account: &mut FileAccount, line: usize, reason: SkipReason, detail: String| {
        *account.skipped.entry(reason).or_default() += 1;
        if account.skip_examples.len() < EXAMPLES_KEPT {
            account.skip_examples.push((line, detail));
        }
    };
    for row in &table.rows {
        let mut attributes = BTreeMap::new();
        let mut answers = Vec::new();
        let mut respondent_id = None;
        let mut blank = 0;
        for (col, column) in &columns {
            let cell = row.cells[*col].trim();
            match column {
                Column::Id => respondent_id = Some(cell.to_string()).filter(|s| !s.is_empty()),
                Column::Attribute(a) => {
                    let attribute = &instrument.attributes[*a];
                    attributes.insert(attribute.id.clone(), attribute_option(&attribute.options, cell));
                }
                Column::Item(i) => {
                    let item = &instrument.items[*i];
                    let scale = instrument.scale_of(item);
                    match scale.code(cell) {
                        Answer::Blank => blank += 1,
                        Answer::NotApplicable => answers.push((*i, None)),
                        Answer::Value(v) => answers.push((*i, Some(scale.oriented(v, item.reverse)))),
                        Answer::Unknown => {
                            account.unknown_answers += 1;
                            if account.unknown_examples.len() < EXAMPLES_KEPT {
                                account
                                    .unknown_examples
                                    .push((table.locate(row.line, *col), cell.to_string()));
                            }
                        }
                    }
                }
            }
        }
        if blank == items_asked.len() {
            skip(
                &mut account,
                row.line,
                SkipReason::Empty,
                SkipReason::Empty.describe().into(),
            );
            continue;
        }
        if (answers.len() as f64) < rules.min_answered * items_asked.len() as f64 {
            let detail = format!(
                "answered {} of {} items, fewer than the {:.0}% required",
                answers.len(),
                items_asked.len(),
                rules.min_answered * 100.0
            );
            skip(&mut account, row.line, SkipReason::TooFewAnswers, detail);
            continue;
        }
        if let Some(id) = respondent_id {
            if let Some(previous) = by_id.insert(id, kept.len()) {
                kept[previous] = None;
                skip(
                    &mut account,
                    row.line,
                    SkipReason::Duplicate,
                    format!(
                        "an earlier row of this respondent was replaced by row {}",
                        row.line
                    ),
                );
            }
        }
        kept.push(Some((Respondent { attributes }, answers)));
    }

    let mut respondents = Vec::new();
    let mut answers = Vec::new();
    for (respondent, their_answers) in kept.into_iter().flatten() {
        let index = respondents.len();
        respondents.push(respondent);
        answers.extend(their_answers.into_iter().map(|(item, value)| ItemAnswer {
            respondent: index,
            item,
            value,
        }));
    }
    account.rows_used = respondents.len();
    if respondents.is_empty() {
        return Err(Error::input(
            Location::file(&table.path),
            format!("none of the {} rows holds a usable response", table.rows.len()),
            "Check that this is the right export and that answers use the instrument's scale labels.",
        ));
    }
    Ok(WaveResponses {
        wave: wave.to_string(),
        respondents,
        answers,
        items_asked,
        account,
    })
}

/// Pairs each column with the item, attribute or respondent id it holds.
fn match_columns(
    instrument: &Instrument,
    table: &RawTable,
    id_column: Option<&str>,
) -> Result<Vec<(usize, Column)>> {
    let mut wanted: HashMap<String, Column> = HashMap::new();
    for (i, item) in instrument.items.iter().enumerate() {
        wanted.insert(normalize_question(&item.text), Column::Item(i));
    }
    for (i, attribute) in instrument.attributes.iter().enumerate() {
        wanted.insert(normalize_question(&attribute.question), Column::Attribute(i));
    }
    let id_header = match id_column {
        Some(name) => {
            let name = normalize_question(name);
            if !table.headers.iter().any(|h| normalize_question(h) == name) {
                return Err(Error::input(
                    Location::file(&table.path).column(name),
                    "the respondent id column named in the config is not in this file",
                    "Correct id_column in backbone.toml, or remove it to number respondents by row.",
                ));
            }
            Some(name)
        }
        None => ID_HEADERS
            .iter()
            .find(|h| table.headers.iter().any(|t| normalize_question(t) == **h))
            .map(|h| h.to_string()),
    };

    let mut columns = Vec::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    for (col, header) in table.headers.iter().enumerate() {
        let key = normalize_question(header);
        if let Some(&first) = taken.get(&key) {
            return Err(Error::input(
                table.locate(1, col),
                format!("this question appears twice (also in column {})", first + 1),
                "Remove one of the two columns so each question is answered once.",
            ));
        }
        let column = if id_header.as_deref() == Some(key.as_str()) {
            Column::Id
        } else if let Some(column) = wanted.remove(&key) {
            column
        } else {
            continue;
        };
        taken.insert(key, col);
        columns.push((col, column));
    }
    Ok(columns)
}

fn check_enough_items(
    instrument: &Instrument,
    table: &RawTable,
    items_asked: &[usize],
    rules: &Rules,
) -> Result<()> {
    let total = instrument.items.len();
    if (items_asked.len() as f64) >= rules.min_answered * total as f64 {
        return Ok(());
    }
    let missing: Vec<&str> = (0..total)
        .filter(|i| !items_asked.contains(i))
        .take(3)
        .map(|i| instrument.items[i].text.as_str())
        .collect();
    Err(Error::input(
        Location::file(&table.path).row(1),
        format!(
            "only {} of the {} questions of instrument \"{}\" were found as column headers (missing, e.g.: \"{}\")",
            items_asked.len(),
            total,
            instrument.id,
            missing.join("\", \"")
        ),
        "Check that this export comes from the survey the instrument describes, or correct the header texts.",
    ))
}

/// The instrument option a cell names, "Not stated" when blank, or "Other" for any other text
/// (free text is never carried forward: it may identify someone).
fn attribute_option(options: &[String], cell: &str) -> String {
    if cell.is_empty() {
        return "Not stated".to_string();
    }
    let key = normalize_label(cell);
    options
        .iter()
        .find(|o| normalize_label(o) == key)
        .cloned()
        .unwrap_or_else(|| "Other".to_string())
}
