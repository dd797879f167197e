//! The `backbone` command line: parses the arguments and hands each command to its module in
//! src/cmd/ (run, init, check, frameworks).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use backbone::error::exit;
use backbone::ingest::Platform;

/// Console output. A closed pipe (`backbone run | head`) ends the console output, never the
/// run: the report is still written whole.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod cmd;

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
        /// Refuse to write the reports (exit 1) when any answer, item or column of a file is
        /// unaccounted for: unknown answers, items not asked, columns not used.
        #[arg(long)]
        strict: bool,
    },
    /// Check a config, its instrument, framework and every wave's export without writing a
    /// report: prints the framework's tree and each file's accounting, and every wave that
    /// cannot be used, not only the first.
    Check {
        /// The backbone.toml to check.
        #[arg(long)]
        config: PathBuf,
    },
    /// List the bundled frameworks with their counts per level, or show one as a tree.
    Frameworks {
        #[command(subcommand)]
        show: Option<FrameworksCommand>,
    },
    /// Suggest a mapping file for an export whose headers differ from the instrument's texts;
    /// with --new, write a starter instrument, framework and backbone.toml from the exports.
    Init {
        /// The survey export (with --new: one or more, one wave each).
        #[arg(required = true)]
        exports: Vec<PathBuf>,
        /// Start a survey that is not the bundled one: write backbone.toml, an instrument and
        /// a framework skeleton read from the exports into the --out folder.
        #[arg(long)]
        new: bool,
        /// With --new: place the items into this bundled framework's nodes (its lowest level)
        /// by the words they share, instead of writing a framework skeleton.
        #[arg(long, requires = "new")]
        framework: Option<String>,
        /// An instrument file (default: the bundled FSG partner survey).
        #[arg(long)]
        instrument: Option<PathBuf>,
        /// The export's platform, when detection gets it wrong (names as for `run --format`).
        #[arg(long, value_parser = parse_platform)]
        format: Option<Platform>,
        /// Where to write the mapping (default: beside the export, as <name>.mapping.toml);
        /// with --new, the folder for the starter files (required).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the mapping file (with --new: the starter files) if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum FrameworksCommand {
    /// Print one framework's tree: its levels, nodes, tags and properties.
    Show {
        /// The framework's id, as `backbone frameworks` lists it, or the path of a framework or
        /// instrument file of your own (checked as a run checks it).
        id: String,
    },
}

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
            strict,
        }) => cmd::run::run(&files, config.as_deref(), out.as_deref(), format, instrument, strict),
        Some(Command::Init {
            exports,
            new: true,
            format,
            framework,
            out,
            force,
            ..
        }) => cmd::init::init_new(&exports, format, framework.as_deref(), out, force),
        Some(Command::Init {
            exports,
            instrument,
            format,
            out,
            force,
            ..
        }) => match exports.as_slice() {
            [export] => cmd::init::init(export, instrument.as_deref(), format, out, force),
            _ => Err(backbone::Error::usage(
                "init maps one export onto an instrument; several were named",
                "Run `backbone init` once per export, or pass --new to start a survey of your own from all of them.",
            )),
        },
        Some(Command::Frameworks { show }) => cmd::frameworks::frameworks(show.as_ref().map(|FrameworksCommand::Show { id }| id.as_str())),
        Some(Command::Check { config }) => cmd::check::check(&config),
        None => cmd::run::run(&[], None, None, None, None, false),
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
