//! Delimited text exports (CSV, semicolon- or tab-separated) in any of the encodings survey
//! platforms and spreadsheet programs write: decoded, split into rows of cells, line-numbered.

use std::path::Path;

use super::{Grid, GridBuilder};
use crate::error::{Error, Location, Result};

/// Reads delimited text bytes into a [`Grid`] of all its rows, header rows included.
pub fn read(bytes: Vec<u8>, path: &Path) -> Result<Grid> {
    let (text, encoding, invalid) = decode_owned(bytes, path)?;
    let delimiter = sniff_delimiter(&text);
    let mut grid = parse_delimited(&text, path, encoding, delimiter)?;
    if encoding == UTF8_DAMAGED {
        grid.encoding = format!("UTF-8 ({invalid} invalid byte sequence(s), read as �)");
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

/// [`decode`], without copying bytes that are already plain UTF-8 text; with the number of
/// invalid UTF-8 sequences when the text is [`UTF8_DAMAGED`].
fn decode_owned(bytes: Vec<u8>, path: &Path) -> Result<(String, &'static str, usize)> {
    let plain = !bytes.iter().all(u8::is_ascii_whitespace)
        && encoding_rs::Encoding::for_bom(&bytes).is_none()
        && bomless_utf16(&bytes).is_none()
        && !bytes.contains(&0);
    let bytes = if plain {
        match String::from_utf8(bytes) {
            Ok(text) => return Ok((text, "UTF-8", 0)),
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    let (text, encoding) = decode(&bytes, path)?;
    let invalid = if encoding == UTF8_DAMAGED {
        invalid_sequences(&bytes)
    } else {
        0
    };
    Ok((text, encoding, invalid))
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

/// Splits delimited text into rows of fields, as the csv crate reads it (quotes, doubled
/// quotes, CR, LF or CRLF line ends, blank lines skipped, rows of any length). A line without a
/// quote or a stray CR is split at its delimiters directly; any other record is read by
/// csv-core. Each row carries the (1-based) line it starts on.
fn parse_delimited(text: &str, path: &Path, encoding: &'static str, delimiter: char) -> Result<Grid> {
    let bytes = text.as_bytes();
    let delimiter = delimiter as u8;
    let mut grid = GridBuilder::new();
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let (mut output, mut ends) = (vec![0u8; 4096], vec![0usize; 256]);
    let (mut pos, mut line) = (0usize, 1usize);
    let (mut last_start, mut last_line) = (0usize, 1usize);
    while pos < bytes.len() {
        // Blank lines and the LF of a CRLF start no record.
        match bytes[pos] {
            b'\n' => {
                line += 1;
                pos += 1;
                continue;
            }
            b'\r' => {
                pos += 1;
                continue;
            }
            _ => {}
        }
        (last_start, last_line) = (pos, line);
        let rest = &bytes[pos..];
        let newline = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let content = rest[..newline].strip_suffix(b"\r").unwrap_or(&rest[..newline]);
        if memchr::memchr2(b'"', b'\r', content).is_none() {
            grid.push(line, content.split(|&b| b == delimiter));
            pos += newline;
            continue;
        }
        // A record with quotes (perhaps over several lines): csv-core reads it.
        let (mut read, mut written, mut fields) = (0usize, 0usize, 0usize);
        loop {
            let input = &rest[read..];
            let (result, r, w, e) = core.read_record(input, &mut output[written..], &mut ends[fields..]);
            read += r;
            written += w;
            fields += e;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {
                    // The file ends inside this record: an empty input tells csv-core so.
                    if read == rest.len() && input.is_empty() {
                        break;
                    }
                }
                csv_core::ReadRecordResult::OutputFull => output.resize(output.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        let mut start = 0;
        grid.push(
            line,
            ends[..fields].iter().map(|&end| {
                let field = &output[start..end];
                start = end;
                field
            }),
        );
        line += memchr::memchr_iter(b'\n', &rest[..read]).count();
        pos += read;
        if read == rest.len() {
            break;
        }
    }
    let grid = grid.finish(path, encoding.to_string(), Some(delimiter as char));
    check_complete(&text[last_start..], last_line, path, delimiter as char, &grid)?;
    Ok(grid)
}

/// Refuses a file cut short: its last record opens a quote that never closes (everything after
/// it would be one cell), or the file ends without a line break in a row with fewer fields than
/// the header.
fn check_complete(last: &str, line: usize, path: &Path, delimiter: char, grid: &Grid) -> Result<()> {
    if let Some(open) = unclosed_quote(last, delimiter) {
        let at = line + last[..open].matches('\n').count();
        return Err(Error::input(
            Location::file(path).row(at),
            "a quoted value opened on this line is never closed, so the rest of the file would be read as one cell: the file is probably cut short, or a quote is missing",
            "Export the survey again (the file may have been truncated), or close the quote on this line.",
        ));
    }
    let ends_cleanly = last.is_empty() || last.ends_with(['\n', '\r']);
    let rows = grid.len();
    if let (false, Some(&header), Some(&cells), Some(line)) = (
        ends_cleanly,
        grid.widths.first(),
        grid.widths.last(),
        grid.lines.last(),
    ) {
        if rows > 1 && cells < header {
            return Err(Error::input(
                Location::file(path).row(*line),
                format!(
                    "the last row has {cells} of the header's {header} fields and the file ends without a line break: it was probably cut short"
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
        assert_eq!(grid.head[0], ["a", "b", "c,d"]);
        assert_eq!(grid.head[1], ["1", "two\nlines", "3"]);
        assert_eq!(grid.columns[1].get(1), "two\nlines");
        assert_eq!(grid.lines[2], 4);
        let crlf = parse("a,b\r\n1,2\r\n\r\n3,4\r\n");
        assert_eq!(crlf.lines, [1, 2, 4]);
    }

    /// Rows and fields as the csv crate reads them.
    fn by_csv_crate(text: &str) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sniff_delimiter(text) as u8)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        reader
            .byte_records()
            .map(|r| {
                r.unwrap()
                    .iter()
                    .map(|f| String::from_utf8(f.to_vec()).unwrap())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rows_are_split_as_the_csv_crate_splits_them() {
        let texts = [
            "a,b,c\n1,2,3\n",
            "a,b\r\n1,\"x, y\"\r\n\r\n\"say \"\"hi\"\"\",2",
            "a;b\n\"multi\nline\";x\n\n\nlast;row",
            "a,b\rc,d\re,\"f\rg\"\r",
            "p,q\"r,s\"\n\"t\"u,v\n",
            "one\n,\n,,\n\"\"\n",
            "\t\tx\n1\t\t2\n",
        ];
        for text in texts {
            let grid = parse(text);
            let rows: Vec<Vec<String>> = (0..grid.len())
                .map(|r| {
                    grid.columns[..grid.widths[r]]
                        .iter()
                        .map(|c| c.get(r).to_string())
                        .collect()
                })
                .collect();
            assert_eq!(rows, by_csv_crate(text), "{text:?}");
        }
    }

    #[test]
    fn files_cut_short_are_refused_with_their_line() {
        let read_text = |t: &str| read(t.as_bytes().to_vec(), Path::new("t.csv"));
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
        assert_eq!(read_text("a,b,c\n1,2,3\n4,5,6").unwrap().len(), 3);
        assert_eq!(read_text("a,b\n\"x \"\"y\"\"\nz\",5 \" tall\n").unwrap().len(), 2);
        assert_eq!(read_text("a,b,c\n1,2\n").unwrap().len(), 2);
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
