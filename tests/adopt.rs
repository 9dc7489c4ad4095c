//! Adopting a database that exists: models that declare what hand-written DDL made, in the
//! database's own names, per-backend types, temporal precision and character sets.
//!
//! On each backend, one database is made by hand-written DDL (in that database's spellings,
//! with its own constraint names) and another by `create_all` from the models. Then:
//! the plan of the models against the hand-made database is empty, and the two catalogs
//! agree on every column's type, nullability and default, every key, foreign key (with its
//! actions) and index, and their names. The rendering of each attribute is snapshotted per
//! dialect.
//!
//! Over 400 lines on purpose: the point is the hand-written DDL of each backend beside the
//! models it must equal, in one file.

mod common;

use chrono::NaiveDateTime;
use sqlx::{AssertSqlSafe, Pool};
use sqlx_table::live::LiveSchema;
use sqlx_table::{
    Backend, ColumnDef, Dialect, IndexDef, Models, SchemaError, SqlType, Table, TableDef,
};

// Plain `//` comments on the models: a doc comment would be a table or column comment,
// which the hand-written DDL would then have to repeat.

#[derive(Table)]
#[table(name = "customers", primary_key(customer_id, name = "PK_Customers"))]
pub struct Customer {
    pub customer_id: i32,
    #[table(max_length = 120, unique(name = "UQ_Customers_Email"))]
    pub email: String,
    pub name: Option<String>,
    // MySQL's DATETIME (seconds), PostgreSQL's timestamp(0).
    #[table(precision = 0, default = now)]
    pub joined_at: NaiveDateTime,
}

#[derive(Table)]
#[table(name = "products")]
pub struct Product {
    #[table(primary_key)]
    pub product_id: i64,
    #[table(
        max_length = 100,
        charset = "utf8mb3",
        collation = "utf8mb3_unicode_ci"
    )]
    pub title: String,
    // Money: each engine's own spelling of an exact decimal.
    #[table(
        sql_type(
            postgres = "numeric(10,2)",
            mysql = "DECIMAL(10,2)",
            sqlite = "NUMERIC"
        ),
        check("price >= 0", name = "CK_Products_Price")
    )]
    pub price: f64,
}

#[derive(Table)]
#[table(
    name = "orders",
    charset = "latin1",
    collation = "latin1_swedish_ci",
    index(customer_id, ordered_at, name = "IX_Orders_Customer_Date")
)]
pub struct Order {
    #[table(primary_key)]
    pub order_id: i64,
    #[table(references = Customer, fk_name = "FK_OrderCustomer", on_delete = "cascade")]
    pub customer_id: i32,
    #[table(precision = 0)]
    pub ordered_at: NaiveDateTime,
    #[table(max_length = 200)]
    pub note: Option<String>,
}

// A composite key whose second column has an index of its own (the reverse lookup), and
// foreign keys under PostgreSQL's generated names.
#[derive(Table)]
#[table(
    name = "order_items",
    primary_key(order_id, line_no, name = "PK_OrderItems"),
    check("quantity > 0", name = "order_items_quantity_check")
)]
pub struct OrderItem {
    #[table(
        references = Order,
        fk_name = "order_items_order_id_fkey",
        on_delete = "cascade"
    )]
    pub order_id: i64,
    #[table(index(name = "order_items_line_no_idx"))]
    pub line_no: i32,
    #[table(
        references = Product,
        fk_name = "order_items_product_id_fkey",
        on_delete = "restrict",
        index(name = "order_items_product_id_idx")
    )]
    pub product_id: i64,
    #[table(default = 1)]
    pub quantity: i32,
}

fn schema() -> Models {
    Models::new([&Customer::DEF, &Product::DEF, &Order::DEF, &OrderItem::DEF]).unwrap()
}

const POSTGRES_DDL: &str = r#"
CREATE TABLE customers (
    customer_id int4 NOT NULL,
    email varchar(120) NOT NULL,
    name text,
    joined_at timestamp(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PK_Customers" PRIMARY KEY (customer_id),
    CONSTRAINT "UQ_Customers_Email" UNIQUE (email)
);
CREATE TABLE products (
    product_id int8 PRIMARY KEY,
    title varchar(100) NOT NULL,
    price numeric(10, 2) NOT NULL CONSTRAINT "CK_Products_Price" CHECK (price >= 0)
);
CREATE TABLE orders (
    order_id bigint NOT NULL,
    customer_id integer NOT NULL,
    ordered_at timestamp(0) without time zone NOT NULL,
    note character varying(200),
    PRIMARY KEY (order_id),
    CONSTRAINT "FK_OrderCustomer" FOREIGN KEY (customer_id)
        REFERENCES customers (customer_id) ON DELETE CASCADE
);
CREATE INDEX "IX_Orders_Customer_Date" ON orders (customer_id, ordered_at);
CREATE TABLE order_items (
    order_id int8 NOT NULL REFERENCES orders ON DELETE CASCADE,
    line_no int4 NOT NULL,
    product_id int8 NOT NULL REFERENCES products ON DELETE RESTRICT ON UPDATE NO ACTION,
    quantity int4 NOT NULL DEFAULT 1 CHECK (quantity > 0),
    CONSTRAINT "PK_OrderItems" PRIMARY KEY (order_id, line_no)
);
CREATE INDEX ON order_items (line_no);
CREATE INDEX ON order_items (product_id);
"#;

const MYSQL_DDL: &str = r#"
CREATE TABLE customers (
    customer_id INT NOT NULL,
    email VARCHAR(120) NOT NULL,
    name LONGTEXT NULL,
    joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT PK_Customers PRIMARY KEY (customer_id),
    CONSTRAINT UQ_Customers_Email UNIQUE (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE products (
    product_id BIGINT NOT NULL PRIMARY KEY,
    title VARCHAR(100) CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci NOT NULL,
    price DECIMAL(10, 2) NOT NULL,
    CONSTRAINT CK_Products_Price CHECK (price >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE orders (
    order_id BIGINT NOT NULL,
    customer_id INT NOT NULL,
    ordered_at DATETIME NOT NULL,
    note VARCHAR(200),
    PRIMARY KEY (order_id),
    KEY IX_Orders_Customer_Date (customer_id, ordered_at),
    CONSTRAINT FK_OrderCustomer FOREIGN KEY (customer_id)
        REFERENCES customers (customer_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;
CREATE TABLE order_items (
    order_id BIGINT NOT NULL,
    line_no INT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity INT NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, line_no),
    INDEX order_items_line_no_idx (line_no),
    INDEX order_items_product_id_idx (product_id),
    CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id)
        REFERENCES orders (order_id) ON DELETE CASCADE,
    CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id) ON DELETE RESTRICT,
    CONSTRAINT order_items_quantity_check CHECK (quantity > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
"#;

const SQLITE_DDL: &str = r#"
CREATE TABLE customers (
    customer_id INTEGER NOT NULL,
    email TEXT NOT NULL,
    name TEXT,
    joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PK_Customers" PRIMARY KEY (customer_id),
    CONSTRAINT "UQ_Customers_Email" UNIQUE (email)
);
CREATE TABLE products (
    product_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    price NUMERIC NOT NULL,
    PRIMARY KEY (product_id),
    CONSTRAINT "CK_Products_Price" CHECK (price >= 0)
);
CREATE TABLE orders (
    order_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    ordered_at DATETIME NOT NULL,
    note TEXT,
    PRIMARY KEY (order_id),
    CONSTRAINT "FK_OrderCustomer" FOREIGN KEY (customer_id)
        REFERENCES customers (customer_id) ON DELETE CASCADE
);
CREATE INDEX "IX_Orders_Customer_Date" ON orders (customer_id, ordered_at);
CREATE TABLE order_items (
    order_id INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    quantity INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "PK_OrderItems" PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id)
        REFERENCES orders (order_id) ON DELETE CASCADE,
    CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id) ON DELETE RESTRICT,
    CONSTRAINT order_items_quantity_check CHECK (quantity > 0)
);
CREATE INDEX order_items_line_no_idx ON order_items (line_no);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
"#;

async fn run<DB: Backend>(pool: &Pool<DB>, sql: &str)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
}

/// The catalog's tables, without the schema (database) name, which differs between the two
/// databases on MySQL: everything else must be equal.
async fn catalog<DB: Backend>(
    pool: &Pool<DB>,
    schema: &Models,
) -> Vec<sqlx_table::live::LiveTable> {
    let live: LiveSchema = schema.inspect(pool).await.unwrap();
    let mut tables: Vec<_> = schema
        .tables()
        .map(|t| {
            let mut table = live
                .table(None, t.name)
                .unwrap_or_else(|| panic!("{} is in the catalog", t.name))
                .clone();
            table.schema.clear();
            for fk in &mut table.foreign_keys {
                fk.ref_schema.clear();
            }
            table
        })
        .collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    tables
}

/// The hand-made database is what the models declare: plan is empty, check passes, and its
/// catalog is the catalog of a database `create_all` made from the models.
async fn hand_made_database_is_declared_exactly<DB: Backend>(
    by_hand: &Pool<DB>,
    by_models: &Pool<DB>,
    ddl: &str,
) -> Vec<sqlx_table::live::LiveTable>
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let schema = schema();
    run(by_hand, ddl).await;
    let plan = schema.plan(by_hand).await.unwrap();
    assert!(plan.is_empty(), "{:?}:\n{plan}", DB::DIALECT);
    schema.check(by_hand).await.unwrap();

    schema.create_all(by_models).await.unwrap();
    let hand = catalog(by_hand, &schema).await;
    let models = catalog(by_models, &schema).await;
    assert_eq!(hand, models, "{:?}", DB::DIALECT);
    models
}

fn table<'a>(
    tables: &'a [sqlx_table::live::LiveTable],
    name: &str,
) -> &'a sqlx_table::live::LiveTable {
    tables.iter().find(|t| t.name == name).unwrap()
}

fn index_names(table: &sqlx_table::live::LiveTable) -> Vec<&str> {
    let mut names: Vec<&str> = table.indexes.iter().map(|i| i.name.as_str()).collect();
    names.sort();
    names
}

fn check_names(table: &sqlx_table::live::LiveTable) -> Vec<&str> {
    let mut names: Vec<&str> = table
        .checks
        .iter()
        .filter_map(|c| c.name.as_deref())
        .collect();
    names.sort();
    names
}

fn fk_names(table: &sqlx_table::live::LiveTable) -> Vec<&str> {
    let mut names: Vec<&str> = table
        .foreign_keys
        .iter()
        .filter_map(|f| f.name.as_deref())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn hand_written_postgres_database_is_declared_exactly() {
    let (Some(hand), Some(models)) = (common::postgres().await, common::postgres().await) else {
        return;
    };
    let tables =
        hand_made_database_is_declared_exactly(&hand.pool, &models.pool, POSTGRES_DDL).await;
    let customers = table(&tables, "customers");
    assert_eq!(
        customers.primary_key.as_ref().unwrap().name.as_deref(),
        Some("PK_Customers")
    );
    assert_eq!(
        customers.uniques[0].name.as_deref(),
        Some("UQ_Customers_Email")
    );
    assert_eq!(
        customers.column("joined_at").unwrap().data_type,
        "timestamp(0) without time zone"
    );
    assert_eq!(
        table(&tables, "products")
            .column("price")
            .unwrap()
            .data_type,
        "numeric(10,2)"
    );
    let orders = table(&tables, "orders");
    assert_eq!(index_names(orders), ["IX_Orders_Customer_Date"]);
    assert_eq!(fk_names(orders), ["FK_OrderCustomer"]);
    let items = table(&tables, "order_items");
    assert_eq!(
        index_names(items),
        ["order_items_line_no_idx", "order_items_product_id_idx"]
    );
    assert_eq!(
        fk_names(items),
        ["order_items_order_id_fkey", "order_items_product_id_fkey"]
    );
    assert_eq!(
        items.primary_key.as_ref().unwrap().name.as_deref(),
        Some("PK_OrderItems")
    );
    assert_eq!(check_names(items), ["order_items_quantity_check"]);
    assert_eq!(
        check_names(table(&tables, "products")),
        ["CK_Products_Price"]
    );
}

/// Each column's and table's character set and collation, from the catalog.
async fn charsets(pool: &sqlx::MySqlPool) -> Vec<(String, String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), \
                CAST(CHARACTER_SET_NAME AS CHAR), CAST(COLLATION_NAME AS CHAR) \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         UNION ALL \
         SELECT CAST(TABLE_NAME AS CHAR), '', NULL, CAST(TABLE_COLLATION AS CHAR) \
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn hand_written_mysql_database_is_declared_exactly() {
    let (Some(hand), Some(models)) = (common::mysql().await, common::mysql().await) else {
        return;
    };
    let tables = hand_made_database_is_declared_exactly(&hand.pool, &models.pool, MYSQL_DDL).await;
    let customers = table(&tables, "customers");
    assert_eq!(
        customers.uniques[0].name.as_deref(),
        Some("UQ_Customers_Email")
    );
    assert_eq!(customers.column("joined_at").unwrap().data_type, "datetime");
    assert_eq!(
        table(&tables, "products")
            .column("price")
            .unwrap()
            .data_type,
        "decimal(10,2)"
    );
    let orders = table(&tables, "orders");
    assert_eq!(index_names(orders), ["IX_Orders_Customer_Date"]);
    assert_eq!(fk_names(orders), ["FK_OrderCustomer"]);
    assert_eq!(orders.column("ordered_at").unwrap().data_type, "datetime");
    let items = table(&tables, "order_items");
    assert_eq!(
        index_names(items),
        ["order_items_line_no_idx", "order_items_product_id_idx"]
    );
    assert_eq!(
        fk_names(items),
        ["order_items_order_id_fkey", "order_items_product_id_fkey"]
    );

    let hand_charsets = charsets(&hand.pool).await;
    let model_charsets = charsets(&models.pool).await;
    assert_eq!(hand_charsets, model_charsets);
    let of = |table: &str, column: &str| {
        model_charsets
            .iter()
            .find(|c| c.0 == table && c.1 == column)
            .map(|c| (c.2.clone(), c.3.clone()))
            .unwrap()
    };
    assert_eq!(
        of("products", "title"),
        (Some("utf8mb3".into()), Some("utf8mb3_unicode_ci".into()))
    );
    assert_eq!(
        of("orders", "note"),
        (Some("latin1".into()), Some("latin1_swedish_ci".into()))
    );
    assert_eq!(of("orders", ""), (None, Some("latin1_swedish_ci".into())));
}

#[tokio::test]
async fn hand_written_sqlite_database_is_declared_exactly() {
    let (hand, models) = (common::sqlite().await, common::sqlite().await);
    let tables = hand_made_database_is_declared_exactly(&hand.pool, &models.pool, SQLITE_DDL).await;
    let customers = table(&tables, "customers");
    assert_eq!(
        customers.primary_key.as_ref().unwrap().name.as_deref(),
        Some("PK_Customers")
    );
    assert_eq!(
        check_names(table(&tables, "products")),
        ["CK_Products_Price"]
    );
    let orders = table(&tables, "orders");
    assert_eq!(index_names(orders), ["IX_Orders_Customer_Date"]);
    assert_eq!(fk_names(orders), ["FK_OrderCustomer"]);
    assert_eq!(
        table(&tables, "products")
            .column("price")
            .unwrap()
            .data_type,
        "NUMERIC"
    );
    let items = table(&tables, "order_items");
    assert_eq!(
        index_names(items),
        ["order_items_line_no_idx", "order_items_product_id_idx"]
    );
    assert_eq!(
        fk_names(items),
        ["order_items_order_id_fkey", "order_items_product_id_fkey"]
    );
}

/// A model that names a constraint is compared by that name: the same foreign key under
/// another name is not it.
#[tokio::test]
async fn a_declared_name_is_compared_by_name() {
    let db = common::sqlite().await;
    let other_name = SQLITE_DDL.replace("\"FK_OrderCustomer\"", "fk_orders_customer");
    run(&db.pool, &other_name).await;
    let plan = schema().plan(&db.pool).await.unwrap();
    let text = plan.to_string();
    assert!(!plan.is_empty());
    assert!(text.contains("FK_OrderCustomer"), "{text}");
    assert!(text.contains("fk_orders_customer"), "{text}");
}

// `customers` as a model that names nothing (a doc comment would be a table comment).
#[derive(Table)]
#[table(name = "customers")]
pub struct PlainCustomer {
    #[table(primary_key)]
    pub customer_id: i32,
    #[table(max_length = 120, unique)]
    pub email: String,
    pub name: Option<String>,
    #[table(precision = 0, default = now)]
    pub joined_at: NaiveDateTime,
}

/// Names that differ, where the model names nothing, are not drift.
#[tokio::test]
async fn undeclared_names_may_differ() {
    let Some(db) = common::postgres().await else {
        return;
    };
    run(
        &db.pool,
        POSTGRES_DDL.split("CREATE TABLE products").next().unwrap(),
    )
    .await;
    let schema = Models::new([&PlainCustomer::DEF]).unwrap();
    let plan = schema.plan(&db.pool).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
}

#[test]
fn declared_attributes_render_on_each_dialect() {
    let schema = schema();
    for (dialect, suffix) in [
        (Dialect::Postgres, "postgres"),
        (Dialect::MySql, "mysql"),
        (Dialect::Sqlite, "sqlite"),
    ] {
        insta::assert_snapshot!(format!("{suffix}"), schema.create_script(dialect).unwrap());
    }
}

#[derive(Table)]
#[table(name = "clash_one", index(a, name = "shared_name"))]
pub struct ClashOne {
    #[table(primary_key)]
    pub id: i64,
    #[table(index)]
    pub a: i32,
}

#[derive(Table)]
#[table(name = "clash_two", unique(b, name = "shared_name"))]
pub struct ClashTwo {
    #[table(primary_key)]
    pub id: i64,
    // The name `ClashOne`'s `index` on `a` gets.
    #[table(index(name = "ix_clash_one_a"))]
    pub b: i32,
}

/// A declared name is checked for clashes like a generated one: with another declared
/// name, and with a generated name of the same text.
#[test]
fn declared_names_that_clash_are_a_schema_error() {
    let err = Models::new([&ClashOne::DEF, &ClashTwo::DEF]).unwrap_err();
    let problems = err.schema_problems();
    for name in ["shared_name", "ix_clash_one_a"] {
        assert!(
            problems.contains(&SchemaError::DuplicateName {
                name: name.into(),
                kind: "index",
                first: "clash_one".into(),
                second: "clash_two".into(),
            }),
            "{name}: {problems:?}"
        );
    }
    assert_eq!(problems.len(), 2, "{problems:?}");
}

/// 64 bytes: past PostgreSQL's 63, within MySQL's 64 characters. (The derive refuses it at
/// compile time; a `TableDef` written by hand meets the backend's own check.)
const LONG_NAME: &str = "ix_a_name_that_goes_on_and_on_past_what_postgresql_keeps_whole_x";

static LONG: TableDef = TableDef::new("long_named", "LongNamed")
    .with_columns(&[ColumnDef::new("id", SqlType::I64)])
    .with_primary_key(&["id"])
    .with_indexes(&[IndexDef::new(&["id"]).with_name(Some(LONG_NAME))]);

#[test]
fn a_declared_name_too_long_for_the_backend_is_a_schema_error() {
    assert_eq!(LONG_NAME.len(), 64);
    let schema = Models::new([&LONG]).unwrap();
    let err = schema.validate_for(Dialect::Postgres).unwrap_err();
    assert_eq!(
        err.schema_problems(),
        [SchemaError::IdentifierTooLong {
            dialect: Dialect::Postgres.name(),
            kind: "index",
            name: LONG_NAME.into(),
            len: 64,
            max: 63,
        }]
    );
    schema.validate_for(Dialect::MySql).unwrap();
    schema.validate_for(Dialect::Sqlite).unwrap();
}
