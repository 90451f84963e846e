//! Running a Python script as a peer (SciPy for the funnel limits, statsmodels for the proportion
//! intervals): its standard output, or `None` after saying SKIPPED when python3 or the package is
//! not installed (`.ci/run` installs them, pinned); under `CASEWORK_REQUIRE_TOOLS` a missing peer
//! fails instead.

use std::process::Command;

/// Runs `script`, which needs the Python package `package`.
pub fn run(script: &str, package: &str) -> Option<Vec<u8>> {
    match Command::new("python3").arg("-c").arg(script).output() {
        Ok(o) if o.status.success() => Some(o.stdout),
        _ => {
            if std::env::var_os("CASEWORK_REQUIRE_TOOLS").is_some() {
                panic!("python3 with {package} is required (CASEWORK_REQUIRE_TOOLS is set)");
            }
            eprintln!("SKIPPED: python3 with {package} is not installed (.ci/run installs it)");
            None
        }
    }
}
