//! A warm `create_all` (every table exists) sends at most 2 statements at N = 200, counted
//! independently of the library's own `round_trips`: by sqlx's per-request log events
//! (target `sqlx::query`, one per request a connection sends), and on MariaDB/MySQL also by
//! the server's own session counter `Questions`.
//!
//! Each test measures on a pool of one connection, opened before the count starts. A pool
//! that opens a connection counts that connection's own set-up (SQLite's
//! `PRAGMA foreign_keys = ON`, MySQL's `SET sql_mode ...`) as requests too, and a larger pool
//! opens one whenever the previous call's connection is still on its way back to the pool
//! (sqlx returns it from a task of its own): that race, not the library, made the SQLite
//! count read 2 now and then.

#[path = "../../../tests/common/mod.rs"]
mod common;

use sqlx::pool::PoolOptions;
use sqlx::{AssertSqlSafe, Row};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

const N: usize = 200;

/// Requests sqlx sent, process-wide, by their SQL: SQLite runs its connections on threads of
/// their own, so only a global subscriber sees them all.
static SENT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
/// The tests of this file take turns, so that the count is theirs alone.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct CountQueries;

/// The SQL of a `sqlx::query` event (its `db.statement` field, or its `summary`).
#[derive(Default)]
struct Statement(String);

impl tracing::field::Visit for Statement {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "db.statement" || (field.name() == "summary" && self.0.is_empty()) {
            self.0 = format!("{value:?}");
        }
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "db.statement" || (field.name() == "summary" && self.0.is_empty()) {
            self.0 = value.to_owned();
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut statement = Statement::default();
            event.record(&mut statement);
            SENT.lock().unwrap().push(statement.0);
        }
    }
}

async fn count_queries() -> tokio::sync::MutexGuard<'static, ()> {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountQueries))
            .expect("no other global subscriber in this test binary");
    });
    TURN.lock().await
}

fn sent() -> usize {
    SENT.lock().unwrap().len()
}

/// A pool of exactly one connection, already open, so that nothing but the calls under test
/// sends requests on it.
async fn one_connection<DB: sqlx_table::Backend>(url: &str) -> sqlx::Pool<DB> {
    let pool = PoolOptions::<DB>::new()
        .max_connections(1)
        .min_connections(1)
        .connect(url)
        .await
        .expect("connect");
    drop(pool.acquire().await.expect("the one connection"));
    pool
}

async fn create<DB: sqlx_table::Backend>(pool: &sqlx::Pool<DB>) {
    let cold = workload::schema(N)
        .create_all(pool)
        .await
        .expect("cold create_all");
    assert_eq!(cold.created.len(), N + 1);
}

/// Runs a warm `create_all` and returns the requests sqlx saw it send.
async fn warm_requests<DB: sqlx_table::Backend>(pool: &sqlx::Pool<DB>) -> usize {
    let schema = workload::schema(N);
    let before = sent();
    let report = schema.create_all(pool).await.expect("warm create_all");
    let statements = SENT.lock().unwrap()[before..].to_vec();
    let sent = statements.len();
    assert!(report.created.is_empty());
    assert!(
        report.round_trips <= 2,
        "warm create_all reports {} round trips",
        report.round_trips
    );
    assert_eq!(
        sent, report.round_trips,
        "sqlx saw other requests than reported: {statements:#?}"
    );
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_create_all_sends_at_most_two_statements_on_sqlite() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    let pool = one_connection::<sqlx::Sqlite>(&db.url).await;
    create(&pool).await;
    let sent = warm_requests(&pool).await;
    assert!(sent <= 2, "warm create_all sent {sent} requests");
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_create_all_sends_at_most_two_statements_on_postgres() {
    let _turn = count_queries().await;
    let Some(db) = common::postgres().await else {
        return;
    };
    let pool = one_connection::<sqlx::Postgres>(&db.url).await;
    create(&pool).await;
    let sent = warm_requests(&pool).await;
    assert!(sent <= 2, "warm create_all sent {sent} requests");
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_create_all_sends_at_most_two_statements_on_mysql() {
    let _turn = count_queries().await;
    let Some(db) = common::mysql().await else {
        return;
    };
    // One connection, so that the session counter sees everything create_all sends.
    let pool = one_connection::<sqlx::MySql>(&db.url).await;
    let questions = || async {
        let row = sqlx::raw_sql(AssertSqlSafe("SHOW SESSION STATUS LIKE 'Questions'"))
            .fetch_one(&pool)
            .await
            .expect("read Questions");
        row.get::<String, _>(1).parse::<usize>().expect("a count")
    };
    create(&pool).await;
    let before = questions().await;
    let sent = warm_requests(&pool).await;
    // The second SHOW STATUS counts itself.
    let statements = questions().await - before - 1;
    assert!(sent <= 2, "warm create_all sent {sent} requests");
    assert!(
        statements <= 2,
        "the server ran {statements} statements for a warm create_all"
    );
    pool.close().await;
}
