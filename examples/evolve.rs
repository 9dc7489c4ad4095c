//! Models that change, and `migrate`: version 1 created and filled, then version 2 (a new
//! nullable column, a new column with a default, a new index, a new table, and a changed
//! type) planned, its safe part migrated, and the rest written as a migration file for a
//! person.
//!
//! ```text
//! cargo run --example evolve                          # SQLite file evolve.db, started afresh
//! cargo run --example evolve --features postgres -- postgres://root@127.0.0.1/test
//! cargo run --example evolve --features mysql -- mysql://root@127.0.0.1/test
//! ```
//!
//! The migration file goes to `evolve-migrations/`. On PostgreSQL and MySQL the example
//! drops its tables first, so that each run starts from version 1.

// The models describe tables; the example never reads a row into them.
#![allow(dead_code)]

use sqlx::Pool;
use sqlx_table::{Backend, Models, Table};

/// Version 1: what the app shipped first.
mod v1 {
    use sqlx_table::Table;

    /// Something for sale.
    #[derive(Table)]
    #[table(name = "products")]
    pub struct Product {
        #[table(primary_key)]
        pub id: i64,
        #[table(max_length = 100)]
        pub name: String,
        // The price, in whole units.
        pub price: i32,
    }
}

/// Version 2: what the app ships next.
mod v2 {
    use sqlx_table::Table;

    // Comments in `//`: a doc comment is a table or column comment, and changing one
    // is a change too.

    /// Something for sale.
    #[derive(Table)]
    #[table(name = "products")]
    pub struct Product {
        #[table(primary_key)]
        pub id: i64,
        // New index: products are looked up by name now.
        #[table(max_length = 100, index)]
        pub name: String,
        // Changed type: the price, with its cents now. Changing a column's type needs a
        // person's decision.
        pub price: f64,
        // New nullable column.
        pub description: Option<String>,
        // New column with a default: existing rows get it.
        #[table(max_length = 20, default = "active")]
        pub status: String,
    }

    // New table.
    #[derive(Table)]
    #[table(name = "reviews")]
    pub struct Review {
        #[table(primary_key)]
        pub id: i64,
        #[table(references = "products(id)", on_delete = "cascade", index)]
        pub product_id: i64,
        pub stars: i16,
    }
}

const MIGRATIONS: &str = "evolve-migrations";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).unwrap_or_else(|| {
        let _ = std::fs::remove_file("evolve.db");
        "sqlite://evolve.db?mode=rwc".to_owned()
    });
    println!("database: {url}");
    if url.starts_with("sqlite:") {
        return evolve(&sqlx::SqlitePool::connect(&url).await?).await;
    }
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        #[cfg(feature = "postgres")]
        return evolve(&sqlx::PgPool::connect(&url).await?).await;
        #[cfg(not(feature = "postgres"))]
        return Err("PostgreSQL needs its driver: add `--features postgres`".into());
    }
    if url.starts_with("mysql:") || url.starts_with("mariadb:") {
        #[cfg(feature = "mysql")]
        return evolve(&sqlx::MySqlPool::connect(&url).await?).await;
        #[cfg(not(feature = "mysql"))]
        return Err("MySQL needs its driver: add `--features mysql`".into());
    }
    Err(format!("unsupported database URL {url}: use sqlite:, postgres: or mysql:").into())
}

async fn evolve<DB: Backend>(pool: &Pool<DB>) -> Result<(), Box<dyn std::error::Error>>
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let v1 = Models::new([&v1::Product::DEF])?;
    let v2 = Models::new([&v2::Product::DEF, &v2::Review::DEF])?;
    v2.drop_all(pool).await?;

    println!("\n== version 1: create_all, and three rows");
    let created = v1.create_all(pool).await?;
    println!("created {:?}", created.created);
    sqlx::raw_sql(
        "INSERT INTO products (id, name, price) VALUES (1, 'kettle', 30), (2, 'teapot', 45), (3, 'cup', 8)",
    )
    .execute(pool)
    .await?;

    println!("\n== version 2: the plan");
    let plan = v2.plan(pool).await?;
    print!("{plan}");

    println!("\n== migrate: the safe part");
    let report = v2.migrate(pool).await?;
    print!("{}", report.script());
    println!(
        "({} change(s) applied, {} round trip(s))",
        report.applied.len(),
        report.round_trips
    );

    println!("\n== left for a person");
    print!("{}", report.left);
    if report.left.is_empty() {
        println!("nothing");
        return Ok(());
    }
    let files = report
        .left
        .write_migration(MIGRATIONS, "price_with_cents")?;
    for file in &files {
        println!("\nwritten: {}\n", file.display());
        print!("{}", std::fs::read_to_string(file)?);
    }
    println!(
        "\nRead it, remove `{}` from the lines you decide to apply, then run it with \
         `sqlx migrate run --source {MIGRATIONS}` (or `sqlx::migrate!`). The plan is then empty.",
        sqlx_table::plan::PERSON_PREFIX.trim_end()
    );

    println!("\n== migrate again: nothing safe is left to do");
    let again = v2.migrate(pool).await?;
    println!(
        "{} change(s) applied, {} round trip(s)",
        again.applied.len(),
        again.round_trips
    );
    Ok(())
}
