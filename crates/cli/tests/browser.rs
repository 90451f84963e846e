//! The browser test: starts `casework serve` on a fresh database (which loads the fictional demo
//! region and prints the demo accounts' passwords), then runs `node tests/browser/e2e.mjs`, which
//! drives a real Chromium through the service with playwright-core and runs axe-core on every
//! main page (see that file for what it checks). Screenshots go to target/screenshots.
//!
//! It needs node, Chromium (/usr/bin/chromium or $CHROMIUM) and the npm packages (`npm ci`);
//! .ci/run installs them. Where any is missing the test says SKIPPED, unless
//! CASEWORK_REQUIRE_TOOLS is set (as CI sets it), when it fails instead.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long the server may take to load the demo region and hash the demo passwords.
const START_TIMEOUT: Duration = Duration::from_secs(180);
/// How long the whole browser run may take.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

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

/// Kills a child process when dropped, so a failing test never leaves a server behind.
struct KillOnDrop(Child, &'static str);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
        eprintln!("browser test: stopped {}", self.1);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// Reads the server's stdout until it says it is running; returns the demo accounts' passwords
/// by name and the address it serves. Keeps draining stdout afterwards so the server never blocks.
fn wait_for_start(server: &mut Child) -> (BTreeMap<String, String>, String) {
    let stdout = server.stdout.take().expect("server stdout is piped");
    let (tx, rx) = mpsc::channel::<String>();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                // Nobody listens any more: keep reading so the pipe never fills.
                continue;
            }
        }
    });
    let deadline = Instant::now() + START_TIMEOUT;
    let mut passwords = BTreeMap::new();
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let words: Vec<&str> = line.split_whitespace().collect();
                if let (Some(name), Some(password)) = (words.first(), words.last())
                    && name.starts_with("demo-")
                    && words.len() >= 3
                {
                    passwords.insert(name.to_string(), password.to_string());
                } else if let Some(at) = line.strip_prefix("Casework is running at ") {
                    let url = at.split_whitespace().next().unwrap_or_default().to_string();
                    return (passwords, url);
                } else {
                    seen.push(line);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "casework serve did not say it was running within {START_TIMEOUT:?}; it printed:\n{}",
                seen.join("\n")
            ),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!(
                "casework serve exited before it was running ({:?}); it printed:\n{}",
                server.try_wait(),
                seen.join("\n")
            ),
        }
    }
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
    let bind = format!("127.0.0.1:{}", free_port());
    let server = Command::new(env!("CARGO_BIN_EXE_casework"))
        .args(["serve", "--db", &db.display().to_string(), "--bind", &bind])
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start casework serve");
    let mut server = KillOnDrop(server, "casework serve");
    let (passwords, url) = wait_for_start(&mut server.0);
    let password = |name: &str| {
        passwords
            .get(name)
            .unwrap_or_else(|| panic!("casework serve printed no password for {name}"))
            .clone()
    };
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "casework serve is running at '{url}'"
    );
    eprintln!("browser test: casework serve is running at {url}");

    let screenshots = root.join("target/screenshots");
    let node = Command::new("node")
        .arg(root.join("tests/browser/e2e.mjs"))
        .current_dir(&root)
        .env("BASE_URL", &url)
        .env("INSPECTOR_PASSWORD", password("demo-inspector"))
        .env("VIEWER_PASSWORD", password("demo-viewer"))
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
        matches!(server.0.try_wait(), Ok(None)),
        "casework serve exited during the browser test"
    );
}
