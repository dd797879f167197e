//! Frameworks as data: a hierarchy of named levels (function, outcome, indicator, ...) read from
//! a TOML file in `indicators/`. Nothing about any particular framework is known to the code.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, Result};

/// One level of a framework's hierarchy, e.g. "function" or "indicator".
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: String,
    pub label: String,
    pub plural: String,
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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkFile {
    id: String,
    name: String,
    source: String,
    headline_level: String,
    levels: Vec<Level>,
    nodes: Vec<Node>,
}

/// A validated framework: unique ids, declared levels, parents that exist, no cycles.
#[derive(Debug, Clone)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub source: String,
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
        let file: FrameworkFile = toml::from_str(text).map_err(|e| {
            Error::definition(
                Location::file(origin),
                format!("not a valid framework file: {}", e.message()),
                format!("Fix the TOML near {}.", toml_position(text, e.span())),
            )
        })?;
        let invalid = |what: String, fix: &str| Error::definition(Location::file(origin), what, fix);

        let mut level_ids = HashSet::new();
        for level in &file.levels {
            if !level_ids.insert(level.id.as_str()) {
                return Err(invalid(
                    format!("level \"{}\" is declared twice", level.id),
                    "Give each [[levels]] entry its own id.",
                ));
            }
        }
        if !level_ids.contains(file.headline_level.as_str()) {
            return Err(invalid(
                format!(
                    "headline_level \"{}\" is not one of the declared levels",
                    file.headline_level
                ),
                "Set headline_level to the id of a [[levels]] entry.",
            ));
        }

        let mut index = HashMap::new();
        for (i, node) in file.nodes.iter().enumerate() {
            if index.insert(node.id.clone(), i).is_some() {
                return Err(invalid(
                    format!("node id \"{}\" is used twice", node.id),
                    "Give every [[nodes]] entry a unique id.",
                ));
            }
            if !level_ids.contains(node.level.as_str()) {
                return Err(invalid(
                    format!(
                        "node \"{}\" has level \"{}\", which is not declared",
                        node.id, node.level
                    ),
                    "Use the id of a [[levels]] entry, or declare the level.",
                ));
            }
        }
        for node in &file.nodes {
            if let Some(parent) = &node.parent {
                if !index.contains_key(parent) {
                    return Err(invalid(
                        format!(
                            "node \"{}\" names parent \"{parent}\", which does not exist",
                            node.id
                        ),
                        "Correct the parent id or add the parent node.",
                    ));
                }
            }
        }

        let framework = Framework {
            id: file.id,
            name: file.name,
            source: file.source,
            headline_level: file.headline_level,
            levels: file.levels,
            nodes: file.nodes,
            index,
        };
        for node in &framework.nodes {
            if framework.ancestry(&node.id).is_none() {
                return Err(invalid(
                    format!("node \"{}\" is its own ancestor (a cycle of parents)", node.id),
                    "Break the cycle in the parent fields.",
                ));
            }
        }
        Ok(framework)
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.nodes[i])
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
