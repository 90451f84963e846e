//! What text Casework accepts, decided once for every way in (files, the web, the API, the
//! command line) and every backend: the characters allowed, the length limits, the shape of ids,
//! and how text leaves for a spreadsheet without becoming a formula.
//!
//! - **Characters.** Stored text never holds a control character (Unicode general category Cc:
//!   U+0000 to U+001F and U+007F to U+009F). PostgreSQL cannot store U+0000 at all, and the others
//!   rewrite a terminal or a log line. Multi-line text (evidence notes, reasons) may hold tab, line
//!   feed and carriage return; one-line text (names, ids, units) none.
//! - **Lengths** are counted in characters (Unicode scalar values), as the web's forms count them.
//! - **Ids**: see [`check_inspection_id`] and [`check_case_ref`].
//! - **Spreadsheet cells**: see [`to_spreadsheet`] and [`from_spreadsheet`].

use std::borrow::Cow;
use std::fmt;

/// User names (people sign in with them and they appear as the actor of every audit entry).
pub const NAME_MAX_CHARS: usize = 100;
/// A password as typed (it is hashed, never stored; the cap bounds the work of hashing it).
pub const PASSWORD_MAX_CHARS: usize = 1_024;
/// An inspection id, e.g. `east-midlands/derby-city`.
pub const INSPECTION_ID_MAX_CHARS: usize = 100;
/// A case reference, e.g. `DC-SM-0001`.
pub const CASE_REF_MAX_CHARS: usize = 100;
/// An evidence note or a case's notes: the same limit in the web form, the API and every file
/// reader.
pub const NOTE_MAX_CHARS: usize = 10_000;
/// One narrative file of a report (a section's Markdown, or the previous recommendations table).
pub const NARRATIVE_MAX_CHARS: usize = 100_000;
/// The reason given for a change, kept in the audit log.
pub const REASON_MAX_CHARS: usize = 1_000;
/// Any other one-line field: a unit or region name, a framework id, a rating, a date.
pub const LINE_MAX_CHARS: usize = 200;

/// Why a piece of text is refused. The caller names the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but spaces where something is needed.
    Empty,
    /// More characters than the field allows.
    TooLong { max: usize, found: usize },
    /// A control character (`at` is its 1-based character position).
    Control { code: u32, at: usize },
    /// An id that is not of the allowed shape; the text says what is allowed.
    Shape(&'static str),
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextProblem::Empty => f.write_str("must not be empty"),
            TextProblem::TooLong { max, found } => {
                write!(f, "is {found} characters long; at most {max} are allowed")
            }
            TextProblem::Control { code, at } => write!(
                f,
                "holds the control character U+{code:04X} at character {at}; remove it (control characters cannot be stored)"
            ),
            TextProblem::Shape(rule) => write!(f, "is not allowed: {rule}"),
        }
    }
}

/// Whether `c` may appear in stored text; `multiline` also allows tab, line feed and carriage return.
pub fn allowed_char(c: char, multiline: bool) -> bool {
    !c.is_control() || (multiline && matches!(c, '\t' | '\n' | '\r'))
}

fn check(text: &str, max: usize, multiline: bool) -> Result<(), TextProblem> {
    // A character is at most 4 bytes: text longer than that is refused without reading it through.
    if text.len() > max.saturating_mul(4) {
        return Err(TextProblem::TooLong {
            max,
            found: text.chars().count(),
        });
    }
    let mut count = 0;
    for (i, c) in text.chars().enumerate() {
        if !allowed_char(c, multiline) {
            return Err(TextProblem::Control {
                code: u32::from(c),
                at: i + 1,
            });
        }
        count = i + 1;
    }
    if count > max {
        return Err(TextProblem::TooLong { max, found: count });
    }
    Ok(())
}

/// One-line text of at most `max` characters with no control character.
pub fn check_line(text: &str, max: usize) -> Result<(), TextProblem> {
    check(text, max, false)
}

/// Multi-line text (tab, line feed and carriage return allowed) of at most `max` characters.
pub fn check_multiline(text: &str, max: usize) -> Result<(), TextProblem> {
    check(text, max, true)
}

/// An evidence note or case notes ([`NOTE_MAX_CHARS`], multi-line).
pub fn check_note(text: &str) -> Result<(), TextProblem> {
    check_multiline(text, NOTE_MAX_CHARS)
}

/// A user name: 1 to [`NAME_MAX_CHARS`] characters on one line.
pub fn check_name(text: &str) -> Result<(), TextProblem> {
    check_line(text, NAME_MAX_CHARS)?;
    if text.trim().is_empty() {
        return Err(TextProblem::Empty);
    }
    Ok(())
}

const INSPECTION_ID_RULE: &str = "an inspection id is 1 to 100 characters: letters, digits, '-', '_' and '.', with '/' only between a region and its PDU (e.g. east-midlands/derby-city); no '.' or '..' on its own";

/// An inspection id: 1 to [`INSPECTION_ID_MAX_CHARS`] ASCII letters, digits, `-`, `_` and `.`, in
/// segments separated by `/` (a region's PDU inspections are `region/pdu`), no segment empty, `.`
/// or `..`. Ids are path segments of every web address and names of exported directories, so
/// nothing in them needs escaping and none can climb out of a directory.
pub fn check_inspection_id(text: &str) -> Result<(), TextProblem> {
    if text.is_empty() {
        return Err(TextProblem::Empty);
    }
    let found = text.chars().count();
    if found > INSPECTION_ID_MAX_CHARS {
        return Err(TextProblem::TooLong {
            max: INSPECTION_ID_MAX_CHARS,
            found,
        });
    }
    for segment in text.split('/') {
        let shaped = !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !shaped {
            return Err(TextProblem::Shape(INSPECTION_ID_RULE));
        }
    }
    Ok(())
}

/// An inspection id made from a directory or file name: lower case, runs of anything but letters,
/// digits, `_` and `.` turned into one `-`. `None` when nothing usable is left.
pub fn inspection_id_from(name: &str) -> Option<String> {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id: String = id
        .trim_matches(|c| c == '-' || c == '.')
        .chars()
        .take(INSPECTION_ID_MAX_CHARS)
        .collect();
    check_inspection_id(&id).ok().map(|()| id)
}

/// A case reference: 1 to [`CASE_REF_MAX_CHARS`] characters on one line (any printable text: case
/// management systems differ).
pub fn check_case_ref(text: &str) -> Result<(), TextProblem> {
    check_line(text, CASE_REF_MAX_CHARS)?;
    if text.trim().is_empty() {
        return Err(TextProblem::Empty);
    }
    Ok(())
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): `=`,
/// `+`, `-`, `@`, tab and carriage return. A leading `'` is Excel's own mark for "this is text".
fn starts_a_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
    )
}

/// A cell as Casework writes it into a CSV file: text a spreadsheet would run as a formula (or
/// that begins with `'`) gets a leading `'`, which spreadsheets show as "text" and which
/// [`from_spreadsheet`] removes, so `from_spreadsheet(to_spreadsheet(x)) == x` for every `x`.
pub fn to_spreadsheet(text: &str) -> Cow<'_, str> {
    if starts_a_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as Casework reads it from a CSV file: one leading `'` is the spreadsheet's text mark
/// (see [`to_spreadsheet`]) and is dropped.
pub fn from_spreadsheet(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_by_position_and_newlines_only_where_multiline() {
        assert_eq!(
            check_line("ab\0c", 10),
            Err(TextProblem::Control { code: 0, at: 3 })
        );
        assert!(check_multiline("line one\r\n\tline two", 100).is_ok());
        assert!(matches!(
            check_line("two\nlines", 100),
            Err(TextProblem::Control { code: 10, .. })
        ));
        // C1 controls (a terminal's CSI is U+009B) and DEL too.
        assert!(check_multiline("x\u{9b}2J", 100).is_err());
        assert!(check_multiline("x\u{7f}", 100).is_err());
        assert!(check_line("Ünïcödé – fine", 100).is_ok());
    }

    #[test]
    fn lengths_are_characters_at_the_limit_and_one_over() {
        let at = "é".repeat(NOTE_MAX_CHARS);
        assert!(check_note(&at).is_ok());
        assert_eq!(
            check_note(&format!("{at}e")),
            Err(TextProblem::TooLong {
                max: NOTE_MAX_CHARS,
                found: NOTE_MAX_CHARS + 1
            })
        );
        assert_eq!(check_name("  "), Err(TextProblem::Empty));
        assert!(check_name(&"n".repeat(NAME_MAX_CHARS)).is_ok());
        assert!(check_name(&"n".repeat(NAME_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn inspection_ids_are_path_safe() {
        for good in ["derby-city", "east-midlands/derby-city", "dc_2025.v2", "a"] {
            assert!(check_inspection_id(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "..",
            "../x",
            "a/../b",
            "a//b",
            "/a",
            "a/",
            ".",
            "a b",
            "<b>x</b>",
            "x\u{1b}[2J",
            "é",
        ] {
            assert!(check_inspection_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_inspection_id(&"a".repeat(101)).is_err());
        assert_eq!(
            inspection_id_from("My Inspection (2025)").as_deref(),
            Some("my-inspection-2025")
        );
        assert_eq!(inspection_id_from("..").as_deref(), None);
    }

    #[test]
    fn spreadsheet_cells_are_neutralised_and_restored_exactly() {
        for text in [
            "=1+2",
            "=cmd|' /C calc'!A0",
            "+44 20",
            "-3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=already",
            "''",
            "'",
            "plain",
            "",
            "a=b",
        ] {
            let cell = to_spreadsheet(text);
            assert!(!matches!(
                cell.as_bytes().first(),
                Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            ));
            assert_eq!(from_spreadsheet(&cell), text, "{text:?}");
        }
        assert_eq!(to_spreadsheet("plain"), "plain");
        assert_eq!(to_spreadsheet("=1+2"), "'=1+2");
    }
}
