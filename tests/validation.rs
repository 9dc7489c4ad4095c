//! A bad schema is a typed error before any SQL runs; a statement the database rejects is
//! an error that names the statement and the table, and (where DDL is transactional) leaves
//! nothing behind.

// The models exist for their tables; their fields are never read.
#![allow(dead_code)]

mod common;

use std::error::Error as _;

use common::TestDb;
use sqlx_table::{Backend, Error, Models, SchemaError, Table};

// Two crates could each define a table named `accounts`: here, two modules do.
mod billing {
    #[derive(sqlx_table::Table)]
    #[table(name = "accounts")]
    pub struct Account {
        #[table(primary_key)]
        pub id: i64,
    }
}

mod auth {
    #[derive(sqlx_table::Table)]
    #[table(name = "accounts")]
    pub struct Account {
        #[table(primary_key)]
        pub id: i64,
    }
}

/// A foreign key to a table that no model defines.
#[derive(Table)]
pub struct Invoice {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = "customers(id)")]
    pub customer_id: i64,
}

/// Fine on its own; its index and comment are statements of their own on PostgreSQL and
/// SQLite, so the rejected statement is not the second of the batch.
#[derive(Table)]
pub struct Good {
    #[table(primary_key)]
    pub id: i64,
    /// A column comment.
    #[table(index)]
    pub rank: i32,
}

/// Valid to us, rejected by every database: the check names a column that doesn't exist.
#[derive(Table)]
pub struct Rejected {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Good)]
    pub good_id: i64,
    #[table(check = "no_such_column > 0")]
    pub amount: i64,
}

fn assert_duplicate_and_dangling(err: &Error) {
    let problems = err.schema_problems();
    assert_eq!(problems.len(), 2, "{err}");
    assert!(
        problems.contains(&SchemaError::DuplicateTable {
            table: "accounts".into(),
            types: vec!["validation::auth::Account", "validation::billing::Account"],
        }),
        "{err}"
    );
    assert!(
        problems.contains(&SchemaError::UnknownReference {
            table: "invoice".into(),
            columns: "customer_id".into(),
            referenced: "customers".into(),
        }),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("validation::auth::Account"), "{message}");
    assert!(message.contains("customers"), "{message}");
}

#[test]
fn registered_schema_reports_every_problem_at_once() {
    let err = Models::registered().unwrap_err();
    assert_duplicate_and_dangling(&err);
}

async fn invalid_schema_runs_no_sql<DB: Backend>(
    db: &TestDb<DB>,
    count_tables: impl AsyncFn() -> i64,
) {
    let err = sqlx_table::create_all(&db.pool).await.unwrap_err();
    assert_duplicate_and_dangling(&err);
    assert_eq!(count_tables().await, 0, "an invalid schema created tables");
}

async fn sqlite_tables(pool: &sqlx::SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn postgres_tables(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn mysql_tables(pool: &sqlx::MySqlPool) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn sqlite_invalid_schema_is_a_typed_error_and_creates_nothing() {
    let db = common::sqlite().await;
    invalid_schema_runs_no_sql(&db, async || sqlite_tables(&db.pool).await).await;
}

#[tokio::test]
async fn postgres_invalid_schema_is_a_typed_error_and_creates_nothing() {
    if let Some(db) = common::postgres().await {
        invalid_schema_runs_no_sql(&db, async || postgres_tables(&db.pool).await).await;
    }
}

#[tokio::test]
async fn mysql_invalid_schema_is_a_typed_error_and_creates_nothing() {
    if let Some(db) = common::mysql().await {
        invalid_schema_runs_no_sql(&db, async || mysql_tables(&db.pool).await).await;
    }
}

/// The error names the failing statement and its table. With `atomic`, the table created
/// before it in the same create_all is gone too.
async fn database_error_names_statement_and_table<DB: Backend>(
    db: &TestDb<DB>,
    count_tables: impl AsyncFn() -> i64,
    atomic: bool,
) {
    let schema = Models::new([&Good::DEF, &Rejected::DEF]).unwrap();
    let err = schema.create_all(&db.pool).await.unwrap_err();
    let Error::Database {
        table, statement, ..
    } = &err
    else {
        panic!("expected a database error, got {err}");
    };
    assert_eq!(table, "rejected", "{err}");
    assert!(statement.starts_with("CREATE TABLE"), "{statement}");
    assert!(statement.contains("no_such_column"), "{statement}");
    assert!(
        err.to_string()
            .contains("CREATE TABLE failed on table `rejected`"),
        "{err}"
    );
    // Walked as anyhow's `{:#}` walks it, the chain has the server's message once.
    let server = err
        .source()
        .and_then(|cause| {
            cause
                .downcast_ref::<sqlx_table::DatabaseCause>()?
                .sqlx()
                .as_database_error()
                .map(|e| e.message().to_owned())
        })
        .expect("the server's error is the source");
    let mut chain = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        next = cause.source();
    }
    assert_eq!(chain.matches(server.as_str()).count(), 1, "{chain}");
    assert_eq!(count_tables().await, if atomic { 0 } else { 1 });
    // The pool is still usable, and nothing is left locked.
    Models::new([&Good::DEF])
        .unwrap()
        .create_all(&db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn sqlite_database_error_names_statement_and_table_and_rolls_back() {
    let db = common::sqlite().await;
    database_error_names_statement_and_table(&db, async || sqlite_tables(&db.pool).await, true)
        .await;
}

#[tokio::test]
async fn postgres_database_error_names_statement_and_table_and_rolls_back() {
    if let Some(db) = common::postgres().await {
        database_error_names_statement_and_table(
            &db,
            async || postgres_tables(&db.pool).await,
            true,
        )
        .await;
    }
}

#[tokio::test]
async fn mysql_database_error_names_statement_and_table() {
    if let Some(db) = common::mysql().await {
        database_error_names_statement_and_table(&db, async || mysql_tables(&db.pool).await, false)
            .await;
    }
}

/// Valid to us; PostgreSQL rejects it with a hint ("No function matches the given name and
/// argument types...").
#[derive(Table)]
pub struct Hinted {
    #[table(primary_key)]
    pub id: i64,
    #[table(default_sql = "no_such_function(1)")]
    pub value: i64,
}

/// PostgreSQL's detail and hint are part of the error's message: for "out of shared
/// memory" the hint is what says to raise `max_locks_per_transaction`.
#[tokio::test]
async fn postgres_error_carries_the_server_hint() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let err = Models::new([&Hinted::DEF])
        .unwrap()
        .create_all(&db.pool)
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("CREATE TABLE failed on table `hinted`"),
        "{message}"
    );
    assert!(
        message.contains("\nhint: No function matches the given name and argument types"),
        "{message}"
    );
}
