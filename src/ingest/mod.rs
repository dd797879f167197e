//! Ingest: turns an export file, whatever its platform, encoding or format, into one table of
//! text cells with one header per column. It recognises the survey platform from the file's
//! own shape (header rows, metadata columns), joins multi-row headers the way each platform
//! splits them, labels metadata columns, and drops identifying columns before anything else
//! sees them. It knows nothing of any instrument; the map stage gives the cells meaning.

mod platform;
mod text;
mod xlsx;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
pub use platform::Platform;

/// Rows of cells, each with its 1-based line (or sheet row).
pub type Lines = Vec<(usize, Vec<String>)>;

/// Every row of a file as read, header rows included.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub path: PathBuf,
    pub encoding: String,
    pub delimiter: Option<char>,
    pub rows: Lines,
}

/// What a column holds, as far as ingest can tell without an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A question (or anything that is not known metadata): the map stage decides.
    Question,
    RespondentId,
    /// Start, end, submission or recording time.
    Timestamp,
    /// Qualtrics `Finished`.
    Finished,
    /// Qualtrics `Progress` (percent).
    Progress,
    /// Qualtrics `Status` (normal response, preview, test, spam...).
    Status,
    /// Platform bookkeeping with no answers in it (collector id, duration, language...).
    Metadata,
}

/// One column of an export after its header rows are joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header as an evaluator sees it, for messages.
    pub header: String,
    /// Texts this column may be matched on, most specific first (matrix row label, then the
    /// question with its row label, then a platform id such as `Q5_3`).
    pub keys: Vec<String>,
    pub role: Role,
    /// For one column of a question spread over several (SurveyMonkey's sub-labelled columns):
    /// the question, and the sub-label of this column (an answer option or a matrix row).
    pub split: Option<(String, String)>,
}

/// One data row with the line (or sheet row) it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: usize,
    pub cells: Vec<String>,
    /// The respondent's panel key, hashed, when the config names one (see [`panel_hash`]).
    pub panel: Option<String>,
}

/// An export read and normalised: one header per column, identifying columns removed.
#[derive(Debug, Clone)]
pub struct Export {
    pub path: PathBuf,
    pub platform: Platform,
    /// Whether the platform was detected (`true`) or named by the user.
    pub detected: bool,
    pub encoding: String,
    pub delimiter: Option<char>,
    pub columns: Vec<Column>,
    pub rows: Vec<RawRow>,
    /// Headers of the identifying columns dropped at ingest (their cells are gone).
    pub dropped: Vec<String>,
    /// Cells holding bytes that were not valid in the file's encoding (read as U+FFFD).
    pub damaged_cells: usize,
    /// The first few of them (file name, row, column).
    pub damaged_examples: Vec<Location>,
}

impl Export {
    /// Where a cell is, for messages: file, row (line) and column header.
    pub fn locate(&self, line: usize, column: usize) -> Location {
        let header = self
            .columns
            .get(column)
            .map(|c| c.header.clone())
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| format!("#{}", column + 1));
        Location::file(&self.path).row(line).column(header)
    }

    /// [`Export::locate`] with the file named by its name only, for what may reach a report.
    pub fn locate_by_name(&self, line: usize, column: usize) -> Location {
        let mut at = self.locate(line, column);
        if let Some(name) = self.path.file_name() {
            at.file = name.into();
        }
        at
    }

    /// Counts the cells that hold U+FFFD in a file whose bytes were partly invalid.
    fn find_damaged(&mut self) {
        const KEPT: usize = 5;
        let mut examples = Vec::new();
        let mut count = 0;
        for row in &self.rows {
            for (col, cell) in row.cells.iter().enumerate() {
                if cell.contains('\u{FFFD}') {
                    count += 1;
                    if examples.len() < KEPT {
                        examples.push(self.locate_by_name(row.line, col));
                    }
                }
            }
        }
        self.damaged_cells = count;
        self.damaged_examples = examples;
    }

    /// Splits an export that holds several waves into one export per value of the column
    /// `header`, in label order; the column itself is removed.
    pub fn split_by(&self, header: &str) -> Result<Vec<(String, Export)>> {
        let key = crate::normalize::normalize_question(header);
        let Some(col) = self
            .columns
            .iter()
            .position(|c| crate::normalize::normalize_question(&c.header) == key)
        else {
            return Err(Error::input(
                Location::file(&self.path).row(1).column(header),
                "the wave column named in the config is not in this file",
                "Correct wave_column in backbone.toml, or remove it and give one file per wave.",
            ));
        };
        let mut parts: std::collections::BTreeMap<String, Vec<RawRow>> = Default::default();
        for row in &self.rows {
            let label = row.cells[col].trim();
            if label.is_empty() {
                return Err(Error::input(
                    self.locate(row.line, col),
                    "this row has no wave label",
                    "Fill in the wave (for example the year) of every row.",
                ));
            }
            let mut row = row.clone();
            row.cells.remove(col);
            parts.entry(label.to_string()).or_default().push(row);
        }
        let mut columns = self.columns.clone();
        columns.remove(col);
        Ok(parts
            .into_iter()
            .map(|(label, rows)| {
                let export = Export {
                    columns: columns.clone(),
                    rows,
                    ..self.clone()
                };
                (label, export)
            })
            .collect())
    }

    /// The year most responses were recorded in, from the timestamp columns, if any.
    pub fn response_year(&self) -> Option<String> {
        let stamps: Vec<usize> = (0..self.columns.len())
            .filter(|&c| self.columns[c].role == Role::Timestamp)
            .collect();
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for row in &self.rows {
            if let Some(year) = stamps.iter().find_map(|&c| year_in(&row.cells[c])) {
                *counts.entry(year).or_default() += 1;
            }
        }
        // Most frequent; ties go to the later year (BTreeMap order, max_by_key keeps the last).
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(year, _)| year)
    }
}

/// The first year (19xx or 20xx) written in a date, including `m/d/yy` dates of Excel CSVs.
pub fn year_in(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let digit_run = |start: usize| bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let len = digit_run(i);
            let run = &text[i..i + len];
            if len == 4 && (run.starts_with("19") || run.starts_with("20")) {
                return Some(run.to_string());
            }
            i += len;
        } else {
            i += 1;
        }
    }
    // m/d/yy: a two-digit third part of a slash date.
    let date = text.split_whitespace().next()?;
    let parts: Vec<&str> = date.split('/').collect();
    match parts.as_slice() {
        [m, d, y]
            if m.len() <= 2 && d.len() <= 2 && y.len() == 2 && y.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(format!("20{y}"))
        }
        _ => None,
    }
}

/// How an export is to be read, beyond what its content says.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Overrides platform detection.
    pub platform: Option<Platform>,
    /// Further columns to remove as identifying.
    pub drop: Vec<String>,
    /// A column that identifies the same respondent across waves (an email, an external
    /// reference): hashed into [`RawRow::panel`], then removed.
    pub panel_key: Option<String>,
    /// The texts the instrument asks (statements, attribute questions): a column they name is
    /// never taken for an identifying one by its words ("Emails get answered.").
    pub asked: Vec<String>,
}

/// Reads an export: XLSX/XLS/ODS workbooks by content, everything else as delimited text.
pub fn read_export(path: &Path, options: &ReadOptions) -> Result<Export> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    read_export_bytes(&bytes, path, options)
}

/// [`read_export`] of bytes already read from `path`.
pub fn read_export_bytes(bytes: &[u8], path: &Path, options: &ReadOptions) -> Result<Export> {
    let grid = if xlsx::is_workbook(bytes) {
        xlsx::read(bytes, path)?
    } else {
        text::read(bytes, path)?
    };
    platform::normalise(grid, options)
}

/// A panel key as it is kept: SHA-256 of the trimmed, lower-cased value, so that the same
/// email or reference links waves while the value itself is gone after ingest.
pub fn panel_hash(value: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        return None;
    }
    let digest = Sha256::digest(format!("backbone panel key:{value}").as_bytes());
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Pads short rows and rejects rows with more filled cells than there are columns.
fn square(path: &Path, width: usize, rows: Lines) -> Result<Vec<RawRow>> {
    rows.into_iter()
        .map(|(line, mut cells)| {
            if cells.len() > width {
                if cells[width..].iter().any(|c| !c.trim().is_empty()) {
                    return Err(Error::input(
                        Location::file(path).row(line),
                        format!("this row has {} fields but the header has {width}", cells.len()),
                        "A value probably contains an unquoted delimiter; quote it or export the survey again.",
                    ));
                }
                cells.truncate(width);
            }
            cells.resize(width, String::new());
            Ok(RawRow { line, cells, panel: None })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_found_in_the_date_formats_platforms_write() {
        assert_eq!(year_in("03/14/2025 09:02:11 AM").as_deref(), Some("2025"));
        assert_eq!(year_in("2024-03-14 09:02:11").as_deref(), Some("2024"));
        assert_eq!(year_in("8/20/25 12:51:45").as_deref(), Some("2025"));
        assert_eq!(year_in("12/13/2019 9:50:30").as_deref(), Some("2019"));
        assert_eq!(year_in("12345"), None);
        assert_eq!(year_in(""), None);
    }

    #[test]
    fn long_rows_are_rejected_and_short_rows_padded() {
        let rows = vec![
            (2, vec!["1".to_string()]),
            (3, vec!["1".into(), "2".into(), "".into(), "".into()]),
        ];
        let squared = square(Path::new("t.csv"), 3, rows).unwrap();
        assert_eq!(squared[0].cells, ["1", "", ""]);
        assert_eq!(squared[1].cells, ["1", "2", ""]);
        let err = square(Path::new("t.csv"), 1, vec![(7, vec!["a".into(), "b".into()])]).unwrap_err();
        assert!(err.to_string().contains("t.csv, row 7"), "{err}");
    }
}
