//! A report's text as clean lines, each with its line number in the file: the markup that PDF and
//! web conversions leave (`**bold**`, `<sup>1</sup>` footnote marks, `<b>`, `#` headings, bullets,
//! Markdown links, superscript digits, no-break spaces, control characters) removed, tabs kept (they separate table
//! cells), ends trimmed. Every other reader of the crate reads these.

use std::sync::LazyLock;

use regex::Regex;

/// One line: its 1-based number in the source and its cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: u64,
    pub text: String,
}

static FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<sup>[^<]*</sup>").expect("valid"));
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[a-zA-Z][^>]*>").expect("valid"));
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("valid"));
static LEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:#{1,6}\s+|[-*•]\s+)?").expect("valid"));

/// The cleaned lines of `text` (blank ones kept, so that paragraphs stay apart).
pub fn clean(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, raw)| Line {
            number: i as u64 + 1,
            text: clean_line(raw),
        })
        .collect()
}

fn clean_line(raw: &str) -> String {
    // The markup patterns only where their first character is there to start them.
    let text = if raw.contains('<') || raw.contains('[') {
        let text = FOOTNOTE.replace_all(raw, "");
        let text = LINK.replace_all(&text, "$1");
        TAG.replace_all(&text, "").into_owned()
    } else {
        raw.to_string()
    };
    let text: String = text
        .chars()
        .filter(|c| !matches!(c, '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '⁰'))
        // Control characters (but the tab between cells) are no part of a figure or a name.
        .filter(|c| *c == '\t' || !c.is_control())
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .collect();
    let text = text.replace("**", "").replace("__", "");
    let text = LEAD.replace(&text, "");
    text.trim_end().to_string()
}

/// The next non-blank line at or after `from`, as an index into `lines`.
pub fn next_filled(lines: &[Line], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| !lines[i].text.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_goes_and_numbers_stay() {
        let lines = clean(
            "## **R 1.1. Leadership**\nOur rating<sup>1</sup> for x¹\n- a [link](http://x)\n\tQ?\t<b>27%</b>",
        );
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            ["R 1.1. Leadership", "Our rating for x", "a link", "Q?\t27%"]
        );
        assert_eq!(lines[3].number, 4);
    }
}
