//! `plan` and `check` against real databases: what `create_all` made plans empty on every
//! backend for every snapshot model set; each kind of difference made by hand is found and
//! classified; what no model declares is reported and kept; and the safe part of
//! `plan.to_sql()` runs, after which only what needs a person remains.
//!
//! The models are those of tests/snapshots.rs (`tests/sets`), and a cycle.
//!
//! Over 400 lines: each backend's hand-written DDL sits beside the others so that their
//! differences read side by side.

mod common;
pub mod models;
pub mod sets;

use sqlx::{AssertSqlSafe, Pool};
use sqlx_table::{Backend, Dialect, Error, Models, Table, TableDef};

use models::{User, Voice};

// ---------------------------------------------------------------------------------------
// A cycle of foreign keys, which PostgreSQL and MySQL close with ALTER TABLE.

#[derive(Table)]
#[table(name = "dept")]
pub struct Dept {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Emp, on_delete = "set null")]
    pub head_id: Option<i64>,
}

#[derive(Table)]
#[table(name = "emp")]
pub struct Emp {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Dept)]
    pub dept_id: i64,
}

/// The model sets of tests/snapshots.rs, and the cycle.
fn sets() -> Vec<(&'static str, Vec<&'static TableDef>)> {
    let mut all = sets::sets();
    all.push(("cycle", vec![&Emp::DEF, &Dept::DEF]));
    all
}

fn schema(set: &str) -> Models {
    let (_, tables) = sets()
        .into_iter()
        .find(|(name, _)| *name == set)
        .expect("known set");
    Models::new(tables).expect("a consistent schema")
}

/// The sets the dialect accepts (tests/snapshots.rs checks which those are).
fn sets_for(dialect: Dialect) -> Vec<(&'static str, Models)> {
    sets()
        .into_iter()
        .map(|(name, _)| (name, schema(name)))
        .filter(|(_, schema)| schema.validate_for(dialect).is_ok())
        .collect()
}

async fn run<DB: Backend>(pool: &Pool<DB>, sql: &str)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
}

/// A SQLite pool of one connection with an `audit` database attached, as the named schema.
async fn sqlite_pool(url: &str) -> sqlx::SqlitePool {
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::raw_sql("ATTACH DATABASE ':memory:' AS audit; PRAGMA foreign_keys = ON")
                    .execute(conn)
                    .await
                    .map(|_| ())
            })
        })
        .connect(url)
        .await
        .unwrap()
}

/// create_all, then the plan of the same models is empty and check passes; and on the
/// emptied database, the plan's own script makes what create_all made.
async fn create_all_then_plan_is_empty<DB: Backend>(pool: &Pool<DB>, name: &str, schema: &Models)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let before = schema.plan(pool).await.unwrap();
    // PostgreSQL's enum types are made apart from the tables.
    let types = before
        .steps()
        .iter()
        .filter(|s| matches!(s.change, sqlx_table::plan::Change::CreateEnumType { .. }))
        .count();
    assert_eq!(
        before.len(),
        schema.len() + types,
        "{name}: one create per table and enum type\n{before}"
    );
    assert_eq!(before.safe().count(), before.len(), "{name}");
    schema
        .create_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{name} on {:?}: {e}", DB::DIALECT));
    let plan = schema.plan(pool).await.unwrap();
    assert!(plan.is_empty(), "{name} on {:?}:\n{plan}", DB::DIALECT);
    schema.check(pool).await.unwrap();
    schema.drop_all(pool).await.unwrap();

    let plan = schema.plan(pool).await.unwrap();
    assert_eq!(
        plan.safe_statements(),
        schema.create_statements(DB::DIALECT).unwrap(),
        "{name}"
    );
    run(pool, &plan.to_sql()).await;
    let after = schema.plan(pool).await.unwrap();
    assert!(after.is_empty(), "{name} on {:?}:\n{after}", DB::DIALECT);
    schema.drop_all(pool).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snapshot_set_plans_empty_after_create_all_on_sqlite() {
    for (name, schema) in sets_for(Dialect::Sqlite) {
        let db = common::sqlite().await;
        let pool = sqlite_pool(&db.url).await;
        create_all_then_plan_is_empty(&pool, name, &schema).await;
        pool.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snapshot_set_plans_empty_after_create_all_on_postgres() {
    for (name, schema) in sets_for(Dialect::Postgres) {
        let Some(db) = common::postgres().await else {
            return;
        };
        create_all_then_plan_is_empty(&db.pool, name, &schema).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snapshot_set_plans_empty_after_create_all_on_mysql() {
    for (name, schema) in sets_for(Dialect::MySql) {
        // A named schema is a database on MySQL, shared by the whole server: not here.
        if name == "named_schema" {
            continue;
        }
        let Some(db) = common::mysql().await else {
            return;
        };
        create_all_then_plan_is_empty(&db.pool, name, &schema).await;
    }
}

// ---------------------------------------------------------------------------------------
// Differences made by hand.

const SAFE_AND_UNKNOWN: &str = "\
users
  [safe] add unique constraint uq_users_email (email)
voices
  [needs a person] column name: type is {type} in the database, VARCHAR(200) in the model: changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert
  [safe] add column description {description} NULL
  [safe] add index ix_voices_status (status)
  [unknown to the models] column legacy {legacy}
  [unknown to the models] index ix_legacy (legacy)
legacy_table
  [unknown to the models] table legacy_table
";

/// Alters users/voices by hand (`alter`), checks the plan is `expected`, runs the plan's
/// script, and checks that only `remaining` is left, with the unknown objects still there.
async fn differences_are_found_and_the_safe_part_applies<DB: Backend>(
    pool: &Pool<DB>,
    alter: &str,
    expected: &str,
    remaining: &str,
) where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let schema = Models::new([&Voice::DEF, &User::DEF]).unwrap();
    schema.create_all(pool).await.unwrap();
    run(pool, alter).await;
    let plan = schema.plan(pool).await.unwrap();
    assert_eq!(plan.to_string(), expected, "{:?}", DB::DIALECT);
    let err = schema.check(pool).await.unwrap_err();
    assert!(
        matches!(&err, Error::Drift { plan: p } if **p == plan),
        "{err}"
    );
    assert!(err.to_string().ends_with(expected), "{err}");

    run(pool, &plan.to_sql()).await;
    let after = schema.plan(pool).await.unwrap();
    assert_eq!(
        after.to_string(),
        remaining,
        "{:?}\n{}",
        DB::DIALECT,
        plan.to_sql()
    );
    assert_eq!(after.safe().count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn differences_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    differences_are_found_and_the_safe_part_applies(
        &db.pool,
        "ALTER TABLE users DROP CONSTRAINT uq_users_email;
         ALTER TABLE voices DROP COLUMN description;
         DROP INDEX ix_voices_status;
         ALTER TABLE voices ALTER COLUMN name TYPE text;
         ALTER TABLE voices ADD COLUMN legacy integer;
         CREATE INDEX ix_legacy ON voices (legacy);
         CREATE TABLE legacy_table (id integer)",
        &SAFE_AND_UNKNOWN
            .replace("{type}", "text")
            .replace("{description}", "TEXT")
            .replace("{legacy}", "integer NULL"),
        "\
voices
  [needs a person] column name: type is text in the database, VARCHAR(200) in the model: changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert
  [unknown to the models] column legacy integer NULL
  [unknown to the models] index ix_legacy (legacy)
legacy_table
  [unknown to the models] table legacy_table
",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn differences_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    differences_are_found_and_the_safe_part_applies(
        &db.pool,
        "ALTER TABLE users DROP INDEX uq_users_email;
         ALTER TABLE voices DROP COLUMN description;
         DROP INDEX ix_voices_status ON voices;
         ALTER TABLE voices MODIFY COLUMN name LONGTEXT NOT NULL;
         ALTER TABLE voices ADD COLUMN legacy INT;
         CREATE INDEX ix_legacy ON voices (legacy);
         CREATE TABLE legacy_table (id INT)",
        &SAFE_AND_UNKNOWN
            .replace("{type}", "longtext")
            .replace("{description}", "LONGTEXT")
            .replace("{legacy}", "int(11) NULL"),
        "\
voices
  [needs a person] column name: type is longtext in the database, VARCHAR(200) in the model: changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert
  [unknown to the models] column legacy int(11) NULL
  [unknown to the models] index ix_legacy (legacy)
legacy_table
  [unknown to the models] table legacy_table
",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn differences_on_sqlite() {
    let db = common::sqlite().await;
    let pool = sqlite_pool(&db.url).await;
    // SQLite can't drop a unique constraint or change a type in place: the rest of the set.
    differences_are_found_and_the_safe_part_applies(
        &pool,
        "ALTER TABLE voices DROP COLUMN description;
         DROP INDEX ix_voices_status;
         ALTER TABLE voices ADD COLUMN legacy INTEGER;
         CREATE INDEX ix_legacy ON voices (legacy);
         CREATE TABLE legacy_table (id INTEGER)",
        "\
voices
  [safe] add column description TEXT NULL
  [safe] add index ix_voices_status (status)
  [unknown to the models] column legacy INTEGER NULL
  [unknown to the models] index ix_legacy (legacy)
legacy_table
  [unknown to the models] table legacy_table
",
        "\
voices
  [unknown to the models] column legacy INTEGER NULL
  [unknown to the models] index ix_legacy (legacy)
legacy_table
  [unknown to the models] table legacy_table
",
    )
    .await;
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn column_and_constraint_changes_are_classified_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let schema = Models::new([&Voice::DEF, &User::DEF]).unwrap();
    schema.create_all(&db.pool).await.unwrap();
    run(
        &db.pool,
        "ALTER TABLE voices ALTER COLUMN description SET NOT NULL;
         ALTER TABLE voices ALTER COLUMN status SET DEFAULT 'new';
         ALTER TABLE voices ALTER COLUMN times_used DROP DEFAULT;
         ALTER TABLE voices DROP CONSTRAINT fk_voices_user_id;
         ALTER TABLE voices ADD CONSTRAINT fk_voices_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;
         COMMENT ON TABLE voices IS NULL",
    )
    .await;
    let plan = schema.plan(&db.pool).await.unwrap();
    assert_eq!(
        plan.to_string(),
        "\
voices
  [needs a person] column description: NOT NULL in the database, NULL in the model: allowing NULL lifts a rule the database enforces today; code that relies on it may break
  [needs a person] column status: default is 'new'::character varying in the database, 'uploading' in the model: a different default changes what new rows get when an insert leaves the column out
  [needs a person] column times_used: default is none in the database, 0 in the model: a different default changes what new rows get when an insert leaves the column out
  [needs a person] foreign key (user_id) is -> users (id) ON DELETE SET NULL ON UPDATE NO ACTION in the database, -> users (id) ON DELETE CASCADE ON UPDATE (default) in the model: changing a foreign key drops it and adds it anew, which fails on rows that don't satisfy the new one
  [safe] table comment is \"none\" in the database, \"A voice sample uploaded by a user.\" in the model
"
    );
    // What a person would run: every commented statement, uncommented, brings it back.
    let by_hand: String = plan
        .to_sql()
        .lines()
        .filter_map(|l| l.strip_prefix("--   "))
        .filter(|l| !l.starts_with("why: "))
        .collect::<Vec<_>>()
        .join("\n");
    run(&db.pool, &plan.to_sql()).await;
    run(&db.pool, &by_hand).await;
    let after = schema.plan(&db.pool).await.unwrap();
    assert!(after.is_empty(), "{after}\n{by_hand}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn column_and_constraint_changes_are_classified_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let schema = Models::new([&Voice::DEF, &User::DEF]).unwrap();
    schema.create_all(&db.pool).await.unwrap();
    run(
        &db.pool,
        "ALTER TABLE voices MODIFY COLUMN description LONGTEXT NOT NULL;
         ALTER TABLE voices ALTER COLUMN status SET DEFAULT 'new';
         ALTER TABLE voices ALTER COLUMN times_used DROP DEFAULT;
         ALTER TABLE voices DROP FOREIGN KEY fk_voices_user_id;
         ALTER TABLE voices ADD CONSTRAINT fk_voices_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT",
    )
    .await;
    let plan = schema.plan(&db.pool).await.unwrap();
    assert_eq!(
        plan.to_string(),
        "\
voices
  [needs a person] column description: NOT NULL in the database, NULL in the model: allowing NULL lifts a rule the database enforces today; code that relies on it may break
  [needs a person] column status: default is 'new' in the database, 'uploading' in the model: a different default changes what new rows get when an insert leaves the column out
  [needs a person] column times_used: default is none in the database, 0 in the model: a different default changes what new rows get when an insert leaves the column out
  [needs a person] foreign key (user_id) is -> users (id) ON DELETE RESTRICT ON UPDATE RESTRICT in the database, -> users (id) ON DELETE CASCADE ON UPDATE (default) in the model: changing a foreign key drops it and adds it anew, which fails on rows that don't satisfy the new one
"
    );
    let by_hand: String = plan
        .to_sql()
        .lines()
        .filter_map(|l| l.strip_prefix("--   "))
        .filter(|l| !l.starts_with("why: "))
        .collect::<Vec<_>>()
        .join("\n");
    run(&db.pool, &by_hand).await;
    let after = schema.plan(&db.pool).await.unwrap();
    assert!(after.is_empty(), "{after}\n{by_hand}");
}

// ---------------------------------------------------------------------------------------
// The README's users and voices, written by hand in each database's own words.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_written_users_and_voices_plan_empty_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    run(
        &db.pool,
        "CREATE TABLE users (id uuid PRIMARY KEY, email varchar(255) NOT NULL UNIQUE, created_at timestamp);
         CREATE TABLE voices (
             voice_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
             user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
             name varchar(200) NOT NULL,
             description text,
             status varchar(20) NOT NULL DEFAULT 'uploading',
             times_used int4 DEFAULT 0,
             created_at timestamp DEFAULT now()
         );
         CREATE INDEX ON voices (user_id);
         CREATE INDEX ON voices (status);
         COMMENT ON TABLE voices IS 'A voice sample uploaded by a user.'",
    )
    .await;
    let schema = Models::new([&Voice::DEF, &User::DEF]).unwrap();
    let plan = schema.plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_written_users_and_voices_show_only_real_differences_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    run(
        &db.pool,
        "CREATE TABLE users (id binary(16) PRIMARY KEY, email varchar(255) NOT NULL UNIQUE, created_at datetime(6));
         CREATE TABLE voices (
             voice_id binary(16) NOT NULL DEFAULT (unhex(replace(uuid(), '-', ''))) PRIMARY KEY,
             user_id binary(16) NOT NULL,
             name varchar(200) NOT NULL,
             description text,
             status varchar(20) NOT NULL DEFAULT 'uploading',
             times_used integer DEFAULT 0,
             created_at datetime(6) DEFAULT now(6),
             INDEX (status),
             FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
         ) COMMENT 'A voice sample uploaded by a user.'",
    )
    .await;
    let schema = Models::new([&Voice::DEF, &User::DEF]).unwrap();
    let plan = schema.plan(&db.pool).await.unwrap();
    // TEXT holds 64 KiB; the model's String is LONGTEXT: a real difference.
    assert_eq!(
        plan.to_string(),
        "\
voices
  [needs a person] column description: type is text in the database, LONGTEXT in the model: changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert
"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_written_users_and_voices_show_only_real_differences_on_sqlite() {
    let db = common::sqlite().await;
    run(
        &db.pool,
        "CREATE TABLE users (id BLOB NOT NULL PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at DATETIME);
         CREATE TABLE voices (
             voice_id BLOB NOT NULL PRIMARY KEY DEFAULT (randomblob(16)),
             user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
             name TEXT NOT NULL,
             description TEXT,
             status TEXT NOT NULL DEFAULT 'uploading',
             times_used INTEGER DEFAULT 0,
             created_at DATETIME DEFAULT CURRENT_TIMESTAMP
         );
         CREATE INDEX voices_user_id ON voices (user_id);
         CREATE INDEX voices_status ON voices (status)",
    )
    .await;
    let schema = Models::new([&Voice::DEF, &User::DEF]).unwrap();
    let plan = schema.plan(&db.pool).await.unwrap();
    // Unnamed UNIQUE, REFERENCES and indexes of other names match by content. The one
    // difference is real: 16 random bytes are not a version-4 UUID.
    assert_eq!(
        plan.to_string(),
        "\
voices
  [needs a person] column voice_id: default is randomblob(16) in the database, (unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(8)), 2))) in the model: SQLite can't add or change this on an existing table: the table must be rebuilt (create the new table, copy the rows, drop the old one, rename the new one)
"
    );
}

// A numbered key, written by hand the way each database's users write one. (No doc
// comment: it would be the table comment, which the hand-written tables lack.)
#[derive(Table)]
#[table(name = "counter")]
pub struct Counter {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(default = 0)]
    pub hits: i32,
}

async fn hand_written_counter_plans_empty<DB: Backend>(pool: &Pool<DB>, sql: &str)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    run(pool, sql).await;
    let schema = Models::new([&Counter::DEF]).unwrap();
    let plan = schema.plan(pool).await.unwrap();
    assert!(plan.is_empty(), "{:?}:\n{plan}", DB::DIALECT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_written_auto_increment_plans_empty_on_every_backend() {
    let db = common::sqlite().await;
    hand_written_counter_plans_empty(
        &db.pool,
        "CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT, hits INTEGER NOT NULL DEFAULT 0)",
    )
    .await;
    // PostgreSQL's older spelling: BIGSERIAL, a sequence default rather than an identity.
    let Some(db) = common::postgres().await else {
        return;
    };
    hand_written_counter_plans_empty(
        &db.pool,
        "CREATE TABLE counter (id bigserial PRIMARY KEY, hits int NOT NULL DEFAULT 0)",
    )
    .await;
    let Some(db) = common::mysql().await else {
        return;
    };
    hand_written_counter_plans_empty(
        &db.pool,
        "CREATE TABLE counter (id bigint AUTO_INCREMENT PRIMARY KEY, hits int NOT NULL DEFAULT 0)",
    )
    .await;
}
