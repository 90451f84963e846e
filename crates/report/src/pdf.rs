//! The PDF report, typeset by Typst (the `typst` crates, linked in; fonts embedded from
//! `typst-assets`), so that nothing needs installing. The template (`templates/report.typ`) reads
//! the [`Document`] as JSON data: inspectors' text enters the typesetter as strings, never as Typst
//! markup, so it cannot run as code. A4, page numbers, a contents page with page numbers, and table
//! rows that never split across pages.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::document::Document;
use crate::error::ReportError;

const TEMPLATE: &str = include_str!("../templates/report.typ");

/// The embedded fonts, loaded once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> Result<FileId, ReportError> {
    let vpath = VirtualPath::new(path).map_err(|e| ReportError::Pdf(format!("{e:?}")))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// A Typst world of two files: the template and the report's data.
struct ReportWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Reports must not depend on the day they are built: the template does not ask.
        None
    }
}

/// Typesets the report; returns the PDF's bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, ReportError> {
    let data = serde_json::to_vec(doc).map_err(ReportError::PdfData)?;
    let world = ReportWorld {
        main: Source::new(file_id("/report.typ")?, TEMPLATE.to_string()),
        data_id: file_id("/data.json")?,
        data: Bytes::new(data),
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    // Typst memoises layout across compilations; a report is typeset once, so keep nothing (this
    // bounds memory in a long-running process, and makes every render pay its full cost).
    comemo::evict(0);
    let document = compiled.output.map_err(|errors| {
        let messages: Vec<String> = errors
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message.to_string())
            .collect();
        ReportError::Pdf(messages.join("; "))
    })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        ReportError::Pdf(
            errors
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
