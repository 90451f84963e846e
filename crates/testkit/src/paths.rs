//! Where the repository's test material is: the workspace root, the acceptance fixtures, and the
//! five published reports beside the project (`../shared/seeds`, absent on some machines: tests
//! that need them skip, saying so).

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// One fixture directory (`derby-city`, `east-midlands`, ...).
pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// The published reports' texts, `../shared/seeds`.
pub fn seeds() -> PathBuf {
    repo().join("../shared/seeds")
}

/// The report texts' directory, or `None` after saying the test is skipped without them (they
/// sit beside the project, not in it).
pub fn seeds_or_skip() -> Option<PathBuf> {
    let dir = seeds();
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} not found; the report texts are needed",
            dir.display()
        );
        None
    }
}
