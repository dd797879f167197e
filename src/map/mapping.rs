//! Mapping files: which export column holds which instrument item or attribute, when headers
//! differ from the instrument's texts. A column is named by its header text, by the platform's
//! own id (Qualtrics `Q3_1` or its ImportId `QID3_1`) or by its place in the file (`18` or
//! the spreadsheet letter `R`). `backbone init` suggests one, with a confidence per column,
//! for the evaluator to check and edit.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::ingest::{column_letter, column_number, Column, Export, Role};
use crate::instrument::{Answer, Instrument};
use crate::normalize::normalize_question;

/// What a column is assigned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Item(String),
    Attribute(String),
    /// Explicitly not used.
    Ignore,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Item(id) => write!(f, "item {id}"),
            Target::Attribute(id) => write!(f, "attribute {id}"),
            Target::Ignore => write!(f, "ignored"),
        }
    }
}

/// How a mapping entry names its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// By its header text (case, spacing and punctuation ignored).
    Header(String),
    /// By one of the platform's ids of the column (Qualtrics `Q3_1`, ImportId `QID3_1`).
    Id(String),
    /// By its 1-based place in the file.
    Position(usize),
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selector::Header(text) => write!(f, "column = \"{text}\""),
            Selector::Id(id) => write!(f, "id = \"{id}\""),
            Selector::Position(p) => write!(f, "position = {p} (\"{}\")", column_letter(*p)),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    #[serde(default)]
    column: Option<String>,
    #[serde(default)]
    id: Option<String>,
    /// A number (1 is the first column) or a spreadsheet's column letters.
    #[serde(default)]
    position: Option<toml::Value>,
    /// With `id` or `position`: the header the column must have (a check that the export has
    /// not changed since the mapping was written).
    #[serde(default)]
    header: Option<String>,
    #[serde(default)]
    item: Option<String>,
    #[serde(default)]
    attribute: Option<String>,
    #[serde(default)]
    ignore: bool,
    /// Written by `init` for the reader; mapping does not depend on it.
    #[serde(default, rename = "confidence")]
    _confidence: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MappingFile {
    #[serde(default)]
    instrument: Option<String>,
    #[serde(default)]
    columns: Vec<Entry>,
}

/// One entry of a mapping file.
#[derive(Debug, Clone, PartialEq)]
struct Assignment {
    selector: Selector,
    header: Option<String>,
    target: Target,
}

/// A mapping file's entries, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    path: PathBuf,
    entries: Vec<Assignment>,
}

impl Mapping {
    /// Reads a mapping file written for `instrument`.
    pub fn load(path: &Path, instrument: &Instrument) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Mapping::parse(&text, path, instrument)
    }

    /// Parses mapping TOML read from `path`.
    pub fn parse(text: &str, path: &Path, instrument: &Instrument) -> Result<Mapping> {
        let file: MappingFile =
            toml::from_str(text).map_err(|e| crate::schema::toml_error("mapping file", path, text, &e))?;
        if let Some(other) = file.instrument.filter(|i| *i != instrument.id) {
            let fix = if instrument.bundled_default {
                format!("Name the instrument it was written for in backbone.toml: `instrument = \"{other}.instrument.toml\"` (its path), or pass --instrument.")
            } else {
                "Run `backbone init` again with the instrument you score with.".to_string()
            };
            return Err(Error::definition(
                Location::file(path),
                format!(
                    "this mapping was written for instrument \"{other}\", not {}",
                    instrument.described()
                ),
                fix,
            ));
        }
        let mut entries: Vec<Assignment> = Vec::new();
        for (n, entry) in file.columns.into_iter().enumerate() {
            let assignment = assignment(entry, n + 1, path)?;
            if let Some(twice) = entries
                .iter()
                .find(|e| same_selector(&e.selector, &assignment.selector))
            {
                return Err(Error::definition(
                    Location::file(path),
                    format!("{} is mapped twice", twice.selector),
                    "Keep one entry per column.",
                ));
            }
            entries.push(assignment);
        }
        Ok(Mapping {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// What the mapping assigns each column of `export` to (in the order of its columns).
    /// An entry that names no column, or a header that names several, or a column whose header
    /// is not the one the entry expects, is refused with what to do.
    pub fn resolve(&self, export: &Export) -> Result<Vec<Option<Target>>> {
        let name = export.path.file_name().map_or_else(
            || export.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let refuse = |what: String, fix: &str| Error::definition(Location::file(&self.path), what, fix);
        let mut targets: Vec<Option<Target>> = vec![None; export.columns.len()];
        let mut named_by: Vec<Option<&Selector>> = vec![None; export.columns.len()];
        for entry in &self.entries {
            let columns: Vec<usize> = (0..export.columns.len())
                .filter(|&c| selects(&entry.selector, &export.columns[c]))
                .collect();
            if columns.is_empty() {
                if entry.target == Target::Ignore {
                    continue;
                }
                return Err(refuse(
                    format!("{}, assigned to {}, names no column of {name}{}", entry.selector, entry.target, why_absent(&entry.selector, export)),
                    "Correct the entry so it names a column of this export (its header, its id or its position), or delete it; `backbone init` on the export writes a mapping that fits it.",
                ));
            }
            if columns.len() > 1 && entry.target != Target::Ignore {
                let found: Vec<String> = columns.iter().map(|&c| export.columns[c].address()).collect();
                return Err(refuse(
                    format!(
                        "{} (assigned to {}) matches {} columns of {name}: {}",
                        entry.selector,
                        entry.target,
                        columns.len(),
                        found.join("; ")
                    ),
                    &format!(
                        "Name each of these columns by {} instead, in one entry each; `backbone init` writes such entries.",
                        how_to_name(&export.columns[columns[0]])
                    ),
                ));
            }
            for &c in &columns {
                let column = &export.columns[c];
                if let Some(expected) = &entry.header {
                    if normalize_question(expected) != normalize_question(&column.header) {
                        return Err(refuse(
                            format!(
                                "{} expects the header \"{expected}\", but that column of {name} is \"{}\"",
                                entry.selector, column.header
                            ),
                            "The export's columns have changed since the mapping was written: correct the entry's id or position (or its header), or run `backbone init` on this export again.",
                        ));
                    }
                }
                if let Some(first) = named_by[c] {
                    return Err(refuse(
                        format!(
                            "{first} and {} both name {} of {name}",
                            entry.selector,
                            column.address()
                        ),
                        "Keep one entry per column.",
                    ));
                }
                named_by[c] = Some(&entry.selector);
                targets[c] = Some(entry.target.clone());
            }
        }
        Ok(targets)
    }
}

/// Reads one `[[columns]]` entry (the `n`-th): exactly one way of naming the column, and
/// exactly one of item, attribute or ignore.
fn assignment(entry: Entry, n: usize, path: &Path) -> Result<Assignment> {
    let refuse = |what: String, fix: &str| Error::definition(Location::file(path), what, fix);
    let label = entry
        .column
        .clone()
        .or_else(|| entry.id.clone())
        .map_or_else(|| format!("entry {n}"), |c| format!("entry {n} (\"{c}\")"));
    let target = match (entry.item, entry.attribute, entry.ignore) {
        (Some(item), None, false) => Target::Item(item),
        (None, Some(attribute), false) => Target::Attribute(attribute),
        (None, None, true) => Target::Ignore,
        _ => {
            return Err(refuse(
                format!("mapping {label} needs exactly one of item, attribute or ignore = true"),
                "Give the column one item id, one attribute id, or ignore = true.",
            ))
        }
    };
    let position = match &entry.position {
        None => None,
        Some(toml::Value::Integer(p)) if *p >= 1 => Some(*p as usize),
        Some(toml::Value::String(letters)) if column_number(letters).is_some() => column_number(letters),
        Some(other) => {
            return Err(refuse(
                format!("mapping {label} has position = {other}, which is not a column"),
                "Write the column's number (1 for the first column) or its spreadsheet letters (position = \"R\").",
            ))
        }
    };
    let selector = match (entry.column, entry.id, position) {
        (Some(text), None, None) => Selector::Header(text),
        (None, Some(id), None) => Selector::Id(id),
        (None, None, Some(p)) => Selector::Position(p),
        _ => {
            return Err(refuse(
                format!("mapping {label} needs exactly one of column, id or position"),
                "Name the column by its header text (column = \"...\"), by the platform's id (id = \"Q3_1\") or by its place in the file (position = 18, or position = \"R\").",
            ))
        }
    };
    if entry.header.is_some() && matches!(selector, Selector::Header(_)) {
        return Err(refuse(
            format!("mapping {label} has both column and header"),
            "header goes with id or position, to check the column's text; an entry naming the column by its header needs only column.",
        ));
    }
    Ok(Assignment {
        selector,
        header: entry.header,
        target,
    })
}

fn same_selector(a: &Selector, b: &Selector) -> bool {
    match (a, b) {
        (Selector::Header(x), Selector::Header(y)) => normalize_question(x) == normalize_question(y),
        (Selector::Id(x), Selector::Id(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        (Selector::Position(x), Selector::Position(y)) => x == y,
        _ => false,
    }
}

fn selects(selector: &Selector, column: &Column) -> bool {
    match selector {
        Selector::Header(text) => normalize_question(text) == normalize_question(&column.header),
        Selector::Id(id) => column.has_id(id),
        Selector::Position(p) => column.position == Some(*p),
    }
}

/// Why no column of the export answers to a selector, when the export can tell.
fn why_absent(selector: &Selector, export: &Export) -> String {
    match selector {
        // A long-format export's columns are built from its rows: they have no place in the file.
        Selector::Position(_) if export.columns.iter().all(|c| c.position.is_none()) => {
            " (this export is in long format, so its columns have no positions: name the column by its header)".into()
        }
        Selector::Position(p) if *p > export.width => {
            format!(" (it has {} columns)", export.width)
        }
        Selector::Position(_) => {
            " (that column was removed as the file was read: an identifying column, or an empty one)".into()
        }
        Selector::Header(text)
            if export
                .dropped
                .iter()
                .any(|d| normalize_question(d) == normalize_question(text)) =>
        {
            " (it is an identifying column, removed as the file is read)".into()
        }
        Selector::Id(_) if export.columns.iter().all(|c| c.ids.is_empty()) => format!(
            " (a {} export has no column ids: name its columns by header or position)",
            export.platform.name()
        ),
        _ => String::new(),
    }
}

/// How to name a column unambiguously, for messages: by id where the platform has one,
/// else by position.
fn how_to_name(column: &Column) -> String {
    match (column.ids.first(), column.position) {
        (Some(id), Some(p)) => format!("id (id = \"{id}\") or position (position = {p})"),
        (Some(id), None) => format!("id (id = \"{id}\")"),
        (None, Some(p)) => format!(
            "position (position = {p}, or its letters \"{}\")",
            column_letter(p)
        ),
        (None, None) => "a header of its own".into(),
    }
}

/// A suggested assignment for one question column of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The column's index among the export's columns.
    pub index: usize,
    /// Its header, as the export shows it.
    pub column: String,
    /// `None`: nothing in the instrument is close enough.
    pub target: Option<Target>,
    /// 1.0 for identical text, a declared code or an id; otherwise the word overlap (Dice
    /// coefficient) of the best key.
    pub confidence: f64,
    /// What to check before trusting the suggestion: another column reads the same, or the
    /// column's option is not an answer the instrument lists.
    pub note: Option<String>,
    /// For one option column of a single-choice question exported a column per option: how
    /// many option columns share its target (read together as one answer); 0 otherwise.
    pub options: usize,
}

/// The least word overlap at which a column is suggested for an item.
const SUGGEST_FROM: f64 = 0.6;

fn words(text: &str) -> BTreeSet<String> {
    normalize_question(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Dice coefficient of two word sets: 2|A ∩ B| / (|A| + |B|).
fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// An answer text that matches no point of its item's scale, seen by `backbone init`, with the
/// point whose label shares most of its words (a candidate for that point's `aliases`).
#[derive(Debug, Clone, PartialEq)]
pub struct AliasSuggestion {
    pub scale: String,
    pub text: String,
    pub count: usize,
    /// The label of the closest point, when any word is shared.
    pub point: Option<String>,
}

/// Unknown answer texts in the columns suggested for items, most frequent first.
pub fn suggest_aliases(
    instrument: &Instrument,
    export: &Export,
    suggestions: &[Suggestion],
) -> Vec<AliasSuggestion> {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for s in suggestions {
        let Some(Target::Item(id)) = &s.target else {
            continue;
        };
        let Some(item) = instrument.items.iter().find(|i| i.id == *id) else {
            continue;
        };
        let scale = instrument.scale_of(item);
        // Each distinct text of the column coded once, counted by how many rows hold it.
        let cells = &export.cells[s.index];
        let mut rows_of = vec![0usize; cells.values()];
        for &code in cells.codes() {
            rows_of[code as usize] += 1;
        }
        for (code, &rows) in rows_of.iter().enumerate() {
            let cell = cells.value(code as u32).trim();
            if rows > 0 && scale.code(cell) == Answer::Unknown {
                *seen.entry((item.scale.clone(), cell.to_string())).or_default() += rows;
            }
        }
    }
    let mut out: Vec<AliasSuggestion> = seen
        .into_iter()
        .map(|((scale, text), count)| {
            let said = words(&text);
            let point = instrument.scales[&scale]
                .points
                .iter()
                .map(|p| (overlap(&said, &words(&p.label)), &p.label))
                .filter(|(o, _)| *o > 0.0)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, label)| label.clone());
            AliasSuggestion {
                scale,
                text,
                count,
                point,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    out
}

/// One way a column could be placed, for [`suggest`].
#[derive(Debug, Clone)]
struct Candidate {
    column: usize,
    target: usize,
    score: f64,
    /// Named by a declared code or an id: placed before any match by words.
    exact: bool,
    /// The normalised question of an option column of a single-choice question exported a
    /// column per option: such columns share their target.
    option_of: Option<String>,
    /// For an option column: whether its option is a point of the item's scale (an option of
    /// the attribute).
    fits: bool,
}

/// The target a column names by its platform id or header: an item's declared code, or an
/// item's or attribute's own id.
fn named_target(instrument: &Instrument, targets: &[Target], column: &Column) -> Option<usize> {
    let by_code = instrument
        .coded_item(&column.ids, &column.header)
        .map(|i| Target::Item(instrument.items[i].id.clone()));
    let by_id = || {
        column.keys.iter().map(|k| normalize_question(k)).find_map(|key| {
            instrument
                .items
                .iter()
                .find(|i| normalize_question(&i.id) == key)
                .map(|i| Target::Item(i.id.clone()))
                .or_else(|| {
                    instrument
                        .attributes
                        .iter()
                        .find(|a| normalize_question(&a.id) == key)
                        .map(|a| Target::Attribute(a.id.clone()))
                })
        })
    };
    let target = by_code.or_else(by_id)?;
    targets.iter().position(|t| *t == target)
}

/// Suggests, for every question column, the instrument item or attribute it most likely holds.
/// Each target goes to one column (the best match; a tie to the first in the file, with a note
/// on both), except the option columns of one single-choice question, which share their item.
pub fn suggest(instrument: &Instrument, export: &Export) -> Vec<Suggestion> {
    let targets: Vec<Target> = instrument
        .items
        .iter()
        .map(|i| Target::Item(i.id.clone()))
        .chain(
            instrument
                .attributes
                .iter()
                .map(|a| Target::Attribute(a.id.clone())),
        )
        .collect();
    let questions: Vec<usize> = (0..export.columns.len())
        .filter(|&c| export.columns[c].role == Role::Question)
        .collect();
    let (candidates, best) = candidates(instrument, export, &targets, &questions);
    let placing = place(export, &targets, &candidates);
    questions
        .into_iter()
        .map(|col| {
            let placed = placing.placed.get(&col);
            Suggestion {
                index: col,
                column: export.columns[col].header.clone(),
                target: placed.map(|c| targets[c.target].clone()),
                confidence: placed.map_or(best[col], |c| c.score),
                note: placing.notes.get(&col).map(|n| n.join("; ")),
                options: placing.options.get(&col).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// Every target each question column could hold, at or above [`SUGGEST_FROM`], best first
/// (named by code or id before any match by words); and each column's best word overlap.
fn candidates(
    instrument: &Instrument,
    export: &Export,
    targets: &[Target],
    questions: &[usize],
) -> (Vec<Candidate>, Vec<f64>) {
    let target_words: Vec<BTreeSet<String>> = instrument
        .items
        .iter()
        .map(|i| words(&i.text))
        .chain(instrument.attributes.iter().map(|a| words(&a.question)))
        .collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut best = vec![0.0f64; export.columns.len()];
    for &col in questions {
        let column = &export.columns[col];
        if let Some(target) = named_target(instrument, targets, column) {
            candidates.push(Candidate {
                column: col,
                target,
                score: 1.0,
                exact: true,
                option_of: None,
                fits: true,
            });
            best[col] = 1.0;
            continue;
        }
        let keys: Vec<BTreeSet<String>> = column.keys.iter().map(|k| words(k)).collect();
        for (t, wanted) in target_words.iter().enumerate() {
            let mut score = keys.iter().map(|k| overlap(k, wanted)).fold(0.0, f64::max);
            let mut option_of = None;
            let mut option_fits = true;
            if let Some((question, sub)) = &column.split {
                // One column of a single-choice question exported a column per option: its
                // question is the target's, and some column of that question is an option of it.
                let question_score = overlap(&words(question), wanted);
                let fits = |sub: &str| match instrument.items.get(t) {
                    Some(item) => matches!(
                        instrument.scale_of(item).code(sub),
                        Answer::Value(_) | Answer::NotApplicable
                    ),
                    None => instrument.attributes[t - instrument.items.len()]
                        .option(sub)
                        .is_some(),
                };
                if question_score >= SUGGEST_FROM && super::columns::option_group(export, question, fits) {
                    score = score.max(question_score);
                    option_of = Some(normalize_question(question));
                    option_fits = fits(sub);
                }
            }
            best[col] = best[col].max(score);
            if score >= SUGGEST_FROM {
                candidates.push(Candidate {
                    column: col,
                    target: t,
                    score,
                    exact: false,
                    option_of,
                    fits: option_fits,
                });
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.exact
            .cmp(&a.exact)
            .then(b.score.total_cmp(&a.score))
            .then(a.column.cmp(&b.column))
    });
    (candidates, best)
}

/// Where [`place`] put the columns, and what to tell the evaluator about them.
struct Placing<'a> {
    placed: HashMap<usize, &'a Candidate>,
    notes: HashMap<usize, Vec<String>>,
    /// Option columns: how many share their target.
    options: HashMap<usize, usize>,
}

/// Places columns greedily, best candidate first: a target taken by a column is not given to
/// another, unless both are option columns of one question; ties are noted on both columns.
fn place<'a>(export: &Export, targets: &[Target], candidates: &'a [Candidate]) -> Placing<'a> {
    let mut placed: HashMap<usize, &Candidate> = HashMap::new();
    let mut holders: HashMap<usize, Vec<&Candidate>> = HashMap::new();
    let mut notes: HashMap<usize, Vec<String>> = HashMap::new();
    for candidate in candidates {
        if let Some(chosen) = placed.get(&candidate.column) {
            // Placed on another target that matched as well: worth saying when just as well.
            if candidate.score == chosen.score && !chosen.exact {
                notes.entry(candidate.column).or_default().push(format!(
                    "its text matches {} just as well: check which one it holds",
                    targets[candidate.target]
                ));
            }
            continue;
        }
        let holding = holders.entry(candidate.target).or_default();
        let shares = candidate.option_of.is_some()
            && holding
                .iter()
                .all(|h| h.option_of.is_some() && h.option_of == candidate.option_of);
        if holding.is_empty() || shares {
            holding.push(candidate);
            placed.insert(candidate.column, candidate);
            continue;
        }
        let first = holding[0];
        if candidate.score == first.score {
            let (this, that) = (&export.columns[candidate.column], &export.columns[first.column]);
            notes.entry(first.column).or_default().push(format!(
                "{} reads the same: check that this column is the one that holds {}",
                this.address(),
                targets[candidate.target]
            ));
            notes.entry(candidate.column).or_default().push(format!(
                "it reads the same as {}, placed on {}: if this column holds it instead, move the entry here",
                that.address(),
                targets[candidate.target]
            ));
        }
    }
    let mut options = HashMap::new();
    for (target, holding) in holders.iter().filter(|(_, h)| h.len() > 1) {
        for h in holding {
            options.insert(h.column, holding.len());
            if !h.fits {
                let sub = export.columns[h.column]
                    .split
                    .as_ref()
                    .map_or("", |(_, s)| s.as_str());
                let add = match targets[*target] {
                    Target::Attribute(_) => "to the attribute's options",
                    _ => "to a scale point's aliases, or to the scale's missing answers",
                };
                notes.entry(h.column).or_default().push(format!(
                    "\"{sub}\" is not an answer {} lists, so a tick here counts as an unusable answer: add it {add} to use it",
                    targets[*target]
                ));
            }
        }
    }
    Placing {
        placed,
        notes,
        options,
    }
}

/// How `init` names a column: by a platform id that no other column of the export has, else
/// by its header when that is unique, else by its position.
fn selector_for(export: &Export, index: usize) -> Selector {
    let column = &export.columns[index];
    if let Some(id) = column
        .ids
        .iter()
        .find(|id| export.columns.iter().filter(|c| c.has_id(id)).count() == 1)
    {
        return Selector::Id(id.clone());
    }
    let header = normalize_question(&column.header);
    let same = export
        .columns
        .iter()
        .filter(|c| normalize_question(&c.header) == header)
        .count();
    match column.position {
        Some(p) if same > 1 || header.is_empty() => Selector::Position(p),
        _ => Selector::Header(column.header.clone()),
    }
}

/// A note as one comment line: a header may hold line breaks, which would end the comment
/// and leave the rest as a TOML line.
fn one_line(note: &str) -> String {
    note.replace(['\n', '\r'], " ")
}

fn quoted(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\r', "");
    format!("\"{escaped}\"")
}

/// The lines naming a column in a mapping entry: its selector, and its header when the
/// selector is not the header itself.
fn naming_lines(export: &Export, index: usize) -> Vec<String> {
    let header = &export.columns[index].header;
    match selector_for(export, index) {
        Selector::Header(text) => vec![format!("column = {}", quoted(&text))],
        Selector::Id(id) => vec![
            format!("id = {}", quoted(&id)),
            format!("header = {}", quoted(header)),
        ],
        Selector::Position(p) => vec![
            format!("position = {p}    # column {} in a spreadsheet", column_letter(p)),
            format!("header = {}", quoted(header)),
        ],
    }
}

/// The mapping file `init` writes: placed columns first, then the ones it could not place.
pub fn render(instrument: &Instrument, export: &Export, suggestions: &[Suggestion]) -> String {
    let mut out = String::new();
    let name = export.path.file_name().map_or_else(
        || export.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let _ = writeln!(
        out,
        "# Mapping of {name} ({}) onto instrument \"{}\".",
        export.platform.name(),
        instrument.id
    );
    for line in [
        "# Suggested by `backbone init`: check every entry, correct or delete it, then name this",
        "# file as `mapping` of the wave in backbone.toml. confidence is 1 for identical text, a",
        "# declared code or an id, otherwise the share of words in common; entries below 0.9 and",
        "# entries with a note deserve a look.",
        "# A column is named by its header (column = \"...\"), by the platform's id (id = \"Q3_1\")",
        "# or by its place in the file (position = 18, or its spreadsheet letters: position = \"R\").",
        "# With id or position, header is checked against the file, so a changed export is noticed.",
    ] {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "instrument = {}", quoted(&instrument.id));
    for s in suggestions.iter().filter(|s| s.target.is_some()) {
        let _ = writeln!(out, "\n[[columns]]");
        if s.options > 1 {
            let _ = writeln!(
                out,
                "# one of {} option columns of one single-choice question, read together as one answer",
                s.options
            );
        }
        if let Some(note) = &s.note {
            let _ = writeln!(out, "# note: {}", one_line(note));
        }
        for line in naming_lines(export, s.index) {
            let _ = writeln!(out, "{line}");
        }
        match &s.target {
            Some(Target::Item(id)) => {
                let _ = writeln!(out, "item = {}", quoted(id));
            }
            Some(Target::Attribute(id)) => {
                let _ = writeln!(out, "attribute = {}", quoted(id));
            }
            _ => {}
        }
        let _ = writeln!(out, "confidence = {:.2}", s.confidence);
    }
    let unplaced: Vec<&Suggestion> = suggestions.iter().filter(|s| s.target.is_none()).collect();
    if !unplaced.is_empty() {
        let _ = writeln!(
            out,
            "\n# Columns not placed. To use one, remove the \"# \" before its lines and add"
        );
        let _ = writeln!(
            out,
            "# item = \"<item id>\", attribute = \"<attribute id>\" or ignore = true."
        );
        for s in unplaced {
            let _ = writeln!(out, "\n# [[columns]]");
            if let Some(note) = &s.note {
                let _ = writeln!(out, "# note: {}", one_line(note));
            }
            for line in naming_lines(export, s.index) {
                let _ = writeln!(out, "# {line}");
            }
        }
    }
    out
}
