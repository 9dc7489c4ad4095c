//! `create_all` and the rest on one connection and inside the caller's transaction, on each
//! backend: the DDL joins the transaction (PostgreSQL, SQLite) and goes with its rollback,
//! the lock is held to the caller's commit, a failure leaves the caller's transaction
//! usable, and MySQL refuses a transaction that its DDL would commit.

#![allow(dead_code)] // the models are read as tables, never as rows

mod common;

use sqlx::{Acquire as _, Connection as _, Executor as _};
use sqlx_table::{ColumnDef, Error, Models, SqlType, Table, TableDef};

/// A ledger and its entries: two tables, a foreign key, an index.
#[derive(Table)]
#[table(name = "tx_ledger")]
struct Ledger {
    #[table(primary_key)]
    id: i64,
    #[table(max_length = 80)]
    name: String,
}

#[derive(Table)]
#[table(name = "tx_entry")]
struct Entry {
    #[table(primary_key)]
    id: i64,
    #[table(references = Ledger, index)]
    ledger_id: i64,
    amount: i64,
}

fn schema() -> Models {
    Models::new([&Ledger::DEF, &Entry::DEF]).unwrap()
}

async fn pg_tables(conn: &mut sqlx::PgConnection) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
    )
    .fetch_all(conn)
    .await
    .unwrap()
}

async fn sqlite_tables(conn: &mut sqlx::SqliteConnection) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1")
        .fetch_all(conn)
        .await
        .unwrap()
}

async fn mysql_tables(pool: &sqlx::MySqlPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE() ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Whether a session other than `pid` waits for nothing and `pid` holds an advisory lock.
async fn holds_advisory_lock(pool: &sqlx::PgPool, pid: i32) -> bool {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = $1 AND granted)",
    )
    .bind(pid)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn postgres_create_all_joins_the_callers_transaction_and_its_rollback() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let mut conn = db.pool.acquire().await.unwrap();
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *conn)
        .await
        .unwrap();

    let mut tx = conn.begin().await.unwrap();
    tx.execute("SET LOCAL lock_timeout = '7s'").await.unwrap();
    let report = schema().create_all(&mut tx).await.unwrap();
    assert_eq!(report.created, ["tx_ledger", "tx_entry"]);
    assert_eq!(pg_tables(&mut tx).await, ["tx_entry", "tx_ledger"]);
    // The advisory lock is the transaction's: held after create_all returned, until the
    // caller's transaction ends. Its lock_timeout is the caller's again.
    assert!(holds_advisory_lock(&db.pool, pid).await);
    let timeout: String = sqlx::query_scalar("SHOW lock_timeout")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(timeout, "7s");
    // Another session sees nothing yet.
    let mut other = db.pool.acquire().await.unwrap();
    assert!(pg_tables(&mut other).await.is_empty());

    tx.rollback().await.unwrap();
    assert!(pg_tables(&mut conn).await.is_empty());
    assert!(!holds_advisory_lock(&db.pool, pid).await);

    // Committed, they stay.
    let mut tx = conn.begin().await.unwrap();
    schema().create_all(&mut tx).await.unwrap();
    assert!(holds_advisory_lock(&db.pool, pid).await);
    tx.commit().await.unwrap();
    assert!(!holds_advisory_lock(&db.pool, pid).await);
    assert_eq!(pg_tables(&mut other).await, ["tx_entry", "tx_ledger"]);
    // plan and check read inside a transaction too; drop_all joins it and its rollback.
    let mut tx = conn.begin().await.unwrap();
    assert!(schema().plan(&mut tx).await.unwrap().is_empty());
    schema().check(&mut tx).await.unwrap();
    let dropped = schema().drop_all(&mut tx).await.unwrap();
    assert_eq!(dropped.dropped, ["tx_entry", "tx_ledger"]);
    assert!(pg_tables(&mut tx).await.is_empty());
    tx.rollback().await.unwrap();
    assert_eq!(pg_tables(&mut conn).await, ["tx_entry", "tx_ledger"]);
}

/// A model whose `CREATE TABLE` PostgreSQL refuses: its check names no column.
const BROKEN: TableDef = TableDef::new("tx_broken", "Broken")
    .with_columns(&[ColumnDef::new("id", SqlType::I64)])
    .with_checks(&[sqlx_table::CheckDef::new("no_such_column > 0")]);

#[tokio::test]
async fn postgres_a_failure_inside_the_callers_transaction_leaves_it_usable() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let mut conn = db.pool.acquire().await.unwrap();
    let mut tx = conn.begin().await.unwrap();
    tx.execute("CREATE TABLE callers_own (id int)")
        .await
        .unwrap();
    let broken = Models::new([&Ledger::DEF, &BROKEN]).unwrap();
    let err = broken.create_all(&mut tx).await.unwrap_err();
    let Error::Database {
        table, statement, ..
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!(table, "tx_broken");
    assert!(
        statement.starts_with("CREATE TABLE \"tx_broken\""),
        "{statement}"
    );
    // Rolled back to our savepoint: the caller's own work is there, ours is not, and the
    // transaction takes more statements and commits.
    assert_eq!(pg_tables(&mut tx).await, ["callers_own"]);
    tx.commit().await.unwrap();
    assert_eq!(pg_tables(&mut conn).await, ["callers_own"]);
}

#[tokio::test]
async fn postgres_a_bare_connection_gets_create_all_s_own_transaction() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let report = schema().create_all(&mut conn).await.unwrap();
    assert!(report.took_lock);
    assert_eq!(report.created, ["tx_ledger", "tx_entry"]);
    // Committed by create_all: another connection sees the tables.
    let mut other = db.pool.acquire().await.unwrap();
    assert_eq!(pg_tables(&mut other).await, ["tx_entry", "tx_ledger"]);
    // And the connection is usable and outside any transaction.
    assert!(!conn.is_in_transaction());
    let warm = schema().create_all(&mut conn).await.unwrap();
    assert_eq!((warm.round_trips, warm.took_lock), (1, false));
    let report = schema().migrate(&mut conn).await.unwrap();
    assert!(report.applied.is_empty() && report.left.is_empty());
    conn.close().await.unwrap();
}

/// `n` tables of one column each, with names of their own.
fn many_tables(n: usize) -> Models {
    let columns: &'static [ColumnDef] = Box::leak(Box::new([ColumnDef::new("id", SqlType::I64)]));
    Models::new((0..n).map(|i| {
        let name: &'static str = Box::leak(format!("many_{i:04}").into_boxed_str());
        &*Box::leak(Box::new(
            TableDef::new(name, name)
                .with_columns(columns)
                .with_primary_key(&["id"]),
        ))
    }))
    .unwrap()
}

#[tokio::test]
async fn postgres_a_schema_too_large_for_the_callers_transaction_is_refused_before_any_ddl() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let mut conn = db.pool.acquire().await.unwrap();
    let budget: i64 = sqlx::query_scalar(
        "SELECT current_setting('max_locks_per_transaction')::int8 \
         * (current_setting('max_connections')::int8 + current_setting('max_prepared_transactions')::int8) / 4",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    // About ten locks a table: enough tables for twice the budget.
    let schema = many_tables(usize::try_from(budget).unwrap() / 5);
    let mut tx = conn.begin().await.unwrap();
    let err = schema.create_all(&mut tx).await.unwrap_err();
    let Error::TooLargeForTransaction { locks, budget: b } = err else {
        panic!("{err}");
    };
    assert_eq!(i64::try_from(b).unwrap(), budget);
    assert!(locks > b, "{locks} locks, budget {b}");
    assert!(pg_tables(&mut tx).await.is_empty());
    tx.commit().await.unwrap();
    // On the pool the same schema is split into transactions that fit.
    let report = schema.create_all(&db.pool).await.unwrap();
    assert_eq!(report.created.len(), schema.len());
}

#[tokio::test]
async fn sqlite_create_all_joins_an_immediate_transaction_and_its_rollback() {
    let db = common::sqlite().await;
    let mut conn = db.pool.acquire().await.unwrap();
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.unwrap();
    let report = schema().create_all(&mut tx).await.unwrap();
    assert_eq!(report.created, ["tx_ledger", "tx_entry"]);
    assert_eq!(sqlite_tables(&mut tx).await, ["tx_entry", "tx_ledger"]);
    tx.rollback().await.unwrap();
    assert!(sqlite_tables(&mut conn).await.is_empty());

    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.unwrap();
    schema().create_all(&mut tx).await.unwrap();
    // Still the caller's transaction: sqlx's account of it is unchanged.
    assert!(tx.is_in_transaction());
    tx.commit().await.unwrap();
    let mut other = db.pool.acquire().await.unwrap();
    assert_eq!(sqlite_tables(&mut other).await, ["tx_entry", "tx_ledger"]);
    // A failure rolls back to the savepoint only.
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.unwrap();
    tx.execute("CREATE TABLE callers_own (id INTEGER)")
        .await
        .unwrap();
    static CLASH: TableDef =
        TableDef::new("callers_view", "Clash").with_columns(&[ColumnDef::new("id", SqlType::I64)]);
    tx.execute("CREATE VIEW callers_view AS SELECT 1 AS id")
        .await
        .unwrap();
    let err = Models::new([&CLASH])
        .unwrap()
        .create_all(&mut tx)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NameTaken { .. }), "{err}");
    tx.commit().await.unwrap();
    assert_eq!(
        sqlite_tables(&mut conn).await,
        ["callers_own", "tx_entry", "tx_ledger"]
    );
}

#[tokio::test]
async fn sqlite_a_bare_connection_and_a_pooled_one_work_as_the_pool_does() {
    let db = common::sqlite().await;
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    let report = schema().create_all(&mut conn).await.unwrap();
    assert_eq!(report.created, ["tx_ledger", "tx_entry"]);
    assert!(!conn.is_in_transaction());
    let mut pooled = db.pool.acquire().await.unwrap();
    assert_eq!(sqlite_tables(&mut pooled).await, ["tx_entry", "tx_ledger"]);
    let dropped = schema().drop_all(&mut pooled).await.unwrap();
    assert_eq!(dropped.dropped, ["tx_entry", "tx_ledger"]);
    assert!(sqlite_tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn mysql_refuses_the_callers_transaction_and_runs_on_its_connection() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let mut conn = db.pool.acquire().await.unwrap();
    let mut tx = conn.begin().await.unwrap();
    for err in [
        schema().create_all(&mut tx).await.unwrap_err(),
        schema().migrate(&mut tx).await.map(|_| ()).unwrap_err(),
        schema().drop_all(&mut tx).await.map(|_| ()).unwrap_err(),
    ] {
        assert!(
            matches!(err, Error::ImplicitCommit { dialect: "MySQL" }),
            "{err}"
        );
    }
    // plan only reads: it runs in the transaction.
    let plan = schema().plan(&mut tx).await.unwrap();
    assert_eq!(plan.len(), 2);
    tx.rollback().await.unwrap();
    assert!(mysql_tables(&db.pool).await.is_empty());

    let conn = conn.acquire().await.unwrap();
    let report = schema().create_all(&mut *conn).await.unwrap();
    assert_eq!(report.created, ["tx_ledger", "tx_entry"]);
    assert_eq!(mysql_tables(&db.pool).await, ["tx_entry", "tx_ledger"]);
    schema().check(&mut *conn).await.unwrap();
}
