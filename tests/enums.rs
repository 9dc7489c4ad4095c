//! Enum columns (`#[derive(sqlx::Type, ColumnEnum)]`) on every backend: the database keeps
//! them to the variants, PostgreSQL's enum type is created once before the tables and
//! dropped after them, a created schema plans empty, and a new variant is a difference.

mod common;

use sqlx_table::plan::Change;
use sqlx_table::{ColumnEnum, Dialect, Models, Table};

#[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, ColumnEnum)]
#[sqlx(type_name = "mood", rename_all = "kebab-case")]
pub enum Mood {
    Sad,
    VeryHappy,
}

#[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, ColumnEnum)]
#[repr(i16)]
pub enum Priority {
    Low = 1,
    High = 5,
}

#[derive(Table)]
#[table(name = "enum_posts")]
pub struct Post {
    #[table(primary_key)]
    pub id: i64,
    pub mood: Mood,
    pub priority: Option<Priority>,
}

#[derive(Table)]
#[table(name = "enum_comments")]
pub struct Comment {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = "sad")]
    pub mood: Mood,
}

/// The same tables, with one more variant in each enum.
mod later {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, ColumnEnum)]
    #[sqlx(type_name = "mood", rename_all = "kebab-case")]
    pub enum Mood {
        Sad,
        VeryHappy,
        Calm,
    }

    #[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, ColumnEnum)]
    #[repr(i16)]
    pub enum Priority {
        Low = 1,
        High = 5,
        Urgent = 9,
    }

    // Only its table is used; Rust never reads the fields.
    #[allow(dead_code)]
    #[derive(Table)]
    #[table(name = "enum_posts")]
    pub struct Post {
        #[table(primary_key)]
        pub id: i64,
        pub mood: Mood,
        pub priority: Option<Priority>,
    }
}

fn schema() -> Models {
    Models::new([&Post::DEF, &Comment::DEF]).unwrap()
}

/// Creates the tables, inserts the variants through sqlx, and checks that the database
/// refuses a value no variant has, text and integer.
macro_rules! constrained {
    ($db:expr, $dialect:expr) => {{
        let pool = &$db.pool;
        let dialect: Dialect = $dialect;
        schema().create_all(pool).await.unwrap();
        let p = |n: usize| match dialect {
            Dialect::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        };
        let insert = format!(
            "INSERT INTO enum_posts (id, mood, priority) VALUES ({}, {}, {})",
            p(1),
            p(2),
            p(3)
        );
        sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
            .bind(1_i64)
            .bind(Mood::VeryHappy)
            .bind(Some(Priority::High))
            .execute(pool)
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(insert))
            .bind(2_i64)
            .bind(Mood::Sad)
            .bind(None::<Priority>)
            .execute(pool)
            .await
            .unwrap();
        // The text sqlx wrote is the variant's name after `rename_all`.
        let cast = match dialect {
            Dialect::Postgres => "mood::text",
            Dialect::MySql => "CONCAT(mood)",
            Dialect::Sqlite => "mood",
            other => unreachable!("no test database for {other:?}"),
        };
        let names: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {cast} FROM enum_posts ORDER BY id"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(names, ["very-happy", "sad"]);
        for bad in [
            "INSERT INTO enum_posts (id, mood) VALUES (3, 'angry')",
            "INSERT INTO enum_posts (id, mood, priority) VALUES (4, 'sad', 2)",
        ] {
            let err = sqlx::query(bad).execute(pool).await.unwrap_err();
            assert!(err.as_database_error().is_some(), "{bad}: {err}");
        }
        // The default of a text enum is a variant's name.
        sqlx::query("INSERT INTO enum_comments (id) VALUES (1)")
            .execute(pool)
            .await
            .unwrap();
        let plan = schema().plan(pool).await.unwrap();
        assert!(plan.is_empty(), "a created schema plans empty:\n{plan}");

        // One more variant is a difference.
        let later = Models::new([&later::Post::DEF]).unwrap();
        let plan = later.plan(pool).await.unwrap();
        let changes: Vec<&Change> = plan
            .steps()
            .iter()
            .map(|s| &s.change)
            .filter(|c| !matches!(c, Change::UnknownTable { .. }))
            .collect();
        (
            plan.to_sql(),
            changes.into_iter().cloned().collect::<Vec<Change>>(),
        )
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enum_columns_hold_only_their_variants_on_sqlite() {
    let db = common::sqlite().await;
    let (_, changes) = constrained!(db, Dialect::Sqlite);
    // SQLite: text and integer enums are each a CHECK.
    let columns: Vec<&str> = changes
        .iter()
        .map(|c| match c {
            Change::ChangeEnumValues { column, live, .. } => {
                assert!(live.is_some(), "the old check is the one changed: {c:?}");
                column.name
            }
            other => panic!("unexpected change {other:?}"),
        })
        .collect();
    assert_eq!(columns, ["mood", "priority"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enum_columns_hold_only_their_variants_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let (_, changes) = constrained!(db, Dialect::MySql);
    // MySQL: a text enum is an ENUM type, an integer one a CHECK.
    assert!(
        matches!(
            changes.as_slice(),
            [
                Change::ChangeColumnType { column: m, live, .. },
                Change::ChangeEnumValues { column: p, .. },
            ] if m.name == "mood" && live == "enum('sad','very-happy')" && p.name == "priority"
        ),
        "{changes:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enum_columns_hold_only_their_variants_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let (sql, changes) = constrained!(db, Dialect::Postgres);
    // PostgreSQL: the text enum's type lacks a value, which ADD VALUE adds in place; the
    // integer enum's CHECK is a change for a person.
    assert!(
        matches!(
            changes.as_slice(),
            [
                Change::AddEnumValues { live, .. },
                Change::ChangeEnumValues { column, .. },
            ] if live == &["sad", "very-happy"] && column.name == "priority"
        ),
        "{changes:#?}"
    );
    assert!(
        sql.contains("ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'calm' AFTER 'very-happy';"),
        "{sql}"
    );
    let later = Models::new([&later::Post::DEF]).unwrap();
    later.migrate(&db.pool).await.unwrap();
    let labels: Vec<String> = sqlx::query_scalar(
        "SELECT enumlabel::text FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid \
         WHERE t.typname = 'mood' ORDER BY e.enumsortorder",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(labels, ["sad", "very-happy", "calm"]);
    sqlx::query("INSERT INTO enum_posts (id, mood) VALUES (5, $1)")
        .bind(later::Mood::Calm)
        .execute(&db.pool)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_plan_creates_a_missing_enum_type_before_its_table() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let plan = schema().plan(&db.pool).await.unwrap();
    let statements: Vec<String> = plan.safe_statements().into_iter().map(|s| s.sql).collect();
    assert!(
        statements[0].contains("CREATE TYPE \"mood\""),
        "{statements:#?}"
    );
    assert_eq!(
        statements
            .iter()
            .filter(|s| s.contains("CREATE TYPE"))
            .count(),
        1
    );
    schema().migrate(&db.pool).await.unwrap();
    let plan = schema().plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_enum_type_is_created_once_before_its_tables_and_dropped_after() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let pool = &db.pool;
    let statements = schema().create_statements(Dialect::Postgres).unwrap();
    let types: Vec<&str> = statements
        .iter()
        .map(|s| s.sql.as_str())
        .filter(|s| s.contains("CREATE TYPE"))
        .collect();
    assert_eq!(
        types,
        [
            "DO $$ BEGIN CREATE TYPE \"mood\" AS ENUM ('sad', 'very-happy'); EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        ]
    );
    assert!(
        statements[0].sql.contains("CREATE TYPE"),
        "before the tables"
    );

    let report = schema().create_all(pool).await.unwrap();
    assert_eq!(report.created.len(), 2, "{report:?}");
    let labels: Vec<String> = sqlx::query_scalar(
        "SELECT enumlabel::text FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid \
         WHERE t.typname = 'mood' ORDER BY e.enumsortorder",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(labels, ["sad", "very-happy"]);

    // A type left behind by a half-finished run is no error: the tables are still made.
    sqlx::query("DROP TABLE enum_comments")
        .execute(pool)
        .await
        .unwrap();
    let report = schema().create_all(pool).await.unwrap();
    assert_eq!(report.created, ["enum_comments"]);

    schema().drop_all(pool).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_type WHERE typname = 'mood'")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "drop_all drops the type after its tables");
}

/// An array of a text enum: PostgreSQL's `mood[]`, whose type is created before the table.
#[derive(Table)]
#[table(name = "enum_diaries")]
pub struct Diary {
    #[table(primary_key)]
    pub id: i64,
    pub moods: Vec<Mood>,
    pub past: Option<Vec<Mood>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrays_of_a_text_enum_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let diaries = Models::new([&Diary::DEF]).unwrap();
    let script: Vec<String> = diaries
        .create_statements(Dialect::Postgres)
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .collect();
    let script = script.join(";\n");
    assert!(script.contains("\"moods\" \"mood\"[] NOT NULL"), "{script}");
    diaries.create_all(&db.pool).await.unwrap();
    let plan = diaries.plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "a created schema plans empty:\n{plan}");

    let moods = vec![Mood::VeryHappy, Mood::Sad];
    sqlx::query("INSERT INTO enum_diaries (id, moods, past) VALUES (1, $1, NULL)")
        .bind(&moods)
        .execute(&db.pool)
        .await
        .unwrap();
    let (read, past): (Vec<Mood>, Option<Vec<Mood>>) =
        sqlx::query_as("SELECT moods, past FROM enum_diaries WHERE id = 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((read, past), (moods, None));
    let err = sqlx::query("INSERT INTO enum_diaries (id, moods) VALUES (2, '{sad,angry}')")
        .execute(&db.pool)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid input value for enum mood"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrays_of_a_text_enum_are_refused_elsewhere() {
    let diaries = Models::new([&Diary::DEF]).unwrap();
    for dialect in [Dialect::Sqlite, Dialect::MySql] {
        let err = diaries.create_statements(dialect).unwrap_err();
        assert!(
            err.schema_problems().iter().all(|p| matches!(
                p,
                sqlx_table::SchemaError::UnsupportedType { column, .. } if column == "moods" || column == "past"
            )) && err.schema_problems().len() == 2,
            "{err}"
        );
    }
}
