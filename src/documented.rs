//! Every field a definition file's parser accepts is in the README's "Definition files, field
//! by field": the field names come from serde itself (the list a derived `Deserialize` hands
//! to `deserialize_struct`), so a field added to a parser and not to the reference fails here.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

/// A deserializer that records the fields a struct asks for, then stops.
struct Recorder<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for Recorder<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(de::Error::custom("recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The field names `T`'s derived `Deserialize` asks for.
fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields = None;
    let _ = T::deserialize(Recorder(&mut fields));
    fields.expect("a struct with named fields")
}

/// The field names the README documents under `heading` (to the next heading), from rows
/// `| \`field\` | ...` or, with `table`, `| table | \`field\` | ...`.
fn documented(readme: &str, heading: &str, table: Option<&str>) -> Vec<String> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("no heading {heading}"));
    let section = &readme[start + heading.len()..];
    let end = section.find("\n#").unwrap_or(section.len());
    section[..end]
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let cell = match table {
                Some(t) if cells.len() > 2 && cells[1] == t => cells[2],
                None if cells.len() > 1 => cells[1],
                _ => return None,
            };
            cell.strip_prefix('`')?.strip_suffix('`').map(String::from)
        })
        .collect()
}

/// A README section and the fields one parser accepts: (heading, table within it if the
/// section lists several, field names).
type Reference = (&'static str, Option<&'static str>, &'static [&'static str]);

/// The sections of `backbone.toml` and its tables.
fn config_references() -> Vec<Reference> {
    vec![
        (
            "### backbone.toml",
            None,
            fields_of::<crate::config::ConfigFile>(),
        ),
        ("#### `[[waves]]`", None, fields_of::<crate::config::WaveEntry>()),
        ("#### `[rules]`", None, fields_of::<crate::rules::Rules>()),
        (
            "#### `[compare]`",
            None,
            fields_of::<crate::rules::CompareRules>(),
        ),
        (
            "#### `[report]`",
            None,
            fields_of::<crate::report::ReportOptions>(),
        ),
        (
            "#### `[[report.actions]]`",
            None,
            fields_of::<crate::report::Action>(),
        ),
        (
            "#### `[weights]`",
            None,
            fields_of::<crate::weights::WeightsConfig>(),
        ),
    ]
}

/// The framework file's and the instrument file's sections, table by table.
fn framework_and_instrument_references() -> Vec<Reference> {
    vec![
        (
            "### Framework file",
            None,
            fields_of::<crate::framework::FrameworkFile>(),
        ),
        (
            "#### `[[levels]]`",
            Some("levels"),
            fields_of::<crate::framework::Level>(),
        ),
        (
            "#### `[[levels]]`",
            Some("bands"),
            fields_of::<crate::framework::Band>(),
        ),
        (
            "#### `[[levels]]`",
            Some("nodes"),
            fields_of::<crate::framework::Node>(),
        ),
        (
            "### Instrument file",
            None,
            fields_of::<crate::instrument::InstrumentFile>(),
        ),
        (
            "#### `[scales.ID]`, its",
            Some("scales"),
            fields_of::<crate::schema::ScaleFile>(),
        ),
        (
            "#### `[scales.ID]`, its",
            Some("points"),
            fields_of::<crate::instrument::ScalePoint>(),
        ),
        (
            "#### `[scales.ID]`, its",
            Some("respondents"),
            fields_of::<crate::instrument::Noun>(),
        ),
        (
            "#### `[scales.ID]`, its",
            Some("attributes"),
            fields_of::<crate::instrument::Attribute>(),
        ),
        (
            "#### `[scales.ID]`, its",
            Some("items"),
            fields_of::<crate::instrument::Item>(),
        ),
        (
            "#### `[scales.ID]`, its",
            Some("comments"),
            fields_of::<crate::comments::CommentQuestion>(),
        ),
    ]
}

/// The codebook file's and the mapping file's sections.
fn codebook_and_mapping_references() -> Vec<Reference> {
    vec![
        (
            "### Codebook file",
            None,
            fields_of::<crate::comments::codebook::CodebookFile>(),
        ),
        (
            "### Codebook file",
            None,
            fields_of::<crate::comments::codebook::ThemeFile>(),
        ),
        (
            "### Mapping file",
            Some("(top)"),
            fields_of::<crate::map::mapping::MappingFile>(),
        ),
        (
            "### Mapping file",
            Some("columns"),
            fields_of::<crate::map::mapping::Entry>(),
        ),
    ]
}

#[test]
fn every_field_a_parser_accepts_is_in_the_readme_reference() {
    let readme = include_str!("../README.md");
    let start = readme.find("## Definition files, field by field").unwrap();
    let reference = &readme[start..];
    let checks = [
        config_references(),
        framework_and_instrument_references(),
        codebook_and_mapping_references(),
    ]
    .concat();
    let mut missing = Vec::new();
    for (heading, table, fields) in checks {
        let listed = documented(reference, heading, table);
        for field in fields {
            if !listed.iter().any(|l| l == field) {
                missing.push(format!("{heading} {}: `{field}`", table.unwrap_or("")));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "accepted but not in the README:\n{}",
        missing.join("\n")
    );
}
