//! `backbone init`: a mapping file suggested for an export of a known instrument, or with
//! `--new` the starter instrument, framework and config of a survey of one's own.

use std::path::{Path, PathBuf};

use backbone::ingest::Platform;
use backbone::pipeline::suggest_mapping;
use backbone::privacy::example;

/// Writes the mapping suggested for `export` (beside it, or to `out`).
pub fn init(
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

/// Writes the starter config, instrument and framework of a survey of one's own into `out`.
pub fn init_new(
    exports: &[PathBuf],
    format: Option<Platform>,
    framework: Option<&str>,
    out: Option<PathBuf>,
    force: bool,
) -> backbone::Result<()> {
    let Some(dir) = out else {
        return Err(backbone::Error::usage(
            "init --new needs a folder to write the starter files into",
            "Add --out DIR, e.g. `backbone init --new survey-2023.csv survey-2024.csv --out my-survey`.",
        ));
    };
    let started = backbone::starter::start(exports, format, framework, &dir, force)?;
    for line in started.summary() {
        say!("{line}");
    }
    Ok(())
}
