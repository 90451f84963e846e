//! Where a large CSV text can be cut so that each piece is read by a reader of its own with the
//! same result as reading front to back: record boundaries outside quoted fields, found with one
//! pass over the quotes, and how many pieces are worth the threads.

use rayon::prelude::*;

/// Inputs at least this long are split across threads; shorter ones are parsed on one.
///
/// Parsing and checking takes about 11 ms a MiB on one core. Splitting has costs that do not
/// shrink with the input: starting rayon's threads in a fresh process, a scan of the text, a header
/// read per chunk, maps of case ids to find repeats across chunks. Measured on 2 cores, one parse
/// per process: at 512 KiB the split gains nothing (5.5 ms either way), at 1 MiB it takes 8 ms
/// instead of 11, at 2 MiB 12 instead of 24. Typical files (tens of cases, a few KiB) and a
/// region's units, which are already loaded in parallel, stay on one thread.
pub(super) const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// Chunks per pool thread: more than one, so a thread slowed by other work is helped by the others.
pub(super) const CHUNKS_PER_THREAD: usize = 2;

/// No chunk is planned smaller than this, so inputs just over the threshold are not cut into slivers.
pub(super) const MIN_CHUNK_BYTES: usize = 256 << 10;

/// When [`parse_with`] splits its input and into how many chunks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    /// Inputs shorter than this are parsed sequentially.
    pub(super) min_input: usize,
    /// The smallest chunk worth a thread.
    pub(super) min_chunk: usize,
    /// How many chunks to aim for; `None`: [`CHUNKS_PER_THREAD`] per rayon thread (asked only
    /// when an input is large enough, so small ones never start the thread pool).
    pub(super) chunks: Option<usize>,
}

impl Split {
    pub(super) fn standard() -> Split {
        Split {
            min_input: PARALLEL_MIN_BYTES,
            min_chunk: MIN_CHUNK_BYTES,
            chunks: None,
        }
    }
}

/// One chunk of the body: the records that start at byte `pos.byte()` and end before `end`.
#[derive(Debug, Clone)]
pub(super) struct Chunk {
    /// Where a front-to-back reader stands when it is about to read the chunk's first record:
    /// byte offset and line in the whole file. The record index is only known once the chunks
    /// before it are read, so it is exact for the first chunk only.
    pub(super) pos: ::csv::Position,
    /// The line `pos` is on as an editor shows the file (the `csv` crate's own count leaves out
    /// blank lines).
    pub(super) line: u64,
    pub(super) end: usize,
}

/// Splits the body of a CSV text (everything after the header row, which ends at `body`) into
/// chunks that a reader can parse independently, or `None` if the text should be read in one go.
///
/// A chunk boundary is a position where the `csv` crate, reading front to back, has just finished
/// a record: right after a `\n` or `\r` (it ends a record on the `\r` of `\r\n`, leaving the `\n`
/// as a blank line before the next) that is outside quotes and follows a non-empty line. Reading
/// from there with a fresh reader gives the same records as reading through, and seeking that
/// reader to the boundary's byte and line offsets gives the same positions in errors.
///
/// Whether a byte is inside quotes is decided by one pass over the quotes of the body
/// ([`quoted_fields`]): a quote that opens a field toggles into a quoted field, `""` inside one is
/// an escaped quote, the next lone quote closes it. Quotes anywhere else (inside an unquoted field,
/// or text after a closing quote), where the `csv` crate reads them differently, make the plan
/// give up rather than guess. Targets are evenly spaced byte offsets; each boundary is the first
/// one at or after its target.
pub(super) fn chunk_plan(
    text: &str,
    header_end: &::csv::Position,
    split: Split,
) -> Option<Vec<Chunk>> {
    let bytes = text.as_bytes();
    let body = usize::try_from(header_end.byte()).ok()?;
    let body_len = bytes.len().checked_sub(body)?;
    let wanted = split
        .chunks
        .unwrap_or_else(|| rayon::current_num_threads().saturating_mul(CHUNKS_PER_THREAD));
    let pieces = wanted.min(body_len / split.min_chunk.max(1)).max(1);
    if pieces < 2 {
        return None;
    }
    let quoted = quoted_fields(text, body)?;
    let mut starts = vec![body];
    let mut from = body;
    for k in 1..pieces {
        let target = body + body_len / pieces * k;
        match record_boundary(bytes, body, from.max(target), &quoted) {
            Some(at) => {
                starts.push(at);
                from = at;
            }
            None => break,
        }
    }
    if starts.len() < 2 {
        return None;
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .copied()
        .chain([bytes.len()])
        .collect();
    // Each chunk's newlines, counted in parallel; a chunk starts on the line after those before it.
    let newlines: Vec<u64> = starts
        .par_iter()
        .zip(&ends)
        .map(|(&start, &end)| bytes.get(start..end).map_or(0, count_newlines))
        .collect();
    let mut chunks = Vec::with_capacity(starts.len());
    let mut line = 1 + count_newlines(bytes.get(..body)?);
    for (k, (&start, &end)) in starts.iter().zip(&ends).enumerate() {
        let pos = if k == 0 {
            header_end.clone()
        } else {
            line += newlines[k - 1];
            let mut pos = ::csv::Position::new();
            pos.set_byte(u64::try_from(start).ok()?).set_line(line);
            pos
        };
        chunks.push(Chunk { pos, line, end });
    }
    Some(chunks)
}

/// The (opening, closing) byte offsets of every quoted field from `from` on, in order, or `None`
/// if a quote stands where this simple reading might differ from the `csv` crate's.
pub(super) fn quoted_fields(text: &str, from: usize) -> Option<Vec<(usize, usize)>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut at = from;
    loop {
        // Every offset searched from follows an ASCII byte, so it is a char boundary and `get`
        // succeeds; were it ever not, `?` gives up the plan.
        let Some(open) = text.get(at..)?.find('"').map(|i| at + i) else {
            return Some(spans);
        };
        // An opening quote starts a field: it follows a delimiter, a terminator or the header.
        if open > from && !matches!(bytes.get(open - 1), Some(b',' | b'\n' | b'\r')) {
            return None;
        }
        let mut next = open + 1;
        let close = loop {
            // No closing quote: the rest of the file is one field. Leave that to the reader.
            let quote = next + text.get(next..)?.find('"')?;
            if bytes.get(quote + 1) == Some(&b'"') {
                next = quote + 2;
            } else {
                break quote;
            }
        };
        // A closing quote ends the field.
        if !matches!(bytes.get(close + 1), None | Some(b',' | b'\n' | b'\r')) {
            return None;
        }
        spans.push((open, close));
        at = close + 1;
    }
}

/// The first record boundary at or after `from` (see [`chunk_plan`]), if there is one before the
/// end of the text.
pub(super) fn record_boundary(
    bytes: &[u8],
    body: usize,
    mut from: usize,
    quoted: &[(usize, usize)],
) -> Option<usize> {
    loop {
        let term = from
            + bytes
                .get(from..)?
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')?;
        // Inside a quoted field: carry on after it.
        let before = quoted.partition_point(|&(open, _)| open < term);
        if let Some(&(_, close)) = before.checked_sub(1).and_then(|i| quoted.get(i))
            && close > term
        {
            from = close + 1;
            continue;
        }
        let after = term + 1;
        let ends_a_record =
            term > body && !matches!(bytes.get(term - 1), Some(b'\n' | b'\r') | None);
        // A fresh reader strips a byte order mark at its start; the file's reader would not.
        let bom_next = bytes
            .get(after..)
            .is_some_and(|b| b.starts_with(b"\xEF\xBB\xBF"));
        if ends_a_record && !bom_next {
            return (after < bytes.len()).then_some(after);
        }
        from = after;
    }
}

/// Counts `\n` bytes, 64 at a time so that the compiler vectorises the comparison.
pub(super) fn count_newlines(bytes: &[u8]) -> u64 {
    let blocks = bytes.chunks_exact(64);
    let tail = blocks.remainder();
    let in_blocks: u64 = blocks
        .map(|block| u64::from(block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum();
    in_blocks + tail.iter().filter(|&&b| b == b'\n').count() as u64
}
