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

fn main() {
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
