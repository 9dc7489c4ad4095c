//! The full DDL script of each model set on each dialect, as insta snapshots
//! (`tests/snapshots/*.snap`, reviewed in the diff), and every one of those scripts run by
//! `create_all` and `drop_all` on each real backend.
//!
//! Update the snapshots on purpose, then read every changed `.snap`:
//! `INSTA_UPDATE=always cargo test --all-features --test snapshots`.
//!
//! The model sets are `tests/sets`, shared with tests/plan.rs.

mod common;
pub mod models;
pub mod sets;

use sqlx_table::{Dialect, Models, SchemaError, Table};

use sets::*;

// ---------------------------------------------------------------------------------------

const DIALECTS: [(Dialect, &str); 3] = [
    (Dialect::Postgres, "postgres"),
    (Dialect::Sqlite, "sqlite"),
    (Dialect::MySql, "mysql"),
];

/// The script, or the typed problems that stop it, as one text to snapshot.
fn script_or_problems(schema: &Models, dialect: Dialect) -> String {
    match schema.create_script(dialect) {
        Ok(script) => script,
        Err(e) => format!("{e}\n\n{:#?}", e.schema_problems()),
    }
}

fn snapshot_all_dialects(set: &str) {
    let schema = schema(set);
    for (dialect, suffix) in DIALECTS {
        insta::assert_snapshot!(
            format!("{set}__{suffix}"),
            script_or_problems(&schema, dialect)
        );
    }
}

#[test]
fn users_and_voices_script() {
    snapshot_all_dialects("users_voices");
}

#[test]
fn wide_model_script() {
    snapshot_all_dialects("wide");
}

#[test]
fn unsigned_script_and_postgres_refusal() {
    snapshot_all_dialects("unsigned");
    let problems = schema("unsigned")
        .create_script(Dialect::Postgres)
        .unwrap_err()
        .schema_problems()
        .to_vec();
    let columns: Vec<&str> = problems
        .iter()
        .map(|p| match p {
            SchemaError::UnsupportedType {
                table,
                column,
                dialect,
                ..
            } => {
                assert_eq!((table.as_str(), *dialect), ("unsigned", "PostgreSQL"));
                column.as_str()
            }
            other => panic!("unexpected problem {other:?}"),
        })
        .collect();
    assert_eq!(columns, ["id", "byte", "short", "maybe"]);

    snapshot_all_dialects("unsigned_64");
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let err = schema("unsigned_64").create_script(dialect).unwrap_err();
        assert!(
            matches!(
                err.schema_problems(),
                [
                    SchemaError::UnsupportedType { column: a, .. },
                    SchemaError::UnsupportedType { column: b, .. },
                ] if a == "id" && b == "long"
            ),
            "{err}"
        );
    }
}

#[test]
fn offset_times_script_and_mysql_refusal() {
    snapshot_all_dialects("offset_times");
    let problems = schema("offset_times")
        .create_script(Dialect::MySql)
        .unwrap_err()
        .schema_problems()
        .to_vec();
    assert!(
        matches!(
            problems.as_slice(),
            [
                SchemaError::UnsupportedType { column: a, dialect: "MySQL", .. },
                SchemaError::UnsupportedType { column: b, dialect: "MySQL", .. },
            ] if a == "at" && b == "maybe_at"
        ),
        "{problems:?}"
    );
}

#[test]
fn typed_script() {
    snapshot_all_dialects("typed");
}

#[test]
fn postgres_types_script_and_refusals_elsewhere() {
    snapshot_all_dialects("postgres_types");
    let schema = schema("postgres_types");
    assert!(schema.validate_for(Dialect::Postgres).is_ok());
    for dialect in [Dialect::MySql, Dialect::Sqlite] {
        assert!(
            schema.validate_for(dialect).is_err(),
            "{} refuses decimals, networks, arrays, partial indexes or deferral",
            dialect.name()
        );
    }
}

#[test]
fn named_schema_script() {
    snapshot_all_dialects("named_schema");
}

#[test]
fn reserved_words_script() {
    snapshot_all_dialects("reserved_words");
}

#[test]
fn long_names_script() {
    snapshot_all_dialects("long_names");
    snapshot_all_dialects("too_long_for_postgres");
    snapshot_all_dialects("too_long");
}

/// The identifiers that follow `CONSTRAINT` or `INDEX` in a PostgreSQL script.
fn generated_names(script: &str) -> Vec<String> {
    let mut names = Vec::new();
    for keyword in ["CONSTRAINT \"", "INDEX \""] {
        for (i, _) in script.match_indices(keyword) {
            let rest = &script[i + keyword.len()..];
            names.push(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    names
}

#[test]
fn generated_names_stay_within_63_bytes_distinct_and_deterministic() {
    let script = schema("long_names")
        .create_script(Dialect::Postgres)
        .unwrap();
    let names = generated_names(&script);
    // Parent: 3 indexes, 2 uniques, 2 checks; child: 1 index, 2 foreign keys.
    assert_eq!(names.len(), 10, "{names:#?}");
    for name in &names {
        assert!(name.len() <= 63, "{name} is {} bytes", name.len());
    }
    let mut distinct = names.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), names.len(), "{names:#?}");
    // Long names are cut and hashed, never silently truncated by the server.
    assert!(names.iter().any(|n| n.len() == 63), "{names:#?}");
    // The same models give the same names in a schema of their own.
    let alone = Models::new([&LongNames::DEF]).unwrap();
    for name in generated_names(&alone.create_script(Dialect::Postgres).unwrap()) {
        assert!(names.contains(&name), "{name} differs when rendered alone");
    }
}

#[test]
fn names_over_the_limit_are_refused_on_postgres_and_mysql() {
    let too_long = schema("too_long");
    for (dialect, max) in [(Dialect::Postgres, 63), (Dialect::MySql, 64)] {
        let err = too_long.create_script(dialect).unwrap_err();
        let kinds: Vec<(&str, usize)> = err
            .schema_problems()
            .iter()
            .map(|p| match p {
                SchemaError::IdentifierTooLong {
                    kind, len, max: m, ..
                } => {
                    assert_eq!(*m, max);
                    (*kind, *len)
                }
                other => panic!("unexpected problem {other:?}"),
            })
            .collect();
        assert_eq!(kinds, [("table", 74), ("column", 67)], "{dialect:?}");
    }
    assert!(too_long.create_script(Dialect::Sqlite).is_ok());

    let just_over = schema("too_long_for_postgres");
    assert!(matches!(
        just_over
            .create_script(Dialect::Postgres)
            .unwrap_err()
            .schema_problems(),
        [SchemaError::IdentifierTooLong {
            len: 64,
            max: 63,
            ..
        }]
    ));
    assert!(just_over.create_script(Dialect::MySql).is_ok());
    assert_eq!(LONG_TABLE.len(), 63);
    assert!(
        schema("long_names")
            .create_script(Dialect::Postgres)
            .is_ok()
    );
}

// ---------------------------------------------------------------------------------------
// Every snapshot script, run on every backend that takes it.

/// The sets that `dialect` accepts, and those it refuses (checked to be refused).
fn sets_for(dialect: Dialect) -> Vec<(&'static str, Models)> {
    sets()
        .into_iter()
        .map(|(name, _)| (name, schema(name)))
        .filter(|(name, schema)| {
            let valid = schema.validate_for(dialect).is_ok();
            let expected = match (dialect, *name) {
                (_, "too_long") => dialect == Dialect::Sqlite,
                (Dialect::Postgres, "unsigned" | "unsigned_64" | "too_long_for_postgres") => false,
                (Dialect::Sqlite, "unsigned_64") => false,
                (Dialect::MySql, "offset_times") => false,
                (Dialect::MySql | Dialect::Sqlite, "postgres_types") => false,
                _ => true,
            };
            assert_eq!(valid, expected, "{name} on {dialect:?}");
            valid
        })
        .collect()
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

fn expected_tables(schema: &Models) -> Vec<String> {
    sorted(schema.tables().map(|t| t.qualified_name()).collect())
}

async fn sqlite_tables(pool: &sqlx::SqlitePool) -> Vec<String> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT 'main', name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         UNION ALL SELECT 'audit', name FROM audit.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    sorted(
        rows.into_iter()
            .map(|(schema, name)| match schema.as_str() {
                "main" => name,
                _ => format!("{schema}.{name}"),
            })
            .collect(),
    )
}

async fn postgres_tables(pool: &sqlx::PgPool) -> Vec<String> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema::text, table_name::text FROM information_schema.tables \
         WHERE table_schema IN (current_schema(), 'audit') AND table_type = 'BASE TABLE'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    sorted(
        rows.into_iter()
            .map(|(schema, name)| match schema.as_str() {
                "public" => name,
                _ => format!("{schema}.{name}"),
            })
            .collect(),
    )
}

async fn mysql_tables(pool: &sqlx::MySqlPool) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT CONVERT(TABLE_NAME USING utf8mb4) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    sorted(rows.into_iter().map(|(n,)| n).collect())
}

/// Creates the set, checks that every statement of its script ran and its tables are in the
/// catalog, then drops it and checks they are gone.
macro_rules! create_and_drop {
    ($pool:expr, $dialect:expr, $name:expr, $schema:expr, $tables:ident) => {{
        let (pool, name, schema) = ($pool, $name, $schema);
        let report = schema
            .create_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{name} on {:?}: {e}", $dialect));
        assert_eq!(
            report.statements,
            schema.create_statements($dialect).unwrap(),
            "{name}"
        );
        assert_eq!(
            sorted(report.created.clone()),
            expected_tables(&schema),
            "{name}"
        );
        assert_eq!($tables(pool).await, expected_tables(&schema), "{name}");
        let dropped = schema
            .drop_all(pool)
            .await
            .unwrap_or_else(|e| panic!("drop {name} on {:?}: {e}", $dialect));
        assert_eq!(sorted(dropped.dropped), expected_tables(&schema), "{name}");
        assert_eq!($tables(pool).await, Vec::<String>::new(), "{name}");
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snapshot_script_runs_on_sqlite() {
    for (name, schema) in sets_for(Dialect::Sqlite) {
        let db = common::sqlite().await;
        // A named schema is an attached database on SQLite: one connection, so that the
        // attachment holds for every statement.
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql("ATTACH DATABASE ':memory:' AS audit")
                        .execute(conn)
                        .await
                        .map(|_| ())
                })
            })
            .connect(&db.url)
            .await
            .unwrap();
        sqlx::raw_sql("PRAGMA foreign_keys = ON")
            .execute(&pool)
            .await
            .unwrap();
        create_and_drop!(&pool, Dialect::Sqlite, name, schema, sqlite_tables);
        pool.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snapshot_script_runs_on_postgres() {
    for (name, schema) in sets_for(Dialect::Postgres) {
        let Some(db) = common::postgres().await else {
            return;
        };
        create_and_drop!(&db.pool, Dialect::Postgres, name, schema, postgres_tables);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snapshot_script_runs_on_mysql() {
    for (name, schema) in sets_for(Dialect::MySql) {
        // A named schema is a database on MySQL, shared by the whole server: not here.
        if name == "named_schema" {
            continue;
        }
        let Some(db) = common::mysql().await else {
            return;
        };
        create_and_drop!(&db.pool, Dialect::MySql, name, schema, mysql_tables);
    }
}
