//! What the input tests share: an in-memory file tree holding a one-instrument PDU inspection, a
//! row builder, and the check that an error is located where it should be.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use casework_core::input::{ErrorKind, InputError, load};

pub const KEYS: &str =
    "P2.1.1,P2.1.2,P2.1.3,P2.2.1,P2.2.2,P2.2.3,P2.3.1,P2.3.2,P2.3.3,P2.4.1,P2.4.2,P2.4.3";
pub const ATTRS: &str =
    "case_id,sentence,probation_reset,weeks_before_suspension,management_oversight";
pub const ALL_YES: &str = "Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y";

pub const PDU_TOML: &str = r#"framework = "probation-2023"
kind = "pdu"
unit = "Testford"
region = "Test Region"
fieldwork_start = 2025-02-24

[judged]
"P1.1" = "good"
"P1.2" = "requires-improvement"
"P1.3" = "good"
"#;

/// An in-memory file tree.
pub struct Tree(pub HashMap<PathBuf, String>);

impl Tree {
    /// A PDU whose CSV has its header and no cases (tests put their own file in its place).
    pub fn pdu_no_cases() -> Tree {
        let none: [&str; 0] = [];
        Tree::pdu(&none)
    }

    pub fn pdu(csv_rows: &[impl AsRef<str>]) -> Tree {
        let mut csv = format!("{ATTRS},{KEYS}\n");
        for row in csv_rows {
            csv.push_str(row.as_ref());
            csv.push('\n');
        }
        let mut t = Tree(HashMap::new());
        t.put("pdu/inspection.toml", PDU_TOML);
        t.put("pdu/sentence-management.csv", &csv);
        t
    }

    pub fn put(&mut self, path: &str, text: &str) -> &mut Tree {
        self.0.insert(PathBuf::from(path), text.to_string());
        self
    }

    pub fn load(&self, path: &str) -> Result<casework_core::Inspection, InputError> {
        let files = &self.0;
        let source =
            |p: &Path| -> io::Result<Option<String>> { Ok(files.get(&normalise(p)).cloned()) };
        load(Path::new(path), &source, None).map(|(i, _)| i)
    }

    pub fn error(&self, path: &str) -> InputError {
        match self.load(path) {
            Ok(_) => panic!("{path} loaded, but an error was expected"),
            Err(e) => e,
        }
    }
}

/// Resolves `a/../b` the way the file system would.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

pub fn row(id: &str, attrs: &str, answers: &str) -> String {
    format!("{id},{attrs},{answers}")
}

pub fn assert_located(
    e: &InputError,
    kind: ErrorKind,
    file: &str,
    line: Option<u64>,
    column: &str,
) {
    assert_eq!(e.kind, kind, "{e}");
    assert!(e.file.ends_with(file), "file: {e}");
    assert_eq!(e.line, line, "line: {e}");
    assert_eq!(e.column.as_deref(), Some(column), "column: {e}");
    let text = e.to_string();
    assert!(text.contains(file), "{text}");
    if let Some(l) = line {
        assert!(text.contains(&format!("line {l}")), "{text}");
    }
    assert!(text.contains(column), "{text}");
}
