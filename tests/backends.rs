//! Says, once per test run and before the database tests, which backends they will test and
//! which they will skip, and how to turn a skipped one on. A skipped database test passes
//! without testing anything, so this is the line that tells a green run from a tested one.
//!
//! A test binary without libtest's harness, so that its output is never captured. With
//! `TABLE_TEST_REQUIRE_SERVERS=1` (as `.ci/run` sets it) a missing URL fails it.

const SERVERS: [(&str, &str, &str); 2] = [
    (
        "PostgreSQL",
        "TABLE_TEST_POSTGRES_URL",
        "postgres://root@127.0.0.1:5432/postgres",
    ),
    (
        "MariaDB/MySQL",
        "TABLE_TEST_MYSQL_URL",
        "mysql://root@127.0.0.1:3306/test",
    ),
];

/// The clusters of tests/cluster.rs: a name, the variable with its URLs, and the script
/// that the tests run to start it when the variable is unset.
const CLUSTERS: [(&str, &str, &str); 3] = [
    (
        "MariaDB Galera, 3 nodes",
        "TABLE_TEST_GALERA_URLS",
        "scripts/galera-cluster.sh",
    ),
    (
        "PostgreSQL through PgBouncer (transaction pooling)",
        "TABLE_TEST_PGBOUNCER_URL",
        "scripts/pgbouncer.sh",
    ),
    (
        "PostgreSQL hot standby",
        "TABLE_TEST_PG_STANDBY_URL",
        "scripts/pg-standby.sh",
    ),
];

fn main() {
    for (name, var, script) in CLUSTERS {
        match std::env::var(var) {
            Ok(urls) if !urls.trim().is_empty() => println!("cluster tested: {name}: {urls}"),
            _ => println!(
                "cluster: {name}: {var} is not set; tests/cluster.rs runs `{script} start`, \
                 and skips its tests if that fails (fails them under \
                 TABLE_TEST_REQUIRE_SERVERS=1)"
            ),
        }
    }
    let required = std::env::var("TABLE_TEST_REQUIRE_SERVERS").is_ok_and(|v| v == "1");
    let skipped: Vec<_> = SERVERS
        .iter()
        .filter(|(_, var, _)| std::env::var(var).map_or(true, |url| url.is_empty()))
        .collect();
    let tested: Vec<_> = std::iter::once("SQLite")
        .chain(
            SERVERS
                .iter()
                .filter(|s| !skipped.contains(s))
                .map(|(name, _, _)| *name),
        )
        .collect();
    println!("\nbackends tested: {}", tested.join(", "));
    if skipped.is_empty() {
        return;
    }
    for (name, var, example) in &skipped {
        println!(
            "backend SKIPPED: {name}: its tests pass without running, because {var} is not set \
             (for example {var}={example})"
        );
    }
    println!(
        "`.ci/run` sets every URL and starts the servers; see the README's \"Try it\" section.\n"
    );
    if required {
        eprintln!("TABLE_TEST_REQUIRE_SERVERS=1 forbids skipping a backend");
        std::process::exit(1);
    }
}
