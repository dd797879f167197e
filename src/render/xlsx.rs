//! `report.xlsx`: the report's tables as one Excel workbook, written from the tables the report
//! model declares (`report::tables`, the same declarations as the CSVs'). Sheets: Weighted
//! (with `[weights]`), Summary (headline nodes × waves: mean, interval, n, % favourable, and
//! the latest band), Changes (every compared pair of waves, each wave with the next and the
//! first with the last), Scores (every framework node per wave; a one-level framework's plural), Items (statements, the
//! node they sit under, reverse marks, answers per point), Groups, Reliability, Drivers (what
//! each overall item tracks, as drivers.csv), Themes (as comments.csv) and Data (rows read,
//! used and skipped per file, and why). Header rows are frozen and filtered; numbers are
//! numbers with formats (means 2 dp, p-values 4 dp, percentages), and every text cell is
//! written as a string, never a formula, whatever it starts with. The creation date is fixed,
//! so the same input gives the same bytes.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::report::{Kind, Report, Table, Value};

/// How the workbook shows a column's numbers.
fn format(kind: Kind) -> Format {
    match kind {
        Kind::Text => Format::new(),
        Kind::Count => Format::new().set_num_format("0"),
        Kind::Mean => Format::new().set_num_format("0.00"),
        Kind::Stat => Format::new().set_num_format("0.000"),
        Kind::P => Format::new().set_num_format("0.0000"),
        Kind::Percent | Kind::Points => Format::new().set_num_format("0.0%"),
    }
}

/// Writes a table's sheet columns (in their declared order) into `sheet`.
fn write_sheet(table: &Table, name: &str, sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xF3F6F9));
    let shown: Vec<usize> = (0..table.columns.len())
        .filter(|&k| table.columns[k].sheet.is_some())
        .collect();
    let formats: Vec<Format> = table.columns.iter().map(|c| format(c.kind)).collect();
    for (c, &k) in shown.iter().enumerate() {
        let col = c as u16;
        if let Some((title, width)) = &table.columns[k].sheet {
            sheet.write_string_with_format(0, col, title, &header)?;
            sheet.set_column_width(col, *width)?;
        }
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, &k) in shown.iter().enumerate() {
            let col = c as u16;
            // A percentage 0–100 is stored as the share Excel's % format expects.
            let points = if table.columns[k].kind == Kind::Points {
                100.0
            } else {
                1.0
            };
            match &row[k] {
                Value::Text(t) if !t.is_empty() => {
                    sheet.write_string(r, col, excel_text(t))?;
                }
                Value::Number(n) if n.is_finite() => {
                    sheet.write_number_with_format(r, col, n / points, &formats[k])?;
                }
                Value::Count(n) => {
                    sheet.write_number_with_format(r, col, *n as f64, &formats[k])?;
                }
                _ => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = shown.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    Ok(())
}

/// Text as a cell can hold it: at most 32,767 characters.
fn excel_text(text: &str) -> &str {
    match text.char_indices().nth(32_767) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The workbook's bytes: one sheet per table with a sheet, in the model's order.
pub fn report_xlsx(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: {}", report.title, report.initiative))
            .set_creation_datetime(&created),
    );
    for table in &report.tables {
        if let Some(name) = table.written(&table.sheet) {
            write_sheet(table, name, book.add_worksheet())?;
        }
    }
    book.save_to_buffer()
}
