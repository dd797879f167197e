//! The report model's types: every field a template, a chart or a CSV reads, with what it
//! means (templates/README.md is generated from these doc comments).

use serde::Serialize;

use crate::compare::Direction;
use crate::framework::{Band, Level, Member};
use crate::instrument::{Noun, OrientedPoint};

use super::text::percent;
use super::PageOne;

/// The whole report. Field names are the templates' vocabulary (documented in
/// templates/README.md).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The framework's title for its reports ("Backbone effectiveness").
    pub title: String,
    /// The initiative's name, from the config.
    pub initiative: String,
    /// The instrument: id, name and introduction.
    pub instrument: Named,
    /// The primary framework: id, name, source document and notes.
    pub framework: FrameworkInfo,
    /// Who answered ("partner" / "partners").
    pub respondents: Noun,
    /// The level charted and summarised first, and every level below it down to the items.
    pub headline_level: Level,
    /// Every level of the framework, then the items ("Item" / "Items").
    pub levels: Vec<Level>,
    /// Wave labels, oldest first.
    pub waves: Vec<String>,
    /// The first wave.
    pub first: String,
    /// The latest wave.
    pub latest: String,
    /// The wave before the latest, when there is more than one.
    pub previous: Option<String>,
    /// More than one wave.
    pub multi: bool,
    /// Confidence level of every interval.
    pub confidence: Share,
    /// Share of a node's items a respondent must answer for a score.
    pub min_answered: Share,
    /// Share of the questions asked that makes a response complete (`report.complete_at`).
    pub complete_at: Share,
    /// Share that makes it at least partial (`report.partial_at`).
    pub partial_at: Share,
    /// Groups, nodes and items with fewer respondents show no numbers.
    pub suppress_below: usize,
    /// Cronbach's alpha below this is flagged (the config's `report.min_alpha`).
    pub min_alpha: f64,
    /// The false discovery rate below which a change can be called one.
    pub compare_alpha: String,
    /// The smallest effect called a change ("small").
    pub min_effect: String,
    /// The interpretive bands used, highest first.
    pub bands: Vec<Band>,
    /// Every answer scale of the instrument.
    pub scales: Vec<ScaleInfo>,
    /// The scales in one phrase, from each scale's own points: "a 4-point scale from Never (1) to Always (4)".
    pub scale_phrase: String,
    /// The range of the score axis ("0–10"): the headline nodes' scale, or the union of their
    /// ranges when their scales differ.
    pub score_range: String,
    /// How many items are reverse-worded.
    pub reverse_items: usize,
    /// The framework's levels in words: "function, governance outcome or indicator", and
    /// every level with the items: "functions, governance outcomes, indicators and items".
    pub level_names: String,
    /// Every level with the items, in words: "functions, governance outcomes, indicators and items".
    pub level_plurals: String,
    /// The headline level's nodes (the functions), each with its scores and changes.
    pub headline: Vec<NodeRow>,
    /// One plain-words verdict per top-level node, grouped by level (functions, then governance
    /// outcomes...), for the brief's first page.
    pub verdicts: Vec<VerdictGroup>,
    /// What moved under every top-level or headline node that changed reliably.
    pub drivers: Vec<Driver>,
    /// The brief's first page: what moved, ranked, each topic once (see `PageOne`).
    pub page_one: PageOne,
    /// What each overall item (the overall rating) tracks most, latest wave; empty when the
    /// instrument has no overall item.
    pub key_drivers: Vec<KeyDriverView>,
    /// What partners said: the open questions' themes per wave, and the sentences on them;
    /// empty without `[[comments]]` in the instrument.
    pub themes: Vec<super::comments::ThemeView>,
    /// Every compared pair of waves at the headline level.
    pub changes: Vec<ChangeLine>,
    /// Reliable changes below the headline level.
    pub other_changes: Vec<OtherChange>,
    /// One per top-level node, with every node and item under it.
    pub sections: Vec<Section>,
    /// Headline findings in numbers (for the full reports).
    pub findings: Vec<String>,
    /// One per wave: the file, its rows and response rates.
    pub accounts: Vec<Account>,
    /// Who answered: respondents per group of each breakdown attribute and wave, beside the
    /// invited roster where the config gives it.
    pub mix: Vec<MixTable>,
    /// One breakdown table per attribute, latest wave.
    pub groups: Vec<GroupTable>,
    /// What to discuss next: the largest reliable declines, the lowest-band nodes, groups that
    /// differ reliably and low response, each with its numbers.
    pub discuss: Vec<String>,
    /// Groups that rate reliably differently from everyone else, in words.
    pub group_findings: Vec<String>,
    /// Self-rating groups against everyone else.
    pub self_gaps: Vec<SelfGap>,
    /// Questions about framework nodes (e.g. who holds a capacity), latest wave, beside what
    /// the source document says.
    pub node_questions: Vec<NodeQuestion>,
    /// Every framework scored, the primary first: what the reports cite.
    pub frameworks: Vec<Member>,
    /// Cronbach's alpha per node and wave.
    pub reliability: Vec<ReliabilityRow>,
    /// Linked-respondent comparisons at the headline level.
    pub panel: Vec<PanelRow>,
    /// The brief's short method note, sentence by sentence.
    pub method_note: Vec<String>,
    /// The full methods, statement by statement.
    pub methods: Vec<String>,
    /// Survey weights: what the leading scores are weighted to, the weighted headline and each
    /// wave's mix before and after weighting; none without `[weights]`.
    pub weights: Option<crate::weights::report::WeightsReport>,
    /// Chart titles, captions and source lines.
    pub captions: Captions,
    /// A date printed on the reports, when the config sets one.
    pub date: Option<String>,
    /// backbone's version.
    pub version: String,
    /// The tables of the CSVs and the workbook, already suppressed, in the order written.
    #[serde(skip)]
    pub tables: Vec<Table>,
    /// The lowest and highest score of the headline nodes' scales: the charts' score axis.
    #[serde(skip)]
    pub score_bounds: (f64, f64),
    /// A typst template replacing the bundled brief.
    #[serde(skip)]
    pub brief_template: Option<std::path::PathBuf>,
    /// Whether the report's charts carry their title and source line (`report.chart_titles`).
    #[serde(skip)]
    pub chart_titles: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Named {
    /// Stable id.
    pub id: String,
    /// Name as shown.
    pub name: String,
    /// Introduction text, when given.
    pub intro: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkInfo {
    /// Stable id.
    pub id: String,
    /// Name as shown.
    pub name: String,
    /// The source document it was encoded from.
    pub source: String,
    /// Ambiguities of the source and encoding choices.
    pub notes: Option<String>,
}

/// A share as a number (0.9) and as the reports print it ("90%").
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Share {
    /// As a number (0.95).
    pub value: f64,
    /// As printed ("90%").
    pub text: PercentText,
}

/// A percentage printed without trailing zeros ("90%", "97.5%").
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(into = "String")]
pub struct PercentText(pub(super) f64);

impl From<PercentText> for String {
    fn from(p: PercentText) -> String {
        percent(p.0)
    }
}

impl Share {
    pub(super) fn of(value: f64) -> Share {
        Share {
            value,
            text: PercentText(value),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleInfo {
    /// The scale's id in the instrument.
    pub id: String,
    /// Its name, as the instrument gives it ("Frequency (4-point)").
    pub label: String,
    /// "0–10".
    pub range: String,
    /// Lowest oriented value first (best-first scales already mirrored).
    pub points: Vec<OrientedPoint>,
    /// "Agree or Strongly agree".
    pub favourable: String,
    /// Answers that count as not applicable.
    pub missing: Vec<String>,
    /// Its codes run best-first (mirrored when read).
    pub best_first: bool,
}

/// One node's (or item's) score in one wave, as printed; `None` cells were not asked.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Respondents with a score.
    pub n: usize,
    /// No numbers: fewer respondents than the suppression threshold.
    pub suppressed: bool,
    /// The mean as a number (absent when suppressed).
    pub mean: Option<f64>,
    /// "3.68" ("–" when not computable or suppressed).
    pub mean_text: String,
    /// The interval as numbers (absent when suppressed).
    pub ci: Option<(f64, f64)>,
    /// "3.55–3.81" ("" when not computable or suppressed).
    pub ci_text: String,
}

/// A change between two waves as a reader gets it.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Earlier wave.
    pub from: String,
    /// Later wave.
    pub to: String,
    /// "+0.32".
    pub diff: String,
    /// Its interval adjusted as the verdict is (false-coverage-rate): "+0.15 to +0.49"; it
    /// excludes zero exactly when q is below alpha ("" for an item's Mann-Whitney test).
    pub ci: String,
    /// The verdict (see above).
    pub verdict: Direction,
    /// "improved", "declined", "no reliable change", "reliable but too small", "not tested".
    pub word: String,
    /// The change in plain words: "a large, clear decline since 2023", "no clear change since 2024".
    pub phrase: String,
    /// A reliable change sized, without its waves: "a large, clear decline" ("" otherwise).
    pub sized: String,
    /// The primary test's q and effect size, or why there is no test.
    pub evidence: String,
}

/// One headline comparison with its statistics, for the full reports.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeLine {
    /// The node.
    pub label: String,
    /// Earlier wave.
    pub from: String,
    /// Later wave.
    pub to: String,
    /// "+0.32 [+0.15, +0.49]" with the false-coverage-rate interval, or "not computable".
    pub difference: String,
    /// The primary test's p.
    pub p: String,
    /// Its Benjamini-Hochberg q.
    pub q: String,
    /// "Hedges g +0.49 (small)".
    pub effect: String,
    /// See above.
    pub verdict: Direction,
    /// The verdict with its reason.
    pub word: String,
}

/// A node that changed, and the parts of it that moved in the same comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Driver {
    /// The node that changed.
    pub label: String,
    /// Its level ("Function").
    pub level_label: String,
    /// Earlier wave.
    pub from: String,
    /// Later wave.
    pub to: String,
    /// See above.
    pub verdict: Direction,
    /// "a large, clear decline since 2023".
    pub phrase: String,
    /// Its indicators and items that moved in the same comparison.
    pub parts: Vec<DriverPart>,
    /// When no part moved reliably: "No single indicator changed reliably: the shift is
    /// spread across its 8 indicators."
    pub spread: Option<String>,
}

/// An indicator or item that moved, with the statements behind it.
#[derive(Debug, Clone, Serialize)]
pub struct DriverPart {
    /// "Indicator" or "Item".
    pub level_label: String,
    /// Its label or statement.
    pub label: String,
    /// An item (a statement) rather than a node.
    pub is_item: bool,
    /// A reverse-worded item.
    pub reverse: bool,
    /// See above.
    pub verdict: Direction,
    /// The verdict in words.
    pub word: String,
    /// The difference of means ("+0.32").
    pub diff: String,
    /// The statements respondents saw (an indicator's items).
    pub statements: Vec<String>,
    /// Cronbach's alpha of the part in the later wave, when below the acceptable level.
    pub reliability_flag: Option<String>,
}

/// The verdicts on the top-level nodes of one level.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictGroup {
    /// The level (its label and plural name the group).
    pub level: Level,
    /// One per top-level node of the level.
    pub lines: Vec<VerdictLine>,
}

/// A top-level node in plain words: its band, score, % favourable and changes.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictLine {
    /// The node.
    pub label: String,
    /// Its band, latest wave.
    pub band: Option<String>,
    /// Its latest mean ("3.61").
    pub mean_text: String,
    /// Its latest % favourable ("56%").
    pub favourable: String,
    /// Lower scores are better for this node.
    pub lower_is_better: bool,
    /// Since the previous wave, and since the first (when more than two waves).
    pub recent: Option<String>,
    /// Since the first wave (when more than two waves).
    pub overall: Option<String>,
    /// "Strength: 4.12 on the 0–10 scale, 78% favourable; no clear change since 2024."
    pub sentence: String,
    /// The sentence without its band: "4.12 on the 0–10 scale, ...".
    pub detail: String,
}

/// A reliable change below the headline level.
#[derive(Debug, Clone, Serialize)]
pub struct OtherChange {
    /// The level id.
    pub level: String,
    /// The node or statement.
    pub label: String,
    /// A reverse-worded item.
    pub reverse: bool,
    /// Earlier wave.
    pub from: String,
    /// Later wave.
    pub to: String,
    /// See above.
    pub verdict: Direction,
    /// The verdict in words.
    pub word: String,
    /// Benjamini-Hochberg q.
    pub q: String,
    /// "Hedges g 0.66".
    pub effect: String,
}

/// One node or item with its scores per wave, % favourable in the latest wave and the changes.
#[derive(Debug, Clone, Serialize)]
pub struct NodeRow {
    /// Stable id.
    pub id: String,
    /// Label, or the statement for an item.
    pub label: String,
    /// The level's id ("function", "indicator", "item") and label ("Function", "Item").
    pub level: String,
    /// The level's label ("Indicator", "Item").
    pub level_label: String,
    /// 0 for the section's own node, 1 for its children, ...
    pub depth: usize,
    /// An item (a statement).
    pub is_item: bool,
    /// A reverse-worded item.
    pub reverse: bool,
    /// Lower scores are better for this node.
    pub lower_is_better: bool,
    /// One per wave (or group); absent where not asked.
    pub cells: Vec<Option<Cell>>,
    /// "64%" in the latest wave.
    pub favourable: String,
    /// The interpretive band of the latest score ("Strength", "Borderline", "Concern").
    pub band: Option<String>,
    /// "its items agree only loosely (alpha 0.43, below 0.7): read them one by one" when the
    /// latest wave's reliability is flagged.
    pub reliability_flag: Option<String>,
    /// Latest against previous wave, and first against latest (when more than two waves).
    pub change_recent: Option<Change>,
    /// First against latest wave (when more than two waves).
    pub change_overall: Option<Change>,
    /// The latest wave's answers per point, for the distribution chart.
    #[serde(skip)]
    pub answers: Option<Answers>,
    /// The range of its scale, for the charts' axes and band zones.
    #[serde(skip)]
    pub range: Option<(f64, f64)>,
}

/// What drives one overall item: the key-driver analysis of its latest wave.
#[derive(Debug, Clone, Serialize)]
pub struct KeyDriverView {
    /// The overall item, with its scores per wave, band and changes.
    pub rating: NodeRow,
    /// The wave analysed (the latest).
    pub wave: String,
    /// Complete cases: respondents with the rating and a score on every headline node.
    pub n: usize,
    /// Whether the analysis ran; else `note` says why.
    pub analysed: bool,
    /// R² of the headline nodes together ("0.54").
    pub r2: String,
    /// R² as a share of the rating's variation ("54%").
    pub r2_percent: String,
    /// The findings in plain words: what the rating tracks most, how surely, where to act.
    pub sentences: Vec<String>,
    /// Why there is no analysis (too few complete cases).
    pub note: Option<String>,
    /// The headline nodes, most important first (empty when not analysed).
    pub rows: Vec<KeyDriverRow>,
    /// The priority chart's caption: what its axes, lines and quadrant show.
    pub caption: String,
}

/// One headline node's importance to an overall rating.
#[derive(Debug, Clone, Serialize)]
pub struct KeyDriverRow {
    /// Stable id.
    pub id: String,
    /// Label as shown.
    pub label: String,
    /// 1 for the most important.
    pub rank: usize,
    /// Importance on the R² scale ("0.12").
    pub importance: String,
    /// The importance's percentile bootstrap interval ("0.07–0.18").
    pub interval: String,
    /// Share of the explained variation ("22%").
    pub share: String,
    /// The node's score in the wave ("3.21", "–" when suppressed).
    pub score: String,
    /// The score's band.
    pub band: Option<String>,
    /// Matters at least an average share and scores lowest of those: where to act first.
    pub priority: bool,
    /// The numbers behind the priority chart: share of R², its interval, and the score.
    #[serde(skip)]
    pub values: (f64, (f64, f64), Option<f64>),
}

/// Shares of valid answers per oriented point of one scale.
#[derive(Debug, Clone)]
pub struct Answers {
    pub scale: usize,
    pub shares: Vec<f64>,
    pub n: usize,
}

/// One top-level node of the framework with everything under it, items included.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The top node's level ("Function").
    pub level_label: String,
    /// The top node.
    pub label: String,
    /// Its description from the framework.
    pub description: String,
    /// Its tags from the framework ("trait").
    pub tags: Vec<String>,
    /// Facts from the source document: ("Likely holders", "Backbone; Steering committee").
    pub facts: Vec<(String, String)>,
    /// The top node (first), then every node and item under it.
    pub rows: Vec<NodeRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// The wave label.
    pub wave: String,
    /// File name only: a report never carries the path of the machine that made it.
    pub file: String,
    /// The survey platform.
    pub platform: String,
    /// The platform was recognised from the file.
    pub detected: bool,
    /// The text encoding read.
    pub encoding: String,
    /// Rows read.
    pub read: usize,
    /// Rows used.
    pub used: usize,
    /// The rows used, counted in words with the instrument's noun ("1 partner", "165 partners").
    pub answered: String,
    /// Rows skipped.
    pub skipped: usize,
    /// Used rows answering at least `report.complete_at` of the questions asked (AAPOR's
    /// complete responses).
    pub complete: usize,
    /// Used rows answering at least `report.partial_at` of them, but fewer than complete.
    pub partial: usize,
    /// The complete responses as a share of the rows used ("92%").
    pub complete_share: Option<String>,
    /// How many were invited, when the config says.
    pub invited: Option<usize>,
    /// AAPOR response rate RR1: complete / invited ("13.3%").
    pub rr1: Option<String>,
    /// AAPOR response rate RR2: (complete + partial) / invited ("57.5%").
    pub rr2: Option<String>,
    /// Set when RR2 is below the configured minimum.
    pub caution: Option<String>,
    /// "2 row(s) skipped: every item cell is blank".
    pub skip_reasons: Vec<String>,
    /// Answers that matched no scale label.
    pub unknown_answers: usize,
    /// Attribute answers that matched no option.
    pub unknown_attributes: usize,
    /// Answers that tick more than one option of a single-choice question exported a column
    /// per option (not used).
    pub several_choices: usize,
    /// Identifying columns removed when read.
    pub dropped_columns: usize,
    /// Columns that are not instrument questions.
    pub unmapped_columns: usize,
    /// Columns read as the instrument's open questions (their text is never shown unless
    /// `report.quotes`).
    pub comment_columns: usize,
    /// Instrument items this export does not ask.
    pub missing_items: Vec<String>,
    /// Each item not asked that resembles an unused column, with that column: "item natfare
    /// ("Welfare") is not in this export; did you mean column J "...: - Welfere"? ...".
    pub did_you_mean: Vec<String>,
}

/// Respondents per group of one attribute, per wave.
#[derive(Debug, Clone, Serialize)]
pub struct MixTable {
    /// The attribute id.
    pub attribute: String,
    /// Its label ("Role").
    pub label: String,
    /// One per group, in the declared order.
    pub rows: Vec<MixRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MixRow {
    /// The group (an option of the attribute).
    pub group: String,
    /// One per wave: the count, or "<5" for a group under the suppression threshold.
    pub respondents: Vec<String>,
    /// Invited in the latest wave, when the config gives the roster's mix.
    pub invited: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupColumn {
    /// The group.
    pub name: String,
    /// Its respondents in the latest wave.
    pub respondents: usize,
    /// Below the suppression threshold: no numbers shown.
    pub suppressed: bool,
    /// Per headline node, its mean in each wave (none: not scored, or the group suppressed in
    /// that wave), for the groups-over-time chart.
    pub trend: Vec<Vec<Option<f64>>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// The headline node.
    pub label: String,
    /// One per column; `None` where suppressed or not scored.
    pub cells: Vec<Option<Cell>>,
    /// One per column: the group against everyone else in the wave.
    pub differences: Vec<Option<GroupDifference>>,
}

/// A group's score against the rest of its wave, tested.
#[derive(Debug, Clone, Serialize)]
pub struct GroupDifference {
    /// mean(group) − mean(rest): "+0.32".
    pub diff: String,
    /// Its interval adjusted as the verdict is (false-coverage-rate): "-0.55 to -0.12".
    pub ci: String,
    /// See above.
    pub verdict: Direction,
    /// "higher than everyone else", "lower than everyone else", "no reliable difference".
    pub word: String,
    /// Benjamini-Hochberg q.
    pub q: String,
    /// Everyone else's mean.
    pub rest_mean: String,
}

/// How one question about a framework node was answered in the latest wave.
#[derive(Debug, Clone, Serialize)]
pub struct NodeQuestion {
    /// The node's label.
    pub node: String,
    /// The node's level ("Capacity").
    pub level_label: String,
    /// The question asked.
    pub question: String,
    /// The name of the property shown beside it ("Likely holders").
    pub beside_label: Option<String>,
    /// What the source document says beside it ("Backbone; Steering committee").
    pub beside: Option<String>,
    /// Respondents who answered with one of the options.
    pub n: usize,
    /// No shares shown: fewer respondents than the suppression threshold.
    pub suppressed: bool,
    /// One per option, in the declared order.
    pub answers: Vec<OptionShare>,
    /// The most chosen option (ties: the first declared).
    pub most: Option<String>,
}

/// One option's share of the answers.
#[derive(Debug, Clone, Serialize)]
pub struct OptionShare {
    /// The option.
    pub option: String,
    /// Respondents who chose it, absent when suppressed (a small group's answers are not
    /// counted out option by option).
    pub n: Option<usize>,
    /// Its share of the answers ("40%"), blank when suppressed.
    pub share: String,
    /// The share as a number (0-100), absent when suppressed.
    pub percent: Option<f64>,
}

/// A self-rating group (e.g. backbone staff rating their own work) against everyone else.
#[derive(Debug, Clone, Serialize)]
pub struct SelfGap {
    /// The attribute's label.
    pub attribute: String,
    /// The self-rating group.
    pub group: String,
    /// The wave.
    pub wave: String,
    /// One per top-level node.
    pub rows: Vec<SelfGapRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SelfGapRow {
    /// The node.
    pub label: String,
    /// The group's mean.
    pub self_mean: String,
    /// Everyone else's mean.
    pub others_mean: String,
    /// The group's scores.
    pub n_self: usize,
    /// Everyone else's scores.
    pub n_others: usize,
    /// The difference, tested.
    pub gap: GroupDifference,
    /// Nobody in the group rates the node on a favourable point: a gap in the team's
    /// coverage (only where higher is better).
    pub uncovered: bool,
    /// The node is at the headline level (the brief's gap chart shows only these; a top-level
    /// node of another level is not).
    pub headline: bool,
    /// The numbers behind it, for the gap chart.
    #[serde(skip)]
    pub numbers: Option<GapNumbers>,
}

/// A self-rating gap in numbers: both means, self − everyone else with its false-coverage-rate
/// interval (adjusted as its verdict is), whether the gap is reliable, and the node's scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapNumbers {
    pub self_mean: f64,
    pub others_mean: f64,
    pub gap: (f64, f64, f64),
    pub reliable: bool,
    pub range: Option<(f64, f64)>,
    pub lower_is_better: bool,
}

/// One breakdown attribute in the latest wave, groups in the attribute's declared order.
#[derive(Debug, Clone, Serialize)]
pub struct GroupTable {
    /// The attribute id.
    pub attribute: String,
    /// Its label.
    pub label: String,
    /// The question asked.
    pub question: String,
    /// The wave shown (the latest).
    pub wave: String,
    /// One per group, declared order.
    pub columns: Vec<GroupColumn>,
    /// One per headline node.
    pub rows: Vec<GroupRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityRow {
    /// The node.
    pub label: String,
    /// Its level's label.
    pub level: String,
    /// One per wave: "0.85 (n=120)", "⚠" below the acceptable alpha.
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PanelRow {
    /// The node.
    pub label: String,
    /// Earlier wave.
    pub from: String,
    /// Later wave.
    pub to: String,
    /// Linked respondents.
    pub linked: usize,
    /// Their mean change.
    pub mean_change: String,
    /// Paired t-test p.
    pub p_paired_t: String,
    /// Wilcoxon signed-rank p.
    pub p_wilcoxon: String,
    /// Benjamini-Hochberg q.
    pub q: String,
    /// Mean change / SD of the changes.
    pub d_z: String,
    /// See above.
    pub verdict: Direction,
    /// The verdict with its reason.
    pub word: String,
}

/// Titles, captions and source lines of the charts.
#[derive(Debug, Clone, Serialize)]
pub struct Captions {
    /// Caption of the scorecard chart.
    pub scorecard: String,
    /// Caption of the trend chart.
    pub trend: String,
    /// Title of the distribution chart ("How partners answered, 2025").
    pub distribution_title: String,
    /// Its caption.
    pub distribution: String,
    /// Note on the group charts.
    pub groups: String,
    /// "Scale 0–10, higher is better; whiskers are 90% intervals."
    pub interval_note: String,
    /// "Source: <instrument> (<framework>); respondents: 2023 n=138, ..."
    pub source: String,
}

/// One table of the outputs, declared once (see `report::tables`): its CSV file, its workbook
/// sheet, or both, written from the same columns and rows. Its rows are already suppressed and
/// its words already chosen; the writers only format numbers.
#[derive(Debug, Clone)]
pub struct Table {
    /// The CSV file it is written to ("scores.csv"), if any.
    pub csv: Option<Place>,
    /// The workbook sheet it is written to ("Changes"), if any.
    pub sheet: Option<Place>,
    /// Every column, in the order both places write them (each place keeps its own).
    pub columns: Vec<Column>,
    /// One value per column for every row.
    pub rows: Vec<Vec<Value>>,
}

/// Where a table is written: a file or sheet name, and whether it is left out without rows.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    /// Not written when the table has no rows.
    pub only_with_rows: bool,
}

impl Table {
    /// Whether the table goes to this place: it has one, and rows when it needs them.
    pub fn written<'a>(&self, place: &'a Option<Place>) -> Option<&'a str> {
        place
            .as_ref()
            .filter(|p| !p.only_with_rows || !self.rows.is_empty())
            .map(|p| p.name.as_str())
    }
}

/// One column: its CSV header, its workbook header and width, and how the workbook shows it.
#[derive(Debug, Clone)]
pub struct Column {
    /// The CSV header, when the column is in the CSV.
    pub csv: Option<String>,
    /// The workbook header and column width in characters, when it is in the sheet.
    pub sheet: Option<(String, f64)>,
    /// How the workbook formats its numbers.
    pub kind: Kind,
}

/// How a column's numbers are shown in the workbook (the CSVs write every number whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Count,
    /// Means, SDs, interval bounds, differences, effect sizes: 2 decimals.
    Mean,
    /// Test statistics and alphas: 3 decimals.
    Stat,
    /// p- and q-values: 4 decimals.
    P,
    /// A share 0–1 shown as a percentage.
    Percent,
    /// A percentage 0–100 (`pct_favorable`) shown as a percentage.
    Points,
}

/// One cell: text (written as text, never as a formula), a number, a count, or nothing (not
/// computed, or suppressed).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Count(usize),
    Empty,
}
