//! The TOML files `init --new` writes: backbone.toml, the instrument and the framework
//! skeleton. Each guess is written with a comment saying what it was read from, so the
//! evaluator can accept or change it line by line.

use std::fmt::Write as _;

use crate::starter::stems::{Plan, PlannedItem, PlannedScale};

/// One wave as the config will name it.
#[derive(Debug, Clone)]
pub struct WaveLine {
    pub label: String,
    /// What the label was read from, for its comment.
    pub from: &'static str,
    /// The export's path as the config writes it (relative to the config's folder).
    pub file: String,
    pub format: Option<&'static str>,
}

/// What the files are called and what they say of themselves.
#[derive(Debug, Clone)]
pub struct Names {
    pub survey: String,
    pub id: String,
    pub instrument_file: String,
    pub framework_file: String,
    /// Identifying columns the exports' reading drops by itself.
    pub dropped: Vec<String>,
}

/// A TOML basic string.
pub fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text as one comment line (a header may hold line breaks).
fn comment(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn list(texts: &[String]) -> String {
    let quoted: Vec<String> = texts.iter().map(|t| quoted(t)).collect();
    format!("[{}]", quoted.join(", "))
}

pub fn config(plan: &Plan, names: &Names, waves: &[WaveLine]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# backbone.toml written by `backbone init --new` from {} export(s). A line whose comment",
        waves.len()
    );
    let _ = writeln!(
        out,
        "# says \"guess\" is what init --new read from the exports: check it, change it or delete it."
    );
    let _ = writeln!(
        out,
        "# Then: backbone check --config backbone.toml, and backbone run --config backbone.toml."
    );
    let _ = writeln!(
        out,
        "initiative = {}    # guess: from the first export's file name",
        quoted(&names.survey)
    );
    let _ = writeln!(out, "instrument = {}", quoted(&names.instrument_file));
    let _ = writeln!(out, "out = \"reports\"");
    if let Some(id) = &plan.id_column {
        let _ = writeln!(
            out,
            "id_column = {}    # guess: a value on every row, none repeated",
            quoted(id)
        );
    }
    if let Some(key) = &plan.panel_key {
        let _ = writeln!(out, "panel_key = {}    # guess: unique on every row, and most values recur in another export (the same respondents)", quoted(key));
    }
    let dropped: Vec<(&String, &str)> = plan
        .open
        .iter()
        .map(|h| {
            (
                h,
                "free text: never scored; dropped so no answer reaches a report",
            )
        })
        .chain(plan.empty.iter().map(|h| (h, "no answer in any export")))
        .chain(
            plan.other_ids
                .iter()
                .map(|h| (h, "unique on every row: identifying")),
        )
        .collect();
    if !dropped.is_empty() {
        let _ = writeln!(out, "drop_columns = [");
        for (header, why) in dropped {
            let _ = writeln!(out, "  {},    # guess: {why}", quoted(header));
        }
        let _ = writeln!(out, "]");
    }
    if !names.dropped.is_empty() {
        let _ = writeln!(
            out,
            "# Identifying columns removed as the exports are read (nothing to do): {}",
            comment(&names.dropped.join(" | "))
        );
    }
    for wave in waves {
        let _ = writeln!(out, "\n[[waves]]");
        let _ = writeln!(out, "label = {}    # guess: {}", quoted(&wave.label), wave.from);
        let _ = writeln!(out, "file = {}", quoted(&wave.file));
        if let Some(format) = wave.format {
            let _ = writeln!(out, "format = {}", quoted(format));
        }
    }
    out
}

pub fn instrument(plan: &Plan, names: &Names) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The instrument of {} written by `backbone init --new` from the exports' headers and",
        comment(&names.survey)
    );
    let _ = writeln!(
        out,
        "# answers: one item per question column, its text the statement (the matrix's stem is in"
    );
    let _ = writeln!(
        out,
        "# the framework), its scale read from the answers given. Lines marked \"guess\" deserve a look."
    );
    let _ = writeln!(out, "id = {}", quoted(&names.id));
    let _ = writeln!(out, "name = {}", quoted(&names.survey));
    let _ = writeln!(out, "framework = {}", quoted(&names.framework_file));
    for planned in &plan.scales {
        scale(&mut out, planned);
    }
    for a in &plan.attributes {
        let _ = writeln!(out, "\n[[attributes]]");
        let _ = writeln!(out, "id = {}", quoted(&a.id));
        let _ = writeln!(out, "question = {}", quoted(&a.question));
        let _ = writeln!(
            out,
            "options = {}    # guess: the answers given, in order of first appearance",
            list(&a.options)
        );
    }
    if !plan.open.is_empty() {
        let _ = writeln!(
            out,
            "\n# Open questions (free text), never scored; backbone.toml drops them as the files are read:"
        );
        for (header, terms) in plan.open.iter().zip(&plan.open_terms) {
            let _ = writeln!(out, "#   {}", comment(header));
            if !terms.is_empty() {
                let _ = writeln!(
                    out,
                    "#   To count its themes: add [[comments]] (id, question = this header, codebook = a file), take the\n#   header out of drop_columns in backbone.toml, and start the codebook from these frequent words and\n#   phrases (each in {} comments or more; group them into themes, name them, uncomment):",
                    super::codebook::AT_LEAST
                );
                out.push_str(&super::codebook::render(terms));
            }
        }
    }
    let mut node = usize::MAX;
    for item in &plan.items {
        if item.node != node {
            node = item.node;
            let _ = writeln!(out, "\n# --- {}", comment(&plan.nodes[node].label));
        }
        write_item(&mut out, plan, item);
    }
    out
}

fn scale(out: &mut String, planned: &PlannedScale) {
    let s = &planned.scale;
    let _ = writeln!(out, "\n[scales.{}]", s.id);
    if s.known {
        let _ = writeln!(out, "# guess: every answer is a point of the known scale \"{}\" (indicators/scales.vocabulary.toml), in its order, worst first", comment(&s.label));
    } else {
        let _ = writeln!(
            out,
            "# CHECK THIS: no known scale fits these answers. The points are in the order the answers first"
        );
        let _ = writeln!(
            out,
            "# appear: put them in order, worst first (value 1), and set favourable."
        );
    }
    let _ = writeln!(out, "label = {}", quoted(&s.label));
    let _ = writeln!(out, "points = [");
    for (value, label, aliases) in &s.points {
        if aliases.is_empty() {
            let _ = writeln!(out, "  {{ value = {value}, label = {} }},", quoted(label));
        } else {
            let _ = writeln!(
                out,
                "  {{ value = {value}, label = {}, aliases = {} }},",
                quoted(label),
                list(aliases)
            );
        }
    }
    let _ = writeln!(out, "]");
    let favourable: Vec<String> = s.favourable.iter().map(i64::to_string).collect();
    let _ = writeln!(
        out,
        "favourable = [{}]    # guess: the answers that count as good",
        favourable.join(", ")
    );
    if !planned.missing.is_empty() {
        let _ = writeln!(
            out,
            "missing = {}    # guess: answers that mean no answer on the scale, never scored",
            list(&planned.missing)
        );
    }
}

fn write_item(out: &mut String, plan: &Plan, item: &PlannedItem) {
    let _ = writeln!(out, "\n[[items]]");
    let _ = writeln!(out, "id = {}", quoted(&item.id));
    match item.placed {
        Some(share) => {
            let _ = writeln!(
                out,
                "indicator = {}    # guess: {:.0}% of its words shared with \"{}\"; check",
                quoted(&plan.nodes[item.node].id),
                share * 100.0,
                comment(&plan.nodes[item.node].label)
            );
        }
        None => {
            let _ = writeln!(out, "indicator = {}", quoted(&plan.nodes[item.node].id));
        }
    }
    let _ = writeln!(out, "text = {}", quoted(&item.text));
    let _ = writeln!(out, "scale = {}", quoted(&plan.scales[item.scale].scale.id));
    if let Some(code) = &item.code {
        let _ = writeln!(
            out,
            "code = {}    # another item reads the same: its column is named by its header",
            quoted(code)
        );
    } else if item.text != item.header {
        let _ = writeln!(out, "# column: {}", comment(&item.header));
    }
}

pub fn framework(plan: &Plan, names: &Names) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A framework skeleton written by `backbone init --new`: one node per question stem (matrix),"
    );
    let _ = writeln!(
        out,
        "# or per run of loose questions sharing a scale. Rename the nodes, add levels above them"
    );
    let _ = writeln!(
        out,
        "# (parent = \"...\"), or move items to a bundled framework's nodes in the instrument."
    );
    let _ = writeln!(out, "id = {}", quoted(&format!("{}-topics", names.id)));
    let _ = writeln!(out, "name = {}", quoted(&format!("{} topics", names.survey)));
    let _ = writeln!(out, "title = {}", quoted(&names.survey));
    let _ = writeln!(
        out,
        "source = \"The exports' question headers, grouped by backbone init --new\""
    );
    let _ = writeln!(out, "headline_level = \"topic\"");
    let _ = writeln!(
        out,
        "\n[[levels]]\nid = \"topic\"\nlabel = \"Topic\"\nplural = \"Topics\""
    );
    for (k, node) in plan.nodes.iter().enumerate() {
        let items = plan.items.iter().filter(|i| i.node == k).count();
        let _ = writeln!(out, "\n[[nodes]]");
        let _ = writeln!(out, "id = {}", quoted(&node.id));
        let _ = writeln!(out, "level = \"topic\"");
        match &node.stem {
            Some(_) => {
                let _ = writeln!(
                    out,
                    "label = {}    # guess: the question stem of {items} column(s)",
                    quoted(&node.label)
                );
            }
            None => {
                let _ = writeln!(out, "label = {}    # guess: the first of {items} question(s) in a row on one scale; rename it", quoted(&node.label));
            }
        }
        if let Some(stem) = &node.stem {
            if *stem != node.label {
                let _ = writeln!(out, "description = {}", quoted(stem));
            }
        }
    }
    out
}
