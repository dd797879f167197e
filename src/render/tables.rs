//! The CSV outputs, written from the report model's tables (declared in `report::tables`):
//! each table with a CSV file becomes that file, its CSV columns in their declared order.
//! Numbers are written at full precision (the shortest text that reads back as the computed
//! value); blank cells are blank. Text cells that a spreadsheet would run as a formula
//! (starting with =, +, -, @, tab or CR) get a leading apostrophe; numbers are written as
//! numbers.

use crate::report::{Table, Value};

/// A spreadsheet-safe text cell: a leading `'` before a formula character.
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The shortest text that reads back as exactly the same number. Very small or large
/// magnitudes in scientific notation (`1.2246e-70`), since plain notation writes every
/// leading zero.
pub fn full(v: f64) -> String {
    let plain = v.abs() >= 1e-4 && v.abs() < 1e15;
    if plain || v == 0.0 || !v.is_finite() {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

fn field(value: &Value) -> String {
    match value {
        Value::Text(t) => text_cell(t),
        Value::Number(n) => full(*n),
        Value::Count(n) => n.to_string(),
        Value::Empty => String::new(),
    }
}

/// The CSV text of a table: its CSV columns only, one record per row.
pub fn csv(table: &Table) -> csv::Result<Vec<u8>> {
    let shown: Vec<usize> = (0..table.columns.len())
        .filter(|&k| table.columns[k].csv.is_some())
        .collect();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(shown.iter().filter_map(|&k| table.columns[k].csv.as_deref()))?;
    for row in &table.rows {
        w.write_record(shown.iter().map(|&k| field(&row[k])))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::full;

    #[test]
    fn csv_numbers_are_short_and_read_back_exactly() {
        // A p-value of a large sample difference, written before as 70 zeros and 5 digits.
        assert_eq!(full(1.2246e-70), "1.2246e-70");
        assert_eq!(full(0.05), "0.05");
        assert_eq!(full(-0.39), "-0.39");
        assert_eq!(full(0.0), "0");
        assert_eq!(full(0.00012), "0.00012");
        assert_eq!(full(0.000012), "1.2e-5");
        for v in [
            4.186974536504897e-17,
            2.512e-16,
            1.0 / 3.0,
            123456.789,
            9.99e-5,
            1e300,
        ] {
            let text = full(v);
            assert!(text.len() <= 24, "{text}");
            assert_eq!(text.parse::<f64>().unwrap(), v, "{text}");
        }
    }
}
