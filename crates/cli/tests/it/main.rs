//! The `casework` binary as its users meet it, in one test binary with a module per subject: the
//! commands (`cli`), bad files and careless use (`hardening`), crash safety (`crash`), the reports
//! (`report`), the acceptance tests against the five published reports (`seeds`, and their
//! domain-one evidence figures in `domain_one`), the service as a
//! process (`served`) and in a real browser (`browser`). What they share is here; the rest of the
//! test support is `casework_testkit`.

mod browser;
mod cli;
mod crash;
mod domain_one;
mod domain_one_files;
mod hardening;
mod published;
mod quality;
mod report;
mod sampling;
mod seeds;
mod served;
mod whole;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_casework"))
}

/// Runs `casework ARGS`.
pub fn casework(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("run casework")
}

/// A fixture directory's path, as text for arguments.
pub fn fixture(name: &str) -> String {
    casework_testkit::paths::fixture(name).display().to_string()
}

/// The workspace root.
pub fn repo() -> PathBuf {
    casework_testkit::paths::repo()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `casework args`, which must succeed; its standard output.
pub fn ok(args: &[&str]) -> String {
    let out = casework(args);
    assert!(out.status.success(), "casework {args:?}: {}", stderr(&out));
    stdout(&out)
}
