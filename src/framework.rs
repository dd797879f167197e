//! Frameworks as data: a hierarchy of named levels (function, outcome, indicator, ...) read from
//! a TOML file in `indicators/`. Nothing about any particular framework is known to the code.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// One level of a framework's hierarchy, e.g. "function" or "indicator".
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Stable id ("function").
    pub id: String,
    /// Singular name ("Function").
    pub label: String,
    /// Plural name ("Functions").
    pub plural: String,
}

/// An interpretive band of scores ("Strength", "Borderline", "Concern"): a score is in the
/// first band whose lower bound it reaches. Bounds are shares of the scale's range (0 = its
/// worst point, 1 = its best), so one set of bands reads any scale.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Its name ("Strength").
    pub label: String,
    /// Its lower bound, a share of the scale's range (0.75).
    pub at_least: f64,
}

impl Band {
    /// Strength from 75% of the range, Borderline from 50%, Concern below: a convention
    /// of collaboration inventories, not a validated norm.
    pub fn conventional() -> Vec<Band> {
        [("Strength", 0.75), ("Borderline", 0.5), ("Concern", 0.0)]
            .map(|(label, at_least)| Band {
                label: label.into(),
                at_least,
            })
            .to_vec()
    }

    /// The band of a position (0 worst … 1 best) among bands ordered highest first.
    pub fn of(bands: &[Band], position: f64) -> Option<&Band> {
        bands.iter().find(|b| position >= b.at_least - 1e-12)
    }
}

/// Which way is better for a node's score. Declared on a node, it holds for everything under
/// it; a child cannot differ from its parent, since a parent averages its children.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    #[default]
    HigherIsBetter,
    LowerIsBetter,
}

/// A descriptive fact about a node as its source document states it: one text or a list.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Property {
    One(String),
    Many(Vec<String>),
}

impl Property {
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Property::One(t) => vec![t.as_str()],
            Property::Many(ts) => ts.iter().map(String::as_str).collect(),
        }
    }
}

/// One element of the framework: a function, an outcome, an indicator, a competency...
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    pub level: String,
    pub label: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub activities: Vec<String>,
    /// Short markers from the source ("trait", "trainable"...).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Further facts from the source (likely holders, from/to of a shift...), by key.
    #[serde(default)]
    pub properties: BTreeMap<String, Property>,
    /// `None`: as its parent (top-level nodes: higher is better).
    #[serde(default)]
    pub direction: Option<Polarity>,
    /// The id of the framework (file) the node comes from.
    #[serde(skip)]
    pub framework: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrameworkFile {
    id: String,
    name: String,
    #[serde(default)]
    title: Option<String>,
    source: String,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    bands: Vec<Band>,
    headline_level: String,
    levels: Vec<Level>,
    nodes: Vec<Node>,
}

/// One framework file of a combination: what the reports cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Stable id.
    pub id: String,
    /// Name as shown.
    pub name: String,
    /// The source document it was encoded from.
    pub source: String,
}

/// A validated framework: unique ids, declared levels, parents that exist, no cycles.
#[derive(Debug, Clone)]
pub struct Framework {
    pub id: String,
    pub name: String,
    /// What the reports are called ("Backbone effectiveness"); the name when not given.
    pub title: String,
    pub source: String,
    /// Ambiguities of the source document and the choices made in encoding it.
    pub notes: Option<String>,
    /// Interpretive bands, highest first (the conventional ones when the file gives none).
    pub bands: Vec<Band>,
    /// The frameworks combined here, the primary first (just this one when read from a file).
    pub members: Vec<Member>,
    /// The level charted as the headline (trend chart, scorecard).
    pub headline_level: String,
    pub levels: Vec<Level>,
    /// Nodes in file order, which is the order used in every output.
    pub nodes: Vec<Node>,
    index: HashMap<String, usize>,
}

impl Framework {
    /// Reads and validates a framework file.
    pub fn load(path: &Path) -> Result<Framework> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Framework::parse(&text, path)
    }

    /// Parses framework TOML; `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Framework> {
        let file: FrameworkFile = toml::from_str(text)
            .map_err(|e| crate::schema::toml_error("framework file", origin, text, &e))?;
        let invalid = |(what, fix): Problem| Error::definition(Location::file(origin), what, fix);
        check_ids(&file).map_err(invalid)?;
        let index = check_nodes(&file).map_err(invalid)?;
        let bands = check_bands(&file).map_err(invalid)?;
        let framework = Framework::assemble(file, bands, index);
        framework.check_tree().map_err(invalid)?;
        Ok(framework)
    }

    fn assemble(file: FrameworkFile, bands: Vec<Band>, index: HashMap<String, usize>) -> Framework {
        let mut nodes = file.nodes;
        for node in &mut nodes {
            node.framework = file.id.clone();
        }
        Framework {
            bands,
            members: vec![Member {
                id: file.id.clone(),
                name: file.name.clone(),
                source: file.source.clone(),
            }],
            id: file.id,
            title: file.title.unwrap_or_else(|| file.name.clone()),
            name: file.name,
            notes: file.notes,
            source: file.source,
            headline_level: file.headline_level,
            levels: file.levels,
            nodes,
            index,
        }
    }

    /// No cycle of parents, and every node points the way its parent does.
    fn check_tree(&self) -> std::result::Result<(), Problem> {
        if let Some(node) = self.nodes.iter().find(|n| self.ancestry(&n.id).is_none()) {
            return Err((
                format!("node \"{}\" is its own ancestor (a cycle of parents)", node.id),
                "Break the cycle in the parent fields.",
            ));
        }
        for node in &self.nodes {
            let parent = node.parent.as_deref().and_then(|p| self.node(p));
            if let (Some(own), Some(parent)) = (node.direction, parent) {
                if own != self.polarity(&parent.id) {
                    return Err((
                        format!(
                            "node \"{}\" says {} but its parent \"{}\" says {}",
                            node.id,
                            own.phrase(),
                            parent.id,
                            self.polarity(&parent.id).phrase()
                        ),
                        "A node averages its parts, so they must point the same way: declare direction on the top-level node, or reverse-word the items instead.",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Several frameworks scored together: the first is the primary (its title, headline level
    /// and bands), the others add their levels and nodes. Node ids must be unique across them,
    /// and a level id shared by two must mean the same.
    pub fn combine(frameworks: Vec<Framework>) -> std::result::Result<Framework, String> {
        let mut all = frameworks.into_iter();
        let Some(mut combined) = all.next() else {
            return Err("no framework is named".into());
        };
        for other in all {
            for level in other.levels {
                match combined.levels.iter().find(|l| l.id == level.id) {
                    Some(same) if *same == level => {}
                    Some(_) => {
                        return Err(format!(
                            "frameworks \"{}\" and \"{}\" both declare level \"{}\" with different names",
                            combined.id, other.id, level.id
                        ))
                    }
                    None => combined.levels.push(level),
                }
            }
            for node in other.nodes {
                if let Some(&i) = combined.index.get(&node.id) {
                    return Err(format!(
                        "frameworks \"{}\" and \"{}\" both define node \"{}\"",
                        combined.nodes[i].framework, other.id, node.id
                    ));
                }
                combined.index.insert(node.id.clone(), combined.nodes.len());
                combined.nodes.push(node);
            }
            combined.members.extend(other.members);
        }
        Ok(combined)
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.nodes[i])
    }

    /// Which way is better for a node: its own declaration, else its nearest ancestor's.
    pub fn polarity(&self, id: &str) -> Polarity {
        self.ancestry(id)
            .unwrap_or_default()
            .iter()
            .find_map(|n| n.direction)
            .unwrap_or_default()
    }

    /// Nodes with no parent, in file order.
    pub fn tops(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.parent.is_none())
    }

    /// Direct children of a node, in file order.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.nodes.iter().filter(move |n| n.parent.as_deref() == Some(id))
    }

    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }

    /// The node and all its ancestors, nearest first; `None` if the parents form a cycle.
    pub fn ancestry(&self, id: &str) -> Option<Vec<&Node>> {
        let mut chain = Vec::new();
        let mut current = self.node(id);
        while let Some(node) = current {
            if chain.len() > self.nodes.len() {
                return None;
            }
            chain.push(node);
            current = node.parent.as_deref().and_then(|p| self.node(p));
        }
        Some(chain)
    }

    /// Nodes of one level, in file order.
    pub fn nodes_at<'a>(&'a self, level: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.nodes.iter().filter(move |n| n.level == level)
    }

    /// Position of every node in file order, for sorting outputs.
    pub fn order(&self) -> BTreeMap<&str, usize> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect()
    }
}

impl Polarity {
    /// As the methods section words it.
    pub fn phrase(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "higher is better",
            Polarity::LowerIsBetter => "lower is better",
        }
    }
}

/// What to do about an id `check_id` refuses.
pub(crate) const ID_FIX: &str =
    "Rename it: readers see labels, not ids, so an id can be short (\"policy\", \"q3-1\").";

/// Ids name output files (a group chart is `groups-<attribute id>.svg`), CSV keys and page
/// anchors, so they hold only letters, digits, '.', '-' and '_', and do not start with '.'.
pub(crate) fn check_id(kind: &str, id: &str) -> std::result::Result<(), String> {
    let safe = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !id.is_empty() && !id.starts_with('.') && id.chars().all(safe) {
        return Ok(());
    }
    Err(format!(
        "{kind} id \"{id}\" may hold only letters, digits, '.', '-' and '_' (and not start with '.')"
    ))
}

/// "line L, column C" of a byte span in a TOML text, for error messages.
pub(crate) fn toml_position(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return "the reported place".to_string();
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("line {line}, column {column}")
}

/// What is wrong with a framework file, and what to do about it.
type Problem = (String, &'static str);

/// Ids well formed; levels declared once, the headline level among them.
fn check_ids(file: &FrameworkFile) -> std::result::Result<(), Problem> {
    let ids = std::iter::once(("framework", &file.id))
        .chain(file.levels.iter().map(|l| ("level", &l.id)))
        .chain(file.nodes.iter().map(|n| ("node", &n.id)));
    for (kind, id) in ids {
        check_id(kind, id).map_err(|what| (what, ID_FIX))?;
    }
    let mut level_ids = HashSet::new();
    if let Some(level) = file.levels.iter().find(|l| !level_ids.insert(l.id.as_str())) {
        return Err((
            format!("level \"{}\" is declared twice", level.id),
            "Give each [[levels]] entry its own id.",
        ));
    }
    if !level_ids.contains(file.headline_level.as_str()) {
        return Err((
            format!(
                "headline_level \"{}\" is not one of the declared levels",
                file.headline_level
            ),
            "Set headline_level to the id of a [[levels]] entry.",
        ));
    }
    Ok(())
}

/// Every node once, at a declared level, under a parent that exists; every level used.
/// Returns each node's position by id.
fn check_nodes(file: &FrameworkFile) -> std::result::Result<HashMap<String, usize>, Problem> {
    let declared = |level: &str| file.levels.iter().any(|l| l.id == level);
    let mut index = HashMap::new();
    for (i, node) in file.nodes.iter().enumerate() {
        if index.insert(node.id.clone(), i).is_some() {
            return Err((
                format!("node id \"{}\" is used twice", node.id),
                "Give every [[nodes]] entry a unique id.",
            ));
        }
        if !declared(&node.level) {
            return Err((
                format!(
                    "node \"{}\" has level \"{}\", which is not declared",
                    node.id, node.level
                ),
                "Use the id of a [[levels]] entry, or declare the level.",
            ));
        }
    }
    for node in &file.nodes {
        if let Some(parent) = node.parent.as_ref().filter(|p| !index.contains_key(*p)) {
            return Err((
                format!(
                    "node \"{}\" names parent \"{parent}\", which does not exist",
                    node.id
                ),
                "Correct the parent id or add the parent node.",
            ));
        }
    }
    if let Some(level) = file
        .levels
        .iter()
        .find(|l| !file.nodes.iter().any(|n| n.level == l.id))
    {
        return Err((
            format!("level \"{}\" has no nodes", level.id),
            "Add nodes of that level, or remove the [[levels]] entry.",
        ));
    }
    Ok(index)
}

/// The file's bands (or the conventional ones), highest first down to 0.
fn check_bands(file: &FrameworkFile) -> std::result::Result<Vec<Band>, Problem> {
    let bands = if file.bands.is_empty() {
        Band::conventional()
    } else {
        file.bands.clone()
    };
    let ordered = bands.windows(2).all(|w| w[0].at_least > w[1].at_least);
    let bounded = bands.iter().all(|b| (0.0..=1.0).contains(&b.at_least));
    if !ordered || !bounded || bands.last().is_some_and(|b| b.at_least != 0.0) {
        return Err((
            "bands must run from the highest lower bound down to 0, each between 0 and 1".into(),
            "List [[bands]] highest first, the last with at_least = 0 (bounds are shares of the scale's range).",
        ));
    }
    Ok(bands)
}
