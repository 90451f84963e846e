//! How much input Casework reads, stated once: every reader checks its input against these before
//! it allocates for it, and answers input over them with an error naming the file (and the row and
//! column where there is one). Each is generous for a real inspection (a PDU samples tens of cases,
//! a region a few hundred, a national data set a million across its PDUs). The README lists them.

/// An `inspection.toml` (or a framework file): 1 MiB.
pub const TOML_MAX_BYTES: u64 = 1 << 20;
/// An inspection as one JSON document: 256 MiB.
pub const JSON_MAX_BYTES: u64 = 256 << 20;
/// How deeply a JSON document may nest arrays and objects (serde_json's recursion limit; an
/// inspection document needs 4).
pub const JSON_MAX_DEPTH: usize = 128;
/// One instrument's CSV file: 512 MiB (about four million cases).
pub const CSV_MAX_BYTES: u64 = 512 << 20;
/// One CSV row: 1 MiB (a case with every answer and a full note is under 50 KiB).
pub const CSV_ROW_MAX_BYTES: usize = 1 << 20;
/// An XLSX workbook file: 256 MiB.
pub const WORKBOOK_MAX_BYTES: u64 = 256 << 20;
/// The parts of an XLSX workbook once unzipped, together, as the archive declares them: 2 GiB (a
/// 100,000-case sheet is about 200 MiB of XML).
pub const WORKBOOK_MAX_UNZIPPED_BYTES: u64 = 2 << 30;
/// Rows a workbook sheet may use: a header row and 100,000 cases.
pub const SHEET_MAX_ROWS: u32 = 100_001;
/// Columns a workbook sheet may use (an instrument has fewer than 100).
pub const SHEET_MAX_COLUMNS: u32 = 500;
/// Cells holding a value in one workbook, all sheets together.
pub const WORKBOOK_MAX_CELLS: u64 = 10_000_000;

/// `bytes` in words for messages: "1 MiB", "512 MiB", "2 GiB".
pub fn size_in_words(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= MIB {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}
