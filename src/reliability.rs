//! Reliability: Cronbach's alpha of every framework node with at least two items (functions,
//! outcomes, and indicators asked more than once), per wave, over the respondents who answered
//! all of its items on the scale, with alpha if each item were deleted.

use std::collections::HashMap;

use crate::instrument::Instrument;
use crate::map::WaveResponses;
use crate::stats::{alpha_if_deleted, cronbach_alpha};

/// Alpha below this is flagged, by the usual convention for group comparisons.
pub const ACCEPTABLE_ALPHA: f64 = 0.7;

/// Alpha of one node in one wave.
#[derive(Debug, Clone, PartialEq)]
pub struct Reliability {
    pub wave: String,
    pub level: String,
    pub id: String,
    pub label: String,
    /// Items of the node asked in the wave, in instrument order.
    pub items: Vec<String>,
    /// Respondents who answered every one of them on the scale.
    pub n_complete: usize,
    /// `None` when not computable (fewer than 2 complete cases, or totals that do not vary).
    pub alpha: Option<f64>,
    /// Alpha without each item, in the order of `items` (`None` for a two-item node).
    pub if_deleted: Vec<Option<f64>>,
}

impl Reliability {
    pub fn flagged(&self) -> bool {
        self.alpha.is_some_and(|a| a < ACCEPTABLE_ALPHA)
    }

    /// Why alpha over `n_items` of this node's items is not computable, in the order
    /// [`cronbach_alpha`] checks.
    pub fn not_computable(&self, n_items: usize) -> &'static str {
        if n_items < 2 {
            "not computable: one item left"
        } else if self.n_complete < 2 {
            "not computable: fewer than 2 complete cases"
        } else {
            "not computable: the totals do not vary"
        }
    }
}

/// Alpha of every framework node with at least two items asked, per wave, in framework order.
pub fn reliability(instrument: &Instrument, waves: &[WaveResponses]) -> Vec<Reliability> {
    let mut out = Vec::new();
    for wave in waves {
        // respondent -> item -> oriented value
        let mut values: HashMap<(usize, usize), f64> = HashMap::new();
        for a in &wave.answers {
            if let Some(v) = a.value {
                values.insert((a.respondent, a.item), v as f64);
            }
        }
        for node in &instrument.framework.nodes {
            let items: Vec<usize> = wave
                .items_asked
                .iter()
                .copied()
                .filter(|&i| {
                    instrument
                        .nodes_of(&instrument.items[i])
                        .iter()
                        .any(|n| n.id == node.id)
                })
                .collect();
            if items.len() < 2 {
                continue;
            }
            let rows: Vec<Vec<f64>> = (0..wave.respondents.len())
                .filter_map(|r| items.iter().map(|&i| values.get(&(r, i)).copied()).collect())
                .collect();
            out.push(Reliability {
                wave: wave.wave.clone(),
                level: node.level.clone(),
                id: node.id.clone(),
                label: node.label.clone(),
                items: items.iter().map(|&i| instrument.items[i].id.clone()).collect(),
                n_complete: rows.len(),
                alpha: cronbach_alpha(&rows),
                if_deleted: (0..items.len()).map(|i| alpha_if_deleted(&rows, i)).collect(),
            });
        }
    }
    out
}
