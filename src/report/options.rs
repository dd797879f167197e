//! What the reports show and how: the `[report]` table of the config, owned by the report.

use std::path::PathBuf;

use serde::Deserialize;

use crate::framework::Band;

/// What the reports show and how.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportOptions {
    /// Groups with fewer respondents than this are suppressed everywhere a group appears.
    pub suppress_below: usize,
    /// Respondent attributes to break scores down by (default: every attribute the instrument asks).
    pub groups: Option<Vec<String>>,
    /// A date printed on the reports (none by default, so that outputs are reproducible).
    pub date: Option<String>,
    /// The evaluator's own paragraph, printed first on the brief.
    pub summary: Option<String>,
    /// What the committee will do (`[[report.actions]]`), printed on the brief's first page.
    pub actions: Vec<super::Action>,
    /// A typst template replacing the bundled funder brief (see templates/brief.typ).
    pub brief_template: Option<PathBuf>,
    /// Interpretive bands replacing the framework's (highest first; bounds are shares of the
    /// scale's range).
    pub bands: Option<Vec<Band>>,
    /// A response rate below this share is flagged with a caution.
    pub min_response_rate: f64,
    /// A response answering at least this share of the questions its export asks is complete
    /// (AAPOR leaves the share to the researcher; 80% is its common choice).
    pub complete_at: f64,
    /// At least this share and below `complete_at`: a partial response; fewer: a break-off,
    /// counted in neither response rate.
    pub partial_at: f64,
    /// Cronbach's alpha below this is flagged (0.7, the usual convention for group comparisons).
    pub min_alpha: f64,
    /// Whether the report's charts carry their title and source line (the slide versions never
    /// do).
    pub chart_titles: bool,
    /// Whether report.html shows example comments per theme (redacted; never the brief, the
    /// CSVs or the workbook).
    pub quotes: bool,
    /// Strings (partner and staff names) replaced by "[redacted]" in quotes.
    pub redact: Vec<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            suppress_below: 5,
            groups: None,
            date: None,
            summary: None,
            actions: Vec::new(),
            brief_template: None,
            bands: None,
            min_response_rate: 0.3,
            complete_at: 0.8,
            partial_at: 0.5,
            min_alpha: 0.7,
            chart_titles: true,
            quotes: false,
            redact: Vec::new(),
        }
    }
}
