//! The `backbone` command line: parses arguments, runs the pipeline, prints the accounting.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use backbone::config::Config;
use backbone::pipeline::{analyse, Analysis};

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
        /// Survey exports, one per wave; the wave label is the year in the file name.
        files: Vec<PathBuf>,
        /// A backbone.toml naming the initiative, its waves and the instrument.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output folder (default: the config's, else ./reports).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

const SAMPLE_CONFIG: &str = "sample_surveys/backbone.toml";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (files, config, out) = match cli.command {
        Some(Command::Run { files, config, out }) => (files, config, out),
        None => (Vec::new(), None, None),
    };
    match run(&files, config.as_deref(), out.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(files: &[PathBuf], config: Option<&Path>, out: Option<&Path>) -> backbone::Result<()> {
    let config = match (config, files.is_empty()) {
        (Some(path), _) => Config::load(path)?,
        (None, false) => Config::from_files(files)?,
        (None, true) => Config::load(Path::new(SAMPLE_CONFIG))?,
    };
    let analysis = analyse(&config)?;
    print_accounting(&analysis);
    let out = out.unwrap_or(&config.out);
    for path in analysis.write(out)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn print_accounting(analysis: &Analysis) {
    for a in &analysis.accounts {
        println!(
            "{} ({}, {}): {} rows read, {} used, {} skipped",
            a.path.display(),
            a.wave,
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
