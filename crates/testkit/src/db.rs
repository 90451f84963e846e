//! Scratch databases: a SQLite file in a temporary directory, or a fresh PostgreSQL schema when
//! `DATABASE_URL` names a server (`.ci/run` sets it), each removed when the test is done; and
//! [`on_both_backends!`](crate::on_both_backends), which runs one scenario on both.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Executor;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name no other test of this run has: process, time and a counter.
pub fn unique() -> String {
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

/// A PostgreSQL URL whose connections use `schema` (for scratch databases: tests, benchmarks).
pub fn postgres_url_in_schema(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// Runs `sql` on the database at `url` (a SQLite file or path, or a postgres:// URL), on a thread
/// and runtime of its own, so it can be called from anywhere, async tests and `Drop` included.
pub fn exec(url: &str, sql: &str) {
    let url = if url.contains("://") {
        url.to_string()
    } else {
        format!("sqlite://{url}")
    };
    let sql = sql.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
            pool.execute(sql.as_str()).await.expect("raw sql");
            pool.close().await;
        });
    })
    .join()
    .expect("the SQL thread");
}

/// A fresh, empty database on one backend, removed when dropped.
pub struct TestDb {
    pub url: String,
    backend: Backend,
}

enum Backend {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { base: String, schema: String },
}

impl TestDb {
    /// A SQLite file in a fresh temporary directory.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        TestDb {
            url: dir.path().join("test.db").display().to_string(),
            backend: Backend::Sqlite(dir),
        }
    }

    /// A fresh schema on the PostgreSQL server `DATABASE_URL` names; `None` (saying SKIPPED)
    /// when it names none.
    pub fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var("DATABASE_URL") else {
            eprintln!("SKIPPED (PostgreSQL): DATABASE_URL is not set; .ci/run sets it");
            return None;
        };
        let schema = format!("cw_test_{}", unique());
        exec(&base, &format!("CREATE SCHEMA {schema}"));
        Some(TestDb {
            url: postgres_url_in_schema(&base, &schema),
            backend: Backend::Postgres { base, schema },
        })
    }

    /// Both: SQLite, then PostgreSQL where configured.
    pub fn both() -> Vec<TestDb> {
        std::iter::once(TestDb::sqlite())
            .chain(TestDb::postgres())
            .collect()
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres { .. })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Backend::Postgres { base, schema } = &self.backend {
            exec(base, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// Runs `async fn scenario(url: &str)` as a test named `name` on SQLite, and on PostgreSQL when
/// `DATABASE_URL` is set (it says SKIPPED otherwise), each on a fresh database.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $scenario:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            for db in $crate::TestDb::both() {
                $scenario(&db.url).await;
            }
        }
    };
}
