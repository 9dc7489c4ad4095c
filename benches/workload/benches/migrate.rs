//! `migrate` at 1000 (or `BENCH_SIZES`) generated tables, adding one column to every table,
//! against the same ALTER script run by the database's own client (`sqlite3`, `psql`,
//! `mariadb`). See BENCHMARKS.md.
//!
//! ```text
//! cargo bench -p workload --all-features --bench migrate              # SQLite
//! TABLE_TEST_POSTGRES_URL=postgres://root@127.0.0.1/postgres \
//! TABLE_TEST_MYSQL_URL=mysql://root@127.0.0.1/test \
//!     cargo bench -p workload --all-features --bench migrate          # and the servers
//! ```
//!
//! Version 1 of the database is the workload's schema with `waveform` (a nullable column
//! with no index) dropped from every generated table; the models, version 2, have it. Before
//! each run, untimed, the column is dropped again. The floor's script is the statements
//! `migrate` ran, in `BEGIN; … COMMIT;` on PostgreSQL and SQLite (`BEGIN IMMEDIATE`), as
//! `migrate` runs them; the client is a process of its own, so its time includes its start
//! and its connection, which ours (on a connected pool) doesn't.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Pool;
use sqlx_table::{Backend, Dialect, Models};

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
        .unwrap_or(5)
}

fn sizes() -> Vec<usize> {
    std::env::var("BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1000])
}

/// Drops `waveform` from every generated table: the database back at version 1.
async fn to_version_1<DB: Backend>(pool: &Pool<DB>, n: usize)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let q = |name: &str| DB::DIALECT.quote(name);
    // A read first: SQLite's DROP COLUMN checks the column against the connection's copy
    // of the schema without first checking that the client's script didn't change it.
    let mut sql = String::from(match DB::DIALECT {
        Dialect::Sqlite => "SELECT count(*) FROM sqlite_schema;\n",
        _ => "",
    });
    for k in 0..n {
        sql.push_str(&format!(
            "ALTER TABLE {} DROP COLUMN {};\n",
            q(&workload::table_name(k)),
            q("waveform")
        ));
    }
    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
        .execute(pool)
        .await
    {
        panic!("drop the column: {e}\n{}", &sql[..sql.len().min(300)]);
    }
}

fn sqlite_path(url: &str) -> &str {
    url.trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap()
}

/// The client's command that runs a script file.
fn client(dialect: Dialect, url: &str, script: &std::path::Path) -> Command {
    let mut cmd = match dialect {
        Dialect::Sqlite => {
            let mut c = Command::new("sqlite3");
            c.arg(sqlite_path(url));
            c
        }
        Dialect::Postgres => {
            let mut c = Command::new("psql");
            c.args(["-q", "-v", "ON_ERROR_STOP=1", "-d", url]);
            c
        }
        _ => {
            let name = url.rsplit('/').next().unwrap().split('?').next().unwrap();
            let mut c = Command::new("mariadb");
            c.args(["-h", "127.0.0.1", "-u", "root", name]);
            c
        }
    };
    cmd.stdin(std::fs::File::open(script).unwrap())
        .stdout(Stdio::null());
    cmd
}

async fn measure<DB: Backend>(backend: &str, n: usize, schema: &Models, db: &common::TestDb<DB>)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let dialect = DB::DIALECT;
    schema.create_all(&db.pool).await.unwrap();
    // SQLite's DROP COLUMN checks the whole schema each time, so dropping 1000 columns takes
    // minutes: there, each run gets a copy of a version-1 file made once.
    let pristine = (dialect == Dialect::Sqlite)
        .then(|| std::env::temp_dir().join(common::unique_name("migrate_v1") + ".db"));
    if let Some(pristine) = &pristine {
        to_version_1(&db.pool, n).await;
        std::fs::copy(sqlite_path(&db.url), pristine).unwrap();
    }
    let fresh = async || -> (Pool<DB>, String, Option<std::path::PathBuf>) {
        match &pristine {
            Some(pristine) => {
                let path = std::env::temp_dir().join(common::unique_name("migrate_run") + ".db");
                std::fs::copy(pristine, &path).unwrap();
                let url = format!("sqlite://{}?mode=rwc", path.display());
                (Pool::<DB>::connect(&url).await.unwrap(), url, Some(path))
            }
            None => {
                to_version_1(&db.pool, n).await;
                (db.pool.clone(), db.url.clone(), None)
            }
        }
    };
    let script = std::env::temp_dir().join(common::unique_name("migrate_floor") + ".sql");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut round_trips = 0;
    let mut statements = 0;
    for rep in 0..reps() {
        let (pool, _, file) = fresh().await;
        let start = Instant::now();
        let report = schema.migrate(&pool).await.expect("migrate");
        ours.push(start.elapsed());
        if let Some(file) = file {
            pool.close().await;
            let _ = std::fs::remove_file(file);
        }
        assert_eq!(report.applied.len(), n, "one column per generated table");
        round_trips = report.round_trips;
        statements = report.statements.len();
        if rep == 0 {
            let (begin, commit) = match dialect {
                Dialect::Sqlite => ("BEGIN IMMEDIATE;\n", "COMMIT;\n"),
                Dialect::Postgres => ("BEGIN;\n", "COMMIT;\n"),
                _ => ("", ""),
            };
            std::fs::write(&script, format!("{begin}{}{commit}", report.script())).unwrap();
        }

        let (pool, url, file) = fresh().await;
        let mut cmd = client(dialect, &url, &script);
        let start = Instant::now();
        let out = cmd.output().expect("run the client");
        theirs.push(start.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if rep == 0 {
            let plan = schema.plan(&pool).await.unwrap();
            assert!(plan.is_empty(), "the floor's script left:\n{plan}");
        }
        if let Some(file) = file {
            pool.close().await;
            let _ = std::fs::remove_file(file);
        }
    }
    let _ = std::fs::remove_file(&script);
    if let Some(pristine) = &pristine {
        let _ = std::fs::remove_file(pristine);
    }
    let runs = ours.len();
    let (o, omin, omax) = median(ours);
    let (t, tmin, tmax) = median(theirs);
    println!(
        "| {backend:<8} | {n:>5} | {runs:>4} | {:>7} ({}–{}) | {:>7} ({}–{}) | {:>5.2}× | {round_trips} / {statements} statements |",
        ms(o),
        ms(omin),
        ms(omax),
        ms(t),
        ms(tmin),
        ms(tmax),
        o.as_secs_f64() / t.as_secs_f64(),
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |b: &str| only.is_empty() || only.iter().any(|o| o == b);
    println!(
        "| backend  | tables altered | runs | migrate ms median (min–max) | client ms median (min–max) | ratio | migrate's round trips / statements |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    rt.block_on(async {
        for n in sizes() {
            let schema = workload::schema(n);
            if wanted("sqlite") {
                let db = common::sqlite().await;
                measure("SQLite", n, &schema, &db).await;
            }
            if wanted("postgres")
                && let Some(db) = common::postgres().await
            {
                measure("Postgres", n, &schema, &db).await;
            }
            if wanted("mysql")
                && let Some(db) = common::mysql().await
            {
                measure("MariaDB", n, &schema, &db).await;
            }
        }
    });
}
