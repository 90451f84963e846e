//! The browser test: starts `casework serve` on a fresh database (which loads the fictional demo
//! region and prints the demo accounts' passwords), then runs `node tests/browser/e2e.mjs`, which
//! drives a real Chromium through the service with playwright-core and runs axe-core on every
//! main page (see that file for what it checks). Screenshots go to target/screenshots.
//!
//! It needs node, Chromium (/usr/bin/chromium or $CHROMIUM) and the npm packages (`npm ci`);
//! .ci/run installs them. Where any is missing the test says SKIPPED, unless
//! CASEWORK_REQUIRE_TOOLS is set (as CI sets it), when it fails instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use casework_testkit::served::{KillOnDrop, Server};

use crate::{bin, repo};

/// How long the whole browser run may take.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

fn tool_missing(what: &str) {
    if std::env::var_os("CASEWORK_REQUIRE_TOOLS").is_some() {
        panic!("{what} is required (CASEWORK_REQUIRE_TOOLS is set) but is not installed");
    }
    eprintln!(
        "SKIPPED: {what} is not installed (.ci/run installs it); the browser test did not run"
    );
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// The first missing tool, if any.
fn missing_tool(root: &Path) -> Option<String> {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !matches!(node, Ok(s) if s.success()) {
        return Some("node".into());
    }
    let chromium = chromium();
    if !chromium.is_file() {
        return Some(format!("Chromium ({})", chromium.display()));
    }
    for package in ["playwright-core", "axe-core", "govuk-frontend"] {
        let manifest = root.join("node_modules").join(package).join("package.json");
        if !manifest.is_file() {
            return Some(format!("node_modules/{package} (npm ci)"));
        }
    }
    None
}

#[test]
fn browser_end_to_end_and_accessibility() {
    let root = repo();
    if let Some(what) = missing_tool(&root) {
        tool_missing(&what);
        return;
    }

    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("web.db");
    let mut server = Server::start(bin(), &db.display().to_string(), &[]);
    let url = format!("http://{}", server.addr);
    let password = |name: &str| server.password(name).to_string();
    eprintln!("browser test: casework serve is running at {url}");

    let screenshots = root.join("target/screenshots");
    let node = Command::new("node")
        .arg(root.join("tests/browser/e2e.mjs"))
        .current_dir(&root)
        .env("BASE_URL", &url)
        .env("INSPECTOR_PASSWORD", password("demo-inspector"))
        .env("VIEWER_PASSWORD", password("demo-viewer"))
        .env("LEAD_PASSWORD", password("demo-lead"))
        .env("ADMIN_PASSWORD", password("demo-admin"))
        .env("QA_PASSWORD", password("demo-qa"))
        .env("SCREENSHOTS", &screenshots)
        .env("CHROMIUM", chromium())
        .stdin(Stdio::null())
        .spawn()
        .expect("run node tests/browser/e2e.mjs");
    let mut node = KillOnDrop(node, "node tests/browser/e2e.mjs");
    let deadline = Instant::now() + RUN_TIMEOUT;
    let status = loop {
        match node.0.try_wait().expect("wait for node") {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                panic!("node tests/browser/e2e.mjs did not finish within {RUN_TIMEOUT:?}")
            }
            None => thread::sleep(Duration::from_millis(200)),
        }
    };
    assert!(
        status.success(),
        "the browser test failed ({status}); see its output above, and screenshots in {}",
        screenshots.display()
    );
    assert!(
        server.is_running(),
        "casework serve exited during the browser test"
    );
}
