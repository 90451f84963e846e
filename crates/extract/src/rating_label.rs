//! The rating labels a report prints, from the built-in frameworks' scales (`[[ratings]]`), found
//! whole, at the start of a text, or at its end (glued to a sentence, as web conversions leave
//! "…to protect the public.Inadequate"), in any letter case ("Requires Improvement").

use std::sync::LazyLock;

use casework_core::published;

/// Every label of every programme's scale, longest first (so "Requires improvement" is tried
/// before any label it might end with).
static LABELS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut labels: Vec<&'static str> = published::frameworks()
        .into_iter()
        .flat_map(|fw| fw.ratings.iter().map(|r| r.label.as_str()))
        .collect();
    labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
    labels.dedup();
    labels
});

/// The label `text` is, whole.
pub fn whole(text: &str) -> Option<&'static str> {
    let text = text.trim().trim_end_matches('.');
    LABELS
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(text))
}

/// The label `text` starts with, followed by nothing or a space.
pub fn leading(text: &str) -> Option<&'static str> {
    LABELS.iter().copied().find(|l| {
        text.get(..l.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(l))
            && text[l.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The label `text` ends with, capitalised, after a space or glued to a sentence's end or a
/// standard's name, with its byte offset.
pub fn trailing(text: &str) -> Option<(&'static str, usize)> {
    let text = text.trim_end();
    LABELS.iter().copied().find_map(|l| {
        let at = text.len().checked_sub(l.len())?;
        let tail = text.get(at..)?;
        (tail.eq_ignore_ascii_case(l) && tail.starts_with(char::is_uppercase)).then_some((l, at))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_found_whole_leading_and_trailing_in_any_case() {
        assert_eq!(
            whole(" Requires Improvement "),
            Some("Requires improvement")
        );
        assert_eq!(whole("Good practice"), None);
        assert_eq!(
            leading("Requires improvement 1. Organisational"),
            Some("Requires improvement")
        );
        assert_eq!(leading("Goodness"), None);
        assert_eq!(
            trailing("to protect the public.Inadequate"),
            Some(("Inadequate", 22))
        );
        assert_eq!(trailing("LeadershipRating"), None);
    }
}
