//! Creates one table on SQLite with sqlx alone: the floor the quickstart's cold build is
//! compared with.

#[tokio::main]
async fn main() -> Result<(), sqlx::Error> {
    let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS users (id BLOB PRIMARY KEY, email TEXT NOT NULL)")
        .execute(&pool)
        .await?;
    println!("created users");
    Ok(())
}
