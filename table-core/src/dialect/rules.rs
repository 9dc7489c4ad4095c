//! The questions every dialect answers, and the answers they share.

use super::Statement;
use crate::def::{BackendTypes, ColumnDef, DefaultValue, ForeignKeyDef, IndexDef, TableDef};
use crate::error::SchemaError;
use crate::types::{EnumDef, SqlType};

/// What one dialect answers. No method has a default: a dialect added later must answer
/// every question, and the compiler lists the ones it hasn't.
pub(super) trait Rules: Sync {
    /// The name users know the dialect by.
    fn name(&self) -> &'static str;
    /// The longest identifier kept whole, as [`Rules::identifier_len`] counts; `None`: no limit.
    fn max_identifier_len(&self) -> Option<usize>;
    /// The length of an identifier as the backend counts it (bytes or characters).
    fn identifier_len(&self, name: &str) -> usize;
    /// A quoted identifier.
    fn quote(&self, ident: &str) -> String;
    /// A string literal.
    fn string_literal(&self, value: &str) -> String;
    /// Why the dialect can't write the type, if it can't.
    fn unsupported_reason(&self, ty: SqlType) -> Option<&'static str>;
    /// The SQL type that sqlx's encoding of the Rust type reads and writes here.
    fn column_type(&self, ty: SqlType) -> String;
    /// This dialect's own entry of a column's `sql_type(<backend> = "...")`.
    fn own_type(&self, types: &BackendTypes) -> Option<&'static str>;
    /// A time or timestamp type with `precision` fractional digits of seconds; other types as
    /// [`Rules::column_type`] writes them (the derive allows `precision` on temporal fields
    /// alone).
    fn precise_type(&self, ty: SqlType, precision: u8, scale: Option<u8>) -> String;
    /// Whether an enum stored as text is a type of its own here (PostgreSQL's enum type,
    /// MySQL's `ENUM(...)`), rather than text with a `CHECK`.
    fn native_text_enums(&self) -> bool;
    /// What follows a column's type for its character set and collation, where the dialect
    /// writes them.
    fn column_charset(&self, column: &ColumnDef) -> Option<String>;
    /// Whether a key or index can include a column of the type without a prefix length.
    fn indexable(&self, ty: SqlType) -> bool;
    /// The expression after `DEFAULT`.
    fn default_sql(&self, column: &ColumnDef, default: DefaultValue) -> String;
    /// What follows the name of an `auto_increment` column: its type and numbering.
    fn auto_increment(&self, column: &ColumnDef) -> String;
    /// The column's comment, where the dialect writes it in the column definition.
    fn inline_column_comment(&self, column: &ColumnDef) -> Option<String>;
    /// Whether the primary key is written on the auto-increment column instead of apart.
    fn inline_primary_key(&self, table: &TableDef) -> bool;
    /// How a foreign key names the table it references.
    fn referenced_table(&self, fk: &ForeignKeyDef) -> String;
    /// Whether indexes go inside `CREATE TABLE` rather than in statements of their own.
    fn inline_indexes(&self) -> bool;
    /// Appends to `sql` what follows the closing parenthesis of `CREATE TABLE`.
    fn table_options(&self, table: &TableDef, sql: &mut String);
    /// `CREATE INDEX` for one index of the table; `name` is the table's quoted name.
    fn create_index(&self, table: &TableDef, name: &str, index: &IndexDef) -> Statement;
    /// Appends the statements that write the table's and columns' comments, where they are
    /// apart; `name` is the table's quoted name.
    fn comment_statements(&self, table: &TableDef, name: &str, out: &mut Vec<Statement>);
    /// The statement that creates a text enum's own type, where it has one apart from the
    /// table (PostgreSQL); idempotent, as `create_all` may meet a type that exists.
    fn create_enum_type(&self, def: &EnumDef) -> Option<Statement>;
    /// The statement that drops a text enum's own type, where it has one.
    fn drop_enum_type(&self, def: &EnumDef) -> Option<Statement>;
    /// The statement that creates a schema, where creating one is ours to do.
    fn create_schema(&self, schema: &str) -> Option<Statement>;
    /// What `ALTER TABLE … DROP` says before a foreign key's name.
    fn drop_foreign_key_keyword(&self) -> &'static str;
    /// Whether a foreign key closing a cycle is added by `ALTER TABLE` once both tables exist.
    fn defers_cyclic_foreign_keys(&self) -> bool;
    /// Every reason the table can't be written in this dialect, appended to `problems`.
    fn check_table(&self, table: &TableDef, problems: &mut Vec<SchemaError>);
    /// Every reason the set of tables (sorted by key) can't be written together in this
    /// dialect, appended to `problems`: the rules between tables that depend on the backend.
    fn check_schema(&self, tables: &[&TableDef], problems: &mut Vec<SchemaError>);
    /// What the backend's catalog records and how its DDL behaves, for `plan`, `create_all`
    /// and the entry points: [`Facts`].
    fn facts(&self) -> &'static Facts;
}

/// Facts about a backend's catalog and DDL that the code above the dialects reads, so that
/// no `dialect == Dialect::X` test stands outside the dialect files. Each dialect writes its
/// value out whole (no `..` from a default), so a dialect added later answers every one.
#[derive(Debug)]
pub(crate) struct Facts {
    /// Names compare case-sensitively in the catalog (PostgreSQL: every name is quoted). The
    /// others fold case: SQLite always, MySQL as `lower_case_table_names` says.
    pub names_case_sensitive: bool,
    /// `ALTER TABLE` adds and drops keys and constraints. Where it can't (SQLite), a change
    /// to one is a rebuild of the table, which a migration file writes out as a recipe.
    pub alters_constraints: bool,
    /// A column's comment is a statement of its own (`COMMENT ON`), so adding a column with
    /// one takes two statements (PostgreSQL); MySQL writes it in the column definition.
    pub comments_apart: bool,
    /// The catalog keeps comments, so `plan` compares them (not SQLite, which has none).
    pub keeps_comments: bool,
    /// The prefix of the backend's own tables, which no model claims (`sqlite_`).
    pub internal_prefix: Option<&'static str>,
    /// Enums are types of their own in the catalog, compared before the tables
    /// (PostgreSQL's `CREATE TYPE ... AS ENUM`); elsewhere an enum is part of a column.
    pub enum_types: bool,
    /// A foreign key names the referenced table's schema, and the catalog says which. SQLite
    /// resolves a foreign key within the table's own database file.
    pub foreign_key_schemas: bool,
    /// The catalog says whether a foreign key is deferred (PostgreSQL; SQLite's
    /// `pragma foreign_key_list` doesn't).
    pub keeps_deferrable: bool,
    /// The server gives a foreign key an index of the constraint's name when no index starts
    /// with its columns (MySQL): that index belongs to the key, not to a model.
    pub indexes_foreign_keys: bool,
    /// A `nextval(...)` default is an auto-increment column (PostgreSQL's `SERIAL`).
    pub sequence_defaults: bool,
    /// The catalog calls an auto-increment integer primary key nullable though it never is
    /// (SQLite's rowid alias), so its nullability is not compared.
    pub rowid_nullable: bool,
    /// A DDL statement commits the open transaction (MySQL), so a caller's transaction
    /// can't hold the DDL of `create_all`, `drop_all` or `migrate`.
    pub ddl_commits: bool,
    /// A string default comes back from the catalog unquoted (MySQL 8) or with `\'` for a
    /// quote (MariaDB), so defaults are compared by their values.
    pub loose_string_defaults: bool,
}

/// The defaults written the same way everywhere: `None` for `now` and `uuid`, which each
/// dialect writes its own way.
pub(super) fn portable_default(rules: &dyn Rules, default: DefaultValue) -> Option<String> {
    match default {
        DefaultValue::Bool(b) => Some(if b { "TRUE" } else { "FALSE" }.to_owned()),
        DefaultValue::Int(i) => Some(i.to_string()),
        DefaultValue::Float(f) => Some(format!("{f:?}")),
        DefaultValue::Str(s) => Some(rules.string_literal(s)),
        DefaultValue::Sql(sql) => Some(format!("({sql})")),
        DefaultValue::Now | DefaultValue::Uuid => None,
    }
}

/// What `default = now` means for a column of the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Now {
    Date,
    Time,
    Timestamp,
}

impl Now {
    /// The date for a date, the time for a time, and a timestamp for everything else (the
    /// derive accepts `now` on date and time fields only; a `sql_type` column is the user's).
    pub(super) fn of(ty: SqlType) -> Now {
        match ty {
            SqlType::Date => Now::Date,
            SqlType::Time => Now::Time,
            SqlType::DateTime
            | SqlType::DateTimeUtc
            | SqlType::DateTimeOffset
            | SqlType::Bool
            | SqlType::I8
            | SqlType::I16
            | SqlType::I32
            | SqlType::I64
            | SqlType::U8
            | SqlType::U16
            | SqlType::U32
            | SqlType::U64
            | SqlType::F32
            | SqlType::F64
            | SqlType::Text { .. }
            | SqlType::Bytes
            | SqlType::Uuid
            | SqlType::Json
            | SqlType::Decimal
            | SqlType::Inet
            | SqlType::MacAddr
            | SqlType::Array(_)
            | SqlType::Enum(_)
            | SqlType::Custom(_) => Now::Timestamp,
        }
    }
}

/// `"ident"`, doubling quotes: PostgreSQL and SQLite.
pub(super) fn double_quoted(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}
