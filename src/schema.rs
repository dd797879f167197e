//! Plain-language errors for definition files (configs, frameworks, instruments, mappings): a
//! TOML or schema error says which field, what it expects with an example, and the line, and
//! never names a Rust type or enum (serde's "expected i64", "untagged enum ..."); and the
//! file forms that accept a value written more than one way (a code as text or number, a
//! favourable point by code or label).

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::{Error, Location};
use crate::framework::toml_position;
use crate::instrument::{AttributeOption, Scale, ScalePoint};
use crate::normalize::normalize_label;

/// A TOML error of a definition file of `kind` ("instrument file", "backbone config"...).
pub(crate) fn toml_error(kind: &str, origin: &Path, text: &str, e: &toml::de::Error) -> Error {
    let message = plain_message(e.message());
    let start = e.span().map(|s| s.start);
    let field = start
        .filter(|_| !message.contains("field `"))
        .and_then(|s| field_before(text, s));
    let section = start.and_then(|s| section_before(text, s));
    let mut what = format!("not a valid {kind}: ");
    if let Some(field) = field {
        what.push_str(&format!("field `{field}` "));
    }
    if let Some(section) = section {
        what.push_str(&format!("(in {section}) "));
    }
    what.push_str(&message);
    Error::definition(
        Location::file(origin),
        what,
        format!("Fix the TOML at {}.", toml_position(text, e.span())),
    )
}

/// What each of serde's type names expects, in the words of the file.
const EXPECTED: &[(&str, &str)] = &[
    ("a boolean", "true or false"),
    ("a string", "text in quotes (e.g. \"Funder\")"),
    ("a borrowed string", "text in quotes (e.g. \"Funder\")"),
    (
        "path string",
        "a file path in quotes (e.g. \"partners-2025.csv\")",
    ),
    ("a sequence", "a list in brackets (e.g. [4, 5])"),
    ("a map", "a table (e.g. { label = \"Strong\", at_least = 0.75 })"),
    ("f64", "a number (e.g. 0.8)"),
    ("f32", "a number (e.g. 0.8)"),
    ("i64", "a whole number (e.g. 3)"),
    ("i32", "a whole number (e.g. 3)"),
    ("u64", "a whole number of 0 or more (e.g. 240)"),
    ("u32", "a whole number of 0 or more (e.g. 240)"),
    ("usize", "a whole number of 0 or more (e.g. 5)"),
    ("u16", "a whole number of 0 or more (e.g. 5)"),
    ("u8", "a whole number of 0 or more (e.g. 5)"),
    ("option", "a value"),
];

/// What serde calls the value found, in the words of the file.
fn found(kind: &str) -> String {
    let (word, value) = match kind.split_once(' ') {
        Some((w, v)) if !w.starts_with("floating") => (w, v.trim_matches('`')),
        _ => match kind.strip_prefix("floating point ") {
            Some(v) => ("number", v.trim_matches('`')),
            None => (kind, ""),
        },
    };
    match word {
        "string" => format!("the text {value}"),
        "integer" | "number" => format!("the number {value}"),
        "boolean" => value.to_string(),
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        other => other.to_string(),
    }
}

/// serde's expectation ("i64", "struct Scale", "a string") in the file's words.
fn expected(what: &str) -> String {
    if let Some((_, plain)) = EXPECTED.iter().find(|(rust, _)| *rust == what) {
        return plain.to_string();
    }
    if what.starts_with("struct ") || what.starts_with("tuple struct ") {
        return "a table of fields (e.g. { id = \"...\", label = \"...\" })".into();
    }
    if what.starts_with("enum ") || what.starts_with("variant ") {
        return "one of the names this field accepts".into();
    }
    what.to_string()
}

/// A serde message without Rust type names.
fn plain_message(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        if let Some((got, want)) = rest.rsplit_once(", expected ") {
            return format!("expects {}, not {}", expected(want), found(got));
        }
    }
    if let Some((value, want)) = message
        .strip_prefix("unknown variant ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return format!("expects {want}, not {value}");
    }
    if message.starts_with("data did not match any variant of untagged enum") {
        return "is none of the forms it accepts: a text in quotes or a list of texts \
                (e.g. \"Backbone staff\" or [\"Funders\", \"Staff\"])"
            .into();
    }
    message.to_string()
}

/// The key whose value starts at byte `at`: the last `key =` before it, within 20 lines.
fn field_before(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at.min(text.len()))?;
    let lines: Vec<&str> = before.rsplit('\n').take(20).collect();
    lines.iter().find_map(|line| last_key(line))
}

/// The last `key =` on a line (bare or quoted key), ignoring `=` inside quotes.
fn last_key(line: &str) -> Option<String> {
    let mut in_quotes = false;
    let mut key = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '#' if !in_quotes => break,
            '=' if !in_quotes => {
                let name = line[..i].trim_end();
                let start = name
                    .rfind(|c: char| !(c.is_alphanumeric() || "_-.\"".contains(c)))
                    .map_or(0, |p| p + 1);
                let name = name[start..].trim_matches('"');
                if !name.is_empty() {
                    key = Some(name.to_string());
                }
            }
            _ => {}
        }
    }
    key
}

/// The table header (`[report]`, `[[attributes]]`) in force at byte `at`.
fn section_before(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at.min(text.len()))?;
    before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_string())
}

/// A code as a file writes it: `"0"`, `"01"` or `1`.
struct Code(String);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl Visitor<'_> for CodeVisitor {
            type Value = Code;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a code in quotes or a whole number (e.g. code = \"0\" or code = 1)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Code, E> {
                Ok(Code(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Code, E> {
                Ok(Code(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Code, E> {
                Ok(Code(v.to_string()))
            }
        }
        d.deserialize_any(CodeVisitor)
    }
}

impl<'de> Deserialize<'de> for AttributeOption {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OptionVisitor;
        impl<'de> Visitor<'de> for OptionVisitor {
            type Value = AttributeOption;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an option's label in quotes or a table with its code \
                     (e.g. \"Funder\" or { code = \"1\", label = \"Funder\" })",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AttributeOption, E> {
                Ok(AttributeOption::Label(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeOption, A::Error> {
                let (mut code, mut label) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "code" => code = Some(map.next_value::<Code>()?.0),
                        "label" => label = Some(map.next_value::<String>()?),
                        other => return Err(de::Error::unknown_field(other, &["code", "label"])),
                    }
                }
                let label = label.ok_or_else(|| de::Error::missing_field("label"))?;
                Ok(match code {
                    Some(code) => AttributeOption::Coded { code, label },
                    None => AttributeOption::Label(label),
                })
            }
        }
        d.deserialize_any(OptionVisitor)
    }
}

/// A favourable point as a scale lists it: its code (`4`) or its label (`"Too little"`).
struct PointRef(Result<i64, String>);

impl<'de> Deserialize<'de> for PointRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RefVisitor;
        impl Visitor<'_> for RefVisitor {
            type Value = PointRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a point's code or its label in quotes (e.g. 4 or \"Agree\")")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PointRef, E> {
                Ok(PointRef(Err(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PointRef, E> {
                Ok(PointRef(Ok(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PointRef, E> {
                i64::try_from(v)
                    .map(|v| PointRef(Ok(v)))
                    .map_err(|_| E::custom(format!("{v} is too large for a point's code")))
            }
        }
        d.deserialize_any(RefVisitor)
    }
}

/// A scale as an instrument file writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScaleFile {
    label: String,
    points: Vec<ScalePoint>,
    favourable: Vec<PointRef>,
    #[serde(default)]
    missing: Vec<String>,
    #[serde(default)]
    best_first: bool,
}

impl TryFrom<ScaleFile> for Scale {
    type Error = String;

    /// Favourable labels become their points' codes; codes are checked with the scale.
    fn try_from(file: ScaleFile) -> Result<Scale, String> {
        let mut favourable = Vec::new();
        for point in file.favourable {
            favourable.push(match point.0 {
                Ok(code) => code,
                Err(label) => {
                    let key = normalize_label(&label);
                    let found = file.points.iter().find(|p| normalize_label(&p.label) == key);
                    let labels: Vec<String> =
                        file.points.iter().map(|p| format!("\"{}\"", p.label)).collect();
                    found.map(|p| p.value).ok_or_else(|| {
                        format!(
                            "favourable lists \"{label}\", which is none of the scale's labels ({})",
                            labels.join(", ")
                        )
                    })?
                }
            });
        }
        Ok(Scale {
            label: file.label,
            points: file.points,
            favourable,
            missing: file.missing,
            best_first: file.best_first,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_types_become_words() {
        assert_eq!(
            plain_message("invalid type: string \"0\", expected i64"),
            "expects a whole number (e.g. 3), not the text \"0\""
        );
        assert_eq!(
            plain_message("invalid type: floating point `0.5`, expected usize"),
            "expects a whole number of 0 or more (e.g. 5), not the number 0.5"
        );
        assert_eq!(
            plain_message("invalid type: integer `3`, expected a string"),
            "expects text in quotes (e.g. \"Funder\"), not the number 3"
        );
    }

    #[test]
    fn the_field_is_the_last_key_before_the_value() {
        let text = "[[attributes]]\noptions = [{ code = 0, label = \"Male\" }]\n";
        let at = text.find("0,").unwrap();
        assert_eq!(field_before(text, at).as_deref(), Some("code"));
        assert_eq!(section_before(text, at).as_deref(), Some("[[attributes]]"));
        let text = "favourable = [\n  4,\n  true,\n]";
        assert_eq!(
            field_before(text, text.find("true").unwrap()).as_deref(),
            Some("favourable")
        );
    }
}
