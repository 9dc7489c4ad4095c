//! From Rust types to column types.
//!
//! A field's column type comes from its Rust type through [`ColumnType`], never from the
//! spelling of the type in the macro: type aliases and paths work, and an unsupported type
//! is a compile error at the field. Implement [`ColumnType`] for your own types (a newtype
//! around `String`, say) to use them as columns.

/// The logical type of a column. Each [`Dialect`](crate::Dialect) renders it as the SQL type
/// that sqlx's own encoding of the Rust type reads and writes on that backend; the README
/// has the full table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SqlType {
    /// `bool`
    Bool,
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `u8` (not on PostgreSQL, where sqlx has no unsigned types)
    U8,
    /// `u16` (not on PostgreSQL)
    U16,
    /// `u32` (not on PostgreSQL)
    U32,
    /// `u64` (not on PostgreSQL)
    U64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `String` and `&str`; with a maximum length in characters where `max_length` is set.
    Text {
        /// `max_length = N`: `VARCHAR(N)` instead of `TEXT`.
        max_length: Option<u32>,
    },
    /// `Vec<u8>` and `&[u8]`
    Bytes,
    /// `uuid::Uuid`
    Uuid,
    /// `chrono::NaiveDate`
    Date,
    /// `chrono::NaiveTime`
    Time,
    /// `chrono::NaiveDateTime`
    DateTime,
    /// `chrono::DateTime<Utc>`
    DateTimeUtc,
    /// `chrono::DateTime<FixedOffset>` (not on MySQL, where sqlx can't decode it)
    DateTimeOffset,
    /// `serde_json::Value` and `sqlx::types::Json<T>`
    Json,
    /// `sql_type = "..."`: written as given, on every dialect.
    Custom(&'static str),
}

impl SqlType {
    /// This type with a maximum length: what `max_length = N` does to a text column.
    ///
    /// Only text types have a length; the derive rejects `max_length` on other fields at
    /// compile time, so for them this returns the type unchanged.
    pub const fn with_max_length(self, max_length: u32) -> SqlType {
        match self {
            SqlType::Text { .. } => SqlType::Text {
                max_length: Some(max_length),
            },
            other => other,
        }
    }

    /// Whether this is an integer type (the only kind that can be `auto_increment`).
    pub const fn is_integer(self) -> bool {
        matches!(
            self,
            SqlType::I8
                | SqlType::I16
                | SqlType::I32
                | SqlType::I64
                | SqlType::U8
                | SqlType::U16
                | SqlType::U32
                | SqlType::U64
        )
    }
}

/// A Rust type that can be a column.
///
/// `Option<T>` is a nullable column of `T`'s type; every other type is `NOT NULL`.
///
/// ```
/// use sqlx_table::{ColumnType, SqlType};
///
/// /// An email address, stored as text.
/// pub struct Email(pub String);
///
/// impl ColumnType for Email {
///     const SQL_TYPE: SqlType = SqlType::Text { max_length: Some(320) };
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a table column: it does not implement `sqlx_table::ColumnType`",
    label = "no column type for `{Self}`",
    note = "implement `sqlx_table::ColumnType` for it, give the column a type with `#[table(sql_type = \"...\")]`, or leave the field out with `#[table(skip)]`"
)]
pub trait ColumnType {
    /// The logical column type.
    const SQL_TYPE: SqlType;
    /// Whether the column allows NULL. Only `Option<T>` sets this.
    const NULLABLE: bool = false;
}

impl<T: ColumnType> ColumnType for Option<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const NULLABLE: bool = true;
}

macro_rules! column_types {
    ($($ty:ty => $sql:expr),* $(,)?) => {
        $(impl ColumnType for $ty {
            const SQL_TYPE: SqlType = $sql;
        })*
    };
}

column_types! {
    bool => SqlType::Bool,
    i8 => SqlType::I8,
    i16 => SqlType::I16,
    i32 => SqlType::I32,
    i64 => SqlType::I64,
    u8 => SqlType::U8,
    u16 => SqlType::U16,
    u32 => SqlType::U32,
    u64 => SqlType::U64,
    f32 => SqlType::F32,
    f64 => SqlType::F64,
    String => SqlType::Text { max_length: None },
    &str => SqlType::Text { max_length: None },
    Box<str> => SqlType::Text { max_length: None },
    Vec<u8> => SqlType::Bytes,
    &[u8] => SqlType::Bytes,
    uuid::Uuid => SqlType::Uuid,
    chrono::NaiveDate => SqlType::Date,
    chrono::NaiveTime => SqlType::Time,
    chrono::NaiveDateTime => SqlType::DateTime,
    chrono::DateTime<chrono::Utc> => SqlType::DateTimeUtc,
    chrono::DateTime<chrono::FixedOffset> => SqlType::DateTimeOffset,
    serde_json::Value => SqlType::Json,
}

impl<T> ColumnType for sqlx::types::Json<T> {
    const SQL_TYPE: SqlType = SqlType::Json;
}

/// Compile-time checks the derive emits as trait bounds, so that a misuse is reported at
/// the attribute with a message that says how to fix it. Not part of the public API.
#[doc(hidden)]
pub mod check {
    use super::ColumnType;

    /// Fields that may carry `max_length`.
    #[diagnostic::on_unimplemented(
        message = "`max_length` needs a text field, and `{Self}` is not text",
        label = "`max_length` on a `{Self}` field",
        note = "remove `max_length`, or use `sql_type = \"...\"` to choose the column type yourself"
    )]
    pub trait MaxLength {}
    impl MaxLength for String {}
    impl MaxLength for &str {}
    impl MaxLength for Box<str> {}
    impl<T: MaxLength> MaxLength for Option<T> {}

    /// Fields that may be `auto_increment`.
    #[diagnostic::on_unimplemented(
        message = "`auto_increment` needs an integer field, and `{Self}` is not one",
        label = "`auto_increment` on a `{Self}` field",
        note = "use `i32` or `i64` for a numbered key, or `default = uuid` for a `Uuid` key"
    )]
    pub trait AutoIncrement {}
    impl AutoIncrement for i16 {}
    impl AutoIncrement for i32 {}
    impl AutoIncrement for i64 {}
    impl AutoIncrement for u16 {}
    impl AutoIncrement for u32 {}
    impl AutoIncrement for u64 {}

    /// Fields that accept an integer literal default; `Int` is the type the literal must fit.
    #[diagnostic::on_unimplemented(
        message = "an integer default does not fit a `{Self}` field",
        label = "integer default on a `{Self}` field",
        note = "write a default of the field's kind: a string in quotes, `true`/`false`, `now`, `uuid`, or `default_sql = \"...\"`"
    )]
    pub trait IntDefault {
        /// The type the literal is checked against, so that `default = 300` on `i8` fails.
        type Int;
    }
    /// Fields that accept a negative integer literal default: the signed ones.
    #[diagnostic::on_unimplemented(
        message = "a negative default does not fit a `{Self}` field",
        label = "negative default on a `{Self}` field",
        note = "an unsigned column holds no negative number: give a default of 0 or more, or make the field a signed integer (`i8`, `i16`, `i32`, `i64`)"
    )]
    pub trait NegativeDefault {
        /// The type the literal is checked against.
        type Int;
    }
    /// Fields that accept a float literal default.
    #[diagnostic::on_unimplemented(
        message = "a floating-point default does not fit a `{Self}` field",
        label = "float default on a `{Self}` field",
        note = "write a default of the field's kind, or `default_sql = \"...\"`"
    )]
    pub trait FloatDefault {
        /// The type the literal is checked against.
        type Float;
    }
    /// Fields that accept a string literal default.
    #[diagnostic::on_unimplemented(
        message = "a string default does not fit a `{Self}` field",
        label = "string default on a `{Self}` field",
        note = "write a default of the field's kind (a number, `true`/`false`, `now`, `uuid`), or `default_sql = \"...\"`"
    )]
    pub trait StrDefault {}
    /// Fields that accept a boolean literal default.
    #[diagnostic::on_unimplemented(
        message = "a boolean default does not fit a `{Self}` field",
        label = "boolean default on a `{Self}` field",
        note = "`true`/`false` defaults need a `bool` field; or write `default_sql = \"...\"`"
    )]
    pub trait BoolDefault {}
    /// Fields that accept `default = now`.
    #[diagnostic::on_unimplemented(
        message = "`default = now` needs a date or time field, and `{Self}` is not one",
        label = "`now` default on a `{Self}` field",
        note = "use a chrono `NaiveDate`, `NaiveTime`, `NaiveDateTime` or `DateTime<Utc>` field, or `default_sql = \"...\"`"
    )]
    pub trait NowDefault {}
    /// Fields that accept `default = uuid`.
    #[diagnostic::on_unimplemented(
        message = "`default = uuid` needs a `uuid::Uuid` field, and `{Self}` is not one",
        label = "`uuid` default on a `{Self}` field",
        note = "make the field a `uuid::Uuid`, or write `default_sql = \"...\"`"
    )]
    pub trait UuidDefault {}

    macro_rules! impls {
        (int: $($t:ty),*) => { $(impl IntDefault for $t { type Int = $t; })* };
        (negative: $($t:ty),*) => { $(impl NegativeDefault for $t { type Int = $t; })* };
        (float: $($t:ty),*) => { $(
            impl FloatDefault for $t { type Float = $t; }
            impl IntDefault for $t { type Int = i32; }
            impl NegativeDefault for $t { type Int = i32; }
        )* };
        ($tr:ident: $($t:ty),*) => { $(impl $tr for $t {})* };
    }
    impls!(int: i8, i16, i32, i64, u8, u16, u32, u64);
    impls!(negative: i8, i16, i32, i64);
    impls!(float: f32, f64);
    impls!(StrDefault: String, &str, Box<str>);
    impls!(BoolDefault: bool);
    impls!(NowDefault: chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime,
        chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::FixedOffset>);
    impls!(UuidDefault: uuid::Uuid);

    impl<T: IntDefault> IntDefault for Option<T> {
        type Int = T::Int;
    }
    impl<T: NegativeDefault> NegativeDefault for Option<T> {
        type Int = T::Int;
    }
    impl<T: FloatDefault> FloatDefault for Option<T> {
        type Float = T::Float;
    }
    impl<T: StrDefault> StrDefault for Option<T> {}
    impl<T: BoolDefault> BoolDefault for Option<T> {}
    impl<T: NowDefault> NowDefault for Option<T> {}
    impl<T: UuidDefault> UuidDefault for Option<T> {}

    /// A foreign-key field whose type is `Key` or `Option<Key>`.
    #[diagnostic::on_unimplemented(
        message = "this foreign key is a `{Self}`, but the referenced primary key is a `{Key}`",
        label = "must be `{Key}` or `Option<{Key}>`",
        note = "a foreign key column has the type of the primary key it references: change the field's type to `{Key}` (or `Option<{Key}>` for an optional reference)"
    )]
    pub trait ForeignKeyOf<Key> {}
    impl<T: ColumnType> ForeignKeyOf<T> for T {}
    impl<T: ColumnType> ForeignKeyOf<T> for Option<T> {}

    /// Time and timestamp fields, which may carry `precision`.
    #[diagnostic::on_unimplemented(
        message = "`precision` needs a time or timestamp field, and `{Self}` is neither",
        label = "not a time or timestamp",
        note = "`precision = N` is the number of fractional digits of seconds of a `NaiveTime`, `NaiveDateTime` or `DateTime<Utc>` column; remove it here"
    )]
    pub trait Precision {}
    impl Precision for chrono::NaiveTime {}
    impl Precision for chrono::NaiveDateTime {}
    impl Precision for chrono::DateTime<chrono::Utc> {}
    impl Precision for chrono::DateTime<chrono::FixedOffset> {}
    impl<T: Precision> Precision for Option<T> {}

    /// Text fields, which may carry `charset` and `collation`.
    #[diagnostic::on_unimplemented(
        message = "`charset` and `collation` need a text field, and `{Self}` is not text",
        label = "not text",
        note = "a character set and collation belong to text columns (`String`); remove them here"
    )]
    pub trait Charset {}
    impl Charset for String {}
    impl Charset for &str {}
    impl Charset for Box<str> {}
    impl<T: Charset> Charset for Option<T> {}

    /// The backends this build of `sqlx-table` has, by its features.
    #[diagnostic::on_unimplemented(
        message = "`sql_type(...)` gives a type for a backend whose feature of sqlx-table is off",
        label = "this backend's feature is off",
        note = "turn on sqlx-table's feature of that name (`postgres`, `mysql` or `sqlite`), or remove the entry"
    )]
    pub trait Enabled {}
    /// PostgreSQL, in `sql_type(postgres = "...")`.
    pub struct Postgres;
    /// MySQL and MariaDB, in `sql_type(mysql = "...")`.
    pub struct MySql;
    /// SQLite, in `sql_type(sqlite = "...")`.
    pub struct Sqlite;
    #[cfg(feature = "postgres")]
    impl Enabled for Postgres {}
    #[cfg(feature = "mysql")]
    impl Enabled for MySql {}
    #[cfg(feature = "sqlite")]
    impl Enabled for Sqlite {}

    /// See [`assert_max_length`].
    pub const fn assert_precision<T: Precision + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_charset<T: Charset + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_backend<B: Enabled>() {}

    /// Holds a type to a bound; the derive names it as `const _: fn() = assert::<T>;`.
    pub const fn assert_max_length<T: MaxLength + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_auto_increment<T: AutoIncrement + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_str_default<T: StrDefault + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_bool_default<T: BoolDefault + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_now_default<T: NowDefault + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_uuid_default<T: UuidDefault + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_foreign_key<F: ForeignKeyOf<K> + ?Sized, K>() {}
}
