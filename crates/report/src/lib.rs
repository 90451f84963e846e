//! Casework's reports: the published-style inspection report (HTML and PDF) and the data workbook
//! (XLSX and CSV), every figure taken from the core engine's [`Ratings`], so the text and the
//! data cannot disagree.
//!
//! Owns: the named figures a narrative may embed (`figures`), the inspectors' Markdown narrative
//! (`narrative`) and the lint for hand-typed numbers (`lint`), the document both renderers draw
//! (`document`), the SVG charts (`chart`), the HTML page (`html`), the Typst-typeset PDF (`pdf`) and
//! the data tables (`workbook`), and the figures beneath the tables (`analysis`: prompt figures,
//! breakdowns by case attribute). It computes no rule: that is `casework_core`'s job.

pub mod analysis;
pub mod certainty;
pub mod chart;
mod colours;
pub mod document;
pub mod domain_one;
mod error;
pub mod evidence_view;
pub mod figures;
pub mod funnel_chart;
pub mod html;
pub mod lint;
pub mod markdown;
pub mod methodology;
pub mod narrative;
pub mod national;
pub mod national_chart;
pub mod national_distribution;
pub mod pdf;
pub mod quality;
pub mod sample;
pub mod workbook;

use casework_core::{Framework, Ratings};

pub use document::Document;
pub use error::ReportError;
pub use figures::Figures;
pub use lint::Finding;
pub use narrative::{Narrative, SourceFile};
pub use quality::QaFigures;
pub use sample::SampleFigures;
pub use workbook::Table;

/// What a stored inspection adds to its report beyond its ratings: quality assurance's figures
/// (once a QA sample is second-marked), the case sample's (once drawn) and domain one's evidence
/// (once recorded).
#[derive(Debug, Clone, Default)]
pub struct StoredFigures {
    pub qa: Option<QaFigures>,
    pub sample: Option<SampleFigures>,
    /// Domain one's evidence: its `survey.*`, `interview.*`, `staffing.*` and `performance.*`
    /// figures (`domain_one`).
    pub domain_one: casework_core::domain_one::Evidence,
}

/// The marker of the internal report, on every page.
pub const INTERNAL: &str = "internal: not for publication";

/// One inspection's report, ready to render in any format.
#[derive(Debug, Clone)]
pub struct Report {
    pub document: Document,
    pub tables: Vec<Table>,
}

impl Report {
    /// Checks and fills in the narrative (`files`, from `shown_dir/narrative/`) against the
    /// ratings' figures and assembles the report.
    pub fn new(
        fw: &Framework,
        ratings: &Ratings,
        files: &[SourceFile],
        shown_dir: &str,
    ) -> Result<Report, ReportError> {
        Report::with_quality(fw, ratings, files, shown_dir, &StoredFigures::default())
    }

    /// [`Report::new`] with a stored inspection's figures: quality assurance's (`qa.*` for the
    /// narrative, QA sheets in the workbook, the QA annexe) and the case sample's (`sample.*`,
    /// a paragraph of the methodology annexe).
    pub fn with_quality(
        fw: &Framework,
        ratings: &Ratings,
        files: &[SourceFile],
        shown_dir: &str,
        stored: &StoredFigures,
    ) -> Result<Report, ReportError> {
        let qa = stored.qa.as_ref();
        let mut figures = Figures::of(ratings);
        if let Some(s) = &stored.sample {
            sample::add_figures(&mut figures, s);
        }
        domain_one::add_figures(&mut figures, &stored.domain_one, &fw.evidence);
        let mut tables = workbook::tables(fw, ratings);
        tables.push(certainty::table(ratings));
        if let Some(qa) = qa {
            quality::add_figures(&mut figures, qa);
            tables.extend(quality::tables(qa));
        }
        let known = narrative::known_sections(fw, &ratings.kind);
        let narrative = narrative::build(files, &figures, &known, shown_dir)?;
        let mut document = Document::new(fw, ratings, &narrative);
        document.quality = qa.map(quality::annexe);
        if let Some(s) = &stored.sample {
            document
                .methodology
                .insert(1.min(document.methodology.len()), sample::paragraph(s));
        }
        Ok(Report { document, tables })
    }

    /// The report with the corrections made since first publication shown under its title:
    /// `(version, ISO date, reason)`, oldest first.
    pub fn with_corrections(mut self, corrections: &[(i64, String, String)]) -> Report {
        self.document.corrections = corrections
            .iter()
            .map(|(version, date, reason)| {
                let day = casework_core::date::shown(date).unwrap_or_else(|| date.clone());
                format!("Corrected on {day} (version {version}): {reason}")
            })
            .collect();
        self
    }

    /// The internal report: with the annexe of domain one's evidence (each judged standard and key
    /// question of the inspection's kind with its rating, rationale and the evidence filed
    /// against it; `evidence_view::by_standard`) and marked "internal: not for publication" on
    /// every page. For the inspection team; publication never uses it.
    pub fn with_evidence_annexe(
        mut self,
        fw: &Framework,
        kind: &str,
        judged: &[evidence_view::JudgedStandard],
        evidence: &casework_core::domain_one::Evidence,
    ) -> Report {
        self.document.evidence = Some(evidence_view::by_standard(fw, kind, judged, evidence));
        self.document.draft = Some(match self.document.draft.take() {
            Some(draft) => format!("{draft}; internal: not for publication"),
            None => INTERNAL.to_string(),
        });
        self
    }

    pub fn html(&self) -> Result<String, ReportError> {
        html::render(&self.document)
    }

    pub fn pdf(&self) -> Result<Vec<u8>, ReportError> {
        pdf::render(&self.document)
    }
}

/// Typed numbers in the narrative (see `lint`); placeholders are checked too.
pub fn lint(
    ratings: &Ratings,
    files: &[SourceFile],
    shown_dir: &str,
) -> Result<Vec<Finding>, ReportError> {
    let figures = Figures::of(ratings);
    for f in files.iter().filter(|f| f.name.ends_with(".md")) {
        narrative::substitute(
            &format!("{shown_dir}/{}/{}", narrative::DIR, f.name),
            &f.text,
            &figures,
        )?;
    }
    Ok(lint::lint(files, &figures, shown_dir))
}
