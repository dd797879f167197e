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
    #[error("{path}: {source}. Check that the file exists and that you may read (or write) it.")]
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
    /// A computation failed inside the data-frame engine; this is a bug, not an input problem.
    #[error("internal error in {stage}: {message}. Please report it with the command you ran.")]
    Internal { stage: &'static str, message: String },
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

    pub fn internal(stage: &'static str, message: impl std::fmt::Display) -> Self {
        Error::Internal {
            stage,
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
