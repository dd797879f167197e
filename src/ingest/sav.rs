//! SPSS exports (.sav, and .zsav compressed), as SurveyMonkey and Qualtrics offer them, read
//! with the pure-Rust `ambers` reader. Each variable becomes a column headed by its label (the
//! question text) and named by its variable name, an id that a mapping file or an item's
//! `code` can use (Qualtrics' `Q1_1`); each value becomes its value label where it has one, so
//! answers reach the instrument's scale as the platform's CSV export writes them. Values the
//! file declares user-missing are kept as missing answers of their column (N/A); the platform
//! is taken from the file's product name, label, notes and variable names where they say.

use std::io::Cursor;
use std::path::Path;

use ambers::{MissingSpec, SpssMetadata, Value};
use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Date32Type, Float64Type, TimeUnit, TimestampMicrosecondType};

use super::{Grid, GridBuilder, Platform};
use crate::error::{Error, Location, Result};

/// An SPSS system file's signature: `$FL2` (.sav) or `$FL3` (.zsav).
pub fn is_sav(bytes: &[u8]) -> bool {
    bytes.starts_with(b"$FL2") || bytes.starts_with(b"$FL3")
}

/// A .sav file as a grid of three header rows (variable names, labels, none) and its data,
/// with what the file itself says of its platform and of its missing answers.
pub struct SavTable {
    pub grid: Grid,
    /// The platform the file's metadata names, if any.
    pub platform: Option<Platform>,
    /// Per variable, the texts of its user-missing values as written in the grid.
    pub missing: Vec<Vec<String>>,
}

pub fn read(bytes: &[u8], path: &Path) -> Result<SavTable> {
    let unreadable = |what: String| {
        Error::input(
            Location::file(path),
            what,
            "Download the SPSS file from the survey platform again, or export the survey as CSV.",
        )
    };
    // A damaged file must be an input error, never a crash of the run.
    let read = std::panic::catch_unwind(|| ambers::read_sav_from_reader(Cursor::new(bytes)))
        .map_err(|_| unreadable("the SPSS file is damaged and cannot be read".into()))?;
    let (batch, meta) = read.map_err(|e| unreadable(format!("the SPSS file cannot be read: {e}")))?;
    // A file cut short (fewer cases than its header says) reads without error but is flagged.
    if !meta.warnings.is_empty() {
        return Err(unreadable(format!(
            "the SPSS file looks damaged: {}",
            meta.warnings.join("; ")
        )));
    }
    let names = &meta.variable_names;
    let labels: Vec<String> = names
        .iter()
        .map(|n| meta.label(n).unwrap_or_default().trim().to_string())
        .collect();
    let mut builder = GridBuilder::new();
    builder.push(0, names.iter().map(|n| n.as_bytes()));
    builder.push(0, labels.iter().map(|l| l.as_bytes()));
    builder.push(0, names.iter().map(|_| &b""[..]));
    let (columns, missing): (Vec<Vec<String>>, Vec<Vec<String>>) = (0..batch.num_columns().min(names.len()))
        .map(|c| column_texts(batch.column(c).as_ref(), &meta, &names[c]))
        .unzip();
    for row in 0..batch.num_rows() {
        builder.push(row + 1, columns.iter().map(|c| c[row].as_bytes()));
    }
    let kind = if bytes.starts_with(b"$FL3") {
        "SPSS .zsav"
    } else {
        "SPSS .sav"
    };
    let encoding = format!("{kind} ({})", meta.file_encoding);
    Ok(SavTable {
        grid: builder.finish(path, encoding, None),
        platform: platform_of(bytes, &meta),
        missing,
    })
}

/// Every cell of one variable as text: its value label, else the value as a CSV would write
/// it (whole numbers without a decimal point, dates as `YYYY-MM-DD hh:mm:ss`); blank when
/// system-missing. Also the distinct texts of the values the file declares user-missing.
fn column_texts(array: &dyn Array, meta: &SpssMetadata, name: &str) -> (Vec<String>, Vec<String>) {
    let labels = meta.value_labels(name);
    let specs = meta
        .variable_missing_values
        .get(name)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut missing: Vec<String> = Vec::new();
    let mut text_of = |value: Value, text: String| {
        let text = labels
            .and_then(|l| l.get(&value))
            .map_or(text, |label| label.trim().to_string());
        if is_missing(specs, &value) && !missing.contains(&text) {
            missing.push(text.clone());
        }
        text
    };
    let texts = (0..array.len())
        .map(|row| {
            if array.is_null(row) {
                return String::new();
            }
            match array.data_type() {
                DataType::Float64 => {
                    let v = array.as_primitive::<Float64Type>().value(row);
                    if v.is_nan() {
                        String::new()
                    } else {
                        text_of(Value::Numeric(v), number(v))
                    }
                }
                DataType::Utf8View => {
                    let s = array.as_string_view().value(row).trim_end().to_string();
                    text_of(Value::String(s.clone()), s)
                }
                DataType::Date32 => date(array.as_primitive::<Date32Type>().value(row) as i64),
                DataType::Timestamp(TimeUnit::Microsecond, _) => {
                    let us = array.as_primitive::<TimestampMicrosecondType>().value(row);
                    let seconds = us.div_euclid(1_000_000);
                    let s = seconds.rem_euclid(86_400);
                    let day = date(seconds.div_euclid(86_400));
                    format!("{day} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                }
                _ => String::new(),
            }
        })
        .collect();
    (texts, missing)
}

/// Whether the file declares a value user-missing (by value or range).
fn is_missing(specs: &[MissingSpec], value: &Value) -> bool {
    specs.iter().any(|spec| match (spec, value) {
        (MissingSpec::Value(m), Value::Numeric(v)) => m == v,
        (MissingSpec::Range { lo, hi }, Value::Numeric(v)) => lo <= v && v <= hi,
        (MissingSpec::StringValue(m), Value::String(v)) => m.trim_end() == v.trim_end(),
        _ => false,
    })
}

/// A number as a CSV export writes it: `3`, not `3.0`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (the civil calendar, H. Hinnant's algorithm).
fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The platform that wrote the file, from its product name (bytes 4..64 of the header), its
/// label and notes, then its variable names.
fn platform_of(bytes: &[u8], meta: &SpssMetadata) -> Option<Platform> {
    let product = String::from_utf8_lossy(bytes.get(4..64).unwrap_or_default());
    let said = format!("{product} {} {}", meta.file_label, meta.notes.join(" ")).to_lowercase();
    if said.contains("qualtrics") {
        return Some(Platform::Qualtrics);
    }
    if said.contains("surveymonkey") || said.contains("survey monkey") {
        return Some(Platform::SurveyMonkey);
    }
    let has = |name: &str| meta.variable_names.iter().any(|n| n.eq_ignore_ascii_case(name));
    if has("ResponseId") && (has("StartDate") || has("Status")) {
        return Some(Platform::Qualtrics);
    }
    if has("respondent_id") && has("collector_id") {
        return Some(Platform::SurveyMonkey);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_civil_dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(20_089), "2025-01-01");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(11_016), "2000-02-29");
    }

    #[test]
    fn numbers_read_as_a_csv_writes_them() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(-99.0), "-99");
        assert_eq!(number(2.5), "2.5");
    }
}
