//! The README's first command: creates every table of this file, prints what it did and the
//! DDL, and says so when everything already exists.
//!
//! ```text
//! cargo run --example quickstart                          # SQLite file quickstart.db
//! cargo run --example quickstart --features postgres -- postgres://root@127.0.0.1/test
//! cargo run --example quickstart --features mysql -- mysql://root@127.0.0.1/test
//! ```

use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx_table::Table;
use uuid::Uuid;

/// Someone who can sign in.
#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[table(primary_key)]
    pub id: Uuid,
    #[table(unique, max_length = 255)]
    pub email: String,
    pub created_at: Option<NaiveDateTime>,
}

/// A voice sample uploaded by a user.
#[derive(Table)]
#[table(name = "voices")]
pub struct Voice {
    #[table(primary_key, default = uuid)]
    pub voice_id: Uuid,
    #[table(references = User, index, on_delete = "cascade")]
    pub user_id: Uuid,
    #[table(max_length = 200)]
    pub name: String,
    pub description: Option<String>,
    #[table(max_length = 20, default = "uploading", index)]
    pub status: String,
    #[table(default = 0)]
    pub times_used: Option<i32>,
    #[table(default = now)]
    pub created_at: Option<NaiveDateTime>,
}

/// A named group of voices; `order` is a reserved word, and that's fine.
#[derive(Table)]
#[table(name = "order", unique(owner_id, title))]
pub struct Playlist {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(references = User)]
    pub owner_id: Uuid,
    #[table(max_length = 100, check = "length(title) > 0")]
    pub title: String,
    pub public: bool,
}

/// Which voice sits where in a playlist: a composite primary key.
#[derive(Table)]
#[table(primary_key(playlist_id, voice_id))]
pub struct PlaylistEntry {
    #[table(references = Playlist, on_delete = "cascade")]
    pub playlist_id: i64,
    #[table(references = Voice, on_delete = "cascade")]
    pub voice_id: Uuid,
    #[table(check = "position >= 0")]
    pub position: i32,
    #[table(default = now)]
    pub added_at: DateTime<Utc>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite://quickstart.db?mode=rwc".to_owned());
    println!("database: {url}");
    let report = run(&url).await?;
    if report.created.is_empty() {
        println!("everything already exists: {}", report.existing.join(", "));
    } else {
        println!("created: {}", report.created.join(", "));
        if !report.existing.is_empty() {
            println!("already there: {}", report.existing.join(", "));
        }
        println!("\n{}", report.script());
    }
    println!("({} round trip(s) to the database)", report.round_trips);
    Ok(())
}

async fn run(url: &str) -> Result<sqlx_table::CreateReport, Box<dyn std::error::Error>> {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await?;
        return Ok(sqlx_table::create_all(&pool).await?);
    }
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        #[cfg(feature = "postgres")]
        {
            let pool = sqlx::PgPool::connect(url).await?;
            return Ok(sqlx_table::create_all(&pool).await?);
        }
        #[cfg(not(feature = "postgres"))]
        return Err("PostgreSQL needs its driver: add `--features postgres`".into());
    }
    if url.starts_with("mysql:") || url.starts_with("mariadb:") {
        #[cfg(feature = "mysql")]
        {
            let pool = sqlx::MySqlPool::connect(url).await?;
            return Ok(sqlx_table::create_all(&pool).await?);
        }
        #[cfg(not(feature = "mysql"))]
        return Err("MySQL needs its driver: add `--features mysql`".into());
    }
    Err(format!("unsupported database URL {url}: use sqlite:, postgres: or mysql:").into())
}
