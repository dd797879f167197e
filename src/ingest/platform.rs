//! Survey platforms: recognising an export's platform from its header rows and metadata
//! columns, and joining its header rows into one header (with match keys) per column.
//! The shapes follow ../shared/notes/survey-export-formats.md, checked against real exports.

use std::collections::HashMap;

use super::{panel_hash, square, Cells, Column, Export, Grid, Lines, ReadOptions, Role};
use crate::error::{Error, Location, Result};
use crate::normalize::normalize_question;

/// The survey platforms whose exports are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Platform {
    /// Two header rows: question (written once over its columns), then sub-label.
    SurveyMonkey,
    /// Three header rows: column ids, labels ("Question - Row"), ImportId JSON.
    Qualtrics,
    /// Pre-2017 Qualtrics: row 1 `V1, V2, ...`, row 2 names and labels ("Question-Row").
    QualtricsLegacy,
    /// `Timestamp` first; grids as `Question [Row]`.
    GoogleForms,
    /// `ID, Start time, Completion time, Email, Name`, then questions.
    MicrosoftForms,
    /// One header row, one row per respondent.
    Plain,
    /// One row per answer: respondent, item, value.
    Long,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::SurveyMonkey => "SurveyMonkey",
            Platform::Qualtrics => "Qualtrics",
            Platform::QualtricsLegacy => "Qualtrics (legacy export)",
            Platform::GoogleForms => "Google Forms",
            Platform::MicrosoftForms => "Microsoft Forms",
            Platform::Plain => "plain table",
            Platform::Long => "long format (respondent, item, value)",
        }
    }

    /// A platform named as users write it: `surveymonkey`, `survey-monkey`, `SurveyMonkey`,
    /// `google`, `google forms`, `msforms`, `microsoft`... (case, spaces, `-` and `_` ignored).
    pub fn parse(name: &str) -> Option<Platform> {
        let key: String = name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "surveymonkey" | "monkey" | "sm" => Platform::SurveyMonkey,
            "qualtrics" => Platform::Qualtrics,
            "qualtricslegacy" | "legacyqualtrics" | "qualtricsold" => Platform::QualtricsLegacy,
            "googleforms" | "google" | "googleform" | "gforms" | "gform" => Platform::GoogleForms,
            "microsoftforms" | "microsoft" | "microsoftform" | "msforms" | "msform" | "ms" | "forms"
            | "office365" | "office" => Platform::MicrosoftForms,
            "plain" | "plaintable" | "table" | "wide" => Platform::Plain,
            "long" | "longformat" => Platform::Long,
            _ => return None,
        })
    }

    /// The names [`Platform::parse`] accepts, one per platform, for messages.
    pub const NAMES: &'static str =
        "surveymonkey, qualtrics, qualtrics-legacy, google-forms, microsoft-forms (msforms), plain, long";

    fn header_rows(self) -> usize {
        match self {
            Platform::Qualtrics => 3,
            Platform::SurveyMonkey | Platform::QualtricsLegacy => 2,
            _ => 1,
        }
    }
}

/// Headers of columns that identify a person or a device. They are removed at ingest.
const IDENTIFYING: [&str; 19] = [
    "ip address",
    "ipaddress",
    "email address",
    "emailaddress",
    "email",
    "e mail",
    "first name",
    "last name",
    "name",
    "full name",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "phone",
];

fn role_of(key: &str) -> Role {
    match key {
        "respondent id" | "respondentid" | "responseid" | "response id" | "id" => Role::RespondentId,
        "start date" | "startdate" | "end date" | "enddate" | "recordeddate" | "recorded date"
        | "timestamp" | "start time" | "completion time" | "submitted" | "submitted at"
        | "last modified time" => Role::Timestamp,
        "finished" => Role::Finished,
        "progress" => Role::Progress,
        "status" => Role::Status,
        "collector id"
        | "collectorid"
        | "duration in seconds"
        | "distributionchannel"
        | "userlanguage"
        | "responseset"
        | "total points"
        | "quiz feedback" => Role::Metadata,
        _ => Role::Question,
    }
}

fn is_identifying(key: &str, drop: &[String], asked: &[String]) -> bool {
    IDENTIFYING.contains(&key)
        || key.starts_with("custom data")
        || (looks_identifying(key) && !asked.iter().any(|a| key == a || key.ends_with(&format!(" {a}"))))
        || drop.iter().any(|d| normalize_question(d) == key)
}

/// A short header (four words at most, after "please enter" and the like) that asks for an
/// email address, a phone number, a person's name or a street address: "Your work e-mail", "Contact phone", "Full name
/// (optional)", "E-mail address". The asked-for thing is the header's last word (before
/// "optional"), so statements that mention one ("Emails get answered.") are not taken for it.
/// Headers of any length that ask the respondent for a ZIP or postal code, a birth date or a
/// home address ("In what ZIP code is your home located?") are identifying too; a statement
/// that only mentions one ("Our services reach every ZIP code") is not. `key` is normalised
/// (lower-case words).
fn looks_identifying(key: &str) -> bool {
    let padded = format!(" {key} ");
    let all: Vec<&str> = key.split_whitespace().collect();
    let asks_respondent = all.len() <= 4
        || all.iter().any(|w| ["your", "you"].contains(w))
        || all
            .first()
            .is_some_and(|w| ["what", "where", "which", "please", "enter"].contains(w));
    let locating = [
        "zip",
        "zipcode",
        "zip code",
        "postal code",
        "postcode",
        "date of birth",
        "birth date",
        "birthdate",
        "home address",
        "street address",
    ];
    if asks_respondent && locating.iter().any(|p| padded.contains(&format!(" {p} "))) {
        return true;
    }
    let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    while words
        .last()
        .is_some_and(|w| ["optional", "required", "please"].contains(w))
    {
        words.pop();
    }
    let asking = ["please", "enter", "provide", "give", "type", "what", "is", "s"];
    let start = words.iter().take_while(|w| asking.contains(w)).count();
    let words = &words[start..];
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    let last = words[words.len() - 1];
    let before = words.len().checked_sub(2).map_or("", |i| words[i]);
    let contact = [
        "email",
        "emails",
        "emailaddress",
        "phone",
        "telephone",
        "cellphone",
        "surname",
    ];
    let qualifiers = [
        "full",
        "first",
        "last",
        "given",
        "family",
        "your",
        "my",
        "contact",
        "respondent",
        "person",
    ];
    let address_of = [
        "email",
        "mail",
        "phone",
        "telephone",
        "mobile",
        "cell",
        "ip",
        "street",
        "home",
        "postal",
        "mailing",
    ];
    contact.contains(&last)
        || ["fullname", "firstname", "lastname"].contains(&last)
        || (last == "mail" && before == "e")
        || (last == "name" && qualifiers.contains(&before))
        || (["address", "number"].contains(&last) && address_of.contains(&before))
}

/// Recognises the platform from the first rows of a grid.
pub fn detect(grid: &Grid) -> Platform {
    let row = |i: usize| -> Vec<String> {
        grid.head
            .get(i)
            .map(|r| r.iter().map(|c| normalize_question(c)).collect())
            .unwrap_or_default()
    };
    let (r1, r2) = (row(0), row(1));
    let raw3 = grid.head.get(2).map(Vec::as_slice).unwrap_or_default();
    let import_ids = raw3.iter().filter(|c| c.contains("ImportId")).count();
    if import_ids * 2 > raw3.len().max(1) {
        return Platform::Qualtrics;
    }
    if r1.first().is_some_and(|c| c == "v1") && r2.iter().any(|c| c == "responseid") {
        return Platform::QualtricsLegacy;
    }
    let has = |r: &[String], key: &str| r.iter().any(|c| c == key);
    let sub_labels = r2
        .iter()
        .filter(|c| *c == "response" || *c == "open ended response")
        .count();
    if (has(&r1, "respondent id") || has(&r1, "respondentid")) && sub_labels > 0 {
        return Platform::SurveyMonkey;
    }
    if surveymonkey_shape(&r1, &r2) {
        return Platform::SurveyMonkey;
    }
    if r1.first().is_some_and(|c| c == "timestamp") {
        return Platform::GoogleForms;
    }
    if r1.first().is_some_and(|c| c == "id") && has(&r1, "start time") && has(&r1, "completion time") {
        return Platform::MicrosoftForms;
    }
    let long_keys = ["respondent", "item", "value"];
    if r1.len() <= 4 && long_keys.iter().all(|k| has(&r1, k)) {
        return Platform::Long;
    }
    Platform::Plain
}

/// SurveyMonkey's metadata columns (Respondent ID, Collector ID, Start/End Date, IP, email,
/// names, Custom Data) in the first row, and a second row of sub-labels: blank under every
/// metadata column (a data row would hold the respondent's id and dates), with a question
/// written once over several columns (a blank first-row cell over a sub-label). This holds for
/// exports whose questions are all matrices, where no "Response" sub-label appears.
fn surveymonkey_shape(r1: &[String], r2: &[String]) -> bool {
    const METADATA: [&str; 10] = [
        "respondent id",
        "respondentid",
        "collector id",
        "collectorid",
        "start date",
        "end date",
        "ip address",
        "email address",
        "first name",
        "last name",
    ];
    let meta: Vec<usize> = (0..r1.len())
        .filter(|&c| METADATA.contains(&r1[c].as_str()) || r1[c].starts_with("custom data"))
        .collect();
    let has_id = meta.iter().any(|&c| {
        matches!(
            r1[c].as_str(),
            "respondent id" | "respondentid" | "collector id" | "collectorid"
        )
    });
    let blank_under_meta = meta.iter().all(|&c| r2.get(c).is_none_or(String::is_empty));
    // A question written once over its columns: a blank first-row cell over a sub-label.
    let spread = (0..r2.len())
        .any(|c| !meta.contains(&c) && !r2[c].is_empty() && r1.get(c).is_none_or(String::is_empty));
    has_id && meta.len() >= 2 && blank_under_meta && spread
}

/// Joins a grid's header rows into columns, labels metadata, hashes the panel key, drops
/// identifying columns.
pub fn normalise(mut grid: Grid, options: &ReadOptions) -> Result<Export> {
    let detected = options.platform.is_none();
    let platform = options.platform.unwrap_or_else(|| detect(&grid));
    let header_rows = platform.header_rows();
    if grid.len() < header_rows {
        return Err(Error::input(
            Location::file(&grid.path),
            format!(
                "a {} export has {header_rows} header row(s), but the file has only {}",
                platform.name(),
                grid.len()
            ),
            "Export the survey again, or name the right format with --format.",
        ));
    }
    let (columns, lines, cells) = body(&mut grid, platform)?;
    let width = columns.len();
    // A trailing delimiter on every line (legacy Qualtrics, some Excel saves) makes a column
    // with no header and no data: not a column at all.
    let real: Vec<bool> = columns
        .iter()
        .zip(&cells)
        .map(|(column, cells)| column.keys.iter().any(|k| !k.trim().is_empty()) || filled(cells))
        .collect();
    let (columns, cells) = keep_columns(columns, cells, &real);
    let mut drop = options.drop.clone();
    let panel = match &options.panel_key {
        Some(key) => {
            let col = panel_column(&grid, header_rows, &columns, key)?;
            drop.push(columns[col].header.clone());
            (0..lines.len()).map(|r| panel_hash(cells[col].get(r))).collect()
        }
        None => Vec::new(),
    };
    let anonymous = anonymous_columns(&columns, &drop, &options.asked);
    let dropped = columns
        .iter()
        .zip(&anonymous)
        .filter(|(_, k)| !**k)
        .map(|(c, _)| c.header.clone())
        .collect();
    let (columns, cells) = keep_columns(columns, cells, &anonymous);
    let damaged = super::text::is_damaged(&grid.encoding);
    let mut export = Export {
        path: grid.path,
        platform,
        detected,
        encoding: grid.encoding,
        delimiter: grid.delimiter,
        columns,
        width,
        lines,
        cells,
        panel,
        dropped,
        damaged_cells: 0,
        damaged_examples: Vec::new(),
    };
    if damaged {
        export.find_damaged();
    }
    Ok(export)
}

/// The grid's columns (from its header rows), data lines and cells, one row per response:
/// a long export is pivoted to one row per respondent first.
fn body(grid: &mut Grid, platform: Platform) -> Result<(Vec<Column>, Vec<usize>, Vec<Cells>)> {
    let header_rows = platform.header_rows();
    let headers: Vec<Vec<String>> = grid.head[..header_rows].to_vec();
    if platform == Platform::Long {
        let (columns, rows) = pivot_long(&grid.path, &headers[0], data_lines(grid, header_rows))?;
        let widths: Vec<usize> = rows.iter().map(|r| r.1.len()).collect();
        let table = Grid::from_rows(&grid.path, "", None, rows);
        let cells = square(&grid.path, columns.len(), &table.lines, &widths, table.columns)?;
        return Ok((columns, table.lines, cells));
    }
    let columns = columns_of(platform, &headers);
    let lines = grid.lines[header_rows..].to_vec();
    let mut cells = std::mem::take(&mut grid.columns);
    for c in &mut cells {
        c.skip(header_rows);
    }
    let cells = square(
        &grid.path,
        columns.len(),
        &lines,
        &grid.widths[header_rows..],
        cells,
    )?;
    Ok((columns, lines, cells))
}

/// The column the config's panel key names.
fn panel_column(grid: &Grid, header_rows: usize, columns: &[Column], key: &str) -> Result<usize> {
    let wanted = normalize_question(key);
    columns
        .iter()
        .position(|c| normalize_question(&c.header) == wanted)
        .ok_or_else(|| {
            Error::input(
                Location::file(&grid.path).row(header_rows).column(key.to_string()),
                "the panel key column named in the config is not in this file",
                "Correct panel_key in backbone.toml (the header of the column that identifies a respondent in every wave), or remove it.",
            )
        })
}

/// For each column, whether it may be kept: not identifying (a name, an email, an address,
/// unless the survey asked it as a question) and not one the config drops.
fn anonymous_columns(columns: &[Column], drop: &[String], asked: &[String]) -> Vec<bool> {
    let asked: Vec<String> = asked.iter().map(|a| normalize_question(a)).collect();
    columns
        .iter()
        .map(|c| {
            let header = normalize_question(&c.header);
            !c.keys
                .iter()
                .any(|k| is_identifying(&normalize_question(k), drop, &asked))
                && !drop.iter().any(|d| normalize_question(d) == header)
        })
        .collect()
}

/// Whether any cell of a column holds more than spaces.
fn filled(cells: &Cells) -> bool {
    let texts: Vec<bool> = (0..cells.values() as u32)
        .map(|code| !cells.value(code).trim().is_empty())
        .collect();
    cells.codes().iter().any(|&code| texts[code as usize])
}

/// The rows of a grid after its header rows, as text.
fn data_lines(grid: &Grid, header_rows: usize) -> Lines {
    (header_rows..grid.len())
        .map(|r| {
            let width = grid.widths[r];
            (
                grid.lines[r],
                grid.columns[..width]
                    .iter()
                    .map(|c| c.get(r).to_string())
                    .collect(),
            )
        })
        .collect()
}

/// The columns (and their cells) whose flag in `keep` is set.
fn keep_columns(columns: Vec<Column>, cells: Vec<Cells>, keep: &[bool]) -> (Vec<Column>, Vec<Cells>) {
    columns
        .into_iter()
        .zip(cells)
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .unzip()
}

fn columns_of(platform: Platform, headers: &[Vec<String>]) -> Vec<Column> {
    let width = headers.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |row: usize, col: usize| -> String {
        headers
            .get(row)
            .and_then(|r| r.get(col))
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    let mut question = String::new(); // SurveyMonkey: row 1 is written once over a question's columns
    (0..width)
        .map(|col| {
            let mut column = match platform {
                Platform::SurveyMonkey => {
                    let top = cell(0, col);
                    if !top.is_empty() {
                        question = top;
                    }
                    surveymonkey_column(&question, &cell(1, col))
                }
                Platform::Qualtrics => qualtrics_column(&cell(0, col), &cell(1, col), &cell(2, col), " - "),
                Platform::QualtricsLegacy => qualtrics_column(&cell(0, col), &cell(1, col), "", "-"),
                Platform::GoogleForms => bracketed_column(&cell(0, col)),
                _ => plain_column(&cell(0, col)),
            };
            column.position = Some(col + 1);
            add_statement_key(&mut column);
            column
        })
        .collect()
}

/// A header joining a stem to a statement ("stem: - statement", "stem [statement]"...) is
/// matched on its statement too, after the keys its platform gives, in every format.
fn add_statement_key(column: &mut Column) {
    if let Some((_, statement)) = super::split_statement(&column.header) {
        if !column.keys.contains(&statement) {
            column.keys.push(statement);
        }
    }
}

fn plain_column(header: &str) -> Column {
    Column {
        header: header.to_string(),
        keys: vec![header.to_string()],
        role: role_of(&normalize_question(header)),
        split: None,
        ids: Vec::new(),
        position: None,
        missing: Vec::new(),
    }
}

/// `Question [Row]`: matched on the row label first, then the whole header.
fn bracketed_column(header: &str) -> Column {
    let mut column = plain_column(header);
    if let Some(inner) = header.strip_suffix(']').and_then(|h| h.rsplit_once(" [")) {
        column.keys.insert(0, inner.1.trim().to_string());
    }
    column
}

fn surveymonkey_column(question: &str, sub: &str) -> Column {
    let whole = matches!(
        normalize_question(sub).as_str(),
        "" | "response" | "open ended response"
    );
    if whole {
        return plain_column(question);
    }
    Column {
        header: format!("{question} - {sub}"),
        keys: vec![sub.to_string(), format!("{question} {sub}")],
        role: match role_of(&normalize_question(question)) {
            Role::Question => role_of(&normalize_question(sub)),
            role => role,
        },
        split: Some((question.to_string(), sub.to_string())),
        ids: Vec::new(),
        position: None,
        missing: Vec::new(),
    }
}

/// Qualtrics: row 1 holds column ids (`Q5_3`, `StartDate`), row 2 the label, joined to a matrix
/// row label by `separator`; row 3 the ImportId. Roles come from the ids: labels may be in
/// any language.
fn qualtrics_column(id: &str, label: &str, import: &str, separator: &str) -> Column {
    // The statement after the join; "Question - Statement" and "Question-Statement" both occur
    // (the 2016 "Insights" export joins with "-" in the three-row format too).
    let mut keys: Vec<String> = Vec::new();
    for join in [separator, " - ", "-"] {
        if let Some((_, row)) = label.rsplit_once(join) {
            let row = row.trim().to_string();
            if !row.is_empty() && !keys.contains(&row) {
                keys.push(row);
            }
        }
    }
    keys.push(label.to_string());
    let mut ids = vec![id.to_string()];
    ids.extend(import_id(import));
    ids.retain(|i| !i.is_empty());
    keys.extend(ids.iter().cloned());
    let role = match role_of(&normalize_question(id)) {
        Role::Question => role_of(&normalize_question(label)),
        role => role,
    };
    Column {
        header: if label.is_empty() {
            id.to_string()
        } else {
            label.to_string()
        },
        keys,
        role,
        split: None,
        ids,
        position: None,
        missing: Vec::new(),
    }
}

/// `{"ImportId":"QID5_3"}` or the 2016-17 style `{'ImportId': 'QID5-3'}` -> `QID5_3`.
fn import_id(cell: &str) -> Option<String> {
    let after = cell.split("ImportId").nth(1)?;
    let value: String = after
        .trim_start_matches(['"', '\'', ':', ' '])
        .chars()
        .take_while(|c| !matches!(c, '"' | '\'' | ',' | '}'))
        .collect();
    (!value.is_empty()).then(|| value.replace('-', "_"))
}

/// Long format (respondent, item, value): one column per item, one row per respondent, in the
/// order they first appear.
fn pivot_long(path: &std::path::Path, header: &[String], data: Lines) -> Result<(Vec<Column>, Lines)> {
    let position = |name: &str| header.iter().position(|h| normalize_question(h) == name);
    let (Some(r), Some(i), Some(v)) = (position("respondent"), position("item"), position("value")) else {
        return Err(Error::input(
            Location::file(path).row(1),
            "a long-format export needs the columns respondent, item and value",
            "Name the columns respondent, item and value, or give the survey as one row per respondent.",
        ));
    };
    let mut columns = vec![plain_column("respondent id")];
    let mut item_index: HashMap<String, usize> = HashMap::new();
    let mut respondents: Lines = Vec::new();
    let mut respondent_index: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    for (line, cells) in data {
        let get = |c: usize| cells.get(c).map(|s| s.trim().to_string()).unwrap_or_default();
        let (respondent, item, value) = (get(r), get(i), get(v));
        if respondent.is_empty() || item.is_empty() {
            return Err(Error::input(
                Location::file(path).row(line),
                "a long-format row needs a respondent and an item",
                "Fill in the respondent and item of this row, or delete it.",
            ));
        }
        let col = *item_index.entry(item.clone()).or_insert_with(|| {
            let mut column = plain_column(&item);
            add_statement_key(&mut column);
            columns.push(column);
            columns.len() - 1
        });
        let row = *respondent_index.entry(respondent.clone()).or_insert_with(|| {
            respondents.push((line, vec![respondent.clone()]));
            respondents.len() - 1
        });
        if let Some(first) = seen.insert((row, col), line) {
            return Err(Error::input(
                Location::file(path).row(line).column(item),
                format!("respondent {respondent} answers this item twice (also on row {first})"),
                "Keep one answer per respondent and item.",
            ));
        }
        let cells = &mut respondents[row].1;
        if cells.len() <= col {
            cells.resize(col + 1, String::new());
        }
        cells[col] = value;
    }
    Ok((columns, respondents))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid::from_rows(
            std::path::Path::new("t.csv"),
            "UTF-8",
            Some(','),
            rows.iter()
                .enumerate()
                .map(|(i, r)| (i + 1, r.iter().map(|c| c.to_string()).collect()))
                .collect(),
        )
    }

    #[test]
    fn surveymonkey_headers_are_forward_filled_and_identities_dropped() {
        let g = grid(&[
            &[
                "Respondent ID",
                "IP Address",
                "Your role",
                "Rate the backbone:",
                "",
            ],
            &["", "", "Response", "Keeps us focused", "Shares data"],
            &["1", "203.0.113.7", "Funder", "Agree", "Disagree"],
        ]);
        assert_eq!(detect(&g), Platform::SurveyMonkey);
        let e = normalise(g, &ReadOptions::default()).unwrap();
        assert_eq!(e.dropped, ["IP Address"]);
        let keys: Vec<&str> = e.columns.iter().map(|c| c.keys[0].as_str()).collect();
        assert_eq!(
            keys,
            ["Respondent ID", "Your role", "Keeps us focused", "Shares data"]
        );
        assert_eq!(e.columns[3].keys[1], "Rate the backbone: Shares data");
        assert_eq!(e.columns[0].role, Role::RespondentId);
        assert_eq!(e.row(0), ["1", "Funder", "Agree", "Disagree"]);
        assert_eq!(e.lines[0], 3);
    }

    #[test]
    fn surveymonkey_is_recognised_without_a_response_sub_label() {
        let g = grid(&[
            &[
                "Respondent ID",
                "Collector ID",
                "Start Date",
                "Rate the backbone:",
                "",
            ],
            &["", "", "", "Keeps us focused", "Shares data"],
            &["1", "9", "03/14/2025", "Agree", "Disagree"],
        ]);
        assert_eq!(detect(&g), Platform::SurveyMonkey);
        // A plain table with the same metadata headers: its second row is data.
        let plain = grid(&[
            &["Respondent ID", "Start Date", "Keeps us focused"],
            &["1", "03/14/2025", "Agree"],
        ]);
        assert_eq!(detect(&plain), Platform::Plain);
        // Even when its first respondent left the id and date blank.
        let anonymous = grid(&[
            &["Respondent ID", "Start Date", "Keeps us focused", "Shares data"],
            &["", "", "Agree", "Disagree"],
        ]);
        assert_eq!(detect(&anonymous), Platform::Plain);
    }

    #[test]
    fn identifying_headers_are_recognised_by_their_words() {
        for header in [
            "Your work e-mail",
            "Contact phone",
            "Full name (optional)",
            "E-mail address",
            "Mobile number",
            "Your name",
            "Phone number",
            "What is your email?",
            "Please enter your e-mail address (optional)",
            "In what ZIP code is your home located?",
            "Postal code of your organization's main office",
            "Date of birth",
        ] {
            assert!(looks_identifying(&normalize_question(header)), "{header}");
        }
        for header in [
            "Your role",
            "Sector",
            "The backbone keeps partners informed by email and phone about the work of the initiative",
            "Name of the initiative",
            "Emails get answered.",
            "The backbone answers the phone",
            "Phone calls are returned.",
            "Our services reach every ZIP code in the county",
        ] {
            assert!(!looks_identifying(&normalize_question(header)), "{header}");
        }
        // A short statement the instrument asks is never dropped for its words.
        let asked = [normalize_question("Your phone")];
        assert!(is_identifying("your phone", &[], &[]));
        assert!(!is_identifying("your phone", &[], &asked));
        assert!(!is_identifying("the backbone your phone", &[], &asked));
    }

    #[test]
    fn platform_names_are_accepted_as_users_write_them() {
        for (name, platform) in [
            ("surveymonkey", Platform::SurveyMonkey),
            ("survey-monkey", Platform::SurveyMonkey),
            ("Survey Monkey", Platform::SurveyMonkey),
            ("google", Platform::GoogleForms),
            ("google_forms", Platform::GoogleForms),
            ("msforms", Platform::MicrosoftForms),
            ("Microsoft Forms", Platform::MicrosoftForms),
            ("qualtrics-legacy", Platform::QualtricsLegacy),
        ] {
            assert_eq!(Platform::parse(name), Some(platform), "{name}");
        }
        assert_eq!(Platform::parse("typeform"), None);
    }

    #[test]
    fn qualtrics_keys_come_from_labels_ids_and_import_ids() {
        let g = grid(&[
            &["StartDate", "Finished", "Q4_1"],
            &["Anfangsdatum", "Beendet", "The backbone - Keeps us focused"],
            &[
                "{\"ImportId\":\"startDate\"}",
                "{\"ImportId\":\"finished\"}",
                "{\"ImportId\":\"QID4_1\"}",
            ],
            &["2025-03-14 09:02:11", "1", "4"],
        ]);
        assert_eq!(detect(&g), Platform::Qualtrics);
        let e = normalise(g, &ReadOptions::default()).unwrap();
        assert_eq!(e.columns[0].role, Role::Timestamp);
        assert_eq!(e.columns[1].role, Role::Finished);
        assert_eq!(
            e.columns[2].keys,
            [
                "Keeps us focused",
                "The backbone - Keeps us focused",
                "Q4_1",
                "QID4_1"
            ]
        );
        assert_eq!(e.response_year().as_deref(), Some("2025"));
        assert_eq!(import_id("{'ImportId': 'QID2-1'}").as_deref(), Some("QID2_1"));
    }

    #[test]
    fn google_grids_and_long_format() {
        let g = grid(&[
            &["Timestamp", "Email Address", "Rate [Keeps us focused]"],
            &["3/14/2025 9:09:40", "a@b.org", "Agree"],
        ]);
        assert_eq!(detect(&g), Platform::GoogleForms);
        let e = normalise(g, &ReadOptions::default()).unwrap();
        assert_eq!(e.dropped, ["Email Address"]);
        assert_eq!(e.columns[1].keys[0], "Keeps us focused");

        let g = grid(&[
            &["respondent", "item", "value"],
            &["r1", "q1", "4"],
            &["r2", "q1", "5"],
            &["r1", "q2", "3"],
        ]);
        assert_eq!(detect(&g), Platform::Long);
        let e = normalise(g, &ReadOptions::default()).unwrap();
        assert_eq!(
            e.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>(),
            ["respondent id", "q1", "q2"]
        );
        assert_eq!(e.row(0), ["r1", "4", "3"]);
        assert_eq!(e.row(1), ["r2", "5", ""]);
        let twice = grid(&[
            &["respondent", "item", "value"],
            &["r1", "q1", "4"],
            &["r1", "q1", "5"],
        ]);
        assert!(normalise(twice, &ReadOptions::default())
            .unwrap_err()
            .to_string()
            .contains("row 3"));
    }
}
