//! A connection with nowhere to create the tables is a typed error that says what is wrong
//! and what to do, not a decoding error or a failed catalog query: PostgreSQL's search_path
//! naming no schema that exists, a MySQL URL without a database, a SQLite model whose schema
//! is not an attached database.

// The models exist for their tables; their fields are never read.
#![allow(dead_code)]

mod common;

use sqlx::Executor as _;
use sqlx::postgres::PgPoolOptions;
use sqlx_table::{Error, Models, Table};

#[derive(Table)]
pub struct Thing {
    #[table(primary_key)]
    pub id: i64,
}

#[derive(Table)]
#[table(schema = "aux")]
pub struct AuxThing {
    #[table(primary_key)]
    pub id: i64,
}

#[tokio::test]
async fn postgres_search_path_naming_no_schema_is_no_default_schema() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let pool = PgPoolOptions::new()
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("SET search_path = nowhere").await?;
                Ok(())
            })
        })
        .connect(&db.url)
        .await
        .unwrap();
    let err = Models::new([&Thing::DEF])
        .unwrap()
        .create_all(&pool)
        .await
        .unwrap_err();
    let Error::NoDefaultSchema { dialect, hint } = &err else {
        panic!("expected NoDefaultSchema, got {err}");
    };
    assert_eq!(*dialect, "PostgreSQL");
    assert!(hint.contains("search_path is `nowhere`"), "{hint}");
    assert!(err.to_string().contains("CREATE SCHEMA"), "{err}");
    pool.close().await;
}

#[tokio::test]
async fn mysql_url_without_a_database_is_no_default_schema() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let url = common::with_database(&db.url, "");
    let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
    let err = Models::new([&Thing::DEF])
        .unwrap()
        .create_all(&pool)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NoDefaultSchema { .. }), "{err}");
    assert!(err.to_string().contains("name one in the URL"), "{err}");
    pool.close().await;
}

#[tokio::test]
async fn sqlite_schema_not_attached_is_not_attached() {
    let db = common::sqlite().await;
    let err = Models::new([&Thing::DEF, &AuxThing::DEF])
        .unwrap()
        .create_all(&db.pool)
        .await
        .unwrap_err();
    let Error::NotAttached { schema, table } = &err else {
        panic!("expected NotAttached, got {err}");
    };
    assert_eq!((schema.as_str(), table.as_str()), ("aux", "aux.aux_thing"));
    assert!(err.to_string().contains("ATTACH DATABASE"), "{err}");
}
