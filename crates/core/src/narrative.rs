//! Which narrative files an inspection may hold: the report's own sections (foreword, executive
//! summary, recommendations and the rest), each standard's text with its strengths and areas for
//! improvement, and the previous recommendations table. Names only, with the check every way in
//! applies (files, the store, the web); the report crate fills them in and renders them.

use crate::framework::Framework;
use crate::text::{self, NARRATIVE_MAX_CHARS};

/// The narrative directory inside an inspection directory.
pub const DIR: &str = "narrative";
/// The previous recommendations table, in the narrative directory.
pub const PREVIOUS: &str = "previous-recommendations.toml";

/// Sections that are not a standard's, in report order, with their headings.
pub const SECTIONS: &[(&str, &str)] = &[
    ("foreword", "Foreword"),
    ("executive-summary", "Executive summary"),
    ("recommendations", "Recommendations"),
    ("background", "Background"),
    ("diversity", "Diversity and inclusion"),
    ("feedback", "Feedback from people on probation"),
    (
        "serious-further-offences",
        "Learning from serious further offences",
    ),
    ("acknowledgements", "Acknowledgements"),
];

/// Under each standard, besides its own text (`P2.1.md`): its strengths (`P2.1-strengths.md`)
/// and areas for improvement (`P2.1-improvements.md`), as the published reports list them.
pub const STANDARD_PARTS: &[(&str, &str)] = &[
    ("strengths", "Strengths"),
    ("improvements", "Areas for improvement"),
];

/// The section keys a narrative of this inspection kind may hold (a file is the key plus `.md`).
pub fn known_sections(fw: &Framework, kind: &str) -> Vec<String> {
    let mut keys: Vec<String> = SECTIONS.iter().map(|(k, _)| k.to_string()).collect();
    if let Some(kind) = fw.kind(kind) {
        for code in &kind.standards {
            keys.push(code.clone());
            keys.extend(
                STANDARD_PARTS
                    .iter()
                    .map(|(part, _)| format!("{code}-{part}")),
            );
        }
    }
    keys
}

/// Parts of a report that are not a narrative file, which a factual-accuracy comment may name
/// besides the narrative's sections, with their headings.
pub const OTHER_PARTS: &[(&str, &str)] = &[
    ("ratings", "Ratings"),
    (
        "previous-recommendations",
        "Progress on previous recommendations",
    ),
    ("annexes", "Annexes: how we inspected, and the data"),
    ("whole-report", "The report as a whole"),
];

/// Every part of the report of this inspection kind a factual-accuracy comment may be recorded
/// against, in report order: the narrative's section keys, then [`OTHER_PARTS`].
pub fn comment_sections(fw: &Framework, kind: &str) -> Vec<String> {
    let mut keys = known_sections(fw, kind);
    keys.extend(OTHER_PARTS.iter().map(|(k, _)| k.to_string()));
    keys
}

/// A section key's or narrative file name's heading, as the report shows it: "Foreword",
/// "P2.1: Strengths", "P2.1 Assessment", "Progress on previous recommendations".
pub fn heading(fw: &Framework, name: &str) -> String {
    if name == PREVIOUS {
        return "Progress on previous recommendations".into();
    }
    let key = name.strip_suffix(".md").unwrap_or(name);
    if let Some((_, h)) = SECTIONS.iter().chain(OTHER_PARTS).find(|(k, _)| *k == key) {
        return h.to_string();
    }
    for (part, label) in STANDARD_PARTS {
        if let Some(code) = key.strip_suffix(&format!("-{part}")) {
            return format!("{code}: {label}");
        }
    }
    match fw.standard(key) {
        Some(s) => format!("{} {}", s.code, s.name),
        None => key.to_string(),
    }
}

/// Every narrative file name an inspection of this kind may hold, in report order.
pub fn known_files(fw: &Framework, kind: &str) -> Vec<String> {
    let mut files: Vec<String> = known_sections(fw, kind)
        .into_iter()
        .map(|k| format!("{k}.md"))
        .collect();
    files.push(PREVIOUS.to_string());
    files
}

/// Checks one narrative file: a name this kind of inspection has, and text within the text rule
/// ([`NARRATIVE_MAX_CHARS`], multi-line). The error says what is wrong, for the caller to locate.
pub fn check_file(fw: &Framework, kind: &str, name: &str, body: &str) -> Result<(), String> {
    let known = known_files(fw, kind);
    if !known.iter().any(|k| k == name) {
        return Err(format!(
            "'{name}' is not a narrative file of a {kind} inspection; allowed: {}",
            known.join(", ")
        ));
    }
    text::check_multiline(body, NARRATIVE_MAX_CHARS).map_err(|p| format!("the text {p}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::builtin;

    #[test]
    fn a_file_is_checked_by_name_and_text() {
        let fw = builtin();
        assert!(check_file(fw, "pdu", "foreword.md", "Thanks.\n").is_ok());
        assert!(check_file(fw, "pdu", PREVIOUS, "").is_ok());
        assert!(check_file(fw, "pdu", "P2.1-strengths.md", "").is_ok());
        let unknown = check_file(fw, "pdu", "forward.md", "").unwrap_err();
        assert!(unknown.contains("'forward.md'") && unknown.contains("foreword.md"));
        let control = check_file(fw, "pdu", "foreword.md", "a\u{7}b").unwrap_err();
        assert!(control.contains("U+0007"), "{control}");
    }
}
