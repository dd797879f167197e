//! The `backbone` command line: parses arguments, runs the pipeline or suggests a mapping, and
//! prints what happened to every file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use backbone::config::Config;
use backbone::ingest::Platform;
use backbone::pipeline::{analyse, suggest_mapping, Analysis};

#[derive(Parser)]
#[command(
    name = "backbone",
    version,
    about = "Score partner surveys of a collective-impact backbone organization."
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
        /// The platform of the files named here, when detection gets it wrong.
        #[arg(long, value_enum)]
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
        /// The export's platform, when detection gets it wrong.
        #[arg(long, value_enum)]
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

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
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
        (None, true) => Config::load(Path::new(SAMPLE_CONFIG))?,
    };
    if !files.is_empty() {
        for wave in &mut config.waves {
            wave.format = format.or(wave.format);
        }
    }
    if instrument.is_some() {
        config.instrument = instrument;
    }
    let analysis = analyse(&config)?;
    print_accounting(&analysis);
    let out = out.unwrap_or(&config.out);
    for path in analysis.write(out)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn frameworks(show: Option<FrameworksCommand>) -> backbone::Result<()> {
    let all = backbone::catalogue::bundled()?;
    match show {
        None => print!("{}", backbone::catalogue::listing(&all)),
        Some(FrameworksCommand::Show { id }) => print!("{}", backbone::catalogue::tree(&all, &id)?),
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
    println!(
        "{}: {} export, {} question columns; {} placed, {} not placed",
        export.display(),
        suggestion.platform,
        suggestion.columns.len(),
        suggestion.columns.iter().filter(|s| s.target.is_some()).count(),
        suggestion.columns.iter().filter(|s| s.target.is_none()).count(),
    );
    for s in suggestion.columns.iter().filter(|s| s.target.is_none()) {
        println!("  not placed: {}", s.column);
    }
    if !suggestion.unasked.is_empty() {
        println!(
            "  instrument items with no column: {}",
            suggestion.unasked.join(", ")
        );
    }
    println!("wrote {}", target.display());
    Ok(())
}

fn print_accounting(analysis: &Analysis) {
    for a in &analysis.accounts {
        println!(
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
            println!("  skipped {count}: {}", reason.describe());
        }
        for (line, detail) in &a.skip_examples {
            println!("    row {line}: {detail}");
        }
        if a.unknown_answers > 0 {
            println!(
                "  {} answers matched no scale label (treated as unanswered), e.g.:",
                a.unknown_answers
            );
            for (at, text) in &a.unknown_examples {
                println!("    {at}: {text:?}");
            }
        }
        if a.unknown_attributes > 0 {
            println!(
                "  {} attribute answers matched none of the instrument's options (counted as not stated), e.g.:",
                a.unknown_attributes
            );
            for (at, text) in &a.unknown_attribute_examples {
                println!("    {at}: {text:?}");
            }
        }
        if !a.dropped_columns.is_empty() {
            println!(
                "  {} identifying columns dropped: {}",
                a.dropped_columns.len(),
                a.dropped_columns.join(" | ")
            );
        }
        if !a.missing_items.is_empty() {
            println!(
                "  {} instrument items not in this export: {}",
                a.missing_items.len(),
                a.missing_items.join(", ")
            );
        }
        if !a.unmapped_columns.is_empty() {
            println!(
                "  {} columns not used: {}",
                a.unmapped_columns.len(),
                a.unmapped_columns.join(" | ")
            );
        }
    }
}
