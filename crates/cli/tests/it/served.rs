//! `casework serve` as a process, for what only a real process shows: its memory under a stream
//! of unauthenticated sign-ins with huge names (read from /proc), a client that never finishes its
//! headers, and two service processes sharing one PostgreSQL database under concurrent edits.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use casework_testkit::TestDb;
use casework_testkit::served::{ApiSession, Server, http};

use crate::bin;

/// Unauthenticated sign-ins with a different 1 MB name each time leave the server's memory as it
/// was: names are checked before anything is kept, and the throttle keeps nothing for them
/// (issue 13, point 1).
#[test]
fn huge_sign_in_names_leave_memory_as_it_was() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("web.db").display().to_string();
    let server = Server::start(bin(), &db, &[]);
    let attempt = |i: usize| {
        let name = format!("{i}{}", "n".repeat(1_000_000));
        let body = serde_json::json!({ "name": name, "password": "not it" }).to_string();
        http(
            &server.addr,
            "POST",
            "/api/v1/session",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    };
    // Warm up (allocator arenas, connection buffers), then measure.
    for i in 0..50 {
        attempt(i);
    }
    let before = server.rss_kib();
    let mut statuses = BTreeMap::new();
    for i in 50..1050 {
        *statuses.entry(attempt(i).status).or_insert(0) += 1;
    }
    let after = server.rss_kib();
    eprintln!("resident memory {before} KiB before, {after} KiB after; statuses {statuses:?}");
    assert_eq!(
        statuses.keys().copied().collect::<Vec<u16>>(),
        [422],
        "every name refused as too long, before any other work"
    );
    assert!(
        after < before + 8 * 1024,
        "1,000 sign-ins with 1 MB names grew the server from {before} KiB to {after} KiB"
    );
    // A real user still signs in.
    ApiSession::sign_in(&server.addr, "demo-lead", server.password("demo-lead"));
}

/// A client that starts a request and never finishes its headers is cut off (issue 13, point 5).
#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("web.db").display().to_string();
    let server = Server::start(bin(), &db, &["--no-demo", "--header-read-timeout", "1"]);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .expect("a partial request");
    stream
        .set_read_timeout(Some(Duration::from_secs(8)))
        .expect("timeout");
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    let closed = loop {
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    assert!(
        closed,
        "the connection was still open after {:?}",
        started.elapsed()
    );
    // The service goes on serving others.
    assert_eq!(http(&server.addr, "GET", "/sign-in", &[], b"").status, 200);
}

const PDU: &str = "northmarch%2Fashvale";

fn case_path(case_ref: &str) -> String {
    format!("/api/v1/inspections/{PDU}/cases/sentence-management/{case_ref}")
}

/// Saves the other answer to `question` of a case, retrying on a stale version until it is saved;
/// returns the value saved and how many saves were refused as stale first.
fn flip(session: &ApiSession, case_ref: &str, question: &str) -> (String, usize) {
    let mut stale = 0;
    loop {
        let case = session.get(&case_path(case_ref)).json();
        let version = case["version"].as_i64().expect("version");
        let value = match case["answers"][question].as_str() {
            Some("Y") => "N",
            _ => "Y",
        };
        let r = session.send(
            "PUT",
            &format!("{}/answers/{question}", case_path(case_ref)),
            &serde_json::json!({ "answer": value, "version": version }),
        );
        match r.status {
            200 => return (value.to_string(), stale),
            409 => stale += 1,
            other => panic!("save on {}: {other} {}", session.addr, r.text()),
        }
    }
}

fn casework(args: &[&str]) -> String {
    let o = crate::casework(args);
    assert!(
        o.status.success(),
        "casework {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Two service processes on one PostgreSQL database: concurrent edits through both, every
/// acknowledged save present exactly once, no lost update, both showing the same ratings after
/// the writes, and the audit chain intact (issue 13, point 18).
#[test]
fn two_service_processes_share_one_postgres_database() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let url = db.url.clone();
    let first = Server::start(bin(), &url, &[]);
    let second = Server::start(bin(), &url, &["--no-demo"]);
    let password = first.password("demo-inspector").to_string();
    let sessions = [
        ApiSession::sign_in(&first.addr, "demo-inspector", &password),
        ApiSession::sign_in(&second.addr, "demo-inspector", &password),
    ];
    const SAVES: usize = 12;
    // Four writers of their own cases, through alternate processes; two writers of one shared
    // case, one through each process, which must both get every save in.
    let own: Vec<String> = (1..=4).map(|n| format!("ASH-SM-{n:04}")).collect();
    let shared = "ASH-SM-0005";
    let results: Vec<(String, Vec<String>, usize)> = thread::scope(|scope| {
        let mut writers = Vec::new();
        for (i, case_ref) in own.iter().enumerate() {
            let session = &sessions[i % 2];
            writers.push(scope.spawn(move || {
                let saved: Vec<String> = (0..SAVES)
                    .map(|_| flip(session, case_ref, "P2.1.1a").0)
                    .collect();
                (case_ref.clone(), saved, 0)
            }));
        }
        for session in &sessions {
            writers.push(scope.spawn(move || {
                let mut stale = 0;
                let saved = (0..SAVES)
                    .map(|_| {
                        let (value, refused) = flip(session, shared, "P2.1.1b");
                        stale += refused;
                        value
                    })
                    .collect();
                (shared.to_string(), saved, stale)
            }));
        }
        writers
            .into_iter()
            .map(|w| w.join().expect("writer"))
            .collect()
    });

    let audit: Vec<serde_json::Value> = casework(&["audit", "log", "--db", &url])
        .lines()
        .map(|l| serde_json::from_str(l).expect("audit line"))
        .collect();
    let answer_entries = |case_ref: &str| {
        audit
            .iter()
            .filter(|e| {
                e["action"] == "set-answer"
                    && e["entity"] == format!("case:sentence-management/{case_ref}")
            })
            .count()
    };
    for (case_ref, saved, _) in results.iter().filter(|(c, _, _)| c != shared) {
        let case = sessions[0].get(&case_path(case_ref)).json();
        assert_eq!(
            case["version"],
            1 + SAVES as i64,
            "{case_ref}: one version per save"
        );
        assert_eq!(case["answers"]["P2.1.1a"], saved[SAVES - 1], "{case_ref}");
        assert_eq!(
            answer_entries(case_ref),
            SAVES,
            "{case_ref}: one entry per save"
        );
    }
    let case = sessions[1].get(&case_path(shared)).json();
    assert_eq!(
        case["version"],
        1 + 2 * SAVES as i64,
        "every acknowledged save of the shared case is there once: none lost"
    );
    assert_eq!(answer_entries(shared), 2 * SAVES);
    let stale: usize = results.iter().map(|(_, _, s)| s).sum();
    eprintln!("the shared case's writers were refused as stale {stale} times and retried");

    // Both processes show the ratings the store now gives, computed afresh from the database.
    let ratings =
        |s: &ApiSession| s.get("/api/v1/inspections/northmarch/ratings").json()["ratings"].clone();
    let from_store: serde_json::Value = serde_json::from_str(&casework(&[
        "rate",
        "northmarch",
        "--db",
        &url,
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(ratings(&sessions[0]), from_store);
    assert_eq!(ratings(&sessions[1]), from_store);
    assert!(casework(&["audit", "verify", "--db", &url]).contains("audit log intact"));
    drop((first, second));
}
