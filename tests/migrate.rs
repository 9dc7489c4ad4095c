//! `migrate` and migration files against real databases, on SQLite, PostgreSQL and MariaDB:
//! each safe change applied once and every row kept; what needs a person never applied,
//! and the file written for it valid (applied by sqlx's own `Migrator`, after which the plan
//! is empty); sixteen processes at once; and a migrate killed half-way.
//!
//! Over 400 lines: the three backends' versions of each behaviour, and the child processes
//! they share, belong in one binary.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use common::TestDb;
use sqlx::{AssertSqlSafe, Pool, Row as _};
use sqlx_table::plan::{Change, Class, PERSON_PREFIX};
use sqlx_table::{Backend, Models, Table};

/// Version 1 of the models.
pub mod v1 {
    use sqlx_table::Table;

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[table(primary_key)]
        pub id: i64,
        #[table(max_length = 40)]
        pub name: String,
        pub code: i32,
    }

    #[derive(Table)]
    #[table(name = "notes")]
    pub struct Note {
        #[table(primary_key)]
        pub id: i64,
        #[table(references = "items(id)", on_delete = "cascade", index)]
        pub item_id: i64,
    }

    #[derive(Table)]
    #[table(name = "big_rows")]
    pub struct BigRow {
        #[table(primary_key)]
        pub id: i64,
        #[table(max_length = 40)]
        pub label: String,
        pub qty: i32,
    }
}

/// Version 2, with only safe changes: a new nullable column, a new column with a default, new
/// indexes, a new table.
pub mod v2 {
    use sqlx_table::Table;

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[table(primary_key)]
        pub id: i64,
        #[table(max_length = 40, index)]
        pub name: String,
        pub code: i32,
        pub note: Option<String>,
        #[table(max_length = 20, default = "new")]
        pub status: String,
    }

    #[derive(Table)]
    #[table(name = "big_rows")]
    pub struct BigRow {
        #[table(primary_key)]
        pub id: i64,
        #[table(max_length = 40)]
        pub label: String,
        #[table(index)]
        pub qty: i32,
        pub extra: Option<i64>,
    }

    #[derive(Table)]
    #[table(name = "tags")]
    pub struct Tag {
        #[table(primary_key)]
        pub id: i64,
        #[table(references = "items(id)")]
        pub item_id: i64,
    }
}

/// Version 2 with a changed type too: `items.code` becomes text, which needs a person.
pub mod v2_typed {
    use sqlx_table::Table;

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[table(primary_key)]
        pub id: i64,
        #[table(max_length = 40, index)]
        pub name: String,
        #[table(max_length = 20)]
        pub code: String,
        pub note: Option<String>,
        #[table(max_length = 20, default = "new")]
        pub status: String,
    }
}

/// The kill tests' tables: `a_small` gets a column and `z_big` (many rows) an index or a
/// column, in that order in one batch.
pub mod kill {
    use sqlx_table::Table;

    pub mod before {
        use super::*;
        #[derive(Table)]
        #[table(name = "a_small")]
        pub struct Small {
            #[table(primary_key)]
            pub id: i64,
        }
        #[derive(Table)]
        #[table(name = "z_big")]
        pub struct Big {
            #[table(primary_key)]
            pub id: i64,
            pub qty: i64,
        }
    }

    pub mod after {
        use super::*;
        #[derive(Table)]
        #[table(name = "a_small")]
        pub struct Small {
            #[table(primary_key)]
            pub id: i64,
            pub added: Option<i64>,
        }
        #[derive(Table)]
        #[table(name = "z_big")]
        pub struct Big {
            #[table(primary_key)]
            pub id: i64,
            #[table(index)]
            pub qty: i64,
            pub added: Option<i64>,
        }
    }
}

fn v1() -> Models {
    Models::new([&v1::Item::DEF, &v1::Note::DEF, &v1::BigRow::DEF]).unwrap()
}

fn v2() -> Models {
    Models::new([
        &v2::Item::DEF,
        &v1::Note::DEF,
        &v2::BigRow::DEF,
        &v2::Tag::DEF,
    ])
    .unwrap()
}

fn v2_typed() -> Models {
    Models::new([
        &v2_typed::Item::DEF,
        &v1::Note::DEF,
        &v2::BigRow::DEF,
        &v2::Tag::DEF,
    ])
    .unwrap()
}

fn kill_before() -> Models {
    Models::new([&kill::before::Small::DEF, &kill::before::Big::DEF]).unwrap()
}

fn kill_after() -> Models {
    Models::new([&kill::after::Small::DEF, &kill::after::Big::DEF]).unwrap()
}

async fn exec<DB: Backend>(pool: &Pool<DB>, sql: &str)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The statements that fill `big_rows` with `n` rows, per backend.
fn fill_big_rows(dialect: sqlx_table::Dialect, table: &str, n: u64) -> String {
    match dialect {
        sqlx_table::Dialect::Postgres => format!(
            "INSERT INTO {table} SELECT g, 'label ' || g, g % 1000 FROM generate_series(1, {n}) g"
        ),
        sqlx_table::Dialect::MySql => format!(
            "INSERT INTO {table} SELECT seq, CONCAT('label ', seq), seq % 1000 FROM seq_1_to_{n}"
        ),
        _ => format!(
            "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {n}) \
             INSERT INTO {table} SELECT x, 'label ' || x, x % 1000 FROM g"
        ),
    }
}

const ROWS: u64 = 100_000;

/// The rows of `big_rows` and a digest of all their values, computed by the database.
async fn checksum<DB: Backend>(pool: &Pool<DB>) -> (i64, String)
where
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
{
    let sql = match DB::DIALECT {
        sqlx_table::Dialect::Postgres => {
            "SELECT count(*), md5(string_agg(id || ':' || label || ':' || qty, ',' ORDER BY id)) FROM big_rows"
        }
        sqlx_table::Dialect::MySql => {
            "SET SESSION group_concat_max_len = 1073741824; \
             SELECT CAST(count(*) AS SIGNED), SHA2(GROUP_CONCAT(CONCAT_WS(':', id, label, qty) ORDER BY id SEPARATOR ','), 256) FROM big_rows"
        }
        _ => {
            "SELECT count(*), group_concat(v, ',') FROM \
             (SELECT id || ':' || label || ':' || qty AS v FROM big_rows ORDER BY id)"
        }
    };
    let mut conn = pool.acquire().await.unwrap();
    let rows = sqlx::raw_sql(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let row = rows.last().unwrap();
    (row.get(0), row.get(1))
}

/// The kinds of change a list of steps makes, as `table: Kind`.
fn kinds(steps: &[sqlx_table::plan::Step]) -> Vec<String> {
    steps
        .iter()
        .map(|s| {
            let kind = format!("{:?}", s.change);
            let kind = kind.split([' ', '{']).next().unwrap().to_owned();
            let what = match &s.change {
                Change::AddColumn { column, .. } => column.name.to_owned(),
                Change::AddIndex { index, .. } => index.columns.join(","),
                Change::ChangeColumnType { column, .. } => column.name.to_owned(),
                _ => String::new(),
            };
            format!("{}: {kind} {what}", s.table)
        })
        .collect()
}

/// The new columns of item 1: `status` (its default) and `note`.
async fn first_item<DB: Backend>(pool: &Pool<DB>) -> (String, Option<String>)
where
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
{
    let mut conn = pool.acquire().await.unwrap();
    let rows = sqlx::raw_sql("SELECT status, note FROM items WHERE id = 1")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    (rows[0].get(0), rows[0].get(1))
}

// ---------------------------------------------------------------------------------------
// Safe changes, once, with every row kept.

async fn safe_changes_once_and_rows_kept<DB: Backend>(db: &TestDb<DB>)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
{
    v1().create_all(&db.pool).await.unwrap();
    exec(
        &db.pool,
        "INSERT INTO items (id, name, code) VALUES (1, 'one', 10)",
    )
    .await;
    exec(&db.pool, &fill_big_rows(DB::DIALECT, "big_rows", ROWS)).await;
    let before = checksum(&db.pool).await;
    assert_eq!(before.0, ROWS as i64);

    let report = v2().migrate(&db.pool).await.unwrap();
    let mut applied = kinds(&report.applied);
    applied.sort();
    assert_eq!(
        applied,
        [
            "big_rows: AddColumn extra",
            "big_rows: AddIndex qty",
            "items: AddColumn note",
            "items: AddColumn status",
            "items: AddIndex name",
            "tags: CreateTable ",
        ],
        "{}",
        report.script()
    );
    assert!(report.left.is_empty(), "{}", report.left);
    let plan = v2().plan(&db.pool).await.unwrap();
    assert!(
        plan.is_empty(),
        "the catalog differs from the models:\n{plan}"
    );
    assert_eq!(checksum(&db.pool).await, before, "big_rows changed");
    let (status, note) = first_item(&db.pool).await;
    assert_eq!(
        (status.as_str(), note),
        ("new", None),
        "the existing row's new columns"
    );

    let again = v2().migrate(&db.pool).await.unwrap();
    assert!(again.applied.is_empty(), "{}", again.script());
    assert!(again.statements.is_empty());
    assert_eq!(again.round_trips, 1, "a warm migrate is one catalog read");
}

#[tokio::test]
async fn sqlite_migrate_applies_each_safe_change_once_and_keeps_every_row() {
    safe_changes_once_and_rows_kept(&common::sqlite().await).await;
}

#[tokio::test]
async fn postgres_migrate_applies_each_safe_change_once_and_keeps_every_row() {
    let Some(db) = common::postgres().await else {
        return;
    };
    safe_changes_once_and_rows_kept(&db).await;
}

#[tokio::test]
async fn mysql_migrate_applies_each_safe_change_once_and_keeps_every_row() {
    let Some(db) = common::mysql().await else {
        return;
    };
    safe_changes_once_and_rows_kept(&db).await;
}

// ---------------------------------------------------------------------------------------
// Migration files, applied by sqlx's own migrator.

/// A directory of its own for one test's migration files, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let path = std::env::temp_dir().join(common::unique_name("table_migrations"));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn run_migrations<DB: Backend>(pool: &Pool<DB>, dir: &Path)
where
    <DB as sqlx::Database>::Connection: sqlx::migrate::Migrate,
{
    let migrator = sqlx::migrate::Migrator::new(dir).await.unwrap();
    migrator
        .run(pool)
        .await
        .unwrap_or_else(|e| panic!("sqlx's migrator: {e}"));
}

/// The plan of version 2 written as one file and as an up/down pair: sqlx's migrator applies
/// it, after which version 2 plans empty; undoing the pair brings version 1 back.
async fn written_file_applied_by_sqlx<DB: Backend>(db: &TestDb<DB>)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
    <DB as sqlx::Database>::Connection: sqlx::migrate::Migrate,
{
    v1().create_all(&db.pool).await.unwrap();
    exec(
        &db.pool,
        "INSERT INTO items (id, name, code) VALUES (1, 'one', 10)",
    )
    .await;
    let plan = v2().plan(&db.pool).await.unwrap();
    assert_eq!(plan.safe().count(), plan.len(), "{plan}");

    let dir = TempDir::new();
    let files = plan
        .write_migration_as(
            &dir.0,
            "version 2",
            sqlx_table::plan::MigrationFormat::Reversible,
        )
        .unwrap();
    assert_eq!(files.len(), 2);
    let up = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(up.ends_with("_version_2.up.sql"), "{up}");
    run_migrations(&db.pool, &dir.0).await;
    let after = v2().plan(&db.pool).await.unwrap();
    assert!(after.is_empty(), "after the up file:\n{after}");

    let migrator = sqlx::migrate::Migrator::new(dir.0.as_path()).await.unwrap();
    migrator.undo(&db.pool, 0).await.unwrap();
    let back = v1().plan(&db.pool).await.unwrap();
    assert!(back.is_empty(), "after the down file:\n{back}");

    // The single file, the default.
    let dir = TempDir::new();
    let files = plan.write_migration(&dir.0, "version_2").unwrap();
    assert!(
        files[0].to_string_lossy().ends_with("_version_2.sql"),
        "{files:?}"
    );
    run_migrations(&db.pool, &dir.0).await;
    let after = v2().plan(&db.pool).await.unwrap();
    assert!(after.is_empty(), "after the file:\n{after}");
}

#[tokio::test]
async fn sqlite_written_migration_is_applied_by_sqlx_migrator_then_plans_empty() {
    written_file_applied_by_sqlx(&common::sqlite().await).await;
}

#[tokio::test]
async fn postgres_written_migration_is_applied_by_sqlx_migrator_then_plans_empty() {
    let Some(db) = common::postgres().await else {
        return;
    };
    written_file_applied_by_sqlx(&db).await;
}

#[tokio::test]
async fn mysql_written_migration_is_applied_by_sqlx_migrator_then_plans_empty() {
    let Some(db) = common::mysql().await else {
        return;
    };
    written_file_applied_by_sqlx(&db).await;
}

/// What a person does with a written file: applies every change left for them, by
/// removing the prefix of its lines.
fn as_a_person_edits(text: &str) -> String {
    text.lines()
        .map(|l| l.strip_prefix(PERSON_PREFIX).unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The values of `items.code`, as text, and the number of notes.
async fn codes_and_notes<DB: Backend>(pool: &Pool<DB>) -> (Vec<String>, i64)
where
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
{
    let cast = match DB::DIALECT {
        sqlx_table::Dialect::MySql => "CAST(code AS CHAR)",
        _ => "CAST(code AS TEXT)",
    };
    let mut conn = pool.acquire().await.unwrap();
    let codes = sqlx::raw_sql(AssertSqlSafe(format!(
        "SELECT {cast} FROM items ORDER BY id"
    )))
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    let notes = sqlx::raw_sql("SELECT CAST(count(*) AS SIGNED) FROM notes")
        .fetch_all(&mut *conn)
        .await;
    let notes = match notes {
        Ok(rows) => rows[0].get(0),
        Err(_) => sqlx::raw_sql("SELECT count(*) FROM notes")
            .fetch_all(&mut *conn)
            .await
            .unwrap()[0]
            .get(0),
    };
    (codes, notes)
}

/// A changed type: migrate applies the safe rest and never the type; the file written for
/// what is left, once a person removes its prefixes, is applied by sqlx's migrator and the
/// plan is empty, with every row (and, on SQLite, the foreign key into the rebuilt table
/// and its index) kept.
async fn needs_person_left_and_file_valid<DB: Backend>(
    db: &TestDb<DB>,
    copy: impl AsyncFnOnce() -> Pool<DB>,
) where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
    <DB as sqlx::Database>::Connection: sqlx::migrate::Migrate,
{
    v1().create_all(&db.pool).await.unwrap();
    exec(
        &db.pool,
        "INSERT INTO items (id, name, code) VALUES (1, 'one', 10), (2, 'two', 20); \
         INSERT INTO notes (id, item_id) VALUES (1, 1), (2, 2)",
    )
    .await;
    let report = v2_typed().migrate(&db.pool).await.unwrap();
    assert_eq!(report.applied.len(), 6, "{}", report.script());
    assert_eq!(
        kinds(report.left.steps()),
        ["items: ChangeColumnType code"],
        "{}",
        report.left
    );
    assert!(matches!(
        report.left.steps()[0].class,
        Class::NeedsPerson { .. }
    ));
    // Never applied: the plan still has it, and a second migrate leaves it again.
    let again = v2_typed().migrate(&db.pool).await.unwrap();
    assert!(again.applied.is_empty());
    assert_eq!(again.left, report.left);

    let copy = copy().await;
    let dir = TempDir::new();
    let files = report.left.write_migration(&dir.0, "code_as_text").unwrap();
    let written = std::fs::read_to_string(&files[0]).unwrap();
    assert!(written.contains(PERSON_PREFIX), "{written}");
    let expected = match DB::DIALECT {
        sqlx_table::Dialect::Postgres => "ALTER COLUMN \"code\" TYPE VARCHAR(20) USING",
        sqlx_table::Dialect::MySql => "MODIFY COLUMN `code` VARCHAR(20)",
        _ => "ALTER TABLE \"items__new\" RENAME TO \"items\"",
    };
    assert!(written.contains(expected), "{written}");
    // As written, the file changes nothing: every change in it is commented out. (Where
    // the file is comments only, MySQL calls it an empty query; there is nothing to run.)
    if written
        .lines()
        .any(|l| !l.trim().is_empty() && !l.starts_with("--"))
    {
        exec(&copy, &written).await;
    }
    assert_eq!(v2_typed().plan(&copy).await.unwrap(), report.left);

    std::fs::write(&files[0], as_a_person_edits(&written)).unwrap();
    run_migrations(&copy, &dir.0).await;
    let after = v2_typed().plan(&copy).await.unwrap();
    assert!(
        after.is_empty(),
        "after the edited file:\n{after}\n{}",
        as_a_person_edits(&written)
    );
    assert_eq!(
        codes_and_notes(&copy).await,
        (vec!["10".to_owned(), "20".to_owned()], 2),
        "rows lost"
    );
    // The foreign key into the rebuilt table still holds.
    let orphan = sqlx::raw_sql("INSERT INTO notes (id, item_id) VALUES (3, 99)")
        .execute(&copy)
        .await;
    assert!(orphan.is_err(), "a note of no item was accepted");
}

#[tokio::test]
async fn sqlite_change_needing_a_person_is_left_and_its_rebuild_recipe_applies() {
    let db = common::sqlite().await;
    let copy = common::sqlite().await;
    // The file is applied to a copy of the database, made by SQLite itself.
    needs_person_left_and_file_valid(&db, async || {
        let path = copy
            .url
            .trim_start_matches("sqlite://")
            .trim_end_matches("?mode=rwc");
        copy.pool.close().await;
        std::fs::remove_file(path).unwrap();
        exec(&db.pool, &format!("VACUUM INTO '{path}'")).await;
        sqlx::SqlitePool::connect(&copy.url).await.unwrap()
    })
    .await;
}

#[tokio::test]
async fn postgres_change_needing_a_person_is_left_and_its_alter_type_applies() {
    let Some(db) = common::postgres().await else {
        return;
    };
    needs_person_left_and_file_valid(&db, async || db.pool.clone()).await;
}

#[tokio::test]
async fn mysql_change_needing_a_person_is_left_and_its_modify_column_applies() {
    let Some(db) = common::mysql().await else {
        return;
    };
    needs_person_left_and_file_valid(&db, async || db.pool.clone()).await;
}

// ---------------------------------------------------------------------------------------
// Child processes: many at once, and one killed half-way.

/// Not a test of its own: the body of each child process of the tests below. It connects to
/// `TABLE_CHILD_URL`, waits for the instant `TABLE_CHILD_START` (Unix milliseconds), runs
/// migrate to the models `TABLE_CHILD_MODELS` names (`v2` or `kill`), and prints the
/// statements it ran.
#[tokio::test]
#[ignore = "run by the tests below in child processes"]
async fn child_migrate() {
    let url = std::env::var("TABLE_CHILD_URL").expect("TABLE_CHILD_URL");
    let start: u64 = std::env::var("TABLE_CHILD_START").map_or(0, |s| s.parse().unwrap());
    let schema = match std::env::var("TABLE_CHILD_MODELS").as_deref() {
        Ok("kill") => kill_after(),
        _ => v2(),
    };
    let until_start = || {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        std::time::Duration::from_millis(start.saturating_sub(now))
    };
    let report = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        tokio::time::sleep(until_start()).await;
        schema.migrate(&pool).await
    } else if url.starts_with("postgres:") {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        tokio::time::sleep(until_start()).await;
        schema.migrate(&pool).await
    } else {
        let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
        tokio::time::sleep(until_start()).await;
        schema.migrate(&pool).await
    }
    .expect("migrate in a child process");
    let statements: Vec<String> = report
        .statements
        .iter()
        .map(|s| s.sql.replace('\n', " "))
        .collect();
    println!("\nAPPLIED:{}", statements.join(" ;; "));
}

fn spawn_child(url: &str, models: &str, start_millis: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_migrate",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TABLE_CHILD_URL", url)
        .env("TABLE_CHILD_MODELS", models)
        .env("TABLE_CHILD_START", start_millis.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn a child test process")
}

const PROCESSES: usize = 16;
const ROUNDS: usize = 5;

/// `PROCESSES` processes migrate one version-1 database to version 2 at once, `ROUNDS`
/// times: every one succeeds, and every statement of the plan runs in exactly one of them.
async fn many_processes_at_once<DB: Backend>(fresh: impl AsyncFn() -> Option<TestDb<DB>>)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    for round in 0..ROUNDS {
        let Some(db) = fresh().await else { return };
        v1().create_all(&db.pool).await.unwrap();
        exec(
            &db.pool,
            "INSERT INTO items (id, name, code) VALUES (1, 'one', 10)",
        )
        .await;
        let expected: BTreeMap<String, usize> = v2()
            .plan(&db.pool)
            .await
            .unwrap()
            .safe_statements()
            .iter()
            .map(|s| (s.sql.replace('\n', " "), 1))
            .collect();
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64
            + 1000;
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| spawn_child(&db.url, "v2", start))
            .collect();
        let mut applied: BTreeMap<String, usize> = BTreeMap::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "round {round}: a child failed:\n{stdout}\n{stderr}"
            );
            let line = stdout
                .lines()
                .find_map(|l| l.split_once("APPLIED:").map(|(_, rest)| rest))
                .expect("the child's report");
            for statement in line.split(" ;; ").filter(|s| !s.is_empty()) {
                *applied.entry(statement.to_owned()).or_default() += 1;
            }
        }
        assert_eq!(
            applied, expected,
            "round {round}: statements applied, and how many times"
        );
        let plan = v2().plan(&db.pool).await.unwrap();
        assert!(plan.is_empty(), "round {round}:\n{plan}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_sixteen_processes_migrate_each_change_once() {
    many_processes_at_once(async || Some(common::sqlite().await)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_sixteen_processes_migrate_each_change_once() {
    many_processes_at_once(common::postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mysql_sixteen_processes_migrate_each_change_once() {
    many_processes_at_once(common::mysql).await;
}

/// The kill tests' start: `a_small` and `z_big` as before, `z_big` with `rows` rows.
async fn kill_setup<DB: Backend>(db: &TestDb<DB>, rows: u64)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    kill_before().create_all(&db.pool).await.unwrap();
    let fill = match DB::DIALECT {
        sqlx_table::Dialect::Postgres => {
            format!("INSERT INTO z_big SELECT g, g % 1000 FROM generate_series(1, {rows}) g")
        }
        sqlx_table::Dialect::MySql => {
            format!("INSERT INTO z_big SELECT seq, seq % 1000 FROM seq_1_to_{rows}")
        }
        _ => format!(
            "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {rows}) \
             INSERT INTO z_big SELECT x, x % 1000 FROM g"
        ),
    };
    exec(&db.pool, &fill).await;
    let plan = kill_after().plan(&db.pool).await.unwrap();
    assert_eq!(
        kinds(plan.steps()),
        [
            "a_small: AddColumn added",
            "z_big: AddColumn added",
            "z_big: AddIndex qty"
        ],
        "the batch starts with a_small"
    );
}

/// SQLite: the child's batch adds a column to `a_small`, then builds an index over two
/// million rows of `z_big`; killed while it builds, it leaves neither (a migrate that
/// committed statement by statement would leave `a_small`'s column), and the next run
/// applies all of it.
#[tokio::test(flavor = "multi_thread")]
async fn sqlite_killed_migrate_leaves_nothing_and_the_next_completes() {
    let db = common::sqlite().await;
    kill_setup(&db, 2_000_000).await;
    let journal = common::sqlite_journal(&db.url);

    let mut child = spawn_child(&db.url, "kill", 0);
    // The column is added at once; the index takes the time.
    common::kill_mid_transaction(
        &mut child,
        &journal,
        800,
        std::time::Duration::from_millis(5),
        std::time::Duration::from_millis(100),
    )
    .await;

    let fresh = sqlx::SqlitePool::connect(&db.url).await.unwrap();
    let plan = kill_after().plan(&fresh).await.unwrap();
    assert_eq!(
        plan.len(),
        3,
        "a killed migrate left some of its changes:\n{plan}"
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM z_big")
        .fetch_one(&fresh)
        .await
        .unwrap();
    assert_eq!(rows, 2_000_000);
    let report = kill_after().migrate(&fresh).await.unwrap();
    assert_eq!(report.applied.len(), 3);
    assert!(kill_after().plan(&fresh).await.unwrap().is_empty());
}

/// PostgreSQL: this test holds a lock on `z_big`, so the child alters `a_small` and then
/// waits; killed there, it leaves nothing, and the next run applies all of it.
#[tokio::test(flavor = "multi_thread")]
async fn postgres_killed_migrate_leaves_nothing_and_the_next_completes() {
    let Some(db) = common::postgres().await else {
        return;
    };
    kill_setup(&db, 1000).await;
    let mut blocker = db.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE z_big IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();

    let mut child = spawn_child(&db.url, "kill", 0);
    let mut blocked = false;
    for _ in 0..400 {
        let row = sqlx::query(
            "SELECT count(*) FILTER (WHERE NOT granted AND relation = 'z_big'::regclass), \
                    count(*) FILTER (WHERE granted AND mode = 'AccessExclusiveLock' \
                                     AND relation = 'a_small'::regclass) \
             FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let (waiting, altered): (i64, i64) = (row.get(0), row.get(1));
        if waiting > 0 && altered > 0 {
            blocked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(blocked, "the child never got half-way");
    child.kill().unwrap();
    child.wait().unwrap();
    blocker.rollback().await.unwrap();

    // The server ends the killed child's session when it sees the socket closed.
    let mut plan = kill_after().plan(&db.pool).await.unwrap();
    for _ in 0..100 {
        if plan.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        plan = kill_after().plan(&db.pool).await.unwrap();
    }
    assert_eq!(
        plan.len(),
        3,
        "a killed migrate left some of its changes:\n{plan}"
    );
    let report = kill_after().migrate(&db.pool).await.unwrap();
    assert_eq!(report.applied.len(), 3);
    assert!(kill_after().plan(&db.pool).await.unwrap().is_empty());
}

/// MariaDB, where each DDL statement commits on its own: this test holds `z_big`'s metadata
/// lock, so the child adds `a_small`'s column and then waits; the child is killed, and its
/// server session ended as a crash would end it. `a_small`'s column stays; the next run
/// applies exactly what is missing, and the plan is empty.
#[tokio::test(flavor = "multi_thread")]
async fn mysql_killed_migrate_is_completed_by_the_next_run() {
    let Some(db) = common::mysql().await else {
        return;
    };
    kill_setup(&db, 1000).await;
    let mut blocker = db.pool.begin().await.unwrap();
    sqlx::query("SELECT count(*) FROM z_big")
        .fetch_one(&mut *blocker)
        .await
        .unwrap();

    let mut child = spawn_child(&db.url, "kill", 0);
    let mut waiting: Option<u64> = None;
    for _ in 0..400 {
        waiting = sqlx::query_scalar(
            "SELECT CAST(id AS UNSIGNED) FROM information_schema.processlist \
             WHERE db = DATABASE() AND state LIKE 'Waiting for table metadata lock' \
             AND info LIKE 'ALTER TABLE `z_big`%'",
        )
        .fetch_optional(&db.pool)
        .await
        .unwrap();
        if waiting.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let session = waiting.expect("the child never got half-way");
    child.kill().unwrap();
    child.wait().unwrap();
    exec(&db.pool, &format!("KILL CONNECTION {session}")).await;
    blocker.rollback().await.unwrap();

    let plan = kill_after().plan(&db.pool).await.unwrap();
    assert_eq!(
        kinds(plan.steps()),
        ["z_big: AddColumn added", "z_big: AddIndex qty"],
        "what the killed run left:\n{plan}"
    );
    let report = kill_after().migrate(&db.pool).await.unwrap();
    assert_eq!(kinds(&report.applied), kinds(plan.steps()));
    assert!(kill_after().plan(&db.pool).await.unwrap().is_empty());
}
