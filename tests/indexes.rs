//! Partial, descending and expression indexes (`index(a desc, "lower(b)", where = "...")`):
//! created as written on PostgreSQL and SQLite, read back so that a created schema plans
//! empty and a changed predicate is a difference; MySQL takes descending columns and
//! refuses the rest before any SQL.

mod common;

use sqlx_table::plan::Change;
use sqlx_table::{Dialect, Models, SchemaError, Table};

/// Every kind of index. (Only the tables are used; Rust never reads the fields.)
#[allow(dead_code)]
#[derive(Table)]
#[table(
    name = "accounts",
    index(created_at desc, id),
    index(email, where = "deleted_at IS NULL"),
    index("lower(email)", name = "ix_accounts_email_lower"),
    index(region asc, "length(email)" desc, name = "ix_accounts_region_len", where = "region <> 'x'")
)]
pub struct Account {
    #[table(primary_key)]
    pub id: i64,
    #[table(max_length = 200)]
    pub email: String,
    #[table(max_length = 20)]
    pub region: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

/// The same table, with the partial index's predicate changed.
#[allow(dead_code)]
mod later {
    use super::*;

    /// Every kind of index. (Only the tables are used; Rust never reads the fields.)
    #[derive(Table)]
    #[table(
        name = "accounts",
        index(created_at desc, id),
        index(email, where = "deleted_at IS NOT NULL"),
        index("lower(email)", name = "ix_accounts_email_lower"),
        index(region asc, "length(email)" desc, name = "ix_accounts_region_len", where = "region <> 'x'")
    )]
    pub struct Account {
        #[table(primary_key)]
        pub id: i64,
        #[table(max_length = 200)]
        pub email: String,
        #[table(max_length = 20)]
        pub region: String,
        pub created_at: i64,
        pub deleted_at: Option<i64>,
    }
}

/// Descending columns alone: what MySQL takes.
#[allow(dead_code)]
#[derive(Table)]
#[table(name = "events", index(at desc, kind))]
pub struct Event {
    #[table(primary_key)]
    pub id: i64,
    pub at: i64,
    #[table(max_length = 20)]
    pub kind: String,
}

fn accounts() -> Models {
    Models::new([&Account::DEF]).unwrap()
}

fn statements(dialect: Dialect) -> Vec<String> {
    accounts()
        .create_statements(dialect)
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .filter(|s| s.starts_with("CREATE INDEX"))
        .collect()
}

#[test]
fn indexes_are_written_with_their_directions_expressions_and_predicates() {
    assert_eq!(
        statements(Dialect::Postgres),
        [
            "CREATE INDEX \"ix_accounts_created_at_id\" ON \"accounts\" (\"created_at\" DESC, \"id\")",
            "CREATE INDEX \"ix_accounts_email\" ON \"accounts\" (\"email\") WHERE deleted_at IS NULL",
            "CREATE INDEX \"ix_accounts_email_lower\" ON \"accounts\" ((lower(email)))",
            "CREATE INDEX \"ix_accounts_region_len\" ON \"accounts\" (\"region\", (length(email)) DESC) WHERE region <> 'x'",
        ]
    );
    assert_eq!(statements(Dialect::Sqlite), statements(Dialect::Postgres));
}

/// Creates the accounts, checks the plan is empty, then that the changed predicate is the
/// one difference.
macro_rules! created_and_planned {
    ($pool:expr) => {{
        let pool = $pool;
        accounts().create_all(pool).await.unwrap();
        let plan = accounts().plan(pool).await.unwrap();
        assert!(plan.is_empty(), "a created schema plans empty:\n{plan}");
        let plan = Models::new([&later::Account::DEF])
            .unwrap()
            .plan(pool)
            .await
            .unwrap();
        assert!(
            matches!(
                plan.steps(),
                [step] if matches!(&step.change, Change::ChangeIndex { index, live, .. }
                    if index.predicate == Some("deleted_at IS NOT NULL") && live.predicate.is_some())
            ),
            "{plan}"
        );
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_descending_and_expression_indexes_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    created_and_planned!(&db.pool);
    let defs: Vec<String> = sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'accounts' AND indexname LIKE 'ix_%' ORDER BY indexname",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(defs.len(), 4, "{defs:?}");
    assert!(defs[0].ends_with("(created_at DESC, id)"), "{}", defs[0]);
    assert!(
        defs[1].ends_with("WHERE (deleted_at IS NULL)"),
        "{}",
        defs[1]
    );
    assert!(defs[2].ends_with("(lower((email)::text))"), "{}", defs[2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_descending_and_expression_indexes_on_sqlite() {
    let db = common::sqlite().await;
    created_and_planned!(&db.pool);
    let partial: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pragma_index_list('accounts') WHERE partial = 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(partial, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_takes_descending_columns_and_refuses_the_rest() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let err = accounts().create_all(&db.pool).await.unwrap_err();
    let refused: Vec<&str> = err
        .schema_problems()
        .iter()
        .map(|p| match p {
            SchemaError::UnsupportedIndex { index, .. } => index.as_str(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(
        refused,
        [
            "ix_accounts_email",
            "ix_accounts_email_lower",
            "ix_accounts_region_len"
        ]
    );

    let events = Models::new([&Event::DEF]).unwrap();
    events.create_all(&db.pool).await.unwrap();
    let collations: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT COLLATION FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'ix_events_at_kind' ORDER BY SEQ_IN_INDEX",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(collations, [Some("D".to_owned()), Some("A".to_owned())]);
    let plan = events.plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
}

/// Field-level index options: the same grammar as the struct's `index(...)`, with the field
/// as the one column. (Only the tables are used; Rust never reads the fields.)
#[allow(dead_code)]
#[derive(Table)]
#[table(name = "sessions")]
pub struct Session {
    #[table(primary_key)]
    pub id: i64,
    #[table(index(desc))]
    pub started_at: i64,
    #[table(index(where = "ended_at IS NULL", name = "ix_sessions_live"))]
    pub user_id: i64,
    #[table(index(asc, name = "ix_sessions_by_end"))]
    pub ended_at: Option<i64>,
}

/// The struct-level spelling of `Session`'s indexes: it must make the same definitions.
#[allow(dead_code)]
mod struct_level {
    use super::*;

    #[derive(Table)]
    #[table(
        name = "sessions",
        index(started_at desc),
        index(user_id, where = "ended_at IS NULL", name = "ix_sessions_live"),
        index(ended_at asc, name = "ix_sessions_by_end")
    )]
    pub struct Session {
        #[table(primary_key)]
        pub id: i64,
        pub started_at: i64,
        pub user_id: i64,
        pub ended_at: Option<i64>,
    }
}

/// Field-level options without a predicate: what MySQL takes.
#[allow(dead_code)]
#[derive(Table)]
#[table(name = "visits")]
pub struct Visit {
    #[table(primary_key)]
    pub id: i64,
    #[table(index(desc, name = "ix_visits_latest"))]
    pub at: i64,
}

fn sessions() -> Models {
    Models::new([&Session::DEF]).unwrap()
}

fn index_statements(models: &Models, dialect: Dialect) -> Vec<String> {
    models
        .create_statements(dialect)
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .filter(|s| s.starts_with("CREATE INDEX"))
        .collect()
}

#[test]
fn field_level_options_are_the_struct_level_index() {
    assert_eq!(Session::DEF.indexes, struct_level::Session::DEF.indexes);
    assert_eq!(
        index_statements(&sessions(), Dialect::Postgres),
        [
            "CREATE INDEX \"ix_sessions_started_at\" ON \"sessions\" (\"started_at\" DESC)",
            "CREATE INDEX \"ix_sessions_live\" ON \"sessions\" (\"user_id\") WHERE ended_at IS NULL",
            "CREATE INDEX \"ix_sessions_by_end\" ON \"sessions\" (\"ended_at\")",
        ]
    );
    assert_eq!(
        index_statements(&sessions(), Dialect::Sqlite),
        index_statements(&sessions(), Dialect::Postgres)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_level_options_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    sessions().create_all(&db.pool).await.unwrap();
    let plan = sessions().plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "a created schema plans empty:\n{plan}");
    let defs: Vec<String> = sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'sessions' AND indexname LIKE 'ix_%' ORDER BY indexname",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(defs.len(), 3, "{defs:?}");
    assert!(defs[0].contains("ix_sessions_by_end"), "{}", defs[0]);
    assert!(
        defs[1].contains("ix_sessions_live")
            && defs[1].ends_with("(user_id) WHERE (ended_at IS NULL)"),
        "{}",
        defs[1]
    );
    assert!(defs[2].ends_with("(started_at DESC)"), "{}", defs[2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_level_options_on_sqlite() {
    let db = common::sqlite().await;
    sessions().create_all(&db.pool).await.unwrap();
    let plan = sessions().plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "a created schema plans empty:\n{plan}");
    let partial: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_index_list('sessions') WHERE partial = 1")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(partial, ["ix_sessions_live"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_level_options_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let err = sessions().create_all(&db.pool).await.unwrap_err();
    let refused: Vec<&str> = err
        .schema_problems()
        .iter()
        .map(|p| match p {
            SchemaError::UnsupportedIndex { index, .. } => index.as_str(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(refused, ["ix_sessions_live"]);

    let visits = Models::new([&Visit::DEF]).unwrap();
    visits.create_all(&db.pool).await.unwrap();
    let collations: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT COLLATION FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'ix_visits_latest'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(collations, [Some("D".to_owned())]);
    let plan = visits.plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
}
