//! A file's bytes as text. Casework reads UTF-8; a file that is not is refused with where decoding
//! failed (line and character, as an editor shows them, and the bytes there) and, where the bytes
//! tell, what the file is instead: UTF-16 or UTF-32 (by their byte-order marks or the zero bytes of
//! UTF-16 text), a ZIP archive (such as a workbook given a CSV's name), or some other binary file.

use super::{ErrorKind, InputError};

/// The text of `bytes`, read from `file`, or a located error.
pub fn utf8(file: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    if looks_binary(&bytes) {
        return Err(InputError::new(
            ErrorKind::Syntax,
            file,
            "the file looks like UTF-16 text without a byte-order mark or a binary file, not UTF-8 text; save it as UTF-8",
        ));
    }
    let error = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let at = error.utf8_error().valid_up_to();
    let bytes = error.into_bytes();
    let refused = |problem: String| InputError::new(ErrorKind::Syntax, file, problem);
    if let Some(encoding) = byte_order_mark(&bytes) {
        return Err(refused(format!(
            "the file is {encoding} text (it starts with a {encoding} byte-order mark); save it as UTF-8 (in Excel: \"CSV UTF-8\")"
        ))
        .at_line(1));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(refused(
            "the file is a ZIP archive, not text (a workbook? give it its .xlsx name)".into(),
        ));
    }
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Everything before `at` is valid UTF-8, so this counts characters exactly.
    let character = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    let shown: Vec<String> = bytes[at..]
        .iter()
        .take(4)
        .map(|b| format!("{b:02X}"))
        .collect();
    Err(refused(format!(
        "not UTF-8 text: at character {character} of the line (byte {}) the bytes {} cannot be read as UTF-8; save the file as UTF-8 (a file saved as Windows-1252 or Latin-1 shows this at its first accented letter or symbol)",
        at + 1,
        shown.join(" ")
    ))
    .at_line(line))
}

/// A quarter or more of the first 4 KiB zero bytes: UTF-16 text (every other byte of ASCII is zero)
/// or a binary file. Text never holds them (see [`crate::text`]).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    !head.is_empty()
        && head.iter().filter(|&&b| b == 0).count() * 4 >= head.len()
        && byte_order_mark(bytes).is_none()
}

fn byte_order_mark(bytes: &[u8]) -> Option<&'static str> {
    // UTF-32 first: its little-endian mark begins with UTF-16's.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some("UTF-32")
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        Some("UTF-16")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_and_the_first_bad_byte_is_located() {
        assert_eq!(utf8("f", b"a,b\n".to_vec()).as_deref(), Ok("a,b\n"));
        let e = utf8("f.csv", b"id,x\nC1,caf\xe9 au lait\n".to_vec()).expect_err("latin-1");
        assert_eq!(e.line, Some(2));
        assert!(e.problem.contains("character 7"), "{}", e.problem);
        assert!(e.problem.contains("E9 20 61 75"), "{}", e.problem);
        let e = utf8("f.csv", b"id\nC1,\xff\xfe\n".to_vec()).expect_err("ff fe in a cell");
        assert_eq!(e.line, Some(2));
        assert!(e.problem.contains("FF FE"), "{}", e.problem);
    }

    #[test]
    fn the_encoding_is_named_when_the_bytes_tell() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id,x\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let e = utf8("f.csv", utf16).expect_err("utf-16");
        assert!(e.problem.contains("UTF-16"), "{}", e.problem);
        assert_eq!(e.line, Some(1));
        let e = utf8("f.csv", vec![0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]).expect_err("utf-32");
        assert!(e.problem.contains("UTF-32"), "{}", e.problem);
        let e = utf8("f.csv", b"PK\x03\x04\x14\x00\x80\x81".to_vec()).expect_err("zip");
        assert!(e.problem.contains("ZIP"), "{}", e.problem);
        let binary: Vec<u8> = (0..64u8)
            .map(|i| if i % 2 == 0 { 0 } else { 0x90 })
            .collect();
        let e = utf8("f.bin", binary).expect_err("binary");
        assert!(e.problem.contains("binary"), "{}", e.problem);
    }
}
