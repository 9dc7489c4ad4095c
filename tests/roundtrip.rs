//! A value of each supported Rust type, bound by sqlx, survives a trip through the column
//! that our DDL made for it, on each backend: SQLite always, PostgreSQL and MariaDB/MySQL
//! through `tests/common` (each test has a database of its own). A type a backend can't
//! hold is refused with `SchemaError::UnsupportedType` before any SQL runs.
//!
//! Over 400 lines: every supported type, on every backend, in one registry-free binary.

mod common;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use sqlx::types::ipnetwork::IpNetwork;
use sqlx::types::mac_address::MacAddress;
use sqlx::types::time::{Date, OffsetDateTime, PrimitiveDateTime, Time};
use sqlx::types::{BigDecimal, Decimal, Json};
use sqlx_table::{ColumnEnum, Dialect, Error, Models, SchemaError, Table};
use std::net::IpAddr;
use uuid::Uuid;

/// `INSERT` placeholders: `$1, $2, ...` on PostgreSQL, `?` elsewhere.
fn placeholders(dialect: Dialect, n: usize) -> String {
    (1..=n)
        .map(|i| match dialect {
            Dialect::Postgres => format!("${i}"),
            _ => "?".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Creates the model's table with `create_all`, inserts `value` twice (as `value` and as
/// `maybe`, then with `maybe` NULL), and reads both rows back.
macro_rules! roundtrip {
    ($db:expr, $dialect:expr, $model:ty, $ty:ty, $value:expr) => {{
        let pool = &$db.pool;
        let dialect: Dialect = $dialect;
        let schema = Models::new([&<$model>::DEF]).unwrap();
        schema.create_all(pool).await.unwrap();
        let table = dialect.quote(<$model>::DEF.name);
        let insert = format!(
            "INSERT INTO {table} (id, value, maybe) VALUES ({})",
            placeholders(dialect, 3)
        );
        let value: $ty = $value;
        sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
            .bind(1_i64)
            .bind(value.clone())
            .bind(Some(value.clone()))
            .execute(pool)
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(insert))
            .bind(2_i64)
            .bind(value.clone())
            .bind(None::<$ty>)
            .execute(pool)
            .await
            .unwrap();
        let rows: Vec<(i64, $ty, Option<$ty>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, value, maybe FROM {table} ORDER BY id"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(
            rows,
            vec![
                (1, value.clone(), Some(value.clone())),
                (2, value.clone(), None)
            ],
            "{} on {dialect:?}",
            stringify!($model)
        );
    }};
}

/// The table can't be created on this backend: the typed error, and no SQL run.
macro_rules! refused {
    ($db:expr, $dialect:expr, $model:ty, $tables:ident) => {{
        let schema = Models::new([&<$model>::DEF]).unwrap();
        let err = schema.create_all(&$db.pool).await.unwrap_err();
        match &err {
            Error::InvalidSchema { problems } => {
                assert_eq!(problems.len(), 2, "{err}");
                for problem in problems {
                    assert!(
                        matches!(problem, SchemaError::UnsupportedType { dialect, .. } if *dialect == $dialect.name()),
                        "{problem:?}"
                    );
                }
            }
            other => panic!("expected InvalidSchema, got {other}"),
        }
        assert_eq!($tables(&$db.pool).await, 0, "no table may be created");
    }};
}

async fn sqlite_tables(pool: &sqlx::SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn postgres_tables(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn mysql_tables(pool: &sqlx::MySqlPool) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// `yes`: the backend holds the type, and a value makes the round trip; `no`: it refuses.
macro_rules! on {
    (yes, $db:expr, $dialect:expr, $ty:ty, $value:expr, $tables:ident) => {
        roundtrip!($db, $dialect, Model, $ty, $value)
    };
    (no, $db:expr, $dialect:expr, $ty:ty, $value:expr, $tables:ident) => {
        refused!($db, $dialect, Model, $tables)
    };
    // sqlx 0.9 can't decode its own MySQL enum from a NOT NULL `ENUM` column (its type check
    // compares the column's flags whole: sqlx issue #3750). The value goes in through sqlx
    // all the same; the nullable column comes back through sqlx, and the NOT NULL one holds
    // the same text.
    (sqlx3750, $db:expr, $dialect:expr, $ty:ty, $value:expr, $tables:ident) => {{
        let pool = &$db.pool;
        Models::new([&Model::DEF])
            .unwrap()
            .create_all(pool)
            .await
            .unwrap();
        let value: $ty = $value;
        sqlx::query("INSERT INTO roundtrip (id, value, maybe) VALUES (?, ?, ?)")
            .bind(1_i64)
            .bind(value)
            .bind(Some(value))
            .execute(pool)
            .await
            .unwrap();
        let (maybe,): (Option<$ty>,) = sqlx::query_as("SELECT maybe FROM roundtrip")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(maybe, Some(value));
        let (text, maybe_text): (String, String) =
            sqlx::query_as("SELECT CONCAT(value), CONCAT(maybe) FROM roundtrip")
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(text, maybe_text);
    }};
}

/// For each `name: Type = value`: a module `name` with a model of a `value: Type` and a
/// `maybe: Option<Type>` column, and a test per backend. `sqlite:`, `postgres:` and `mysql:` say
/// whether that backend holds the type.
macro_rules! types {
    ($($name:ident: $ty:ty = $value:expr, sqlite: $lite:ident, postgres: $pg:ident, mysql: $my:ident;)*) => {$(
        mod $name {
            use super::*;

            // Only its table is used; Rust never reads the fields.
            #[allow(dead_code)]
            #[derive(Table)]
            #[table(name = "roundtrip")]
            pub struct Model {
                #[table(primary_key)]
                pub id: i64,
                pub value: $ty,
                pub maybe: Option<$ty>,
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = common::sqlite().await;
                on!($lite, db, Dialect::Sqlite, $ty, $value, sqlite_tables);
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = common::postgres().await else { return };
                on!($pg, db, Dialect::Postgres, $ty, $value, postgres_tables);
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                let Some(db) = common::mysql().await else { return };
                on!($my, db, Dialect::MySql, $ty, $value, mysql_tables);
            }
        }
    )*};
}

fn datetime() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 2, 29)
        .unwrap()
        .and_hms_micro_opt(23, 59, 58, 123_456)
        .unwrap()
}

types! {
    bool_: bool = true, sqlite: yes, postgres: yes, mysql: yes;
    i8_: i8 = -100_i8, sqlite: yes, postgres: yes, mysql: yes;
    i16_: i16 = -30_000_i16, sqlite: yes, postgres: yes, mysql: yes;
    i32_: i32 = -2_000_000_000_i32, sqlite: yes, postgres: yes, mysql: yes;
    i64_: i64 = i64::MIN + 1, sqlite: yes, postgres: yes, mysql: yes;
    u8_: u8 = 250_u8, sqlite: yes, postgres: no, mysql: yes;
    u16_: u16 = 65_000_u16, sqlite: yes, postgres: no, mysql: yes;
    u32_: u32 = 4_000_000_000_u32, sqlite: yes, postgres: no, mysql: yes;
    u64_: u64 = u64::MAX, sqlite: no, postgres: no, mysql: yes;
    f32_: f32 = 1.5_f32, sqlite: yes, postgres: yes, mysql: yes;
    f64_: f64 = -2.25e100_f64, sqlite: yes, postgres: yes, mysql: yes;
    string: String = "héllo 'single' \"double\" `back` \\ 🎉".to_owned(), sqlite: yes, postgres: yes, mysql: yes;
    bytes: Vec<u8> = vec![0_u8, 1, 127, 128, 255], sqlite: yes, postgres: yes, mysql: yes;
    uuid_: Uuid = Uuid::new_v4(), sqlite: yes, postgres: yes, mysql: yes;
    date: NaiveDate = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(), sqlite: yes, postgres: yes, mysql: yes;
    time: NaiveTime = NaiveTime::from_hms_micro_opt(23, 59, 58, 123_456).unwrap(), sqlite: yes, postgres: yes, mysql: yes;
    naive_datetime: NaiveDateTime = datetime(), sqlite: yes, postgres: yes, mysql: yes;
    datetime_utc: DateTime<Utc> = Utc.from_utc_datetime(&datetime()), sqlite: yes, postgres: yes, mysql: yes;
    datetime_offset: DateTime<FixedOffset> =
        FixedOffset::east_opt(5 * 3600 + 1800).unwrap().from_utc_datetime(&datetime()),
        sqlite: yes, postgres: yes, mysql: no;
    json_value: serde_json::Value =
        serde_json::json!({"a": [1, "two", null, {"b": false}], "ü": 1.5}), sqlite: yes, postgres: yes, mysql: yes;
    json_typed: Json<Vec<i32>> = Json(vec![1, -2, 3]), sqlite: yes, postgres: yes, mysql: yes;
    time_date: Date = time_date(), sqlite: yes, postgres: yes, mysql: yes;
    time_time: Time = time_time(), sqlite: yes, postgres: yes, mysql: yes;
    time_primitive: PrimitiveDateTime = PrimitiveDateTime::new(time_date(), time_time()),
        sqlite: yes, postgres: yes, mysql: yes;
    time_offset: OffsetDateTime = PrimitiveDateTime::new(time_date(), time_time()).assume_utc(),
        sqlite: yes, postgres: yes, mysql: yes;
    rust_decimal: Decimal = "-12345678901234567890.123456".parse().unwrap(),
        sqlite: no, postgres: yes, mysql: yes;
    bigdecimal: BigDecimal = "-123456789012345678901234567890.000000000000000000000000000123".parse().unwrap(),
        sqlite: no, postgres: yes, mysql: yes;
    ipnetwork: IpNetwork = "2001:db8::/32".parse().unwrap(), sqlite: no, postgres: yes, mysql: no;
    ip_v6: IpAddr = "2001:db8::ff00:42:8329".parse().unwrap(), sqlite: no, postgres: yes, mysql: no;
    ip_v4: IpAddr = "192.0.2.17".parse().unwrap(), sqlite: no, postgres: yes, mysql: no;
    array_ip: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap(), "::1".parse().unwrap()],
        sqlite: no, postgres: yes, mysql: no;
    mac_address: MacAddress = MacAddress::new([0x08, 0x00, 0x2b, 0x01, 0x02, 0x03]),
        sqlite: no, postgres: yes, mysql: no;
    array_i32: Vec<i32> = vec![1, -2, i32::MAX], sqlite: no, postgres: yes, mysql: no;
    array_text: Vec<String> = vec!["a".to_owned(), "b, \"c\"".to_owned(), String::new()],
        sqlite: no, postgres: yes, mysql: no;
    array_uuid: Vec<Uuid> = vec![Uuid::new_v4(), Uuid::nil()], sqlite: no, postgres: yes, mysql: no;
    array_decimal: Vec<Decimal> = vec!["1.5".parse().unwrap(), "-0.001".parse().unwrap()],
        sqlite: no, postgres: yes, mysql: no;
    text_enum: Mood = Mood::VeryHappy, sqlite: yes, postgres: yes, mysql: sqlx3750;
    array_text_enum: Vec<Mood> = vec![Mood::VeryHappy, Mood::Sad, Mood::VeryHappy],
        sqlite: no, postgres: yes, mysql: no;
    renamed_enum: Level = Level::Low, sqlite: yes, postgres: yes, mysql: sqlx3750;
    int_enum: Priority = Priority::High, sqlite: yes, postgres: yes, mysql: yes;
}

fn time_date() -> Date {
    Date::from_ordinal_date(2024, 60).unwrap()
}

fn time_time() -> Time {
    Time::from_hms_micro(23, 59, 58, 123_456).unwrap()
}

/// A text enum under sqlx's default naming (the variants' own names), whose PostgreSQL type
/// is named by `type_name`.
#[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, ColumnEnum)]
#[sqlx(type_name = "mood", rename_all = "snake_case")]
pub enum Mood {
    Sad,
    VeryHappy,
}

/// A text enum without `type_name` (PostgreSQL's type is the enum's name, folded to lower
/// case, as sqlx looks it up) and a variant renamed on its own.
#[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, ColumnEnum)]
#[sqlx(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    #[sqlx(rename = "lo")]
    Low,
    VeryHigh,
}

/// An integer enum: its discriminants, in a column of its `repr`.
#[derive(Debug, Clone, Copy, PartialEq, sqlx::Type, ColumnEnum)]
#[repr(i32)]
pub enum Priority {
    Low = 1,
    High = 10,
    Urgent,
}

// ---------------------------------------------------------------------------------------
// Defaults, filled in by the database when the insert leaves the column out.

#[derive(Table)]
pub struct Defaults {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = uuid)]
    pub token: Uuid,
    #[table(default = now)]
    pub stamp: NaiveDateTime,
    #[table(default = now)]
    pub stamp_utc: DateTime<Utc>,
    #[table(default = now)]
    pub day: NaiveDate,
    #[table(default = "it's \"here\" \\")]
    pub text: String,
    #[table(default = "short", max_length = 10)]
    pub short: String,
    #[table(default = 42)]
    pub number: i32,
    #[table(default = -5)]
    pub tiny: i8,
    #[table(default = true)]
    pub flag: bool,
    #[table(default = -0.25)]
    pub ratio: f64,
    #[table(default = 7)]
    pub maybe: Option<i64>,
    #[table(default_sql = "1 + 2")]
    pub computed: i32,
}

type DefaultsRow = (
    Uuid,
    NaiveDateTime,
    DateTime<Utc>,
    NaiveDate,
    String,
    String,
    i32,
    i8,
    bool,
    f64,
    Option<i64>,
    i32,
);

macro_rules! defaults {
    ($db:expr, $dialect:expr) => {{
        let pool = &$db.pool;
        let dialect: Dialect = $dialect;
        Models::new([&Defaults::DEF])
            .unwrap()
            .create_all(pool)
            .await
            .unwrap();
        let table = dialect.quote("defaults");
        for id in [1_i64, 2] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} (id) VALUES ({})",
                placeholders(dialect, 1)
            )))
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
        }
        let rows: Vec<DefaultsRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT token, stamp, stamp_utc, day, text, short, number, tiny, flag, ratio, maybe, computed \
             FROM {table} ORDER BY id"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        let now = Utc::now();
        for row in &rows {
            let (token, stamp, stamp_utc, day, text, short, number, tiny, flag, ratio, maybe, computed) =
                row.clone();
            assert!(!token.is_nil());
            // PostgreSQL and SQLite make version 4; MySQL's UUID() is version 1.
            let version = if dialect == Dialect::MySql { 1 } else { 4 };
            assert_eq!(token.get_version_num(), version, "{token}");
            assert_eq!(token.as_bytes()[8] & 0xc0, 0x80, "RFC variant: {token}");
            // The server's clock and time zone: within a day of ours.
            let day_ago = now - chrono::Duration::days(1);
            let day_on = now + chrono::Duration::days(1);
            assert!(stamp > day_ago.naive_utc() && stamp < day_on.naive_utc(), "{stamp}");
            assert!(stamp_utc > day_ago && stamp_utc < day_on, "{stamp_utc}");
            assert!(day >= day_ago.date_naive() && day <= day_on.date_naive(), "{day}");
            assert_eq!(
                (text.as_str(), short.as_str(), number, tiny, flag, ratio, maybe, computed),
                ("it's \"here\" \\", "short", 42, -5, true, -0.25, Some(7), 3)
            );
        }
        assert_ne!(rows[0].0, rows[1].0, "each row gets a new UUID");
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_fills_defaults_on_sqlite() {
    let db = common::sqlite().await;
    defaults!(db, Dialect::Sqlite);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_fills_defaults_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    defaults!(db, Dialect::Postgres);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_fills_defaults_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    defaults!(db, Dialect::MySql);
}

// ---------------------------------------------------------------------------------------
// Auto-increment, and column names that agree with sqlx::FromRow.

#[derive(Table, sqlx::FromRow, Debug, PartialEq)]
#[sqlx(rename_all = "camelCase")]
pub struct Account {
    #[table(primary_key, auto_increment)]
    pub account_id: i64,
    #[sqlx(rename = "display")]
    #[table(max_length = 80)]
    pub display_name: String,
    pub avatar_url: Option<String>,
    #[sqlx(skip)]
    pub cached: bool,
}

macro_rules! from_row {
    ($db:expr, $dialect:expr) => {{
        let pool = &$db.pool;
        let dialect: Dialect = $dialect;
        Models::new([&Account::DEF])
            .unwrap()
            .create_all(pool)
            .await
            .unwrap();
        let table = dialect.quote("account");
        for (name, url) in [("Ann", Some("https://a.example")), ("Bob", None)] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} ({}, {}) VALUES ({})",
                dialect.quote("display"),
                dialect.quote("avatarUrl"),
                placeholders(dialect, 2)
            )))
            .bind(name)
            .bind(url)
            .execute(pool)
            .await
            .unwrap();
        }
        let accounts: Vec<Account> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT * FROM {table} ORDER BY {}",
            dialect.quote("accountId")
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(
            accounts,
            [
                Account {
                    account_id: 1,
                    display_name: "Ann".into(),
                    avatar_url: Some("https://a.example".into()),
                    cached: false
                },
                Account {
                    account_id: 2,
                    display_name: "Bob".into(),
                    avatar_url: None,
                    cached: false
                },
            ]
        );
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_row_reads_the_derived_table_on_sqlite() {
    let db = common::sqlite().await;
    from_row!(db, Dialect::Sqlite);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_row_reads_the_derived_table_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    from_row!(db, Dialect::Postgres);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_row_reads_the_derived_table_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    from_row!(db, Dialect::MySql);
}

/// MySQL has no `INET`, and sqlx binds a `std::net::IpAddr` there as text: the refusal's
/// advice, `sql_type(mysql = "VARCHAR(45)")`, makes the round trip (45 characters: the
/// longest IPv6 address written with an IPv4 tail).
mod ip_as_text_on_mysql {
    use super::*;

    // Only its table is used; Rust never reads the fields.
    #[allow(dead_code)]
    #[derive(Table)]
    #[table(name = "roundtrip")]
    pub struct Model {
        #[table(primary_key)]
        pub id: i64,
        #[table(sql_type(mysql = "VARCHAR(45)"))]
        pub value: IpAddr,
        #[table(sql_type(mysql = "VARCHAR(45)"))]
        pub maybe: Option<IpAddr>,
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mysql() {
        let Some(db) = common::mysql().await else {
            return;
        };
        let longest: IpAddr = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
            .parse()
            .unwrap();
        roundtrip!(db, Dialect::MySql, Model, IpAddr, longest);
        let plan = Models::new([&Model::DEF])
            .unwrap()
            .plan(&db.pool)
            .await
            .unwrap();
        assert!(plan.is_empty(), "{plan}");
    }
}
