//! Writing an inspection in its on-disk form (the inverse of the readers): `inspection.toml` text,
//! one CSV text per instrument, `evidence.csv`, `domain-one.json` and the `narrative/` files. Produces text only; the
//! caller writes the files.

use std::path::PathBuf;

use crate::answer::Answer;
use crate::case::CaseSet;
use crate::framework::{Attribute, Framework};
use crate::inspection::{Inspection, Manifest};
use crate::text;

use super::csv::{NOTES, STATUS, attribute_columns};

/// The `inspection.toml` text for a manifest.
pub fn manifest_toml(manifest: &Manifest) -> String {
    toml::to_string(manifest).expect("a manifest always serialises")
}

/// The CSV text of one instrument's cases, columns in framework order. Case ids and notes that a
/// spreadsheet would run as a formula are written as text ([`text::to_spreadsheet`]), which the CSV
/// reader undoes, so the file reads back exactly.
pub fn cases_csv(fw: &Framework, set: &CaseSet) -> String {
    let instrument = fw
        .instrument(&set.instrument)
        .expect("case sets are built from the framework's instruments");
    let with_notes = set.cases().iter().any(|c| c.notes.is_some());
    // A status column only when a case is in progress, so files of finished work stay as they were.
    let with_status = set.in_progress() > 0;
    // Declared attributes: a column for each one any case records, so files without them stay as
    // they were.
    let declared: Vec<&str> = fw
        .attributes_of(&instrument.id)
        .map(|a| a.id.as_str())
        .filter(|id| set.cases().iter().any(|c| c.attributes.contains_key(*id)))
        .collect();
    let mut out = ::csv::WriterBuilder::new().from_writer(Vec::with_capacity(set.len() * 128));
    let mut header: Vec<&str> = attribute_columns(instrument);
    if with_status {
        header.insert(1, STATUS);
    }
    header.extend(&declared);
    if with_notes {
        header.push(NOTES);
    }
    header.extend(instrument.questions.iter().map(|q| q.id.as_str()));
    out.write_record(&header).expect("writing to memory");
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for (case, answers) in set.rows() {
        record.clear();
        record.push(text::to_spreadsheet(&case.id).into_owned());
        if with_status {
            record.push(case.status.as_str().to_string());
        }
        for attr in &instrument.attributes {
            match attr {
                Attribute::Sentence => {
                    record.push(case.sentence.map_or("", |s| s.as_str()).to_string())
                }
                Attribute::ProbationReset => {
                    record.push(if case.reset_weeks.is_some() { "Y" } else { "N" }.to_string());
                    record.push(case.reset_weeks.map(|w| w.to_string()).unwrap_or_default());
                }
                Attribute::ManagementOversight => {
                    record.push(case.oversight.map_or("", |o| o.as_str()).to_string())
                }
            }
        }
        for id in &declared {
            record.push(case.attributes.get(*id).cloned().unwrap_or_default());
        }
        if with_notes {
            record.push(text::to_spreadsheet(case.notes.as_deref().unwrap_or("")).into_owned());
        }
        record.extend(answers.iter().map(|a: &Answer| a.as_cell().to_string()));
        out.write_record(&record).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// The files of an inspection directory, as (path relative to the directory, text): its manifest
/// (listing `unit_paths` for a region's PDU inspections), one CSV per instrument with cases, the
/// evidence file where a case has a note, domain one's evidence where there is any, and each
/// narrative file.
pub fn inspection_files(
    fw: &Framework,
    inspection: &Inspection,
    unit_paths: Vec<String>,
) -> Vec<(PathBuf, String)> {
    let mut files = vec![(
        PathBuf::from(super::MANIFEST),
        manifest_toml(&Manifest::of(inspection, unit_paths)),
    )];
    for set in &inspection.cases {
        if let Some(instrument) = fw.instrument(&set.instrument) {
            files.push((PathBuf::from(&instrument.file), cases_csv(fw, set)));
        }
    }
    if let Some(text) = super::evidence::write(fw, &inspection.cases) {
        files.push((PathBuf::from(super::evidence::FILE), text));
    }
    if !inspection.domain_one.is_empty() {
        files.push((
            PathBuf::from(crate::domain_one::kept::FILE),
            crate::domain_one::kept::to_json(&inspection.domain_one),
        ));
    }
    for (name, text) in &inspection.narrative {
        files.push((
            PathBuf::from(crate::narrative::DIR).join(name),
            text.clone(),
        ));
    }
    files
}
