//! Survey instruments as data: the questions (items) asked of partners, the answer scales, and
//! the respondent attributes, each item tied to an indicator of a framework.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::framework::{check_id, Framework, Node, Polarity, ID_FIX};
use crate::normalize::normalize_label;

/// One point of an answer scale.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScalePoint {
    pub value: i64,
    pub label: String,
    /// Other wordings of this point that exports use ("Agree strongly").
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// An ordered answer scale with its favourable points and its answers that count as missing.
/// Its file form lists favourable points by code or label (`crate::schema`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(try_from = "crate::schema::ScaleFile")]
pub struct Scale {
    pub label: String,
    pub points: Vec<ScalePoint>,
    /// The favourable points, by their codes as declared.
    pub favourable: Vec<i64>,
    pub missing: Vec<String>,
    /// The codes run best-first (1 = "Great" ... 3 = "Awful"): they are mirrored when read, so
    /// that a higher score is better, and every point keeps its own label.
    pub best_first: bool,
}

/// One point of a scale as the reports show it: oriented so that higher is better.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrientedPoint {
    /// The value scored (best-first scales mirrored).
    pub value: i64,
    /// The label respondents saw.
    pub label: String,
    /// A favourable answer.
    pub favourable: bool,
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
        let named = |p: &&ScalePoint| {
            normalize_label(&p.label) == text || p.aliases.iter().any(|a| normalize_label(a) == text)
        };
        if let Some(point) = self.points.iter().find(named) {
            return Answer::Value(point.value);
        }
        match text.parse::<f64>() {
            Ok(v) if v.fract() == 0.0 && self.points.iter().any(|p| p.value as f64 == v) => {
                Answer::Value(v as i64)
            }
            _ => Answer::Unknown,
        }
    }

    fn mirror(&self, value: i64) -> i64 {
        self.min() + self.max() - value
    }

    /// A declared code oriented so that higher is better: reverse-worded items and best-first
    /// scales are mirrored (both at once cancel out).
    pub fn oriented(&self, value: i64, reverse: bool) -> i64 {
        if reverse != self.best_first {
            self.mirror(value)
        } else {
            value
        }
    }

    /// The declared code at an oriented position of the scale (a best-first scale's mirror).
    fn declared(&self, oriented: i64) -> i64 {
        if self.best_first {
            self.mirror(oriented)
        } else {
            oriented
        }
    }

    /// Whether an oriented value is a favourable point; `lower_is_better` takes the mirror
    /// image of the favourable points (the low end of the scale is then the good one).
    pub fn is_favourable(&self, oriented: i64, lower_is_better: bool) -> bool {
        let position = if lower_is_better {
            self.mirror(oriented)
        } else {
            oriented
        };
        self.favourable.contains(&self.declared(position))
    }

    /// The label of an oriented value.
    pub fn label_of(&self, oriented: i64) -> Option<&str> {
        let code = self.declared(oriented);
        self.points
            .iter()
            .find(|p| p.value == code)
            .map(|p| p.label.as_str())
    }

    /// The points lowest oriented value first, with their labels and whether favourable.
    pub fn oriented_points(&self, lower_is_better: bool) -> Vec<OrientedPoint> {
        let mut values: Vec<i64> = self.points.iter().map(|p| self.declared(p.value)).collect();
        values.sort_unstable();
        values
            .into_iter()
            .map(|v| OrientedPoint {
                value: v,
                label: self.label_of(v).unwrap_or_default().to_string(),
                favourable: self.is_favourable(v, lower_is_better),
            })
            .collect()
    }

    /// "0–10": the range of scores on this scale.
    pub fn range_text(&self) -> String {
        format!("{}–{}", self.min(), self.max())
    }
}

/// One option of a respondent attribute: its label, and the code an export may hold instead
/// (written `code = 1` or `code = "01"`; read in `crate::schema`).
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeOption {
    Label(String),
    Coded { code: String, label: String },
}

impl AttributeOption {
    pub fn label(&self) -> &str {
        match self {
            AttributeOption::Label(l) | AttributeOption::Coded { label: l, .. } => l,
        }
    }

    /// Whether a cell names this option, by its label or its code.
    pub fn matches(&self, cell: &str) -> bool {
        let key = normalize_label(cell);
        normalize_label(self.label()) == key
            || matches!(self, AttributeOption::Coded { code, .. } if same_code(code, cell))
    }
}

/// Whether a cell holds a declared code: as text (case and spaces ignored), or as the same
/// number ("1" and "1.0").
fn same_code(code: &str, cell: &str) -> bool {
    let (code, cell) = (code.trim(), cell.trim());
    code.eq_ignore_ascii_case(cell)
        || matches!((code.parse::<f64>(), cell.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
}

/// A respondent attribute asked in the survey (role, sector...), used to describe and group.
/// Groups are shown in the order of the options.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    pub id: String,
    pub question: String,
    pub options: Vec<AttributeOption>,
    /// What the reports call the attribute ("Role"); its id when not given.
    #[serde(default)]
    pub label: Option<String>,
    /// A question about a framework node rather than the respondent (e.g. "who holds this
    /// capacity today?"): never a breakdown; the reports show how it was answered beside the
    /// node.
    #[serde(default)]
    pub about: Option<String>,
    /// The node property shown beside the answers (e.g. "likely_holders": what the source
    /// document suggests).
    #[serde(default)]
    pub beside: Option<String>,
    /// The option whose respondents rate their own work (e.g. "Backbone staff"): the reports
    /// show its gap against everyone else.
    #[serde(default)]
    pub self_rating: Option<String>,
}

impl Attribute {
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }

    /// The option a cell names, by label or code.
    pub fn option(&self, cell: &str) -> Option<&str> {
        self.options.iter().find(|o| o.matches(cell)).map(|o| o.label())
    }

    /// Position of a group in the declared order (options first, anything else after).
    pub fn rank(&self, group: &str) -> usize {
        self.options
            .iter()
            .position(|o| o.label() == group)
            .unwrap_or(self.options.len())
    }
}

/// One survey question, measuring one indicator on one scale, or the overall rating.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    /// The node the item measures (any level); empty for an overall item.
    #[serde(default)]
    pub indicator: String,
    /// The respondent's overall rating (of the backbone): tied to no node, scored as an item
    /// and the outcome of the key-driver analysis (see [`crate::drivers`]).
    #[serde(default)]
    pub overall: bool,
    /// The framework of that node, when the instrument names several (default: any).
    #[serde(default)]
    pub framework: Option<String>,
    pub text: String,
    pub scale: String,
    #[serde(default)]
    pub reverse: bool,
    /// The question's number as the survey platform or the printed questionnaire names it
    /// ("Q12", "A1", Qualtrics' `Q3_1` or its ImportId `QID3_1`): a column whose header or
    /// platform id is this code holds the item, whatever its text.
    #[serde(default)]
    pub code: Option<String>,
    /// The reader the item speaks of ("funders", "the backbone"): the brief surfaces it for them.
    #[serde(default)]
    pub audience: Option<String>,
}

impl Item {
    /// Whether the item declares `name` as its code (case and surrounding spaces ignored).
    pub fn has_code(&self, name: &str) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| c.trim().eq_ignore_ascii_case(name.trim()))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InstrumentFile {
    id: String,
    name: String,
    /// One framework file, or several in `frameworks` (the first is the primary).
    #[serde(default)]
    framework: Option<PathBuf>,
    #[serde(default)]
    frameworks: Vec<PathBuf>,
    #[serde(default)]
    intro: Option<String>,
    #[serde(default)]
    respondents: Option<Noun>,
    scales: BTreeMap<String, Scale>,
    #[serde(default)]
    attributes: Vec<Attribute>,
    items: Vec<Item>,
    #[serde(default)]
    comments: Vec<crate::comments::CommentQuestion>,
}

/// A noun in its two numbers, as the reports use it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Noun {
    /// Singular ("partner").
    pub one: String,
    /// Plural ("partners").
    pub many: String,
}

impl Default for Noun {
    fn default() -> Self {
        Noun {
            one: "respondent".into(),
            many: "respondents".into(),
        }
    }
}

impl Noun {
    /// "1 partner", "165 partners".
    pub fn count(&self, n: usize) -> String {
        format!("{n} {}", if n == 1 { &self.one } else { &self.many })
    }
}

/// A validated instrument together with the framework it measures.
#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub intro: Option<String>,
    /// Who answers ("partner" / "partners"), for the reports' wording.
    pub respondents: Noun,
    pub scales: BTreeMap<String, Scale>,
    pub attributes: Vec<Attribute>,
    pub items: Vec<Item>,
    /// The open questions, their codebook paths resolved beside the instrument file.
    pub comments: Vec<crate::comments::CommentQuestion>,
    pub framework: Framework,
    /// The bundled FSG partner survey, scored because no instrument was named: messages say so,
    /// since an export of another survey then fails for want of `instrument =`.
    pub bundled_default: bool,
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
    /// Used when no instrument is named (marked [`Instrument::bundled_default`]).
    pub fn bundled() -> Result<Instrument> {
        let origin = Path::new("indicators/fsg-partner-survey.instrument.toml");
        let mut instrument = Instrument::parse(BUNDLED_INSTRUMENT, origin, |_| {
            Framework::parse(
                BUNDLED_FRAMEWORK,
                Path::new("indicators/fsg-backbone.framework.toml"),
            )
        })?;
        instrument.bundled_default = true;
        Ok(instrument)
    }

    /// How messages name it: `instrument "id"`, or the bundled default with why it was used.
    pub fn described(&self) -> String {
        if self.bundled_default {
            format!(
                "the bundled {} (\"{}\"; no `instrument` in backbone.toml or --instrument)",
                self.name, self.id
            )
        } else {
            format!("instrument \"{}\"", self.id)
        }
    }

    /// The fix to add to a message that this export does not fit the instrument.
    pub fn naming_fix(&self) -> &'static str {
        if self.bundled_default {
            " If this export is of your own survey, name its instrument: `instrument = \"my-survey.instrument.toml\"` in backbone.toml, or --instrument (`backbone init --new` writes one from the export)."
        } else {
            ""
        }
    }

    /// Parses instrument TOML; `framework` resolves the framework path the file names.
    pub fn parse(
        text: &str,
        origin: &Path,
        framework: impl FnMut(&Path) -> Result<Framework>,
    ) -> Result<Instrument> {
        let file: InstrumentFile = toml::from_str(text)
            .map_err(|e| crate::schema::toml_error("instrument file", origin, text, &e))?;
        let invalid = |(what, fix): Problem| Error::definition(Location::file(origin), what, fix);
        let framework = load_frameworks(&file, framework)?.map_err(invalid)?;
        check_ids(&file).map_err(invalid)?;
        for (id, scale) in &file.scales {
            check_scale(id, scale).map_err(invalid)?;
        }
        check_items(&framework, &file).map_err(invalid)?;
        check_attributes(&framework, &file.attributes).map_err(invalid)?;
        check_item_scales(&framework, &file).map_err(invalid)?;
        let base = origin.parent().unwrap_or(Path::new(""));
        let comments = crate::comments::resolve(file.comments, base).map_err(invalid)?;
        Ok(Instrument {
            comments,
            id: file.id,
            name: file.name,
            intro: file.intro,
            respondents: file.respondents.unwrap_or_default(),
            scales: file.scales,
            attributes: file.attributes,
            items: file.items,
            framework,
            bundled_default: false,
        })
    }

    /// The item whose declared code is one of a column's platform `ids` or its `header`.
    pub fn coded_item(&self, ids: &[String], header: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|i| ids.iter().any(|id| i.has_code(id)) || i.has_code(header))
    }

    pub fn scale_of(&self, item: &Item) -> &Scale {
        &self.scales[&item.scale]
    }

    /// Whether an item's oriented answer is favourable, by its scale and its node's direction.
    pub fn is_favourable(&self, item: &Item, oriented: i64) -> bool {
        let lower = self.framework.polarity(&item.indicator) == Polarity::LowerIsBetter;
        self.scale_of(item).is_favourable(oriented, lower)
    }

    /// The id of the framework an item's node comes from.
    pub fn member_of(&self, item: &Item) -> &str {
        self.framework
            .node(&item.indicator)
            .map_or("", |n| n.framework.as_str())
    }

    /// The items that count towards a node (its own and its descendants'), in file order.
    pub fn items_under(&self, node: &str) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| self.nodes_of(i).iter().any(|n| n.id == node))
            .collect()
    }

    /// The framework nodes an item counts towards: its indicator and every ancestor.
    pub fn nodes_of(&self, item: &Item) -> Vec<&Node> {
        self.framework.ancestry(&item.indicator).unwrap_or_default()
    }
}

/// What is wrong with an instrument file, and what to do about it.
type Problem = (String, &'static str);

/// Loads the frameworks the instrument names (errors reading them are the framework's own) and
/// combines them; the inner result is a problem with the instrument itself.
fn load_frameworks(
    file: &InstrumentFile,
    mut framework: impl FnMut(&Path) -> Result<Framework>,
) -> Result<std::result::Result<Framework, Problem>> {
    let paths: Vec<&PathBuf> = file.framework.iter().chain(&file.frameworks).collect();
    if paths.is_empty() {
        return Ok(Err((
            "the instrument names no framework".into(),
            "Add framework = \"<file>.framework.toml\" (or frameworks = [...] for several).",
        )));
    }
    let mut loaded = Vec::new();
    for path in paths {
        loaded.push(framework(path)?);
    }
    Ok(Framework::combine(loaded).map_err(|what| {
        (
            what,
            "Node ids must differ across the frameworks an instrument combines.",
        )
    }))
}

fn check_ids(file: &InstrumentFile) -> std::result::Result<(), Problem> {
    let ids = std::iter::once(("instrument", &file.id))
        .chain(file.scales.keys().map(|id| ("scale", id)))
        .chain(file.items.iter().map(|i| ("item", &i.id)))
        .chain(file.attributes.iter().map(|a| ("attribute", &a.id)))
        .chain(file.comments.iter().map(|c| ("comment", &c.id)));
    for (kind, id) in ids {
        check_id(kind, id).map_err(|what| (what, ID_FIX))?;
    }
    Ok(())
}

fn check_scale(id: &str, scale: &Scale) -> std::result::Result<(), Problem> {
    let values: HashSet<i64> = scale.points.iter().map(|p| p.value).collect();
    if scale.points.len() < 2 || values.len() != scale.points.len() {
        return Err((
            format!("scale \"{id}\" needs at least two points with distinct values"),
            "List each point once with its own value.",
        ));
    }
    if scale.points.len() > 11 {
        return Err((
            format!(
                "scale \"{id}\" has {} points; at most 11 are supported",
                scale.points.len()
            ),
            "Use a scale of 2 to 11 points.",
        ));
    }
    if let Some(p) = scale.points.iter().find(|p| p.label.trim().is_empty()) {
        return Err((
            format!("scale \"{id}\": point {} has no label", p.value),
            "Give every point the label respondents saw (\"Strongly agree\", \"Never\"...).",
        ));
    }
    if scale.favourable.is_empty() {
        return Err((
            format!("scale \"{id}\" has no favourable points"),
            "List in favourable the codes of the points that count as a good answer.",
        ));
    }
    if let Some(v) = scale.favourable.iter().find(|v| !values.contains(v)) {
        return Err((
            format!("scale \"{id}\" lists favourable value {v}, which is not one of its points"),
            "Use values from the scale's points in favourable.",
        ));
    }
    Ok(())
}

/// Every item once, with a code and text of its own, on a defined scale, under a node.
fn check_items(framework: &Framework, file: &InstrumentFile) -> std::result::Result<(), Problem> {
    if file.items.is_empty() {
        return Err(("the instrument has no items".into(), "Add [[items]] entries."));
    }
    let mut ids = HashSet::new();
    let mut codes: BTreeMap<String, &str> = BTreeMap::new();
    let mut texts: BTreeMap<String, &Item> = BTreeMap::new();
    for item in &file.items {
        if !ids.insert(item.id.as_str()) {
            return Err((
                format!("item id \"{}\" is used twice", item.id),
                "Give every [[items]] entry a unique id.",
            ));
        }
        check_code(item, &mut codes)?;
        // Two items may share a text (two matrices listing the same statement) only when
        // codes tell their columns apart.
        if let Some(other) = texts.insert(normalize_label(&item.text), item) {
            if item.code.is_none() || other.code.is_none() {
                return Err((
                    format!("items \"{}\" and \"{}\" have the same text", other.id, item.id),
                    "Item texts are matched to column headers, so they must differ, unless each item declares the code of its column (code = \"Q3_1\").",
                ));
            }
        }
        check_item_node(framework, item)?;
        if !file.scales.contains_key(&item.scale) {
            return Err((
                format!(
                    "item \"{}\" uses scale \"{}\", which is not defined",
                    item.id, item.scale
                ),
                "Define the scale under [scales] or use one that is.",
            ));
        }
    }
    Ok(())
}

/// An item's code, when it has one, is not empty and names no other item's column.
fn check_code<'a>(item: &'a Item, codes: &mut BTreeMap<String, &'a str>) -> std::result::Result<(), Problem> {
    let Some(code) = &item.code else { return Ok(()) };
    if code.trim().is_empty() {
        return Err((
            format!("item \"{}\" has an empty code", item.id),
            "Give the question number its columns carry (code = \"Q12\"), or remove code.",
        ));
    }
    if let Some(other) = codes.insert(code.trim().to_lowercase(), &item.id) {
        return Err((
            format!("items \"{other}\" and \"{}\" both have code \"{code}\"", item.id),
            "A code names one question's column: give each item its own.",
        ));
    }
    Ok(())
}

fn check_attributes(framework: &Framework, attributes: &[Attribute]) -> std::result::Result<(), Problem> {
    let Some(a) = attributes
        .iter()
        .find(|a| a.about.as_ref().is_some_and(|n| framework.node(n).is_none()))
    else {
        return Ok(());
    };
    Err((
        format!(
            "attribute \"{}\" is about node \"{}\", which no framework of the instrument defines",
            a.id,
            a.about.as_deref().unwrap_or_default()
        ),
        "Use a node id from the framework files.",
    ))
}

/// The items under each node can be mirrored and averaged: one range per node.
fn check_item_scales(framework: &Framework, file: &InstrumentFile) -> std::result::Result<(), Problem> {
    refuse_unmirrorable_scales(framework, &file.items, &file.scales).map_err(|what| {
        (
            what,
            "Number the scale's points symmetrically (1 to 5, 0 to 10, or any codes whose mirror images are codes too), or keep reverse-worded items, best_first and lower-is-better nodes off it.",
        )
    })?;
    refuse_mixed_scales(framework, &file.items, &file.scales).map_err(|what| {
        (
            what,
            "A node's score is the mean of its items, so they must share a range: put items on different scales under different nodes, or ask them on one scale.",
        )
    })
}

/// An item's node: declared by the framework it names, or none for an overall item.
fn check_item_node(framework: &Framework, item: &Item) -> std::result::Result<(), (String, &'static str)> {
    if item.overall {
        if item.indicator.is_empty() {
            return Ok(());
        }
        return Err((
            format!(
                "item \"{}\" is an overall item (overall = true) but measures indicator \"{}\"",
                item.id, item.indicator
            ),
            "An overall item is tied to no node: remove its indicator, or remove overall = true.",
        ));
    }
    if item.indicator.is_empty() {
        return Err((
            format!("item \"{}\" names no indicator", item.id),
            "Give the node it measures (indicator = \"<node id>\"), or mark the overall rating overall = true.",
        ));
    }
    let Some(node) = framework.node(&item.indicator) else {
        return Err((
            format!(
                "item \"{}\" measures indicator \"{}\", which framework \"{}\" does not define",
                item.id, item.indicator, framework.id
            ),
            "Use an indicator id from the framework file.",
        ));
    };
    match &item.framework {
        Some(wanted) if node.framework != *wanted => Err((
            format!(
                "item \"{}\" says framework \"{wanted}\", but node \"{}\" belongs to framework \"{}\"",
                item.id, item.indicator, node.framework
            ),
            "Correct the item's framework or indicator.",
        )),
        _ => Ok(()),
    }
}

/// The first scale that is mirrored (best-first, holding a reverse-worded item or an item under
/// a lower-is-better node) although the mirror image of one of its codes (min + max − code) is
/// not a code: that answer would be scored, counted and labelled off the scale's points.
fn refuse_unmirrorable_scales(
    framework: &Framework,
    items: &[Item],
    scales: &BTreeMap<String, Scale>,
) -> std::result::Result<(), String> {
    for (id, scale) in scales {
        let values: Vec<i64> = scale.points.iter().map(|p| p.value).collect();
        let Some(&code) = values.iter().find(|&&v| !values.contains(&scale.mirror(v))) else {
            continue;
        };
        let on_scale = || items.iter().filter(|i| i.scale == *id);
        let why = if scale.best_first {
            "it is best_first".to_string()
        } else if let Some(item) = on_scale().find(|i| i.reverse) {
            format!("item \"{}\" on it is reverse-worded", item.id)
        } else if let Some(item) =
            on_scale().find(|i| framework.polarity(&i.indicator) == Polarity::LowerIsBetter)
        {
            format!("item \"{}\" on it measures a lower-is-better node", item.id)
        } else {
            continue;
        };
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let codes: Vec<String> = sorted.iter().map(i64::to_string).collect();
        return Err(format!(
            "scale \"{id}\" must be mirrored because {why}, but its codes {} are not symmetric: the mirror image of {code} would be {}, which is not one of them",
            codes.join(", "),
            scale.mirror(code)
        ));
    }
    Ok(())
}

/// The first node whose items sit on scales of different ranges, named with its items.
fn refuse_mixed_scales(
    framework: &Framework,
    items: &[Item],
    scales: &BTreeMap<String, Scale>,
) -> std::result::Result<(), String> {
    for node in &framework.nodes {
        let under: Vec<&Item> = items
            .iter()
            .filter(|i| {
                framework
                    .ancestry(&i.indicator)
                    .unwrap_or_default()
                    .iter()
                    .any(|n| n.id == node.id)
            })
            .collect();
        let Some(first) = under.first() else { continue };
        let range = |i: &Item| scales.get(&i.scale).map(|s| (s.min(), s.max()));
        if let Some(other) = under.iter().find(|i| range(i) != range(first)) {
            let describe = |i: &Item| {
                let s = &scales[&i.scale];
                format!("\"{}\" on {} ({})", i.id, s.label, s.range_text())
            };
            return Err(format!(
                "node \"{}\" would average items on different scales: {} and {}",
                node.id,
                describe(first),
                describe(other)
            ));
        }
    }
    Ok(())
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
            "have the same text",
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
    fn codes_are_unique_and_let_items_share_a_text() {
        let item = |id: &str, text: &str, code: Option<&str>| {
            let code = code.map_or(String::new(), |c| format!("code = \"{c}\"\n"));
            format!("[[items]]\nid = \"{id}\"\n{code}indicator = \"fn.one\"\ntext = \"{text}\"\nscale = \"agree\"\n")
        };
        let shared = item("q3", "Squash", Some("Q3_1")) + &item("q4", "Squash", Some("Q4_1"));
        let i = instrument(&shared).unwrap();
        assert!(i.items[1].has_code("q4_1") && !i.items[1].has_code("Q3_1"));
        rejected(
            &(item("q3", "Squash", Some("Q3_1")) + &item("q4", "Squash", None)),
            "items \"q3\" and \"q4\" have the same text",
        );
        rejected(
            &(item("q3", "Squash", Some("Q3_1")) + &item("q4", "Melon", Some("q3_1"))),
            "items \"q3\" and \"q4\" both have code \"q3_1\"",
        );
        rejected(&item("q3", "Squash", Some(" ")), "item \"q3\" has an empty code");
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
        assert_eq!(i.items.len(), 46);
        assert_eq!(i.items.iter().filter(|it| it.overall).count(), 1);
        assert_eq!(i.items.iter().filter(|it| it.reverse).count(), 5);
    }
}
