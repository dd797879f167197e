//! Delimited text exports (CSV, semicolon- or tab-separated) in any of the encodings survey
//! platforms and spreadsheet programs write: decoded, split into rows of cells, line-numbered.

use std::path::Path;

use super::{Grid, GridBuilder, HEAD_ROWS};
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

/// Bytes each part of a file must have before the file is parsed in parts, one per core:
/// below it, a thread costs more than it saves.
const MIN_PART: usize = 2 << 20;

/// Splits delimited text into rows of fields, as the csv crate reads it (quotes, doubled
/// quotes, CR, LF or CRLF line ends, blank lines skipped, rows of any length). Each row carries
/// the (1-based) line it starts on.
fn parse_delimited(text: &str, path: &Path, encoding: &'static str, delimiter: char) -> Result<Grid> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    parse_in_parts(
        text,
        path,
        encoding,
        delimiter,
        split_points(text.as_bytes(), cores, MIN_PART),
    )
}

/// Parses the text in parts starting at `splits` (guessed record boundaries), on all cores, and
/// joins them; the guesses are checked (each part must end where the next starts, on a record
/// boundary) and, if one is wrong, the whole text is parsed in one part instead.
fn parse_in_parts(
    text: &str,
    path: &Path,
    encoding: &'static str,
    delimiter: char,
    splits: Vec<usize>,
) -> Result<Grid> {
    let bytes = text.as_bytes();
    let d = delimiter as u8;
    let starts: Vec<usize> = std::iter::once(0).chain(splits).collect();
    let ranges: Vec<(usize, usize)> = starts
        .iter()
        .zip(starts.iter().skip(1).chain([&bytes.len()]))
        .map(|(&a, &b)| (a, b))
        .collect();
    let mut parts = crate::parallel::map(&ranges, |&(a, b)| Part::parse(bytes, a, b, d, a == 0));
    // One part is the whole file: nothing to check, nothing to parse again.
    let joined = parts.len() == 1
        || (parts.windows(2).all(|w| w[0].end == w[1].start) && parts[0].grid.rows() >= HEAD_ROWS);
    if !joined {
        parts = vec![Part::parse(bytes, 0, bytes.len(), d, true)];
    }
    let (mut grid, mut newlines, mut last) = (GridBuilder::new(), 0, (0, 1));
    for part in parts {
        if let Some((start, line)) = part.last {
            last = (start, line + newlines);
        }
        grid.append(part.grid, newlines);
        newlines += part.newlines;
    }
    let grid = grid.finish(path, encoding.to_string(), Some(delimiter));
    check_complete(&text[last.0..], last.1, path, delimiter, &grid)?;
    Ok(grid)
}

/// Guessed record boundaries that cut `bytes` into up to `parts` parts of at least `min`
/// bytes: the first line start after each cut point at which an even number of quotes has been
/// seen (outside any quoted field, unless a stray quote misleads the count; the parse checks).
fn split_points(bytes: &[u8], parts: usize, min: usize) -> Vec<usize> {
    let parts = parts.min(bytes.len() / min.max(1));
    let (mut splits, mut quotes, mut from) = (Vec::new(), 0usize, 0usize);
    for k in 1..parts {
        let mut at = (bytes.len() * k / parts).max(from);
        quotes += count_quotes(&bytes[from..at]);
        while let Some(nl) = memchr::memchr(b'\n', &bytes[at..]) {
            quotes += count_quotes(&bytes[at..at + nl]);
            at += nl + 1;
            if quotes % 2 == 0 {
                break;
            }
        }
        if at >= bytes.len() {
            break;
        }
        splits.push(at);
        from = at;
    }
    splits
}

/// Counted with a plain filter, which the compiler vectorises (memchr_iter stops at each one).
fn count_quotes(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'"').count()
}

/// One part of a file, parsed: its rows, and where it really ended.
struct Part {
    grid: GridBuilder,
    start: usize,
    /// Where its last record ends: the next part's start if the guess was right.
    end: usize,
    /// Line breaks read, to number the next part's lines.
    newlines: usize,
    /// The last record's byte offset and (part-relative) line.
    last: Option<(usize, usize)>,
}

impl Part {
    /// Reads every record that starts in `bytes[start..end]` (the last one may run past `end`).
    /// A line without a quote or a stray CR is split at its delimiters directly; any other
    /// record is read by csv-core. `head`: whether this part's first rows are the file's.
    fn parse(bytes: &[u8], start: usize, end: usize, delimiter: u8, head: bool) -> Part {
        let mut grid = if head {
            GridBuilder::new()
        } else {
            GridBuilder::continuing()
        };
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut buffers = (vec![0u8; 4096], vec![0usize; 256]);
        let (mut pos, mut line, mut last) = (start, 1usize, None);
        while pos < end {
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
            last = Some((pos, line));
            let rest = &bytes[pos..];
            let newline = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let content = rest[..newline].strip_suffix(b"\r").unwrap_or(&rest[..newline]);
            if memchr::memchr2(b'"', b'\r', content).is_none() {
                grid.push(line, content.split(|&b| b == delimiter));
                pos += newline;
                continue;
            }
            let read = read_record(&mut core, rest, &mut buffers, |fields| grid.push(line, fields));
            line += memchr::memchr_iter(b'\n', &rest[..read]).count();
            pos += read;
        }
        Part {
            grid,
            start,
            end: pos,
            newlines: line - 1,
            last,
        }
    }
}

/// Reads one record (with quotes, perhaps over several lines) from the start of `rest` with
/// csv-core, hands its fields to `push`, and returns how many bytes it took.
fn read_record<'b>(
    core: &mut csv_core::Reader,
    rest: &[u8],
    (output, ends): &'b mut (Vec<u8>, Vec<usize>),
    push: impl FnOnce(&mut dyn Iterator<Item = &'b [u8]>),
) -> usize {
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
    let output: &'b [u8] = output;
    let mut start = 0;
    push(&mut ends[..fields].iter().map(|&end| {
        let field = &output[start..end];
        start = end;
        field
    }));
    read
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

    /// A file with every shape the parser treats apart: quoted fields with delimiters, doubled
    /// quotes and line breaks, a stray quote inside an unquoted field, CRLF and blank lines,
    /// rows shorter and longer than the header.
    fn awkward_file(rows: usize) -> String {
        let mut text = String::from("id,answer,comment\r\n");
        for r in 0..rows {
            let row = match r % 7 {
                0 => format!("{r},Agree,\"fine, thanks\"\r\n"),
                1 => format!("{r},\"Strongly\ndisagree\",\"said \"\"no\"\"\"\n"),
                2 => format!("{r},Neutral\n\n"),
                3 => format!("{r},ab\"c,\"x\"\n"),
                4 => format!("{r},Agree,,extra,cells\n"),
                5 => format!("\"{r}\",\"\",\"\n\"\r\n"),
                _ => format!("{r},Disagree,plain\n"),
            };
            text.push_str(&row);
        }
        text
    }

    fn parse_split(text: &str, splits: Vec<usize>) -> Grid {
        parse_in_parts(text, Path::new("t.csv"), "UTF-8", ',', splits).unwrap()
    }

    #[test]
    fn a_file_read_in_parts_is_read_as_in_one() {
        let text = awkward_file(60);
        let whole = parse_split(&text, Vec::new());
        assert_eq!(whole.len(), 61);
        // Every cut, right or wrong (inside a quoted field, beside a stray quote), and the
        // guessed ones: the rows, their lines and their cells' codes are those of one part.
        for at in 1..text.len() {
            assert_eq!(parse_split(&text, vec![at]), whole, "split at byte {at}");
        }
        for parts in 2..8 {
            let splits = split_points(text.as_bytes(), parts, 1);
            assert!(!splits.is_empty());
            assert_eq!(parse_split(&text, splits), whole, "{parts} parts");
        }
    }

    #[test]
    fn a_column_of_distinct_texts_read_in_parts_keeps_the_same_codes() {
        let n = 3 * (4096 + 16);
        let text: String = std::iter::once("id,answer\n".to_string())
            // Half the ids repeat, so that repeats come after the column stops looking for them.
            .chain((0..n).map(|i| {
                format!(
                    "id-{},{}\n",
                    if i % 2 == 0 { i } else { i % 9 },
                    ["Agree", "Disagree"][i % 2]
                )
            }))
            .collect();
        let whole = parse_split(&text, Vec::new());
        let splits = split_points(text.as_bytes(), 4, 1);
        assert_eq!(splits.len(), 3);
        assert_eq!(parse_split(&text, splits), whole);
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
