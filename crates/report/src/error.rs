//! The report crate's errors: each names the file (and line and column, where there is one).

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{file}{}: {problem}", location(*line, *column))]
    Narrative {
        file: String,
        line: Option<usize>,
        column: Option<usize>,
        problem: String,
    },
    #[error("{0}")]
    Io(String),
    #[error("cannot render the report template: {0}")]
    Template(String),
    #[error("cannot typeset the PDF: {0}")]
    Pdf(String),
    #[error("cannot write the workbook {file}: {problem}")]
    Workbook { file: String, problem: String },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(", line {l}, column {c}"),
        (Some(l), None) => format!(", line {l}"),
        _ => String::new(),
    }
}
