//! Every framework shipped in indicators/ loads with its instrument, and its counts are the
//! source document's (counted by hand from ../shared/seeds; tests/reference/framework_counts.py
//! prints the same counts from the TOML with Python's tomllib).

use std::path::Path;

use backbone::instrument::Instrument;

fn load(name: &str) -> Instrument {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("indicators")
        .join(format!("{name}.instrument.toml"));
    Instrument::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn count(i: &Instrument, level: &str) -> usize {
    i.framework.nodes_at(level).count()
}

fn tagged(i: &Instrument, level: &str, tag: &str) -> usize {
    i.framework
        .nodes_at(level)
        .filter(|n| n.tags.iter().any(|t| t == tag))
        .count()
}

#[test]
fn fsg_functions_indicators_and_governance_outcomes() {
    let i = load("fsg-partner-survey");
    assert_eq!(count(&i, "function"), 6);
    let under_functions = i
        .framework
        .nodes_at("indicator")
        .filter(|n| {
            let top = i.framework.ancestry(&n.id).unwrap().last().unwrap().level.clone();
            top == "function"
        })
        .count();
    assert_eq!(under_functions, 27);
    assert_eq!(count(&i, "outcome"), 3);
    assert_eq!(count(&i, "indicator") - under_functions, 12);
}

#[test]
fn sources_of_influence_with_their_dimensions() {
    let i = load("influence");
    assert_eq!(count(&i, "source"), 6);
    assert_eq!(count(&i, "dimension"), 14);
    let labels: Vec<&str> = i.framework.nodes_at("source").map(|n| n.label.as_str()).collect();
    for name in [
        "Competence",
        "Commitment",
        "Honest Broker",
        "Network",
        "Visibility",
    ] {
        assert!(labels.iter().any(|l| l.contains(name)), "{name} in {labels:?}");
    }
}

#[test]
fn fourteen_competencies_four_of_them_traits() {
    let i = load("leader-competencies");
    assert_eq!(count(&i, "competency"), 14);
    assert_eq!(tagged(&i, "competency", "trait"), 4);
    let traits: Vec<&str> = i
        .framework
        .nodes_at("competency")
        .filter(|n| n.tags.iter().any(|t| t == "trait"))
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(
        traits,
        [
            "Community Centered",
            "Humility",
            "Learning Orientation",
            "Resilience"
        ]
    );
    assert!(i.framework.notes.as_deref().unwrap_or("").contains("15"));
}

#[test]
fn skill_sets_mindset_shifts_and_function_categories() {
    assert_eq!(count(&load("skill-sets"), "skill-set"), 6);
    let shifts = load("mindset-shifts");
    assert_eq!(count(&shifts, "shift"), 3);
    for shift in shifts.framework.nodes_at("shift") {
        assert!(shift.properties.contains_key("from") && shift.properties.contains_key("to"));
    }
    let categories = load("function-categories");
    assert_eq!(count(&categories, "category"), 4);
    for capacity in categories.framework.nodes_at("capacity") {
        assert!(
            capacity.properties.contains_key("likely_holders"),
            "{} has no likely holders",
            capacity.id
        );
    }
}
