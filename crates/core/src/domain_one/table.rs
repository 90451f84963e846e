//! A table of evidence as read from a file: its header and its rows, each with its line (CSV) or
//! sheet row (XLSX), so that every reader of evidence locates its errors the same way. The CLI
//! reads a workbook's first sheet into one; [`Rows::from_csv`] reads CSV text.

use crate::input_error::{ErrorKind, InputError, Place};

/// Where a reader's errors point: the file, and what its row numbers count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locate {
    pub file: String,
    pub place: Place,
}

impl Locate {
    /// A bad value at `line`, in `column`.
    pub fn at(&self, line: u64, column: &str, problem: String) -> InputError {
        InputError {
            line: Some(line),
            place: self.place,
            column: Some(column.to_string()),
            ..InputError::new(ErrorKind::BadValue, self.file.clone(), problem)
        }
    }
}

/// A header and the rows beneath it (see the module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    /// The file, as the user named it.
    pub file: String,
    /// What the row numbers count.
    pub place: Place,
    pub header: Vec<String>,
    /// `(line or sheet row, cells)`, blank rows left out.
    pub rows: Vec<(u64, Vec<String>)>,
}

impl Rows {
    /// The column headed `name` (ignoring case and surrounding space), if there is one; a header
    /// naming it twice is an error, since which to read would be a guess.
    pub fn column(&self, name: &str) -> Result<Option<usize>, InputError> {
        let mut found = self
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trim().eq_ignore_ascii_case(name.trim()))
            .map(|(i, _)| i);
        let first = found.next();
        if let Some(again) = found.next() {
            return Err(InputError {
                line: Some(1),
                place: self.place,
                column: Some(name.to_string()),
                ..InputError::new(
                    ErrorKind::UnknownColumn,
                    self.file.clone(),
                    format!(
                        "the header names '{name}' twice (columns {} and {}): which to read is unclear",
                        first.unwrap_or(0) + 1,
                        again + 1
                    ),
                )
            });
        }
        Ok(first)
    }

    /// The column headed `name`, which must be there (see [`Rows::column`]).
    pub fn required(&self, name: &str) -> Result<usize, InputError> {
        self.column(name)?.ok_or_else(|| InputError {
            line: Some(1),
            place: self.place,
            column: Some(name.to_string()),
            ..InputError::new(
                ErrorKind::MissingColumn,
                self.file.clone(),
                format!("the header has no column '{name}'"),
            )
        })
    }

    /// For a table of `what` (a "measure") with `columns`: refused when it has no row or lacks
    /// one of them; otherwise each column's index, where errors point, and the rows.
    #[allow(clippy::type_complexity)]
    pub fn open<const N: usize>(
        self,
        what: &str,
        columns: [&str; N],
    ) -> Result<([usize; N], Locate, Vec<(u64, Vec<String>)>), InputError> {
        self.not_empty(what)?;
        let mut at = [0usize; N];
        for (k, name) in columns.iter().enumerate() {
            at[k] = self.required(name)?;
        }
        let locate = Locate {
            file: self.file,
            place: self.place,
        };
        Ok((at, locate, self.rows))
    }

    /// Refuses a table with no row beneath its header: recording it would replace what was
    /// recorded before with nothing.
    pub fn not_empty(&self, what: &str) -> Result<(), InputError> {
        if self.rows.is_empty() {
            return Err(InputError::new(
                ErrorKind::Syntax,
                self.file.clone(),
                format!("the file lists no {what}"),
            ));
        }
        Ok(())
    }
    /// Reads CSV text (UTF-8, a header row first). A malformed record is a located error.
    pub fn from_csv(text: &str, file: &str) -> Result<Rows, InputError> {
        // Every record must have the header's number of fields: a short or long row (or a quote
        // left open, which swallows what follows) is an error at its line, never data lost.
        let mut csv = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let syntax = |e: csv::Error| InputError {
            line: e.position().map(|p| p.line()),
            ..InputError::new(ErrorKind::Syntax, file, e.to_string())
        };
        let header = csv
            .headers()
            .map_err(syntax)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for record in csv.records() {
            let record = record.map_err(syntax)?;
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = record.position().map_or(0, |p| p.line());
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        Ok(Rows {
            file: file.to_string(),
            place: Place::Line,
            header,
            rows,
        })
    }
}
