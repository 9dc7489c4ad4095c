//! The start-up cost of `create_all` at 50, 200 and 1000 tables, against the floor the
//! database itself sets. See BENCHMARKS.md.
//!
//! ```text
//! cargo bench -p workload --all-features            # SQLite
//! TABLE_TEST_POSTGRES_URL=postgres://root@127.0.0.1/postgres \
//! TABLE_TEST_MYSQL_URL=mysql://root@127.0.0.1/test \
//!     cargo bench -p workload --all-features        # and PostgreSQL, MariaDB/MySQL
//! ```
//!
//! - cold: `create_all` on an empty database, against our own DDL script sent as one raw
//!   multi-statement call, in one transaction where DDL is transactional;
//! - warm: `create_all` when every table exists, against one catalog query listing them.
//!
//! Each cold run gets a fresh database. `BENCH_SIZES` (default `50,200,1000`) and
//! `BENCH_REPS` (default 7/5/5 cold runs by size, 31 warm runs) override the defaults;
//! `BENCH_FLOOR_FIRST=1` runs the floor first in each cold pair.
//!
//! Over 400 lines: one benchmark program, cold and warm, ours and the floor, for each backend.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Pool};
use sqlx_table::{Backend, Dialect, Models};

#[path = "../../../tests/common/mod.rs"]
mod common;

/// Counts the bytes allocated by the whole process, so that a run's allocations can be
/// compared with the SQL it sends.
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: defers to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size.saturating_sub(layout.size()), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Raw SQL on a pool, for the floors: the one thing the backends can't share generically.
trait Raw: Backend {
    fn run_script(pool: &Pool<Self>, sql: String) -> impl Future<Output = ()>;
    /// Runs a query and returns how many rows it answered.
    fn rows(pool: &Pool<Self>, sql: String) -> impl Future<Output = usize>;
}

macro_rules! raw {
    ($db:ty) => {
        impl Raw for $db {
            async fn run_script(pool: &Pool<Self>, sql: String) {
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(pool)
                    .await
                    .expect("floor script");
            }

            async fn rows(pool: &Pool<Self>, sql: String) -> usize {
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .fetch_all(pool)
                    .await
                    .expect("floor catalog query")
                    .len()
            }
        }
    };
}

#[cfg(feature = "sqlite")]
raw!(sqlx::Sqlite);
#[cfg(feature = "postgres")]
raw!(sqlx::Postgres);
#[cfg(feature = "mysql")]
raw!(sqlx::MySql);

/// The smallest query that lists the tables of the current database or schema.
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

/// Our own creation script as one raw call: in one transaction where DDL is transactional;
/// MySQL commits each DDL statement whatever we do.
fn floor_script(dialect: Dialect, schema: &Models) -> String {
    let script = schema
        .create_script(dialect)
        .expect("valid for the dialect");
    match dialect {
        Dialect::Sqlite => format!("BEGIN IMMEDIATE;\n{script}COMMIT;"),
        Dialect::Postgres => format!("BEGIN;\n{script}COMMIT;"),
        // MySQL commits each DDL statement: no transaction to wrap.
        _ => script,
    }
}

/// A set of timings: median and spread.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn median(&self) -> Duration {
        let mut v = self.0.clone();
        v.sort();
        v[v.len() / 2]
    }
    fn min(&self) -> Duration {
        *self.0.iter().min().unwrap()
    }
    fn max(&self) -> Duration {
        *self.0.iter().max().unwrap()
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else if ms < 100.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

struct Line {
    backend: &'static str,
    n: usize,
    case: &'static str,
    ours: Samples,
    floor: Samples,
    round_trips: usize,
    allocated: usize,
    sql_bytes: usize,
}

impl Line {
    fn print(&self) {
        let ratio = self.ours.median().as_secs_f64() / self.floor.median().as_secs_f64();
        let sent = if self.sql_bytes == 0 {
            "catalog query".to_owned()
        } else {
            format!("{:.0} KiB", self.sql_bytes as f64 / 1024.0)
        };
        println!(
            "| {:<8} | {:>4} | {:<4} | {:>3} | {:>8} ({}–{}) | {:>8} ({}–{}) | {:>5.2}× | {:>3} / 1 | {:>6.0} KiB / {} |",
            self.backend,
            self.n,
            self.case,
            self.ours.0.len(),
            ms(self.ours.median()),
            ms(self.ours.min()),
            ms(self.ours.max()),
            ms(self.floor.median()),
            ms(self.floor.min()),
            ms(self.floor.max()),
            ratio,
            self.round_trips,
            self.allocated as f64 / 1024.0,
            sent,
        );
    }
}

fn header() {
    println!(
        "| backend  |    N | case | runs | create_all ms median (min–max) | floor ms median (min–max) | ratio | round trips (ours / floor) | allocated by create_all / SQL it sent |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|");
}

fn reps(default: usize) -> usize {
    std::env::var("BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn cold_reps(n: usize) -> usize {
    match n {
        0..=50 => reps(7),
        // Seconds a run on PostgreSQL and MariaDB, and noisy: five keep the median honest.
        _ => reps(5),
    }
}

/// Closes the pool on this runtime before the harness drops the database: its `Drop` runs
/// on a runtime of its own, which can't drive this one's connections.
async fn close<DB: sqlx::Database>(db: common::TestDb<DB>) {
    db.pool.close().await;
    drop(db);
}

/// One run of the cold floor on a fresh database, which is returned to be dropped later.
async fn cold_floor<DB: Raw, F, Fut>(
    fresh: &F,
    script: &str,
    query: &str,
    tables: usize,
) -> (Duration, common::TestDb<DB>)
where
    F: Fn() -> Fut,
    Fut: Future<Output = common::TestDb<DB>>,
{
    let db = fresh().await;
    let start = Instant::now();
    DB::run_script(&db.pool, script.to_owned()).await;
    let elapsed = start.elapsed();
    assert_eq!(DB::rows(&db.pool, query.to_owned()).await, tables);
    (elapsed, db)
}

/// Benchmarks one backend at every size; `fresh` makes an empty database.
async fn bench<DB: Raw, F, Fut>(backend: &'static str, sizes: &[usize], fresh: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = common::TestDb<DB>>,
{
    let dialect = DB::DIALECT;
    // Which of a cold pair runs first: a check that the order doesn't decide the ratio.
    let floor_first = std::env::var_os("BENCH_FLOOR_FIRST").is_some();
    for &n in sizes {
        let schema = workload::schema(n);
        let tables = schema.len();
        let floor_script = floor_script(dialect, &schema);
        let floor_query = floor_catalog_query(dialect);

        // Cold: alternate ours and the floor, each on a fresh database.
        let mut cold = Line {
            backend,
            n,
            case: "cold",
            ours: Samples::default(),
            floor: Samples::default(),
            round_trips: 0,
            allocated: 0,
            sql_bytes: 0,
        };
        // Databases are dropped only after the size is measured: dropping one of a thousand
        // tables in between runs leaves the server busy (files unlinked, a checkpoint) for
        // whichever run comes next, which skewed one side of the pair by up to 2x on PostgreSQL.
        let mut used = Vec::new();
        let mut warm_db = None;
        for _ in 0..cold_reps(n) {
            if floor_first {
                let (elapsed, db) = cold_floor(&fresh, &floor_script, floor_query, tables).await;
                cold.floor.0.push(elapsed);
                used.push(db);
            }
            let db = fresh().await;
            let before = ALLOCATED.load(Ordering::Relaxed);
            let start = Instant::now();
            let report = schema.create_all(&db.pool).await.expect("cold create_all");
            cold.ours.0.push(start.elapsed());
            cold.allocated = ALLOCATED.load(Ordering::Relaxed) - before;
            cold.round_trips = report.round_trips;
            cold.sql_bytes = report.script().len();
            assert_eq!(
                report.created.len(),
                tables,
                "cold create_all created everything"
            );
            used.extend(warm_db.replace(db));

            if !floor_first {
                let (elapsed, db) = cold_floor(&fresh, &floor_script, floor_query, tables).await;
                cold.floor.0.push(elapsed);
                used.push(db);
            }
        }
        cold.print();

        // Warm: every table exists; alternate ours and the floor on the same database.
        let db = warm_db.expect("at least one cold run");
        let mut warm = Line {
            backend,
            n,
            case: "warm",
            ours: Samples::default(),
            floor: Samples::default(),
            round_trips: 0,
            allocated: 0,
            sql_bytes: 0,
        };
        schema.create_all(&db.pool).await.expect("warm-up");
        DB::rows(&db.pool, floor_query.to_owned()).await;
        for _ in 0..reps(31) {
            let before = ALLOCATED.load(Ordering::Relaxed);
            let start = Instant::now();
            let report = schema.create_all(&db.pool).await.expect("warm create_all");
            warm.ours.0.push(start.elapsed());
            warm.allocated = ALLOCATED.load(Ordering::Relaxed) - before;
            warm.round_trips = report.round_trips;
            assert!(report.created.is_empty() && report.existing.len() == tables);

            let start = Instant::now();
            let rows = DB::rows(&db.pool, floor_query.to_owned()).await;
            warm.floor.0.push(start.elapsed());
            assert_eq!(rows, tables);
        }
        warm.print();
        close(db).await;
        for db in used {
            close(db).await;
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks backends by name.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "50,200,1000".to_owned())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("BENCH_SIZES: comma-separated numbers")
        })
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    header();
    rt.block_on(async {
        #[cfg(feature = "sqlite")]
        if wanted("sqlite") {
            bench("SQLite", &sizes, common::sqlite).await;
        }
        #[cfg(feature = "postgres")]
        if wanted("postgres") && std::env::var_os("TABLE_TEST_POSTGRES_URL").is_some() {
            bench("Postgres", &sizes, || async {
                common::postgres().await.unwrap()
            })
            .await;
        }
        #[cfg(feature = "mysql")]
        if wanted("mysql") && std::env::var_os("TABLE_TEST_MYSQL_URL").is_some() {
            bench("MariaDB", &sizes, || async {
                common::mysql().await.unwrap()
            })
            .await;
        }
    });
    schema_build(&sizes);
}

/// What every process pays once before its first `create_all`, on no database: building
/// the schema (`Models::new`: checks, foreign-key order) and checking it for a dialect.
/// `sqlx_table::create_all` does this from the registry; the rows above time `create_all` on a
/// schema built beforehand.
fn schema_build(sizes: &[usize]) {
    println!();
    println!(
        "| N | Models::new + validate_for, ms median (min–max) of {} |",
        reps(31)
    );
    println!("|---:|---:|");
    for &n in sizes {
        let mut samples = Samples::default();
        for _ in 0..reps(31) {
            let start = Instant::now();
            let schema = workload::schema(n);
            schema
                .validate_for(Dialect::Postgres)
                .expect("valid for PostgreSQL");
            samples.0.push(start.elapsed());
        }
        println!(
            "| {n} | {} ({}–{}) |",
            ms(samples.median()),
            ms(samples.min()),
            ms(samples.max())
        );
    }
}
