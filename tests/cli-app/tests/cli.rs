//! The command line as a process: the shop example's binary (every backend compiled in)
//! runs each subcommand against a fresh SQLite file, PostgreSQL database and MariaDB
//! database, and its exit code, text and JSON are checked, along with what it did to the
//! database. `drop`'s confirmation prompt is answered in a real terminal (tmux).

#[path = "../../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const SHOP: &str = env!("CARGO_BIN_EXE_shop");

const TABLES: [&str; 6] = [
    "categories",
    "customers",
    "loyalty_cards",
    "order_lines",
    "orders",
    "products",
];

/// The shop binary with `args`, no `DATABASE_URL` from the test's environment, and stdin
/// that is not a terminal.
fn shop(args: &[&str]) -> Output {
    Command::new(SHOP)
        .args(args)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run the shop binary")
}

/// Runs `args`, checks the exit code, and returns stdout.
fn run(args: &[&str], code: i32) -> String {
    let out = shop(args);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "shop {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    stdout
}

/// Runs `args` with `--json`, checks the exit code, and parses stdout.
fn run_json(args: &[&str], code: i32) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    let stdout = run(&args, code);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("shop {args:?}: {e}\n{stdout}"))
}

fn strings(value: &Value) -> Vec<String> {
    let mut out: Vec<String> = value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// The table names and relationship lines of a Mermaid diagram: what the models' and the
/// live database's diagrams share (types are each catalog's own).
fn shape(mermaid: &str) -> Vec<String> {
    mermaid
        .lines()
        .filter(|l| l.contains(" : ") || l.ends_with(" {"))
        .map(str::to_owned)
        .collect()
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(common::unique_name("shop_migrations"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every subcommand against one database at `url`; `sql` runs SQL there behind the CLI's
/// back (to change the database under the models).
async fn every_subcommand<F, Fut>(url: &str, dialect: &str, sql: F)
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    fn with<'a>(args: &[&'a str], url: &'a str) -> Vec<&'a str> {
        let mut v = args.to_vec();
        v.extend(["--database-url", url]);
        v
    }
    let with_db = |args: &[&'static str]| with(args, url);

    // ddl: no database.
    let ddl = run(&["ddl", "--dialect", dialect], 0);
    assert!(ddl.contains("CREATE TABLE"), "{ddl}");
    for table in TABLES {
        assert!(ddl.contains(table), "{table} missing from\n{ddl}");
    }
    let json = run_json(&["ddl", "--dialect", dialect], 0);
    assert_eq!(json["dialect"], dialect);
    assert!(json["statements"].as_array().unwrap().len() >= TABLES.len());

    // diagram: no database, the dialect from the URL.
    let diagram = run(&with_db(&["diagram"]), 0);
    assert!(diagram.starts_with("erDiagram\n"), "{diagram}");
    assert!(diagram.contains(r#""customers" ||--o| "loyalty_cards" : "customer_id""#));
    assert!(diagram.contains(r#""categories" |o..o{ "products" : "category_id""#));
    let dot = run(&["diagram", "--dialect", dialect, "--format", "dot"], 0);
    assert!(dot.starts_with("digraph schema {"), "{dot}");
    let json = run_json(&["diagram", "--dialect", dialect], 0);
    assert_eq!(json["tables"], 6);
    assert_eq!(json["source"], "models");
    assert_eq!(json["text"], diagram.as_str());

    // An empty database: everything is missing, and safe to create.
    let plan = run(&with_db(&["plan"]), 0);
    assert!(plan.contains("[safe] create table customers"), "{plan}");
    let json = run_json(&with_db(&["plan"]), 0);
    assert_eq!(json["drift"], true);
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 6, "{json}");
    assert!(steps.iter().all(|s| s["class"] == "safe"), "{json}");
    let check = run(&with_db(&["check"]), 1);
    assert!(check.contains("6 difference(s)"), "{check}");
    assert_eq!(run_json(&with_db(&["check"]), 1)["drift"], true);

    // migration: the plan as a file.
    let dir = temp_dir();
    let dir_arg = dir.to_str().unwrap();
    let json = run_json(&with(&["migration", "--dir", dir_arg, "first"], url), 0);
    let files = strings(&json["files"]);
    assert_eq!(files.len(), 1, "{json}");
    assert!(files[0].ends_with("_first.sql"), "{json}");
    let body = std::fs::read_to_string(&files[0]).unwrap();
    assert!(body.contains("CREATE TABLE"), "{body}");

    // create, then create again: nothing left to create, and check passes.
    let created = run(&with_db(&["create"]), 0);
    assert!(created.starts_with("Created: "), "{created}");
    let json = run_json(&with_db(&["create"]), 0);
    assert_eq!(strings(&json["created"]), Vec::<String>::new());
    assert_eq!(strings(&json["existing"]), TABLES);
    let check = run(&with_db(&["check"]), 0);
    assert_eq!(check, "The database is what the models describe.\n");
    assert_eq!(run_json(&with_db(&["check"]), 0)["drift"], false);
    let json = run_json(&with(&["migration", "--dir", dir_arg], url), 0);
    assert_eq!(strings(&json["files"]), Vec::<String>::new());

    // The live diagram draws what the models draw.
    let live = run(&with_db(&["diagram", "--live"]), 0);
    assert_eq!(shape(&live), shape(&diagram), "{live}");
    assert_eq!(
        run_json(&with_db(&["diagram", "--live"]), 0)["source"],
        "database"
    );

    // The database drifts from the models: check fails, naming what differs.
    sql("ALTER TABLE products DROP COLUMN price_cents").await;
    sql("DROP TABLE loyalty_cards").await;
    let check = run(&with_db(&["check"]), 1);
    assert!(check.contains("price_cents"), "{check}");
    assert!(check.contains("create table loyalty_cards"), "{check}");
    let json = run_json(&with_db(&["check"]), 1);
    let steps = json["steps"].as_array().unwrap();
    let price = steps
        .iter()
        .find(|s| s["change"].as_str().unwrap().contains("price_cents"))
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(price["table"], "products");
    assert_eq!(price["class"], "needs_person", "{json}");
    assert!(price["reason"].is_string(), "{json}");

    // migrate applies the safe part (the table) and leaves the NOT NULL column to a person.
    let json = run_json(&with_db(&["migrate"]), 0);
    let applied: Vec<&str> = json["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["table"].as_str().unwrap())
        .collect();
    assert_eq!(applied, ["loyalty_cards"], "{json}");
    assert_eq!(json["left"]["drift"], true);
    let migrated = run(&with_db(&["migrate"]), 0);
    assert!(migrated.contains("Nothing safe to apply."), "{migrated}");
    assert!(migrated.contains("Left for a person:"), "{migrated}");
    assert!(migrated.contains("price_cents"), "{migrated}");
    run(&with_db(&["check"]), 1);

    // drop: refused without a terminal or --yes; then done with --yes.
    let out = shop(&with_db(&["drop"]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--yes"), "{stderr}");
    let json = run_json(&with_db(&["drop", "--yes"]), 0);
    assert_eq!(strings(&json["dropped"]), TABLES);
    let again = run(&with_db(&["drop", "--yes"]), 0);
    assert_eq!(again, "No table of the models exists: nothing to drop.\n");
    assert_eq!(
        run_json(&with_db(&["plan"]), 0)["steps"]
            .as_array()
            .unwrap()
            .len(),
        6
    );

    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn every_subcommand_on_sqlite() {
    let db = common::sqlite().await;
    let pool = db.pool.clone();
    every_subcommand(&db.url, "sqlite", |sql| {
        let pool = pool.clone();
        async move {
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn every_subcommand_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let pool = db.pool.clone();
    every_subcommand(&db.url, "postgres", |sql| {
        let pool = pool.clone();
        async move {
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn every_subcommand_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let pool = db.pool.clone();
    every_subcommand(&db.url, "mysql", |sql| {
        let pool = pool.clone();
        async move {
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        }
    })
    .await;
}

#[test]
fn the_url_comes_from_database_url_too() {
    let out = Command::new(SHOP)
        .args(["diagram"])
        .env("DATABASE_URL", "mysql://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // MySQL's types: the dialect came from the environment's URL.
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("BIGINT id PK"), "{text}");
}

#[test]
fn usage_errors_exit_2_and_database_errors_exit_3() {
    // Three backends compiled in: the diagram needs a dialect or a URL.
    let out = shop(&["diagram"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--dialect"));
    assert_eq!(shop(&["check"]).status.code(), Some(2), "no URL");
    assert_eq!(shop(&["plan", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(shop(&["ddl", "--dialect", "oracle"]).status.code(), Some(2));
    assert_eq!(
        shop(&["plan", "--database-url", "http://example.invalid/"])
            .status
            .code(),
        Some(2)
    );
    // Nothing listens on port 1.
    let json = run_json(
        &[
            "check",
            "--database-url",
            "postgres://me:secret@127.0.0.1:1/none",
        ],
        3,
    );
    assert_eq!(json["exit_code"], 3);
    let error = json["error"].as_str().unwrap();
    assert!(
        error.contains("postgres://me:***@127.0.0.1:1/none"),
        "{error}"
    );
    assert!(!error.contains("secret"), "{error}");
    // --help is not an error.
    let help = run(&["check", "--help"], 0);
    assert!(help.contains("--database-url"), "{help}");
}

#[test]
fn other_arguments_are_the_apps_own() {
    let text = run(&["serve", "--port", "8080"], 0);
    assert!(
        text.starts_with("shop: the app would start here."),
        "{text}"
    );
    let text = run(&[], 0);
    assert!(
        text.starts_with("shop: the app would start here."),
        "{text}"
    );
}

/// The README's diagram is the example's, as the CLI draws it for PostgreSQL.
#[test]
fn the_readme_shows_the_examples_diagram() {
    let diagram = run(&["diagram", "--dialect", "postgres"], 0);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    assert!(
        readme.contains(&format!("```mermaid\n{diagram}```\n")),
        "README.md's mermaid block is not `shop diagram --dialect postgres`:\n{diagram}"
    );
}

// ---------------------------------------------------------------------------------------
// drop's prompt, in a terminal.

/// A tmux server of this test's own (`-L`), so that no other tmux session is touched.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Runs `shell` in a new detached session of 200x50.
    fn start(&self, session: &str, shell: &str) {
        let out = self.cmd(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "200",
            "-y",
            "50",
            shell,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn screen(&self, session: &str) -> String {
        String::from_utf8(self.cmd(&["capture-pane", "-p", "-t", session]).stdout).unwrap()
    }

    /// Waits until the screen shows `text` (at most 60 s: a bound, not a measurement).
    fn wait_for(&self, session: &str, text: &str) -> String {
        for _ in 0..600 {
            let screen = self.screen(session);
            if screen.contains(text) {
                return screen;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("never saw {text:?}; the screen:\n{}", self.screen(session));
    }

    fn keys(&self, session: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", session];
        args.extend(keys);
        assert!(self.cmd(&args).status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

async fn sqlite_tables(pool: &sqlx::SqlitePool) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter().map(|(n,)| n).collect()
}

#[tokio::test]
async fn drop_asks_in_a_terminal_and_no_keeps_the_tables() {
    if Command::new("tmux").arg("-V").output().is_err() {
        if std::env::var("TABLE_TEST_REQUIRE_SERVERS").as_deref() == Ok("1") {
            panic!("tmux is not installed, and TABLE_TEST_REQUIRE_SERVERS=1 forbids skipping");
        }
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let db = common::sqlite().await;
    run(&["create", "--database-url", &db.url], 0);
    assert_eq!(sqlite_tables(&db.pool).await, TABLES);
    let tmux = Tmux {
        socket: common::unique_name("shop_tmux"),
    };
    // The exit code is printed after the command, so the screen shows it.
    let shell = format!(
        "DATABASE_URL='{}' {SHOP} drop; echo \"exit=$?\"; sleep 60",
        db.url
    );

    tmux.start("no", &shell);
    let screen = tmux.wait_for("no", "Drop them? [y/N]");
    assert!(
        screen.contains("This drops 6 table(s) and every row in them from"),
        "{screen}"
    );
    assert!(screen.contains("categories, customers"), "{screen}");
    assert!(
        screen.contains("reading the catalog"),
        "progress on a terminal:\n{screen}"
    );
    tmux.keys("no", &["n", "Enter"]);
    let screen = tmux.wait_for("no", "exit=");
    assert!(screen.contains("exit=4"), "{screen}");
    assert!(
        screen.contains("not confirmed: nothing dropped"),
        "{screen}"
    );
    assert_eq!(sqlite_tables(&db.pool).await, TABLES);

    tmux.start("yes", &shell);
    tmux.wait_for("yes", "Drop them? [y/N]");
    tmux.keys("yes", &["y", "Enter"]);
    let screen = tmux.wait_for("yes", "exit=");
    assert!(screen.contains("exit=0"), "{screen}");
    assert!(screen.contains("Dropped: "), "{screen}");
    assert_eq!(sqlite_tables(&db.pool).await, Vec::<String>::new());
}

/// A statement the server refuses: exit 3, and the message has the library's own words (which
/// statement, which table) and the server's below them, from the error's chain.
#[tokio::test]
async fn a_refused_statement_shows_the_servers_reason() {
    let Some(db) = common::postgres().await else {
        return;
    };
    // A `customers` without its primary key: the foreign keys to it can't be created.
    sqlx::raw_sql("CREATE TABLE customers (id BIGINT, email VARCHAR(255), name VARCHAR(100))")
        .execute(&db.pool)
        .await
        .unwrap();
    let out = shop(&["create", "--database-url", &db.url]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("statement:"), "{stderr}");
    assert!(
        stderr.contains("caused by:") && stderr.contains("no unique constraint"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("no unique constraint").count(),
        1,
        "the server's reason once: {stderr}"
    );
}
