//! Domain one's evidence files (issue 17): reading one evidence file of a kind into what the store
//! records ([`read_file`], for the evidence page's upload and `casework evidence`), refused where
//! it names what the framework does not judge. The page's view is `casework_report::evidence_view`.

use casework_core::Framework;
use casework_core::domain_one::{self, Rows, SurveyMapping};
use casework_core::input::InputError;
use casework_store::EvidenceFile;

/// The kinds of evidence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A survey tool's per-respondent export, read through its mapping.
    Survey,
    Interviews,
    Measures,
    Documents,
    /// The judged rating of each key question, with its rationale.
    Ratings,
}

/// Reads one evidence file's `rows` as `kind` (a survey through `mapping`, the mapping file's
/// TOML text and name): the aggregates to record. Errors are located in the file (or the
/// mapping); a survey without a mapping is refused, and so is evidence filed against anything
/// but a judged standard of an inspection of `inspection_kind` (any kind where `None`) or one of
/// its key questions (`domain_one::check_filed`).
pub fn read_file(
    fw: &Framework,
    inspection_kind: Option<&str>,
    kind: EvidenceKind,
    rows: Rows,
    mapping: Option<(&str, &str)>,
) -> Result<EvidenceFile, InputError> {
    // What a survey files against is its mapping's, so an error there names the mapping.
    let file = match (kind, mapping) {
        (EvidenceKind::Survey, Some((_, name))) => name.to_string(),
        _ => rows.file.clone(),
    };
    let read = read_kind(fw, inspection_kind, kind, rows, mapping)?;
    let mut one = domain_one::Evidence::default();
    read.add_to(&mut one);
    domain_one::check_filed(fw, inspection_kind, &file, &one.filed())?;
    Ok(read)
}

fn read_kind(
    fw: &Framework,
    inspection_kind: Option<&str>,
    kind: EvidenceKind,
    rows: Rows,
    mapping: Option<(&str, &str)>,
) -> Result<EvidenceFile, InputError> {
    Ok(match kind {
        EvidenceKind::Survey => {
            let (text, name) = mapping.ok_or_else(|| {
                InputError::new(
                    casework_core::input::ErrorKind::MissingColumn,
                    rows.file.clone(),
                    "a survey export is read through its mapping: give the mapping file too",
                )
            })?;
            let mapping = SurveyMapping::from_toml(text, name)?;
            EvidenceFile::Survey(domain_one::survey::read(&mapping, rows)?)
        }
        EvidenceKind::Interviews => EvidenceFile::Interviews(domain_one::interview::read(rows)?),
        EvidenceKind::Measures => EvidenceFile::Measures(domain_one::measure::read(rows)?),
        EvidenceKind::Documents => EvidenceFile::Documents(domain_one::document::read(rows)?),
        EvidenceKind::Ratings => {
            EvidenceFile::KeyQuestionRatings(domain_one::ratings::read(fw, inspection_kind, rows)?)
        }
    })
}
