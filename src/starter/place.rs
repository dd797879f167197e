//! `init --new --framework ID`: each item placed at the node of a bundled framework whose words
//! it shares most (its lowest level: the indicators), instead of a skeleton of its own. A guess
//! by word overlap, written as a commented line with its score for the evaluator to check.

use std::collections::BTreeSet;

use super::stems::{Plan, PlannedNode};
use crate::framework::Framework;

/// Words shorter than this ("the", "and", "our") say nothing of what a statement is about.
const SHORTEST_WORD: usize = 4;
/// Words are compared on their first letters, so "measure" meets "measurement".
const STEM_LETTERS: usize = 5;

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= SHORTEST_WORD)
        .map(|w| w.to_lowercase().chars().take(STEM_LETTERS).collect())
        .collect()
}

fn dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// The words a node is known by: its label, description and activities, and its parent's label.
fn node_words(framework: &Framework, node: &crate::framework::Node) -> BTreeSet<String> {
    let mut text = format!("{} {}", node.label, node.description.clone().unwrap_or_default());
    for activity in &node.activities {
        text.push(' ');
        text.push_str(activity);
    }
    if let Some(parent) = node.parent.as_ref().and_then(|p| framework.node(p)) {
        text.push(' ');
        text.push_str(&parent.label);
    }
    words(&text)
}

/// Replaces the plan's nodes by the framework's lowest-level nodes (an overall rating, tied to
/// no node, is placed too: the evaluator marks it `overall = true`) and puts each item at the one
/// it shares most words with (the first in the file on a tie), noting the share (Dice, 0 to 1).
pub fn into_framework(plan: &mut Plan, framework: &Framework) {
    let lowest = framework.levels.last().map(|l| l.id.clone()).unwrap_or_default();
    let nodes: Vec<&crate::framework::Node> = framework.nodes_at(&lowest).collect();
    let known: Vec<BTreeSet<String>> = nodes.iter().map(|n| node_words(framework, n)).collect();
    for item in &mut plan.items {
        let said = words(&item.text);
        let (best, similarity) = known
            .iter()
            .enumerate()
            .map(|(k, w)| (k, dice(&said, w)))
            .fold((0, -1.0), |best, next| if next.1 > best.1 { next } else { best });
        item.node = best;
        item.placed = Some(similarity);
    }
    plan.nodes = nodes
        .iter()
        .map(|n| PlannedNode {
            id: n.id.clone(),
            label: n.label.clone(),
            stem: None,
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_compared_on_their_stems_and_short_words_ignored() {
        let a = words("Partners use shared measurement");
        let b = words("The partners measure and use data");
        // Shared: "partn" and "measu", of 3 words each: 2 * 2 / (3 + 3).
        assert_eq!(a.len(), 3);
        assert_eq!(b.len(), 3);
        assert!((dice(&a, &b) - 2.0 * 2.0 / 6.0).abs() < 1e-12);
    }
}
