//! Crash safety: a writer process is killed with SIGKILL in the middle of a large import and in the
//! middle of a stream of answer edits. Reopened, the store has every committed change, nothing
//! partial, and an intact audit chain. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use casework_cli::fsio::write_inspection_dir;
use casework_synth::{self as synth, Mix, generate};
use casework_testkit::TestDb;

use crate::fixture;
use casework_core::framework::builtin;

fn casework() -> Command {
    Command::new(crate::bin())
}

fn run_ok(args: &[&str], db: &str) -> String {
    let o = casework()
        .args(args)
        .args(["--db", db])
        .output()
        .expect("run casework");
    assert!(
        o.status.success(),
        "casework {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn big_pdu(dir: &Path, cases: usize) -> String {
    let fw = builtin();
    let sm = fw.instrument("sentence-management").expect("instrument");
    let mix = Mix {
        cases,
        community: cases / 2,
        attributes: Vec::new(),
        shares: Default::default(),
        id_prefix: "BIG".into(),
        ..Default::default()
    };
    let inspection = casework_core::Inspection {
        cases: vec![generate(fw, sm, &mix, &BTreeMap::new(), 7).expect("generate")],
        ..synth::inspection(
            fw,
            "pdu",
            "Big synthetic PDU",
            &[("P1.1", "good"), ("P1.2", "good"), ("P1.3", "good")],
        )
    };
    let path = dir.join("big");
    write_inspection_dir(&path, fw, &inspection, vec![]).expect("write");
    path.display().to_string()
}

fn listed_cases(db: &str) -> BTreeMap<String, i64> {
    run_ok(&["list"], db)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let slug = parts.next()?.to_string();
            let _kind = parts.next()?;
            let cases = parts.next()?.parse().ok()?;
            Some((slug, cases))
        })
        .collect()
}

#[test]
fn killing_an_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let big = big_pdu(dir.path(), 40_000);
    for test_db in TestDb::both() {
        let db = test_db.url.clone();
        run_ok(&["import", &fixture("derby-city"), "--id", "dc"], &db);
        let mut killed_while_writing = 0;
        for (round, delay_ms) in [20u64, 150, 400, 900].into_iter().enumerate() {
            let id = format!("big-{round}");
            let mut child = casework()
                .args(["import", &big, "--id", &id, "--db", &db])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn");
            // Wait until it has read the files and started writing, then kill it.
            let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
            let mut line = String::new();
            stderr.read_line(&mut line).expect("progress line");
            assert!(line.contains("writing"), "{line}");
            std::thread::sleep(Duration::from_millis(delay_ms));
            let still_running = child.try_wait().expect("wait").is_none();
            child.kill().expect("kill");
            let status = child.wait().expect("reap");
            let stored = listed_cases(&db);
            match stored.get(&id) {
                None => {
                    if still_running {
                        killed_while_writing += 1;
                    }
                }
                Some(&n) => assert_eq!(n, 40_000, "{id}: a partial import is visible ({status})"),
            }
            assert_eq!(stored.get("dc"), Some(&34), "earlier data intact");
            assert!(run_ok(&["audit", "verify"], &db).contains("intact"));
        }
        assert!(
            killed_while_writing > 0,
            "no round killed the import during its transaction; the test proved nothing on {db}"
        );
        // The store still works: rate from it.
        assert!(run_ok(&["rate", "dc"], &db).contains("7/21"));
    }
}

#[test]
fn killing_a_stream_of_edits_keeps_every_committed_one() {
    for test_db in TestDb::both() {
        let db = test_db.url.clone();
        run_ok(&["import", &fixture("derby-city"), "--id", "dc"], &db);
        let mut child = casework()
            .args(["edit-stream", "dc", "--db", &db])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut committed: BTreeMap<String, i64> = BTreeMap::new();
        let mut lines = 0;
        let start = Instant::now();
        for line in stdout.lines() {
            let line = line.expect("line");
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(parts[0], "committed", "{line}");
            committed.insert(parts[1].to_string(), parts[3].parse().expect("version"));
            lines += 1;
            if lines == 60 || start.elapsed() > Duration::from_secs(60) {
                child.kill().expect("kill");
                break;
            }
        }
        child.wait().expect("reap");
        assert_eq!(lines, 60, "the stream committed too few edits on {db}");
        let log = run_ok(&["audit", "log"], &db);
        let edits = log.lines().filter(|l| l.contains("\"set-answer\"")).count();
        // Every reported commit is there; at most one more was committed but not yet reported.
        assert!((60..=61).contains(&edits), "{edits} edits in the audit log");
        for (case, version) in &committed {
            let entity = format!("case:sentence-management/{case}");
            let last = log.lines().rfind(|l| l.contains(&entity)).expect("audited");
            assert!(
                last.contains(&format!("\\\"version\\\":{version}"))
                    || last.contains(&format!("\\\"version\\\":{}", version + 1)),
                "{case}: committed version {version} missing: {last}"
            );
        }
        assert!(run_ok(&["audit", "verify"], &db).contains("intact"));
    }
}
