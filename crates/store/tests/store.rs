//! The store's behaviour, one suite run on both backends: SQLite always, PostgreSQL when
//! `DATABASE_URL` names one (each run in a fresh schema, dropped afterwards). Covers: the five
//! reference inspections rate from the store exactly as from their files; import -> export is byte
//! for byte; a failed import leaves the database unchanged; duplicate ids are refused; the audit
//! chain verifies and tampering is found; a database from a newer Casework is refused untouched;
//! edits are versioned, concurrent ones commit together, and loads served from memory stay equal to
//! fresh loads and catch up after a reread during a stream of edits; answers stored as JSON by
//! schema version 2 are upgraded at open; a backup holds everything a restore needs.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use casework_core::Answer;
use casework_core::input::write::{cases_csv, manifest_toml};
use casework_core::inspection::Manifest;
use casework_core::{Inspection, framework::Framework, rate};
use casework_store::{AnswerEdit, CaseChange, CaseEdit, Role, Store, StoreError};
use sqlx::Executor;

const SEEDS: [&str; 5] = [
    "derby-city",
    "leicester-leicestershire-rutland",
    "nottinghamshire",
    "east-midlands",
    "east-of-england",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn from_disk(name: &str) -> (Inspection, &'static Framework) {
    let source = |p: &Path| match std::fs::read_to_string(p) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    };
    casework_core::input::load(&fixtures().join(name), &source, None).expect("fixture loads")
}

/// A fresh, empty database on one backend, and how to drop it.
struct TestDb {
    url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempdir::TempDir>,
}

mod tempdir {
    /// A temporary directory removed on drop (std only).
    pub struct TempDir(pub std::path::PathBuf);
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

async fn sqlite_db() -> TestDb {
    let dir = std::env::temp_dir().join(format!("casework-store-{}", unique()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    TestDb {
        url: dir.join("test.db").display().to_string(),
        cleanup: None,
        _dir: Some(tempdir::TempDir(dir)),
    }
}

async fn postgres_db() -> Option<TestDb> {
    let Ok(base) = std::env::var("DATABASE_URL") else {
        eprintln!("SKIPPED (PostgreSQL): DATABASE_URL is not set; .ci/run sets it");
        return None;
    };
    sqlx::any::install_default_drivers();
    let schema = format!("cw_test_{}", unique());
    let pool = sqlx::AnyPool::connect(&base)
        .await
        .expect("connect to DATABASE_URL");
    pool.execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .expect("create schema");
    pool.close().await;
    Some(TestDb {
        url: casework_store::postgres_url_in_schema(&base, &schema),
        cleanup: Some((base, schema)),
        _dir: None,
    })
}

impl TestDb {
    async fn drop_schema(&self) {
        if let Some((base, schema)) = &self.cleanup {
            let pool = sqlx::AnyPool::connect(base).await.expect("connect");
            let _ = pool
                .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
                .await;
            pool.close().await;
        }
    }
}

/// The audit chain verifies from end to end.
async fn assert_chain_valid(store: &Store) {
    let report = store.audit_verify().await.expect("verify");
    assert!(
        report.first_broken.is_none(),
        "audit chain broken at {:?}",
        report.first_broken
    );
}

/// Runs one scenario on SQLite and, when configured, on PostgreSQL.
macro_rules! on_both_backends {
    ($name:ident, $scenario:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            let db = sqlite_db().await;
            $scenario(&db.url).await;
            if let Some(db) = postgres_db().await {
                $scenario(&db.url).await;
                db.drop_schema().await;
            }
        }
    };
}

async fn seeds_rate_from_the_store_as_from_their_files(url: &str) {
    let store = Store::open(url).await.expect("open");
    for name in SEEDS {
        let (inspection, fw) = from_disk(name);
        let summary = store
            .import(fw, &inspection, name, "tester", Some("acceptance"))
            .await
            .expect("import");
        assert_eq!(summary.inspections, 1 + inspection.units.len());
        let (stored, stored_fw) = store.load(name).await.expect("load");
        assert_eq!(stored_fw.content_hash(), fw.content_hash());
        assert_eq!(
            rate(&stored_fw, &stored),
            rate(fw, &inspection),
            "{name}: ratings from the store"
        );
        assert_eq!(
            stored, inspection,
            "{name}: the stored inspection is the imported one"
        );
    }
    let listed = store.list().await.expect("list");
    assert!(listed.iter().any(|s| s.slug == "east-midlands/derby-city"
        && s.parent.as_deref() == Some("east-midlands")
        && s.cases == 34));
    store.close().await;
}
on_both_backends!(
    seeds_rate_from_the_store,
    seeds_rate_from_the_store_as_from_their_files
);

fn files_of(fw: &Framework, inspection: &Inspection) -> Vec<(PathBuf, String)> {
    let mut files = vec![(
        PathBuf::from("inspection.toml"),
        manifest_toml(&Manifest::of(inspection, inspection.unit_paths.clone())),
    )];
    for set in &inspection.cases {
        let file = fw
            .instrument(&set.instrument)
            .expect("instrument")
            .file
            .clone();
        files.push((PathBuf::from(file), cases_csv(fw, set)));
    }
    files
}

async fn export_round_trips_byte_for_byte(url: &str) {
    let store = Store::open(url).await.expect("open");
    for name in SEEDS {
        let (inspection, fw) = from_disk(name);
        store
            .import(fw, &inspection, name, "tester", None)
            .await
            .expect("import");
        let (stored, stored_fw) = store.load(name).await.expect("load");
        let dir = fixtures().join(name);
        for (rel, text) in files_of(&stored_fw, &stored) {
            let original = std::fs::read_to_string(dir.join(&rel)).expect("fixture file");
            assert!(
                original == text,
                "{name}/{}: export differs from the import",
                rel.display()
            );
        }
        for (unit, path) in stored.units.iter().zip(&stored.unit_paths) {
            for (rel, text) in files_of(&stored_fw, unit) {
                let original =
                    std::fs::read_to_string(dir.join(path).join(&rel)).expect("unit file");
                assert!(original == text, "{name}/{path}/{}: differs", rel.display());
            }
        }
    }
    store.close().await;
}
on_both_backends!(export_round_trips, export_round_trips_byte_for_byte);

async fn counts(url: &str) -> (usize, i64, usize) {
    let store = Store::open(url).await.expect("open");
    let list = store.list().await.expect("list");
    let cases = list.iter().map(|s| s.cases).sum();
    let audit = store.audit_entries().await.expect("audit").len();
    store.close().await;
    (list.len(), cases, audit)
}

async fn a_failed_import_changes_nothing(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (pdu, fw) = from_disk("nottinghamshire");
    // Occupy the id the region's third PDU inspection would get, so the region import fails after
    // writing the region and two of its PDUs.
    store
        .import(fw, &pdu, "em/nottinghamshire", "tester", None)
        .await
        .expect("import");
    store.close().await;
    let before = counts(url).await;
    let store = Store::open(url).await.expect("open");
    let (region, fw) = from_disk("east-midlands");
    let err = store
        .import(fw, &region, "em", "tester", None)
        .await
        .expect_err("conflict");
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("em/nottinghamshire"), "{err}");
    assert!(matches!(
        store.load("em").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.load("em/derby-city").await,
        Err(StoreError::NotFound(_))
    ));
    store.close().await;
    assert_eq!(counts(url).await, before, "nothing was written");
    // And the same id again is refused too.
    let store = Store::open(url).await.expect("open");
    let err = store
        .import(fw, &pdu, "em/nottinghamshire", "tester", None)
        .await
        .expect_err("duplicate");
    assert!(err.to_string().contains("already stored"), "{err}");
    store.close().await;
}
on_both_backends!(
    failed_import_changes_nothing,
    a_failed_import_changes_nothing
);

async fn the_audit_chain_verifies_and_tampering_is_found(url: &str) {
    let store = Store::open(url).await.expect("open");
    for name in ["derby-city", "nottinghamshire"] {
        let (inspection, fw) = from_disk(name);
        store
            .import(fw, &inspection, name, "inspector-a", Some("fieldwork"))
            .await
            .expect("import");
    }
    let entries = store.audit_entries().await.expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].actor, "inspector-a");
    assert_eq!(entries[0].action, "import");
    assert_eq!(entries[0].reason.as_deref(), Some("fieldwork"));
    assert!(
        entries[0]
            .after
            .as_deref()
            .unwrap_or("")
            .contains("\"sentence-management\":34")
    );
    assert_eq!(entries[1].prev_hash, entries[0].hash);
    let report = store.audit_verify().await.expect("verify");
    assert_eq!((report.entries, report.first_broken), (2, None));

    // Rewrite who did the first change: its hash no longer matches.
    let first = entries[0].seq;
    store_exec(
        url,
        &format!("UPDATE audit_log SET actor = 'mallory' WHERE seq = {first}"),
    )
    .await;
    let report = store.audit_verify().await.expect("verify");
    assert_eq!(report.first_broken.as_ref().map(|b| b.0), Some(first));
    assert!(
        report
            .first_broken
            .as_ref()
            .is_some_and(|b| b.1.contains("hash"))
    );
    // Put it back, then delete it: the next entry no longer follows.
    store_exec(
        url,
        &format!("UPDATE audit_log SET actor = 'inspector-a' WHERE seq = {first}"),
    )
    .await;
    assert_chain_valid(&store).await;
    store_exec(url, &format!("DELETE FROM audit_log WHERE seq = {first}")).await;
    let report = store.audit_verify().await.expect("verify");
    assert_eq!(report.first_broken.map(|b| b.0), Some(entries[1].seq));
    store.close().await;
}
on_both_backends!(
    audit_tampering_is_found,
    the_audit_chain_verifies_and_tampering_is_found
);

/// Runs raw SQL behind the store's back (as an attacker or a newer version would).
async fn store_exec(url: &str, sql: &str) {
    let url = if url.contains("://") {
        url.to_string()
    } else {
        format!("sqlite://{url}")
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
    pool.execute(sql).await.expect("raw sql");
    pool.close().await;
}

async fn a_newer_database_is_refused_untouched(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "derby-city", "tester", None)
        .await
        .expect("import");
    store.close().await;
    let checksum = if url.starts_with("postgres") {
        "decode('00', 'hex')"
    } else {
        "X'00'"
    };
    store_exec(
        url,
        &format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', TRUE, {checksum}, 0)"
        ),
    )
    .await;
    let err = Store::open(url).await.expect_err("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { version: 9999, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer Casework"), "{err}");
    // Untouched: take the future migration out again and everything is still there.
    store_exec(url, "DELETE FROM _sqlx_migrations WHERE version = 9999").await;
    let store = Store::open(url).await.expect("open");
    assert!(store.load("derby-city").await.is_ok());
    store.close().await;
}
on_both_backends!(
    newer_database_is_refused,
    a_newer_database_is_refused_untouched
);

/// A database from before schema version 3 holds answers as JSON objects; opening it with this
/// build rewrites them as codes, once, and every figure stays the same.
async fn answers_stored_as_json_are_upgraded_at_open(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("east-midlands");
    store
        .import(fw, &inspection, "em", "tester", None)
        .await
        .expect("import");
    let before = store.load("em").await.expect("load");
    let audit = store.audit_entries().await.expect("audit");
    // Back to how version 2 stored them: the case's answers as a JSON object, blanks left out.
    let mut rewrites = Vec::new();
    let children = store.children("em").await.expect("children");
    let units = std::iter::once("em".to_string())
        .chain(children.into_iter().map(|c| c.slug))
        .zip(std::iter::once(&before.0).chain(&before.0.units));
    for (slug, unit) in units {
        for set in &unit.cases {
            for case in set.cases() {
                let stored = store
                    .case(&slug, &set.instrument, &case.id)
                    .await
                    .expect("case");
                let json = serde_json::to_string(&stored.answers).expect("json");
                rewrites.push(format!(
                    "UPDATE cases SET answers = '{json}' WHERE case_ref = '{}' AND instrument = '{}' \
                     AND inspection_id = (SELECT id FROM inspections WHERE slug = '{slug}')",
                    case.id, set.instrument
                ));
            }
        }
    }
    assert!(rewrites.len() > 600, "{} cases", rewrites.len());
    store.close().await;
    rewrites.push("INSERT INTO pending_upgrades (name) VALUES ('answer-codes')".into());
    store_exec(url, &rewrites.join(";\n")).await;

    let store = Store::open(url).await.expect("open upgrades");
    let after = store.load("em").await.expect("load");
    assert_eq!(after.0, before.0, "the same inspection");
    assert_eq!(rate(&after.1, &after.0), rate(&before.1, &before.0));
    assert_eq!(
        store.audit_entries().await.expect("audit"),
        audit,
        "no audit entry"
    );
    store.close().await;
    // Done: the step is no longer pending (recording it again is allowed), and running it again
    // finds nothing left to rewrite.
    store_exec(
        url,
        "INSERT INTO pending_upgrades (name) VALUES ('answer-codes')",
    )
    .await;
    let store = Store::open(url).await.expect("open again");
    assert_eq!(store.load("em").await.expect("load").0, before.0);
    store.close().await;
}
on_both_backends!(
    answers_stored_as_json_are_upgraded,
    answers_stored_as_json_are_upgraded_at_open
);

fn edit<'a>(
    question: &'a str,
    answer: Answer,
    expected_version: i64,
    actor: &'a str,
) -> AnswerEdit<'a> {
    AnswerEdit {
        inspection: "dc",
        instrument: "sentence-management",
        case_ref: "DC-SM-0001",
        question,
        answer,
        expected_version,
        actor,
        reason: Some("test"),
    }
}

async fn edits_are_versioned_checked_and_audited(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    assert_eq!(case.version, 1);
    let old = case.answers.get("P2.1.1").cloned().expect("answered");
    let new = if old == "Y" { Answer::No } else { Answer::Yes };
    let yes_before = rate(fw, &store.load("dc").await.expect("load").0)
        .key_question("P2.1", "P2.1.1")
        .expect("kq")
        .yes;

    let v = store
        .set_answer(&edit("P2.1.1", new, 1, "alice"))
        .await
        .expect("edit");
    assert_eq!(v, 2);
    let (after, after_fw) = store.load("dc").await.expect("load");
    let yes_after = rate(&after_fw, &after)
        .key_question("P2.1", "P2.1.1")
        .expect("kq")
        .yes;
    assert_eq!(
        yes_after as i64 - yes_before as i64,
        if new == Answer::Yes { 1 } else { -1 }
    );

    // A stale edit is refused, names the versions and what changed, and saves nothing.
    let err = store
        .set_answer(&edit("P2.1.2", Answer::Yes, 1, "bob"))
        .await
        .expect_err("stale");
    let text = err.to_string();
    assert!(
        matches!(
            err,
            StoreError::StaleVersion {
                expected: 1,
                current: 2,
                ..
            }
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("P2.1.1 {old} -> {} by alice", new.as_cell())),
        "{text}"
    );
    assert_eq!(
        store
            .case("dc", "sentence-management", "DC-SM-0001")
            .await
            .expect("case")
            .version,
        2
    );

    // The framework's rules apply to edits as to imports.
    let err = store
        .set_answer(&edit("P2.1.1", Answer::NotApplicable, 2, "alice"))
        .await
        .expect_err("NA not allowed");
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    let err = store
        .set_answer(&edit("R2.3.1", Answer::Yes, 2, "alice"))
        .await
        .expect_err("other instrument");
    assert!(
        err.to_string().contains("not a question of instrument"),
        "{err}"
    );

    let entries = store.audit_entries().await.expect("audit");
    let last = entries.last().expect("entry");
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("set-answer", "alice")
    );
    assert!(
        last.before
            .as_deref()
            .unwrap_or("")
            .contains(&format!("\"answer\":\"{old}\""))
    );
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    edits_are_versioned_and_audited,
    edits_are_versioned_checked_and_audited
);

async fn parallel_writers_on_one_case_lose_no_update(url: &str) {
    const PROMPTS: [&str; 8] = [
        "P2.1.1a", "P2.1.1b", "P2.1.1c", "P2.1.1d", "P2.1.2a", "P2.1.2b", "P2.1.2c", "P2.1.3a",
    ];
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    // Each writer changes its prompt to the other answer: every write is a real change.
    let start = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    let target = |prompt: &str| match start.answers.get(prompt).map(String::as_str) {
        Some("Y") => Answer::No,
        _ => Answer::Yes,
    };
    let targets: Vec<Answer> = PROMPTS.iter().map(|p| target(p)).collect();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(PROMPTS.len()));
    let mut tasks = Vec::new();
    for (i, prompt) in PROMPTS.iter().enumerate() {
        let (store, barrier, answer) = (store.clone(), barrier.clone(), targets[i]);
        tasks.push(tokio::spawn(async move {
            let actor = format!("writer-{i}");
            // Everyone reads version 1 before anyone writes: only one first write can win.
            let mut version = store
                .case("dc", "sentence-management", "DC-SM-0001")
                .await
                .expect("case")
                .version;
            barrier.wait().await;
            let mut conflicts = 0;
            loop {
                match store
                    .set_answer(&edit(prompt, answer, version, &actor))
                    .await
                {
                    Ok(_) => return conflicts,
                    Err(StoreError::StaleVersion { current, .. }) => {
                        conflicts += 1;
                        version = current;
                    }
                    Err(e) => panic!("{actor}: {e}"),
                }
            }
        }));
    }
    let mut conflicts = 0;
    for t in tasks {
        conflicts += t.await.expect("task");
    }
    assert!(conflicts >= PROMPTS.len() - 1, "only {conflicts} conflicts");
    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    assert_eq!(
        case.version,
        1 + PROMPTS.len() as i64,
        "every write got its own version"
    );
    for (prompt, answer) in PROMPTS.iter().zip(&targets) {
        assert_eq!(
            case.answers.get(*prompt).map(String::as_str),
            Some(answer.as_cell()),
            "{prompt} lost"
        );
    }
    let edits = store
        .audit_entries()
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "set-answer")
        .count();
    assert_eq!(edits, PROMPTS.len());
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    parallel_writers_lose_no_update,
    parallel_writers_on_one_case_lose_no_update
);

async fn a_backup_is_a_consistent_copy_that_opens(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("east-midlands");
    store
        .import(fw, &inspection, "em", "tester", None)
        .await
        .expect("import");
    let (dc, fw) = from_disk("derby-city");
    store
        .import(fw, &dc, "dc", "tester", None)
        .await
        .expect("import");
    store
        .set_answer(&edit("P2.1.1", Answer::No, 1, "alice"))
        .await
        .expect("edit");
    // Everything a restore needs: people, who works on what, evidence notes, publication.
    store
        .put_user("lead", Role::Lead, "$argon2id$hash", "admin")
        .await
        .expect("user");
    store.assign("lead", "em", "admin").await.expect("assign");
    store
        .edit_case(&CaseEdit {
            inspection: "dc",
            instrument: "sentence-management",
            case_ref: "DC-SM-0001",
            change: CaseChange::Evidence {
                question: "P2.1.1",
                note: "seen in the <b>plan</b>",
            },
            expected_version: 2,
            actor: "alice",
            reason: None,
        })
        .await
        .expect("evidence");
    store
        .set_published("em", true, "lead")
        .await
        .expect("publish");
    let dir = std::env::temp_dir().join(format!("casework-backup-{}", unique()));
    std::fs::create_dir_all(&dir).expect("dir");
    let _cleanup = tempdir::TempDir(dir.clone());
    let file = dir.join("backup.db");
    store.backup(&file).await.expect("backup");
    let err = store.backup(&file).await.expect_err("exists");
    assert!(err.to_string().contains("already exists"), "{err}");

    let copy = Store::open(&file.display().to_string())
        .await
        .expect("open backup");
    for slug in ["em", "dc"] {
        let (a, afw) = store.load(slug).await.expect("load");
        let (b, bfw) = copy.load(slug).await.expect("load copy");
        assert_eq!(a, b, "{slug}");
        assert_eq!(rate(&afw, &a), rate(&bfw, &b), "{slug}");
    }
    let case = copy
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    assert_eq!(case.version, 3);
    assert_eq!(case.answers["P2.1.1"], "N");
    assert_eq!(case.evidence["P2.1.1"], "seen in the <b>plan</b>");
    assert_eq!(
        copy.users().await.expect("users"),
        store.users().await.expect("users")
    );
    assert_eq!(copy.members("em").await.expect("members"), ["lead"]);
    for slug in ["em", "em/derby-city", "dc"] {
        assert_eq!(
            copy.stored(slug).await.expect("stored").published,
            store.stored(slug).await.expect("stored").published,
            "{slug}"
        );
    }
    assert_eq!(
        copy.audit_entries().await.expect("audit"),
        store.audit_entries().await.expect("audit")
    );
    assert_chain_valid(&copy).await;
    copy.close().await;
    store.close().await;
}
on_both_backends!(
    backup_is_a_consistent_copy,
    a_backup_is_a_consistent_copy_that_opens
);

async fn people_sessions_publication_and_case_edits(url: &str) {
    use casework_core::case::{Oversight, SentenceType};
    use casework_store::Standing;
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");

    // Users, membership, standing.
    store
        .put_user("alice", Role::Inspector, "$argon2id$hash", "admin")
        .await
        .expect("user");
    assert!(matches!(
        store.put_user(" ", Role::Viewer, "h", "admin").await,
        Err(StoreError::Invalid(_))
    ));
    let alice = store.user("alice").await.expect("read").expect("alice");
    assert_eq!(
        (alice.role, alice.password_hash.as_deref()),
        (Role::Inspector, Some("$argon2id$hash"))
    );
    assert_eq!(
        store.standing("dc", "alice").await.expect("standing"),
        Some(Standing {
            published: false,
            member: false,
            revision: store.revision().await.expect("revision"),
        })
    );
    assert_eq!(
        store.standing("nope", "alice").await.expect("standing"),
        None
    );
    assert!(matches!(
        store.assign("nobody", "dc", "admin").await,
        Err(StoreError::NotFound(_))
    ));
    store.assign("alice", "dc", "admin").await.expect("assign");
    store
        .assign("alice", "dc", "admin")
        .await
        .expect("assigning twice is harmless");
    assert_eq!(store.members("dc").await.expect("members"), ["alice"]);
    assert!(
        store
            .standing("dc", "alice")
            .await
            .expect("standing")
            .expect("some")
            .member
    );

    // Sessions: found by token hash until they expire or end.
    let now = casework_store::unix_now();
    store
        .create_session("live", "alice", "csrf-1", now + 60)
        .await
        .expect("session");
    store
        .create_session("old", "alice", "csrf-2", now - 1)
        .await
        .expect("session");
    let s = store
        .session("live")
        .await
        .expect("read")
        .expect("live session");
    assert_eq!(
        (s.user.name.as_str(), s.csrf_token.as_str()),
        ("alice", "csrf-1")
    );
    assert!(
        store.session("old").await.expect("read").is_none(),
        "expired"
    );
    store.end_session("live").await.expect("end");
    assert!(
        store.session("live").await.expect("read").is_none(),
        "ended"
    );

    // Case edits: evidence notes, a blank key answer while in progress, attributes.
    let (case_ref, edit) = ("DC-SM-0001", |change, v| CaseEdit {
        inspection: "dc",
        instrument: "sentence-management",
        case_ref: "DC-SM-0001",
        change,
        expected_version: v,
        actor: "alice",
        reason: None,
    });
    let v = store
        .edit_case(&edit(
            CaseChange::Evidence {
                question: "P2.1.1",
                note: "<b>seen</b>",
            },
            1,
        ))
        .await
        .expect("note");
    assert_eq!(
        store
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case")
            .evidence["P2.1.1"],
        "<b>seen</b>"
    );
    let v = store
        .edit_case(&edit(
            CaseChange::Evidence {
                question: "P2.1.1",
                note: " ",
            },
            v,
        ))
        .await
        .expect("clear");
    assert!(
        store
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case")
            .evidence
            .is_empty()
    );
    let v = store
        .edit_case(&edit(
            CaseChange::Answer {
                question: "P2.1.1",
                answer: Answer::Unanswered,
            },
            v,
        ))
        .await
        .expect("a key answer may be blank while the case is in progress");
    let v = store
        .edit_case(&edit(CaseChange::Oversight(Some(Oversight::Absent)), v))
        .await
        .expect("oversight");
    assert_eq!(
        store
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case")
            .record
            .oversight,
        Some(Oversight::Absent)
    );
    assert!(matches!(
        store
            .edit_case(&edit(
                CaseChange::Evidence {
                    question: "R2.3.1",
                    note: "x"
                },
                v
            ))
            .await,
        Err(StoreError::Invalid(_))
    ));

    // An attribute change that would strand an answer is refused until the answer is cleared.
    let (loaded, _) = store.load("dc").await.expect("load");
    let set = loaded.cases_for("sentence-management").expect("sm");
    let qi = fw
        .instrument("sentence-management")
        .expect("sm")
        .questions
        .iter()
        .position(|q| q.id == "P2.1.3h")
        .expect("P2.1.3h");
    let licence = set
        .rows()
        .find(|(c, a)| {
            c.sentence == Some(SentenceType::Licence) && matches!(a[qi], Answer::Yes | Answer::No)
        })
        .map(|(c, _)| c.id.clone())
        .expect("a licence case answering the licence-only prompt");
    let lic_edit = |change, v| CaseEdit {
        case_ref: &licence,
        ..edit(change, v)
    };
    let lv = store
        .case("dc", "sentence-management", &licence)
        .await
        .expect("case")
        .version;
    let refused = store
        .edit_case(&lic_edit(
            CaseChange::Sentence(Some(SentenceType::Community)),
            lv,
        ))
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("P2.1.3h") && m.contains("clear that answer first")),
        "{refused:?}"
    );
    let lv = store
        .edit_case(&lic_edit(
            CaseChange::Answer {
                question: "P2.1.3h",
                answer: Answer::Unanswered,
            },
            lv,
        ))
        .await
        .expect("clear");
    store
        .edit_case(&lic_edit(
            CaseChange::Sentence(Some(SentenceType::Community)),
            lv,
        ))
        .await
        .expect("now allowed");

    // Published: read-only until withdrawn.
    store
        .set_published("dc", true, "admin")
        .await
        .expect("publish");
    assert!(store.list().await.expect("list")[0].published);
    let refused = store.edit_case(&edit(CaseChange::Oversight(None), v)).await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("published")),
        "{refused:?}"
    );
    store
        .set_published("dc", false, "admin")
        .await
        .expect("withdraw");
    store
        .edit_case(&edit(CaseChange::Oversight(None), v))
        .await
        .expect("editable again");

    let history = store
        .audit_history("dc", "case:sentence-management/DC-SM-0001")
        .await
        .expect("history");
    assert_eq!(history.len(), 5);
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    people_sessions_publication_and_edits,
    people_sessions_publication_and_case_edits
);

/// Loads are served from memory between changes (see the store's `live` module): whatever made the
/// change, this store or another one on the same database (another process), and whichever
/// inspection it touched (a PDU's case, the region's own), a load afterwards equals a load by a
/// store that has never loaded anything.
async fn loads_stay_current_with_every_edit(url: &str) {
    use casework_store::{CaseChange, CaseEdit};
    let here = Store::open(url).await.expect("open");
    let elsewhere = Store::open(url).await.expect("open a second store");
    let (inspection, fw) = from_disk("east-midlands");
    here.import(fw, &inspection, "em", "tester", None)
        .await
        .expect("import");
    let slugs = ["em", "em/synthetic-pdu-1", "em/synthetic-pdu-2"];
    let edits: [(&str, &str, &str, &str); 4] = [
        (
            "em/synthetic-pdu-1",
            "sentence-management",
            "EMO-SM-0001",
            "P2.1.1",
        ),
        (
            "em/synthetic-pdu-2",
            "sentence-management",
            "EMO-SM-0056",
            "P2.1.1",
        ),
        ("em", "unpaid-work", "EM-UW-0001", "R2.4.1"),
        (
            "em/synthetic-pdu-1",
            "sentence-management",
            "EMO-SM-0002",
            "P2.2.1",
        ),
    ];
    for round in 0..12 {
        for slug in slugs {
            here.load_shared(slug).await.expect("warm the cache");
        }
        let (slug, instrument, case_ref, question) = edits[round % edits.len()];
        let writer = if round % 3 == 2 { &elsewhere } else { &here };
        let case = writer
            .case(slug, instrument, case_ref)
            .await
            .expect("case exists");
        let change = if round % 5 == 4 {
            CaseChange::Oversight(None)
        } else {
            let answer = match case.answers.get(question).map(String::as_str) {
                Some("Y") => Answer::No,
                _ => Answer::Yes,
            };
            CaseChange::Answer { question, answer }
        };
        let edited = writer
            .edit(&CaseEdit {
                inspection: slug,
                instrument,
                case_ref,
                change,
                expected_version: case.version,
                actor: "tester",
                reason: None,
            })
            .await
            .expect("edit");
        assert_eq!(edited.version, case.version + 1);
        let fresh = Store::open(url).await.expect("open a fresh store");
        // As the edit left it: here, from memory; elsewhere, read (it was never loaded there).
        let since = writer
            .load_shared_since(slug, edited.revision)
            .await
            .expect("load since the edit");
        assert!(since.revision >= edited.revision);
        let (read, _) = fresh.load(slug).await.expect("fresh load");
        assert_eq!(
            *since.inspection, read,
            "round {round}: {slug} as the edit left it differs from the database"
        );
        for slug in slugs {
            let (cached, _) = here.load(slug).await.expect("load");
            let (read, _) = fresh.load(slug).await.expect("fresh load");
            assert_eq!(
                cached, read,
                "round {round}: {slug} as loaded from memory differs from the database"
            );
        }
        fresh.close().await;
    }
    here.close().await;
    elsewhere.close().await;
}
on_both_backends!(loads_stay_current, loads_stay_current_with_every_edit);

/// An inspection reread while this store's edits keep committing (here after another process's
/// edit made it stale) is kept current by those edits from then on, not reread on every load.
async fn a_reload_during_a_stream_of_edits_catches_up(url: &str) {
    let here = Store::open(url).await.expect("open");
    let elsewhere = Store::open(url).await.expect("open a second store");
    let (inspection, fw) = from_disk("derby-city");
    here.import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    here.load_shared("dc").await.expect("warm");
    let version = elsewhere
        .set_answer(&edit("P2.1.1", Answer::No, 1, "bob"))
        .await
        .expect("edit elsewhere");
    assert_eq!(version, 2);
    let refs: Vec<String> = inspection.cases[0]
        .cases()
        .iter()
        .skip(1)
        .take(8)
        .map(|c| c.id.clone())
        .collect();
    let writers: Vec<_> = refs
        .into_iter()
        .map(|case_ref| {
            let here = here.clone();
            tokio::spawn(async move {
                // The first edit may set the answer the case already has, which changes nothing.
                let mut version = 1;
                for n in 0..25 {
                    version = here
                        .set_answer(&AnswerEdit {
                            case_ref: &case_ref,
                            question: "P2.1.2",
                            answer: if n % 2 == 0 { Answer::No } else { Answer::Yes },
                            ..edit("P2.1.2", Answer::Yes, version, "alice")
                        })
                        .await
                        .expect("edit");
                }
            })
        })
        .collect();
    let before = here.reads();
    let mut loads = 0;
    while !writers.iter().all(|w| w.is_finished()) {
        here.load_shared("dc").await.expect("load");
        loads += 1;
        tokio::task::yield_now().await;
    }
    for w in writers {
        w.await.expect("writer");
    }
    let reads = here.reads() - before;
    assert!(loads > 20, "only {loads} loads while the edits ran");
    // One reread for the other store's edit, a few more if edits overtook it.
    assert!(
        reads <= 4,
        "{reads} reads from the database for {loads} loads"
    );
    let (cached, _) = here.load("dc").await.expect("load");
    let fresh = Store::open(url).await.expect("open a third store");
    assert_eq!(cached, fresh.load("dc").await.expect("fresh load").0);
    for store in [here, elsewhere, fresh] {
        store.close().await;
    }
}
on_both_backends!(
    a_reload_catches_up,
    a_reload_during_a_stream_of_edits_catches_up
);

/// Concurrent edits of different cases are written together (see the store's `group_commit`): each
/// is saved exactly once, in a valid audit chain, and an edit refused among them (a stale version)
/// changes nothing while the others go ahead.
async fn concurrent_edits_commit_together_and_refusals_stay_apart(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let before = store.audit_entries().await.expect("audit").len();
    let refs: Vec<String> = inspection.cases[0]
        .cases()
        .iter()
        .take(24)
        .map(|c| c.id.clone())
        .collect();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(refs.len()));
    let mut tasks = Vec::new();
    for (i, case_ref) in refs.iter().enumerate() {
        let (store, barrier, case_ref) = (store.clone(), barrier.clone(), case_ref.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            // Every fourth writer is based on a version that never existed.
            let expected_version = if i % 4 == 3 { 7 } else { 1 };
            store
                .set_answer(&AnswerEdit {
                    inspection: "dc",
                    instrument: "sentence-management",
                    case_ref: &case_ref,
                    question: "P2.1.1",
                    answer: Answer::Unanswered,
                    expected_version,
                    actor: "tester",
                    reason: None,
                })
                .await
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        match (i % 4 == 3, task.await.expect("task")) {
            (false, Ok(version)) => assert_eq!(version, 2, "writer {i}"),
            (true, Err(StoreError::StaleVersion { current: 1, .. })) => {}
            (stale, outcome) => panic!("writer {i} (stale: {stale}): {outcome:?}"),
        }
    }
    let fresh = Store::open(url).await.expect("open a fresh store");
    for (i, case_ref) in refs.iter().enumerate() {
        let case = fresh
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case");
        let saved = i % 4 != 3;
        assert_eq!(case.version, if saved { 2 } else { 1 }, "{case_ref}");
        assert_eq!(
            case.answers.contains_key("P2.1.1"),
            !saved,
            "{case_ref}: answer cleared only by the writers that were not stale"
        );
    }
    let entries = fresh.audit_entries().await.expect("audit").len();
    assert_eq!(entries - before, refs.len() - refs.len() / 4);
    assert_chain_valid(&fresh).await;
    fresh.close().await;
    store.close().await;
}
on_both_backends!(
    concurrent_edits_commit_together,
    concurrent_edits_commit_together_and_refusals_stay_apart
);

/// Creates, in the test's database, a trigger that makes the database itself refuse an evidence
/// note reading `poison`: a real database error for one edit, on either backend.
async fn poison_evidence(url: &str) {
    if url.contains("://") {
        store_exec(
            url,
            "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.note = 'poison' THEN RAISE EXCEPTION 'poisoned note'; END IF; RETURN NEW; \
             END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_poison BEFORE INSERT ON evidence FOR EACH ROW \
             EXECUTE FUNCTION refuse_poison();",
        )
        .await;
    } else {
        store_exec(
            url,
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON evidence WHEN NEW.note = 'poison' \
             BEGIN SELECT RAISE(ABORT, 'poisoned note'); END;",
        )
        .await;
    }
}

/// One edit the database refuses fails alone: the edits committed in the same group by other
/// users are saved, in every round (issue 13, point 2b).
async fn one_bad_edit_never_fails_another_users_edit(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    poison_evidence(url).await;
    let refs: Vec<String> = inspection.cases[0]
        .cases()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let before = store.audit_entries().await.expect("audit").len();
    let rounds = 3;
    for round in 0..rounds {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(refs.len()));
        let mut tasks = Vec::new();
        for (i, case_ref) in refs.iter().enumerate() {
            let (store, barrier, case_ref) = (store.clone(), barrier.clone(), case_ref.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let note = if i == 7 {
                    "poison".to_string()
                } else {
                    format!("round {round}")
                };
                store
                    .edit(&CaseEdit {
                        inspection: "dc",
                        instrument: "sentence-management",
                        case_ref: &case_ref,
                        change: CaseChange::Evidence {
                            question: "P2.1.1",
                            note: &note,
                        },
                        // The poisoned case is never saved, so it stays at version 1.
                        expected_version: if i == 7 { 1 } else { round + 1 },
                        actor: if i == 7 { "mallory" } else { "alice" },
                        reason: None,
                    })
                    .await
            }));
        }
        for (i, task) in tasks.into_iter().enumerate() {
            match (i == 7, task.await.expect("task")) {
                (false, Ok(edited)) => assert_eq!(edited.version, round + 2, "case {i}"),
                (true, Err(StoreError::NotSaved(why))) => {
                    assert!(why.contains("poisoned"), "{why}")
                }
                (poisoned, outcome) => panic!("round {round}, case {i} ({poisoned}): {outcome:?}"),
            }
        }
    }
    let fresh = Store::open(url).await.expect("open");
    for (i, case_ref) in refs.iter().enumerate() {
        let case = fresh
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case");
        if i == 7 {
            assert_eq!((case.version, case.evidence.len()), (1, 0));
        } else {
            assert_eq!(case.version, rounds + 1, "{case_ref}");
            assert_eq!(case.evidence["P2.1.1"], format!("round {}", rounds - 1));
        }
    }
    let entries = fresh.audit_entries().await.expect("audit").len() - before;
    assert_eq!(entries, (refs.len() - 1) * rounds as usize);
    assert_chain_valid(&fresh).await;
    fresh.close().await;
    store.close().await;
}
on_both_backends!(
    one_bad_edit_never_fails_another,
    one_bad_edit_never_fails_another_users_edit
);

/// The audit log records each change's real before and after, and nothing for a change that
/// changes nothing (issue 13, point 7).
async fn the_audit_log_records_real_changes_only(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    store
        .put_user("alice", Role::Inspector, "$argon2id$h", "admin")
        .await
        .expect("user");
    let count = async || store.audit_entries().await.expect("audit").len();
    let last = async || {
        store
            .audit_entries()
            .await
            .expect("audit")
            .pop()
            .expect("entry")
    };
    let json = |text: &Option<String>| -> serde_json::Value {
        serde_json::from_str(text.as_deref().unwrap_or("null")).expect("json")
    };

    assert!(
        store
            .set_published("dc", true, "lead")
            .await
            .expect("publish")
    );
    let e = last().await;
    assert_eq!(json(&e.before)["published"], false);
    assert_eq!(json(&e.after)["published"], true);
    let n = count().await;
    assert!(
        !store
            .set_published("dc", true, "lead")
            .await
            .expect("again")
    );
    assert_eq!(
        count().await,
        n,
        "publishing a published inspection records nothing"
    );
    assert!(
        store
            .set_published("dc", false, "lead")
            .await
            .expect("withdraw")
    );
    assert_eq!(json(&last().await.before)["published"], true);
    assert!(
        !store
            .set_published("dc", false, "lead")
            .await
            .expect("withdraw again")
    );

    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    let current = Answer::parse(&case.answers["P2.1.1"]).expect("answer");
    let n = count().await;
    let same = store
        .edit(&CaseEdit {
            inspection: "dc",
            instrument: "sentence-management",
            case_ref: "DC-SM-0001",
            change: CaseChange::Answer {
                question: "P2.1.1",
                answer: current,
            },
            expected_version: 1,
            actor: "alice",
            reason: None,
        })
        .await
        .expect("the same answer again");
    assert_eq!((same.version, same.revision), (1, 0));
    assert_eq!(count().await, n, "the same answer again records nothing");
    let other = if current == Answer::Yes {
        Answer::No
    } else {
        Answer::Yes
    };
    store
        .set_answer(&edit("P2.1.1", other, 1, "alice"))
        .await
        .expect("edit");
    let e = last().await;
    assert_eq!(
        (
            json(&e.before)["version"].as_i64(),
            json(&e.after)["version"].as_i64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(json(&e.before)["answer"], current.as_cell());

    assert!(store.assign("alice", "dc", "admin").await.expect("assign"));
    let n = count().await;
    assert!(!store.assign("alice", "dc", "admin").await.expect("again"));
    assert_eq!(count().await, n);
    assert!(
        store
            .unassign("alice", "dc", "admin")
            .await
            .expect("unassign")
    );
    assert_eq!(json(&last().await.before)["member"], true);
    assert!(!store.unassign("alice", "dc", "admin").await.expect("again"));
    assert!(store.members("dc").await.expect("members").is_empty());
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    audit_records_real_changes_only,
    the_audit_log_records_real_changes_only
);

/// A user's sessions end when their password or role changes, when they are disabled, and when an
/// administrator revokes them; a disabled user has no session at all (issue 13, point 5).
async fn sessions_end_when_a_user_changes(url: &str) {
    let store = Store::open(url).await.expect("open");
    let future = casework_store::unix_now() + 600;
    store
        .put_user("alice", Role::Inspector, "$argon2id$one", "admin")
        .await
        .expect("user");
    store
        .create_session("s1", "alice", "c", future)
        .await
        .expect("s1");
    assert!(store.session("s1").await.expect("read").is_some());
    store
        .put_user("alice", Role::Lead, "$argon2id$two", "admin")
        .await
        .expect("new password and role");
    assert!(
        store.session("s1").await.expect("read").is_none(),
        "ended by the change"
    );

    store
        .create_session("s2", "alice", "c", future)
        .await
        .expect("s2");
    assert!(
        store
            .set_disabled("alice", true, "admin")
            .await
            .expect("disable")
    );
    assert!(
        store.session("s2").await.expect("read").is_none(),
        "ended by disabling"
    );
    assert!(
        store
            .user("alice")
            .await
            .expect("read")
            .expect("alice")
            .disabled
    );
    store
        .create_session("s3", "alice", "c", future)
        .await
        .expect("s3");
    assert!(
        store.session("s3").await.expect("read").is_none(),
        "a disabled user has none"
    );
    assert!(
        !store
            .set_disabled("alice", true, "admin")
            .await
            .expect("again")
    );
    assert!(
        store
            .set_disabled("alice", false, "admin")
            .await
            .expect("enable")
    );
    assert!(store.session("s3").await.expect("read").is_some());

    store
        .create_session("s4", "alice", "c", future)
        .await
        .expect("s4");
    assert_eq!(store.session_count("alice").await.expect("count"), 2);
    assert_eq!(
        store
            .revoke_sessions("alice", "admin")
            .await
            .expect("revoke"),
        2
    );
    assert!(store.session("s4").await.expect("read").is_none());
    let n = store.audit_entries().await.expect("audit").len();
    assert_eq!(
        store
            .revoke_sessions("alice", "admin")
            .await
            .expect("again"),
        0
    );
    assert_eq!(store.audit_entries().await.expect("audit").len(), n);
    assert!(matches!(
        store.revoke_sessions("nobody", "admin").await,
        Err(StoreError::NotFound(_))
    ));
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(sessions_end_on_change, sessions_end_when_a_user_changes);

/// Text a backend cannot store (U+0000) or that Casework does not accept is refused alike on
/// both backends, naming the field, and nothing is written (issue 13, points 2a and 6).
async fn text_is_refused_alike_on_both_backends(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let n = store.audit_entries().await.expect("audit").len();
    let note = |note| CaseEdit {
        inspection: "dc",
        instrument: "sentence-management",
        case_ref: "DC-SM-0001",
        change: CaseChange::Evidence {
            question: "P2.1.1",
            note,
        },
        expected_version: 1,
        actor: "alice",
        reason: None,
    };
    let refused = store.edit(&note("before\0after")).await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.starts_with("the evidence note") && m.contains("U+0000")),
        "{refused:?}"
    );
    let refused = store
        .edit(&CaseEdit {
            case_ref: "DC\0",
            ..note("fine")
        })
        .await;
    assert!(matches!(&refused, Err(StoreError::Invalid(m)) if m.starts_with("the case reference")));
    let refused = store.put_user("a\0b", Role::Viewer, "h", "admin").await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    for id in ["", "../x", "a/../b", "a\u{1b}[2J", "<b>x</b>", "dc two"] {
        let refused = store.import(fw, &inspection, id, "tester", None).await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid(m)) if m.starts_with("the inspection id")),
            "{id:?}: {refused:?}"
        );
    }
    assert_eq!(store.audit_entries().await.expect("audit").len(), n);
    assert_eq!(store.list().await.expect("list").len(), 1);
    store.close().await;
}
on_both_backends!(text_refused_alike, text_is_refused_alike_on_both_backends);
