//! The answer to one question on one case: Yes, No, Not applicable, or not (yet) answered.

use serde::{Deserialize, Serialize};

/// One recorded answer. `Unanswered` is the blank cell: it is neither relevant nor not applicable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[repr(u8)]
pub enum Answer {
    #[default]
    #[serde(rename = "")]
    Unanswered = 0,
    #[serde(rename = "Y")]
    Yes = 1,
    #[serde(rename = "N")]
    No = 2,
    #[serde(rename = "NA")]
    NotApplicable = 3,
}

impl Answer {
    /// The spellings accepted wherever an answer is read (files, the web, the API, the command
    /// line), for error messages and the README.
    pub const ALLOWED: &'static str = "Y or Yes, N or No, NA or N/A (any case), or blank";

    /// Parses a cell: `Y` or `Yes`, `N` or `No`, `NA` or `N/A`, in any case, surrounding spaces
    /// ignored, or blank (not answered). Nothing else.
    pub fn parse(cell: &str) -> Option<Answer> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Some(Answer::Unanswered);
        }
        match cell.as_bytes() {
            [b'y' | b'Y'] => Some(Answer::Yes),
            [b'n' | b'N'] => Some(Answer::No),
            [b'n' | b'N', b'a' | b'A'] => Some(Answer::NotApplicable),
            _ if cell.eq_ignore_ascii_case("yes") => Some(Answer::Yes),
            _ if cell.eq_ignore_ascii_case("no") => Some(Answer::No),
            _ if cell.eq_ignore_ascii_case("n/a") => Some(Answer::NotApplicable),
            _ => None,
        }
    }

    /// The canonical cell text (`Y`, `N`, `NA`, or empty).
    pub fn as_cell(self) -> &'static str {
        match self {
            Answer::Unanswered => "",
            Answer::Yes => "Y",
            Answer::No => "N",
            Answer::NotApplicable => "NA",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_and_rejects_others() {
        assert_eq!(Answer::parse(" y "), Some(Answer::Yes));
        assert_eq!(Answer::parse("No"), Some(Answer::No));
        assert_eq!(Answer::parse("na"), Some(Answer::NotApplicable));
        assert_eq!(Answer::parse("N/A"), Some(Answer::NotApplicable));
        assert_eq!(Answer::parse(""), Some(Answer::Unanswered));
        assert_eq!(Answer::parse("YES"), Some(Answer::Yes));
        assert_eq!(Answer::parse("n/a"), Some(Answer::NotApplicable));
        for refused in [
            "maybe",
            "1",
            "0",
            "true",
            "x",
            "yess",
            "n.a.",
            "NA NA",
            "Community",
        ] {
            assert_eq!(Answer::parse(refused), None, "{refused}");
        }
    }

    #[test]
    fn cell_text_round_trips() {
        for a in [
            Answer::Unanswered,
            Answer::Yes,
            Answer::No,
            Answer::NotApplicable,
        ] {
            assert_eq!(Answer::parse(a.as_cell()), Some(a));
        }
    }
}
