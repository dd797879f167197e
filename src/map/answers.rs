//! Answers: what each cell means on its item's scale (read once per distinct text), how each
//! row answered its items, and each respondent's group for every attribute.

use super::accounting::{Places, Problems};
use super::columns::Use;
use super::{FIRST_POINT, NOT_APPLICABLE, NOT_STATED};
use crate::ingest::Export;
use crate::instrument::{Answer, Instrument};
use crate::normalize::normalize_label;

/// Per row of an export, how many of its items were left blank, answered (a scale point or
/// not applicable), answered with a text that is no label of the scale, and ticked twice.
pub(super) struct RowAnswers {
    pub(super) blank: Vec<u32>,
    pub(super) answered: Vec<u32>,
    /// Answers given but unusable, so that a row skipped for too few answers says why.
    pub(super) unreadable: Vec<u32>,
    pub(super) ticked_twice: Vec<u32>,
}

/// Reads every asked item's answers, row by row, noting the unusable ones.
pub(super) fn tally(export: &Export, sources: &[(usize, Source)], problems: &mut Problems) -> RowAnswers {
    let n_rows = export.len();
    let mut rows = RowAnswers {
        blank: vec![0; n_rows],
        answered: vec![0; n_rows],
        unreadable: vec![0; n_rows],
        ticked_twice: vec![0; n_rows],
    };
    for (_, source) in sources {
        problems.unknown.next_column();
        problems.several.next_column();
        for row in 0..n_rows {
            match source.meaning(export, row) {
                Meaning::Blank => rows.blank[row] += 1,
                Meaning::Code(_) => rows.answered[row] += 1,
                Meaning::Unknown => {
                    rows.unreadable[row] += 1;
                    problems.unknown.note(row, source.column_at(row));
                }
                Meaning::Several => {
                    rows.ticked_twice[row] += 1;
                    problems.several.note(row, source.column_at(row));
                }
            }
        }
    }
    rows
}

/// Each respondent's group for every attribute, and the groups' names.
pub(super) struct Attributes {
    /// Per attribute, its groups: "Not stated" first, then the options in the order met.
    pub(super) groups: Vec<Vec<String>>,
    /// Per attribute, each row's group (an index into `groups`).
    pub(super) chosen: Vec<Vec<u32>>,
}

/// Codes every attribute: the one-column ones in column order, then those exported a column
/// per option.
pub(super) fn code_attributes(
    instrument: &Instrument,
    export: &Export,
    uses: &[(usize, Use)],
    problems: &mut Problems,
) -> Attributes {
    let mut coded = Attributes {
        groups: instrument
            .attributes
            .iter()
            .map(|_| vec![NOT_STATED.to_string()])
            .collect(),
        chosen: vec![vec![0; export.len()]; instrument.attributes.len()],
    };
    for (col, used) in uses {
        if let Use::Attribute(a) = used {
            coded.read_column(instrument, export, *a, *col, &mut problems.unknown_attributes);
        }
    }
    for (a, columns) in option_groups(uses, |u| match u {
        Use::AttributeOption(a, option) => Some((*a, option.clone())),
        _ => None,
    }) {
        coded.read_options(export, a, &columns, problems);
    }
    coded
}

impl Attributes {
    /// An attribute in one column, read once per distinct text: the group it names, or none
    /// for an answer that is none of the options (counted; the respondent is not stated, as
    /// for a declared missing answer).
    fn read_column(
        &mut self,
        instrument: &Instrument,
        export: &Export,
        a: usize,
        col: usize,
        unknown: &mut Places,
    ) {
        let attribute = &instrument.attributes[a];
        let cells = &export.cells[col];
        let declared = &export.columns[col].missing;
        let meaning: Vec<Option<u32>> = (0..cells.values() as u32)
            .map(|code| {
                let cell = cells.value(code).trim();
                match attribute.option(cell) {
                    Some(option) => Some(group_index(&mut self.groups[a], option)),
                    None if cell.is_empty() || declared.iter().any(|m| m == cell) => Some(0),
                    None => None,
                }
            })
            .collect();
        unknown.next_column();
        for (row, &code) in cells.codes().iter().enumerate() {
            match meaning[code as usize] {
                Some(g) => self.chosen[a][row] = g,
                None => {
                    self.chosen[a][row] = 0;
                    unknown.note(row, col);
                }
            }
        }
    }

    /// An attribute exported a column per option: one ticked option names the group.
    fn read_options(
        &mut self,
        export: &Export,
        a: usize,
        columns: &[(usize, Option<String>)],
        problems: &mut Problems,
    ) {
        let cols: Vec<usize> = columns.iter().map(|(c, _)| *c).collect();
        let labels: Vec<Option<u32>> = columns
            .iter()
            .map(|(_, option)| option.as_deref().map(|o| group_index(&mut self.groups[a], o)))
            .collect();
        problems.unknown_attributes.next_column();
        problems.several.next_column();
        for (row, tick) in ticks(export, &cols).into_iter().enumerate() {
            match tick {
                Tick::None => {}
                Tick::One(k) => match labels[k] {
                    Some(g) => self.chosen[a][row] = g,
                    None => problems.unknown_attributes.note(row, cols[k]),
                },
                Tick::Several => problems.several.note(row, cols[0]),
            }
        }
    }
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
pub(super) enum Meaning {
    Blank,
    /// A text that is no label of the scale, or a ticked option that is no point of it.
    Unknown,
    /// Two or more options of a single-choice question ticked.
    Several,
    /// [`NOT_APPLICABLE`] or a point's code.
    Code(u8),
}

/// What a text means on an item's scale, with the config's further missing answers.
pub(super) fn meaning_of(scale: &crate::instrument::Scale, text: &str, extra_missing: &[String]) -> Meaning {
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
pub(super) enum Source {
    /// One column, and what each of its distinct texts means.
    Column { col: usize, meaning: Vec<Meaning> },
    /// A single-choice question exported a column per option: each row's answer, and the
    /// column a message about that row's answer points at.
    Options { answers: Vec<Meaning>, at: Vec<usize> },
}

impl Source {
    pub(super) fn meaning(&self, export: &Export, row: usize) -> Meaning {
        match self {
            Source::Column { col, meaning } => meaning[export.cells[*col].codes()[row] as usize],
            Source::Options { answers, .. } => answers[row],
        }
    }

    pub(super) fn column_at(&self, row: usize) -> usize {
        match self {
            Source::Column { col, .. } => *col,
            Source::Options { at, .. } => at[row],
        }
    }
}

/// Each asked item (in the order of its first column) with where its answers come from.
pub(super) fn item_sources(
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
pub(super) fn option_groups<T>(
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
