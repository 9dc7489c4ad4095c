//! `create_all` and `drop_all` against real databases: SQLite always, PostgreSQL and
//! MariaDB/MySQL when their URLs are set (see tests/common). What was created is checked by
//! reading each database's own catalog through `LiveSchema::read`, not by trusting our SQL;
//! tests/live.rs checks that reader against hand-written DDL.
//!
//! Over 400 lines: a test binary's registry is its models, and the lifecycle, concurrency,
//! kill and re-run tests here all create that one registry, so they share one binary.

mod common;
pub mod models;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};

use common::TestDb;
use sqlx::{Pool, Row};
use sqlx_table::live::LiveSchema;
use sqlx_table::{Backend, Models, Table};

// The models of this binary: `sqlx_table::create_all` creates all of them, and the two of
// `linked_models`, a crate this file never calls into.
use linked_models as _;
// DESIGN.md's pair, shared with snapshots.rs.
use models::User;

/// Plain rows, to check that data survives a second create_all.
#[derive(Table)]
pub struct Note {
    #[table(primary_key)]
    pub id: i64,
    pub body: String,
}

/// Half of a foreign-key cycle: a department has a head, an employee a department.
#[derive(Table)]
pub struct Department {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Employee, on_delete = "set null")]
    pub head_id: Option<i64>,
}

/// The other half, which also references itself.
#[derive(Table)]
pub struct Employee {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Department)]
    pub department_id: Option<i64>,
    #[table(references = Self)]
    pub manager_id: Option<i64>,
}

const TABLES: [&str; 7] = [
    "audit_entry",
    "department",
    "employee",
    "label",
    "note",
    "users",
    "voices",
];

/// What a database's catalog says about one table, in a shape common to all backends.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct TableInfo {
    /// Column name → nullable.
    columns: BTreeMap<String, bool>,
    primary_key: Vec<String>,
    /// Column lists of unique indexes and constraints, besides the primary key.
    unique: BTreeSet<Vec<String>>,
    /// Column lists of every index (unique or not) besides the primary key.
    indexed: BTreeSet<Vec<String>>,
    /// (columns, referenced table, referenced columns, on delete)
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>, String)>,
}

type Catalog = BTreeMap<String, TableInfo>;

/// The default schema's tables as `LiveSchema::read` finds them, in the shape the tests
/// compare. A column is nullable as the catalog says, and never when it is in the primary
/// key (SQLite's notnull flag says nothing of a key column's NULLs).
async fn describe<DB: Backend>(pool: &Pool<DB>) -> Catalog {
    let live = LiveSchema::read(pool, &[])
        .await
        .expect("read the live schema");
    let mut out = Catalog::new();
    for table in &live.tables {
        let primary_key = table
            .primary_key
            .as_ref()
            .map(|k| k.columns.clone())
            .unwrap_or_default();
        let mut info = TableInfo {
            columns: table
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.nullable && !primary_key.contains(&c.name)))
                .collect(),
            primary_key,
            ..TableInfo::default()
        };
        for key in &table.uniques {
            info.unique.insert(key.columns.clone());
            info.indexed.insert(key.columns.clone());
        }
        for index in &table.indexes {
            let columns: Vec<String> = index.parts.iter().map(|p| p.column.clone()).collect();
            if index.unique {
                info.unique.insert(columns.clone());
            }
            info.indexed.insert(columns);
        }
        info.foreign_keys = table
            .foreign_keys
            .iter()
            .map(|fk| {
                (
                    fk.columns.clone(),
                    fk.ref_table.clone(),
                    fk.ref_columns.clone(),
                    fk.on_delete.clone(),
                )
            })
            .collect();
        out.insert(table.name.clone(), info);
    }
    out
}

fn cols(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// The facts every backend's catalog must show after `create_all`. SQLite reports an
/// unspecified ON DELETE as "NO ACTION", as do the others.
fn assert_created(catalog: &Catalog) {
    let names: BTreeSet<&str> = catalog.keys().map(String::as_str).collect();
    assert_eq!(names, TABLES.into_iter().collect(), "tables in the catalog");

    let users = &catalog["users"];
    assert_eq!(users.primary_key, cols(&["id"]));
    assert_eq!(users.unique, BTreeSet::from([cols(&["email"])]));
    assert_eq!(
        users.columns,
        BTreeMap::from([
            ("id".to_owned(), false),
            ("email".to_owned(), false),
            ("created_at".to_owned(), true)
        ])
    );

    let voices = &catalog["voices"];
    assert_eq!(voices.primary_key, cols(&["voice_id"]));
    assert!(voices.indexed.contains(&cols(&["user_id"])), "{voices:?}");
    assert!(voices.indexed.contains(&cols(&["status"])), "{voices:?}");
    assert_eq!(voices.columns.len(), 7);
    assert!(!voices.columns["status"]);
    assert!(voices.columns["description"]);
    assert_eq!(
        voices.foreign_keys,
        BTreeSet::from([(
            cols(&["user_id"]),
            "users".to_owned(),
            cols(&["id"]),
            "CASCADE".to_owned()
        )])
    );

    // The cycle and the self-reference, with their actions.
    assert_eq!(
        catalog["department"].foreign_keys,
        BTreeSet::from([(
            cols(&["head_id"]),
            "employee".to_owned(),
            cols(&["id"]),
            "SET NULL".to_owned()
        )])
    );
    let no_action = |fk: &(Vec<String>, String, Vec<String>, String)| {
        (
            fk.0.clone(),
            fk.1.clone(),
            fk.2.clone(),
            fk.3.replace("RESTRICT", "NO ACTION"),
        )
    };
    let employee: BTreeSet<_> = catalog["employee"]
        .foreign_keys
        .iter()
        .map(no_action)
        .collect();
    assert_eq!(
        employee,
        BTreeSet::from([
            (
                cols(&["department_id"]),
                "department".to_owned(),
                cols(&["id"]),
                "NO ACTION".to_owned()
            ),
            (
                cols(&["manager_id"]),
                "employee".to_owned(),
                cols(&["id"]),
                "NO ACTION".to_owned()
            ),
        ])
    );
    assert_eq!(catalog["audit_entry"].primary_key, cols(&["id"]));
    assert_eq!(catalog["label"].unique, BTreeSet::from([cols(&["name"])]));
}

/// One backend's whole life cycle: create, check the catalog, create again (nothing
/// happens, data survives), drop.
macro_rules! lifecycle_test {
    ($name:ident, $db:expr, $describe:ident, $insert:literal) => {
        #[tokio::test]
        async fn $name() {
            let Some(db) = $db else { return };
            let pool = &db.pool;
            assert!(sqlx_table::registered().len() >= TABLES.len());

            let report = sqlx_table::create_all(pool)
                .await
                .expect("first create_all");
            let mut created = report.created.clone();
            created.sort();
            assert_eq!(created, TABLES);
            assert!(report.existing.is_empty());
            assert!(!report.statements.is_empty());
            let catalog = $describe(pool).await;
            assert_created(&catalog);

            for i in 1..=3_i64 {
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!($insert, i, i)))
                    .execute(pool)
                    .await
                    .unwrap();
            }

            let again = sqlx_table::create_all(pool)
                .await
                .expect("second create_all");
            assert!(
                again.created.is_empty(),
                "second create_all created {:?}",
                again.created
            );
            assert_eq!(again.existing.len(), TABLES.len());
            assert!(again.statements.is_empty());
            assert_eq!(
                again.round_trips, 1,
                "a warm create_all is one catalog query"
            );
            assert_eq!(
                $describe(pool).await,
                catalog,
                "the second create_all changed the catalog"
            );
            let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM note ORDER BY id")
                .fetch_all(pool)
                .await
                .unwrap();
            assert_eq!(bodies, ["note 1", "note 2", "note 3"]);

            let dropped = sqlx_table::drop_all(pool).await.expect("drop_all");
            assert_eq!(dropped.dropped.len(), TABLES.len());
            assert!(
                $describe(pool).await.is_empty(),
                "drop_all left tables behind"
            );
            let none = sqlx_table::drop_all(pool)
                .await
                .expect("drop_all on nothing");
            assert!(none.dropped.is_empty());
        }
    };
}

lifecycle_test!(
    sqlite_create_all_creates_checks_keeps_and_drops,
    Some(common::sqlite().await),
    describe,
    "INSERT INTO note (id, body) VALUES ({}, 'note {}')"
);
lifecycle_test!(
    postgres_create_all_creates_checks_keeps_and_drops,
    common::postgres().await,
    describe,
    "INSERT INTO note (id, body) VALUES ({}, 'note {}')"
);
lifecycle_test!(
    mysql_create_all_creates_checks_keeps_and_drops,
    common::mysql().await,
    describe,
    "INSERT INTO note (id, body) VALUES ({}, 'note {}')"
);

/// Creating the schema in two steps (a part first, then everything) creates each table
/// once and leaves the first part's data alone.
async fn partial_then_full<DB: Backend>(db: &TestDb<DB>) {
    let part = Models::new([&User::DEF, &Note::DEF]).unwrap();
    let first = part.create_all(&db.pool).await.unwrap();
    assert_eq!(first.created, ["note", "users"]);
    let second = sqlx_table::create_all(&db.pool).await.unwrap();
    let mut existing = second.existing.clone();
    existing.sort();
    assert_eq!(existing, ["note", "users"]);
    assert_eq!(second.created.len(), TABLES.len() - 2);
    assert!(
        !second
            .statements
            .iter()
            .any(|s| s.table == "users" || s.table == "note"),
        "create_all touched a table that existed"
    );
}

#[tokio::test]
async fn sqlite_create_all_creates_only_what_is_missing() {
    partial_then_full(&common::sqlite().await).await;
}

#[tokio::test]
async fn postgres_create_all_creates_only_what_is_missing() {
    if let Some(db) = common::postgres().await {
        partial_then_full(&db).await;
    }
}

#[tokio::test]
async fn mysql_create_all_creates_only_what_is_missing() {
    if let Some(db) = common::mysql().await {
        partial_then_full(&db).await;
    }
}

#[test]
fn the_cycle_is_closed_by_alter_table_on_postgres_and_mysql_and_inline_on_sqlite() {
    let schema = Models::registered().unwrap();
    let deferred: Vec<_> = schema
        .deferred_foreign_keys()
        .map(|(t, fk)| (t.name, fk.columns[0]))
        .collect();
    assert_eq!(deferred, [("employee", "department_id")]);
    for dialect in [sqlx_table::Dialect::Postgres, sqlx_table::Dialect::MySql] {
        let script = schema.create_script(dialect).unwrap();
        assert!(script.contains("ALTER TABLE"), "{script}");
    }
    let script = schema.create_script(sqlx_table::Dialect::Sqlite).unwrap();
    assert!(!script.contains("ALTER TABLE"), "{script}");
}

#[tokio::test]
async fn every_executed_statement_is_logged_at_debug_with_its_table() {
    let db = common::sqlite().await;
    let (logs, _guard) = common::logs::Logs::capture();
    let report = sqlx_table::create_all(&db.pool).await.unwrap();
    let text = logs.text();
    assert!(!report.statements.is_empty());
    for statement in &report.statements {
        let first_line = statement.sql.lines().next().unwrap();
        let logged = text.lines().any(|l| {
            l.contains("DEBUG")
                && l.contains(first_line)
                && l.contains(&format!("table={}", statement.table))
        });
        assert!(logged, "not logged: {first_line}\n{text}");
    }
}

// ---------------------------------------------------------------------------------------
// Many processes at once.

/// Not a test of its own: the body of each child process of the concurrency tests. It
/// connects to `TABLE_CHILD_URL`, waits for the instant `TABLE_CHILD_START` (Unix
/// milliseconds) so that all children call `create_all` together, and prints the tables
/// it created and whether it took the lock. With `TABLE_CHILD_EXTRA_TABLES=n`, it creates
/// `n` more tables besides the models (SQLite), so that its DDL takes a while.
#[tokio::test]
#[ignore = "run by the concurrency tests in child processes"]
async fn child_create_all() {
    let url = std::env::var("TABLE_CHILD_URL").expect("TABLE_CHILD_URL");
    let start: u64 = std::env::var("TABLE_CHILD_START").map_or(0, |s| s.parse().unwrap());
    let extra: usize = std::env::var("TABLE_CHILD_EXTRA_TABLES").map_or(0, |s| s.parse().unwrap());
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
        static ID: [sqlx_table::ColumnDef; 1] =
            [sqlx_table::ColumnDef::new("id", sqlx_table::SqlType::I64)];
        let extra_tables = (0..extra).map(|i| {
            let name: &'static str = Box::leak(format!("extra_{i:05}").into_boxed_str());
            &*Box::leak(Box::new(
                sqlx_table::TableDef::new(name, name)
                    .with_columns(&ID)
                    .with_primary_key(&["id"]),
            ))
        });
        let tables = sqlx_table::registered().into_iter().chain(extra_tables);
        Models::new(tables).unwrap().create_all(&pool).await
    } else if url.starts_with("postgres:") {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        tokio::time::sleep(until_start()).await;
        sqlx_table::create_all(&pool).await
    } else {
        let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
        tokio::time::sleep(until_start()).await;
        sqlx_table::create_all(&pool).await
    }
    .expect("create_all in a child process");
    println!("\nCREATED:{}", report.created.join(","));
    println!("\nTOOK_LOCK:{}", report.took_lock);
}

fn spawn_child(url: &str) -> std::process::Child {
    spawn_child_at(url, 0)
}

fn spawn_child_at(url: &str, start_millis: u64) -> std::process::Child {
    spawn_child_with(url, start_millis, 0)
}

fn spawn_child_with(url: &str, start_millis: u64, extra_tables: usize) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_create_all",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TABLE_CHILD_URL", url)
        .env("TABLE_CHILD_START", start_millis.to_string())
        .env("TABLE_CHILD_EXTRA_TABLES", extra_tables.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn a child test process")
}

/// The server limit a child's failure shows it hit, if any: a failure that is the
/// server's capacity, not the library's doing.
fn server_capacity(output: &str) -> Option<&'static str> {
    [
        (
            "out of shared memory",
            "PostgreSQL's lock table: max_locks_per_transaction",
        ),
        ("too many connections", "max_connections"),
        ("Too many connections", "max_connections"),
        ("remaining connection slots are reserved", "max_connections"),
        ("No space left on device", "disk space"),
    ]
    .into_iter()
    .find(|(text, _)| output.contains(text))
    .map(|(_, limit)| limit)
}

#[test]
fn a_child_failure_from_server_capacity_is_told_apart() {
    let pg = "error: CREATE TABLE failed on table `users`: error returned from database: \
              out of shared memory\nhint: You might need to increase max_locks_per_transaction.";
    assert_eq!(
        server_capacity(pg),
        Some("PostgreSQL's lock table: max_locks_per_transaction")
    );
    assert_eq!(
        server_capacity("error returned from database: 1040 (08004): Too many connections"),
        Some("max_connections")
    );
    assert_eq!(
        server_capacity("CREATE TABLE failed on table `users`: relation already exists"),
        None
    );
}

const PROCESSES: usize = 16;
/// Rounds in which at least two processes found tables missing and went for the lock: only
/// those test the lock (without it, both would create the tables, and one would fail).
/// Required of half the rounds, so that a slow machine that starts some children late does
/// not fail the test, while a build without a lock still meets a dozen real races.
const OVERLAPPING_ROUNDS: usize = ROUNDS / 2;
/// A race that shows one round in ten escapes 30 rounds with probability 0.9^30 ≈ 4 %.
const ROUNDS: usize = 30;

/// `PROCESSES` processes call create_all on one empty database at once, `ROUNDS` times:
/// every one succeeds, and every table is created by exactly one of them. And they did
/// race: in most rounds, two or more of them took the lock path.
async fn many_processes_at_once<DB: sqlx::Database>(fresh: impl AsyncFn() -> Option<TestDb<DB>>) {
    let mut overlapping = 0;
    for round in 0..ROUNDS {
        let Some(db) = fresh().await else { return };
        // Every child connects first, then all call create_all at this instant.
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64
            + 1000;
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| spawn_child_at(&db.url, start))
            .collect();
        let mut created: BTreeMap<String, usize> = BTreeMap::new();
        let mut took_lock = 0;
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success()
                && let Some(limit) = server_capacity(&format!("{stdout}{stderr}"))
            {
                panic!(
                    "round {round}: a child failed because the database server reached a \
                     limit ({limit}), not because of the library: {PROCESSES} processes at \
                     once, while other work on the same server holds its share. Run this \
                     test again on a quieter server, or raise that limit.\n{stdout}\n{stderr}"
                );
            }
            assert!(
                out.status.success(),
                "round {round}: a child failed:\n{stdout}\n{stderr}"
            );
            let line = stdout
                .lines()
                .find_map(|l| l.split_once("CREATED:").map(|(_, rest)| rest))
                .expect("the child's report");
            for table in line.split(',').filter(|t| !t.is_empty()) {
                *created.entry(table.to_owned()).or_default() += 1;
            }
            if stdout.lines().any(|l| l == "TOOK_LOCK:true") {
                took_lock += 1;
            }
        }
        if took_lock >= 2 {
            overlapping += 1;
        }
        let expected: BTreeMap<String, usize> =
            TABLES.iter().map(|t| ((*t).to_owned(), 1)).collect();
        assert_eq!(
            created, expected,
            "round {round}: tables created, and how many times"
        );
    }
    assert!(
        overlapping >= OVERLAPPING_ROUNDS,
        "only {overlapping} of {ROUNDS} rounds had two or more processes take the lock path: \
         the processes did not race, and the test proved nothing about the lock"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_sixteen_processes_create_each_table_once() {
    many_processes_at_once(async || Some(common::sqlite().await)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_sixteen_processes_create_each_table_once() {
    many_processes_at_once(common::postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mysql_sixteen_processes_create_each_table_once() {
    many_processes_at_once(common::mysql).await;
}

// ---------------------------------------------------------------------------------------
// A process killed in the middle.

/// PostgreSQL: the child blocks half-way through its transaction (it has created tables,
/// and waits for a lock on `users` that this test holds); killed there, it leaves none of
/// its tables, and the next create_all completes the schema.
#[tokio::test(flavor = "multi_thread")]
async fn postgres_killed_create_all_leaves_nothing_and_the_next_completes() {
    let Some(db) = common::postgres().await else {
        return;
    };
    Models::new([&User::DEF])
        .unwrap()
        .create_all(&db.pool)
        .await
        .unwrap();
    let mut blocker = db.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();

    let mut child = spawn_child(&db.url);
    // Wait until the child waits on `users` while holding locks on tables it created.
    let mut blocked = false;
    for _ in 0..400 {
        let row = sqlx::query(
            "SELECT count(*) FILTER (WHERE NOT granted AND relation = 'users'::regclass), \
                    count(*) FILTER (WHERE granted AND mode = 'AccessExclusiveLock' AND locktype = 'relation' \
                                     AND relation <> 'users'::regclass AND pid <> pg_backend_pid()) \
             FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let (waiting, created): (i64, i64) = (row.get(0), row.get(1));
        if waiting > 0 && created > 0 {
            blocked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(blocked, "the child never got half-way");
    child.kill().unwrap();
    child.wait().unwrap();
    blocker.rollback().await.unwrap();

    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        tables,
        ["users"],
        "a killed create_all left some of its tables"
    );

    let report = sqlx_table::create_all(&db.pool).await.unwrap();
    assert_eq!(report.created.len(), TABLES.len() - 1);
    assert_created(&describe(&db.pool).await);
}

/// SQLite: the child creates 2,000 tables besides the models, in one transaction that
/// takes a while; it is killed 50 ms after it began writing, long before it can finish.
/// Atomic, it leaves a hot journal that the next connection rolls back: no table. A
/// create_all whose statements commit one by one would have committed the first of them by
/// then, and this test would find them.
#[tokio::test(flavor = "multi_thread")]
async fn sqlite_killed_create_all_leaves_nothing_and_the_next_completes() {
    let db = common::sqlite().await;
    let journal = common::sqlite_journal(&db.url);
    sqlx::raw_sql("CREATE TABLE keep (x INTEGER)")
        .execute(&db.pool)
        .await
        .unwrap();
    db.pool.close().await;

    let mut child = spawn_child_with(&db.url, 0, 2000);
    common::kill_mid_transaction(
        &mut child,
        &journal,
        20_000,
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(50),
    )
    .await;

    let fresh = sqlx::SqlitePool::connect(&db.url).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1")
            .fetch_all(&fresh)
            .await
            .unwrap();
    assert_eq!(
        tables,
        ["keep"],
        "a killed create_all left some of its tables"
    );
    let report = sqlx_table::create_all(&fresh).await.unwrap();
    assert_eq!(report.created.len(), TABLES.len());
    sqlx::raw_sql("DROP TABLE keep")
        .execute(&fresh)
        .await
        .unwrap();
    assert_created(&describe(&fresh).await);
}

// ---------------------------------------------------------------------------------------
// The lock's timeout.

#[tokio::test]
async fn sqlite_lock_timeout_is_a_typed_error() {
    let db = common::sqlite().await;
    let mut holder = db.pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
    sqlx::raw_sql("CREATE TABLE keep (x INTEGER)")
        .execute(&mut *holder)
        .await
        .unwrap();
    let options =
        sqlx_table::Options::default().lock_timeout(std::time::Duration::from_millis(200));
    let err = Models::registered()
        .unwrap()
        .create_all_with(&db.pool, &options)
        .await
        .unwrap_err();
    assert!(
        matches!(err, sqlx_table::Error::LockTimeout { .. }),
        "{err}"
    );
    holder.rollback().await.unwrap();
    // The pool's connection was handed back in a usable state.
    sqlx_table::create_all(&db.pool).await.unwrap();
}

#[tokio::test]
async fn mysql_lock_timeout_is_a_typed_error() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let mut holder = db.pool.acquire().await.unwrap();
    let got: i64 =
        sqlx::query_scalar("SELECT GET_LOCK(CONCAT('table.create_all.', DATABASE()), 0)")
            .fetch_one(&mut *holder)
            .await
            .unwrap();
    assert_eq!(got, 1);
    let options = sqlx_table::Options::default().lock_timeout(std::time::Duration::from_secs(1));
    let err = Models::registered()
        .unwrap()
        .create_all_with(&db.pool, &options)
        .await
        .unwrap_err();
    assert!(
        matches!(err, sqlx_table::Error::LockTimeout { .. }),
        "{err}"
    );
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(tables, 0);
    sqlx::query("DO RELEASE_LOCK(CONCAT('table.create_all.', DATABASE()))")
        .execute(&mut *holder)
        .await
        .unwrap();
    sqlx_table::create_all(&db.pool).await.unwrap();
}

/// drop_all drops the schema's tables and nothing else: a table outside the schema that
/// references one of them makes it fail, in one transaction, rather than lose its key.
#[tokio::test]
async fn postgres_drop_all_never_cascades_outside_the_schema() {
    let Some(db) = common::postgres().await else {
        return;
    };
    sqlx_table::create_all(&db.pool).await.unwrap();
    sqlx::raw_sql("CREATE TABLE outsider (user_id UUID REFERENCES users (id))")
        .execute(&db.pool)
        .await
        .unwrap();
    let err = sqlx_table::drop_all(&db.pool).await.unwrap_err();
    let sqlx_table::Error::Database {
        table, statement, ..
    } = &err
    else {
        panic!("expected a database error, got {err}");
    };
    assert_eq!(table, "users", "{err}");
    assert!(statement.starts_with("DROP TABLE"), "{statement}");
    let catalog = describe(&db.pool).await;
    assert!(catalog.contains_key("outsider"));
    assert_eq!(
        catalog.len(),
        TABLES.len() + 1,
        "drop_all dropped some tables"
    );
    assert_eq!(catalog["outsider"].foreign_keys.len(), 1);
}

/// What a MySQL create_all that died half-way leaves: some tables, and a cycle whose
/// closing foreign key was never added. The next create_all completes both.
async fn rerun_completes_a_half_done_create_all<DB: Backend>(
    db: &TestDb<DB>,
    break_it: &str,
    describe: impl AsyncFn() -> Catalog,
) where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    sqlx_table::create_all(&db.pool).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(break_it.to_owned()))
        .execute(&db.pool)
        .await
        .unwrap();
    let broken = describe().await;
    assert!(!broken.contains_key("voices"));
    assert_eq!(broken["employee"].foreign_keys.len(), 1);

    let report = sqlx_table::create_all(&db.pool).await.unwrap();
    assert_eq!(report.created, ["voices"]);
    assert!(
        report.statements.iter().any(
            |s| s.sql.starts_with("ALTER TABLE") && s.sql.contains("fk_employee_department_id")
        ),
        "{:#?}",
        report.statements
    );
    assert_created(&describe().await);
    let warm = sqlx_table::create_all(&db.pool).await.unwrap();
    assert_eq!(warm.round_trips, 1);
}

#[tokio::test]
async fn mysql_rerun_completes_a_half_done_create_all() {
    let Some(db) = common::mysql().await else {
        return;
    };
    rerun_completes_a_half_done_create_all(
        &db,
        "ALTER TABLE employee DROP FOREIGN KEY fk_employee_department_id; DROP TABLE voices",
        async || describe(&db.pool).await,
    )
    .await;
}

#[tokio::test]
async fn postgres_rerun_completes_a_half_done_create_all() {
    let Some(db) = common::postgres().await else {
        return;
    };
    rerun_completes_a_half_done_create_all(
        &db,
        "ALTER TABLE employee DROP CONSTRAINT fk_employee_department_id; DROP TABLE voices",
        async || describe(&db.pool).await,
    )
    .await;
}
