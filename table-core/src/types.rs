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
    /// `serde_json::Value` and `sqlx::types::Json<T>` (feature `json`)
    Json,
    /// `rust_decimal::Decimal` (feature `rust_decimal`) and `bigdecimal::BigDecimal`
    /// (feature `bigdecimal`): `NUMERIC`, with `precision` and `scale` where the field has
    /// them. Not on SQLite, where sqlx has no decimal type.
    Decimal,
    /// `ipnetwork::IpNetwork` and `std::net::IpAddr` (feature `ipnetwork`, which gives
    /// sqlx's PostgreSQL codecs of both): PostgreSQL's `INET`, only there.
    Inet,
    /// `mac_address::MacAddress` (feature `mac_address`): PostgreSQL's `MACADDR`, only there.
    MacAddr,
    /// `Vec<T>` of a scalar `T` other than `u8`: a PostgreSQL array of `T`'s type, only there.
    Array(&'static SqlType),
    /// A Rust enum that derives `sqlx_table::ColumnEnum` beside `sqlx::Type`: its
    /// values are constrained to the variants.
    Enum(&'static EnumDef),
    /// `sql_type = "..."`: written as given, on every dialect.
    Custom(&'static str),
}

/// A Rust enum as a column: what `#[derive(ColumnEnum)]` reads from the enum and its
/// `#[sqlx(...)]` attributes, so that the table and sqlx agree on every value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EnumDef {
    /// The Rust enum, for messages.
    pub rust_type: &'static str,
    /// How sqlx stores the enum.
    pub repr: EnumRepr,
}

impl EnumDef {
    /// An enum stored as its variants' names (after `rename_all` and `rename`), which sqlx
    /// reads and writes as PostgreSQL's type `type_name` (the Rust enum's name unless
    /// `#[sqlx(type_name = "...")]` says otherwise).
    pub const fn text(
        rust_type: &'static str,
        type_name: &'static str,
        values: &'static [&'static str],
    ) -> EnumDef {
        EnumDef {
            rust_type,
            repr: EnumRepr::Text { type_name, values },
        }
    }

    /// An enum stored as its discriminants (`#[repr(i32)]`), in a column of `int`'s type.
    pub const fn int(
        rust_type: &'static str,
        int: &'static SqlType,
        values: &'static [i64],
    ) -> EnumDef {
        EnumDef {
            rust_type,
            repr: EnumRepr::Int { int, values },
        }
    }
}

/// How sqlx stores an enum: sqlx's "strong" enums as text, its `#[repr(..)]` ones as
/// integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnumRepr {
    /// The variants' names: a native enum type on PostgreSQL, `ENUM(...)` on MySQL, a
    /// `CHECK` on SQLite.
    Text {
        /// PostgreSQL's type name as sqlx resolves it (`to_regtype`, which folds unquoted
        /// names to lower case): `mood` or `public.mood`.
        type_name: &'static str,
        /// The values, in declaration order.
        values: &'static [&'static str],
    },
    /// The discriminants, in an integer column with a `CHECK` on every backend.
    Int {
        /// The integer type of `#[repr(..)]`.
        int: &'static SqlType,
        /// The discriminants, in declaration order.
        values: &'static [i64],
    },
}

impl EnumRepr {
    /// PostgreSQL's name of a text enum's type, in the catalog's (lower) case, with its
    /// schema if it names one: what `to_regtype` resolves sqlx's name to.
    pub fn pg_type_name(&self) -> Option<(Option<String>, String)> {
        match self {
            EnumRepr::Text { type_name, .. } => {
                let folded = type_name.to_lowercase();
                Some(match folded.split_once('.') {
                    Some((schema, name)) => (Some(schema.to_owned()), name.to_owned()),
                    None => (None, folded),
                })
            }
            EnumRepr::Int { .. } => None,
        }
    }
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
}

#[cfg(feature = "uuid")]
column_types! { uuid::Uuid => SqlType::Uuid }

#[cfg(feature = "chrono")]
column_types! {
    chrono::NaiveDate => SqlType::Date,
    chrono::NaiveTime => SqlType::Time,
    chrono::NaiveDateTime => SqlType::DateTime,
    chrono::DateTime<chrono::Utc> => SqlType::DateTimeUtc,
    chrono::DateTime<chrono::FixedOffset> => SqlType::DateTimeOffset,
}

// sqlx writes an `OffsetDateTime` in UTC (MySQL's TIMESTAMP), as a chrono `DateTime<Utc>`.
#[cfg(feature = "time")]
column_types! {
    time::Date => SqlType::Date,
    time::Time => SqlType::Time,
    time::PrimitiveDateTime => SqlType::DateTime,
    time::OffsetDateTime => SqlType::DateTimeUtc,
}

#[cfg(feature = "json")]
column_types! { serde_json::Value => SqlType::Json }

#[cfg(feature = "json")]
impl<T> ColumnType for sqlx::types::Json<T> {
    const SQL_TYPE: SqlType = SqlType::Json;
}

#[cfg(feature = "json")]
impl<T> ArrayElement for sqlx::types::Json<T> {}

#[cfg(feature = "rust_decimal")]
column_types! { rust_decimal::Decimal => SqlType::Decimal }

#[cfg(feature = "bigdecimal")]
column_types! { bigdecimal::BigDecimal => SqlType::Decimal }

#[cfg(feature = "ipnetwork")]
column_types! { ipnetwork::IpNetwork => SqlType::Inet, std::net::IpAddr => SqlType::Inet }

#[cfg(feature = "mac_address")]
column_types! { mac_address::MacAddress => SqlType::MacAddr }

/// The types whose `Vec` is a PostgreSQL array: sqlx's scalars with an array type. `u8` is
/// not one (`Vec<u8>` is bytes), nor is `Vec<T>` (sqlx has no arrays of arrays).
#[diagnostic::on_unimplemented(
    message = "`Vec<{Self}>` cannot be a table column: `{Self}` is not an array element sqlx supports",
    label = "no array column of `{Self}`",
    note = "arrays are PostgreSQL's, of sqlx's scalar types (integers, floats, bool, text, uuid, dates and times, decimals, JSON, network addresses) and of text enums (`ColumnEnum` without `repr`); use `sql_type = \"...\"` or `#[table(skip)]` otherwise"
)]
pub trait ArrayElement: ColumnType {}

impl<T: ArrayElement> ColumnType for Vec<T> {
    const SQL_TYPE: SqlType = SqlType::Array(&T::SQL_TYPE);
}

macro_rules! array_elements {
    ($($ty:ty),* $(,)?) => { $(impl ArrayElement for $ty {})* };
}

array_elements!(bool, i8, i16, i32, i64, f32, f64, String);
#[cfg(feature = "uuid")]
array_elements!(uuid::Uuid);
#[cfg(feature = "chrono")]
array_elements!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::FixedOffset>,
);
#[cfg(feature = "time")]
array_elements!(
    time::Date,
    time::Time,
    time::PrimitiveDateTime,
    time::OffsetDateTime
);
#[cfg(feature = "json")]
array_elements!(serde_json::Value);
#[cfg(feature = "rust_decimal")]
array_elements!(rust_decimal::Decimal);
#[cfg(feature = "bigdecimal")]
array_elements!(bigdecimal::BigDecimal);
#[cfg(feature = "ipnetwork")]
array_elements!(ipnetwork::IpNetwork, std::net::IpAddr);
#[cfg(feature = "mac_address")]
array_elements!(mac_address::MacAddress);

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
    #[cfg(feature = "chrono")]
    impls!(NowDefault: chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime,
        chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::FixedOffset>);
    #[cfg(feature = "time")]
    impls!(NowDefault: time::Date, time::Time, time::PrimitiveDateTime, time::OffsetDateTime);
    #[cfg(feature = "uuid")]
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

    /// Time, timestamp and decimal fields, which may carry `precision`.
    #[diagnostic::on_unimplemented(
        message = "`precision` needs a time, timestamp or decimal field, and `{Self}` is none of them",
        label = "not a time, timestamp or decimal",
        note = "`precision = N` is the number of fractional digits of seconds of a time or timestamp column, or the number of digits of a decimal column; remove it here"
    )]
    pub trait Precision {}
    /// Fields whose `precision` may be more than 6: decimals, not times.
    #[diagnostic::on_unimplemented(
        message = "`precision` past 6 on a `{Self}` field: a time keeps at most 6 fractional digits of seconds",
        label = "at most 6 here",
        note = "`precision = N` of a time or timestamp is its fractional digits of seconds, 0 to 6"
    )]
    pub trait WidePrecision {}
    #[allow(
        unused_macros,
        reason = "used only by the features of date, time and decimal crates"
    )]
    macro_rules! precision {
        ($($t:ty),*) => { $(impl Precision for $t {})* };
    }
    #[cfg(feature = "chrono")]
    precision!(
        chrono::NaiveTime,
        chrono::NaiveDateTime,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::FixedOffset>
    );
    #[cfg(feature = "time")]
    precision!(time::Time, time::PrimitiveDateTime, time::OffsetDateTime);
    #[cfg(feature = "rust_decimal")]
    precision!(rust_decimal::Decimal);
    #[cfg(feature = "bigdecimal")]
    precision!(bigdecimal::BigDecimal);
    impl<T: Precision> Precision for Option<T> {}

    /// Decimal fields, which may carry `scale`.
    #[diagnostic::on_unimplemented(
        message = "`scale` needs a decimal field, and `{Self}` is not one",
        label = "not a decimal",
        note = "`scale = N` is the number of digits after the point of a `rust_decimal::Decimal` or `bigdecimal::BigDecimal` column; remove it here"
    )]
    pub trait Scale {}
    #[cfg(feature = "rust_decimal")]
    impl Scale for rust_decimal::Decimal {}
    #[cfg(feature = "bigdecimal")]
    impl Scale for bigdecimal::BigDecimal {}
    impl<T: Scale> Scale for Option<T> {}
    impl<T: Scale> WidePrecision for T {}

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
    pub const fn assert_wide_precision<T: WidePrecision + ?Sized>() {}
    /// See [`assert_max_length`].
    pub const fn assert_scale<T: Scale + ?Sized>() {}
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
