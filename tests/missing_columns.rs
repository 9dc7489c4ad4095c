//! `create_all` with `Options::missing_columns` says when a table exists without a column
//! its model declares: a field in the report and a `tracing` warning, from the same one
//! catalog query as the warm start. Off by default (what it costs: BENCHMARKS.md).

mod common;
pub mod models;

use common::logs::Logs;
use sqlx::Pool;
use sqlx_table::{Backend, CreateReport, MissingColumn, Models, Options};

/// The models of this binary: `users` and `voices`.
fn schema() -> Models {
    Models::registered().unwrap()
}

fn look() -> Options {
    Options::default().missing_columns(true)
}

fn pairs(report: &CreateReport) -> Vec<(&str, &str)> {
    report
        .missing_columns
        .iter()
        .map(|MissingColumn { table, column, .. }| (table.as_str(), column.as_str()))
        .collect()
}

async fn run<DB: Backend>(pool: &Pool<DB>, drop_column: &str)
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    let schema = schema();
    let first = schema.create_all_with(pool, &look()).await.unwrap();
    assert_eq!(first.created, ["users", "voices"]);
    assert!(
        first.missing_columns.is_empty(),
        "{:?}",
        first.missing_columns
    );
    let warm = schema.create_all_with(pool, &look()).await.unwrap();
    assert_eq!(warm.round_trips, 1);
    assert!(
        warm.missing_columns.is_empty(),
        "{:?}",
        warm.missing_columns
    );

    // The deploy before the model gained `description` and `times_used`.
    sqlx::raw_sql(sqlx::AssertSqlSafe(drop_column.to_owned()))
        .execute(pool)
        .await
        .unwrap();

    let (logs, guard) = Logs::capture();
    let report = schema.create_all_with(pool, &look()).await.unwrap();
    drop(guard);
    assert_eq!(report.round_trips, 1, "still one catalog query");
    assert!(report.created.is_empty());
    assert!(report.statements.is_empty());
    assert_eq!(
        pairs(&report),
        [("voices", "description"), ("voices", "times_used")]
    );
    let text = logs.text();
    for column in ["description", "times_used"] {
        assert!(
            text.lines().any(|l| l.contains("WARN")
                && l.contains("table=voices")
                && l.contains(&format!("column=\"{column}\""))
                && l.contains("never alters a table")),
            "no warning for voices.{column}:\n{text}"
        );
    }

    // Off, the default: the plain listing, no report, no warning.
    let (logs, guard) = Logs::capture();
    let off = schema.create_all(pool).await.unwrap();
    drop(guard);
    assert_eq!(off.round_trips, 1);
    assert!(off.missing_columns.is_empty());
    assert!(!logs.text().contains("WARN"), "{}", logs.text());
}

#[tokio::test]
async fn sqlite_reports_a_missing_column() {
    let db = common::sqlite().await;
    run(
        &db.pool,
        "ALTER TABLE voices DROP COLUMN description; ALTER TABLE voices DROP COLUMN times_used",
    )
    .await;
}

#[tokio::test]
async fn postgres_reports_a_missing_column() {
    let Some(db) = common::postgres().await else {
        return;
    };
    run(
        &db.pool,
        "ALTER TABLE voices DROP COLUMN description, DROP COLUMN times_used",
    )
    .await;
}

#[tokio::test]
async fn mysql_reports_a_missing_column() {
    let Some(db) = common::mysql().await else {
        return;
    };
    run(
        &db.pool,
        "ALTER TABLE voices DROP COLUMN description, DROP COLUMN times_used",
    )
    .await;
}

/// SQLite and MySQL resolve column names without case: a column written in other case
/// by hand is not missing. PostgreSQL's quoted names are exact.
#[tokio::test]
async fn sqlite_column_names_compare_without_case() {
    let db = common::sqlite().await;
    let schema = schema();
    schema.create_all_with(&db.pool, &look()).await.unwrap();
    sqlx::raw_sql("ALTER TABLE voices RENAME COLUMN description TO DESCRIPTION")
        .execute(&db.pool)
        .await
        .unwrap();
    let report = schema.create_all_with(&db.pool, &look()).await.unwrap();
    assert!(
        report.missing_columns.is_empty(),
        "{:?}",
        report.missing_columns
    );
}

#[tokio::test]
async fn postgres_column_names_compare_exactly() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let schema = schema();
    schema.create_all_with(&db.pool, &look()).await.unwrap();
    sqlx::raw_sql(r#"ALTER TABLE voices RENAME COLUMN description TO "Description""#)
        .execute(&db.pool)
        .await
        .unwrap();
    let report = schema.create_all_with(&db.pool, &look()).await.unwrap();
    assert_eq!(pairs(&report), [("voices", "description")]);
}
