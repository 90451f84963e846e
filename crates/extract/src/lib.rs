//! Published inspection reports into published results (issue 18). A report arrives as plain
//! text (the web page or a PDF converted to text, Markdown-ish), or as HTML (`html.rs` turns it
//! into lines first); `lines.rs` cleans the markup conversions leave; the programme and kind are
//! those of the built-in framework whose standards' headings the report prints most; then
//! `header.rs` reads the front matter (title, unit, region, dates, score, overall rating),
//! `standards.rs` each standard's rating and key-question table, `samples.rs` the sample sizes.
//! Every figure carries the line it was read on; a figure that cannot be read is listed as
//! missing, and one read two ways as a conflict: never guessed.

mod header;
pub mod html;
pub mod lines;
mod rating_label;
mod samples;
mod standards;

use casework_core::framework::{Framework, InspectionKind};
use casework_core::published::{
    self, How, PublishedKeyQuestion, PublishedResult, PublishedSample, PublishedStandard,
};

/// What one report gave: the result, and what it could not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub result: PublishedResult,
    /// Each expected figure not found, by its path in the result (`overall_rating`,
    /// `standards[P2.1].rating`, `standards[P2.1].key_questions`).
    pub missing: Vec<String>,
    /// Each figure the report gives two different ways, with both.
    pub conflicts: Vec<String>,
}

impl Extraction {
    /// Whether every expected figure was read, and none two ways.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.conflicts.is_empty()
    }
}

/// Reads a report given as HTML (`source` names it in the result); why not, for a document no
/// report is (nested more than [`html::MAX_DEPTH`] deep).
pub fn extract_html(html: &str, source: &str) -> Result<Extraction, String> {
    Ok(extract_text(&html::to_text(html)?, source))
}

/// Reads a report given as text (`source` names it in the result).
pub fn extract_text(text: &str, source: &str) -> Extraction {
    let lines = lines::clean(text);
    let mut result = PublishedResult {
        source_file: Some(source.to_string()),
        ..PublishedResult::default()
    };
    let mut missing = Vec::new();
    let mut conflicts = Vec::new();

    let header = header::read(&lines);
    conflicts.extend(header.conflicts.iter().cloned());
    let texts = [
        ("title", header.title),
        ("unit", header.unit),
        ("region", header.region),
        ("published", header.published),
        ("fieldwork_started", header.fieldwork_started),
    ];
    for (field, value) in texts {
        let Some((value, line)) = value else {
            missing.push(field.to_string());
            continue;
        };
        let slot = match field {
            "title" => &mut result.title,
            "unit" => &mut result.unit,
            "region" => &mut result.region,
            "published" => &mut result.published,
            _ => &mut result.fieldwork_started,
        };
        *slot = Some(value);
        result.note_source(field, Some(line), How::Stated);
    }
    match header.score {
        Some((score, max, line)) => {
            result.score = Some(score);
            result.score_max = Some(max);
            result.note_source("score", Some(line), How::Stated);
            result.note_source("score_max", Some(line), How::Stated);
        }
        None if header.conflicts.iter().any(|c| c.starts_with("score")) => {}
        None => missing.extend(["score".to_string(), "score_max".to_string()]),
    }
    match header.overall {
        Some((label, line)) => {
            result.overall_rating = Some(label.to_string());
            result.note_source("overall_rating", Some(line), How::Stated);
        }
        None if header.conflicts.iter().any(|c| c.starts_with("overall")) => {}
        None => missing.push("overall_rating".into()),
    }

    let headings = standards::headings(&lines);
    let Some((framework, kind)) = programme_of(&headings) else {
        missing.push("programme and kind (no standard of any programme is printed)".into());
        return Extraction {
            result,
            missing,
            conflicts,
        };
    };
    result.programme = framework.programme.clone();
    result.kind = Some(kind.published_kind().to_string());
    read_standards(
        framework,
        kind,
        (&lines, &headings),
        &mut result,
        &mut missing,
        &mut conflicts,
    );
    read_samples(framework, &lines, &mut result, &mut missing);
    Extraction {
        result,
        missing,
        conflicts,
    }
}

/// The built-in framework and kind whose standards' headings `lines` print most.
fn programme_of(
    headings: &[standards::Heading],
) -> Option<(&'static Framework, &'static InspectionKind)> {
    published::frameworks()
        .into_iter()
        .filter_map(|fw| standards::best_kind(fw, headings).map(|(kind, seen)| (fw, kind, seen)))
        .max_by_key(|(_, _, seen)| *seen)
        .map(|(fw, kind, _)| (fw, kind))
}

fn read_standards(
    framework: &Framework,
    kind: &InspectionKind,
    (lines, headings): (&[lines::Line], &[standards::Heading]),
    result: &mut PublishedResult,
    missing: &mut Vec<String>,
    conflicts: &mut Vec<String>,
) {
    for (s, read) in standards::read(framework, kind, lines, headings)
        .into_iter()
        .enumerate()
    {
        let def = framework.standard(&read.code);
        let mut standard = PublishedStandard {
            code: read.code.clone(),
            name: def.map(|d| d.name.clone()),
            ..PublishedStandard::default()
        };
        match read.rating {
            Some((label, line)) => {
                standard.rating = Some(label.to_string());
                result.note_source(format!("standards[{s}].rating"), Some(line), How::Stated);
            }
            None if !read.conflict.is_empty() => conflicts.push(format!(
                "standards[{}].rating: {}",
                read.code,
                read.conflict
                    .iter()
                    .map(|(label, line)| format!("{label} (line {line})"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            None => missing.push(format!("standards[{}].rating", read.code)),
        }
        let expected = def.map_or(0, |d| d.key_questions.len());
        for (k, (text, percent, line)) in read.key_questions.iter().enumerate() {
            standard.key_questions.push(PublishedKeyQuestion {
                text: Some(text.clone()),
                percent_yes: Some(*percent),
            });
            result.note_source(
                format!("standards[{s}].key_questions[{k}].percent_yes"),
                Some(*line),
                How::Stated,
            );
        }
        if read.key_questions.len() < expected {
            missing.push(format!(
                "standards[{}].key_questions: {} of {expected} read",
                read.code,
                read.key_questions.len()
            ));
        }
        result.standards.push(standard);
    }
}

fn read_samples(
    framework: &Framework,
    lines: &[lines::Line],
    result: &mut PublishedResult,
    missing: &mut Vec<String>,
) {
    for (instrument, field, value, line, how) in samples::read(lines) {
        if framework.instrument(instrument).is_none() {
            continue;
        }
        let at = match result
            .samples
            .iter()
            .position(|s| s.instrument == instrument)
        {
            Some(at) => at,
            None => {
                result.samples.push(PublishedSample {
                    instrument: instrument.to_string(),
                    ..PublishedSample::default()
                });
                result.samples.len() - 1
            }
        };
        let sample = &mut result.samples[at];
        let slot = match field {
            "cases" => &mut sample.cases,
            "community" => &mut sample.community,
            "licence" => &mut sample.licence,
            "reset" => &mut sample.reset,
            _ => &mut sample.adjusted,
        };
        *slot = Some(value);
        result.note_source(format!("samples[{at}].{field}"), Some(line), how);
    }
    let primary = &framework.primary_instrument().id;
    if !result
        .samples
        .iter()
        .any(|s| &s.instrument == primary && s.cases.is_some())
    {
        missing.push(format!("samples[{primary}].cases"));
    }
}
