//! Running a SciPy script as a peer (the funnel limits, the Wilson interval): its standard output,
//! or `None` after saying SKIPPED when python3 with SciPy is not installed (`.ci/run` installs it
//! with the agreement peers); under `CASEWORK_REQUIRE_TOOLS` a missing peer fails instead.

use std::process::Command;

pub fn run(script: &str) -> Option<Vec<u8>> {
    match Command::new("python3").arg("-c").arg(script).output() {
        Ok(o) if o.status.success() => Some(o.stdout),
        _ => {
            if std::env::var_os("CASEWORK_REQUIRE_TOOLS").is_some() {
                panic!("python3 with scipy is required (CASEWORK_REQUIRE_TOOLS is set)");
            }
            eprintln!("SKIPPED: python3 with scipy is not installed (.ci/run installs it)");
            None
        }
    }
}
