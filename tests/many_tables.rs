//! PostgreSQL at 2,000 and 5,000 tables on a server with the default
//! `max_locks_per_transaction = 64`: one transaction would run out of the shared lock table
//! ("out of shared memory"), so create_all splits the work into transactions that fit, and
//! a failure after the first says which tables were committed.

mod common;

use sqlx_table::{CheckDef, ColumnDef, Error, ForeignKeyDef, IndexDef, Models, SqlType, TableDef};

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

fn name(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// `n` tables like an application's: a key, a text column, an indexed column, a foreign
/// key to the first table, and a comment: about 13 locks each when created.
fn tables(n: usize) -> Vec<&'static TableDef> {
    let columns = leak(vec![
        ColumnDef::new("id", SqlType::I64),
        ColumnDef::new("name", SqlType::Text { max_length: None }),
        ColumnDef::new("v", SqlType::I32),
        ColumnDef::new("root_id", SqlType::I64).with_nullable(true),
    ]);
    let indexes = leak(vec![IndexDef::new(&["v"])]);
    let root: &'static TableDef = Box::leak(Box::new(
        TableDef::new("t_root", "Root")
            .with_columns(leak(vec![ColumnDef::new("id", SqlType::I64)]))
            .with_primary_key(&["id"]),
    ));
    let fks = leak(vec![ForeignKeyDef::new(&["root_id"], "t_root", &["id"])]);
    let mut out = vec![root];
    for i in 0..n - 1 {
        let table = name(format!("t_{i:05}"));
        out.push(Box::leak(Box::new(
            TableDef::new(table, table)
                .with_comment(Some("a table"))
                .with_columns(columns)
                .with_primary_key(&["id"])
                .with_indexes(indexes)
                .with_foreign_keys(fks),
        )));
    }
    out
}

async fn table_count(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn default_lock_settings(pool: &sqlx::PgPool) {
    let locks: String = sqlx::query_scalar("SHOW max_locks_per_transaction")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(
        locks, "64",
        "the test is about the default max_locks_per_transaction"
    );
}

async fn creates_every_table(n: usize) {
    let Some(db) = common::postgres().await else {
        return;
    };
    default_lock_settings(&db.pool).await;
    let schema = Models::new(tables(n)).unwrap();
    let report = schema.create_all(&db.pool).await.unwrap();
    assert_eq!(report.created.len(), n);
    assert_eq!(table_count(&db.pool).await, n as i64);
    // More than one transaction: more than the three requests of one (catalog, lock, DDL)
    // and the commit.
    assert!(report.round_trips > 4, "{} round trips", report.round_trips);
    let warm = schema.create_all(&db.pool).await.unwrap();
    assert!(warm.created.is_empty() && !warm.took_lock);
    // The session lock of a split run is released: no advisory lock is left.
    let advisory: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(advisory, 0);
}

/// One after the other, not in parallel: each run may hold a quarter of the server's lock
/// table, which other sessions of the shared test server need too.
#[tokio::test]
async fn postgres_creates_2000_then_5000_tables_on_a_default_server() {
    creates_every_table(2000).await;
    creates_every_table(5000).await;
}

/// A table that the server rejects after the first transaction: the error is
/// `Error::Partial`, naming the committed tables, which exist; the failed table doesn't.
#[tokio::test]
async fn postgres_a_failure_after_the_first_transaction_names_what_was_committed() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let mut all = tables(600);
    let bad: &'static TableDef = Box::leak(Box::new(
        TableDef::new("zz_bad", "Bad")
            .with_columns(leak(vec![ColumnDef::new("id", SqlType::I64)]))
            .with_primary_key(&["id"])
            .with_checks(leak(vec![CheckDef::new("no_such_column > 0")])),
    ));
    all.push(bad);
    let err = Models::new(all)
        .unwrap()
        .create_all(&db.pool)
        .await
        .unwrap_err();
    let Error::Partial { committed, source } = &err else {
        panic!("expected Error::Partial, got {err}");
    };
    assert!(
        matches!(**source, Error::Database { ref table, .. } if table == "zz_bad"),
        "{source}"
    );
    assert!(
        !committed.is_empty() && committed.len() < 600,
        "{}",
        committed.len()
    );
    assert!(
        err.to_string().contains("a re-run creates the rest"),
        "{err}"
    );
    let present = table_count(&db.pool).await;
    assert_eq!(present, committed.len() as i64);
    let bad_exists: bool = sqlx::query_scalar("SELECT to_regclass('zz_bad') IS NOT NULL")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(!bad_exists);
}
