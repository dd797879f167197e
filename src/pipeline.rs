//! The pipeline of one run: ingest -> map -> score -> compare -> render, each stage handing a
//! typed value to the next.

use std::path::PathBuf;

use crate::compare::{compare, Comparison};
use crate::config::Config;
use crate::error::Result;
use crate::ingest::read_table;
use crate::instrument::Instrument;
use crate::map::{map_wave, FileAccount, WaveResponses};
use crate::render::{render, Report};
use crate::score::{score, Scores};

/// What a run computed, before anything is written.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub initiative: String,
    pub instrument: Instrument,
    pub config: Config,
    pub accounts: Vec<FileAccount>,
    pub scores: Scores,
    pub comparisons: Vec<Comparison>,
}

/// Reads, maps, scores and compares every wave of the config.
pub fn analyse(config: &Config) -> Result<Analysis> {
    let instrument = match &config.instrument {
        Some(path) => Instrument::load(path)?,
        None => Instrument::bundled()?,
    };
    let waves = config
        .waves
        .iter()
        .map(|wave| {
            let table = read_table(&wave.file)?;
            map_wave(
                &instrument,
                &table,
                &wave.label,
                config.id_column.as_deref(),
                &config.rules,
            )
        })
        .collect::<Result<Vec<WaveResponses>>>()?;
    let scores = score(&instrument, &waves, &config.rules)?;
    let comparisons = compare(&scores, config.rules.confidence);
    Ok(Analysis {
        initiative: config.initiative.clone(),
        instrument,
        config: config.clone(),
        accounts: waves.into_iter().map(|w| w.account).collect(),
        scores,
        comparisons,
    })
}

impl Analysis {
    /// Writes every output into `out` and returns the paths written.
    pub fn write(&self, out: &std::path::Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(out).map_err(|e| crate::error::Error::io(out, e))?;
        render(
            &Report {
                initiative: &self.initiative,
                instrument: &self.instrument,
                rules: &self.config.rules,
                accounts: &self.accounts,
                scores: &self.scores,
                comparisons: &self.comparisons,
            },
            out,
        )
    }
}
