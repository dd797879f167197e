//! The pipeline of one run: ingest -> map -> score -> compare -> render, each stage handing a
//! typed value to the next.

use std::path::{Path, PathBuf};

use crate::comments::{quotes::Quotes, themes::ThemeRow};
use crate::compare::{
    compare_group_changes, compare_groups, compare_linked, compare_panel, Breakdown, Comparison, GroupChange,
    GroupComparison, GroupMembers, PanelComparison,
};
use crate::config::{duplicate_label, wave_label_from_name, Config, Wave};
use crate::drivers::{key_drivers, DriverRules, KeyDrivers};
use crate::error::{Error, Location, Result};
use crate::ingest::{read_export, Platform, ReadOptions};
use crate::instrument::Instrument;
use crate::map::{
    map_wave, render_mapping, suggest, suggest_aliases, AliasSuggestion, FileAccount, MapOptions, Mapping,
    Suggestion, Target, WaveResponses,
};
use crate::reliability::{reliability, Reliability};
use crate::render::render;
use crate::report::{Inputs, Invitation, Report, ReportOptions};
use crate::score::{group_scores_by, score, tally, GroupScore, Scores, Tally};
use crate::weights::estimate::weighting;
use crate::weights::Weighting;

/// What a run computed, before anything is written.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub initiative: String,
    pub instrument: Instrument,
    pub config: Config,
    pub accounts: Vec<FileAccount>,
    pub scores: Scores,
    pub comparisons: Vec<Comparison>,
    /// Per respondent attribute named in the report options, the scores of each of its groups.
    pub groups: Vec<(String, Vec<GroupScore>)>,
    pub reliability: Vec<Reliability>,
    /// Linked-respondent comparisons; empty unless the config names a panel key.
    pub panel: Vec<PanelComparison>,
    /// Each group of each breakdown attribute against the rest of its wave.
    pub group_tests: Vec<GroupComparison>,
    /// Each group of each breakdown attribute, its change between the compared waves.
    pub group_changes: Vec<GroupChange>,
    /// Answers to the questions about framework nodes: (attribute, wave, option → respondents).
    pub tallies: Vec<Tally>,
    /// What drives each overall item, per wave (empty without an overall item).
    pub key_drivers: Vec<KeyDrivers>,
    /// Raking weights and weighted estimates; `None` without `[weights]`.
    pub weights: Option<Weighting>,
    /// Themes of the open questions' comments, counted per wave and group (no comment text).
    pub comments: Vec<ThemeRow>,
    /// Example comments, redacted; empty unless `report.quotes`.
    pub quotes: Vec<Quotes>,
}

/// Reads, maps, scores and compares every wave of the config.
pub fn analyse(config: &Config) -> Result<Analysis> {
    let instrument = instrument_of(config)?;
    let waves = read_waves(&instrument, config)?;
    let scores = score(&instrument, &waves, &config.rules)?;
    let reliability = reliability(&instrument, &waves);
    let breakdowns = &breakdowns(&instrument, config)?;
    let names: Vec<&str> = breakdowns.iter().map(String::as_str).collect();
    let groups: Vec<(String, Vec<GroupScore>)> = breakdowns
        .iter()
        .cloned()
        .zip(group_scores_by(&instrument, &waves, &config.rules, &names)?)
        .collect();
    let keys: crate::compare::PanelKeys = waves.iter().map(|w| (w.wave.clone(), w.panel.clone())).collect();
    let linked = config.has_panel().then_some(&keys);
    let same = crate::compare::SameAnswers::of(&instrument);
    let comparisons = compare_linked(&scores, linked, &same, config.rules.confidence, &config.compare);
    let (group_tests, group_changes) = test_groups(&instrument, &waves, &scores, &groups, (config, linked));
    let tallies = tally(&instrument, &waves);
    let key_drivers = key_drivers(&instrument, &scores, driver_rules(config));
    let (comments, quotes) = comments(&instrument, &waves, breakdowns, &config.report)?;
    let weights = match &config.weights {
        Some(settings) => Some(weighting(
            settings,
            &instrument,
            &waves,
            config,
            &scores,
            &comparisons,
            breakdowns,
        )?),
        None => None,
    };
    let panel = match linked {
        Some(keys) => compare_panel(&scores, keys, &same, &config.compare),
        None => Vec::new(),
    };
    Ok(Analysis {
        initiative: config.initiative.clone(),
        instrument,
        config: config.clone(),
        accounts: waves.into_iter().map(|w| w.account).collect(),
        scores,
        comparisons,
        groups,
        reliability,
        panel,
        group_tests,
        group_changes,
        tallies,
        key_drivers,
        weights,
        comments,
        quotes,
    })
}

/// The attributes respondents are grouped by: the config's `report.groups`, else every
/// attribute that is not a question about a framework node (those are answered per node).
fn breakdowns(instrument: &Instrument, config: &Config) -> Result<Vec<String>> {
    let Some(named) = &config.report.groups else {
        let all = instrument.attributes.iter().filter(|a| a.about.is_none());
        return Ok(all.map(|a| a.id.clone()).collect());
    };
    if let Some(attribute) = named
        .iter()
        .find(|n| !instrument.attributes.iter().any(|a| a.id == **n))
    {
        let config_file = config.source.clone().unwrap_or_else(|| "backbone.toml".into());
        return Err(Error::definition(
            Location::file(config_file),
            format!(
                "report.groups names \"{attribute}\", which instrument \"{}\" does not ask",
                instrument.id
            ),
            "Use attribute ids from the instrument's [[attributes]].",
        ));
    }
    Ok(named.clone())
}

/// The open questions' themes per wave and group, and (only when `report.quotes`) redacted
/// example comments.
fn comments(
    instrument: &Instrument,
    waves: &[WaveResponses],
    breakdowns: &[String],
    r: &ReportOptions,
) -> Result<(Vec<ThemeRow>, Vec<Quotes>)> {
    let codebooks = crate::comments::codebook::load_all(instrument)?;
    let comments = crate::comments::themes::theme_rows(instrument, &codebooks, waves, breakdowns);
    let quotes = match r.quotes {
        true => crate::comments::quotes::quotes(
            instrument,
            &codebooks,
            waves,
            breakdowns,
            (r.suppress_below, &r.redact),
        ),
        false => Vec::new(),
    };
    Ok((comments, quotes))
}

/// What the key-driver analysis takes of the config.
pub fn driver_rules(config: &Config) -> DriverRules {
    DriverRules {
        confidence: config.rules.confidence,
        min_n: config.compare.min_n,
        suppress_below: config.report.suppress_below,
    }
}

/// Every breakdown attribute's groups against the rest of their wave, and each group's change
/// between the compared waves (linked by `panels` when the config names a panel key), at the
/// headline level and the levels of the framework's top nodes.
pub fn test_groups(
    instrument: &Instrument,
    waves: &[WaveResponses],
    scores: &Scores,
    groups: &[(String, Vec<GroupScore>)],
    (config, panels): (&Config, Option<&crate::compare::PanelKeys>),
) -> (Vec<GroupComparison>, Vec<GroupChange>) {
    let levels = crate::score::group_test_levels(instrument);
    let (rules, threshold) = (&config.compare, config.report.suppress_below);
    let suppressed =
        |respondents: usize, n: usize| crate::report::group_suppressed(respondents, n, threshold);
    let (mut tests, mut changes) = (Vec::new(), Vec::new());
    for (attribute, _) in groups {
        let members = group_members(instrument, waves, attribute);
        tests.extend(compare_groups(
            scores,
            attribute,
            &members,
            &levels,
            config.rules.confidence,
            rules,
            threshold,
        ));
        let breakdown = Breakdown {
            attribute,
            members: &members,
            suppressed: &suppressed,
        };
        changes.extend(compare_group_changes(
            scores,
            &breakdown,
            panels,
            &levels,
            config.rules.confidence,
            rules,
        ));
    }
    (tests, changes)
}

/// Per wave, each respondent's group of `attribute` (all not stated where it is not asked).
fn group_members(instrument: &Instrument, waves: &[WaveResponses], attribute: &str) -> GroupMembers {
    let a = instrument.attributes.iter().position(|x| x.id == *attribute);
    waves
        .iter()
        .map(|w| {
            let names: Vec<String> = match a {
                Some(a) => w.attributes[a]
                    .iter()
                    .map(|&g| w.groups[a][g as usize].clone())
                    .collect(),
                None => vec![crate::map::NOT_STATED.to_string(); w.respondents],
            };
            (w.wave.clone(), names)
        })
        .collect()
}

/// How the config says one wave's export is to be read.
pub fn read_options(config: &Config, wave: &Wave, instrument: &Instrument) -> ReadOptions {
    ReadOptions {
        asked: asked(instrument),
        platform: wave.format,
        drop: config.drop_columns.clone(),
        panel_key: wave.panel_key.clone().or_else(|| config.panel_key.clone()),
    }
}

/// Every text the instrument asks: its statements, attribute and open questions.
fn asked(instrument: &Instrument) -> Vec<String> {
    instrument
        .items
        .iter()
        .map(|i| i.text.clone())
        .chain(instrument.attributes.iter().map(|a| a.question.clone()))
        .chain(instrument.comments.iter().map(|c| c.question.clone()))
        .collect()
}

/// How the config says one wave's columns and answers are to be mapped (loads its mapping file).
pub fn map_options(config: &Config, wave: &Wave, instrument: &Instrument) -> Result<MapOptions> {
    Ok(MapOptions {
        id_column: config.id_column.clone(),
        rules: config.rules,
        missing: config.missing.clone(),
        mapping: match &wave.mapping {
            Some(path) => Some(Mapping::load(path, instrument)?),
            None => None,
        },
    })
}

/// Reads and maps every wave, labels the unlabelled ones (year of the responses, else year in
/// the file name) and puts waves named on the command line in label order. Exports are read
/// and mapped in parallel, one per thread (a wave's file is parsed and coded by one thread);
/// the first failure in config order is reported.
pub fn read_waves(instrument: &Instrument, config: &Config) -> Result<Vec<WaveResponses>> {
    let results = crate::parallel::map(&config.waves, |wave| read_wave(instrument, config, wave));
    let mut waves = Vec::new();
    for parts in results {
        waves.extend(parts?);
    }
    if config.wave_column.is_some() || config.waves.iter().all(|w| w.label.is_none()) {
        waves.sort_by(|a, b| a.wave.cmp(&b.wave));
    }
    if let Some(label) = duplicate_label(waves.iter().map(|w| w.wave.as_str())) {
        return Err(Error::definition(
            Location::file(&config.waves[0].file),
            format!("two of the exports are both labelled wave \"{label}\" (by their dates or file names)"),
            "Name each wave's label in a backbone.toml, or rename the files with their years.",
        ));
    }
    Ok(waves)
}

/// The instrument a config names, else the bundled one (marked as the default).
pub fn instrument_of(config: &Config) -> Result<Instrument> {
    match &config.instrument {
        Some(path) => Instrument::load(path),
        None => Instrument::bundled(),
    }
}

/// One wave's file read and mapped: one part per wave it holds (several with a `wave_column`).
pub fn read_wave(instrument: &Instrument, config: &Config, wave: &Wave) -> Result<Vec<WaveResponses>> {
    let export = read_export(&wave.file, &read_options(config, wave, instrument))?;
    let options = map_options(config, wave, instrument)?;
    let parts = match &config.wave_column {
        Some(column) => export.split_by(column)?,
        None => {
            let label = wave
                .label
                .clone()
                .or_else(|| export.response_year())
                .unwrap_or_else(|| wave_label_from_name(&wave.file));
            vec![(label, export)]
        }
    };
    parts
        .into_iter()
        .map(|(label, export)| map_wave(instrument, &export, &label, &options))
        .collect()
}

/// A mapping file suggested for one export, with what went into it.
#[derive(Debug, Clone)]
pub struct MappingSuggestion {
    pub platform: &'static str,
    pub columns: Vec<Suggestion>,
    /// How each column of the export is named in messages (see
    /// [`crate::ingest::Column::address`]), by the column's index.
    pub addresses: Vec<String>,
    /// Ids of instrument items that no column was suggested for.
    pub unasked: Vec<String>,
    /// The mapping file's text.
    pub text: String,
    /// Answer texts that match no scale point: candidates for the points' `aliases`.
    pub aliases: Vec<AliasSuggestion>,
}

/// Reads an export and suggests which instrument item or attribute each question column holds.
pub fn suggest_mapping(
    export: &Path,
    instrument: Option<&Path>,
    format: Option<Platform>,
) -> Result<MappingSuggestion> {
    let instrument = match instrument {
        Some(path) => Instrument::load(path)?,
        None => Instrument::bundled()?,
    };
    let export = read_export(
        export,
        &ReadOptions {
            platform: format,
            asked: asked(&instrument),
            ..ReadOptions::default()
        },
    )?;
    let columns = suggest(&instrument, &export);
    let unasked = instrument
        .items
        .iter()
        .filter(|i| {
            !columns
                .iter()
                .any(|c| c.target == Some(Target::Item(i.id.clone())))
        })
        .map(|i| i.id.clone())
        .collect();
    Ok(MappingSuggestion {
        aliases: suggest_aliases(&instrument, &export, &columns),
        platform: export.platform.name(),
        addresses: export.columns.iter().map(|c| c.address()).collect(),
        text: render_mapping(&instrument, &export, &columns),
        columns,
        unasked,
    })
}

impl Analysis {
    /// Who was invited to each labelled wave, as the config says.
    fn invitations(&self) -> Vec<Invitation> {
        self.config
            .waves
            .iter()
            .filter_map(|w| {
                Some(Invitation {
                    wave: w.label.clone()?,
                    invited: w.invited,
                    invited_by: w.invited_by.clone(),
                })
            })
            .collect()
    }

    /// The report model every output is written from.
    pub fn report(&self) -> Report {
        Report::build(&Inputs {
            initiative: &self.initiative,
            instrument: &self.instrument,
            rules: &self.config.rules,
            accounts: &self.accounts,
            scores: &self.scores,
            comparisons: &self.comparisons,
            groups: &self.groups,
            options: &self.config.report,
            compare: &self.config.compare,
            reliability: &self.reliability,
            panel: &self.panel,
            group_tests: &self.group_tests,
            group_changes: &self.group_changes,
            tallies: &self.tallies,
            key_drivers: &self.key_drivers,
            comments: &self.comments,
            quotes: &self.quotes,
            invitations: &self.invitations(),
            weights: self.weights.as_ref(),
        })
    }

    /// Writes every output into a fresh folder and swaps it in as `out` (see [`crate::output`]);
    /// returns the paths written.
    pub fn write(&self, out: &std::path::Path) -> Result<Vec<PathBuf>> {
        let report = self.report();
        crate::output::write_atomically(out, |dir| render(&report, dir))
    }
}
