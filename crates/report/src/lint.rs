//! `casework report lint`: numbers typed into the narrative rather than embedded by name. A typed
//! number that equals a figure should be its placeholder (or it will go stale when the data
//! changes); one that equals no figure is either stale already or comes from elsewhere, and a
//! person should look at it.

use crate::figures::{Figures, Value};
use crate::narrative::{SourceFile, placeholders};

/// One typed number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// As typed: `35%`, `20 out of 29`, `18`.
    pub typed: String,
    /// Figures it equals (empty: it matches none).
    pub matches: Vec<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: '{}' ",
            self.file, self.line, self.column, self.typed
        )?;
        if self.matches.is_empty() {
            write!(
                f,
                "matches no figure of this inspection: check where it came from"
            )
        } else {
            let names: Vec<String> = self
                .matches
                .iter()
                .take(3)
                .map(|m| format!("{{{{{m}}}}}"))
                .collect();
            write!(f, "is typed by hand: write {} instead", names.join(" or "))
        }
    }
}

/// A number found in the text: where, as typed, and what kind of value it is.
struct Typed {
    offset: usize,
    typed: String,
    value: Value,
}

fn number_at(bytes: &[u8], i: usize) -> Option<(u64, usize)> {
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_digit() {
        j += 1;
    }
    if j == i {
        return None;
    }
    std::str::from_utf8(&bytes[i..j])
        .ok()?
        .parse()
        .ok()
        .map(|n| (n, j))
}

/// The numbers typed in one line of prose (placeholders already blanked out).
fn typed_numbers(line: &str) -> Vec<Typed> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let Some((n, end)) = number_at(bytes, i) else {
            i += 1;
            continue;
        };
        let rest = &line[end..];
        // Identifiers (P2.1), decimals, list markers ("1." at the start) and years are not figures.
        let identifier = rest.starts_with('.')
            && rest[1..].starts_with(|c: char| c.is_ascii_digit())
            || rest.starts_with(|c: char| c.is_ascii_alphabetic());
        let list_marker =
            line[..i].trim().is_empty() && (rest.starts_with(". ") || rest.starts_with(") "));
        let year = end - i == 4 && (1900..=2099).contains(&n);
        if identifier || list_marker || year {
            i = end;
            continue;
        }
        if let Some(after) = rest.strip_prefix('%').map(|_| end + 1).or_else(|| {
            rest.strip_prefix(" per cent")
                .map(|_| end + " per cent".len())
        }) {
            out.push(Typed {
                offset: i,
                typed: line[i..after].to_string(),
                value: Value::Percent(n as u32),
            });
            i = after;
            continue;
        }
        if let Some(tail) = rest.strip_prefix(" out of ")
            && let Some((of, len)) = number_at(tail.as_bytes(), 0)
        {
            let after = end + " out of ".len() + len;
            out.push(Typed {
                offset: i,
                typed: line[i..after].to_string(),
                value: Value::OutOf(n, of),
            });
            i = after;
            continue;
        }
        out.push(Typed {
            offset: i,
            typed: line[i..end].to_string(),
            value: Value::Count(n),
        });
        i = end;
    }
    out
}

/// Every typed number in the narrative files, with the figures each one equals.
pub fn lint(files: &[SourceFile], figures: &Figures, shown_dir: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in files {
        // Blank out placeholders (keeping offsets) so their names are not read as numbers.
        let mut text = file.text.clone();
        if let Ok(found) = placeholders(&file.text) {
            for p in found.iter().rev() {
                text.replace_range(p.start..p.end, &" ".repeat(p.end - p.start));
            }
        }
        for (n, line) in text.lines().enumerate() {
            for t in typed_numbers(line) {
                let matches = figures
                    .iter()
                    .filter(|(_, f)| f.value == t.value)
                    .map(|(name, _)| name.to_string())
                    .collect();
                findings.push(Finding {
                    file: format!("{shown_dir}/{}/{}", crate::narrative::DIR, file.name),
                    line: n + 1,
                    column: line[..t.offset].chars().count() + 1,
                    typed: t.typed,
                    matches,
                });
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(line: &str) -> Vec<String> {
        typed_numbers(line).into_iter().map(|t| t.typed).collect()
    }

    #[test]
    fn finds_percentages_counts_and_out_of() {
        assert_eq!(
            typed("In 35% of cases, 20 out of 29 had 18 reviews"),
            ["35%", "20 out of 29", "18"]
        );
        assert_eq!(typed("about 41 per cent"), ["41 per cent"]);
    }

    #[test]
    fn skips_identifiers_years_and_list_markers() {
        assert!(
            typed("Standard P2.1 and 2.3 in 2024").is_empty(),
            "{:?}",
            typed("Standard P2.1 and 2.3 in 2024")
        );
        assert!(typed("1. First recommendation").is_empty());
        assert!(typed("the 3rd visit").is_empty());
    }
}
