//! `backbone run`: read, score and compare the waves of a config (or of files named on the
//! command line, or of the bundled sample), say what happened to every file, write the reports.

use std::path::{Path, PathBuf};

use backbone::config::Config;
use backbone::ingest::Platform;
use backbone::pipeline::{analyse, Analysis};

use super::console::print_accounts;

const SAMPLE_CONFIG: &str = "sample_surveys/backbone.toml";

/// The config of a run given no files and no --config: ./backbone.toml, else the bundled sample
/// (in the source tree).
fn default_config() -> backbone::Result<Config> {
    for candidate in ["backbone.toml", SAMPLE_CONFIG] {
        if Path::new(candidate).is_file() {
            return Config::load(Path::new(candidate));
        }
    }
    Err(backbone::Error::usage(
        "nothing to run on: no survey files were named, and there is no backbone.toml here",
        "Name the exports (`backbone run partners-2024.csv partners-2025.xlsx`), or pass a config with `--config path/to/backbone.toml`.",
    ))
}

/// A spinner on stderr that appears only once the run has taken a second, and only on a
/// terminal.
fn progress() -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
    if std::io::stderr().is_terminal() {
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(1));
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(std::time::Duration::from_millis(120));
            }
        });
    }
    bar
}

/// Runs the pipeline on the files, the config or the default config, and writes the reports.
pub fn run(
    files: &[PathBuf],
    config: Option<&Path>,
    out: Option<&Path>,
    format: Option<Platform>,
    instrument: Option<PathBuf>,
    strict: bool,
) -> backbone::Result<()> {
    let mut config = match (config, files.is_empty()) {
        (Some(path), _) => Config::load(path)?,
        (None, false) => Config::from_files(files)?,
        (None, true) => default_config()?,
    };
    if !files.is_empty() {
        for wave in &mut config.waves {
            wave.format = format.or(wave.format);
        }
    }
    if instrument.is_some() {
        config.instrument = instrument;
    }
    let out = out.unwrap_or(&config.out).to_path_buf();
    backbone::output::check_target(&out)?;
    let bar = progress();
    bar.set_message(format!("reading and scoring {} file(s)", config.waves.len()));
    let analysis = analyse(&config);
    let analysis = match analysis {
        Ok(a) => a,
        Err(e) => {
            bar.finish_and_clear();
            return Err(e.naming_config(config.source.as_deref()));
        }
    };
    bar.suspend(|| {
        if analysis.instrument.bundled_default {
            say!("scoring with {}", analysis.instrument.described());
        }
        print_accounts(&analysis.accounts, config.source.as_deref())
    });
    if strict {
        refuse_losses(&analysis)?;
    }
    backbone::output::checkpoint("after-ingest")?;
    bar.set_message(format!("writing the reports into {}", out.display()));
    let written = analysis.write(&out);
    bar.finish_and_clear();
    for path in written? {
        say!("wrote {}", path.display());
    }
    Ok(())
}

/// `run --strict`: the first file that lost an answer, item or column stops the run before
/// anything is written, with everything it lost.
fn refuse_losses(analysis: &Analysis) -> backbone::Result<()> {
    for a in &analysis.accounts {
        let lost = backbone::map::unaccounted(a);
        if !lost.is_empty() {
            return Err(backbone::Error::input(
                backbone::error::Location::file(&a.path),
                format!("--strict: {} (listed above)", lost.join("; ")),
                "Map or alias what was lost (the lines above say how), or run without --strict to report what could be used.",
            ));
        }
    }
    Ok(())
}
