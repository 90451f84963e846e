//! The tidy checks (as rust-analyzer's): facts about the source tree that review would otherwise
//! have to catch. Each returns the problems it found, as lines a person can act on; `cargo xtask
//! tidy` prints them and the test in `xtask/tests/tidy.rs` fails on any.
//!
//! - every Rust file starts with its `//!` line (what it owns);
//! - every source file is named in ARCHITECTURE.md's map;
//! - no source file outside tests is over [`MAX_LINES`] lines;
//! - no module imports a module that imports it back, in any crate (see [`cycles`]).

mod cycles;

pub use cycles::cycles;

use std::fs;
use std::path::{Path, PathBuf};

/// Every check, in order.
pub fn all(root: &Path) -> Vec<String> {
    let mut problems = missing_doc_lines(root);
    problems.extend(unmapped_files(root));
    problems.extend(long_files(root));
    problems.extend(cycles(root));
    problems
}

/// The most lines a source file may have (tests excepted): past this it usually has several jobs.
pub const MAX_LINES: usize = 450;

/// Every `.rs` file under `dir`, sorted.
pub(crate) fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The workspace's crates: (name as its directory, its root directory).
pub fn crates(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("crates"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    dirs.push(root.join("xtask"));
    dirs.retain(|d| d.join("Cargo.toml").is_file());
    dirs.sort();
    dirs
}

pub(crate) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Files whose first non-blank line is not a `//!` doc comment.
pub fn missing_doc_lines(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in crates(root) {
        for sub in ["src", "tests", "benches"] {
            for file in rust_files(&dir.join(sub)) {
                let text = fs::read_to_string(&file).unwrap_or_default();
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                if !first.starts_with("//!") {
                    problems.push(format!(
                        "{}: starts without a `//!` line saying what it owns",
                        relative(root, &file)
                    ));
                }
            }
        }
    }
    problems
}

/// Source files over [`MAX_LINES`] (files of tests excepted: `tests.rs`, `tests/`).
pub fn long_files(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in crates(root) {
        for file in rust_files(&dir.join("src")) {
            if file.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let lines = fs::read_to_string(&file)
                .unwrap_or_default()
                .lines()
                .count();
            if lines > MAX_LINES {
                problems.push(format!(
                    "{}: {lines} lines (at most {MAX_LINES} outside tests): split it by job",
                    relative(root, &file)
                ));
            }
        }
    }
    problems
}

/// How ARCHITECTURE.md may name a file: its path in the workspace, or any tail of its path within
/// its crate's `src` (`input/csv/header.rs`, `csv/header.rs`, `header.rs`); a `mod.rs` also by its
/// directory (`input/csv/`, `csv/`).
fn names_of(root: &Path, crate_dir: &Path, file: &Path) -> Vec<String> {
    let src = crate_dir.join("src");
    let within = file
        .strip_prefix(&src)
        .unwrap_or(file)
        .display()
        .to_string();
    let mut names = vec![relative(root, file)];
    let parts: Vec<&str> = within.split('/').collect();
    for start in 0..parts.len() {
        names.push(parts[start..].join("/"));
    }
    if parts.last() == Some(&"mod.rs") {
        let dirs = &parts[..parts.len() - 1];
        for start in 0..dirs.len() {
            names.push(format!("{}/", dirs[start..].join("/")));
        }
    }
    names
}

/// Source files ARCHITECTURE.md does not name (crate roots excepted: the crate is named).
pub fn unmapped_files(root: &Path) -> Vec<String> {
    let map = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap_or_default();
    let mut problems = Vec::new();
    for dir in crates(root) {
        for file in rust_files(&dir.join("src")) {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if file.parent() == Some(&dir.join("src")) && matches!(name, "lib.rs" | "main.rs") {
                continue;
            }
            let named = names_of(root, &dir, &file)
                .iter()
                .any(|n| map.contains(&format!("`{n}`")));
            if !named {
                problems.push(format!(
                    "{}: not in ARCHITECTURE.md's map (name it there, in backquotes, with its job)",
                    relative(root, &file)
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as it is: every check passes (`cargo xtask tidy` says which does not).
    #[test]
    fn the_source_tree_is_tidy() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace root")
            .to_path_buf();
        let problems = all(&root);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_file_is_named_by_any_tail_of_its_path() {
        let root = Path::new("/w");
        let names = names_of(
            root,
            &root.join("crates/core"),
            &root.join("crates/core/src/input/csv/mod.rs"),
        );
        for n in ["input/csv/mod.rs", "csv/mod.rs", "input/csv/", "csv/"] {
            assert!(names.iter().any(|m| m == n), "{n}: {names:?}");
        }
    }
}
