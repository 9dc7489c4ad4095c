//! The wall time of `LiveSchema::read` and of `Models::plan` (the read, then the comparison
//! with the models, which must find nothing) on a database of 1000 (or `BENCH_SIZES`)
//! generated tables, against the database's own schema dump of the same database (`pg_dump
//! --schema-only`, `mariadb-dump --no-data`, `sqlite3 .schema`). See BENCHMARKS.md.
//!
//! ```text
//! cargo bench -p workload --all-features --bench live_read            # SQLite
//! TABLE_TEST_POSTGRES_URL=postgres://root@127.0.0.1/postgres \
//! TABLE_TEST_MYSQL_URL=mysql://root@127.0.0.1/test \
//!     cargo bench -p workload --all-features --bench live_read        # and the servers
//! ```
//!
//! The dump is a separate process that connects, reads the catalog and writes DDL text;
//! it is the everyday tool for "what does this database hold", not an exact floor. Its time
//! includes its own start-up and connection, ours doesn't include the pool's connection.

use std::process::Command;
use std::time::{Duration, Instant};

use sqlx::Pool;
use sqlx_table::Backend;
use sqlx_table::live::LiveSchema;

#[path = "../../../tests/common/mod.rs"]
mod common;

fn median(mut runs: Vec<Duration>) -> (Duration, Duration, Duration) {
    runs.sort();
    (runs[runs.len() / 2], runs[0], runs[runs.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn reps() -> usize {
    std::env::var("BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11)
}

/// Times `reps` reads and `reps` runs of the dump command, alternating, and prints a row.
async fn measure<DB: Backend>(backend: &str, n: usize, pool: &Pool<DB>, dump: &mut Command) {
    let live = LiveSchema::read(pool, &[]).await.expect("read");
    assert_eq!(live.tables.len(), n + 1, "users and the n generated tables");
    let columns: usize = live.tables.iter().map(|t| t.columns.len()).sum();
    let indexes: usize = live.tables.iter().map(|t| t.indexes.len()).sum();
    let fks: usize = live.tables.iter().map(|t| t.foreign_keys.len()).sum();
    let schema = workload::schema(n);
    let (mut ours, mut plans, mut diffs, mut theirs) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut dump_bytes = 0;
    for _ in 0..reps() {
        let start = Instant::now();
        let again = LiveSchema::read(pool, &[]).await.expect("read");
        ours.push(start.elapsed());
        assert_eq!(again, live, "two reads of one database differ");

        let start = Instant::now();
        let plan = schema.plan(pool).await.expect("plan");
        plans.push(start.elapsed());
        assert!(plan.is_empty(), "drift after create_all:\n{plan}");

        // The comparison alone, no database: what plan adds to the read.
        let start = Instant::now();
        let plan = schema.diff(DB::DIALECT, &live).expect("diff");
        diffs.push(start.elapsed());
        assert!(plan.is_empty());

        let start = Instant::now();
        let out = dump.output().expect("run the dump command");
        theirs.push(start.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dump_bytes = out.stdout.len();
    }
    let runs = ours.len();
    let (o, omin, omax) = median(ours);
    let (p, pmin, pmax) = median(plans);
    let (d, dmin, dmax) = median(diffs);
    let (t, tmin, tmax) = median(theirs);
    println!(
        "| {backend:<8} | {:>5} | {columns:>6} / {indexes:>5} / {fks:>5} | {runs:>4} | {:>7} ({}–{}) | {:>7} ({}–{}) | {:>7} ({}–{}) | {:>7} ({}–{}) | {:>5.2}× | {:>5.2}× | {:>7} KiB |",
        n + 1,
        ms(o),
        ms(omin),
        ms(omax),
        ms(p),
        ms(pmin),
        ms(pmax),
        ms(d),
        ms(dmin),
        ms(dmax),
        ms(t),
        ms(tmin),
        ms(tmax),
        o.as_secs_f64() / t.as_secs_f64(),
        p.as_secs_f64() / t.as_secs_f64(),
        dump_bytes / 1024,
    );
}

fn sizes() -> Vec<usize> {
    std::env::var("BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1000])
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!(
        "| backend  | tables | columns / indexes / FKs | runs | LiveSchema::read ms median (min–max) | plan ms median (min–max) | of which diff ms | dump ms median (min–max) | read / dump | plan / dump | dump size |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    rt.block_on(async {
        for n in sizes() {
            let db = common::sqlite().await;
            workload::schema(n).create_all(&db.pool).await.unwrap();
            let path = db
                .url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap()
                .to_owned();
            let mut dump = Command::new("sqlite3");
            dump.arg(&path).arg(".schema");
            measure("SQLite", n, &db.pool, &mut dump).await;

            if let Some(db) = common::postgres().await {
                workload::schema(n).create_all(&db.pool).await.unwrap();
                let mut dump = Command::new("pg_dump");
                dump.arg("--schema-only")
                    .arg(format!("--dbname={}", db.url));
                measure("Postgres", n, &db.pool, &mut dump).await;
            }

            if let Some(db) = common::mysql().await {
                workload::schema(n).create_all(&db.pool).await.unwrap();
                let name = db
                    .url
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .split('?')
                    .next()
                    .unwrap()
                    .to_owned();
                let mut dump = Command::new("mariadb-dump");
                dump.args(["--no-data", "-h", "127.0.0.1", "-u", "root", &name]);
                measure("MariaDB", n, &db.pool, &mut dump).await;
            }
        }
    });
}
