//! The frameworks bundled with the tool, for `backbone frameworks`: each one listed with its
//! counts per level, or printed as a tree.

use std::fmt::Write;
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::framework::Framework;

/// Every framework file in indicators/, compiled in so the listing works from any folder.
const BUNDLED: [(&str, &str); 6] = [
    (
        "fsg-backbone.framework.toml",
        include_str!("../indicators/fsg-backbone.framework.toml"),
    ),
    (
        "influence.framework.toml",
        include_str!("../indicators/influence.framework.toml"),
    ),
    (
        "leader-competencies.framework.toml",
        include_str!("../indicators/leader-competencies.framework.toml"),
    ),
    (
        "skill-sets.framework.toml",
        include_str!("../indicators/skill-sets.framework.toml"),
    ),
    (
        "mindset-shifts.framework.toml",
        include_str!("../indicators/mindset-shifts.framework.toml"),
    ),
    (
        "function-categories.framework.toml",
        include_str!("../indicators/function-categories.framework.toml"),
    ),
];

/// The bundled frameworks, validated as any framework file is.
pub fn bundled() -> Result<Vec<Framework>> {
    BUNDLED
        .iter()
        .map(|(name, text)| Framework::parse(text, &Path::new("indicators").join(name)))
        .collect()
}

/// The bundled framework `id`: its file name, its text (to copy beside a user's instrument)
/// and the framework it defines.
pub fn bundled_file(id: &str) -> Result<(&'static str, &'static str, Framework)> {
    let all = bundled()?;
    match all.iter().position(|f| f.id == id) {
        Some(k) => Ok((BUNDLED[k].0, BUNDLED[k].1, all[k].clone())),
        None => Err(Error::usage(
            format!("no bundled framework is called \"{id}\""),
            format!(
                "Use one of: {} (`backbone frameworks` lists them).",
                all.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// One line per framework: "id  name: 6 functions, 3 governance outcomes, 39 indicators".
pub fn listing(frameworks: &[Framework]) -> String {
    let mut out = String::new();
    for f in frameworks {
        let counts: Vec<String> = f
            .levels
            .iter()
            .map(|l| {
                let n = f.nodes_at(&l.id).count();
                let name = if n == 1 { &l.label } else { &l.plural };
                format!("{n} {}", name.to_lowercase())
            })
            .collect();
        let _ = writeln!(out, "{:<22} {}: {}", f.id, f.name, counts.join(", "));
    }
    out
}

/// The tree of one framework: its source, then every node under its parent with its level,
/// tags and properties.
pub fn tree(frameworks: &[Framework], id: &str) -> Result<String> {
    let Some(f) = frameworks.iter().find(|f| f.id == id) else {
        let known: Vec<&str> = frameworks.iter().map(|f| f.id.as_str()).collect();
        return Err(Error::definition(
            Location::file("indicators"),
            format!("no bundled framework is called \"{id}\", and no file has that path"),
            format!(
                "Use one of: {}; or the path of your own framework or instrument file (e.g. my-survey/my-survey.framework.toml).",
                known.join(", ")
            ),
        ));
    };
    Ok(framework_tree(f))
}

/// The framework a file defines, checked as a run checks it: a framework file, or the
/// framework an instrument file measures (`*.instrument.toml`), so users can check their own.
pub fn from_path(path: &Path) -> Result<Framework> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.ends_with(".instrument.toml") {
        Ok(crate::instrument::Instrument::load(path)?.framework)
    } else {
        Framework::load(path)
    }
}

/// One framework's tree, as [`tree`] prints it.
pub fn framework_tree(f: &Framework) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})\nSource: {}", f.name, f.id, f.source);
    for top in f.tops() {
        branch(f, top, 0, &mut out);
    }
    if let Some(notes) = &f.notes {
        let _ = writeln!(out, "\nNotes:\n{}", notes.trim_end());
    }
    out
}

fn branch(f: &Framework, node: &crate::framework::Node, depth: usize, out: &mut String) {
    let level = f
        .level(&node.level)
        .map_or(node.level.as_str(), |l| l.label.as_str());
    let tags = if node.tags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", node.tags.join(", "))
    };
    let _ = writeln!(
        out,
        "{}{level}: {} ({}){tags}",
        "  ".repeat(depth),
        node.label,
        node.id
    );
    for (key, value) in &node.properties {
        let _ = writeln!(out, "{}  {key}: {}", "  ".repeat(depth), value.texts().join("; "));
    }
    for child in f.children(&node.id) {
        branch(f, child, depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_framework_loads_and_lists_its_counts() {
        let all = bundled().unwrap();
        let text = listing(&all);
        assert!(text.contains("fsg-backbone"), "{text}");
        assert!(
            text.contains("6 functions, 3 governance outcomes, 39 indicators"),
            "{text}"
        );
        assert!(text.contains("6 sources of influence, 14 dimensions"), "{text}");
        let tree = tree(&all, "leader-competencies").unwrap();
        assert!(tree.contains("Competency: Humility (humility) [trait]"), "{tree}");
        let err = super::tree(&all, "nope").unwrap_err().to_string();
        assert!(err.contains("no bundled framework is called \"nope\""), "{err}");
    }
}
