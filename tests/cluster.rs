//! `create_all` on a database cluster: a three-node MariaDB Galera cluster, PostgreSQL
//! through PgBouncer in transaction pooling mode, and a PostgreSQL hot standby.
//!
//! Each comes from an environment variable (`TABLE_TEST_GALERA_URLS`, three URLs separated
//! by spaces; `TABLE_TEST_PGBOUNCER_URL`; `TABLE_TEST_PG_STANDBY_URL`), or, when it is
//! unset, from the project's script that starts it (`scripts/galera-cluster.sh`,
//! `scripts/pgbouncer.sh`, `scripts/pg-standby.sh`: each starts its server unless it is
//! running and prints its URLs). A script that can't start its server skips the tests,
//! or fails them under `TABLE_TEST_REQUIRE_SERVERS=1`. PgBouncer and the standby serve the
//! databases of `TABLE_TEST_POSTGRES_URL`'s server, where each test makes its own.

mod common;
pub mod models;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, MySqlConnection, Row};
use sqlx_table::{ColumnDef, Error, Models, SqlType, Table, TableDef};

use models::User;

/// Half of a foreign-key cycle, so that the cluster also meets a cycle's `ALTER TABLE`.
#[derive(Table)]
pub struct Team {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Member, on_delete = "set null")]
    pub lead_id: Option<i64>,
}

/// The other half, with an index.
#[derive(Table)]
pub struct Member {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Team)]
    pub team_id: Option<i64>,
    #[table(index, max_length = 100)]
    pub name: String,
}

/// The tables of this binary's models, sorted.
const TABLES: [&str; 4] = ["member", "team", "users", "voices"];

// ---------------------------------------------------------------------------------------
// Where the servers are.

/// The URLs of `var`, or of what `script start` prints when `var` is unset; `None` (a
/// skipped test) when the script can't start its server, unless servers are required.
fn server_urls(var: &str, script: &str) -> Option<Vec<String>> {
    if let Ok(urls) = std::env::var(var)
        && !urls.trim().is_empty()
    {
        return Some(urls.split_whitespace().map(str::to_owned).collect());
    }
    let path = format!("{}/scripts/{script}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(&path)
        .arg("start")
        .stdin(Stdio::null())
        .output();
    let failure = match out {
        Ok(out) if out.status.success() => {
            let urls: Vec<String> = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            if !urls.is_empty() {
                return Some(urls);
            }
            "it printed no URL".to_owned()
        }
        Ok(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
        Err(e) => e.to_string(),
    };
    if std::env::var("TABLE_TEST_REQUIRE_SERVERS").is_ok_and(|v| v == "1") {
        panic!(
            "{var} is not set and `{path} start` failed, and TABLE_TEST_REQUIRE_SERVERS=1 \
             forbids skipping:\n{failure}"
        );
    }
    eprintln!("skipped: {var} is not set and `{path} start` failed:\n{failure}");
    None
}

/// Each server once per test binary: its tests run on threads of one process.
fn galera_urls() -> Option<&'static [String]> {
    static URLS: OnceLock<Option<Vec<String>>> = OnceLock::new();
    URLS.get_or_init(|| {
        let urls = server_urls("TABLE_TEST_GALERA_URLS", "galera-cluster.sh")?;
        assert_eq!(
            urls.len(),
            3,
            "TABLE_TEST_GALERA_URLS: three nodes, got {urls:?}"
        );
        Some(urls)
    })
    .as_deref()
}

fn pgbouncer_url() -> Option<&'static str> {
    static URL: OnceLock<Option<Vec<String>>> = OnceLock::new();
    URL.get_or_init(|| server_urls("TABLE_TEST_PGBOUNCER_URL", "pgbouncer.sh"))
        .as_ref()
        .map(|urls| urls[0].as_str())
}

fn standby_url() -> Option<&'static str> {
    static URL: OnceLock<Option<Vec<String>>> = OnceLock::new();
    URL.get_or_init(|| server_urls("TABLE_TEST_PG_STANDBY_URL", "pg-standby.sh"))
        .as_ref()
        .map(|urls| urls[0].as_str())
}

/// The name of the database a URL names.
fn database_of(url: &str) -> &str {
    let path = url.split('?').next().unwrap_or(url);
    &path[path.rfind('/').unwrap() + 1..]
}

/// A pool through PgBouncer in transaction pooling mode, with sqlx's default options:
/// create_all sends its SQL by the simple query protocol, never as a prepared statement,
/// which PgBouncer 1.18 can't carry from one server connection to the next.
async fn pgbouncer_pool(url: &str) -> sqlx::PgPool {
    sqlx::PgPool::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect through PgBouncer ({url}): {e}"))
}

// ---------------------------------------------------------------------------------------
// The child processes.

/// Not a test of its own: the body of each child process. It connects to `TABLE_CHILD_URL`
/// (a Galera node, or PgBouncer), waits for the instant
/// `TABLE_CHILD_START` (Unix milliseconds) so that all children call `create_all`
/// together, and prints the tables it created and whether it took the lock.
#[tokio::test]
#[ignore = "run by the cluster tests in child processes"]
async fn child_create_all() {
    let url = std::env::var("TABLE_CHILD_URL").expect("TABLE_CHILD_URL");
    let start: u64 = std::env::var("TABLE_CHILD_START").map_or(0, |s| s.parse().unwrap());
    let until_start = || Duration::from_millis(start.saturating_sub(unix_millis()));
    let report = if url.starts_with("postgres:") {
        let pool = pgbouncer_pool(&url).await;
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

fn unix_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn spawn_child(url: &str, start_millis: u64) -> std::process::Child {
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
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn a child test process")
}

/// What one round of children did: how many times each table was created, and which
/// children (by index) took the lock.
struct Round {
    created: BTreeMap<String, usize>,
    took_lock: Vec<usize>,
}

/// Waits for every child; each must succeed. The start instant is a second away, so that
/// every child has connected before any calls create_all.
fn run_children(round: usize, urls: &[String]) -> Round {
    let start = unix_millis() + 1000;
    let children: Vec<_> = urls.iter().map(|url| spawn_child(url, start)).collect();
    let mut created: BTreeMap<String, usize> = BTreeMap::new();
    let mut took_lock = Vec::new();
    for (i, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "round {round}: child {i} ({}) failed:\n{stdout}\n{stderr}",
            urls[i]
        );
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("CREATED:").map(|(_, rest)| rest))
            .expect("the child's report");
        for table in line.split(',').filter(|t| !t.is_empty()) {
            *created.entry(table.to_owned()).or_default() += 1;
        }
        if stdout.lines().any(|l| l == "TOOK_LOCK:true") {
            took_lock.push(i);
        }
    }
    Round { created, took_lock }
}

/// The names, sorted: `created` is in creation order.
fn sorted(names: &[String]) -> Vec<&str> {
    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
    names.sort_unstable();
    names
}

fn each_table_once() -> BTreeMap<String, usize> {
    TABLES.iter().map(|t| ((*t).to_owned(), 1)).collect()
}

// ---------------------------------------------------------------------------------------
// Galera.

const GALERA_ROUNDS: usize = 20;
const GALERA_PROCESSES: usize = 30;

/// A connection to one node that reads what the whole cluster has committed: with
/// `wsrep_sync_wait`, a read first waits until this node has applied every write the
/// cluster ordered before it.
async fn causal(url: &str) -> MySqlConnection {
    let mut conn = MySqlConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    conn.execute("SET SESSION wsrep_sync_wait = 15")
        .await
        .unwrap();
    conn
}

/// A database on the cluster, dropped when this drops (a failed test included).
struct GaleraDb {
    admin_url: String,
    name: String,
}

impl GaleraDb {
    /// A new database, on every node before this returns.
    async fn create(nodes: &[String]) -> GaleraDb {
        let name = common::unique_name("table_galera");
        causal(&nodes[0])
            .await
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE `{name}`")))
            .await
            .unwrap();
        for node in nodes {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
            )
            .bind(&name)
            .fetch_one(&mut causal(node).await)
            .await
            .unwrap();
            assert_eq!(n, 1, "the new database reached {node}");
        }
        GaleraDb {
            admin_url: nodes[0].clone(),
            name,
        }
    }
}

impl Drop for GaleraDb {
    fn drop(&mut self) {
        let (url, sql) = (
            self.admin_url.clone(),
            format!("DROP DATABASE IF EXISTS `{}`", self.name),
        );
        // Drop can't await, and the test's runtime is blocked here: a runtime of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(mut conn) = MySqlConnection::connect(&url).await {
                    let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
                }
            });
        })
        .join();
    }
}

/// Every table of `database` on one node, each as `SHOW CREATE TABLE` writes it.
async fn node_catalog(url: &str, database: &str) -> Vec<(String, String)> {
    let mut conn = causal(url).await;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CONVERT(TABLE_NAME USING utf8mb4) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
    )
    .bind(database)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = Vec::new();
    for name in names {
        let row = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "SHOW CREATE TABLE `{database}`.`{name}`"
        )))
        .fetch_one(&mut conn)
        .await
        .unwrap();
        out.push((name, row.get::<String, _>(1)));
    }
    out
}

/// Thirty processes, ten on each of the three nodes, call create_all on one empty database
/// at once, twenty times: every process succeeds, every table is created by exactly one of
/// them, and every node's catalog is the same. And they did race across nodes: in most
/// rounds, processes on two or more nodes took the lock path (each node's `GET_LOCK` is its
/// own, so those ran their DDL at the same time).
#[tokio::test(flavor = "multi_thread")]
async fn galera_thirty_processes_over_three_nodes_create_each_table_once() {
    let Some(nodes) = galera_urls() else { return };
    let mut across_nodes = 0;
    for round in 0..GALERA_ROUNDS {
        let db = GaleraDb::create(nodes).await;
        let database = &db.name;
        let urls: Vec<String> = (0..GALERA_PROCESSES)
            .map(|i| common::with_database(&nodes[i % nodes.len()], database))
            .collect();
        let done = run_children(round, &urls);
        assert_eq!(
            done.created,
            each_table_once(),
            "round {round}: tables created, and how many times"
        );
        let lock_nodes: std::collections::BTreeSet<usize> =
            done.took_lock.iter().map(|i| i % nodes.len()).collect();
        if lock_nodes.len() >= 2 {
            across_nodes += 1;
        }
        let first = node_catalog(&nodes[0], database).await;
        assert_eq!(
            first.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
            TABLES,
            "round {round}: the tables on node 1"
        );
        for node in &nodes[1..] {
            assert_eq!(
                node_catalog(node, database).await,
                first,
                "round {round}: the catalog of {node} against node 1's"
            );
        }
    }
    assert!(
        across_nodes >= GALERA_ROUNDS / 2,
        "only {across_nodes} of {GALERA_ROUNDS} rounds had processes on two or more nodes \
         take the lock path: the nodes did not race, and the test proved nothing"
    );
}

/// A second create_all on another node finds everything the first created there: one
/// catalog query, no lock.
#[tokio::test]
async fn galera_warm_create_all_on_another_node_takes_no_lock() {
    let Some(nodes) = galera_urls() else { return };
    let db = GaleraDb::create(nodes).await;
    let database = &db.name;
    let on = |node: usize| common::with_database(&nodes[node], database);
    let first = sqlx::MySqlPool::connect(&on(0)).await.unwrap();
    let cold = sqlx_table::create_all(&first).await.unwrap();
    assert_eq!(sorted(&cold.created), TABLES);
    first.close().await;
    // Node 3 has applied node 1's DDL once a causal read there returns.
    assert_eq!(node_catalog(&nodes[2], database).await.len(), TABLES.len());
    let third = sqlx::MySqlPool::connect(&on(2)).await.unwrap();
    let warm = sqlx_table::create_all(&third).await.unwrap();
    assert!(warm.created.is_empty() && !warm.took_lock, "{warm:?}");
    assert_eq!((warm.existing.len(), warm.round_trips), (TABLES.len(), 1));
    third.close().await;
}

// ---------------------------------------------------------------------------------------
// PgBouncer in transaction pooling mode.

/// The advisory locks held in the database `name` (oid), by any session: none once
/// create_all returns, or the lock outlived it on a server connection that PgBouncer
/// handed to someone else.
async fn advisory_locks(primary: &sqlx::PgPool, name: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
         WHERE l.locktype = 'advisory' AND d.datname = $1",
    )
    .bind(name)
    .fetch_one(primary)
    .await
    .unwrap()
}

/// Cold, then warm, through PgBouncer.
#[tokio::test]
async fn pgbouncer_cold_then_warm_create_all() {
    let Some(bouncer) = pgbouncer_url() else {
        return;
    };
    let Some(db) = common::postgres().await else {
        return;
    };
    let name = database_of(&db.url).to_owned();
    let pool = pgbouncer_pool(&common::with_database(bouncer, &name)).await;
    let cold = sqlx_table::create_all(&pool).await.unwrap();
    assert_eq!(sorted(&cold.created), TABLES);
    assert!(cold.took_lock);
    // What the server has, asked directly, not through PgBouncer.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(tables, TABLES);
    assert_eq!(advisory_locks(&db.pool, &name).await, 0);
    let warm = sqlx_table::create_all(&pool).await.unwrap();
    assert!(warm.created.is_empty() && !warm.took_lock, "{warm:?}");
    assert_eq!((warm.existing.len(), warm.round_trips), (TABLES.len(), 1));
    pool.close().await;
}

const PGBOUNCER_ROUNDS: usize = 10;
const PGBOUNCER_PROCESSES: usize = 16;

/// Sixteen processes through PgBouncer call create_all on one empty database at once, ten
/// times: the advisory transaction lock holds on whichever server connection PgBouncer
/// gives each transaction, every process succeeds, and each table is created once.
#[tokio::test(flavor = "multi_thread")]
async fn pgbouncer_sixteen_processes_create_each_table_once() {
    let Some(bouncer) = pgbouncer_url() else {
        return;
    };
    let mut overlapping = 0;
    for round in 0..PGBOUNCER_ROUNDS {
        let Some(db) = common::postgres().await else {
            return;
        };
        let name = database_of(&db.url).to_owned();
        let url = common::with_database(bouncer, &name);
        let done = run_children(round, &vec![url; PGBOUNCER_PROCESSES]);
        assert_eq!(
            done.created,
            each_table_once(),
            "round {round}: tables created, and how many times"
        );
        if done.took_lock.len() >= 2 {
            overlapping += 1;
        }
        assert_eq!(advisory_locks(&db.pool, &name).await, 0);
    }
    assert!(
        overlapping >= PGBOUNCER_ROUNDS / 2,
        "only {overlapping} of {PGBOUNCER_ROUNDS} rounds had two or more processes take the \
         lock path: the processes did not race"
    );
}

/// A schema too large for one transaction's share of the server's lock table is created
/// in several transactions, under a session-level advisory lock between them. Through
/// PgBouncer each of those transactions could land on another server connection unless
/// the session stays in a transaction from the lock to the unlock: it does (each split is
/// one request that commits and opens the next), so the tables are created in several
/// transactions and no advisory lock is left behind.
#[tokio::test]
async fn pgbouncer_schema_split_over_transactions_keeps_its_session() {
    let Some(bouncer) = pgbouncer_url() else {
        return;
    };
    let Some(db) = common::postgres().await else {
        return;
    };
    let name = database_of(&db.url).to_owned();
    let budget: i64 = sqlx::query_scalar(
        "SELECT current_setting('max_locks_per_transaction')::int8 \
         * (current_setting('max_connections')::int8 \
         + current_setting('max_prepared_transactions')::int8) / 4",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    // About ten locks a table (db/session.rs): enough tables for three transactions.
    let count = (budget as usize / 10) * 2 + 20;
    static ID: [ColumnDef; 1] = [ColumnDef::new("id", SqlType::I64)];
    let tables: Vec<&'static TableDef> = (0..count)
        .map(|i| {
            let table: &'static str = Box::leak(format!("wide_{i:04}").into_boxed_str());
            &*Box::leak(Box::new(
                TableDef::new(table, table)
                    .with_columns(&ID)
                    .with_primary_key(&["id"]),
            ))
        })
        .collect();
    let schema = Models::new(tables).unwrap();
    let pool = pgbouncer_pool(&common::with_database(bouncer, &name)).await;
    let report = schema.create_all(&pool).await.unwrap();
    assert_eq!(report.created.len(), count);
    pool.close().await;
    // Each table's catalog row carries the id of the transaction that created it.
    let (tables, transactions): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT xmin::text) FROM pg_class \
         WHERE relname LIKE 'wide\\_%' AND relkind = 'r'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(tables, count as i64);
    assert!(
        transactions >= 2,
        "{count} tables in {transactions} transaction(s): the split was not tested"
    );
    assert_eq!(advisory_locks(&db.pool, &name).await, 0);
}

// ---------------------------------------------------------------------------------------
// A PostgreSQL hot standby.

/// Waits until the standby has replayed everything the primary has written so far.
async fn caught_up(primary: &sqlx::PgPool, standby: &str) {
    let lsn: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
        .fetch_one(primary)
        .await
        .unwrap();
    let mut conn = sqlx::PgConnection::connect(standby)
        .await
        .unwrap_or_else(|e| panic!("connect to the standby {standby}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let replayed: bool =
            sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn")
                .bind(&lsn)
                .fetch_one(&mut conn)
                .await
                .unwrap();
        if replayed {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the standby did not replay the primary's WAL up to {lsn} within a minute"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// On a standby whose tables all exist (created on the primary, replayed), create_all
/// succeeds with its one catalog query: no lock, nothing written.
#[tokio::test]
async fn standby_warm_create_all_succeeds_without_writing() {
    let Some(standby) = standby_url() else { return };
    let Some(db) = common::postgres().await else {
        return;
    };
    let cold = sqlx_table::create_all(&db.pool).await.unwrap();
    assert_eq!(sorted(&cold.created), TABLES);
    caught_up(&db.pool, standby).await;
    let url = common::with_database(standby, database_of(&db.url));
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let in_recovery: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(in_recovery, "{url} is not a standby");
    let warm = sqlx_table::create_all(&pool).await.unwrap();
    assert!(warm.created.is_empty() && !warm.took_lock, "{warm:?}");
    assert_eq!((warm.existing.len(), warm.round_trips), (TABLES.len(), 1));
    pool.close().await;
}

/// On a standby of an empty database, create_all says the server is read-only, before
/// any DDL, in a typed error.
#[tokio::test]
async fn standby_cold_create_all_is_a_read_only_error() {
    let Some(standby) = standby_url() else { return };
    let Some(db) = common::postgres().await else {
        return;
    };
    caught_up(&db.pool, standby).await;
    let url = common::with_database(standby, database_of(&db.url));
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let error = sqlx_table::create_all(&pool).await.unwrap_err();
    assert!(
        matches!(&error, Error::ReadOnly { dialect: "PostgreSQL", why } if why == "hot standby"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the PostgreSQL server is read-only (hot standby): the missing tables can't be \
         created on it; run create_all against the primary (read-write) server"
    );
    pool.close().await;
    // And the primary was not touched either.
    let tables: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(tables, 0);
}

/// A primary whose sessions are read-only by default (`default_transaction_read_only`) gets
/// the same typed error, with its own reason, and nothing is created.
#[tokio::test]
async fn read_only_transactions_are_a_read_only_error() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let name = database_of(&db.url).to_owned();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE \"{name}\" SET default_transaction_read_only = on"
    )))
    .execute(&db.pool)
    .await
    .unwrap();
    // A new pool: the setting applies to sessions that start after it.
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let error = sqlx_table::create_all(&pool).await.unwrap_err();
    assert!(
        matches!(&error, Error::ReadOnly { dialect: "PostgreSQL", why } if why == "read-only transaction"),
        "{error:?}"
    );
    pool.close().await;
    let tables: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(tables, 0);
}

/// `User` is one of the models this binary creates.
#[test]
fn the_models_are_the_tables_listed() {
    let mut names: Vec<&str> = Models::registered()
        .unwrap()
        .tables()
        .map(|t| t.name)
        .collect();
    names.sort_unstable();
    assert_eq!(names, TABLES);
    assert_eq!(User::NAME, "users");
}
