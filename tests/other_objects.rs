//! Whatever kind of table the server has is seen as a table (MariaDB's system-versioned
//! tables, PostgreSQL's partitioned and foreign tables), and an object that is not a table
//! but has a model's name (a view, a sequence, an index) is `Error::NameTaken` before any
//! table is created, not a failed `CREATE TABLE` on every start.

// The models exist for their tables; their fields are never read.
#![allow(dead_code)]

mod common;

use common::TestDb;
use sqlx_table::{Backend, Error, Models, Table};

#[derive(Table)]
pub struct Gadget {
    #[table(primary_key)]
    pub id: i64,
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

async fn run(pool: &sqlx::AnyPool, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn any<DB: Backend>(db: &TestDb<DB>) -> sqlx::AnyPool {
    sqlx::AnyPool::connect(&db.url).await.unwrap()
}

/// `object_sql` makes an object named `gadget` that is not a table: create_all refuses
/// with `NameTaken` naming its kind, and creates nothing (not even `part`, which has no
/// clash: the check runs before any DDL).
async fn name_taken<DB: Backend>(db: &TestDb<DB>, object_sql: &str, kind: &str, count_sql: &str) {
    let pool = any(db).await;
    run(&pool, object_sql).await;
    let err = schema().create_all(&db.pool).await.unwrap_err();
    match &err {
        Error::NameTaken { table, kind: k } => {
            assert_eq!((table.as_str(), k.as_str()), ("gadget", kind), "{err}");
        }
        other => panic!("expected NameTaken, got {other}"),
    }
    assert!(
        err.to_string()
            .contains(&format!("has a {kind} of that name")),
        "{err}"
    );
    let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "a table was created");
    // The lock was let go: a second attempt gives the same answer at once.
    let again = schema().create_all(&db.pool).await.unwrap_err();
    assert!(matches!(again, Error::NameTaken { .. }), "{again}");
}

const SQLITE_TABLES: &str =
    "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('gadget', 'part')";
const PG_TABLES: &str = "SELECT COUNT(*) FROM pg_tables WHERE tablename IN ('gadget', 'part')";
const MYSQL_TABLES: &str = "SELECT COUNT(*) FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";

#[tokio::test]
async fn sqlite_a_view_or_index_with_a_models_name_is_name_taken() {
    name_taken(
        &common::sqlite().await,
        "CREATE VIEW gadget AS SELECT 1 AS x",
        "view",
        SQLITE_TABLES,
    )
    .await;
    name_taken(
        &common::sqlite().await,
        "CREATE TABLE other (x INTEGER); CREATE INDEX gadget ON other (x)",
        "index",
        SQLITE_TABLES,
    )
    .await;
}

#[tokio::test]
async fn sqlite_a_table_whose_name_differs_in_case_is_the_models_table() {
    let db = common::sqlite().await;
    run(
        &any(&db).await,
        "CREATE TABLE \"GADGET\" (id INTEGER PRIMARY KEY, rank INTEGER NOT NULL)",
    )
    .await;
    let report = schema().create_all(&db.pool).await.unwrap();
    assert_eq!(
        (report.created, report.existing),
        (vec!["part".to_owned()], vec!["gadget".to_owned()])
    );
}

#[tokio::test]
async fn postgres_a_view_sequence_or_index_with_a_models_name_is_name_taken() {
    for (sql, kind) in [
        ("CREATE VIEW gadget AS SELECT 1 AS x", "view"),
        (
            "CREATE MATERIALIZED VIEW gadget AS SELECT 1 AS x",
            "materialized view",
        ),
        ("CREATE SEQUENCE gadget", "sequence"),
        (
            "CREATE TABLE other (x int); CREATE INDEX gadget ON other (x)",
            "index",
        ),
    ] {
        let Some(db) = common::postgres().await else {
            return;
        };
        name_taken(&db, sql, kind, PG_TABLES).await;
    }
}

#[tokio::test]
async fn postgres_partitioned_and_foreign_tables_are_tables() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let pool = any(&db).await;
    run(
        &pool,
        "CREATE TABLE gadget (id bigint NOT NULL, rank integer NOT NULL, PRIMARY KEY (id)) PARTITION BY RANGE (id); \
         CREATE TABLE gadget_all PARTITION OF gadget FOR VALUES FROM (MINVALUE) TO (MAXVALUE); \
         CREATE EXTENSION file_fdw; CREATE SERVER files FOREIGN DATA WRAPPER file_fdw; \
         CREATE FOREIGN TABLE part (id bigint, gadget_id bigint) SERVER files OPTIONS (filename '/dev/null')",
    )
    .await;
    let report = schema().create_all(&db.pool).await.unwrap();
    assert!(report.created.is_empty(), "{:?}", report.created);
    assert!(
        !report.took_lock,
        "the first catalog query must see both as tables"
    );
}

#[tokio::test]
async fn mysql_a_view_or_sequence_with_a_models_name_is_name_taken() {
    for (sql, kind) in [
        ("CREATE VIEW gadget AS SELECT 1 AS x", "view"),
        ("CREATE SEQUENCE gadget", "sequence"),
    ] {
        let Some(db) = common::mysql().await else {
            return;
        };
        name_taken(&db, sql, kind, MYSQL_TABLES).await;
    }
}

/// A DBA adds system versioning for auditing: MariaDB then calls the table `SYSTEM
/// VERSIONED`, not `BASE TABLE`, and it must still count as the model's table.
#[tokio::test]
async fn mysql_a_system_versioned_table_is_still_the_models_table() {
    let Some(db) = common::mysql().await else {
        return;
    };
    schema().create_all(&db.pool).await.unwrap();
    run(&any(&db).await, "ALTER TABLE gadget ADD SYSTEM VERSIONING").await;
    let report = schema().create_all(&db.pool).await.unwrap();
    assert!(report.created.is_empty(), "{:?}", report.created);
    assert!(!report.took_lock);
    assert_eq!(report.existing, ["gadget", "part"]);
}
