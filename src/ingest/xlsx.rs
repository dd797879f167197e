//! Spreadsheet exports (XLSX, the Microsoft Forms default; also XLS and ODS) read with calamine:
//! the first worksheet, every cell as text the way a CSV export would have written it.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use super::Grid;
use crate::error::{Error, Location, Result};

/// ZIP (XLSX, ODS) or OLE2 (XLS) signature at the start of the file.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

pub fn read(bytes: &[u8], path: &Path) -> Result<Grid> {
    let unreadable = |what: String| {
        Error::input(
            Location::file(path),
            what,
            "Open it in Excel and save it again as .xlsx, or export the survey as CSV.",
        )
    };
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "the file looks like a spreadsheet but cannot be read: {e}"
        ))
    })?;
    let Some(first) = workbook.sheet_names().first().cloned() else {
        return Err(unreadable("the workbook has no worksheet".into()));
    };
    let range = workbook
        .worksheet_range(&first)
        .map_err(|e| unreadable(format!("worksheet \"{first}\" cannot be read: {e}")))?;
    let top = range.start().map_or(0, |(row, _)| row as usize);
    let left = range.start().map_or(0, |(_, col)| col as usize);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut texts = vec![String::new(); left];
            texts.extend(cells.iter().map(cell_text));
            (top + i + 1, texts)
        })
        .collect();
    Ok(Grid::from_rows(
        path,
        &format!("XLSX (sheet \"{first}\")"),
        None,
        rows,
    ))
}

/// A cell as text: whole numbers without a decimal point, dates as `YYYY-MM-DD hh:mm:ss`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Data::DateTime(dt) => dt.as_datetime().map_or_else(
            || dt.as_f64().to_string(),
            |d| d.format("%Y-%m-%d %H:%M:%S").to_string(),
        ),
    }
}
