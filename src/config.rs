//! The run configuration (`backbone.toml`): the initiative, its waves, the instrument, the output
//! folder and the rules of scoring. Paths in the file are relative to the file.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::ingest::Platform;
use crate::report::ReportOptions;
use crate::rules::{CompareRules, Rules};
use crate::weights::WeightsConfig;

/// One survey wave: a label (usually the year) and the export that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wave {
    /// `None`: the year most responses were recorded in, else the year in the file name.
    pub label: Option<String>,
    pub file: PathBuf,
    /// The export's platform, when detection should be overridden.
    pub format: Option<Platform>,
    /// A mapping file (see `backbone init`) for exports whose headers differ from the instrument.
    pub mapping: Option<PathBuf>,
    /// This export's panel key column, when its header differs from the config's `panel_key`.
    pub panel_key: Option<String>,
    /// How many were invited to answer, for response rates.
    pub invited: Option<usize>,
    /// Invited per attribute option (e.g. role = { "Funder" = 12 }), the roster's mix.
    pub invited_by: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Wave {
    pub fn new(file: impl Into<PathBuf>) -> Wave {
        Wave {
            label: None,
            file: file.into(),
            format: None,
            mapping: None,
            panel_key: None,
            invited: None,
            invited_by: BTreeMap::new(),
        }
    }

    pub fn labelled(label: &str, file: impl Into<PathBuf>) -> Wave {
        Wave {
            label: Some(label.to_string()),
            ..Wave::new(file)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The file the config was read from; `None` for files named on the command line.
    pub source: Option<PathBuf>,
    pub initiative: String,
    /// `None`: the instrument bundled with the tool.
    pub instrument: Option<PathBuf>,
    pub out: PathBuf,
    /// Header of the column that identifies respondents, when the export has one.
    pub id_column: Option<String>,
    /// A column whose values are the wave labels, when one file holds several waves.
    pub wave_column: Option<String>,
    /// A column that identifies the same respondent in every wave (hashed at ingest, never
    /// output): linked respondents are compared as a panel as well.
    pub panel_key: Option<String>,
    /// Further columns to drop at ingest as identifying, beyond the platforms' known ones.
    pub drop_columns: Vec<String>,
    /// Answers that count as "not applicable" on every scale (e.g. a platform's code -99).
    pub missing: Vec<String>,
    pub waves: Vec<Wave>,
    pub rules: Rules,
    pub compare: CompareRules,
    pub report: ReportOptions,
    /// `[weights]`: rake each wave to the roster's mix; `None` leaves every output unweighted.
    pub weights: Option<WeightsConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WaveEntry {
    #[serde(default)]
    label: Option<String>,
    file: PathBuf,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    mapping: Option<PathBuf>,
    #[serde(default)]
    panel_key: Option<String>,
    #[serde(default)]
    invited: Option<usize>,
    #[serde(default)]
    invited_by: BTreeMap<String, BTreeMap<String, usize>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigFile {
    initiative: String,
    #[serde(default)]
    instrument: Option<PathBuf>,
    #[serde(default)]
    out: Option<PathBuf>,
    #[serde(default)]
    id_column: Option<String>,
    #[serde(default)]
    wave_column: Option<String>,
    #[serde(default)]
    panel_key: Option<String>,
    #[serde(default)]
    drop_columns: Vec<String>,
    #[serde(default)]
    missing: Vec<String>,
    waves: Vec<WaveEntry>,
    #[serde(default)]
    rules: Rules,
    #[serde(default)]
    compare: CompareRules,
    #[serde(default)]
    report: ReportOptions,
    #[serde(default)]
    weights: Option<WeightsConfig>,
}

impl Config {
    /// Whether respondents are linked across waves (a panel key in the config or in a wave).
    pub fn has_panel(&self) -> bool {
        self.panel_key.is_some() || self.waves.iter().any(|w| w.panel_key.is_some())
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text, path)
    }

    /// Parses config TOML read from `path` (paths in it are relative to its folder).
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let file: ConfigFile =
            toml::from_str(text).map_err(|e| crate::schema::toml_error("backbone config", path, text, &e))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let join = |relative: PathBuf| clean(&base.join(relative));
        let mut waves = Vec::new();
        for w in file.waves {
            let format = match w.format.as_deref() {
                Some(name) => Some(Platform::parse(name).ok_or_else(|| {
                    Error::definition(
                        Location::file(path),
                        format!("wave format \"{name}\" is not a known format"),
                        format!("Use one of: {}.", Platform::NAMES),
                    )
                })?),
                None => None,
            };
            waves.push(Wave {
                label: w.label,
                file: join(w.file),
                format,
                mapping: w.mapping.map(join),
                panel_key: w.panel_key,
                invited: w.invited,
                invited_by: w.invited_by,
            });
        }
        let config = Config {
            source: Some(path.to_path_buf()),
            initiative: file.initiative,
            instrument: file.instrument.map(join),
            out: join(file.out.unwrap_or_else(|| PathBuf::from("reports"))),
            id_column: file.id_column,
            wave_column: file.wave_column,
            panel_key: file.panel_key,
            drop_columns: file.drop_columns,
            missing: file.missing,
            waves,
            rules: file.rules,
            compare: file.compare,
            report: ReportOptions {
                brief_template: file.report.brief_template.map(join),
                ..file.report
            },
            weights: file.weights.map(|w| WeightsConfig {
                origin: path.to_path_buf(),
                ..w
            }),
        };
        config.validate(path)?;
        Ok(config)
    }

    /// A config for export files named on the command line: one wave per file, labelled when
    /// read (see [`Wave::label`]).
    pub fn from_files(files: &[PathBuf]) -> Result<Config> {
        let config = Config::with_waves(None, files.iter().map(Wave::new).collect());
        config.validate(Path::new("command line"))?;
        Ok(config)
    }

    /// A config with these waves and every other setting at its default.
    pub fn with_waves(instrument: Option<PathBuf>, waves: Vec<Wave>) -> Config {
        Config {
            source: None,
            initiative: "Collective impact initiative".to_string(),
            instrument,
            out: PathBuf::from("reports"),
            id_column: None,
            wave_column: None,
            panel_key: None,
            drop_columns: Vec::new(),
            missing: Vec::new(),
            waves,
            rules: Rules::default(),
            compare: CompareRules::default(),
            report: ReportOptions::default(),
            weights: None,
        }
    }

    fn validate(&self, origin: &Path) -> Result<()> {
        let invalid = |what: String, fix: &str| Error::definition(Location::file(origin), what, fix);
        if self.waves.is_empty() {
            return Err(invalid(
                "no waves are given".into(),
                "Add a [[waves]] entry (label and file) for each survey export.",
            ));
        }
        if let Some(label) = duplicate_label(self.waves.iter().filter_map(|w| w.label.as_deref())) {
            return Err(invalid(
                format!("two waves are labelled \"{label}\""),
                "Give each wave its own label (for example its year).",
            ));
        }
        let r = self.rules;
        if !(r.min_answered > 0.0 && r.min_answered <= 1.0) {
            return Err(invalid(
                format!("rules.min_answered is {}, outside (0, 1]", r.min_answered),
                "Use a share such as 0.5.",
            ));
        }
        if !(self.compare.alpha > 0.0 && self.compare.alpha < 1.0) {
            return Err(invalid(
                format!("compare.alpha is {}, outside (0, 1)", self.compare.alpha),
                "Use a level such as 0.05.",
            ));
        }
        if !(r.confidence > 0.5 && r.confidence < 1.0) {
            return Err(invalid(
                format!("rules.confidence is {}, outside (0.5, 1)", r.confidence),
                "Use a level such as 0.95.",
            ));
        }
        let report = &self.report;
        for (key, share) in [
            ("report.min_alpha", report.min_alpha),
            ("report.min_response_rate", report.min_response_rate),
            ("report.complete_at", report.complete_at),
            ("report.partial_at", report.partial_at),
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(invalid(
                    format!("{key} is {share}, outside [0, 1]"),
                    "Use a share such as 0.7 (not a percentage).",
                ));
            }
        }
        if report.partial_at > report.complete_at {
            return Err(invalid(
                format!(
                    "report.partial_at ({}) is above report.complete_at ({})",
                    report.partial_at, report.complete_at
                ),
                "A partial response answers fewer questions than a complete one: use e.g. partial_at = 0.5 and complete_at = 0.8.",
            ));
        }
        match &self.weights {
            Some(weights) => weights.validate(),
            None => Ok(()),
        }
    }
}

/// A path with `.` and `name/..` folded away, so messages show `reports/`, not
/// `sample_surveys/../reports/`. Lexical only: links are not followed.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The first label that occurs twice.
pub fn duplicate_label<'a>(labels: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    labels.into_iter().find(|l| !seen.insert(*l))
}

/// The first four-digit year (19xx or 20xx) in a file name, else the file's stem.
pub fn wave_label_from_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = stem.as_bytes();
    for start in 0..bytes.len().saturating_sub(3) {
        let window = &bytes[start..start + 4];
        let digits = window.iter().all(u8::is_ascii_digit);
        let bounded = (start == 0 || !bytes[start - 1].is_ascii_digit())
            && bytes.get(start + 4).is_none_or(|b| !b.is_ascii_digit());
        if digits && bounded && (window.starts_with(b"19") || window.starts_with(b"20")) {
            return stem[start..start + 4].to_string();
        }
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_lexically() {
        assert_eq!(
            clean(Path::new("sample_surveys/../reports")),
            PathBuf::from("reports")
        );
        assert_eq!(clean(Path::new("./a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(clean(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(clean(Path::new("a/..")), PathBuf::from("."));
    }

    #[test]
    fn wave_label_is_the_year_in_the_file_name() {
        assert_eq!(
            wave_label_from_name(Path::new("a/partners_2024_final.csv")),
            "2024"
        );
        assert_eq!(
            wave_label_from_name(Path::new("survey-12345.csv")),
            "survey-12345"
        );
        assert_eq!(wave_label_from_name(Path::new("2023.csv")), "2023");
    }
}
