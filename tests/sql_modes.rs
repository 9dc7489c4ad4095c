//! String literals (defaults, comments) are stored as written whatever the session's
//! settings: MariaDB's `sql_mode` (`NO_BACKSLASH_ESCAPES`, `ANSI_QUOTES`, `ANSI`) and
//! PostgreSQL's `standard_conforming_strings`. Each setting is set for the pool's sessions
//! only (`after_connect`), never globally on the shared server.

// The models exist for their tables; their fields are never read.
#![allow(dead_code)]

mod common;

use sqlx::Executor as _;
use sqlx::mysql::MySqlPoolOptions;
use sqlx::postgres::PgPoolOptions;
use sqlx_table::{Models, Table};

/// A path with a backslash\and a 'quote'.
#[derive(Table)]
pub struct Literal {
    #[table(primary_key)]
    pub id: i64,
    /// C:\dir\ and 'quoted'
    #[table(max_length = 40, default = "C:\\dir\\ it's \\n not a newline")]
    pub path: String,
}

const DEFAULT: &str = "C:\\dir\\ it's \\n not a newline";
const COMMENT: &str = "C:\\dir\\ and 'quoted'";

fn schema() -> Models {
    Models::new([&Literal::DEF]).unwrap()
}

#[tokio::test]
async fn mysql_literals_are_stored_as_written_under_every_sql_mode() {
    for mode in [
        "NO_BACKSLASH_ESCAPES",
        "ANSI_QUOTES",
        "ANSI",
        "ANSI,NO_BACKSLASH_ESCAPES",
    ] {
        let Some(db) = common::mysql().await else {
            return;
        };
        let set = format!("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',{mode}')");
        let pool = MySqlPoolOptions::new()
            .after_connect(move |conn, _| {
                let set = set.clone();
                Box::pin(async move {
                    conn.execute(sqlx::AssertSqlSafe(set)).await?;
                    Ok(())
                })
            })
            .connect(&db.url)
            .await
            .unwrap();
        let report = schema().create_all(&pool).await.unwrap();
        assert_eq!(report.created, ["literal"], "{mode}");
        // The session keeps its own mode after create_all.
        let now: String = sqlx::query_scalar("SELECT @@SESSION.sql_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(
            mode.split(',').all(|m| now.split(',').any(|n| n == m)),
            "{mode}: the session's sql_mode became {now}"
        );
        sqlx::raw_sql("INSERT INTO literal (id) VALUES (1)")
            .execute(&pool)
            .await
            .unwrap();
        let (path, comment): (String, String) = sqlx::query_as(
            "SELECT (SELECT path FROM literal), \
                    (SELECT COLUMN_COMMENT FROM information_schema.COLUMNS \
                     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'literal' AND COLUMN_NAME = 'path')",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(path, DEFAULT, "{mode}");
        assert_eq!(comment, COMMENT, "{mode}");
        let plan = schema().plan(&pool).await.unwrap();
        assert!(plan.is_empty(), "{mode}: {plan}");
        pool.close().await;
    }
}

#[tokio::test]
async fn postgres_literals_are_stored_as_written_whatever_standard_conforming_strings() {
    for setting in ["off", "on"] {
        let Some(db) = common::postgres().await else {
            return;
        };
        let set = format!("SET standard_conforming_strings = {setting}");
        let pool = PgPoolOptions::new()
            .after_connect(move |conn, _| {
                let set = set.clone();
                Box::pin(async move {
                    conn.execute(sqlx::AssertSqlSafe(set)).await?;
                    Ok(())
                })
            })
            .connect(&db.url)
            .await
            .unwrap();
        let report = schema().create_all(&pool).await.unwrap();
        assert_eq!(report.created, ["literal"], "{setting}");
        sqlx::raw_sql("INSERT INTO literal (id) VALUES (1)")
            .execute(&pool)
            .await
            .unwrap();
        let (path, comment): (String, String) = sqlx::query_as(
            "SELECT (SELECT path FROM literal), col_description('literal'::regclass, 2)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(path, DEFAULT, "{setting}");
        assert_eq!(comment, COMMENT, "{setting}");
        let plan = schema().plan(&pool).await.unwrap();
        assert!(plan.is_empty(), "{setting}: {plan}");
        pool.close().await;
    }
}

#[tokio::test]
async fn sqlite_literals_are_stored_as_written() {
    let db = common::sqlite().await;
    schema().create_all(&db.pool).await.unwrap();
    sqlx::raw_sql("INSERT INTO literal (id) VALUES (1)")
        .execute(&db.pool)
        .await
        .unwrap();
    let path: String = sqlx::query_scalar("SELECT path FROM literal")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(path, DEFAULT);
    let plan = schema().plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
}
