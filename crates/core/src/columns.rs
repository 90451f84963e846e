//! The names of a case's columns in files (CSV headers, workbook sheets): the case id, the attribute
//! columns, the status and the notes column. A leaf: the framework's validator checks that no question id takes
//! one of these names, and the readers and writers use them.

pub const CASE_ID: &str = "case_id";
pub const SENTENCE: &str = "sentence";
pub const PROBATION_RESET: &str = "probation_reset";
pub const WEEKS_BEFORE_SUSPENSION: &str = "weeks_before_suspension";
pub const MANAGEMENT_OVERSIGHT: &str = "management_oversight";
pub const NOTES: &str = "notes";
/// Whether a case is `in-progress` or `complete` (blank: complete).
pub const STATUS: &str = "status";

/// Column names that are case attributes, never question ids.
pub const RESERVED_COLUMNS: &[&str] = &[
    CASE_ID,
    SENTENCE,
    PROBATION_RESET,
    WEEKS_BEFORE_SUSPENSION,
    MANAGEMENT_OVERSIGHT,
    NOTES,
    STATUS,
];
