//! `backbone init --new`: a starter folder for a survey that is not the bundled one. From the
//! exports alone it writes backbone.toml (one wave per file), an instrument (one item per
//! question column, scales read from the answers by the vocabularies of
//! indicators/scales.vocabulary.toml) and a framework skeleton (one node per question stem),
//! which `backbone run --config DIR/backbone.toml` scores with no edit.

mod attributes;
mod codebook;
mod columns;
mod place;
mod stems;
mod vocabulary;
mod write;

use std::path::{Component, Path, PathBuf};

use crate::config::wave_label_from_name;
use crate::error::{Error, Location, Result};
use crate::ingest::{read_export, Platform, ReadOptions};
pub use stems::Plan;
pub use vocabulary::Vocabulary;
use write::{Names, WaveLine};

/// What `init --new` wrote, for the console.
#[derive(Debug, Clone)]
pub struct Started {
    pub written: Vec<PathBuf>,
    pub plan: Plan,
    /// Per export: its platform and its wave label.
    pub waves: Vec<(PathBuf, &'static str, String)>,
    /// Identifying columns the reading removed (headers).
    pub dropped: Vec<String>,
}

/// Reads the exports and writes the starter files into `dir` (created if need be). Files
/// already there are replaced only with `force`.
pub fn start(
    exports: &[PathBuf],
    format: Option<Platform>,
    framework: Option<&str>,
    dir: &Path,
    force: bool,
) -> Result<Started> {
    let options = ReadOptions {
        platform: format,
        ..ReadOptions::default()
    };
    let read: Vec<crate::ingest::Export> = exports
        .iter()
        .map(|path| read_export(path, &options))
        .collect::<Result<_>>()?;
    let vocabulary = Vocabulary::bundled()?;
    let mut plan = stems::plan(&columns::profiles(&read), &vocabulary);
    if plan.items.is_empty() {
        return Err(Error::input(
            Location::file(&exports[0]),
            "no column of the export(s) reads as a question on a scale: every column is free text, an id or an attribute",
            "Check that the export holds one row per respondent with the answers as text or numbers; a survey of open questions only has nothing to score.",
        ));
    }
    let survey = survey_name(&exports[0]);
    let id = stems::slug(&survey, 30, "survey");
    let bundled = framework.map(crate::catalogue::bundled_file).transpose()?;
    let mut names = Names {
        instrument_file: format!("{id}.instrument.toml"),
        framework_file: format!("{id}.framework.toml"),
        survey,
        id,
        dropped: dropped(&read),
    };
    let framework_text = match &bundled {
        Some((file, text, parsed)) => {
            place::into_framework(&mut plan, parsed);
            names.framework_file = file.to_string();
            text.to_string()
        }
        None => write::framework(&plan, &names),
    };
    let files = [
        ("backbone.toml".to_string(), String::new()),
        (names.instrument_file.clone(), write::instrument(&plan, &names)),
        (names.framework_file.clone(), framework_text),
    ];
    let targets: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    let present: Vec<String> = targets
        .iter()
        .filter(|t| t.exists())
        .map(|t| t.display().to_string())
        .collect();
    if !present.is_empty() && !force {
        return Err(Error::usage(
            format!("init --new would replace {}", present.join(", ")),
            "Pass --force to replace them, or name a new folder with --out.",
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let waves = wave_lines(exports, &read, dir, format);
    let config = write::config(&plan, &names, &waves);
    for ((_, text), target) in files.iter().zip(&targets) {
        let text = if text.is_empty() { &config } else { text };
        std::fs::write(target, text).map_err(|e| Error::io(target, e))?;
    }
    Ok(Started {
        written: targets,
        plan,
        waves: exports
            .iter()
            .zip(&read)
            .zip(&waves)
            .map(|((p, e), w)| (p.clone(), e.platform.name(), w.label.clone()))
            .collect(),
        dropped: names.dropped,
    })
}

impl Started {
    /// What was proposed and written, for the console.
    pub fn summary(&self) -> Vec<String> {
        let plan = &self.plan;
        let mut out: Vec<String> = self
            .waves
            .iter()
            .map(|(path, platform, label)| format!("{}: {platform} export, wave {label}", path.display()))
            .collect();
        out.push(format!(
            "  {} items under {} topic(s), {} scale(s), {} attribute(s), {} open question(s)",
            plan.items.len(),
            plan.nodes.len(),
            plan.scales.len(),
            plan.attributes.len(),
            plan.open.len()
        ));
        for s in &plan.scales {
            let items = plan
                .items
                .iter()
                .filter(|i| plan.scales[i.scale].scale.id == s.scale.id)
                .count();
            let points: Vec<&str> = s.scale.points.iter().map(|p| p.1.as_str()).collect();
            let check = if s.scale.known {
                ""
            } else {
                " (CHECK: no known scale fits; points in order of first appearance)"
            };
            out.push(format!(
                "  scale {}: {} ({items} items){check}",
                s.scale.id,
                points.join(" < ")
            ));
        }
        for a in &plan.attributes {
            out.push(format!(
                "  attribute {}: {} ({} options)",
                a.id,
                a.question,
                a.options.len()
            ));
        }
        if let Some(id) = &plan.id_column {
            out.push(format!("  respondent id: {id}"));
        }
        if let Some(key) = &plan.panel_key {
            out.push(format!("  panel key (links respondents across waves): {key}"));
        }
        for header in &plan.open {
            out.push(format!("  open question, dropped: {header}"));
        }
        if !self.dropped.is_empty() {
            out.push(format!(
                "  identifying columns, dropped: {}",
                self.dropped.join(" | ")
            ));
        }
        for path in &self.written {
            out.push(format!("wrote {}", path.display()));
        }
        if let Some(config) = self.written.first() {
            out.push(format!(
                "Check the lines marked \"guess\", then: backbone run --config {}",
                config.display()
            ));
        }
        out
    }
}

/// The identifying columns every export's reading removed, each once.
fn dropped(read: &[crate::ingest::Export]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for header in read.iter().flat_map(|e| &e.dropped) {
        if !out.contains(header) {
            out.push(header.clone());
        }
    }
    out
}

/// One wave per export, labelled by its responses' year, else its file name's; file names
/// stand in when two would share a label.
fn wave_lines(
    paths: &[PathBuf],
    read: &[crate::ingest::Export],
    dir: &Path,
    format: Option<Platform>,
) -> Vec<WaveLine> {
    let mut waves: Vec<WaveLine> = paths
        .iter()
        .zip(read)
        .map(|(path, export)| {
            let (label, from) = match export.response_year() {
                Some(year) => (year, "the year most responses were recorded in"),
                None => (wave_label_from_name(path), "from the file name"),
            };
            WaveLine {
                label,
                from,
                file: relative(path, dir),
                format: format.map(|p| p.name()),
            }
        })
        .collect();
    let labels: Vec<String> = waves.iter().map(|w| w.label.clone()).collect();
    for (wave, path) in waves.iter_mut().zip(paths) {
        if labels.iter().filter(|l| **l == wave.label).count() > 1 {
            wave.label = path
                .file_stem()
                .map_or_else(|| wave.label.clone(), |s| s.to_string_lossy().into_owned());
            wave.from = "the file name (another export has the same year)";
        }
    }
    waves
}

/// The survey's name from an export's file name: its words without years ("attitudes-2022.csv"
/// gives "Attitudes").
fn survey_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words: Vec<&str> = stem
        .split(|c: char| c == '-' || c == '_' || c == '.' || c.is_whitespace())
        .filter(|w| !(w.is_empty() || (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))))
        .collect();
    let name = words.join(" ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "My survey".to_string(),
    }
}

/// `path` as seen from the folder `dir` (both made absolute), e.g. "../exports/a.csv"; the
/// absolute path where no relative one exists.
fn relative(path: &Path, dir: &Path) -> String {
    let (Ok(path), Ok(dir)) = (std::fs::canonicalize(path), std::fs::canonicalize(dir)) else {
        return path.display().to_string();
    };
    let (from, to): (Vec<Component>, Vec<Component>) =
        (dir.components().collect(), path.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c.as_os_str());
    }
    out.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_survey_is_named_from_its_file_without_years() {
        assert_eq!(
            survey_name(Path::new("x/civic-attitudes_2022.csv")),
            "Civic attitudes"
        );
        assert_eq!(survey_name(Path::new("2024.csv")), "My survey");
    }
}
