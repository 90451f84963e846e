//! The sample sizes a report states, read from its methodology paragraphs only (the one that
//! begins "We conducted fieldwork" and the one on the Probation Reset policy, with hard-wrapped
//! lines joined), so that no other number in the report is taken for one: the sentence-management cases and how many were community
//! sentences and licences, how many were under Probation Reset and on the adjusted standards,
//! and the court reports, resettlement, unpaid work and victim cases. Numbers may be words
//! ("Nine of the 34 cases"). A licence count the report leaves out but implies (cases less
//! community) is derived, and marked so.

use std::sync::LazyLock;

use casework_core::published::How;
use regex::Regex;

use crate::lines::Line;

/// One figure of one instrument's sample: (instrument id, field, value, line, stated or derived).
pub type SampleFigure = (&'static str, &'static str, u32, u64, How);

/// The primary instrument's id in these phrases; other instruments are named by their own.
pub const CASES: &str = "sentence-management";

const NUMBER: &str = r"(\d{1,5}|[A-Za-z]+(?:-[A-Za-z]+)?)";

/// (pattern, instrument, the field each capture group fills).
static PHRASES: LazyLock<Vec<(Regex, &'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    let p = |pattern: &str| Regex::new(&pattern.replace("{N}", NUMBER)).expect("valid");
    vec![
        (p(r"(?i)\bwe reviewed {N} cases\b"), CASES, vec!["cases"]),
        (
            p(r"(?i)\bof which {N} were subject to a community sentence"),
            CASES,
            vec!["community"],
        ),
        (
            p(r"(?i)\b{N} were subject to release on licence"),
            CASES,
            vec!["licence"],
        ),
        (
            p(r"(?i)\bwe inspected {N} community orders and {N} releases on licence"),
            CASES,
            vec!["community", "licence"],
        ),
        (
            p(r"(?i)\b{N} of the \d+ cases we inspected were subject to Probation Reset"),
            CASES,
            vec!["reset"],
        ),
        (
            p(r"(?i)\bof the \d+ cases we inspected, {N} were subject to Probation Reset"),
            CASES,
            vec!["reset"],
        ),
        (
            p(r"(?i)\badjusted PDU standards in {N}\b"),
            CASES,
            vec!["adjusted"],
        ),
        (
            p(r"(?i)\bwith {N} having the adjusted"),
            CASES,
            vec!["adjusted"],
        ),
        (
            p(r"(?i)\b{N} court reports\b"),
            "court-report",
            vec!["cases"],
        ),
        (
            p(r"(?i)\b{N} cases subject to resettlement provision"),
            "resettlement",
            vec!["cases"],
        ),
        (
            p(r"(?i)\b{N} unpaid work cases\b"),
            "unpaid-work",
            vec!["cases"],
        ),
        (
            p(r"(?i)\b{N} statutory victim cases\b"),
            "victim-contact",
            vec!["cases"],
        ),
    ]
});

fn number(text: &str) -> Option<u32> {
    text.parse()
        .ok()
        .or_else(|| casework_core::number_words::parse(text).and_then(|n| u32::try_from(n).ok()))
}

/// What begins a paragraph that states the sample.
const ANCHORS: [&str; 2] = ["We conducted fieldwork", "Probation Reset policy"];

/// The methodology paragraphs: their text (lines joined by spaces, paragraphs in order) and each
/// line's start offset in it.
fn paragraph(lines: &[Line]) -> Option<(String, Vec<(usize, u64)>)> {
    let mut text = String::new();
    let mut starts = Vec::new();
    for anchor in ANCHORS {
        let Some(start) = lines.iter().position(|l| l.text.contains(anchor)) else {
            continue;
        };
        for line in lines[start..]
            .iter()
            .take_while(|l| !l.text.trim().is_empty())
        {
            starts.push((text.len(), line.number));
            text.push_str(line.text.trim());
            text.push(' ');
        }
    }
    (!text.is_empty()).then_some((text, starts))
}

/// Every sample figure the methodology paragraph states, and the licences it implies.
pub fn read(lines: &[Line]) -> Vec<SampleFigure> {
    let Some((text, starts)) = paragraph(lines) else {
        return Vec::new();
    };
    let line_at = |offset: usize| {
        starts
            .iter()
            .rev()
            .find(|(s, _)| *s <= offset)
            .map_or(0, |(_, n)| *n)
    };
    let mut figures: Vec<SampleFigure> = Vec::new();
    for (pattern, instrument, fields) in PHRASES.iter() {
        let Some(c) = pattern.captures(&text) else {
            continue;
        };
        let line = line_at(c.get(0).map_or(0, |m| m.start()));
        let values: Option<Vec<u32>> = (1..c.len()).map(|g| number(&c[g])).collect();
        let Some(values) = values else {
            continue;
        };
        for (field, value) in fields.iter().zip(values) {
            if !figures.iter().any(|f| f.0 == *instrument && f.1 == *field) {
                figures.push((instrument, field, value, line, How::Stated));
            }
        }
    }
    let get = |field: &str, figures: &[SampleFigure]| {
        figures
            .iter()
            .find(|f| f.0 == CASES && f.1 == field)
            .map(|f| (f.2, f.3))
    };
    match (
        get("cases", &figures),
        get("community", &figures),
        get("licence", &figures),
    ) {
        (None, Some((community, line)), Some((licence, _))) => {
            figures.push((CASES, "cases", community + licence, line, How::Derived));
        }
        (Some((cases, line)), Some((community, _)), None) if community <= cases => {
            figures.push((CASES, "licence", cases - community, line, How::Derived));
        }
        _ => {}
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::clean;

    #[test]
    fn a_pdu_paragraph_gives_its_counts_and_the_cases_derived() {
        let figures = read(&clean(
            "We conducted fieldwork in X PDU. We inspected 18 community orders and 16 releases on\nlicence from custody.\n\nNine of the 34 cases we inspected were subject to Probation Reset.",
        ));
        assert!(figures.contains(&(CASES, "community", 18, 1, How::Stated)));
        assert!(figures.contains(&(CASES, "licence", 16, 1, How::Stated)));
        assert!(figures.contains(&(CASES, "cases", 34, 1, How::Derived)));
        assert!(
            !figures.iter().any(|f| f.1 == "reset"),
            "only the methodology paragraph is read"
        );
    }
}
