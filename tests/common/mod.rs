//! Test databases: each test gets a database of its own, dropped when the guard drops, so
//! tests run in parallel and never see each other's tables.
//!
//! SQLite needs nothing. PostgreSQL and MariaDB/MySQL are used when their URLs are set:
//! `TABLE_TEST_POSTGRES_URL` (e.g. `postgres://root@127.0.0.1/postgres`) and
//! `TABLE_TEST_MYSQL_URL` (e.g. `mysql://root@127.0.0.1/test`). With
//! `TABLE_TEST_REQUIRE_SERVERS=1` (as `.ci/run` sets it) a missing URL fails the test
//! instead of skipping it.
#![allow(dead_code)]

pub mod logs;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{MySql, Pool, Postgres, Sqlite};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A name no other test, process or run uses.
pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A database for one test; dropped (file deleted, or `DROP DATABASE`) when this drops.
pub struct TestDb<DB: sqlx::Database> {
    pub pool: Pool<DB>,
    /// A URL that connects to this database, for child processes.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Server { admin_url: String, sql: String },
}

impl<DB: sqlx::Database> Drop for TestDb<DB> {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-journal", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::Server { admin_url, sql } => {
                let (admin_url, sql) = (admin_url.clone(), sql.clone());
                // Drop can't await: run the cleanup on a runtime of its own. It must not wait
                // on this pool, whose tasks live on the test's runtime, blocked here; the
                // DROP ends the pool's sessions (PostgreSQL: WITH (FORCE)).
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async move {
                        let admin = sqlx::AnyPool::connect(&admin_url).await;
                        if let Ok(admin) = admin {
                            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                                .execute(&admin)
                                .await;
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

fn server_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("TABLE_TEST_REQUIRE_SERVERS").is_ok_and(|v| v == "1") {
                panic!("{var} is not set, and TABLE_TEST_REQUIRE_SERVERS=1 forbids skipping");
            }
            eprintln!("skipped: {var} is not set");
            None
        }
    }
}

/// Replaces the database (path) of a URL, keeping its query string.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/{database}{query}", &base[..host_end])
}

/// A fresh SQLite database file.
pub async fn sqlite() -> TestDb<Sqlite> {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name("table_test")));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let pool = Pool::<Sqlite>::connect(&url).await.expect("open SQLite");
    TestDb {
        pool,
        url,
        cleanup: Cleanup::File(path),
    }
}

/// A fresh database on the server that `var` names: created with `create`, dropped with
/// `drop` (each given the database's name), or `None` when `var` is unset.
async fn server<DB: sqlx::Database>(
    var: &str,
    create: impl Fn(&str) -> String,
    drop: impl Fn(&str) -> String,
) -> Option<TestDb<DB>> {
    sqlx::any::install_default_drivers();
    let admin_url = server_url(var)?;
    let name = unique_name("table_test");
    let admin = sqlx::AnyPool::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("connect to {var}: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(create(&name)))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    let url = with_database(&admin_url, &name);
    let pool = Pool::<DB>::connect(&url)
        .await
        .expect("connect to test database");
    Some(TestDb {
        pool,
        url,
        cleanup: Cleanup::Server {
            admin_url,
            sql: drop(&name),
        },
    })
}

/// A fresh PostgreSQL database, or `None` when `TABLE_TEST_POSTGRES_URL` is unset.
pub async fn postgres() -> Option<TestDb<Postgres>> {
    server(
        "TABLE_TEST_POSTGRES_URL",
        |name| format!("CREATE DATABASE \"{name}\""),
        |name| format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    )
    .await
}

/// A fresh MySQL/MariaDB database, or `None` when `TABLE_TEST_MYSQL_URL` is unset.
pub async fn mysql() -> Option<TestDb<MySql>> {
    server(
        "TABLE_TEST_MYSQL_URL",
        |name| format!("CREATE DATABASE `{name}`"),
        |name| format!("DROP DATABASE IF EXISTS `{name}`"),
    )
    .await
}

/// The rollback journal of the SQLite database at `url` (`sqlite://PATH?mode=rwc`).
pub fn sqlite_journal(url: &str) -> String {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc");
    format!("{path}-journal")
}

/// Kills `child` in the middle of its SQLite transaction: waits (polling every `poll`, at
/// most `tries` times) until its rollback journal has content, lets it run `grace` more,
/// checks that it is still running, kills it, and checks that the journal stayed behind
/// (a hot journal: the transaction never committed).
pub async fn kill_mid_transaction(
    child: &mut std::process::Child,
    journal: &str,
    tries: usize,
    poll: std::time::Duration,
    grace: std::time::Duration,
) {
    let mut writing = false;
    for _ in 0..tries {
        if std::fs::metadata(journal).is_ok_and(|m| m.len() > 0) {
            writing = true;
            break;
        }
        tokio::time::sleep(poll).await;
    }
    assert!(writing, "the child never started writing");
    tokio::time::sleep(grace).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "the child finished within {grace:?} of its first write: the test can't kill it half-way"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        std::fs::metadata(journal).is_ok_and(|m| m.len() > 0),
        "no hot journal: the child was not killed mid-transaction"
    );
}
