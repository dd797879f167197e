//! The report model, built once from the analysis (its types are in `model`) and read by every
//! output (report.html, report.md, brief.pdf, the charts' captions and source lines, the CSVs). Every fact the framework, the instrument or the config decides
//! (level names, scale ranges and labels, favourable points, confidence level, thresholds,
//! titles, who answered) arrives here as data; templates print fields, never assume them.
//! Groups, nodes and items under the suppression threshold carry no numbers from here on
//! (`suppress`); every CSV table and workbook sheet is declared once (`tables`).

mod comments;
mod drivers;
mod facts;
mod group_changes;
mod headline;
mod model;
mod options;
mod suppress;
pub mod tables;
mod text;

pub use comments::{ThemeLine, ThemeView};
pub use headline::{Action, PageOne};
pub use model::*;
pub use options::ReportOptions;
pub use suppress::group_suppressed;

use facts::Facts;

use std::collections::BTreeMap;

use crate::compare::{Comparison, Direction, GroupComparison, PanelComparison};
use crate::framework::{Band, Level, Node, Polarity};
use crate::instrument::Instrument;
use crate::map::{FileAccount, NOT_STATED};
use crate::reliability::Reliability;
use crate::rules::{CompareRules, Rules};
use crate::score::{GroupScore, ScoreRow, Scores, Tally, ITEM_LEVEL};

pub use text::{fixed, p_value, percent};

/// What a run computed, as the report model is built from it.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub initiative: &'a str,
    pub instrument: &'a Instrument,
    pub rules: &'a Rules,
    pub compare: &'a CompareRules,
    pub options: &'a ReportOptions,
    pub accounts: &'a [FileAccount],
    pub scores: &'a Scores,
    pub comparisons: &'a [Comparison],
    pub groups: &'a [(String, Vec<GroupScore>)],
    pub reliability: &'a [Reliability],
    pub panel: &'a [PanelComparison],
    /// Who was invited to each wave, for response rates.
    pub invitations: &'a [Invitation],
    pub group_tests: &'a [GroupComparison],
    /// Each group's change of the tested nodes between the compared waves.
    pub group_changes: &'a [crate::compare::GroupChange],
    pub tallies: &'a [Tally],
    /// What drives each overall item, per wave.
    pub key_drivers: &'a [crate::drivers::KeyDrivers],
    /// Raking weights and weighted estimates, when the config asks for them.
    pub weights: Option<&'a crate::weights::Weighting>,
    /// Theme counts of the open questions, per wave and group.
    pub comments: &'a [crate::comments::themes::ThemeRow],
    /// Example comments per theme, redacted; empty unless `report.quotes`.
    pub quotes: &'a [crate::comments::quotes::Quotes],
}

/// How many were invited to answer one wave, and the roster's mix by attribute option.
#[derive(Debug, Clone, Default)]
pub struct Invitation {
    pub wave: String,
    pub invited: Option<usize>,
    pub invited_by: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Report {
    pub fn build(inputs: &Inputs) -> Report {
        Builder::new(inputs).report()
    }

    /// The table written to a CSV file or a workbook sheet of this name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        let named = |p: &Option<Place>| p.as_ref().is_some_and(|p| p.name == name);
        self.tables.iter().find(|t| named(&t.csv) || named(&t.sheet))
    }
}

struct Builder<'a> {
    i: &'a Inputs<'a>,
    waves: Vec<String>,
    first: String,
    latest: String,
    previous: Option<String>,
    threshold: usize,
    levels: Vec<Level>,
    /// The analysis' rows with the suppressed ones' numbers taken out.
    shown: suppress::Shown,
}

impl<'a> Builder<'a> {
    fn new(i: &'a Inputs<'a>) -> Self {
        let waves = i.scores.waves.clone();
        let mut levels = i.instrument.framework.levels.clone();
        levels.push(Level {
            id: ITEM_LEVEL.into(),
            label: "Item".into(),
            plural: "Items".into(),
        });
        Builder {
            shown: suppress::Shown::of(i, &waves),
            first: waves.first().cloned().unwrap_or_default(),
            latest: waves.last().cloned().unwrap_or_default(),
            previous: (waves.len() > 1).then(|| waves[waves.len() - 2].clone()),
            waves,
            threshold: i.options.suppress_below,
            levels,
            i,
        }
    }

    /// The model in one pass: the facts, then the rows, then the words and tables that read
    /// them, each computed once and moved in.
    fn report(&self) -> Report {
        let i = self.i;
        let fw = &i.instrument.framework;
        let f = self.facts();
        let headline: Vec<NodeRow> = fw
            .nodes_at(&fw.headline_level)
            .map(|n| self.node_row(n, 0))
            .collect();
        let sections: Vec<Section> = fw.tops().map(|top| self.section(top)).collect();
        let accounts: Vec<Account> = i.accounts.iter().map(|a| self.account(a)).collect();
        let group_findings = self.group_findings();
        let self_gaps = self.self_gaps();
        let (instrument, framework) = self.named();
        Report {
            title: fw.title.clone(),
            initiative: i.initiative.to_string(),
            instrument,
            framework,
            verdicts: self.verdicts(&sections),
            drivers: self.drivers(),
            key_drivers: self.key_drivers(),
            themes: comments::views(
                i.comments,
                i.quotes,
                &i.instrument.comments,
                i.compare.alpha,
                &f.respondents,
            ),
            changes: self.change_lines(),
            other_changes: self.other_changes(),
            multi: f.waves.len() > 1,
            discuss: self.discuss(&sections, &group_findings, &self_gaps, &accounts),
            page_one: headline::page_one(i, &f, &sections),
            findings: text::findings(&f, &headline, &accounts),
            method_note: text::method_note(&f),
            methods: self.methods(&f, &sections, &accounts),
            tables: self.tables(&headline, &f.headline_level, &sections, &accounts),
            mix: self.mix(),
            groups: self.group_tables(),
            node_questions: self.node_questions(),
            frameworks: fw.members.clone(),
            reliability: self.reliability_rows(),
            panel: self.panel_rows(),
            weights: self.weights(),
            captions: self.captions(),
            date: i.options.date.clone(),
            score_bounds: self.score_bounds(),
            brief_template: i.options.brief_template.clone(),
            chart_titles: i.options.chart_titles,
            group_findings,
            self_gaps,
            headline,
            sections,
            accounts,
            respondents: f.respondents,
            headline_level: f.headline_level,
            levels: f.levels,
            waves: f.waves,
            first: f.first,
            latest: f.latest,
            previous: f.previous,
            confidence: f.confidence,
            min_answered: f.min_answered,
            complete_at: f.complete_at,
            partial_at: f.partial_at,
            suppress_below: f.suppress_below,
            min_alpha: f.min_alpha,
            compare_alpha: f.compare_alpha,
            min_effect: f.min_effect,
            bands: f.bands,
            scale_phrase: f.scale_phrase,
            scales: f.scales,
            score_range: f.score_range,
            reverse_items: f.reverse_items,
            level_names: f.level_names,
            level_plurals: f.level_plurals,
            version: f.version,
        }
    }

    /// The instrument and the primary framework, as the reports name them.
    fn named(&self) -> (Named, FrameworkInfo) {
        let (instrument, fw) = (self.i.instrument, &self.i.instrument.framework);
        let named = Named {
            id: instrument.id.clone(),
            name: instrument.name.clone(),
            intro: instrument.intro.clone(),
        };
        let info = FrameworkInfo {
            id: fw.id.clone(),
            name: fw.name.clone(),
            source: fw.source.clone(),
            notes: fw.notes.clone(),
        };
        (named, info)
    }

    /// The run's facts, for the model and for every sentence that states them.
    fn facts(&self) -> Facts {
        let i = self.i;
        let scales = self.scales();
        Facts {
            respondents: i.instrument.respondents.clone(),
            headline_level: self.level(&i.instrument.framework.headline_level),
            levels: self.levels.clone(),
            waves: self.waves.clone(),
            first: self.first.clone(),
            latest: self.latest.clone(),
            previous: self.previous.clone(),
            confidence: Share::of(i.rules.confidence),
            min_answered: Share::of(i.rules.min_answered),
            complete_at: Share::of(i.options.complete_at),
            partial_at: Share::of(i.options.partial_at),
            suppress_below: self.threshold,
            min_alpha: i.options.min_alpha,
            compare_alpha: i.compare.alpha.to_string(),
            min_effect: i.compare.min_effect.word().to_string(),
            bands: self.bands().to_vec(),
            scale_phrase: text::scale_phrase(&scales),
            scales,
            score_range: self.score_range(),
            reverse_items: i.instrument.items.iter().filter(|it| it.reverse).count(),
            level_names: self.level_names(),
            level_plurals: self.level_plurals(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// The full methods: the scoring and tests, then key drivers and weights where run.
    fn methods(&self, f: &Facts, sections: &[Section], accounts: &[Account]) -> Vec<String> {
        let i = self.i;
        let mut methods = text::methods(f, sections, accounts, i);
        methods.extend(drivers::method(
            i.key_drivers,
            i.rules.confidence,
            &f.headline_level.plural,
        ));
        if let Some(w) = i.weights {
            methods.extend(crate::weights::report::methods(w, i.instrument, i.compare));
        }
        methods
    }

    /// The weights section, its numbers suppressed as the unweighted ones are.
    fn weights(&self) -> Option<crate::weights::report::WeightsReport> {
        let i = self.i;
        i.weights.map(|w| {
            let w = w.suppressed(self.threshold, &[]);
            crate::weights::report::section(
                &w,
                i.scores,
                i.instrument,
                &self.waves,
                i.compare,
                self.threshold,
            )
        })
    }

    fn level(&self, id: &str) -> Level {
        self.levels
            .iter()
            .find(|l| l.id == id)
            .cloned()
            .unwrap_or_else(|| Level {
                id: id.into(),
                label: id.into(),
                plural: id.into(),
            })
    }

    fn verdicts(&self, sections: &[Section]) -> Vec<VerdictGroup> {
        let fw = &self.i.instrument.framework;
        let mut groups: Vec<VerdictGroup> = Vec::new();
        for (top, section) in fw.tops().zip(sections) {
            let row = &section.rows[0];
            let latest = row.cells.last().and_then(|c| c.as_ref());
            let mean_text = latest.map_or_else(|| "–".into(), |c| c.mean_text.clone());
            let recent = row.change_recent.as_ref().map(|c| c.phrase.clone());
            let overall = row.change_overall.as_ref().map(|c| c.phrase.clone());
            let range = self
                .range_of(&top.id)
                .map_or_else(String::new, |(lo, hi)| format!("{lo}–{hi}"));
            let detail = match latest {
                Some(cell) if cell.suppressed => format!(
                    "not shown: fewer than {} {} answered in {}.",
                    self.threshold, self.i.instrument.respondents.many, self.latest
                ),
                _ => text::verdict_detail(row, &mean_text, &range, [&recent, &overall]),
            };
            let line = VerdictLine {
                sentence: match &row.band {
                    Some(band) => format!("{band}: {detail}"),
                    None => detail.clone(),
                },
                detail,
                label: section.label.clone(),
                band: row.band.clone(),
                mean_text,
                favourable: row.favourable.clone(),
                lower_is_better: row.lower_is_better,
                recent,
                overall,
            };
            match groups.iter_mut().find(|g| g.level.id == top.level) {
                Some(group) => group.lines.push(line),
                None => groups.push(VerdictGroup {
                    level: self.level(&top.level),
                    lines: vec![line],
                }),
            }
        }
        groups
    }

    fn reliability_flag(&self, id: &str, wave: &str) -> Option<String> {
        // A suppressed alpha is gone, so never flagged.
        let (r, _) = self.shown.alpha(id, wave)?;
        let min_alpha = self.i.options.min_alpha;
        // Said as what it means for the score: its items do not hang together well enough for
        // one number to stand for them.
        r.flagged(min_alpha).then(|| {
            format!(
                "its items agree only loosely (alpha {:.2}, below {min_alpha}): read them one by one",
                r.alpha.unwrap_or_default()
            )
        })
    }

    fn comparison(&self, id: &str, from: &str, to: &str) -> Option<&Comparison> {
        self.shown_comparisons()
            .find(|c| c.id == id && c.pair.from == from && c.pair.to == to)
    }

    /// Every top-level and headline node with a reliable change, for each pair the reports
    /// show, with the parts under it that moved in the same pair.
    fn drivers(&self) -> Vec<Driver> {
        let instrument = self.i.instrument;
        let fw = &instrument.framework;
        let mut pairs: Vec<(String, String)> = Vec::new();
        if let Some(previous) = &self.previous {
            pairs.push((previous.clone(), self.latest.clone()));
        }
        if self.waves.len() > 2 {
            pairs.push((self.first.clone(), self.latest.clone()));
        }
        let mut nodes: Vec<&Node> = fw.tops().collect();
        for n in fw.nodes_at(&fw.headline_level) {
            if !nodes.iter().any(|m| m.id == n.id) {
                nodes.push(n);
            }
        }
        let moved = |c: &Comparison| matches!(c.direction, Direction::Improved | Direction::Declined);
        let mut drivers = Vec::new();
        for (from, to) in &pairs {
            for node in &nodes {
                let Some(change) = self.comparison(&node.id, from, to).filter(|c| moved(c)) else {
                    continue;
                };
                let mut parts = Vec::new();
                let descendants = fw.nodes.iter().filter(|n| {
                    n.id != node.id
                        && fw
                            .ancestry(&n.id)
                            .unwrap_or_default()
                            .iter()
                            .any(|a| a.id == node.id)
                });
                // A part tested with another part (one item alone measuring its indicator) is
                // that part's change, listed once, with the item as its statement.
                let own = |c: &&Comparison| moved(c) && c.tested_with.as_ref().is_none_or(|h| *h == node.id);
                for part in descendants {
                    if let Some(c) = self.comparison(&part.id, from, to).filter(own) {
                        parts.push(self.driver_part(c, &part.level, false, false));
                    }
                }
                for item in instrument.items_under(&node.id) {
                    if let Some(c) = self.comparison(&item.id, from, to).filter(own) {
                        parts.push(self.driver_part(c, ITEM_LEVEL, true, item.reverse));
                    }
                }
                let children: Vec<&Node> = fw.children(&node.id).collect();
                let spread = parts.is_empty().then(|| {
                    let (count, level) = match children.first() {
                        Some(child) => (children.len(), self.level(&child.level)),
                        None => (instrument.items_under(&node.id).len(), self.level(ITEM_LEVEL)),
                    };
                    let what = if count == 1 { level.label } else { level.plural };
                    format!(
                        "No single {} changed reliably on its own: the shift is spread across its {count} {}.",
                        self.level(children.first().map_or(ITEM_LEVEL, |c| c.level.as_str())).label.to_lowercase(),
                        what.to_lowercase()
                    )
                });
                drivers.push(Driver {
                    label: node.label.clone(),
                    level_label: self.level(&node.level).label,
                    from: from.clone(),
                    to: to.clone(),
                    verdict: change.direction,
                    phrase: text::change_phrase(change, &instrument.respondents),
                    parts,
                    spread,
                });
            }
        }
        drivers
    }

    fn driver_part(&self, c: &Comparison, level: &str, is_item: bool, reverse: bool) -> DriverPart {
        DriverPart {
            level_label: self.level(level).label,
            label: c.label.clone(),
            is_item,
            reverse,
            verdict: c.direction,
            word: c.direction.word().into(),
            diff: c.diff.map_or_else(String::new, |d| format!("{d:+.2}")),
            statements: if is_item {
                Vec::new()
            } else {
                self.i
                    .instrument
                    .items_under(&c.id)
                    .iter()
                    .map(|it| it.text.clone())
                    .collect()
            },
            reliability_flag: self.reliability_flag(&c.id, &c.pair.to),
        }
    }

    fn invitation(&self, wave: &str) -> Option<&Invitation> {
        self.i.invitations.iter().find(|w| w.wave == wave)
    }

    fn account(&self, a: &FileAccount) -> Account {
        let invited = self.invitation(&a.wave).and_then(|w| w.invited);
        let rate = |count: usize| invited.filter(|&n| n > 0).map(|n| count as f64 / n as f64);
        let options = self.i.options;
        let complete = a.rows_answering(options.complete_at);
        let partial = a.rows_answering(options.partial_at) - complete;
        let (rr1, rr2) = (rate(complete), rate(complete + partial));
        let minimum = self.i.options.min_response_rate;
        Account {
            wave: a.wave.clone(),
            file: a
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            platform: a.platform.to_string(),
            detected: a.detected,
            encoding: a.encoding.clone(),
            read: a.rows_read,
            used: a.rows_used,
            answered: self.i.instrument.respondents.count(a.rows_used),
            skipped: a.rows_skipped(),
            complete,
            partial,
            complete_share: (a.rows_used > 0)
                .then(|| format!("{:.1}%", complete as f64 / a.rows_used as f64 * 100.0)),
            invited,
            rr1: rr1.map(|r| format!("{:.1}%", r * 100.0)),
            rr2: rr2.map(|r| format!("{:.1}%", r * 100.0)),
            caution: rr2.filter(|&r| r < minimum).map(|r| {
                format!(
                    "The response rate in {} ({:.0}%) is below {}: the answers may not represent everyone invited.",
                    a.wave,
                    r * 100.0,
                    percent(minimum)
                )
            }),
            skip_reasons: a
                .skipped
                .iter()
                .map(|(reason, count)| format!("{count} row(s) skipped: {}", reason.describe()))
                .collect(),
            unknown_answers: a.unknown_answers,
            unknown_attributes: a.unknown_attributes,
            several_choices: a.several_choices,
            dropped_columns: a.dropped_columns.len(),
            unmapped_columns: a.unmapped_columns.len(),
            comment_columns: a.comment_columns.len(),
            missing_items: a.missing_items.clone(),
            did_you_mean: a.did_you_mean.iter().map(|d| d.describe()).collect(),
        }
    }

    fn mix(&self) -> Vec<MixTable> {
        let i = self.i;
        i.groups
            .iter()
            .filter_map(|(attribute, scores)| {
                let attr = i.instrument.attributes.iter().find(|a| a.id == *attribute)?;
                let mut names: Vec<&str> = scores.iter().map(|s| s.group.as_str()).collect();
                names.sort_by_key(|g| (*g == NOT_STATED, attr.rank(g), g.to_string()));
                names.dedup();
                let roster = self
                    .invitation(&self.latest)
                    .and_then(|w| w.invited_by.get(attribute));
                let rows = names
                    .into_iter()
                    .map(|group| MixRow {
                        group: group.to_string(),
                        respondents: self
                            .waves
                            .iter()
                            .map(|w| {
                                let n = scores
                                    .iter()
                                    .find(|s| s.wave == *w && s.group == group)
                                    .map_or(0, |s| s.respondents);
                                if n > 0 && self.suppressed(n) {
                                    format!("<{}", self.threshold)
                                } else {
                                    n.to_string()
                                }
                            })
                            .collect(),
                        invited: roster.and_then(|r| r.get(group).copied()),
                    })
                    .collect();
                Some(MixTable {
                    attribute: attribute.clone(),
                    label: attr.label().to_string(),
                    rows,
                })
            })
            .collect()
    }

    fn group_test(&self, attribute: &str, group: &str, id: &str) -> Option<&GroupComparison> {
        self.i
            .group_tests
            .iter()
            .find(|g| g.attribute == attribute && g.group == group && g.id == id && g.wave == self.latest)
    }

    fn difference(&self, g: &GroupComparison) -> Option<GroupDifference> {
        if self.suppressed(g.n_group) || self.suppressed(g.n_rest) {
            return None;
        }
        let o = g.outcome?;
        Some(GroupDifference {
            diff: g.interval.map_or_else(String::new, |i| format!("{:+.2}", i.diff)),
            // Beside a verdict, the interval adjusted as the verdict is.
            ci: g
                .fcr
                .map_or_else(String::new, |i| format!("{:+.2} to {:+.2}", i.low, i.high)),
            verdict: g.direction,
            word: match g.direction {
                Direction::Improved => "better than everyone else".into(),
                Direction::Declined => "worse than everyone else".into(),
                Direction::TooSmall => "reliable but too small a difference".into(),
                _ => "no reliable difference".into(),
            },
            q: p_value(Some(o.q)),
            rest_mean: fixed(g.mean_rest, 2),
        })
    }

    fn self_gaps(&self) -> Vec<SelfGap> {
        let i = self.i;
        let fw = &i.instrument.framework;
        let mut nodes: Vec<&Node> = fw.nodes_at(&fw.headline_level).collect();
        let headline = nodes.len();
        for top in fw.tops() {
            if !nodes.iter().any(|n| n.id == top.id) {
                nodes.push(top);
            }
        }
        i.instrument
            .attributes
            .iter()
            .filter(|a| i.groups.iter().any(|(id, _)| *id == a.id))
            .filter_map(|a| {
                let group = a.self_rating.as_ref()?;
                let rows: Vec<SelfGapRow> = nodes
                    .iter()
                    .enumerate()
                    .filter_map(|(at, node)| {
                        let test = self.group_test(&a.id, group, &node.id)?;
                        let mut gap = self.difference(test)?;
                        gap.word = match test.direction {
                            Direction::Improved | Direction::Declined => format!(
                                "{group} rate it {} than everyone else does",
                                if test.mean_group > test.mean_rest {
                                    "higher"
                                } else {
                                    "lower"
                                }
                            ),
                            Direction::TooSmall => "reliable but too small a gap".into(),
                            _ => "no reliable gap".into(),
                        };
                        let floor = self.favourable_floor(&node.id);
                        Some(SelfGapRow {
                            label: node.label.clone(),
                            self_mean: fixed(test.mean_group, 2),
                            others_mean: fixed(test.mean_rest, 2),
                            n_self: test.n_group,
                            n_others: test.n_rest,
                            gap,
                            uncovered: floor
                                .zip(test.max_group)
                                .is_some_and(|(floor, best)| best < floor),
                            headline: at < headline,
                            numbers: self.gap_numbers(test, &node.id),
                        })
                    })
                    .collect();
                (!rows.is_empty()).then(|| SelfGap {
                    attribute: a.label().to_string(),
                    group: group.clone(),
                    wave: self.latest.clone(),
                    rows,
                })
            })
            .collect()
    }

    fn gap_numbers(&self, test: &GroupComparison, id: &str) -> Option<GapNumbers> {
        // Drawn beside the verdict, so adjusted as the verdict is (an interval that excludes
        // zero is then a reliable gap).
        let (interval, adjusted) = (test.interval?, test.fcr?);
        Some(GapNumbers {
            self_mean: test.mean_group?,
            others_mean: test.mean_rest?,
            gap: (interval.diff, adjusted.low, adjusted.high),
            reliable: matches!(test.direction, Direction::Improved | Direction::Declined),
            range: self.range_of(id).map(|(lo, hi)| (lo as f64, hi as f64)),
            lower_is_better: test.lower_is_better,
        })
    }

    /// The lowest favourable point of a node's scale, where higher is better.
    fn favourable_floor(&self, id: &str) -> Option<f64> {
        let instrument = self.i.instrument;
        if instrument.framework.polarity(id) == Polarity::LowerIsBetter {
            return None;
        }
        let item = *instrument.items_under(id).first()?;
        instrument
            .scale_of(item)
            .oriented_points(false)
            .iter()
            .find(|p| p.favourable)
            .map(|p| p.value as f64)
    }

    /// One sentence per group that rates the headline nodes reliably differently from
    /// everyone else in the latest wave.
    fn group_findings(&self) -> Vec<String> {
        let fw = &self.i.instrument.framework;
        let level = self.level(&fw.headline_level);
        let total = fw.nodes_at(&fw.headline_level).count();
        let mut out = Vec::new();
        for (attribute, _) in self.i.groups {
            let tests: Vec<&GroupComparison> = self
                .i
                .group_tests
                .iter()
                .filter(|g| {
                    g.attribute == *attribute
                        && g.wave == self.latest
                        && g.level == fw.headline_level
                        && g.group != NOT_STATED
                        && g.outcome.is_some()
                        && !self.suppressed(g.n_group)
                })
                .collect();
            let mut names: Vec<&str> = Vec::new();
            for g in &tests {
                if !names.contains(&g.group.as_str()) {
                    names.push(&g.group);
                }
            }
            for name in names {
                let own: Vec<&&GroupComparison> = tests.iter().filter(|g| g.group == name).collect();
                for (verdict, word) in [
                    (Direction::Declined, "less favourably"),
                    (Direction::Improved, "more favourably"),
                ] {
                    // Named, not only counted: the reader acts on which ones.
                    let reliable: Vec<&str> = own
                        .iter()
                        .filter(|g| g.direction == verdict)
                        .map(|g| g.label.as_str())
                        .collect();
                    if reliable.is_empty() {
                        continue;
                    }
                    let better = verdict == Direction::Improved;
                    let same_side = own
                        .iter()
                        .filter(|g| {
                            let diff = g.mean_group.zip(g.mean_rest).map_or(0.0, |(a, b)| a - b);
                            let good = (diff > 0.0) != g.lower_is_better;
                            good == better && diff != 0.0
                        })
                        .count();
                    let attribute = self
                        .i
                        .instrument
                        .attributes
                        .iter()
                        .find(|a| a.id == *attribute)
                        .map_or(attribute.as_str(), |a| a.label());
                    out.push(format!(
                        "In {}, {name} ({}) rated {same_side} of {total} {} {word} than everyone else, reliably so on {}: {}.",
                        self.latest,
                        attribute.to_lowercase(),
                        level.plural.to_lowercase(),
                        reliable.len(),
                        text::and_list(&reliable),
                    ));
                }
            }
        }
        out
    }

    /// What to discuss, one bullet per topic: a node that declined and sits in the lowest band
    /// is one bullet saying both.
    fn discuss(
        &self,
        sections: &[Section],
        group_findings: &[String],
        self_gaps: &[SelfGap],
        accounts: &[Account],
    ) -> Vec<String> {
        let mut out = Vec::new();
        // The largest reliable declines among framework nodes, latest wave against earlier ones.
        let mut declines: Vec<&Comparison> = self
            .shown_comparisons()
            .filter(|c| c.level != ITEM_LEVEL && c.pair.to == self.latest)
            .filter(|c| c.direction == Direction::Declined)
            .collect();
        declines.sort_by(|a, b| {
            let size = |c: &Comparison| c.outcome.and_then(|o| o.effect).map_or(0.0, f64::abs);
            size(b).total_cmp(&size(a))
        });
        let lowest_band = self.bands().last().map(|b| b.label.clone());
        let low = self.lowest_scores(sections, lowest_band.as_deref());
        let mut named: Vec<&str> = Vec::new();
        for c in declines {
            if named.contains(&c.id.as_str()) || named.len() == 3 {
                continue;
            }
            named.push(&c.id);
            let now_low = match (&lowest_band, low.iter().any(|(id, ..)| *id == c.id)) {
                (Some(band), true) => format!("; {band} in {}", self.latest),
                _ => String::new(),
            };
            out.push(format!(
                "Decline: {} ({}), {} ({} → {}){now_low}.",
                c.label,
                self.level(&c.level).label.to_lowercase(),
                text::change_phrase(c, &self.i.instrument.respondents),
                fixed(c.mean_from, 2),
                fixed(c.mean_to, 2)
            ));
        }
        if let Some(band) = &lowest_band {
            for (_, label, level, mean) in low.iter().filter(|(id, ..)| !named.contains(&id.as_str())) {
                out.push(format!(
                    "{band}: {label} ({}) scores {mean:.2} in {}.",
                    level.to_lowercase(),
                    self.latest
                ));
            }
        }
        out.extend(group_findings.iter().cloned());
        for gap in self_gaps {
            for row in gap.rows.iter().filter(|r| r.uncovered) {
                out.push(format!(
                    "Coverage: no {} respondent rates {} favourably ({} against {} from everyone else).",
                    gap.group, row.label, row.self_mean, row.others_mean
                ));
            }
        }
        out.extend(accounts.iter().filter_map(|a| a.caution.clone()));
        out
    }

    /// The three lowest-scoring nodes in the lowest band, latest wave: (id, label, level, mean).
    fn lowest_scores(&self, sections: &[Section], band: Option<&str>) -> Vec<(String, String, String, f64)> {
        let Some(band) = band else { return Vec::new() };
        let fw = &self.i.instrument.framework;
        let mut low: Vec<(String, String, String, f64)> = sections
            .iter()
            .flat_map(|s| s.rows.iter())
            .filter(|r| !r.is_item && r.band.as_deref() == Some(band))
            .filter_map(|r| {
                let mean = r.cells.last()?.as_ref()?.mean?;
                let label = fw.node(&r.id).map_or(r.label.as_str(), |n| n.label.as_str());
                Some((r.id.clone(), label.to_string(), r.level_label.clone(), mean))
            })
            .collect();
        low.sort_by(|a, b| a.3.total_cmp(&b.3));
        low.dedup_by(|a, b| a.1 == b.1);
        low.truncate(3);
        low
    }

    fn node_questions(&self) -> Vec<NodeQuestion> {
        let i = self.i;
        let fw = &i.instrument.framework;
        i.instrument
            .attributes
            .iter()
            .filter_map(|a| {
                let node = fw.node(a.about.as_deref()?)?;
                let tally = i
                    .tallies
                    .iter()
                    .find(|t| t.attribute == a.id && t.wave == self.latest)?;
                let answered: Vec<&(String, usize)> =
                    tally.counts.iter().filter(|(o, _)| o != NOT_STATED).collect();
                let n: usize = answered.iter().map(|(_, c)| c).sum();
                let suppressed = self.suppressed(n);
                let beside = a.beside.as_ref().and_then(|key| node.properties.get(key));
                let most = answered
                    .iter()
                    .filter(|(_, c)| *c > 0 && !suppressed)
                    .fold(None::<&&(String, usize)>, |best, x| match best {
                        Some(b) if b.1 >= x.1 => Some(b),
                        _ => Some(x),
                    })
                    .map(|(o, _)| o.clone());
                Some(NodeQuestion {
                    node: node.label.clone(),
                    level_label: self.level(&node.level).label,
                    question: a.question.clone(),
                    beside_label: a.beside.as_deref().map(text::key_words),
                    beside: beside.map(|p| p.texts().join("; ")),
                    n,
                    suppressed,
                    answers: answered
                        .iter()
                        .map(|(option, count)| {
                            let percent = (!suppressed && n > 0).then(|| 100.0 * *count as f64 / n as f64);
                            OptionShare {
                                option: option.clone(),
                                n: (!suppressed).then_some(*count),
                                share: percent.map_or_else(String::new, |p| format!("{p:.0}%")),
                                percent,
                            }
                        })
                        .collect(),
                    most,
                })
            })
            .collect()
    }

    fn level_names(&self) -> String {
        let fw = &self.i.instrument.framework;
        let names: Vec<String> = fw.levels.iter().map(|l| l.label.to_lowercase()).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        text::or_list(&refs)
    }

    fn level_plurals(&self) -> String {
        let names: Vec<String> = self.levels.iter().map(|l| l.plural.to_lowercase()).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        text::and_list(&refs)
    }

    /// The comparison rows that are not suppressed.
    fn shown_comparisons(&self) -> impl Iterator<Item = &Comparison> {
        self.i
            .comparisons
            .iter()
            .filter(|c| !self.suppressed(c.n_from) && !self.suppressed(c.n_to))
    }

    fn change_lines(&self) -> Vec<ChangeLine> {
        let fw = &self.i.instrument.framework;
        self.i
            .comparisons
            .iter()
            .filter(|c| c.level == fw.headline_level)
            .map(|c| {
                let hidden = self.suppressed(c.n_from) || self.suppressed(c.n_to);
                let o = c.outcome.filter(|_| !hidden);
                ChangeLine {
                    label: c.label.clone(),
                    from: c.pair.from.clone(),
                    to: c.pair.to.clone(),
                    // Beside a verdict, the interval adjusted as the verdict is.
                    difference: match (c.interval.filter(|_| !hidden), c.fcr) {
                        (Some(i), Some(f)) => format!("{:+.2} [{:+.2}, {:+.2}]", i.diff, f.low, f.high),
                        (Some(i), None) => format!("{:+.2}", i.diff),
                        (None, _) => "not computable".into(),
                    },
                    p: p_value(o.map(|o| o.p)),
                    q: p_value(o.map(|o| o.q)),
                    effect: o.map_or_else(String::new, |o| {
                        o.effect.map_or_else(String::new, |e| {
                            format!(
                                "{} {e:+.2} ({})",
                                o.test.effect_measure(),
                                o.magnitude.map_or("", |m| m.word())
                            )
                        })
                    }),
                    verdict: if hidden { Direction::NotTested } else { c.direction },
                    word: if hidden {
                        format!("not shown: fewer than {} respondents", self.threshold)
                    } else {
                        c.direction.with_note(&c.note)
                    },
                }
            })
            .collect()
    }

    fn other_changes(&self) -> Vec<OtherChange> {
        let fw = &self.i.instrument.framework;
        self.shown_comparisons()
            .filter(|c| c.level != fw.headline_level)
            .filter(|c| matches!(c.direction, Direction::Improved | Direction::Declined))
            // An item tested with the node it alone measures is that node's line.
            .filter(|c| c.tested_with.is_none())
            .map(|c| {
                let o = c.outcome.as_ref();
                OtherChange {
                    level: c.level.clone(),
                    label: c.label.clone(),
                    reverse: self
                        .i
                        .instrument
                        .items
                        .iter()
                        .any(|it| it.id == c.id && it.reverse),
                    from: c.pair.from.clone(),
                    to: c.pair.to.clone(),
                    verdict: c.direction,
                    word: c.direction.word().into(),
                    q: p_value(o.map(|o| o.q)),
                    effect: format!(
                        "{} {}",
                        o.map_or("", |o| o.test.effect_measure()),
                        fixed(o.and_then(|o| o.effect), 2)
                    ),
                }
            })
            .collect()
    }

    fn scales(&self) -> Vec<ScaleInfo> {
        self.i
            .instrument
            .scales
            .iter()
            .map(|(id, s)| {
                let points = s.oriented_points(false);
                let favourable: Vec<&str> = points
                    .iter()
                    .filter(|p| p.favourable)
                    .map(|p| p.label.as_str())
                    .collect();
                ScaleInfo {
                    id: id.clone(),
                    label: s.label.clone(),
                    range: s.range_text(),
                    favourable: text::or_list(&favourable),
                    missing: s.missing.clone(),
                    best_first: s.best_first,
                    points,
                }
            })
            .collect()
    }

    /// The range the headline nodes are scored on (the union, should their scales differ):
    /// what the charts plot and the captions name, not another section's longer scale.
    /// Every scale's union when no headline node has an item.
    fn score_bounds(&self) -> (f64, f64) {
        let fw = &self.i.instrument.framework;
        let ranges: Vec<(i64, i64)> = fw
            .nodes_at(&fw.headline_level)
            .filter_map(|n| self.range_of(&n.id))
            .collect();
        let (lo, hi) = if ranges.is_empty() {
            let scales = self.i.instrument.scales.values();
            let lo = scales.clone().map(|s| s.min()).min().unwrap_or(0);
            (lo, scales.map(|s| s.max()).max().unwrap_or(0))
        } else {
            let lo = ranges.iter().map(|r| r.0).min().unwrap_or(0);
            (lo, ranges.iter().map(|r| r.1).max().unwrap_or(0))
        };
        (lo as f64, hi as f64)
    }

    fn score_range(&self) -> String {
        let (lo, hi) = self.score_bounds();
        format!("{lo}–{hi}")
    }

    fn suppressed(&self, n: usize) -> bool {
        suppress::suppressed(n, self.threshold)
    }

    fn cell(&self, row: Option<&ScoreRow>) -> Option<Cell> {
        let row = row?;
        let suppressed = self.suppressed(row.n);
        let mean = row.mean.filter(|_| !suppressed);
        Some(Cell {
            n: row.n,
            suppressed,
            mean,
            mean_text: mean.map_or_else(|| "–".to_string(), |m| format!("{m:.2}")),
            ci: row.ci.filter(|_| !suppressed),
            ci_text: row
                .ci
                .filter(|_| !suppressed)
                .map_or_else(String::new, |(lo, hi)| format!("{lo:.2}–{hi:.2}")),
        })
    }

    fn change(&self, id: &str, from: &str, to: &str) -> Option<Change> {
        let c = self
            .i
            .comparisons
            .iter()
            .find(|c| c.id == id && c.pair.from == from && c.pair.to == to)?;
        if self.suppressed(c.n_from) || self.suppressed(c.n_to) {
            return Some(Change {
                from: from.into(),
                to: to.into(),
                diff: String::new(),
                ci: String::new(),
                verdict: Direction::NotTested,
                word: Direction::NotTested.word().into(),
                phrase: format!(
                    "too few {} to compare with {from}",
                    self.i.instrument.respondents.many
                ),
                sized: String::new(),
                evidence: format!("fewer than {} respondents", self.threshold),
            });
        }
        Some(Change {
            from: from.into(),
            to: to.into(),
            diff: c.diff.map_or_else(String::new, |d| format!("{d:+.2}")),
            // Beside a verdict, the interval adjusted as the verdict is.
            ci: c
                .fcr
                .map_or_else(String::new, |i| format!("{:+.2} to {:+.2}", i.low, i.high)),
            verdict: c.direction,
            word: c.direction.word().into(),
            phrase: text::change_phrase(c, &self.i.instrument.respondents),
            sized: text::clear_change(c),
            evidence: c.outcome.map_or_else(
                || c.note.clone(),
                |o| {
                    let effect = o
                        .effect
                        .map_or_else(String::new, |e| format!(", {} {e:+.2}", o.test.effect_measure()));
                    format!("q = {}{effect}", p_value(Some(o.q)))
                },
            ),
        })
    }

    fn row(&self, id: &str, label: &str, level: &str, depth: usize) -> NodeRow {
        let scores = self.i.scores;
        let latest = scores.row(&self.latest, id).filter(|r| !self.suppressed(r.n));
        let item = self.i.instrument.items.iter().find(|it| it.id == id);
        let polarity = match item {
            Some(it) => self.i.instrument.framework.polarity(&it.indicator),
            None => self.i.instrument.framework.polarity(id),
        };
        NodeRow {
            id: id.into(),
            label: label.into(),
            level: level.into(),
            level_label: self.level(level).label,
            depth,
            is_item: item.is_some(),
            reverse: item.is_some_and(|it| it.reverse),
            lower_is_better: polarity == Polarity::LowerIsBetter,
            cells: self.waves.iter().map(|w| self.cell(scores.row(w, id))).collect(),
            favourable: latest
                .and_then(|r| r.pct_favorable)
                .map_or_else(String::new, |p| format!("{p:.0}%")),
            reliability_flag: self.reliability_flag(id, &self.latest),
            band: latest
                .and_then(|r| r.mean)
                .and_then(|m| self.band(id, m, polarity == Polarity::LowerIsBetter)),
            change_recent: self
                .previous
                .as_ref()
                .and_then(|p| self.change(id, p, &self.latest)),
            change_overall: (self.waves.len() > 2)
                .then(|| self.change(id, &self.first, &self.latest))
                .flatten(),
            answers: latest.and_then(|r| self.answers(id, r)),
            range: self.range_of(id).map(|(lo, hi)| (lo as f64, hi as f64)),
        }
    }

    /// The range of the scale a node's (or item's) scores are on.
    fn range_of(&self, id: &str) -> Option<(i64, i64)> {
        let instrument = self.i.instrument;
        let item = match instrument.items.iter().find(|it| it.id == id) {
            Some(item) => item,
            None => *instrument.items_under(id).first()?,
        };
        let scale = instrument.scale_of(item);
        Some((scale.min(), scale.max()))
    }

    /// The interpretive band of a score, by its position in its scale's range (mirrored where
    /// lower is better).
    fn band(&self, id: &str, mean: f64, lower_is_better: bool) -> Option<String> {
        let (lo, hi) = self.range_of(id)?;
        let position = (mean - lo as f64) / (hi - lo) as f64;
        let position = if lower_is_better { 1.0 - position } else { position };
        Band::of(self.bands(), position).map(|b| b.label.clone())
    }

    fn bands(&self) -> &[Band] {
        self.i
            .options
            .bands
            .as_deref()
            .unwrap_or(&self.i.instrument.framework.bands)
    }

    fn node_row(&self, node: &Node, depth: usize) -> NodeRow {
        self.row(&node.id, &node.label, &node.level, depth)
    }

    /// The latest wave's answer shares, when every item under the node shares one scale.
    fn answers(&self, id: &str, row: &ScoreRow) -> Option<Answers> {
        let instrument = self.i.instrument;
        let items = match instrument.items.iter().find(|it| it.id == id) {
            Some(item) => vec![item],
            None => instrument.items_under(id),
        };
        let scale = &items.first()?.scale;
        if items.iter().any(|it| &it.scale != scale) {
            return None;
        }
        let index = instrument.scales.keys().position(|k| k == scale)?;
        let points = instrument.scales[scale].oriented_points(false);
        let n: usize = row.counts.values().sum();
        (n > 0).then(|| Answers {
            scale: index,
            shares: points
                .iter()
                .map(|p| 100.0 * row.counts.get(&p.value).copied().unwrap_or(0) as f64 / n as f64)
                .collect(),
            n,
        })
    }

    /// A top-level node, then depth-first every node under it, each followed by its own items.
    fn section(&self, top: &Node) -> Section {
        let mut rows = Vec::new();
        self.descend(top, 0, &mut rows);
        let mut total = rows.remove(0);
        total.label = format!("All {} items", top.label);
        rows.insert(0, total);
        Section {
            level_label: self.level(&top.level).label,
            label: top.label.clone(),
            description: top.description.clone().unwrap_or_default(),
            tags: top.tags.clone(),
            facts: top
                .properties
                .iter()
                .map(|(k, v)| (text::key_words(k), v.texts().join("; ")))
                .collect(),
            rows,
        }
    }

    fn descend(&self, node: &Node, depth: usize, rows: &mut Vec<NodeRow>) {
        let fw = &self.i.instrument.framework;
        rows.push(self.node_row(node, depth));
        for child in fw.children(&node.id) {
            self.descend(child, depth + 1, rows);
        }
        for item in self
            .i
            .instrument
            .items
            .iter()
            .filter(|it| it.indicator == node.id)
        {
            let scored = self
                .waves
                .iter()
                .any(|w| self.i.scores.row(w, &item.id).is_some());
            if scored {
                rows.push(self.row(&item.id, &item.text, ITEM_LEVEL, depth + 1));
            }
        }
    }

    /// A group's mean of each headline node in each wave, as groups.csv shows it.
    fn group_trend(&self, attribute: &str, group: &str) -> Vec<Vec<Option<f64>>> {
        let fw = &self.i.instrument.framework;
        fw.nodes_at(&fw.headline_level)
            .map(|node| {
                self.waves
                    .iter()
                    .map(|wave| {
                        self.shown
                            .groups
                            .iter()
                            .find(|(a, s, _)| {
                                a == attribute && s.group == group && s.id == node.id && s.wave == *wave
                            })
                            .and_then(|(_, s, hidden)| s.mean.filter(|_| !hidden))
                    })
                    .collect()
            })
            .collect()
    }

    fn group_tables(&self) -> Vec<GroupTable> {
        let i = self.i;
        let fw = &i.instrument.framework;
        i.groups
            .iter()
            .filter_map(|(attribute, scores)| {
                let attr = i.instrument.attributes.iter().find(|a| a.id == *attribute)?;
                let mut columns: Vec<GroupColumn> = Vec::new();
                for s in scores.iter().filter(|s| s.wave == self.latest) {
                    if !columns.iter().any(|c| c.name == s.group) {
                        columns.push(GroupColumn {
                            name: s.group.clone(),
                            respondents: s.respondents,
                            suppressed: self.suppressed(s.respondents),
                            trend: self.group_trend(attribute, &s.group),
                        });
                    }
                }
                columns.sort_by_key(|c| (c.name == NOT_STATED, attr.rank(&c.name)));
                let rows = fw
                    .nodes_at(&fw.headline_level)
                    .map(|node| GroupRow {
                        differences: columns
                            .iter()
                            .map(|c| {
                                let test = self.group_test(attribute, &c.name, &node.id)?;
                                (!c.suppressed).then(|| self.difference(test)).flatten()
                            })
                            .collect(),
                        label: node.label.clone(),
                        cells: columns
                            .iter()
                            .map(|c| {
                                let s = scores.iter().find(|s| {
                                    s.wave == self.latest && s.group == c.name && s.id == node.id
                                })?;
                                let suppressed = c.suppressed || self.suppressed(s.n);
                                let mean = s.mean.filter(|_| !suppressed);
                                Some(Cell {
                                    n: s.n,
                                    suppressed,
                                    mean,
                                    mean_text: mean.map_or_else(String::new, |m| format!("{m:.2}")),
                                    ci: s.ci.filter(|_| !suppressed),
                                    ci_text: s
                                        .ci
                                        .filter(|_| !suppressed)
                                        .map_or_else(String::new, |(lo, hi)| format!("{lo:.2}–{hi:.2}")),
                                })
                            })
                            .collect(),
                    })
                    .collect();
                Some(GroupTable {
                    attribute: attribute.clone(),
                    label: attr.label().to_string(),
                    question: attr.question.clone(),
                    wave: self.latest.clone(),
                    columns,
                    rows,
                })
            })
            .collect()
    }

    fn reliability_rows(&self) -> Vec<ReliabilityRow> {
        let mut rows: Vec<ReliabilityRow> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (r, _) in &self.shown.reliability {
            if seen.contains(&r.id.as_str()) {
                continue;
            }
            seen.push(&r.id);
            rows.push(ReliabilityRow {
                label: r.label.clone(),
                level: self.level(&r.level).label,
                cells: self
                    .waves
                    .iter()
                    .map(|w| text::alpha_cell(self.shown.alpha(&r.id, w), self.i.options.min_alpha))
                    .collect(),
            });
        }
        rows
    }

    fn panel_rows(&self) -> Vec<PanelRow> {
        let fw = &self.i.instrument.framework;
        self.i
            .panel
            .iter()
            .filter(|c| c.level == fw.headline_level)
            .map(|c| {
                let hidden = self.suppressed(c.n_pairs);
                let show = |s: String| if hidden { String::new() } else { s };
                PanelRow {
                    label: c.label.clone(),
                    from: c.pair.from.clone(),
                    to: c.pair.to.clone(),
                    linked: c.n_pairs,
                    mean_change: show(c.mean_diff.map_or_else(String::new, |d| format!("{d:+.2}"))),
                    p_paired_t: show(p_value(c.paired_t.map(|t| t.2))),
                    p_wilcoxon: show(p_value(c.wilcoxon.map(|w| w.1))),
                    q: show(p_value(c.q)),
                    d_z: show(fixed(c.effect, 2)),
                    verdict: c.direction,
                    word: c.direction.with_note(&c.note),
                }
            })
            .collect()
    }

    /// Which way is better for the charted headline nodes, as their framework declares:
    /// "higher is better", "lower is better", or the exceptions named.
    fn headline_direction(&self) -> String {
        let fw = &self.i.instrument.framework;
        let lower: Vec<&str> = fw
            .nodes_at(&fw.headline_level)
            .filter(|n| fw.polarity(&n.id) == Polarity::LowerIsBetter)
            .map(|n| n.label.as_str())
            .collect();
        let all = fw.nodes_at(&fw.headline_level).count();
        match lower.len() {
            0 => "higher is better".to_string(),
            n if n == all => "lower is better".to_string(),
            _ => format!(
                "higher is better except for {} (lower is better)",
                text::and_list(&lower)
            ),
        }
    }

    fn captions(&self) -> Captions {
        let i = self.i;
        let fw = &i.instrument.framework;
        let plural = self.level(&fw.headline_level).plural;
        let conf = percent(i.rules.confidence);
        let n: Vec<String> = i
            .accounts
            .iter()
            .map(|a| format!("{} n={}", a.wave, a.rows_used))
            .collect();
        let mut distribution = format!(
            "Share of valid answers per {} in {}",
            self.leaf_words(),
            self.latest
        );
        if self.i.instrument.items.iter().any(|it| it.reverse) {
            distribution.push_str(", after reverse-coding (the favourable side is always on the right)");
        }
        distribution.push_str("; not-applicable answers excluded.");
        Captions {
            scorecard: format!(
                "{plural} in {}: mean score ({}) with its {conf} interval{}.",
                self.latest,
                self.score_range(),
                if self.previous.is_some() {
                    "; the hollow marker is the previous wave"
                } else {
                    ""
                }
            ),
            trend: match self.waves.len() {
                1 => format!("{plural} in {}, the first wave: mean score with its {conf} interval; a trend needs a second wave.", self.latest),
                _ => format!("{plural} across waves with {conf} intervals."),
            },
            distribution_title: format!("How {} answered, {}", i.instrument.respondents.many, self.latest),
            distribution,
            groups: format!("Groups under {} respondents suppressed.", self.threshold),
            interval_note: format!(
                "Scale {}, {}; whiskers are {conf} intervals.",
                self.score_range(),
                self.headline_direction()
            ),
            source: format!(
                "Source: {} ({}); respondents: {}.",
                i.instrument.name,
                fw.members
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                n.join(", ")
            ),
        }
    }

    /// "indicator" (or "item" when the framework's lowest level holds no items of its own).
    fn leaf_words(&self) -> String {
        let fw = &self.i.instrument.framework;
        let leaf = fw
            .nodes
            .iter()
            .find(|n| fw.children(&n.id).next().is_none())
            .map(|n| self.level(&n.level).label.to_lowercase());
        leaf.unwrap_or_else(|| "item".into())
    }

    fn tables(
        &self,
        headline: &[NodeRow],
        level: &Level,
        sections: &[Section],
        accounts: &[Account],
    ) -> Vec<Table> {
        let instrument = self.i.instrument;
        let reverse = instrument
            .items
            .iter()
            .filter(|it| it.reverse)
            .map(|it| it.id.clone())
            .collect();
        tables::all(&tables::Context {
            shown: &self.shown,
            levels: &self.levels,
            reverse: &reverse,
            scale_values: &self.i.scores.scale_values,
            key_drivers: self.i.key_drivers,
            attributes: instrument
                .attributes
                .iter()
                .map(|a| (a.id.as_str(), a.label()))
                .collect(),
            headline,
            headline_label: &level.label,
            sections,
            accounts,
            waves: &self.waves,
            latest: &self.latest,
            min_alpha: self.i.options.min_alpha,
        })
    }
}
