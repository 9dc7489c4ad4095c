//! `deferrable` foreign keys: rows of a NOT NULL foreign-key cycle go in within one
//! transaction on PostgreSQL and SQLite, where the same rows without it are refused; MySQL,
//! which has no deferred constraints, refuses the schema before any SQL.

mod common;

use sqlx_table::{Dialect, Error, Models, SchemaError, Table};

/// A NOT NULL cycle: each employee has a department, each department a head. (Only the
/// tables are used; Rust never reads the fields.)
#[allow(dead_code)]
mod deferred {
    use super::*;

    #[derive(Table)]
    #[table(name = "departments")]
    pub struct Department {
        #[table(primary_key)]
        pub id: i64,
        #[table(references = Employee, deferrable)]
        pub head_id: i64,
    }

    #[derive(Table)]
    #[table(name = "employees")]
    pub struct Employee {
        #[table(primary_key)]
        pub id: i64,
        #[table(references = Department, deferrable)]
        pub department_id: i64,
    }
}

/// The same cycle, checked at each statement.
#[allow(dead_code)]
mod immediate {
    use super::*;

    #[derive(Table)]
    #[table(name = "departments")]
    pub struct Department {
        #[table(primary_key)]
        pub id: i64,
        #[table(references = Employee)]
        pub head_id: i64,
    }

    #[derive(Table)]
    #[table(name = "employees")]
    pub struct Employee {
        #[table(primary_key)]
        pub id: i64,
        #[table(references = Department)]
        pub department_id: i64,
    }
}

/// Creates the tables and inserts a department and its head in one transaction; `Ok` if
/// the commit took them.
macro_rules! insert_cycle {
    ($pool:expr, $department:ty, $employee:ty) => {{
        let pool = $pool;
        let schema = Models::new([&<$department>::DEF, &<$employee>::DEF]).unwrap();
        schema.create_all(pool).await.unwrap();
        let result: Result<(), sqlx::Error> = async {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO departments (id, head_id) VALUES (1, 10)")
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO employees (id, department_id) VALUES (10, 1)")
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
        .await;
        (schema, result)
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_not_null_cycle_goes_in_one_transaction_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let (schema, result) = insert_cycle!(&db.pool, deferred::Department, deferred::Employee);
    result.unwrap();
    let plan = schema.plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    let deferred: Vec<bool> = sqlx::query_scalar(
        "SELECT condeferrable AND condeferred FROM pg_constraint WHERE contype = 'f' ORDER BY conname",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(deferred, [true, true]);

    // Without `deferrable`, plan sees the difference.
    let immediate = Models::new([&immediate::Department::DEF, &immediate::Employee::DEF]).unwrap();
    assert_eq!(immediate.plan(&db.pool).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_deferrable_the_cycle_is_refused_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let (_, result) = insert_cycle!(&db.pool, immediate::Department, immediate::Employee);
    let err = result.unwrap_err();
    assert_eq!(
        err.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("23503"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_not_null_cycle_goes_in_one_transaction_on_sqlite() {
    let db = common::sqlite().await;
    let (schema, result) = insert_cycle!(&db.pool, deferred::Department, deferred::Employee);
    result.unwrap();
    let plan = schema.plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_deferrable_the_cycle_is_refused_on_sqlite() {
    let db = common::sqlite().await;
    let (_, result) = insert_cycle!(&db.pool, immediate::Department, immediate::Employee);
    assert!(result.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_refuses_deferrable_before_any_sql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let schema = Models::new([&deferred::Department::DEF, &deferred::Employee::DEF]).unwrap();
    let err = schema.create_all(&db.pool).await.unwrap_err();
    assert!(
        matches!(
            err.schema_problems(),
            [
                SchemaError::UnsupportedDeferrable { .. },
                SchemaError::UnsupportedDeferrable { .. }
            ]
        ),
        "{err}"
    );
    assert!(matches!(err, Error::InvalidSchema { .. }));
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(tables, 0);
    assert!(schema.validate_for(Dialect::Postgres).is_ok());
}
