//! A warm `create_all` (every table exists) sends at most 2 statements at N = 200, counted
//! independently of the library's own `round_trips`: by sqlx's per-request log events
//! (target `sqlx::query`, one per request a connection sends), and on MariaDB/MySQL also by
//! the server's own session counter `Questions` on a one-connection pool.

#[path = "../../../tests/common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::pool::PoolOptions;
use sqlx::{AssertSqlSafe, Row};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

const N: usize = 200;

/// Requests sqlx sent, process-wide: SQLite runs its connections on threads of their own,
/// so only a global subscriber sees them all.
static SENT: AtomicUsize = AtomicUsize::new(0);
/// The tests of this file take turns, so that the count is theirs alone.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct CountQueries;

impl<S: tracing::Subscriber> Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            SENT.fetch_add(1, Ordering::SeqCst);
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
    let before = SENT.load(Ordering::SeqCst);
    let report = schema.create_all(pool).await.expect("warm create_all");
    let sent = SENT.load(Ordering::SeqCst) - before;
    assert!(report.created.is_empty());
    assert!(
        report.round_trips <= 2,
        "warm create_all reports {} round trips",
        report.round_trips
    );
    assert_eq!(
        sent, report.round_trips,
        "sqlx saw other requests than reported"
    );
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_create_all_sends_at_most_two_statements_on_sqlite() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    create(&db.pool).await;
    let sent = warm_requests(&db.pool).await;
    assert!(sent <= 2, "warm create_all sent {sent} requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_create_all_sends_at_most_two_statements_on_postgres() {
    let _turn = count_queries().await;
    let Some(db) = common::postgres().await else {
        return;
    };
    create(&db.pool).await;
    let sent = warm_requests(&db.pool).await;
    assert!(sent <= 2, "warm create_all sent {sent} requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_create_all_sends_at_most_two_statements_on_mysql() {
    let _turn = count_queries().await;
    let Some(db) = common::mysql().await else {
        return;
    };
    // One connection, so that the session counter sees everything create_all sends.
    let pool = PoolOptions::<sqlx::MySql>::new()
        .max_connections(1)
        .connect(&db.url)
        .await
        .expect("connect");
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
