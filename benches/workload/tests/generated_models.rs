//! The benchmark's workload is real: its models build, `create_all` creates them on each
//! backend in dependency order, a catalog query (ours, not the library's) finds every table
//! and the foreign keys of the last one, and a second `create_all` finds them all.

#[path = "../../../tests/common/mod.rs"]
mod common;

use sqlx::{AssertSqlSafe, Pool, Row};

const N: usize = 200;

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

fn expected_tables() -> Vec<String> {
    sorted(
        std::iter::once("users".to_owned())
            .chain((0..N).map(workload::table_name))
            .collect(),
    )
}

/// What the last model's foreign keys reference: `users` and the model before it.
fn expected_references() -> Vec<String> {
    sorted(vec!["users".to_owned(), workload::table_name(N - 2)])
}

async fn create_and_create_again<DB: sqlx_table::Backend>(pool: &Pool<DB>) {
    let schema = workload::schema(N);
    let report = schema.create_all(pool).await.expect("cold create_all");
    assert!(report.existing.is_empty());
    // users, then each model after the one it references.
    let order: Vec<String> = std::iter::once("users".to_owned())
        .chain((0..N).map(workload::table_name))
        .collect();
    assert_eq!(report.created, order);

    let again = schema.create_all(pool).await.expect("warm create_all");
    assert!(again.created.is_empty());
    assert_eq!(again.existing.len(), N + 1);
    assert_eq!(again.round_trips, 1);
}

/// The first column of every row, as text, sorted.
async fn column<DB>(pool: &Pool<DB>, sql: String) -> Vec<String>
where
    DB: sqlx::Database,
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let rows = sqlx::raw_sql(AssertSqlSafe(sql))
        .fetch_all(pool)
        .await
        .expect("catalog query");
    sorted(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_models_are_created_and_found_on_sqlite() {
    let db = common::sqlite().await;
    create_and_create_again(&db.pool).await;
    let tables = column(
        &db.pool,
        "SELECT name FROM sqlite_schema WHERE type = 'table'".to_owned(),
    )
    .await;
    assert_eq!(tables, expected_tables());
    let last = workload::table_name(N - 1);
    let references = column(
        &db.pool,
        format!("SELECT \"table\" FROM pragma_foreign_key_list('{last}')"),
    )
    .await;
    assert_eq!(references, expected_references());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_models_are_created_and_found_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    create_and_create_again(&db.pool).await;
    let tables = column(
        &db.pool,
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            .to_owned(),
    )
    .await;
    assert_eq!(tables, expected_tables());
    let last = workload::table_name(N - 1);
    let references = column(
        &db.pool,
        format!(
            "SELECT confrelid::regclass::text FROM pg_catalog.pg_constraint \
             WHERE contype = 'f' AND conrelid = '\"{last}\"'::regclass"
        ),
    )
    .await;
    assert_eq!(references, expected_references());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_models_are_created_and_found_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    create_and_create_again(&db.pool).await;
    let tables = column(
        &db.pool,
        "SELECT CONVERT(TABLE_NAME USING utf8mb4) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"
            .to_owned(),
    )
    .await;
    assert_eq!(tables, expected_tables());
    let last = workload::table_name(N - 1);
    let references = column(
        &db.pool,
        format!(
            "SELECT CONVERT(REFERENCED_TABLE_NAME USING utf8mb4) \
             FROM information_schema.REFERENTIAL_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = '{last}'"
        ),
    )
    .await;
    assert_eq!(references, expected_references());
}
