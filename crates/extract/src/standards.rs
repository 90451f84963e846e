//! Each standard's rating and key-question table, read where the report prints them. A standard
//! is found by its heading wherever it appears (the ratings panel, the executive summary, its own
//! section): its code at the start of a line ("R 2.1. Public Protection", "P 1.1 Leadership
//! Good"), or, where a conversion dropped the letter, its number with a dot and its name ("1.2.
//! Staffing"). Its rating is the label on the heading's line or, within the next three filled
//! lines, a line that is a label or ends with one; where two headings give different ratings,
//! the rating is a conflict, never a choice. Its percentages are the rows of the first "Key
//! question / Percentage 'Yes'" table before the next standard's heading.

use std::sync::LazyLock;

use casework_core::framework::{Framework, InspectionKind};
use regex::Regex;

use crate::lines::{Line, next_filled};
use crate::rating_label;

/// A heading: optional letter, number, optional dot, the rest of the line.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:([A-Z])\s?)?(\d{1,2}\.\d{1,2})(\.)?(?:\s+(.{0,120}))?$").expect("valid")
});
static TABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^key question\s*percentage").expect("valid"));
static ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?\S)\s*(\d{1,3})\s?%$").expect("valid"));
/// Lines that end a rating's search window.
static SECTION_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(our rating|strengths|areas for improvement|key question)").expect("valid")
});

/// How many filled lines after a heading may hold its rating.
const RATING_WINDOW: usize = 3;
/// How many lines after a heading its key-question table may start.
const TABLE_WINDOW: usize = 80;

/// One standard as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandardRead {
    pub code: String,
    /// The rating's label and its line.
    pub rating: Option<(&'static str, u64)>,
    /// Where headings disagree: each rating and its line.
    pub conflict: Vec<(&'static str, u64)>,
    /// Each row: the key question's text, its percentage, its line.
    pub key_questions: Vec<(String, u32, u64)>,
}

/// Where a code is printed as a heading: the line's index and the rest of the line.
#[derive(Debug, Clone)]
struct Occurrence {
    at: usize,
    rest: String,
}

/// A line that reads as a heading: its index, letter, number ("2.1"), whether a dot follows the
/// number, and the rest of the line. Found once per report; every standard looks among these.
#[derive(Debug, Clone)]
pub struct Heading {
    at: usize,
    letter: Option<char>,
    number: String,
    dotted: bool,
    rest: String,
}

/// Every heading-like line of `lines`.
pub fn headings(lines: &[Line]) -> Vec<Heading> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            // Only a line starting with a digit, or a capital then a digit, can be one.
            let mut chars = line.text.trim_start().chars();
            match chars.next() {
                Some(c) if c.is_ascii_digit() => true,
                Some(c) if c.is_ascii_uppercase() => chars
                    .find(|c| *c != ' ')
                    .is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            }
        })
        .filter_map(|(i, line)| {
            let c = HEADING.captures(line.text.trim())?;
            Some(Heading {
                at: i,
                letter: c.get(1).and_then(|m| m.as_str().chars().next()),
                number: c[2].to_string(),
                dotted: c.get(3).is_some(),
                rest: c.get(4).map_or("", |m| m.as_str()).trim().to_string(),
            })
        })
        .collect()
}

fn split_code(code: &str) -> (Option<char>, &str) {
    match code.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => (Some(c), &code[1..]),
        _ => (None, code),
    }
}

/// Every heading of `code` (named `name`) among `headings`.
fn occurrences(headings: &[Heading], code: &str, name: &str) -> Vec<Occurrence> {
    let (letter, number) = split_code(code);
    headings
        .iter()
        .filter(|h| h.number == number)
        .filter(|h| {
            let named = h
                .rest
                .get(..name.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(name));
            match (letter, h.letter) {
                (Some(want), Some(seen)) => want == seen,
                // The letter dropped: only a section heading (with its dot) that names the standard.
                (Some(_), None) => h.dotted && named,
                (None, None) => named,
                (None, Some(_)) => false,
            }
        })
        .map(|h| Occurrence {
            at: h.at,
            rest: h.rest.clone(),
        })
        .collect()
}

/// The kind of `framework` whose standards' headings appear most in `lines`, with how many.
pub fn best_kind<'f>(
    framework: &'f Framework,
    headings: &[Heading],
) -> Option<(&'f InspectionKind, usize)> {
    framework
        .kinds
        .iter()
        .map(|kind| {
            let seen = kind
                .standards
                .iter()
                .filter(|code| {
                    framework
                        .standard(code)
                        .is_some_and(|s| !occurrences(headings, code, &s.name).is_empty())
                })
                .count();
            (kind, seen)
        })
        .filter(|(_, seen)| *seen > 0)
        .max_by_key(|(_, seen)| *seen)
}

/// Every standard of `kind`, read from `lines`.
pub fn read(
    framework: &Framework,
    kind: &InspectionKind,
    lines: &[Line],
    headings: &[Heading],
) -> Vec<StandardRead> {
    let found: Vec<(String, Vec<Occurrence>)> = kind
        .standards
        .iter()
        .map(|code| {
            let name = framework.standard(code).map_or("", |s| s.name.as_str());
            (code.clone(), occurrences(headings, code, name))
        })
        .collect();
    let mut starts: Vec<usize> = found
        .iter()
        .flat_map(|(_, occ)| occ.iter().map(|o| o.at))
        .collect();
    starts.sort_unstable();
    let next_heading = |at: usize| {
        starts
            .iter()
            .copied()
            .find(|&s| s > at)
            .unwrap_or(lines.len())
    };
    found
        .into_iter()
        .map(|(code, occ)| {
            let mut read = StandardRead {
                code,
                ..StandardRead::default()
            };
            let mut ratings: Vec<(&'static str, u64)> = Vec::new();
            for o in &occ {
                let end = next_heading(o.at);
                if let Some(r) = rating_at(lines, o, end)
                    && !ratings.contains(&r)
                {
                    ratings.push(r);
                }
                if read.key_questions.is_empty() {
                    read.key_questions = table(lines, o.at + 1, end.min(o.at + TABLE_WINDOW));
                }
            }
            let labels: Vec<&str> = ratings.iter().map(|(l, _)| *l).collect();
            if labels.iter().all(|l| *l == labels[0]) {
                read.rating = ratings.first().copied();
            } else {
                read.conflict = ratings;
            }
            read
        })
        .collect()
}

/// The rating a heading gives: on its own line after the name, or in the window after it.
fn rating_at(lines: &[Line], o: &Occurrence, end: usize) -> Option<(&'static str, u64)> {
    if let Some((label, _)) = rating_label::trailing(&o.rest) {
        return Some((label, lines[o.at].number));
    }
    let mut from = o.at + 1;
    for _ in 0..RATING_WINDOW {
        let i = next_filled(lines, from).filter(|&i| i < end)?;
        let text = lines[i].text.trim();
        if SECTION_TEXT.is_match(text) {
            return None;
        }
        if let Some(label) = rating_label::whole(text) {
            return Some((label, lines[i].number));
        }
        if let Some((label, at)) = rating_label::trailing(text)
            && text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '.' | '?' | '!' | ')' | ' '))
        {
            return Some((label, lines[i].number));
        }
        from = i + 1;
    }
    None
}

/// The rows of the first key-question table in `lines[from..end]`.
fn table(lines: &[Line], from: usize, end: usize) -> Vec<(String, u32, u64)> {
    let Some(header) = (from..end.min(lines.len())).find(|&i| TABLE.is_match(lines[i].text.trim()))
    else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut i = header + 1;
    while let Some(j) = next_filled(lines, i) {
        let Some(c) = ROW.captures(lines[j].text.trim()) else {
            break;
        };
        // A percentage over 100 is not a figure this table can hold: the row is not read.
        let Some(percent) = c[2].parse::<u32>().ok().filter(|p| *p <= 100) else {
            break;
        };
        rows.push((c[1].trim().to_string(), percent, lines[j].number));
        i = j + 1;
    }
    rows
}
