//! Reliability: Cronbach's alpha of every framework node with at least two items (functions,
//! outcomes, and indicators asked more than once), per wave, over the respondents who answered
//! all of its items on the scale, with alpha if each item were deleted.

use crate::instrument::Instrument;
use crate::map::WaveResponses;
use crate::stats::AlphaTable;

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
    /// Alpha is below `min_alpha` (the config's `report.min_alpha`).
    pub fn flagged(&self, min_alpha: f64) -> bool {
        self.alpha.is_some_and(|a| a < min_alpha)
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
    crate::parallel::map(waves, |wave| wave_reliability(instrument, wave))
        .into_iter()
        .flatten()
        .collect()
}

fn wave_reliability(instrument: &Instrument, wave: &WaveResponses) -> Vec<Reliability> {
    let mut out = Vec::new();
    {
        // Per item asked: the oriented value of each answer code, when it is a scale point.
        let values: Vec<Vec<Option<i64>>> = (0..wave.items_asked.len())
            .map(|k| {
                (0..=u8::MAX)
                    .map(|code| wave.value(instrument, k, code))
                    .collect()
            })
            .collect();
        for node in &instrument.framework.nodes {
            let items: Vec<usize> = (0..wave.items_asked.len())
                .filter(|&k| {
                    instrument
                        .nodes_of(&instrument.items[wave.items_asked[k]])
                        .iter()
                        .any(|n| n.id == node.id)
                })
                .collect();
            if items.len() < 2 {
                continue;
            }
            // Complete cases: respondents with a scale point for every item of the node.
            let complete: Vec<usize> = (0..wave.respondents)
                .filter(|&r| {
                    items
                        .iter()
                        .all(|&k| values[k][wave.answers[k][r] as usize].is_some())
                })
                .collect();
            let columns: Vec<Vec<f64>> = items
                .iter()
                .map(|&k| {
                    complete
                        .iter()
                        .map(|&r| values[k][wave.answers[k][r] as usize].unwrap_or(0) as f64)
                        .collect()
                })
                .collect();
            let table = AlphaTable::new(&columns);
            out.push(Reliability {
                wave: wave.wave.clone(),
                level: node.level.clone(),
                id: node.id.clone(),
                label: node.label.clone(),
                items: items
                    .iter()
                    .map(|&k| instrument.items[wave.items_asked[k]].id.clone())
                    .collect(),
                n_complete: complete.len(),
                alpha: table.alpha(None),
                if_deleted: (0..items.len()).map(|i| table.alpha(Some(i))).collect(),
            });
        }
    }
    out
}
