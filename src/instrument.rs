//! Survey instruments as data: the questions (items) asked of partners, the answer scales, and
//! the respondent attributes, each item tied to an indicator of a framework.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::framework::{toml_position, Framework, Node};

/// One point of an answer scale.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScalePoint {
    pub value: i64,
    pub label: String,
}

/// An ordered answer scale with its favourable points and its answers that count as missing.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub label: String,
    pub points: Vec<ScalePoint>,
    pub favourable: Vec<i64>,
    #[serde(default)]
    pub missing: Vec<String>,
}

/// What one cell of an export means on a scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    /// Left empty.
    Blank,
    /// "Don't know / Not applicable" or another declared missing answer: never a score.
    NotApplicable,
    /// A point of the scale, as its value.
    Value(i64),
    /// Text that is neither a label, a code, nor a missing answer of the scale.
    Unknown,
}

impl Scale {
    pub fn min(&self) -> i64 {
        self.points.iter().map(|p| p.value).min().unwrap_or(0)
    }

    pub fn max(&self) -> i64 {
        self.points.iter().map(|p| p.value).max().unwrap_or(0)
    }

    /// Reads an answer by its label (case, spacing and curly quotes ignored) or its numeric code.
    pub fn code(&self, raw: &str) -> Answer {
        let text = normalize_label(raw);
        if text.is_empty() {
            return Answer::Blank;
        }
        if self.missing.iter().any(|m| normalize_label(m) == text) {
            return Answer::NotApplicable;
        }
        if let Some(point) = self.points.iter().find(|p| normalize_label(&p.label) == text) {
            return Answer::Value(point.value);
        }
        match text.parse::<f64>() {
            Ok(v) if v.fract() == 0.0 && self.points.iter().any(|p| p.value as f64 == v) => {
                Answer::Value(v as i64)
            }
            _ => Answer::Unknown,
        }
    }

    /// The value oriented so that higher is better: reverse-worded items are mirrored.
    pub fn oriented(&self, value: i64, reverse: bool) -> i64 {
        if reverse {
            self.min() + self.max() - value
        } else {
            value
        }
    }
}

/// Lower-case, single-spaced, straight-quoted text, for matching answer labels.
pub fn normalize_label(raw: &str) -> String {
    raw.replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A respondent attribute asked in the survey (role, sector...), used to describe and group.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    pub id: String,
    pub question: String,
    pub options: Vec<String>,
}

/// One survey question, measuring one indicator on one scale.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub indicator: String,
    pub text: String,
    pub scale: String,
    #[serde(default)]
    pub reverse: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentFile {
    id: String,
    name: String,
    framework: PathBuf,
    #[serde(default)]
    intro: Option<String>,
    scales: BTreeMap<String, Scale>,
    #[serde(default)]
    attributes: Vec<Attribute>,
    items: Vec<Item>,
}

/// A validated instrument together with the framework it measures.
#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub intro: Option<String>,
    pub scales: BTreeMap<String, Scale>,
    pub attributes: Vec<Attribute>,
    pub items: Vec<Item>,
    pub framework: Framework,
}

const BUNDLED_INSTRUMENT: &str = include_str!("../indicators/fsg-partner-survey.instrument.toml");
const BUNDLED_FRAMEWORK: &str = include_str!("../indicators/fsg-backbone.framework.toml");

impl Instrument {
    /// Reads an instrument file and the framework file it names (relative to it).
    pub fn load(path: &Path) -> Result<Instrument> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Instrument::parse(&text, path, |name| {
            let framework_path = base.join(name);
            Framework::load(&framework_path)
        })
    }

    /// The FSG partner survey shipped inside the binary, so the tool runs from any folder.
    pub fn bundled() -> Result<Instrument> {
        let origin = Path::new("indicators/fsg-partner-survey.instrument.toml");
        Instrument::parse(BUNDLED_INSTRUMENT, origin, |_| {
            Framework::parse(
                BUNDLED_FRAMEWORK,
                Path::new("indicators/fsg-backbone.framework.toml"),
            )
        })
    }

    /// Parses instrument TOML; `framework` resolves the framework path the file names.
    pub fn parse(
        text: &str,
        origin: &Path,
        framework: impl FnOnce(&Path) -> Result<Framework>,
    ) -> Result<Instrument> {
        let file: InstrumentFile = toml::from_str(text).map_err(|e| {
            Error::definition(
                Location::file(origin),
                format!("not a valid instrument file: {}", e.message()),
                format!("Fix the TOML near {}.", toml_position(text, e.span())),
            )
        })?;
        let framework = framework(&file.framework)?;
        let invalid = |what: String, fix: &str| Error::definition(Location::file(origin), what, fix);

        for (id, scale) in &file.scales {
            let values: HashSet<i64> = scale.points.iter().map(|p| p.value).collect();
            if scale.points.len() < 2 || values.len() != scale.points.len() {
                return Err(invalid(
                    format!("scale \"{id}\" needs at least two points with distinct values"),
                    "List each point once with its own value.",
                ));
            }
            if let Some(v) = scale.favourable.iter().find(|v| !values.contains(v)) {
                return Err(invalid(
                    format!("scale \"{id}\" lists favourable value {v}, which is not one of its points"),
                    "Use values from the scale's points in favourable.",
                ));
            }
        }

        let mut ids = HashSet::new();
        let mut texts = HashSet::new();
        for item in &file.items {
            if !ids.insert(item.id.as_str()) {
                return Err(invalid(
                    format!("item id \"{}\" is used twice", item.id),
                    "Give every [[items]] entry a unique id.",
                ));
            }
            if !texts.insert(normalize_label(&item.text)) {
                return Err(invalid(
                    format!("item \"{}\" repeats the text of another item", item.id),
                    "Item texts become column headers and must differ.",
                ));
            }
            if framework.node(&item.indicator).is_none() {
                return Err(invalid(
                    format!(
                        "item \"{}\" measures indicator \"{}\", which framework \"{}\" does not define",
                        item.id, item.indicator, framework.id
                    ),
                    "Use an indicator id from the framework file.",
                ));
            }
            if !file.scales.contains_key(&item.scale) {
                return Err(invalid(
                    format!(
                        "item \"{}\" uses scale \"{}\", which is not defined",
                        item.id, item.scale
                    ),
                    "Define the scale under [scales] or use one that is.",
                ));
            }
        }
        if file.items.is_empty() {
            return Err(invalid(
                "the instrument has no items".into(),
                "Add [[items]] entries.",
            ));
        }

        Ok(Instrument {
            id: file.id,
            name: file.name,
            intro: file.intro,
            scales: file.scales,
            attributes: file.attributes,
            items: file.items,
            framework,
        })
    }

    pub fn scale_of(&self, item: &Item) -> &Scale {
        &self.scales[&item.scale]
    }

    /// The framework nodes an item counts towards: its indicator and every ancestor.
    pub fn nodes_of(&self, item: &Item) -> Vec<&Node> {
        self.framework.ancestry(&item.indicator).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAMEWORK: &str = r#"
id = "f"
name = "F"
source = "test"
headline_level = "function"
levels = [{ id = "function", label = "Function", plural = "Functions" }, { id = "indicator", label = "Indicator", plural = "Indicators" }]
nodes = [
  { id = "fn", level = "function", label = "A function" },
  { id = "fn.one", level = "indicator", parent = "fn", label = "An indicator" },
]
"#;

    fn instrument(items: &str) -> Result<Instrument> {
        let text = format!(
            r#"
id = "i"
name = "I"
framework = "f.toml"
[scales.agree]
label = "Agreement"
points = [{{ value = 1, label = "No" }}, {{ value = 2, label = "Yes" }}]
favourable = [2]
missing = ["N/A"]
{items}
"#
        );
        Instrument::parse(&text, Path::new("i.toml"), |_| {
            Framework::parse(FRAMEWORK, Path::new("f.toml"))
        })
    }

    fn rejected(items: &str, needle: &str) {
        let err = instrument(items).expect_err("must be rejected").to_string();
        assert!(err.starts_with("i.toml: ") && err.contains(needle), "{err}");
    }

    #[test]
    fn a_valid_instrument_loads_and_codes_answers() {
        let i = instrument("[[items]]\nid = \"q1\"\nindicator = \"fn.one\"\ntext = \"Q one.\"\nscale = \"agree\"\nreverse = true")
            .unwrap();
        let scale = i.scale_of(&i.items[0]);
        assert_eq!(scale.code(" yes "), Answer::Value(2));
        assert_eq!(scale.code("2"), Answer::Value(2));
        assert_eq!(scale.code("n/a"), Answer::NotApplicable);
        assert_eq!(scale.code(""), Answer::Blank);
        assert_eq!(scale.code("Maybe"), Answer::Unknown);
        assert_eq!(scale.code("3"), Answer::Unknown);
        assert_eq!(scale.oriented(2, true), 1);
        assert_eq!(
            i.nodes_of(&i.items[0])
                .iter()
                .map(|n| n.id.as_str())
                .collect::<Vec<_>>(),
            ["fn.one", "fn"]
        );
    }

    #[test]
    fn unknown_indicators_duplicate_ids_and_undefined_scales_are_rejected() {
        let item = |id: &str, indicator: &str, text: &str, scale: &str| {
            format!("[[items]]\nid = \"{id}\"\nindicator = \"{indicator}\"\ntext = \"{text}\"\nscale = \"{scale}\"\n")
        };
        rejected(
            &item("q1", "fn.two", "Q one.", "agree"),
            "measures indicator \"fn.two\", which framework \"f\" does not define",
        );
        rejected(
            &(item("q1", "fn.one", "Q one.", "agree") + &item("q1", "fn.one", "Q two.", "agree")),
            "item id \"q1\" is used twice",
        );
        rejected(
            &(item("q1", "fn.one", "Q one.", "agree") + &item("q2", "fn.one", "q  ONE.", "agree")),
            "repeats the text",
        );
        rejected(
            &item("q1", "fn.one", "Q one.", "likert7"),
            "uses scale \"likert7\", which is not defined",
        );
        rejected("", "missing field `items`");
        rejected(
            &item("q1", "fn.one", "Q one.", "agree").replace("scale = ", "scael = "),
            "unknown field `scael`",
        );
    }

    #[test]
    fn framework_errors_name_the_problem() {
        let bad_parent = FRAMEWORK.replace("parent = \"fn\"", "parent = \"nope\"");
        let err = Framework::parse(&bad_parent, Path::new("f.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("names parent \"nope\", which does not exist"),
            "{err}"
        );
        let bad_level = FRAMEWORK.replace("level = \"indicator\", parent", "level = \"outcome\", parent");
        let err = Framework::parse(&bad_level, Path::new("f.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("has level \"outcome\", which is not declared"),
            "{err}"
        );
        let twice = FRAMEWORK.replace("id = \"fn.one\"", "id = \"fn\"");
        let err = Framework::parse(&twice, Path::new("f.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("node id \"fn\" is used twice"), "{err}");
        let cycle = FRAMEWORK.replace(
            "{ id = \"fn\", level = \"function\", label = \"A function\" }",
            "{ id = \"fn\", level = \"function\", label = \"A function\", parent = \"fn.one\" }",
        );
        let err = Framework::parse(&cycle, Path::new("f.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("its own ancestor"), "{err}");
    }

    #[test]
    fn the_bundled_instrument_loads() {
        let i = Instrument::bundled().unwrap();
        assert_eq!(i.framework.nodes_at("function").count(), 6);
        assert_eq!(i.framework.nodes_at("outcome").count(), 3);
        assert_eq!(i.framework.nodes_at("indicator").count(), 39);
        assert_eq!(i.items.len(), 45);
        assert_eq!(i.items.iter().filter(|it| it.reverse).count(), 5);
    }
}
