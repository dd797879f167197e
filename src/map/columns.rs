//! Columns: what each column of an export holds. The mapping file's assignments first, then
//! platform columns (respondent id, status flags), then items by their codes, then questions by
//! their text; a single-choice question exported a column per option is read as one question.
//! Two columns holding one thing are refused, naming both.

use std::collections::{HashMap, HashSet};

use super::answers::{item_sources, meaning_of, Meaning, Source};
use super::{MapOptions, Target};
use crate::error::{Error, Location, Result};
use crate::ingest::{Column, Export, Role};
use crate::instrument::Instrument;
use crate::normalize::{normalize_label, normalize_question};
use crate::rules::Rules;

/// What each column of an export holds, and what the export asks.
pub(super) struct Columns {
    pub(super) uses: Vec<(usize, Use)>,
    /// Each asked item with where its answers come from, in column order.
    pub(super) sources: Vec<(usize, Source)>,
    /// The items asked, in the order of `sources`.
    pub(super) items_asked: Vec<usize>,
    /// Question columns that hold nothing of the instrument.
    pub(super) unused: Vec<usize>,
    /// The instrument's open questions found: (question, column).
    pub(super) comments: Vec<(usize, usize)>,
    /// The items the export does not ask.
    pub(super) unasked: Vec<usize>,
}

/// Reads what each column holds, refusing an export that asks too few of the instrument's items.
pub(super) fn read(instrument: &Instrument, export: &Export, options: &MapOptions) -> Result<Columns> {
    let extra_missing: Vec<String> = options.missing.iter().map(|m| normalize_label(m)).collect();
    let uses = assign_columns(instrument, export, options, &extra_missing)?;
    let sources = item_sources(instrument, export, &uses, &extra_missing);
    let items_asked: Vec<usize> = sources.iter().map(|(i, _)| *i).collect();
    check_enough_items(instrument, export, &items_asked, &options.rules)?;
    let mut unused: Vec<usize> = (0..export.columns.len())
        .filter(|&c| export.columns[c].role == Role::Question && !uses.iter().any(|(u, _)| *u == c))
        .collect();
    let comments = crate::comments::columns(&instrument.comments, export, &unused);
    unused.retain(|c| !comments.iter().any(|(_, k)| k == c));
    let unasked = (0..instrument.items.len())
        .filter(|i| !items_asked.contains(i))
        .collect();
    Ok(Columns {
        uses,
        sources,
        items_asked,
        unused,
        comments,
        unasked,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Use {
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
    let id_column = id_column(export, options)?;
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
            if let Some(used) = mapped_use(instrument, export, col, target, extra_missing)? {
                found.push((Via::Mapping, col, used));
            }
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

/// The id column the config names (normalised), refused when the export does not have it.
fn id_column(export: &Export, options: &MapOptions) -> Result<Option<String>> {
    let Some(name) = options.id_column.as_deref().map(normalize_question) else {
        return Ok(None);
    };
    if export
        .columns
        .iter()
        .any(|c| normalize_question(&c.header) == name)
    {
        return Ok(Some(name));
    }
    Err(Error::input(
        Location::file(&export.path).column(options.id_column.clone().unwrap_or_default()),
        "the respondent id column named in the config is not in this file",
        "Correct id_column in backbone.toml, or remove it to number respondents by row.",
    ))
}

/// What the mapping file makes a column hold (`None`: ignored), refused when it names an item
/// or attribute the instrument does not have.
fn mapped_use(
    instrument: &Instrument,
    export: &Export,
    col: usize,
    target: &Target,
    extra_missing: &[String],
) -> Result<Option<Use>> {
    let column = &export.columns[col];
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
        Target::Ignore => return Ok(None),
    };
    match used {
        Some(used) => Ok(Some(used)),
        None => Err(Error::input(
            export.locate(1, col),
            format!("the mapping file assigns this column ({}) to \"{target}\", which the instrument does not have", column.address()),
            "Correct the mapping file: use item or attribute ids from the instrument.",
        )),
    }
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
pub(super) fn option_group(export: &Export, question: &str, fits: impl Fn(&str) -> bool) -> bool {
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
