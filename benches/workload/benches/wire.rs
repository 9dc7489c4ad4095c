//! The warm start and `plan` on the wire: what listing each table's columns adds to the warm
//! `create_all` (`Options::missing_columns`), and how many round trips a counting proxy
//! sees for a warm `create_all` and for `plan`, next to the requests the library sends.
//! See BENCHMARKS.md.
//!
//! ```text
//! TABLE_TEST_POSTGRES_URL=postgres://root@127.0.0.1/postgres \
//! TABLE_TEST_MYSQL_URL=mysql://root@127.0.0.1/test \
//!     cargo bench -p workload --all-features --bench wire     # BENCH_SIZES, BENCH_REPS
//! ```
//!
//! The proxy listens on 127.0.0.1 only, forwards bytes unchanged, and counts a round trip
//! each time the client sends after the server has answered (or first): a burst of
//! client messages and the server's answer. It lives as long as the process.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sqlx::pool::PoolOptions;
use sqlx::{AssertSqlSafe, Pool};
use sqlx_table::{Backend, Dialect, Models, Options};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[path = "../../../tests/common/mod.rs"]
mod common;

/// A forwarding proxy to `upstream` that counts round trips.
struct Proxy {
    /// `127.0.0.1:port`
    addr: String,
    turns: Arc<AtomicUsize>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().unwrap().to_string();
        let turns = Arc::new(AtomicUsize::new(0));
        let counter = turns.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(&upstream).await.expect("upstream");
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                // Whether the server spoke last: the next client bytes start a round trip.
                let answered = Arc::new(AtomicBool::new(true));
                let (a, counter) = (answered.clone(), counter.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0; 64 * 1024];
                    while let Ok(n @ 1..) = cr.read(&mut buf).await {
                        if a.swap(false, Ordering::SeqCst) {
                            counter.fetch_add(1, Ordering::SeqCst);
                        }
                        if sw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
                tokio::spawn(async move {
                    let mut buf = vec![0; 64 * 1024];
                    while let Ok(n @ 1..) = sr.read(&mut buf).await {
                        answered.store(true, Ordering::SeqCst);
                        if cw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Proxy { addr, turns }
    }

    /// The round trips `work` causes, including what the pool sends after it returns (its
    /// on-release ping runs in a task of its own).
    async fn count<T>(&self, work: impl Future<Output = T>) -> (usize, T) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let before = self.turns.load(Ordering::SeqCst);
        let out = work.await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        (self.turns.load(Ordering::SeqCst) - before, out)
    }
}

/// `scheme://user@host:port/db?…` → (the same URL through `proxy`, `host:port`).
fn through(url: &str, default_port: u16, proxy: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..end];
    let (user, host) = match authority.rsplit_once('@') {
        Some((user, host)) => (format!("{user}@"), host),
        None => (String::new(), authority),
    };
    let upstream = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:{default_port}")
    };
    (
        format!("{scheme}://{user}{proxy}{}", &rest[end..]),
        upstream,
    )
}

fn floor_catalog_query(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SELECT name FROM sqlite_schema WHERE type = 'table'",
        Dialect::Postgres => {
            "SELECT c.relname FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
        }
        Dialect::MySql => {
            "SELECT TABLE_NAME FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"
        }
        other => unimplemented!("no floor query for {other:?}"),
    }
}

fn reps() -> usize {
    std::env::var("BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(31)
}

fn median(mut runs: Vec<Duration>) -> String {
    runs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    format!(
        "{:.2} ({:.2}–{:.2})",
        ms(runs[runs.len() / 2]),
        ms(runs[0]),
        ms(runs[runs.len() - 1])
    )
}

fn mid(runs: &[Duration]) -> f64 {
    let mut v = runs.to_vec();
    v.sort();
    v[v.len() / 2].as_secs_f64()
}

/// The warm `create_all` with and without the column lists, against the plain listing,
/// alternating on one database where every table exists.
async fn warm<DB: Backend>(backend: &str, n: usize, schema: &Models, pool: &Pool<DB>)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let floor = floor_catalog_query(DB::DIALECT);
    let off = Options::default().missing_columns(false);
    let on = Options::default().missing_columns(true);
    let (mut with, mut without, mut listing) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..reps() {
        let start = Instant::now();
        let report = schema.create_all_with(pool, &on).await.unwrap();
        with.push(start.elapsed());
        assert!(report.created.is_empty() && report.missing_columns.is_empty());
        assert_eq!(report.round_trips, 1);

        let start = Instant::now();
        schema.create_all_with(pool, &off).await.unwrap();
        without.push(start.elapsed());

        let start = Instant::now();
        let rows = sqlx::raw_sql(AssertSqlSafe(floor))
            .fetch_all(pool)
            .await
            .unwrap();
        listing.push(start.elapsed());
        assert_eq!(rows.len(), schema.len());
    }
    println!(
        "| {backend:<8} | {n:>4} | {:>3} | {} | {} | {} | {:.2}× | {:.2}× |",
        with.len(),
        median(with.clone()),
        median(without.clone()),
        median(listing.clone()),
        mid(&with) / mid(&listing),
        mid(&with) / mid(&without),
    );
}

/// Wire round trips of a warm `create_all` and of `plan`, through the proxy, with the
/// pool's default settings and with `test_before_acquire(false)`.
async fn wire<DB: Backend>(backend: &str, n: usize, schema: &Models, url: &str, port: u16) {
    for test_before_acquire in [true, false] {
        let (_, upstream) = through(url, port, "");
        let proxy = Proxy::start(upstream).await;
        let (proxied, _) = through(url, port, &proxy.addr);
        let pool: Pool<DB> = PoolOptions::new()
            .max_connections(1)
            .test_before_acquire(test_before_acquire)
            .connect(&proxied)
            .await
            .unwrap();
        // Connected and idle before counting.
        schema.create_all(&pool).await.unwrap();
        let (create_wire, report) = proxy.count(schema.create_all(&pool)).await;
        let report = report.unwrap();
        let (plan_wire, plan) = proxy.count(schema.plan(&pool)).await;
        assert!(plan.unwrap().is_empty());
        println!(
            "| {backend:<8} | {n:>4} | {test_before_acquire} | {} | {create_wire} | {plan_wire} |",
            report.round_trips,
        );
        pool.close().await;
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![50, 200, 1000])
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        println!(
            "| backend  |    N | runs | warm create_all ms, columns listed | columns not listed (default) | plain table listing | listed / listing | listed / not listed |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        // Kept (their pools closed) until the wire rows are measured, then dropped.
        let (mut postgres, mut mysql) = (Vec::new(), Vec::new());
        for n in sizes() {
            let schema = workload::schema(n);
            let db = common::sqlite().await;
            schema.create_all(&db.pool).await.unwrap();
            warm("SQLite", n, &schema, &db.pool).await;
            db.pool.close().await;

            if let Some(db) = common::postgres().await {
                schema.create_all(&db.pool).await.unwrap();
                warm("Postgres", n, &schema, &db.pool).await;
                db.pool.close().await;
                postgres.push((n, db));
            }
            if let Some(db) = common::mysql().await {
                schema.create_all(&db.pool).await.unwrap();
                warm("MariaDB", n, &schema, &db.pool).await;
                db.pool.close().await;
                mysql.push((n, db));
            }
        }
        println!();
        println!(
            "| backend  |    N | test_before_acquire | create_all requests | create_all wire round trips | plan wire round trips |"
        );
        println!("|---|---:|---|---:|---:|---:|");
        for (n, db) in &postgres {
            wire::<sqlx::Postgres>("Postgres", *n, &workload::schema(*n), &db.url, 5432).await;
        }
        for (n, db) in &mysql {
            wire::<sqlx::MySql>("MariaDB", *n, &workload::schema(*n), &db.url, 3306).await;
        }
        drop(postgres);
        drop(mysql);
    });
}
