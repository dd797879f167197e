//! Ingest: turns an export file, whatever its platform, encoding or format, into one table of
//! text cells with one header per column. It recognises the survey platform from the file's
//! own shape (header rows, metadata columns), joins multi-row headers the way each platform
//! splits them, labels metadata columns, and drops identifying columns before anything else
//! sees them. It knows nothing of any instrument; the map stage gives the cells meaning.

mod cells;
mod platform;
mod sav;
mod statement;
mod text;
mod xlsx;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
pub use cells::{Cells, CellsBuilder};
pub use platform::Platform;
pub use statement::split_statement;

/// Rows of cells, each with its 1-based line (or sheet row).
pub type Lines = Vec<(usize, Vec<String>)>;

/// How many leading rows a grid also keeps as text: the most header rows a platform has.
const HEAD_ROWS: usize = 3;

/// The longest wave label a wave column may hold; a longer one means the column is not one
/// of waves (labels head every table and chart of the reports).
pub const MAX_WAVE_LABEL: usize = 60;

/// Every row of a file as read, header rows included, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub path: PathBuf,
    pub encoding: String,
    pub delimiter: Option<char>,
    /// The first rows as read (each as long as it is), for platform detection and headers.
    pub head: Vec<Vec<String>>,
    /// The 1-based line (or sheet row) of every row.
    pub lines: Vec<usize>,
    /// How many fields every row has.
    pub widths: Vec<usize>,
    /// Every column's cells over all rows; short rows are padded with empty cells.
    pub columns: Vec<Cells>,
}

/// Builds a [`Grid`] a row at a time.
pub struct GridBuilder {
    /// How many first rows to keep as text too: none for a part of a file after its first.
    head_rows: usize,
    head: Vec<Vec<String>>,
    lines: Vec<usize>,
    widths: Vec<usize>,
    columns: Vec<CellsBuilder>,
}

impl GridBuilder {
    pub fn new() -> GridBuilder {
        GridBuilder {
            head_rows: HEAD_ROWS,
            head: Vec::new(),
            lines: Vec::new(),
            widths: Vec::new(),
            columns: Vec::new(),
        }
    }

    /// Adds a row of UTF-8 fields.
    pub fn push<'a>(&mut self, line: usize, fields: impl Iterator<Item = &'a [u8]>) {
        let rows = self.lines.len();
        let mut width = 0;
        if rows < self.head_rows {
            let mut texts = Vec::new();
            for (c, field) in fields.enumerate() {
                texts.push(String::from_utf8_lossy(field).into_owned());
                self.column(c, rows).push_bytes(field);
                width = c + 1;
            }
            self.head.push(texts);
        } else {
            for (c, field) in fields.enumerate() {
                self.column(c, rows).push_bytes(field);
                width = c + 1;
            }
        }
        for column in self.columns.iter_mut().skip(width) {
            column.push_empty();
        }
        self.lines.push(line);
        self.widths.push(width);
    }

    /// A builder for a later part of a file, whose first rows are not the file's first.
    pub fn continuing() -> GridBuilder {
        GridBuilder {
            head_rows: 0,
            ..GridBuilder::new()
        }
    }

    /// Rows so far.
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// Adds the rows of the next part of the file, whose lines are numbered from 1 after
    /// `line_offset` line breaks; the cells are as if pushed here one by one.
    pub fn append(&mut self, next: GridBuilder, line_offset: usize) {
        let (rows, added) = (self.rows(), next.rows());
        let mut next_columns = next.columns.into_iter();
        for c in 0..self.columns.len().max(next_columns.len()) {
            let column = self.column(c, rows);
            match next_columns.next() {
                Some(cells) => column.append(cells),
                None => (0..added).for_each(|_| column.push_empty()),
            }
        }
        if self.rows() < self.head_rows {
            self.head.extend(next.head);
        }
        self.lines.extend(next.lines.iter().map(|l| l + line_offset));
        self.widths.extend(next.widths);
    }

    fn column(&mut self, c: usize, rows: usize) -> &mut CellsBuilder {
        while self.columns.len() <= c {
            self.columns.push(CellsBuilder::with_empty_rows(rows));
        }
        &mut self.columns[c]
    }

    pub fn finish(self, path: &Path, encoding: String, delimiter: Option<char>) -> Grid {
        Grid {
            path: path.to_path_buf(),
            encoding,
            delimiter,
            head: self.head,
            lines: self.lines,
            widths: self.widths,
            columns: self.columns.into_iter().map(CellsBuilder::finish).collect(),
        }
    }
}

impl Default for GridBuilder {
    fn default() -> Self {
        GridBuilder::new()
    }
}

impl Grid {
    /// A grid of rows of text (spreadsheets, tests).
    pub fn from_rows(path: &Path, encoding: &str, delimiter: Option<char>, rows: Lines) -> Grid {
        let mut builder = GridBuilder::new();
        for (line, cells) in &rows {
            builder.push(*line, cells.iter().map(String::as_bytes));
        }
        builder.finish(path, encoding.to_string(), delimiter)
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
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
    /// The platform's own ids of the column (Qualtrics: `Q3_1` from the first header row and
    /// the ImportId `QID3_1`); empty for platforms that have none.
    pub ids: Vec<String>,
    /// 1-based place of the column in the file, counting every column as read (so that a
    /// spreadsheet's letter names it too); `None` for columns pivoted from a long-format file.
    pub position: Option<usize>,
    /// Cell texts the file itself declares missing in this column (SPSS user-missing codes):
    /// read as N/A whatever the scale.
    pub missing: Vec<String>,
}

impl Column {
    /// Whether `name` is one of the column's platform ids (case and surrounding spaces ignored;
    /// `Q2_-1` and `Q2_1` stay different).
    pub fn has_id(&self, name: &str) -> bool {
        let name = name.trim();
        !name.is_empty() && self.ids.iter().any(|id| id.eq_ignore_ascii_case(name))
    }

    /// How a mapping file can name the column, for messages: its ids and its place, as in
    /// `Q3_1 / QID3_1 (column 18, R)`, or `column 18 (R)` for a platform without ids.
    pub fn address(&self) -> String {
        let place = self.position.map(|p| format!("column {p}, {}", column_letter(p)));
        match (self.ids.is_empty(), place) {
            (false, Some(place)) => format!("{} ({place})", self.ids.join(" / ")),
            (false, None) => self.ids.join(" / "),
            (true, Some(place)) => place.replacen(", ", " (", 1) + ")",
            (true, None) => format!("column \"{}\"", self.header),
        }
    }
}

/// A spreadsheet's letters for a 1-based column position: 1 is A, 26 Z, 27 AA.
pub fn column_letter(position: usize) -> String {
    let mut letters = Vec::new();
    let mut n = position;
    while n > 0 {
        let digit = (n - 1) % 26;
        letters.push(b'A' + digit as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The 1-based position a spreadsheet's column letters name (`A` is 1, `aa` 27); `None` for
/// anything that is not one to three letters.
pub fn column_number(letters: &str) -> Option<usize> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some(
        letters
            .bytes()
            .fold(0, |n, b| n * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1),
    )
}

/// An export read and normalised: one header per column, identifying columns removed. Its
/// data rows are held column by column ([`Cells`]).
#[derive(Debug, Clone)]
pub struct Export {
    pub path: PathBuf,
    pub platform: Platform,
    /// Whether the platform was detected (`true`) or named by the user.
    pub detected: bool,
    pub encoding: String,
    pub delimiter: Option<char>,
    pub columns: Vec<Column>,
    /// How many columns the file has, including those removed as it was read (identifying
    /// columns, empty ones after a trailing delimiter).
    pub width: usize,
    /// The line (or sheet row) of each data row.
    pub lines: Vec<usize>,
    /// Each column's cells, in the order of `columns`, one per data row.
    pub cells: Vec<Cells>,
    /// Each data row's panel key, hashed, when the config names one (see [`panel_hash`]);
    /// empty otherwise.
    pub panel: Vec<Option<String>>,
    /// Headers of the identifying columns dropped at ingest (their cells are gone).
    pub dropped: Vec<String>,
    /// Cells holding bytes that were not valid in the file's encoding (read as U+FFFD).
    pub damaged_cells: usize,
    /// The first few of them (file name, row, column).
    pub damaged_examples: Vec<Location>,
}

impl Export {
    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The text of one cell.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.cells[column].get(row)
    }

    /// One data row's cells, in column order.
    pub fn row(&self, row: usize) -> Vec<&str> {
        self.cells.iter().map(|c| c.get(row)).collect()
    }

    /// Where a cell is, for messages: file, row (line) and column header.
    pub fn locate(&self, line: usize, column: usize) -> Location {
        let header = self
            .columns
            .get(column)
            .map(|c| c.header.clone())
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| match self.columns.get(column).and_then(|c| c.position) {
                // The file's own position, as mapping files and `init` count columns.
                Some(p) => format!("{} (position {p}, no header)", column_letter(p)),
                None => format!("#{}", column + 1),
            });
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
        // Per column, which of its texts hold U+FFFD; then the cells in row order.
        let damaged: Vec<Vec<bool>> = self
            .cells
            .iter()
            .map(|c| {
                (0..c.values() as u32)
                    .map(|k| c.value(k).contains('\u{FFFD}'))
                    .collect()
            })
            .collect();
        let mut examples = Vec::new();
        let mut count = 0;
        for row in 0..self.len() {
            for (col, cells) in self.cells.iter().enumerate() {
                if damaged[col][cells.codes()[row] as usize] {
                    count += 1;
                    if examples.len() < KEPT {
                        examples.push(self.locate_by_name(self.lines[row], col));
                    }
                }
            }
        }
        self.damaged_cells = count;
        self.damaged_examples = examples;
    }

    /// Splits an export that holds several waves into one export per value of the column
    /// `header`, in label order; the column itself is removed. A wave label longer than
    /// [`MAX_WAVE_LABEL`] characters is refused: the column is not one of waves.
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
        let mut parts: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        let labels = &self.cells[col];
        let mut label_of: Vec<Option<String>> = vec![None; labels.values()];
        for row in 0..self.len() {
            let code = labels.codes()[row] as usize;
            let label = label_of[code].get_or_insert_with(|| labels.get(row).trim().to_string());
            if label.is_empty() {
                return Err(Error::input(
                    self.locate(self.lines[row], col),
                    "this row has no wave label",
                    "Fill in the wave (for example the year) of every row.",
                ));
            }
            let length = label.chars().count();
            if length > MAX_WAVE_LABEL {
                return Err(Error::input(
                    self.locate(self.lines[row], col),
                    format!("this row's wave label is {length} characters long"),
                    format!("Wave labels head every table and chart, so they are short (a year, \"Spring 2025\"; at most {MAX_WAVE_LABEL} characters): check that wave_column names the column of waves, not a question."),
                ));
            }
            match parts.get_mut(label.as_str()) {
                Some(rows) => rows.push(row),
                None => {
                    parts.insert(label.clone(), vec![row]);
                }
            }
        }
        let mut columns = self.columns.clone();
        columns.remove(col);
        Ok(parts
            .into_iter()
            .map(|(label, rows)| {
                let export = Export {
                    columns: columns.clone(),
                    lines: rows.iter().map(|&r| self.lines[r]).collect(),
                    cells: (0..self.cells.len())
                        .filter(|&c| c != col)
                        .map(|c| self.cells[c].select(&rows))
                        .collect(),
                    panel: if self.panel.is_empty() {
                        Vec::new()
                    } else {
                        rows.iter().map(|&r| self.panel[r].clone()).collect()
                    },
                    path: self.path.clone(),
                    platform: self.platform,
                    detected: self.detected,
                    encoding: self.encoding.clone(),
                    delimiter: self.delimiter,
                    width: self.width,
                    dropped: self.dropped.clone(),
                    damaged_cells: self.damaged_cells,
                    damaged_examples: self.damaged_examples.clone(),
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
        // A year per distinct text of each timestamp column, found once.
        let mut years: Vec<Vec<Option<Option<String>>>> = stamps
            .iter()
            .map(|&c| vec![None; self.cells[c].values()])
            .collect();
        for row in 0..self.len() {
            let year = stamps.iter().zip(&mut years).find_map(|(&c, years)| {
                let code = self.cells[c].codes()[row] as usize;
                years[code]
                    .get_or_insert_with(|| year_in(self.cells[c].get(row)))
                    .clone()
            });
            if let Some(year) = year {
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
    /// reference): hashed into [`Export::panel`], then removed.
    pub panel_key: Option<String>,
    /// The texts the instrument asks (statements, attribute questions): a column they name is
    /// never taken for an identifying one by its words ("Emails get answered.").
    pub asked: Vec<String>,
}

/// Reads an export: XLSX/XLS/ODS workbooks and SPSS files by content, everything else as
/// delimited text.
pub fn read_export(path: &Path, options: &ReadOptions) -> Result<Export> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    read_owned(bytes, path, options)
}

/// [`read_export`] of bytes already read from `path`.
pub fn read_export_bytes(bytes: &[u8], path: &Path, options: &ReadOptions) -> Result<Export> {
    read_owned(bytes.to_vec(), path, options)
}

fn read_owned(bytes: Vec<u8>, path: &Path, options: &ReadOptions) -> Result<Export> {
    if sav::is_sav(&bytes) {
        return read_sav(&bytes, path, options);
    }
    let grid = if xlsx::is_workbook(&bytes) {
        xlsx::read(&bytes, path)?
    } else {
        text::read(bytes, path)?
    };
    platform::normalise(grid, options)
}

/// An SPSS file: its grid has Qualtrics' header rows (variable names as column ids, labels as
/// headers), so names and labels both match; the platform is what the file says, else a plain
/// table; user-missing values become their columns' missing answers.
fn read_sav(bytes: &[u8], path: &Path, options: &ReadOptions) -> Result<Export> {
    let table = sav::read(bytes, path)?;
    let shaped = ReadOptions {
        platform: Some(Platform::Qualtrics),
        ..options.clone()
    };
    let mut export = platform::normalise(table.grid, &shaped)?;
    export.detected = options.platform.is_none();
    export.platform = options.platform.or(table.platform).unwrap_or(Platform::Plain);
    for column in &mut export.columns {
        if let Some(missing) = column.position.and_then(|p| table.missing.get(p - 1)) {
            column.missing = missing.clone();
        }
    }
    Ok(export)
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

/// The data rows (after `header_rows`) of a grid, `width` columns wide: rows with more filled
/// cells than that are rejected (at the first such row), short rows are padded.
fn square(
    path: &Path,
    width: usize,
    lines: &[usize],
    widths: &[usize],
    mut columns: Vec<Cells>,
) -> Result<Vec<Cells>> {
    if columns.len() > width {
        let first_filled = columns[width..]
            .iter()
            .filter_map(|c| {
                let filled: Vec<bool> = (0..c.values() as u32)
                    .map(|code| !c.value(code).trim().is_empty())
                    .collect();
                c.codes().iter().position(|&code| filled[code as usize])
            })
            .min();
        if let Some(row) = first_filled {
            return Err(Error::input(
                Location::file(path).row(lines[row]),
                format!("this row has {} fields but the header has {width}", widths[row]),
                "A value probably contains an unquoted delimiter; quote it or export the survey again.",
            ));
        }
        columns.truncate(width);
    }
    while columns.len() < width {
        columns.push(Cells::empty(lines.len()));
    }
    Ok(columns)
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
    fn column_letters_and_numbers_are_spreadsheet_columns() {
        for (n, letters) in [
            (1, "A"),
            (18, "R"),
            (26, "Z"),
            (27, "AA"),
            (52, "AZ"),
            (53, "BA"),
            (702, "ZZ"),
            (703, "AAA"),
        ] {
            assert_eq!(column_letter(n), letters);
            assert_eq!(column_number(letters), Some(n));
            assert_eq!(column_number(&letters.to_lowercase()), Some(n));
        }
        for bad in ["", "R2", "ABCD", "é", " "] {
            assert_eq!(column_number(bad), None, "{bad:?}");
        }
        let mut column = Column {
            header: "Squash".into(),
            keys: vec!["Squash".into()],
            role: Role::Question,
            split: None,
            ids: vec!["Q3_1".into(), "QID3_1".into()],
            position: Some(18),
            missing: Vec::new(),
        };
        assert_eq!(column.address(), "Q3_1 / QID3_1 (column 18, R)");
        assert!(column.has_id("qid3_1") && column.has_id(" Q3_1 "));
        assert!(!column.has_id("Q3-1") && !column.has_id(""));
        column.ids.clear();
        assert_eq!(column.address(), "column 18 (R)");
    }

    #[test]
    fn long_rows_are_rejected_and_short_rows_padded() {
        let grid = Grid::from_rows(
            Path::new("t.csv"),
            "UTF-8",
            Some(','),
            vec![
                (2, vec!["1".to_string()]),
                (3, vec!["1".into(), "2".into(), "".into(), "".into()]),
            ],
        );
        let squared = square(
            Path::new("t.csv"),
            3,
            &grid.lines,
            &grid.widths,
            grid.columns.clone(),
        )
        .unwrap();
        let row = |r: usize| squared.iter().map(|c| c.get(r)).collect::<Vec<_>>();
        assert_eq!(row(0), ["1", "", ""]);
        assert_eq!(row(1), ["1", "2", ""]);
        let long = Grid::from_rows(
            Path::new("t.csv"),
            "UTF-8",
            Some(','),
            vec![(7, vec!["a".into(), "b".into()])],
        );
        let err = square(Path::new("t.csv"), 1, &long.lines, &long.widths, long.columns).unwrap_err();
        assert!(err.to_string().contains("t.csv, row 7"), "{err}");
    }
}
