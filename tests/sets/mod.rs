//! The model sets of the snapshot tests, shared by `tests/snapshots.rs` (their DDL on every
//! dialect) and `tests/plan.rs` (what `create_all` makes of them plans empty). A module, not
//! a test binary: each binary that declares `pub mod sets;` registers these models.
//!
//! Long because the models are the test: every type, attribute and awkward name.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sqlx::types::Json;
use sqlx_table::{Models, Table, TableDef};
use uuid::Uuid;

use super::models::{User, Voice};

// ---------------------------------------------------------------------------------------
// Every type that every backend supports, and every attribute.

/// Every portable column type and every field attribute.
/// A second line, with 'quotes' and a back\slash.
#[derive(Table)]
#[table(
    name = "wide",
    index(small, tiny),
    unique(big, label),
    check = "big >= small",
    check = "small <> 13"
)]
pub struct Wide {
    /// The row number, made by the database.
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(default = true)]
    pub flag: bool,
    #[table(default = -5)]
    pub tiny: i8,
    #[table(default = 7)]
    pub small: i16,
    #[table(check = "medium > 0")]
    pub medium: i32,
    pub big: i64,
    #[table(default = 1.5)]
    pub single: f32,
    #[table(default = -0.25)]
    pub double: f64,
    /// Its label: it's "short".
    #[table(max_length = 40, default = "it's \"new\"")]
    pub label: String,
    #[table(default = "C:\\temp")]
    pub body: String,
    pub blob: Vec<u8>,
    #[table(default = uuid)]
    pub token: Uuid,
    #[table(default = now)]
    pub day: NaiveDate,
    #[table(default = now)]
    pub clock: NaiveTime,
    #[table(default = now)]
    pub stamp: NaiveDateTime,
    #[table(default = now)]
    pub stamp_utc: DateTime<Utc>,
    #[table(default_sql = "'{}'")]
    pub doc: serde_json::Value,
    pub typed_doc: Json<Vec<i32>>,
    pub maybe_text: Option<String>,
    pub maybe_int: Option<i64>,
    #[table(sql_type = "DECIMAL(10, 2)")]
    pub price: f64,
    #[table(name = "renamed_column", unique, max_length = 64)]
    pub renamed: String,
    #[table(index, max_length = 32)]
    pub category: Option<String>,
    #[table(references = User, on_delete = "set null", on_update = "cascade")]
    pub owner: Option<Uuid>,
    #[table(
        references = "users(email)",
        max_length = 255,
        on_delete = "restrict",
        on_update = "no action"
    )]
    pub owner_email: Option<String>,
    #[table(skip)]
    pub cache: Vec<String>,
}

/// A composite primary key and a composite index.
#[derive(Table)]
#[table(primary_key(wide_id, tag), index(tag, note))]
pub struct WideTag {
    #[table(references = Wide, on_delete = "cascade")]
    pub wide_id: i64,
    #[table(max_length = 30)]
    pub tag: String,
    #[table(max_length = 30)]
    pub note: Option<String>,
}

/// Column names that agree with `sqlx::FromRow`'s.
#[derive(Table, sqlx::FromRow)]
#[sqlx(rename_all = "camelCase")]
pub struct Profile {
    #[table(primary_key, references = User, on_delete = "cascade")]
    pub user_id: Uuid,
    #[sqlx(rename = "display")]
    #[table(max_length = 80)]
    pub display_name: String,
    pub avatar_url: Option<String>,
}

/// Unsigned integers: SQLite and MySQL only.
#[derive(Table)]
pub struct Unsigned {
    #[table(primary_key, auto_increment)]
    pub id: u32,
    #[table(default = 255)]
    pub byte: u8,
    pub short: u16,
    pub maybe: Option<u32>,
}

/// `u64`: MySQL only (sqlx can't bind one on SQLite).
#[derive(Table)]
pub struct Unsigned64 {
    #[table(primary_key)]
    pub id: u64,
    #[table(default = 4294967296)]
    pub long: u64,
}

/// A time with its offset: PostgreSQL and SQLite only.
#[derive(Table)]
pub struct OffsetTimes {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = now)]
    pub at: DateTime<FixedOffset>,
    pub maybe_at: Option<DateTime<FixedOffset>>,
}

/// A text enum: PostgreSQL's type `ticket_status`, MySQL's `ENUM`, SQLite's `CHECK`.
#[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, sqlx_table::ColumnEnum)]
#[sqlx(type_name = "ticket_status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TicketStatus {
    Open,
    InProgress,
    #[sqlx(rename = "done")]
    Closed,
}

/// An integer enum: a `CHECK` of its discriminants everywhere.
#[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, sqlx_table::ColumnEnum)]
#[repr(i16)]
pub enum TicketPriority {
    Low = 1,
    Normal = 2,
    High = 3,
}

/// Enums, the `time` crate's types and a descending index: every backend.
#[derive(Table)]
#[table(name = "tickets", index(opened desc, id))]
pub struct Ticket {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = "OPEN")]
    pub status: TicketStatus,
    pub priority: Option<TicketPriority>,
    #[table(precision = 3)]
    pub opened: sqlx::types::time::PrimitiveDateTime,
    #[table(index(desc, name = "ix_tickets_due_desc"))]
    pub due: Option<sqlx::types::time::Date>,
    pub closed_at: Option<sqlx::types::time::OffsetDateTime>,
}

/// PostgreSQL's types (decimals, networks, arrays), a partial index, an expression index
/// and a deferrable foreign key: PostgreSQL only.
#[derive(Table)]
#[table(
    name = "measurements",
    index(host, where = "amount > 0"),
    index("abs(amount)" desc, name = "ix_measurements_abs_amount")
)]
pub struct Measurement {
    #[table(primary_key)]
    pub id: i64,
    #[table(precision = 12, scale = 2)]
    pub amount: sqlx::types::Decimal,
    pub exact: Option<sqlx::types::BigDecimal>,
    pub host: sqlx::types::ipnetwork::IpNetwork,
    pub gateway: Option<std::net::IpAddr>,
    #[table(index(where = "mac IS NOT NULL"))]
    pub mac: Option<sqlx::types::mac_address::MacAddress>,
    pub tags: Vec<String>,
    pub scores: Option<Vec<i32>>,
    #[table(references = Ticket, deferrable)]
    pub ticket_id: i64,
}

/// A table in a named schema.
#[derive(Table)]
#[table(schema = "audit", name = "events")]
pub struct AuditEvent {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(index, max_length = 40)]
    pub kind: String,
    #[table(unique, max_length = 40)]
    pub reference: String,
}

/// Refers to a table of the same named schema.
#[derive(Table)]
#[table(schema = "audit", name = "event_notes")]
pub struct AuditNote {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = AuditEvent, on_delete = "cascade")]
    pub event_id: i64,
}

// ---------------------------------------------------------------------------------------
// Reserved words as table and column names, and a name that needs escaping.

#[derive(Table)]
#[table(name = "user")]
pub struct ReservedUser {
    #[table(primary_key, name = "select")]
    pub id: i64,
    #[table(name = "from", unique, max_length = 50)]
    pub from: String,
    #[table(name = "order", index)]
    pub order: i32,
}

#[derive(Table)]
#[table(name = "group")]
pub struct ReservedGroup {
    #[table(primary_key, name = "where")]
    pub id: i64,
    #[table(name = "table", max_length = 20, default = "x")]
    pub table: String,
}

#[derive(Table)]
#[table(name = "order", primary_key(user, group), index(group, key))]
pub struct ReservedOrder {
    #[table(references = ReservedUser, on_delete = "cascade")]
    pub user: i64,
    #[table(references = ReservedGroup)]
    pub group: i64,
    pub key: i32,
}

#[derive(Table)]
#[table(name = "select")]
pub struct ReservedSelect {
    #[table(primary_key, name = "index")]
    pub id: i64,
    #[table(name = "key", references = "group(where)", index)]
    pub group_id: Option<i64>,
    /// A name with both quote characters in it.
    #[table(name = "odd \"name\" `x`", unique, max_length = 10)]
    pub odd: String,
}

// ---------------------------------------------------------------------------------------
// Names at the identifier limits.

/// Exactly 63 bytes: PostgreSQL's limit.
pub const LONG_TABLE: &str = "a_table_name_of_exactly_sixty_three_bytes_which_is_the_pg_limit";

#[derive(Table)]
#[table(
    name = "a_table_name_of_exactly_sixty_three_bytes_which_is_the_pg_limit",
    index(
        first_column_with_a_rather_long_name,
        second_column_with_a_rather_long_name
    ),
    unique(
        first_column_with_a_rather_long_name,
        second_column_with_a_rather_long_name
    )
)]
pub struct LongNames {
    #[table(primary_key)]
    pub id: i64,
    #[table(index, check = "first_column_with_a_rather_long_name > 0")]
    pub first_column_with_a_rather_long_name: i32,
    #[table(index, check = "second_column_with_a_rather_long_name > 0")]
    pub second_column_with_a_rather_long_name: i32,
    #[table(
        name = "a_column_name_of_exactly_sixty_three_bytes_also_at_the_pg_limit",
        unique
    )]
    pub long_column: i64,
}

#[derive(Table)]
#[table(name = "a_child_table_whose_name_is_long_enough_to_push_the_fk_over_63")]
pub struct LongChild {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = LongNames, index, on_delete = "cascade")]
    pub parent_id_with_a_long_name_too: i64,
    #[table(references = LongNames)]
    pub other_parent_id_with_a_long_name: Option<i64>,
}

/// 64 bytes: one over PostgreSQL's limit, still within MySQL's.
#[derive(Table)]
#[table(name = "a_table_name_of_sixty_four_bytes_one_more_than_the_postgres_limi")]
pub struct TooLongForPostgres {
    #[table(primary_key)]
    pub id: i64,
}

/// Over every limit, table and column both.
#[derive(Table)]
#[table(name = "a_table_name_that_is_far_too_long_for_postgres_and_for_mysql_alike_seventy")]
pub struct TooLong {
    #[table(
        primary_key,
        name = "a_column_name_that_is_far_too_long_for_postgres_and_for_mysql_alike"
    )]
    pub id: i64,
}

/// The model sets: each is snapshotted on every dialect that supports it, and created on
/// every backend.
pub fn sets() -> Vec<(&'static str, Vec<&'static TableDef>)> {
    vec![
        ("users_voices", vec![&Voice::DEF, &User::DEF]),
        (
            "wide",
            vec![&WideTag::DEF, &Wide::DEF, &Profile::DEF, &User::DEF],
        ),
        ("unsigned", vec![&Unsigned::DEF]),
        ("unsigned_64", vec![&Unsigned64::DEF]),
        ("offset_times", vec![&OffsetTimes::DEF]),
        ("named_schema", vec![&AuditNote::DEF, &AuditEvent::DEF]),
        (
            "reserved_words",
            vec![
                &ReservedSelect::DEF,
                &ReservedOrder::DEF,
                &ReservedGroup::DEF,
                &ReservedUser::DEF,
            ],
        ),
        ("long_names", vec![&LongChild::DEF, &LongNames::DEF]),
        ("too_long_for_postgres", vec![&TooLongForPostgres::DEF]),
        ("too_long", vec![&TooLong::DEF]),
        ("typed", vec![&Ticket::DEF]),
        ("postgres_types", vec![&Measurement::DEF, &Ticket::DEF]),
    ]
}

pub fn schema(set: &str) -> Models {
    let (_, tables) = sets()
        .into_iter()
        .find(|(name, _)| *name == set)
        .expect("known set");
    Models::new(tables).expect("a consistent schema")
}
