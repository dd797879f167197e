//! Groups over time in the report's data: each group's change between the compared waves in
//! the order groups.csv lists groups (attributes as the config names them, each attribute's
//! groups in its declared order, "not stated" last), and with no numbers but its counts where
//! the group is under the suppression threshold in either wave.

use crate::compare::GroupChange;
use crate::map::NOT_STATED;

use super::Inputs;

/// The group changes in groups.csv's order of groups (their numbers are suppressed in
/// `suppress`).
pub(super) fn ordered(i: &Inputs) -> Vec<GroupChange> {
    let attributes: Vec<&String> = i.groups.iter().map(|(a, _)| a).collect();
    let rank = |g: &GroupChange| {
        let attribute = i.instrument.attributes.iter().find(|a| a.id == g.attribute);
        (
            attributes.iter().position(|a| **a == g.attribute),
            g.group == NOT_STATED,
            attribute.map(|a| a.rank(&g.group)),
            g.group.clone(),
        )
    };
    let mut out: Vec<GroupChange> = i.group_changes.to_vec();
    // Stable: within a group, pairs and nodes stay in the compare stage's order.
    out.sort_by_key(rank);
    out
}
