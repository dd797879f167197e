//! Ingest: turns an export file into a table of text cells, whatever its encoding and delimiter.
//! It knows nothing of surveys; the map stage gives the cells meaning.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// One data row of an export, with the line it starts on (1-based, as an editor shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// An export read as text: its header row and its data rows, all the same width.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub path: PathBuf,
    /// Name of the text encoding the file was decoded from.
    pub encoding: &'static str,
    pub delimiter: char,
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
}

impl RawTable {
    /// Where a cell is, for messages: file, row (line) and column header.
    pub fn locate(&self, line: usize, column: usize) -> Location {
        let header = self
            .headers
            .get(column)
            .filter(|h| !h.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| format!("#{}", column + 1));
        Location::file(&self.path).row(line).column(header)
    }
}

/// Reads a delimited text export (CSV, semicolon- or tab-separated) into a [`RawTable`].
pub fn read_table(path: &Path) -> Result<RawTable> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (text, encoding) = decode(&bytes, path)?;
    let delimiter = sniff_delimiter(&text);
    parse_delimited(&text, path, encoding, delimiter)
}

/// Decodes the bytes of an export: UTF-8 (with or without BOM), UTF-16 with a BOM, and
/// otherwise Windows-1252, the encoding spreadsheet programs on Windows save CSV in.
fn decode(bytes: &[u8], path: &Path) -> Result<(String, &'static str)> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(
            Location::file(path),
            "the file is empty",
            "Export the survey again, or remove this file from the waves.",
        ));
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(Error::input(
                Location::file(path),
                format!(
                    "the file starts with a {} byte-order mark but is not valid {}",
                    encoding.name(),
                    encoding.name()
                ),
                "Export the survey again as CSV (UTF-8).",
            ));
        }
        return Ok((text.into_owned(), encoding.name()));
    }
    if bytes.contains(&0) {
        return Err(Error::input(
            Location::file(path),
            "the file holds binary data, not delimited text",
            "Give the CSV export of the survey (for a spreadsheet, save it as CSV UTF-8 first).",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), "UTF-8")),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((text.into_owned(), "windows-1252"))
        }
    }
}

/// The delimiter that splits the header line into the most fields: comma, semicolon or tab.
fn sniff_delimiter(text: &str) -> char {
    let mut header = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            _ if !quoted => header.push(c),
            _ => {}
        }
    }
    [',', ';', '\t']
        .into_iter()
        .max_by_key(|d| (header.matches(*d).count(), *d == ','))
        .unwrap_or(',')
}

fn parse_delimited(text: &str, path: &Path, encoding: &'static str, delimiter: char) -> Result<RawTable> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Line numbers are counted from byte offsets, since the csv crate's own line count is off by
    // one in CRLF files; there, a record's offset may point at line ends before it, which no
    // record starts with.
    let bytes = text.as_bytes();
    let record_start = |byte: u64| {
        let mut byte = (byte as usize).min(bytes.len());
        while matches!(bytes.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        byte
    };
    let line_at = |byte: u64| {
        bytes[..record_start(byte)]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(0, |p| line_at(p.byte()));
        Error::input(
            Location::file(path).row(line),
            format!("the file cannot be read as delimited text: {e}"),
            "Check for an unclosed quote on or before this row, or export the survey again.",
        )
    };

    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(record) => record
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect(),
        None => Vec::new(),
    };
    let width = headers.len();
    let mut rows = Vec::new();
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in records {
        let record = record.map_err(csv_error)?;
        let start = record.position().map_or(counted_to, |p| record_start(p.byte()));
        line += bytes[counted_to..start].iter().filter(|&&b| b == b'\n').count();
        counted_to = start;
        let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
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
        rows.push(RawRow { line, cells });
    }
    Ok(RawTable {
        path: path.to_path_buf(),
        encoding,
        delimiter,
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> RawTable {
        let delimiter = sniff_delimiter(text);
        parse_delimited(text, Path::new("t.csv"), "UTF-8", delimiter).unwrap()
    }

    #[test]
    fn sniffs_semicolons_and_keeps_quoted_newlines() {
        let table = parse("a;b;\"c,d\"\n1;\"two\nlines\";3\n4;5;6\n");
        assert_eq!(table.delimiter, ';');
        assert_eq!(table.headers, ["a", "b", "c,d"]);
        assert_eq!(table.rows[0].cells, ["1", "two\nlines", "3"]);
        assert_eq!(table.rows[1].line, 4);
        let crlf = parse("a,b\r\n1,2\r\n\r\n3,4\r\n");
        assert_eq!(crlf.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_rejected() {
        assert_eq!(parse("a,b,c\n1\n").rows[0].cells, ["1", "", ""]);
        let err = parse_delimited("a,b\n1,2,3\n", Path::new("t.csv"), "UTF-8", ',').unwrap_err();
        assert!(err.to_string().contains("t.csv, row 2"), "{err}");
    }

    #[test]
    fn decodes_windows_1252_and_utf16() {
        let (text, enc) = decode(b"caf\xe9,x\n", Path::new("t.csv")).unwrap();
        assert_eq!((text.as_str(), enc), ("café,x\n", "windows-1252"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é,x\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16, Path::new("t.csv")).unwrap().0, "é,x\n");
        assert!(decode(b"\x00\x01\x02", Path::new("t.csv")).is_err());
        assert!(decode(b"  \n", Path::new("t.csv")).is_err());
    }
}
