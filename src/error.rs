//! The one error type of the library: every failure says what is wrong, where, and what to do.

use std::path::PathBuf;

/// A place in an input file, as an evaluator would look for it in a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line or row number in the file, when the problem is on one row.
    pub row: Option<usize>,
    /// The column header (or 1-based column number) when the problem is in one column.
    pub column: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            row: None,
            column: None,
        }
    }

    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column \"{column}\"")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}. {}", crate::messages::io_fix(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A framework, instrument or config file is not what the tool expects.
    #[error("{at}: {what}. {fix}")]
    Definition { at: Location, what: String, fix: String },
    /// A survey export cannot be used.
    #[error("{at}: {what}. {fix}")]
    Input { at: Location, what: String, fix: String },
    /// The command line asks for something that cannot be done (an output folder that is a
    /// file, no inputs named).
    #[error("{what}. {fix}")]
    Usage { what: String, fix: String },
    /// A computation failed inside the data-frame engine; this is a bug, not an input problem.
    #[error("internal error in {stage}: {message}. Please report it with the command you ran.")]
    Internal { stage: &'static str, message: String },
    /// The run was stopped by a signal (Ctrl-C, SIGTERM, SIGHUP) and cleaned up after itself.
    #[error("interrupted; the output folder was left as it was before the run (or, if the signal came during the final swap, holds the complete new report)")]
    Interrupted,
}

/// Exit codes of the `backbone` command, by the kind of error (documented in `--help`).
pub mod exit {
    /// The run succeeded.
    pub const OK: u8 = 0;
    /// An input, config, instrument, framework, mapping or template file cannot be used.
    pub const INPUT: u8 = 1;
    /// The command line is wrong (unknown command or option, an output folder that cannot be
    /// used, nothing to run on).
    pub const USAGE: u8 = 2;
    /// A file or folder could not be read or written.
    pub const IO: u8 = 3;
    /// A bug in backbone.
    pub const INTERNAL: u8 = 4;
    /// Stopped by a signal.
    pub const INTERRUPTED: u8 = 130;
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn definition(at: Location, what: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::Definition {
            at,
            what: what.into(),
            fix: fix.into(),
        }
    }

    pub fn input(at: Location, what: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::Input {
            at,
            what: what.into(),
            fix: fix.into(),
        }
    }

    pub fn usage(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::Usage {
            what: what.into(),
            fix: fix.into(),
        }
    }

    /// The error with its fix naming the config file that was read (`--config cfg/x.toml`)
    /// wherever it says [`crate::messages::CONFIG_FILE`]; unchanged when no file was read.
    pub fn naming_config(self, source: Option<&std::path::Path>) -> Self {
        let named = |fix: String| crate::messages::naming_config(&fix, source);
        match self {
            Error::Definition { at, what, fix } => Error::Definition {
                at,
                what,
                fix: named(fix),
            },
            Error::Input { at, what, fix } => Error::Input {
                at,
                what,
                fix: named(fix),
            },
            Error::Usage { what, fix } => Error::Usage {
                what,
                fix: named(fix),
            },
            other => other,
        }
    }

    /// The exit code of the command for this error (see [`exit`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Definition { .. } | Error::Input { .. } => exit::INPUT,
            Error::Usage { .. } => exit::USAGE,
            Error::Io { .. } => exit::IO,
            Error::Internal { .. } => exit::INTERNAL,
            Error::Interrupted => exit::INTERRUPTED,
        }
    }

    pub fn internal(stage: &'static str, message: impl std::fmt::Display) -> Self {
        Error::Internal {
            stage,
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
