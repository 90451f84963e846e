//! The figures a report's front matter and ratings panel state once: its title and unit (and a
//! PDU's region), when it was published and fieldwork started, the score out of its maximum and
//! the overall rating. Each found figure carries its line; one not found is left empty. A score
//! or overall rating printed twice with different values is a conflict, and left empty.

use std::sync::LazyLock;

use regex::Regex;

use crate::lines::{Line, next_filled};
use crate::rating_label;

/// What the front matter gives.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Header {
    pub title: Option<(String, u64)>,
    pub unit: Option<(String, u64)>,
    pub region: Option<(String, u64)>,
    /// `YYYY-MM`.
    pub published: Option<(String, u64)>,
    /// `YYYY-MM`.
    pub fieldwork_started: Option<(String, u64)>,
    /// (score, maximum, line).
    pub score: Option<(u32, u32, u64)>,
    /// The figures printed two ways: what, and each value with its line.
    pub conflicts: Vec<String>,
    /// The rating's label as the report's scale spells it, with its line.
    pub overall: Option<(&'static str, u64)>,
}

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

static SCORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^A-Za-z])Score\s*(\d{1,3})\s*/\s*(\d{1,3})\b").expect("valid")
});
static FIELDWORK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"Fieldwork started\s+({MONTHS})\s+(\d{{4}})")).expect("valid")
});
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^HM Inspectorate of Probation,\s+({MONTHS})\s+(\d{{4}})\s*$"
    ))
    .expect("valid")
});
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^An inspection of probation services\b(.*)$").expect("valid")
});
/// "The Probation Service – East Midlands Region": the service's region after a dash.
static SERVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:the )?probation services?\s*[–—-]\s*(.+?)\s*$").expect("valid")
});

/// Reads the front matter of `lines`.
pub fn read(lines: &[Line]) -> Header {
    let mut header = Header::default();
    let mut scores: Vec<(u32, u32, u64)> = Vec::new();
    let mut overalls: Vec<(&'static str, u64)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text = line.text.as_str();
        // Each pattern only on a line holding its fixed words (a report has a thousand lines).
        if text.contains("Score")
            && let Some(c) = SCORE.captures(text)
            && let (Ok(score), Ok(max)) = (c[1].parse(), c[2].parse())
        {
            scores.push((score, max, line.number));
        }
        if header.fieldwork_started.is_none()
            && text.contains("Fieldwork started")
            && let Some(c) = FIELDWORK.captures(text)
        {
            header.fieldwork_started = Some((month(&c[1], &c[2]), line.number));
        }
        if header.published.is_none()
            && text.contains("HM Inspectorate of Probation,")
            && let Some(c) = PUBLISHED.captures(text.trim())
        {
            header.published = Some((month(&c[1], &c[2]), line.number));
        }
        if header.title.is_none()
            && text
                .trim_start()
                .get(..16)
                .is_some_and(|head| head.eq_ignore_ascii_case("an inspection of"))
            && let Some(c) = TITLE.captures(text.trim())
        {
            read_title(lines, i, c[1].trim(), &mut header);
        }
        if let Some(at) = text.find("Overall rating") {
            let rest = text[at + "Overall rating".len()..].trim();
            let overall = if rest.is_empty() {
                next_filled(lines, i + 1).and_then(|j| {
                    rating_label::whole(lines[j].text.trim()).map(|l| (l, lines[j].number))
                })
            } else {
                rating_label::leading(rest).map(|l| (l, line.number))
            };
            overalls.extend(overall);
        }
    }
    let score_of = |s: &(u32, u32, u64)| (s.0, s.1);
    if scores.iter().all(|s| score_of(s) == score_of(&scores[0])) {
        // A score over its maximum is no score: left unread.
        header.score = scores.first().copied().filter(|s| s.0 <= s.1);
    } else {
        header.conflicts.push(format!(
            "score: {}",
            scores
                .iter()
                .map(|(s, m, l)| format!("{s}/{m} (line {l})"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    if overalls.iter().all(|o| o.0 == overalls[0].0) {
        header.overall = overalls.first().copied();
    } else {
        header.conflicts.push(format!(
            "overall_rating: {}",
            overalls
                .iter()
                .map(|(r, l)| format!("{r} (line {l})"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    header
}

/// The title line "An inspection of probation services in:" names the unit on the lines after
/// it (then, for a PDU, the service's region); "An inspection of Probation Services – East
/// Midlands region" names it after the dash.
fn read_title(lines: &[Line], at: usize, rest: &str, header: &mut Header) {
    let number = lines[at].number;
    let inline = rest.trim_start_matches(':').trim();
    let named_after_dash = SERVICE
        .captures(&format!("probation services {inline}"))
        .map(|c| c[1].to_string());
    let (unit, unit_line, next) = match named_after_dash {
        Some(unit) if !inline.is_empty() => (unit, number, at + 1),
        _ => {
            let Some(j) = next_filled(lines, at + 1) else {
                return;
            };
            let text = lines[j].text.trim();
            match SERVICE.captures(text) {
                // "The Probation Service – East of England region": the region is the unit.
                Some(c) => (c[1].to_string(), lines[j].number, j + 1),
                None => (text.to_string(), lines[j].number, j + 1),
            }
        }
    };
    header.title = Some((
        format!("An inspection of probation services: {unit}"),
        number,
    ));
    if let Some(region) = region_name(&unit) {
        header.region = Some((region, unit_line));
    } else if let Some(j) = next_filled(lines, next)
        && let Some(c) = SERVICE.captures(lines[j].text.trim())
    {
        header.region = region_name(&c[1]).map(|r| (r, lines[j].number));
    }
    header.unit = Some((unit, unit_line));
}

/// "East Midlands Region" → "East Midlands"; `None` where the text does not end in "region".
fn region_name(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    lower
        .ends_with(" region")
        .then(|| text[..text.len() - " region".len()].trim().to_string())
}

fn month(name: &str, year: &str) -> String {
    let number = MONTHS
        .split('|')
        .position(|m| m == name)
        .map_or(0, |i| i + 1);
    format!("{year}-{number:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::clean;

    #[test]
    fn a_pdu_title_names_unit_and_region() {
        let h = read(&clean(
            "An inspection of probation services in:\nDerby City PDU\nThe Probation Service – East Midlands Region\nHM Inspectorate of Probation, May 2025\nDerby City PDU Score 7/21 Fieldwork started February 2025 **Overall rating Requires improvement** 1. x",
        ));
        assert_eq!(h.unit, Some(("Derby City PDU".into(), 2)));
        assert_eq!(h.region, Some(("East Midlands".into(), 3)));
        assert_eq!(h.published, Some(("2025-05".into(), 4)));
        assert_eq!(h.fieldwork_started, Some(("2025-02".into(), 5)));
        assert_eq!(h.score, Some((7, 21, 5)));
        assert_eq!(h.overall, Some(("Requires improvement", 5)));
    }

    #[test]
    fn a_region_title_after_a_dash_and_a_rating_on_the_next_line() {
        let h = read(&clean(
            "An inspection of Probation Services – East Midlands region\n### Overall rating\n\n**Inadequate**",
        ));
        assert_eq!(h.unit, Some(("East Midlands region".into(), 1)));
        assert_eq!(h.region, Some(("East Midlands".into(), 1)));
        assert_eq!(h.overall, Some(("Inadequate", 4)));
        assert_eq!(h.published, None);
    }
}
