//! Delimited text exports (CSV, semicolon- or tab-separated) in any of the encodings survey
//! platforms and spreadsheet programs write: decoded, split into rows of cells, line-numbered.

use std::path::Path;

use super::{Grid, GridBuilder};
use crate::error::{Error, Location, Result};

/// Reads delimited text bytes into a [`Grid`] of all its rows, header rows included.
pub fn read(bytes: Vec<u8>, path: &Path) -> Result<Grid> {
    let (text, encoding) = decode_owned(bytes, path)?;
    let delimiter = sniff_delimiter(&text);
    parse_delimited(&text, path, encoding, delimiter)
}

/// [`decode`], without copying bytes that are already plain UTF-8 text.
fn decode_owned(bytes: Vec<u8>, path: &Path) -> Result<(String, &'static str)> {
    let plain = !bytes.iter().all(u8::is_ascii_whitespace)
        && encoding_rs::Encoding::for_bom(&bytes).is_none()
        && bomless_utf16(&bytes).is_none()
        && !bytes.contains(&0);
    if plain {
        match String::from_utf8(bytes) {
            Ok(text) => Ok((text, "UTF-8")),
            Err(e) => decode(e.as_bytes(), path),
        }
    } else {
        decode(&bytes, path)
    }
}

/// Decodes the bytes of an export: UTF-8 (with or without BOM), UTF-16 with a BOM, and
/// otherwise Windows-1252, the encoding spreadsheet programs on Windows save CSV in.
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
fn parse_delimited(text: &str, _path: &Path, encoding: &'static str, delimiter: char) -> Result<Grid> {
    let bytes = text.as_bytes();
    let delimiter = delimiter as u8;
    let mut grid = GridBuilder::new();
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let (mut output, mut ends) = (vec![0u8; 4096], vec![0usize; 256]);
    let (mut pos, mut line) = (0usize, 1usize);
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
    Ok(grid.finish(_path, encoding.to_string(), Some(delimiter as char)))
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
            "x,\"unclosed\n1,2\n",
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
        assert!(decode(b"  \n", Path::new("t.csv")).is_err());
    }
}
