//! `casework serve` as a process: starting it on a free port and waiting until it says it is
//! running (with the demo accounts' passwords it prints), stopping it however a test ends, its
//! memory as the kernel counts it, and a small HTTP/1.1 client with a signed-in API session.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long the server may take to load the demo region and hash the demo passwords.
pub const START_TIMEOUT: Duration = Duration::from_secs(180);

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// Kills a child process when dropped, so a failing test never leaves a server behind.
pub struct KillOnDrop(pub Child, pub &'static str);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
        eprintln!("stopped {}", self.1);
    }
}

/// A running `casework serve`.
pub struct Server {
    pub process: KillOnDrop,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The demo accounts' passwords by name (empty when the database already had accounts).
    pub passwords: BTreeMap<String, String>,
}

impl Server {
    /// Starts `BIN serve --db DB --bind 127.0.0.1:PORT ARGS...` in the repository root (`BIN`:
    /// the test's `env!("CARGO_BIN_EXE_casework")`).
    pub fn start(bin: &Path, db: &str, args: &[&str]) -> Server {
        let addr = format!("127.0.0.1:{}", free_port());
        let child = Command::new(bin)
            .args(["serve", "--db", db, "--bind", &addr])
            .args(args)
            .current_dir(crate::paths::repo())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start casework serve");
        let mut process = KillOnDrop(child, "casework serve");
        let (passwords, url) = wait_for_start(&mut process.0);
        assert_eq!(url, format!("http://{addr}"), "casework serve is at {url}");
        Server {
            process,
            addr,
            passwords,
        }
    }

    pub fn password(&self, name: &str) -> &str {
        self.passwords
            .get(name)
            .unwrap_or_else(|| panic!("casework serve printed no password for {name}"))
    }

    /// Resident memory, in KiB, as /proc counts it.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.0.id()))
            .expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .expect("VmRSS")
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.process.0.try_wait(), Ok(None))
    }
}

/// Reads the server's stdout until it says it is running; returns the demo accounts' passwords
/// by name and the address it serves. Keeps draining stdout afterwards so the server never blocks.
pub fn wait_for_start(server: &mut Child) -> (BTreeMap<String, String>, String) {
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

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The value of a cookie this response sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    }
}

/// Sends one request on a new connection (`Connection: close`) and reads the whole response.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    // A server may answer before reading a body it refuses, and close: read its answer anyway.
    let _ = stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.write_all(body));
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = data.get(start + size + 2..).unwrap_or_default();
    }
    out
}

/// A signed-in API client of one server: its session cookie and CSRF token.
pub struct ApiSession {
    pub addr: String,
    pub cookie: String,
    pub csrf: String,
}

impl ApiSession {
    pub fn sign_in(addr: &str, name: &str, password: &str) -> ApiSession {
        let body = serde_json::json!({ "name": name, "password": password }).to_string();
        let r = http(
            addr,
            "POST",
            "/api/v1/session",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(r.status, 200, "sign in as {name}: {}", r.text());
        ApiSession {
            addr: addr.to_string(),
            cookie: format!(
                "casework_session={}",
                r.cookie("casework_session").expect("session cookie")
            ),
            csrf: r.json()["csrf_token"]
                .as_str()
                .expect("csrf token")
                .to_string(),
        }
    }

    pub fn get(&self, path: &str) -> Response {
        http(&self.addr, "GET", path, &[("Cookie", &self.cookie)], b"")
    }

    pub fn send(&self, method: &str, path: &str, body: &serde_json::Value) -> Response {
        http(
            &self.addr,
            method,
            path,
            &[
                ("Cookie", &self.cookie),
                ("X-CSRF-Token", &self.csrf),
                ("Content-Type", "application/json"),
            ],
            body.to_string().as_bytes(),
        )
    }
}
