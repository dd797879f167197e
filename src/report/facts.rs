//! The run's facts, computed before any sentence: who answered, the levels, the waves, the
//! rules, scales and bands as the reports state them. The model copies them, and the words
//! (`text`, `headline`) read them, never a half-built report.

use crate::framework::{Band, Level};
use crate::instrument::Noun;

use super::model::{ScaleInfo, Share};

#[derive(Debug, Clone)]
pub(super) struct Facts {
    pub respondents: Noun,
    pub headline_level: Level,
    /// Every level of the framework, then the items.
    pub levels: Vec<Level>,
    pub waves: Vec<String>,
    pub first: String,
    pub latest: String,
    pub previous: Option<String>,
    pub confidence: Share,
    pub min_answered: Share,
    pub complete_at: Share,
    pub partial_at: Share,
    pub suppress_below: usize,
    pub min_alpha: f64,
    pub compare_alpha: String,
    pub min_effect: String,
    pub bands: Vec<Band>,
    pub scales: Vec<ScaleInfo>,
    pub scale_phrase: String,
    pub score_range: String,
    pub reverse_items: usize,
    pub level_names: String,
    pub level_plurals: String,
    pub version: String,
}

impl Facts {
    /// The level of a node, by id.
    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }
}
