//! The error every reader of an inspection's files returns (`crate::input`, the sampling extract,
//! domain one's evidence): its kind, the file, the line (or sheet row), the column or field, and
//! what was wrong. A leaf, so that every reader can name it without importing the others.

use std::fmt;

/// What went wrong, for callers and tests that need to tell errors apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// The file is not valid TOML / JSON / CSV, or has an unknown or missing field.
    Syntax,
    /// The inspection names a framework that is not available or does not match.
    Framework,
    /// An inspection kind, standard or rating that the framework does not have.
    UnknownReference,
    /// A judged standard has no rating, or a rating is given for a standard that is not judged.
    Judged,
    /// A CSV column that is neither a case attribute nor a question of this instrument.
    UnknownColumn,
    /// A required column (case id, sentence, a key question) is missing.
    MissingColumn,
    /// The same case id twice in one instrument.
    DuplicateCase,
    /// A cell that is not one of the allowed values.
    BadValue,
    /// Y or N given for a question that does not apply to the case.
    DoesNotApply,
    /// A key question that applies has no answer.
    MissingKeyAnswer,
    /// NA given for a question that does not allow it.
    NotApplicableNotAllowed,
    /// A region's PDU inspection that does not fit (wrong kind, other region, nested units).
    Unit,
    /// Input over one of the stated limits ([`limits`]).
    TooLarge,
}

/// What [`InputError::line`] counts: lines of a text file, or rows of a workbook sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    #[default]
    Line,
    Row,
}

impl Place {
    /// "line" or "row", for messages ("already on line 4").
    pub fn noun(self) -> &'static str {
        match self {
            Place::Line => "line",
            Place::Row => "row",
        }
    }
}

/// An input error with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    pub kind: ErrorKind,
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line (or sheet row, see `place`) as an editor or spreadsheet shows it, where known.
    pub line: Option<u64>,
    /// Whether `line` is a line of text or a row of a sheet.
    pub place: Place,
    /// The column or field name, where known.
    pub column: Option<String>,
    pub problem: String,
}

impl InputError {
    pub fn new(kind: ErrorKind, file: impl Into<String>, problem: impl Into<String>) -> InputError {
        InputError {
            kind,
            file: file.into(),
            line: None,
            place: Place::Line,
            column: None,
            problem: problem.into(),
        }
    }

    pub fn at_line(mut self, line: u64) -> InputError {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, column: impl Into<String>) -> InputError {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            match self.place {
                Place::Line => write!(f, ", line {line}")?,
                Place::Row => write!(f, ", row {line}")?,
            }
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        write!(f, ": {}", self.problem)
    }
}
