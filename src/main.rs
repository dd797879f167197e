//! The `backbone` command line: parses arguments, runs the pipeline or suggests a mapping, and
//! prints what happened to every file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use backbone::config::Config;
use backbone::error::exit;
use backbone::ingest::Platform;
use backbone::pipeline::{analyse, suggest_mapping, Analysis};
use backbone::privacy::example;

/// Console output. A closed pipe (`backbone run | head`) ends the console output, never the
/// run: the report is still written whole.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

const EXIT_CODES: &str = "Exit codes:
  0    the run succeeded
  1    an input, config, instrument, framework, mapping or template file cannot be used
  2    the command line is wrong (unknown command or option, an --out that is a file or holds
       other files, nothing to run on)
  3    a file or folder could not be read or written
  4    an internal error (a bug: please report it)
  130  interrupted (Ctrl-C, SIGTERM); the output folder is left as it was";

#[derive(Parser)]
#[command(
    name = "backbone",
    version,
    about = "Score partner surveys of a collective-impact backbone organization.",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Score survey exports and write the reports (with no arguments: the bundled sample).
    Run {
        /// Survey exports, one per wave (CSV, TSV or XLSX from SurveyMonkey, Qualtrics, Google
        /// Forms, Microsoft Forms, or a plain table). Each wave is labelled by the year its
        /// responses were recorded, else the year in its file name.
        files: Vec<PathBuf>,
        /// A backbone.toml naming the initiative, its waves and the instrument.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output folder (default: the config's, else ./reports).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The platform of the files named here, when detection gets it wrong: surveymonkey,
        /// qualtrics, qualtrics-legacy, google-forms (google), microsoft-forms (msforms), plain,
        /// long.
        #[arg(long, value_parser = parse_platform)]
        format: Option<Platform>,
        /// An instrument file to score with (default: the bundled FSG partner survey).
        #[arg(long)]
        instrument: Option<PathBuf>,
    },
    /// List the bundled frameworks with their counts per level, or show one as a tree.
    Frameworks {
        #[command(subcommand)]
        show: Option<FrameworksCommand>,
    },
    /// Suggest a mapping file for an export whose headers differ from the instrument's texts.
    Init {
        /// The survey export.
        export: PathBuf,
        /// An instrument file (default: the bundled FSG partner survey).
        #[arg(long)]
        instrument: Option<PathBuf>,
        /// The export's platform, when detection gets it wrong (names as for `run --format`).
        #[arg(long, value_parser = parse_platform)]
        format: Option<Platform>,
        /// Where to write the mapping (default: beside the export, as <name>.mapping.toml).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the mapping file if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum FrameworksCommand {
    /// Print one framework's tree: its levels, nodes, tags and properties.
    Show {
        /// The framework's id, as `backbone frameworks` lists it.
        id: String,
    },
}

const SAMPLE_CONFIG: &str = "sample_surveys/backbone.toml";

fn parse_platform(name: &str) -> Result<Platform, String> {
    Platform::parse(name).ok_or_else(|| format!("not a known platform; use one of: {}", Platform::NAMES))
}

fn main() -> ExitCode {
    backbone::output::install_signal_handlers();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(mut e) => {
            suggest_subcommand(&mut e);
            e.exit()
        }
    };
    let result = match cli.command {
        Some(Command::Run {
            files,
            config,
            out,
            format,
            instrument,
        }) => run(&files, config.as_deref(), out.as_deref(), format, instrument),
        Some(Command::Init {
            export,
            instrument,
            format,
            out,
            force,
        }) => init(&export, instrument.as_deref(), format, out, force),
        Some(Command::Frameworks { show }) => frameworks(show),
        None => run(&[], None, None, None, None),
    };
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Adds "a similar subcommand exists" to clap's error for a mistyped command such as `rnu`
/// (clap's own suggestion misses transposed letters in short names).
fn suggest_subcommand(e: &mut clap::Error) {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::InvalidSubcommand || e.get(ContextKind::SuggestedSubcommand).is_some() {
        return;
    }
    let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidSubcommand).cloned() else {
        return;
    };
    let best = ["run", "init", "help"]
        .into_iter()
        .map(|name| (edit_distance(&typed.to_lowercase(), name), name))
        .min();
    if let Some((_, name)) = best.filter(|(d, _)| *d <= 2) {
        e.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(vec![name.to_string()]),
        );
    }
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) from `a` to `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

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

fn run(
    files: &[PathBuf],
    config: Option<&Path>,
    out: Option<&Path>,
    format: Option<Platform>,
    instrument: Option<PathBuf>,
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
            return Err(e);
        }
    };
    bar.suspend(|| print_accounting(&analysis));
    backbone::output::checkpoint("after-ingest")?;
    bar.set_message(format!("writing the reports into {}", out.display()));
    let written = analysis.write(&out);
    bar.finish_and_clear();
    for path in written? {
        say!("wrote {}", path.display());
    }
    Ok(())
}

fn frameworks(show: Option<FrameworksCommand>) -> backbone::Result<()> {
    let all = backbone::catalogue::bundled()?;
    match show {
        None => say!("{}", backbone::catalogue::listing(&all).trim_end()),
        Some(FrameworksCommand::Show { id }) => say!("{}", backbone::catalogue::tree(&all, &id)?.trim_end()),
    }
    Ok(())
}

fn init(
    export: &Path,
    instrument: Option<&Path>,
    format: Option<Platform>,
    out: Option<PathBuf>,
    force: bool,
) -> backbone::Result<()> {
    let target = out.unwrap_or_else(|| {
        let stem = export
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        export.with_file_name(format!("{stem}.mapping.toml"))
    });
    if target.exists() && !force {
        return Err(backbone::Error::input(
            backbone::error::Location::file(&target),
            "the mapping file already exists",
            "Pass --force to replace it, or --out to write elsewhere.",
        ));
    }
    let suggestion = suggest_mapping(export, instrument, format)?;
    std::fs::write(&target, &suggestion.text).map_err(|e| backbone::Error::io(&target, e))?;
    say!(
        "{}: {} export, {} question columns; {} placed, {} not placed",
        export.display(),
        suggestion.platform,
        suggestion.columns.len(),
        suggestion.columns.iter().filter(|s| s.target.is_some()).count(),
        suggestion.columns.iter().filter(|s| s.target.is_none()).count(),
    );
    for s in &suggestion.columns {
        if s.target.is_none() {
            say!("  not placed: {}: {}", suggestion.addresses[s.index], s.column);
        }
        if let Some(note) = &s.note {
            say!("  check {}: {note}", suggestion.addresses[s.index]);
        }
    }
    if !suggestion.unasked.is_empty() {
        say!(
            "  instrument items with no column: {}",
            suggestion.unasked.join(", ")
        );
    }
    for a in &suggestion.aliases {
        let shown = example(&a.text);
        match &a.point {
            Some(point) => say!(
                "  {} answer(s) \"{shown}\" match no point of scale \"{}\": if it means \"{point}\", add it to that point's aliases in the instrument",
                a.count, a.scale
            ),
            None => say!(
                "  {} answer(s) \"{shown}\" match no point of scale \"{}\": add it to a point's aliases, or to missing",
                a.count, a.scale
            ),
        }
    }
    say!("wrote {}", target.display());
    Ok(())
}

fn print_accounting(analysis: &Analysis) {
    for a in &analysis.accounts {
        say!(
            "{} (wave {}, {}{}, {}): {} rows read, {} used, {} skipped",
            a.path.display(),
            a.wave,
            a.platform,
            if a.detected { ", detected" } else { "" },
            a.encoding,
            a.rows_read,
            a.rows_used,
            a.rows_skipped()
        );
        for (reason, count) in &a.skipped {
            say!("  skipped {count}: {}", reason.describe());
            for (_, line, detail) in a.skip_examples.iter().filter(|e| e.0 == *reason) {
                say!("    row {line}: {detail}");
            }
        }
        if a.damaged_cells > 0 {
            say!(
                "  {} cells held bytes that are not valid {} (shown as \u{FFFD}; check these answers), e.g.:",
                a.damaged_cells,
                a.encoding.split(' ').next().unwrap_or("text")
            );
            for at in &a.damaged_examples {
                say!("    {at}");
            }
        }
        if a.unknown_answers > 0 {
            say!(
                "  {} answers matched no scale label (treated as unanswered), e.g.:",
                a.unknown_answers
            );
            for (at, text) in &a.unknown_examples {
                say!("    {at}: \"{}\"", example(text));
            }
        }
        if a.unknown_attributes > 0 {
            say!(
                "  {} attribute answers matched none of the instrument's options (counted as not stated), e.g.:",
                a.unknown_attributes
            );
            for (at, text) in &a.unknown_attribute_examples {
                say!("    {at}: \"{text}\"");
            }
        }
        if a.several_choices > 0 {
            say!(
                "  {} answers tick more than one option of a single-choice question (an item counts as unanswered, an attribute as not stated; correct them in the export to use them), e.g.:",
                a.several_choices
            );
            for (at, options) in &a.several_choice_examples {
                say!("    {at}: {options}");
            }
        }
        if !a.dropped_columns.is_empty() {
            say!(
                "  {} identifying columns dropped: {}",
                a.dropped_columns.len(),
                backbone::messages::first_few(&a.dropped_columns, " | ")
            );
        }
        if !a.missing_items.is_empty() {
            say!(
                "  {} instrument items not in this export: {}",
                a.missing_items.len(),
                backbone::messages::first_few(&a.missing_items, ", ")
            );
        }
        if !a.unmapped_columns.is_empty() {
            say!(
                "  {} columns not used: {}",
                a.unmapped_columns.len(),
                backbone::messages::first_few(&a.unmapped_columns, " | ")
            );
        }
    }
}
