//! Tables in a named schema (`#[table(schema = "...")]`) on PostgreSQL, where a schema is a
//! namespace inside the test's own database.

mod common;

use sqlx_table::Table;

#[derive(Table)]
pub struct Customer {
    #[table(primary_key)]
    pub id: i64,
}

/// Lives in `audit`, references a table of the default schema and one of its own.
#[derive(Table)]
#[table(schema = "audit", name = "event")]
pub struct Event {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(references = Customer, index)]
    pub customer_id: i64,
    #[table(references = Kind)]
    pub kind_id: i32,
}

#[derive(Table)]
#[table(schema = "audit")]
pub struct Kind {
    #[table(primary_key)]
    pub id: i32,
}

#[tokio::test]
async fn postgres_creates_the_schema_and_its_tables_and_finds_them_again() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let report = sqlx_table::create_all(&db.pool).await.unwrap();
    assert_eq!(report.created, ["customer", "audit.kind", "audit.event"]);
    let found: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema::text, table_name::text FROM information_schema.tables \
         WHERE table_schema IN ('audit', current_schema()) ORDER BY 1, 2",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let found: Vec<(&str, &str)> = found
        .iter()
        .map(|(s, t)| (s.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("audit", "event"),
            ("audit", "kind"),
            ("public", "customer")
        ]
    );
    let fk: String = sqlx::query_scalar(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'fk_event_customer_id'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(fk, "FOREIGN KEY (customer_id) REFERENCES customer(id)");

    let again = sqlx_table::create_all(&db.pool).await.unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.round_trips, 1);
    // With the column lists: a named schema's tables are found with all their columns.
    let looked = sqlx_table::Models::registered()
        .unwrap()
        .create_all_with(
            &db.pool,
            &sqlx_table::Options::default().missing_columns(true),
        )
        .await
        .unwrap();
    assert_eq!(looked.round_trips, 1);
    assert!(
        looked.missing_columns.is_empty(),
        "{:?}",
        looked.missing_columns
    );
    let dropped = sqlx_table::drop_all(&db.pool).await.unwrap();
    assert_eq!(dropped.dropped, ["audit.event", "audit.kind", "customer"]);
}

#[test]
fn sqlite_rejects_a_foreign_key_into_another_schema() {
    let schema = sqlx_table::Models::registered().unwrap();
    let err = schema
        .create_script(sqlx_table::Dialect::Sqlite)
        .unwrap_err();
    assert_eq!(
        err.schema_problems(),
        [sqlx_table::SchemaError::CrossSchemaReference {
            table: "audit.event".into(),
            columns: "customer_id".into(),
            referenced: "customer".into(),
        }]
    );
}

#[test]
fn only_postgres_creates_schemas() {
    let schema = sqlx_table::Models::registered().unwrap();
    let pg = schema.create_script(sqlx_table::Dialect::Postgres).unwrap();
    assert!(
        pg.starts_with("CREATE SCHEMA IF NOT EXISTS \"audit\";\n"),
        "{pg}"
    );
    let my = schema.create_script(sqlx_table::Dialect::MySql).unwrap();
    assert!(
        !my.contains("CREATE SCHEMA") && !my.contains("CREATE DATABASE"),
        "{my}"
    );
}
