//! Map: gives an export's cells meaning. Columns are matched to the instrument's items and
//! attributes by their question text (or a mapping file); answers are coded on the item's
//! scale; every row is either used or skipped with a counted reason. Columns that match nothing
//! are never read past this point.

//!
//! [`map_wave`] runs the steps, each a module: `columns` (what each column holds), `answers`
//! (what each cell means; attribute groups), `rows` (which rows are used) and `accounting`
//! (what happened to every row and column, with examples). `mapping` reads and writes mapping
//! files and `init`'s suggestions; `loss` lists what could not be used.

mod accounting;
mod answers;
mod columns;
mod loss;
pub(crate) mod mapping;
mod rows;

use crate::error::Result;
use crate::ingest::Export;
use crate::instrument::Instrument;
use crate::rules::Rules;
use accounting::{no_usable_rows, Problems};
pub use accounting::{FileAccount, SkipReason};
use answers::{Attributes, Meaning};
use columns::Columns;
pub use loss::{unaccounted, DidYouMean, UnknownAnswers, UNKNOWN_FIX, VALUES_LISTED};
pub use mapping::{
    render as render_mapping, suggest, suggest_aliases, AliasSuggestion, Mapping, Selector, Suggestion,
    Target,
};

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
    let columns = columns::read(instrument, export, options)?;
    let mut account = FileAccount::opened(wave, instrument, export, &columns);
    let mut problems = Problems::default();
    let answered = answers::tally(export, &columns.sources, &mut problems);
    let attributes = answers::code_attributes(instrument, export, &columns.uses, &mut problems);
    account.record(export, &columns.uses, problems);
    let flags = rows::Flags::read(export, &columns.uses);
    let asked = columns.items_asked.len();
    let rows = rows::select(export, asked, &answered, &flags, &options.rules, &mut account);
    if rows.is_empty() {
        return Err(no_usable_rows(&account, export));
    }
    Ok(responses(instrument, export, columns, attributes, &rows, account))
}

/// The used rows' answers, groups, panel keys and comments, column by column.
fn responses(
    instrument: &Instrument,
    export: &Export,
    columns: Columns,
    attributes: Attributes,
    rows: &[usize],
    account: FileAccount,
) -> WaveResponses {
    let answers = columns
        .sources
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
    let comments = (0..instrument.comments.len())
        .map(|k| {
            let col = columns.comments.iter().find(|(q, _)| *q == k)?.1;
            Some(crate::comments::texts(export, col, rows))
        })
        .collect();
    WaveResponses {
        wave: account.wave.clone(),
        respondents: rows.len(),
        items_asked: columns.items_asked,
        answers,
        groups: attributes.groups,
        attributes: attributes
            .chosen
            .iter()
            .map(|c| rows.iter().map(|&r| c[r]).collect())
            .collect(),
        panel: if export.panel.is_empty() {
            Vec::new()
        } else {
            rows.iter().map(|&r| export.panel[r].clone()).collect()
        },
        comments,
        account,
    }
}

/// The group of respondents who did not answer an attribute (or answered none of its options).
pub const NOT_STATED: &str = "Not stated";
