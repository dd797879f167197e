//! Delimited text exports (CSV, semicolon- or tab-separated) in any of the encodings survey
//! platforms and spreadsheet programs write: decoded, split into rows of cells, line-numbered.

use std::path::Path;

use super::Grid;
use crate::error::{Error, Location, Result};

/// Reads delimited text bytes into a [`Grid`] of all its rows, header rows included.
pub fn read(bytes: &[u8], path: &Path) -> Result<Grid> {
    let (text, encoding) = decode(bytes, path)?;
    let delimiter = sniff_delimiter(&text);
    let mut grid = parse_delimited(&text, path, encoding, delimiter)?;
    if encoding == UTF8_DAMAGED {
        grid.encoding = format!(
            "UTF-8 ({} invalid byte sequence(s), read as �)",
            invalid_sequences(bytes)
        );
    }
    Ok(grid)
}

/// The encoding name of a file read as UTF-8 although a few of its bytes are not valid UTF-8.
const UTF8_DAMAGED: &str = "UTF-8 (with invalid bytes)";

/// Whether a grid's encoding says some of its bytes were not valid and read as U+FFFD.
pub fn is_damaged(encoding: &str) -> bool {
    encoding.starts_with("UTF-8 (") && encoding.contains("invalid byte")
}

/// Invalid UTF-8 sequences in the bytes, and characters beyond ASCII in the valid parts.
fn utf8_shape(bytes: &[u8]) -> (usize, usize) {
    let (mut invalid, mut wide) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        wide += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (invalid, wide)
}

fn invalid_sequences(bytes: &[u8]) -> usize {
    utf8_shape(bytes).0
}

/// Decodes the bytes of an export: UTF-8 (with or without BOM), UTF-16 with a BOM, and
/// otherwise Windows-1252, the encoding spreadsheet programs on Windows save CSV in. A file that
/// is UTF-8 but for a few bad bytes (no more invalid sequences than valid non-ASCII characters)
/// stays UTF-8, its bad bytes read as U+FFFD, and is named [`UTF8_DAMAGED`] so that the cells
/// holding them are reported; decoding it whole as Windows-1252 would garble every curly quote
/// and accent in it.
pub fn decode(bytes: &[u8], path: &Path) -> Result<(String, &'static str)> {
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
    if let Some(encoding) = bomless_utf16(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
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
            let (invalid, wide) = utf8_shape(bytes);
            if wide > 0 && invalid <= wide {
                return Ok((String::from_utf8_lossy(bytes).into_owned(), UTF8_DAMAGED));
            }
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((text.into_owned(), "windows-1252"))
        }
    }
}

/// UTF-16 without a byte-order mark: text where every other byte of the first line is NUL.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(200) & !1];
    let zeros = |offset: usize| head.iter().skip(offset).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    if half < 4 {
        None
    } else if zeros(1) * 10 >= half * 9 && zeros(0) == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if zeros(0) * 10 >= half * 9 && zeros(1) == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
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

fn parse_delimited(text: &str, path: &Path, encoding: &'static str, delimiter: char) -> Result<Grid> {
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
    let mut rows: crate::ingest::Lines = Vec::new();
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            Error::input(
                Location::file(path).row(line),
                format!("the file cannot be read as delimited text: {e}"),
                "Check for an unclosed quote on or before this row, or export the survey again.",
            )
        })?;
        let start = record.position().map_or(counted_to, |p| record_start(p.byte()));
        line += bytes[counted_to..start].iter().filter(|&&b| b == b'\n').count();
        counted_to = start;
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    check_complete(&text[counted_to.min(text.len())..], line, path, delimiter, &rows)?;
    Ok(Grid {
        path: path.to_path_buf(),
        encoding: encoding.to_string(),
        delimiter: Some(delimiter),
        rows,
    })
}

/// Refuses a file cut short: its last record opens a quote that never closes (everything after
/// it would be one cell), or the file ends without a line break in a row with fewer fields than
/// the header.
fn check_complete(
    last: &str,
    line: usize,
    path: &Path,
    delimiter: char,
    rows: &crate::ingest::Lines,
) -> Result<()> {
    if let Some(open) = unclosed_quote(last, delimiter) {
        let at = line + last[..open].matches('\n').count();
        return Err(Error::input(
            Location::file(path).row(at),
            "a quoted value opened on this line is never closed, so the rest of the file would be read as one cell: the file is probably cut short, or a quote is missing",
            "Export the survey again (the file may have been truncated), or close the quote on this line.",
        ));
    }
    let ends_cleanly = last.is_empty() || last.ends_with(['\n', '\r']);
    if let (false, Some(header), Some((line, cells))) = (ends_cleanly, rows.first(), rows.last()) {
        if rows.len() > 1 && cells.len() < header.1.len() {
            return Err(Error::input(
                Location::file(path).row(*line),
                format!(
                    "the last row has {} of the header's {} fields and the file ends without a line break: it was probably cut short",
                    cells.len(),
                    header.1.len()
                ),
                "Export the survey again, or delete this incomplete last row.",
            ));
        }
    }
    Ok(())
}

/// The byte offset of a quote that opens a field of this record and is never closed.
fn unclosed_quote(record: &str, delimiter: char) -> Option<usize> {
    let mut chars = record.char_indices().peekable();
    let mut field_start = true;
    while let Some((i, c)) = chars.next() {
        if field_start && c == '"' {
            // A quoted field: runs to a quote not followed by another quote.
            loop {
                match chars.next() {
                    None => return Some(i),
                    Some((_, '"')) if chars.peek().is_some_and(|(_, n)| *n == '"') => {
                        chars.next();
                    }
                    Some((_, '"')) => break,
                    Some(_) => {}
                }
            }
            field_start = false;
            continue;
        }
        field_start = c == delimiter || c == '\n' || c == '\r';
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Grid {
        let delimiter = sniff_delimiter(text);
        parse_delimited(text, Path::new("t.csv"), "UTF-8", delimiter).unwrap()
    }

    #[test]
    fn sniffs_semicolons_and_keeps_quoted_newlines() {
        let grid = parse("a;b;\"c,d\"\n1;\"two\nlines\";3\n4;5;6\n");
        assert_eq!(grid.delimiter, Some(';'));
        assert_eq!(grid.rows[0].1, ["a", "b", "c,d"]);
        assert_eq!(grid.rows[1].1, ["1", "two\nlines", "3"]);
        assert_eq!(grid.rows[2].0, 4);
        let crlf = parse("a,b\r\n1,2\r\n\r\n3,4\r\n");
        assert_eq!(crlf.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 4]);
    }

    #[test]
    fn files_cut_short_are_refused_with_their_line() {
        let read_text = |t: &str| read(t.as_bytes(), Path::new("t.csv"));
        let err = read_text("a,b,c\n1,2,3\n4,\"open\n5,6,7\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.csv, row 3") && err.contains("never closed"),
            "{err}"
        );
        let err = read_text("a,b,c\n1,2,3\n4,5").unwrap_err().to_string();
        assert!(err.contains("t.csv, row 3") && err.contains("cut short"), "{err}");
        // Complete files, with or without a final line break, and quotes inside values.
        assert_eq!(read_text("a,b,c\n1,2,3\n4,5,6").unwrap().rows.len(), 3);
        assert_eq!(
            read_text("a,b\n\"x \"\"y\"\"\nz\",5 \" tall\n")
                .unwrap()
                .rows
                .len(),
            2
        );
        assert_eq!(read_text("a,b,c\n1,2\n").unwrap().rows.len(), 2);
    }

    #[test]
    fn decodes_windows_1252_and_utf16_with_or_without_bom() {
        let (text, enc) = decode(b"caf\xe9,x\n", Path::new("t.csv")).unwrap();
        assert_eq!((text.as_str(), enc), ("café,x\n", "windows-1252"));
        let le: Vec<u8> = "é,x\tyz\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = "é,x\tyz\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom: Vec<u8> = [0xFF, 0xFE].into_iter().chain(le.iter().copied()).collect();
        assert_eq!(decode(&with_bom, Path::new("t.csv")).unwrap().0, "é,x\tyz\n");
        assert_eq!(
            decode(&le, Path::new("t.csv")).unwrap(),
            ("é,x\tyz\n".to_string(), "UTF-16LE")
        );
        assert_eq!(
            decode(&be, Path::new("t.csv")).unwrap(),
            ("é,x\tyz\n".to_string(), "UTF-16BE")
        );
        assert!(decode(b"\x00\x01\x02", Path::new("t.csv")).is_err());
        // UTF-8 with one stray byte stays UTF-8; the bad byte becomes U+FFFD.
        let mut bytes = "Don’t know,x\n".as_bytes().to_vec();
        bytes.push(0x92);
        bytes.extend(",Don’t know\n".as_bytes());
        let (text, enc) = decode(&bytes, Path::new("t.csv")).unwrap();
        assert_eq!(enc, UTF8_DAMAGED);
        assert_eq!(text, "Don’t know,x\n\u{fffd},Don’t know\n");
        assert!(decode(b"  \n", Path::new("t.csv")).is_err());
    }
}
