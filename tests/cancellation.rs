//! A `create_all` cancelled at any await point (a `tokio::time::timeout`, a shutdown signal,
//! a dropped future) leaves no pooled connection inside its locked sequence and no lock
//! held: other writers proceed, and the next `create_all` completes.

// The models exist for their tables; their fields are never read.
#![allow(dead_code)]

mod common;

use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use common::TestDb;
use sqlx::{Connection as _, MySql, Postgres, Sqlite};
use sqlx_table::{Backend, Models, Table};

#[derive(Table)]
pub struct Gadget {
    #[table(primary_key)]
    pub id: i64,
    #[table(index)]
    pub rank: i32,
}

#[derive(Table)]
pub struct Part {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Gadget)]
    pub gadget_id: i64,
}

fn schema() -> Models {
    Models::new([&Gadget::DEF, &Part::DEF]).unwrap()
}

/// The key of PostgreSQL's advisory lock: FNV-1a of its name, as `db/postgres.rs` has it.
fn advisory_key() -> i64 {
    b"table::create_all"
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        }) as i64
}

/// Retries `check` for a few seconds: a dropped connection is closed by the pool in the
/// background.
async fn eventually<F: AsyncFnMut() -> Result<(), String>>(what: &str, mut check: F) {
    let mut last = String::new();
    for _ in 0..100 {
        match check().await {
            Ok(()) => return,
            Err(e) => last = e,
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: {last}");
}

/// SQLite: another connection can write at once (busy_timeout 0), and no pooled connection
/// is inside a transaction (`BEGIN` fails in one).
async fn sqlite_clean(db: &TestDb<Sqlite>) {
    eventually("another writer is locked out", async || {
        let mut other = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        let result = sqlx::raw_sql(
            "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; \
             CREATE TABLE IF NOT EXISTS probe (x INTEGER); COMMIT",
        )
        .execute(&mut other)
        .await;
        let _ = other.close().await;
        result.map(drop).map_err(|e| e.to_string())
    })
    .await;
    let mut conns = Vec::new();
    for _ in 0..db.pool.num_idle() {
        conns.push(db.pool.acquire().await.unwrap());
    }
    for conn in &mut conns {
        sqlx::raw_sql("BEGIN; ROLLBACK")
            .execute(&mut **conn)
            .await
            .expect("a pooled connection is still inside a transaction");
    }
}

/// PostgreSQL: no advisory lock in the database, no session idle in a transaction.
async fn postgres_clean(db: &TestDb<Postgres>) {
    eventually("a lock or transaction is left", async || {
        let (locks, open): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
                     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())), \
                    (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND state LIKE 'idle in transaction%')",
        )
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
        if (locks, open) == (0, 0) {
            Ok(())
        } else {
            Err(format!("{locks} advisory lock(s), {open} session(s) idle in a transaction"))
        }
    })
    .await;
}

/// MySQL: the database's `GET_LOCK` name is free.
async fn mysql_clean(db: &TestDb<MySql>) {
    let mut other = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
    eventually("the schema lock is held", async || {
        let free: Option<i64> =
            sqlx::query_scalar("SELECT IS_FREE_LOCK(CONCAT('table.create_all.', DATABASE()))")
                .fetch_one(&mut other)
                .await
                .map_err(|e| e.to_string())?;
        if free == Some(1) {
            Ok(())
        } else {
            Err(format!("IS_FREE_LOCK = {free:?}"))
        }
    })
    .await;
    let _ = other.close().await;
}

/// Another connection holds the schema lock while a `create_all` waits for it under a
/// 100 ms timeout; then the holder lets go. The cancelled `create_all` must not take the
/// lock afterwards on a pooled connection.
async fn cancelled_while_waiting<DB: Backend>(
    db: &TestDb<DB>,
    hold: &str,
    release: &str,
    clean: impl AsyncFn(&TestDb<DB>),
) where
    DB::Connection: sqlx::Connection<Database = DB>,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    let schema = schema();
    let mut holder = DB::Connection::connect(&db.url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(hold))
        .execute(&mut holder)
        .await
        .unwrap();
    let waited =
        tokio::time::timeout(Duration::from_millis(100), schema.create_all(&db.pool)).await;
    assert!(
        waited.is_err(),
        "create_all did not wait for the lock: {waited:?}"
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(release))
        .execute(&mut holder)
        .await
        .unwrap();
    let _ = holder.close().await;
    // Time for a pooled connection still waiting to be granted the lock.
    tokio::time::sleep(Duration::from_millis(300)).await;
    clean(db).await;
    let report = tokio::time::timeout(Duration::from_secs(10), schema.create_all(&db.pool))
        .await
        .expect("the next create_all waited on a lock left behind")
        .unwrap();
    assert_eq!(report.created, ["gadget", "part"]);
}

#[tokio::test]
async fn sqlite_create_all_cancelled_while_waiting_for_the_lock_leaves_the_pool_clean() {
    let db = common::sqlite().await;
    cancelled_while_waiting(&db, "BEGIN IMMEDIATE", "ROLLBACK", sqlite_clean).await;
}

#[tokio::test]
async fn postgres_create_all_cancelled_while_waiting_for_the_lock_leaves_the_pool_clean() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let key = advisory_key();
    cancelled_while_waiting(
        &db,
        &format!("SELECT pg_advisory_lock({key})"),
        &format!("SELECT pg_advisory_unlock({key})"),
        postgres_clean,
    )
    .await;
}

#[tokio::test]
async fn mysql_create_all_cancelled_while_waiting_for_the_lock_leaves_the_pool_clean() {
    let Some(db) = common::mysql().await else {
        return;
    };
    cancelled_while_waiting(
        &db,
        "DO GET_LOCK(CONCAT('table.create_all.', DATABASE()), 5)",
        "DO RELEASE_LOCK(CONCAT('table.create_all.', DATABASE()))",
        mysql_clean,
    )
    .await;
}

/// Polls `future` at most `polls` times, sleeping a millisecond between polls so that its
/// I/O moves on, then drops it. `Some` if it finished first.
async fn poll_then_drop<F: Future>(future: F, polls: usize) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    for _ in 0..polls {
        let poll = std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx))).await;
        if let Poll::Ready(out) = poll {
            return Some(out);
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    None
}

/// Drops a cold `create_all` after 1, 2, 3... polls, until one finishes: each drop lands at
/// a later await point (the pool, the catalog, the lock, the DDL, the commit). After every
/// drop the pool is clean and the lock free; then the tables are dropped for the next round.
async fn dropped_at_every_await_point<DB: Backend>(
    db: &TestDb<DB>,
    clean: impl AsyncFn(&TestDb<DB>),
) {
    let schema = schema();
    for polls in 1..500 {
        let done = poll_then_drop(schema.create_all(&db.pool), polls).await;
        clean(db).await;
        if let Some(result) = done {
            result.unwrap();
            assert!(
                polls > 2,
                "finished after {polls} polls: no await point was tested"
            );
            return;
        }
        schema.drop_all(&db.pool).await.unwrap();
    }
    panic!("create_all never finished in 500 polls");
}

#[tokio::test]
async fn sqlite_create_all_dropped_at_every_await_point_leaves_the_pool_clean() {
    let db = common::sqlite().await;
    dropped_at_every_await_point(&db, sqlite_clean).await;
}

#[tokio::test]
async fn postgres_create_all_dropped_at_every_await_point_leaves_the_pool_clean() {
    if let Some(db) = common::postgres().await {
        dropped_at_every_await_point(&db, postgres_clean).await;
    }
}

#[tokio::test]
async fn mysql_create_all_dropped_at_every_await_point_leaves_the_pool_clean() {
    if let Some(db) = common::mysql().await {
        dropped_at_every_await_point(&db, mysql_clean).await;
    }
}

/// A closed pool (or an unreachable server) is `Error::Pool`, with a message that says so,
/// not a statement that failed.
#[tokio::test]
async fn a_pool_error_is_its_own_variant_with_a_plain_message() {
    let db = common::sqlite().await;
    db.pool.close().await;
    let err = schema().create_all(&db.pool).await.unwrap_err();
    assert!(matches!(err, sqlx_table::Error::Pool { .. }), "{err:?}");
    assert_eq!(err.to_string(), "could not get a connection from the pool");
    let source = std::error::Error::source(&err).expect("sqlx's error is the source");
    assert!(source.downcast_ref::<sqlx::Error>().is_some(), "{source}");
}

/// MySQL's `GET_LOCK` names are at most 64 characters: in a database whose name has 64,
/// the lock is named after the name's MD5. Holding that name from another connection makes
/// create_all time out, which shows it is the name create_all takes.
#[tokio::test]
async fn mysql_lock_name_stays_within_64_characters_for_a_long_database_name() {
    // Skips or fails as the rest of the tests do when the server is not configured.
    let Some(probe) = common::mysql().await else {
        return;
    };
    drop(probe);
    let admin_url = std::env::var("TABLE_TEST_MYSQL_URL").unwrap();
    let short = common::unique_name("t");
    let name = format!("{short}{}", "x".repeat(64 - short.len()));
    assert_eq!(name.len(), 64);
    let mut admin = sqlx::MySqlConnection::connect(&admin_url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE `{name}`")))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = common::with_database(&admin_url, &name);
    let result = async move {
        let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
        let mut holder = sqlx::MySqlConnection::connect(&url).await.unwrap();
        let (len, got): (i64, i64) = sqlx::query_as(
            "SELECT CHAR_LENGTH(CONCAT('table.create_all.', MD5(DATABASE()))), \
                    GET_LOCK(CONCAT('table.create_all.', MD5(DATABASE())), 1)",
        )
        .fetch_one(&mut holder)
        .await
        .unwrap();
        assert_eq!((len, got), (49, 1));
        let options = sqlx_table::Options::default().lock_timeout(Duration::from_millis(200));
        let err = schema().create_all_with(&pool, &options).await.unwrap_err();
        assert!(
            matches!(err, sqlx_table::Error::LockTimeout { .. }),
            "{err}"
        );
        let _ = holder.close().await;
        let report = schema().create_all(&pool).await.unwrap();
        assert_eq!(report.created, ["gadget", "part"]);
        pool.close().await;
    };
    let outcome = tokio::spawn(result).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE `{name}`")))
        .execute(&mut admin)
        .await
        .unwrap();
    outcome.unwrap();
}
