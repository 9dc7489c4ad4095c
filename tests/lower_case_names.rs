//! MariaDB with `lower_case_table_names=1` (the default on Windows and macOS servers) keeps
//! table names in lower case: a model named `UserAccounts` must be found as `useraccounts`,
//! or every start after the first fails with "already exists".
//!
//! The setting is fixed when a server's data directory is made, so the test starts a server
//! of its own with `scripts/mariadb-instance.sh` (or uses the one that
//! `TABLE_TEST_MYSQL_LCTN_URL` names), and stops it after.

// The models exist for their tables; their fields are never read.
#![allow(dead_code)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use sqlx_table::{Models, Table};

#[derive(Table)]
#[table(name = "UserAccounts")]
pub struct UserAccount {
    #[table(primary_key)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "LoginEvents")]
pub struct LoginEvent {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = UserAccount)]
    pub account_id: i64,
}

/// A server started by the script, stopped (and its directory removed) on drop.
struct Instance {
    dir: PathBuf,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(&self.dir).status();
    }
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/mariadb-instance.sh")
}

/// A free TCP port on 127.0.0.1, as the system hands them out.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The URL of a server with `lower_case_table_names=1`: the configured one, or one started
/// here (with the guard that stops it).
fn server() -> Option<(String, Option<Instance>)> {
    if let Ok(url) = std::env::var("TABLE_TEST_MYSQL_LCTN_URL") {
        return Some((url, None));
    }
    // Skipped like every MySQL test when MySQL is not configured at all.
    std::env::var("TABLE_TEST_MYSQL_URL").ok()?;
    let dir = std::env::temp_dir().join(common::unique_name("lctn"));
    let port = free_port();
    let instance = Instance { dir: dir.clone() };
    let output = Command::new(script())
        .arg("start")
        .arg(&dir)
        .arg(port.to_string())
        .arg("--lower-case-table-names=1")
        .output()
        .expect("run scripts/mariadb-instance.sh");
    assert!(
        output.status.success(),
        "scripts/mariadb-instance.sh start failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some((
        format!("mysql://root@127.0.0.1:{port}/test"),
        Some(instance),
    ))
}

#[tokio::test]
async fn mysql_lower_case_table_names_finds_tables_whose_models_have_capitals() {
    let Some((url, _instance)) = server() else {
        assert!(
            std::env::var("TABLE_TEST_REQUIRE_SERVERS").as_deref() != Ok("1"),
            "TABLE_TEST_MYSQL_URL is not set, and TABLE_TEST_REQUIRE_SERVERS=1 forbids skipping"
        );
        return;
    };
    let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
    let setting: u64 = sqlx::query_scalar("SELECT @@lower_case_table_names")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(setting, 1, "the server must keep names in lower case");
    sqlx::raw_sql("DROP TABLE IF EXISTS loginevents, useraccounts")
        .execute(&pool)
        .await
        .unwrap();
    let schema = Models::new([&UserAccount::DEF, &LoginEvent::DEF]).unwrap();
    let first = schema.create_all(&pool).await.unwrap();
    assert_eq!(first.created, ["UserAccounts", "LoginEvents"]);
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT CONVERT(TABLE_NAME USING utf8mb4) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(stored, ["loginevents", "useraccounts"]);
    // Every later start: nothing to create, and the first catalog query says so.
    for _ in 0..2 {
        let again = schema.create_all(&pool).await.unwrap();
        assert!(again.created.is_empty(), "{:?}", again.created);
        assert!(!again.took_lock);
    }
    let plan = schema.plan(&pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    sqlx::raw_sql("DROP TABLE loginevents, useraccounts")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}
