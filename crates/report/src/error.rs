//! The report crate's errors: each names the file (and line and column, where there is one).

impl ReportError {
    /// An I/O error at `path`.
    pub fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
        move |source| ReportError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Why a report could not be written. Each keeps its cause as its `source`.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{file}{}: {problem}", location(*line, *column))]
    Narrative {
        file: String,
        line: Option<usize>,
        column: Option<usize>,
        problem: String,
    },
    #[error("{path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Csv {
        path: String,
        #[source]
        source: csv::Error,
    },
    #[error("cannot render the report template")]
    Template(#[source] minijinja::Error),
    #[error("cannot typeset the PDF: {0}")]
    Pdf(String),
    #[error("cannot hand the document to the PDF typesetter")]
    PdfData(#[source] serde_json::Error),
    #[error("cannot write the workbook {file}")]
    Workbook {
        file: String,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(", line {l}, column {c}"),
        (Some(l), None) => format!(", line {l}"),
        _ => String::new(),
    }
}
