//! An application that wires in the schema's command line with one line in its `main`
//! (feature `cli`): `shop ddl`, `shop diagram`, `shop plan`, `shop check`, `shop migrate`,
//! `shop migration`, `shop create` and `shop drop` work on this app's models, and any other
//! arguments are the app's own.
//!
//! ```text
//! cargo run --example shop --features cli -- diagram
//! cargo run --example shop --features cli -- ddl --dialect postgres
//! DATABASE_URL='sqlite://shop.db?mode=rwc' cargo run --example shop --features cli -- create
//! DATABASE_URL='sqlite://shop.db?mode=rwc' cargo run --example shop --features cli -- check
//! cargo run --example shop --features cli,postgres -- --database-url postgres://root@127.0.0.1/test plan
//! cargo run --example shop --features cli -- --help
//! ```

// The models describe tables; the example never reads a row into them.
#![allow(dead_code)]

use std::process::ExitCode;

use sqlx_table::Table;

/// Someone who buys.
#[derive(Table)]
#[table(name = "customers")]
pub struct Customer {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(unique, max_length = 255)]
    pub email: String,
    #[table(max_length = 100)]
    pub name: String,
}

/// At most one per customer: its key is the customer's.
#[derive(Table)]
#[table(name = "loyalty_cards")]
pub struct LoyaltyCard {
    #[table(primary_key, references = Customer, on_delete = "cascade")]
    pub customer_id: i64,
    #[table(default = 0)]
    pub points: i32,
}

/// Categories nest: a category may have a parent.
#[derive(Table)]
#[table(name = "categories")]
pub struct Category {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(max_length = 60)]
    pub name: String,
    #[table(references = Category, on_delete = "set null")]
    pub parent_id: Option<i64>,
}

/// Something for sale, in a category or none.
#[derive(Table)]
#[table(name = "products")]
pub struct Product {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(max_length = 100, index)]
    pub name: String,
    pub price_cents: i64,
    #[table(references = Category, on_delete = "set null")]
    pub category_id: Option<i64>,
}

/// A customer's order.
#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(references = Customer, index)]
    pub customer_id: i64,
    #[table(default = now)]
    pub placed_at: chrono::NaiveDateTime,
}

/// One line of an order: its key is the order's and its number.
#[derive(Table)]
#[table(name = "order_lines", primary_key(order_id, line_no))]
pub struct OrderLine {
    #[table(references = Order, on_delete = "cascade")]
    pub order_id: i64,
    pub line_no: i32,
    #[table(references = Product)]
    pub product_id: i64,
    #[table(check = "quantity > 0")]
    pub quantity: i32,
}

fn main() -> ExitCode {
    // The one line: `shop <schema command> ...` runs it and exits with its code.
    if let Some(code) = sqlx_table::cli::run_if_requested() {
        return code;
    }
    // The application itself would start here: its server, its own arguments.
    println!(
        "shop: the app would start here. Its schema commands: {}.",
        sqlx_table::cli::SUBCOMMANDS.join(", ")
    );
    ExitCode::SUCCESS
}
