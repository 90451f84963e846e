//! A table of evidence as read from a file: its header and its rows, each with its line (CSV) or
//! sheet row (XLSX), so that every reader of evidence locates its errors the same way. The CLI
//! reads a workbook's first sheet into one; [`Rows::from_csv`] reads CSV text.

use crate::input::{ErrorKind, InputError, Place};

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
    /// Reads CSV text (UTF-8, a header row first). A malformed record is a located error.
    pub fn from_csv(text: &str, file: &str) -> Result<Rows, InputError> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
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
