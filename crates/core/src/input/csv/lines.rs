//! Lines as an editor shows a CSV file, counted from byte offsets.

use super::split::count_newlines;

/// The line a record is on as an editor shows the file, counted from its byte offset. The `csv`
/// crate's own line count leaves out the blank lines it skips, and a record's position is where
/// those blank lines began (or, after a CRLF, the line feed the record before left). Records are
/// read in order, so counting carries on from the last record: one pass over the text in all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineCounter {
    /// A byte offset that begins a line, or the start of the text.
    byte: usize,
    /// Its line, 1-based.
    line: u64,
}

impl LineCounter {
    /// A counter standing at `byte` of `text`, counting the lines before it.
    pub(crate) fn at(text: &[u8], byte: u64) -> LineCounter {
        let byte = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        LineCounter {
            byte,
            line: 1 + count_newlines(&text[..byte]),
        }
    }

    /// A counter for a chunk that starts at `byte`, known to be on `line`.
    pub(super) fn starting(byte: u64, line: u64) -> LineCounter {
        LineCounter {
            byte: usize::try_from(byte).unwrap_or(usize::MAX),
            line,
        }
    }

    /// The line of the record whose position is `byte` (at or after the last one asked about).
    pub(crate) fn line_of(&mut self, text: &[u8], byte: u64) -> u64 {
        let mut at = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        while matches!(text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        if at >= self.byte {
            self.line += count_newlines(&text[self.byte..at]);
            self.byte = at;
            self.line
        } else {
            // Asked out of order (an error's position before the last record): count afresh.
            1 + count_newlines(&text[..at])
        }
    }
}
