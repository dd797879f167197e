//! Mapping files: which export column holds which instrument item or attribute, when headers
//! differ from the instrument's texts. `backbone init` suggests one, with a confidence per
//! column, for the evaluator to check and edit.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::framework::toml_position;
use crate::ingest::{Export, Role};
use crate::instrument::Instrument;
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    column: String,
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
struct MappingFile {
    #[serde(default)]
    instrument: Option<String>,
    #[serde(default)]
    columns: Vec<Entry>,
}

/// Column header (normalised) -> target.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    targets: HashMap<String, Target>,
}

impl Mapping {
    /// Reads a mapping file written for the instrument `instrument_id`.
    pub fn load(path: &Path, instrument_id: &str) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Mapping::parse(&text, path, instrument_id)
    }

    /// Parses mapping TOML read from `path`.
    pub fn parse(text: &str, path: &Path, instrument_id: &str) -> Result<Mapping> {
        let file: MappingFile = toml::from_str(text).map_err(|e| {
            Error::definition(
                Location::file(path),
                format!("not a valid mapping file: {}", e.message()),
                format!("Fix the TOML near {}.", toml_position(text, e.span())),
            )
        })?;
        if let Some(other) = file.instrument.filter(|i| i != instrument_id) {
            return Err(Error::definition(
                Location::file(path),
                format!("this mapping was written for instrument \"{other}\", not \"{instrument_id}\""),
                "Run `backbone init` again with the instrument you score with.",
            ));
        }
        let mut targets = HashMap::new();
        for entry in file.columns {
            let target = match (entry.item, entry.attribute, entry.ignore) {
                (Some(item), None, false) => Target::Item(item),
                (None, Some(attribute), false) => Target::Attribute(attribute),
                (None, None, true) => Target::Ignore,
                _ => {
                    return Err(Error::definition(
                        Location::file(path).column(entry.column),
                        "a mapping entry needs exactly one of item, attribute or ignore = true",
                        "Give the column one item id, one attribute id, or ignore = true.",
                    ))
                }
            };
            if targets
                .insert(normalize_question(&entry.column), target)
                .is_some()
            {
                return Err(Error::definition(
                    Location::file(path).column(entry.column),
                    "this column is mapped twice",
                    "Keep one entry per column.",
                ));
            }
        }
        Ok(Mapping { targets })
    }

    pub fn target_of(&self, header: &str) -> Option<&Target> {
        self.targets.get(&normalize_question(header))
    }
}

/// A suggested assignment for one question column of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub column: String,
    /// `None`: nothing in the instrument is close enough.
    pub target: Option<Target>,
    /// 1.0 for identical text; otherwise the word overlap (Dice coefficient) of the best key.
    pub confidence: f64,
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
    for (index, column) in export.columns.iter().enumerate() {
        let Some(Target::Item(id)) = suggestions
            .iter()
            .find(|s| s.column == column.header)
            .and_then(|s| s.target.clone())
        else {
            continue;
        };
        let Some(item) = instrument.items.iter().find(|i| i.id == id) else {
            continue;
        };
        let scale = instrument.scale_of(item);
        // Each distinct text of the column coded once, counted by how many rows hold it.
        let cells = &export.cells[index];
        let mut rows_of = vec![0usize; cells.values()];
        for &code in cells.codes() {
            rows_of[code as usize] += 1;
        }
        for (code, &rows) in rows_of.iter().enumerate() {
            let cell = cells.value(code as u32).trim();
            if rows > 0 && scale.code(cell) == crate::instrument::Answer::Unknown {
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

/// Suggests, for every question column, the instrument item or attribute it most likely holds.
pub fn suggest(instrument: &Instrument, export: &Export) -> Vec<Suggestion> {
    let targets: Vec<(Target, BTreeSet<String>)> = instrument
        .items
        .iter()
        .map(|i| (Target::Item(i.id.clone()), words(&i.text)))
        .chain(
            instrument
                .attributes
                .iter()
                .map(|a| (Target::Attribute(a.id.clone()), words(&a.question))),
        )
        .collect();
    export
        .columns
        .iter()
        .filter(|c| c.role == Role::Question)
        .map(|column| {
            // A header that is an item's or attribute's own id is that item.
            let by_id = column.keys.iter().map(|k| normalize_question(k)).find_map(|key| {
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
            });
            if let Some(target) = by_id {
                return Suggestion {
                    column: column.header.clone(),
                    target: Some(target),
                    confidence: 1.0,
                };
            }
            let best = column
                .keys
                .iter()
                .map(|k| words(k))
                .flat_map(|key| targets.iter().map(move |(t, w)| (t, overlap(&key, w))))
                .fold(None::<(&Target, f64)>, |best, (t, score)| match best {
                    Some((_, s)) if s >= score => best,
                    _ => Some((t, score)),
                });
            match best {
                Some((target, confidence)) if confidence >= SUGGEST_FROM => Suggestion {
                    column: column.header.clone(),
                    target: Some(target.clone()),
                    confidence,
                },
                other => Suggestion {
                    column: column.header.clone(),
                    target: None,
                    confidence: other.map_or(0.0, |(_, c)| c),
                },
            }
        })
        .collect()
}

fn quoted(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\r', "");
    format!("\"{escaped}\"")
}

/// The mapping file `init` writes: placed columns first, then the ones it could not place.
pub fn render(instrument: &Instrument, export: &Export, suggestions: &[Suggestion]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Mapping of {} ({}) onto instrument \"{}\".",
        export.path.display(),
        export.platform.name(),
        instrument.id
    );
    let _ = writeln!(
        out,
        "# Suggested by `backbone init`: check every entry, correct or delete it, then name this"
    );
    let _ = writeln!(
        out,
        "# file as `mapping` of the wave in backbone.toml. confidence is 1 for identical text,"
    );
    let _ = writeln!(
        out,
        "# otherwise the share of words in common; entries below 0.9 deserve a look."
    );
    let _ = writeln!(out, "instrument = {}", quoted(&instrument.id));
    for s in suggestions.iter().filter(|s| s.target.is_some()) {
        let _ = writeln!(out, "\n[[columns]]\ncolumn = {}", quoted(&s.column));
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
            "\n# Columns not placed (give each an item or attribute id, or ignore = true):"
        );
        for s in unplaced {
            let _ = writeln!(out, "# column = {}", quoted(&s.column));
        }
    }
    out
}
