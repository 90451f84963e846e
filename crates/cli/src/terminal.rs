//! What the binary writes to the terminal. Text that came from files or the database (unit names,
//! case ids, error messages quoting a cell) may hold control characters: written raw, an escape
//! sequence could rewrite the screen or hide what was printed. Everything goes out through
//! [`clean`], which shows such characters as `\u001b` escapes (JSON's own spelling, so JSON output
//! stays valid and reads back the same); and a closed pipe
//! (`casework audit log | head -1`) ends the command quietly instead of a panic.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

/// Characters that are never written raw: control characters (Cc) except line feed and tab, and
/// the Unicode bidirectional controls, which can make a line read as something it is not.
fn escaped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character that could act on the terminal shown as `\uXXXX`.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes to standard output, cleaned. A broken pipe is returned as an error like any other; the
/// binary's `main` ends quietly on it.
pub fn write_out(args: fmt::Arguments<'_>) -> io::Result<()> {
    let text = args.to_string();
    let mut out = io::stdout().lock();
    out.write_all(clean(&text).as_bytes())?;
    out.flush()
}

/// Whether an error is standard output's reader having gone away.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `print!`, through [`clean`], returning the write's error (`?` it).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::terminal::write_out(format_args!($($arg)*)) };
}

/// `println!`, through [`clean`], returning the write's error (`?` it).
#[macro_export]
macro_rules! outln {
    () => { $crate::terminal::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::terminal::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_shown_not_sent() {
        assert_eq!(clean("Derby City\n"), "Derby City\n");
        assert_eq!(clean("a\u{1b}[2Jb"), "a\\u001b[2Jb");
        assert_eq!(clean("x\u{9b}31m"), "x\\u009b31m");
        assert_eq!(clean("x\ry"), "x\\u000dy");
        assert_eq!(clean("evil\u{202e}txt.exe"), "evil\\u202etxt.exe");
        assert_eq!(clean("tab\tok"), "tab\tok");
        // JSON output stays JSON, and reads back as what it said.
        let json = serde_json::to_string("C1 \u{9b} \u{202e}").expect("json");
        let shown = clean(&json);
        let back: String = serde_json::from_str(&shown).expect("still JSON");
        assert_eq!(back, "C1 \u{9b} \u{202e}");
    }
}
