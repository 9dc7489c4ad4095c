//! SQLite's answers to the dialect's questions.

use super::rules::{Facts, Now, Rules, double_quoted, portable_default};
use super::{Dialect, Statement, check};
use crate::def::{BackendTypes, ColumnDef, DefaultValue, ForeignKeyDef, IndexDef, TableDef};
use crate::error::SchemaError;
use crate::naming;
use crate::types::{EnumDef, EnumRepr, SqlType};

pub(super) struct Sqlite;

const DIALECT: Dialect = Dialect::Sqlite;

/// What SQLite's catalog records and how its DDL behaves.
static FACTS: Facts = Facts {
    names_case_sensitive: false,
    alters_constraints: false,
    comments_apart: false,
    keeps_comments: false,
    internal_prefix: Some("sqlite_"),
    enum_types: false,
    foreign_key_schemas: false,
    keeps_deferrable: false,
    indexes_foreign_keys: false,
    sequence_defaults: false,
    rowid_nullable: true,
    ddl_commits: false,
    loose_string_defaults: false,
};

impl Rules for Sqlite {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn name(&self) -> &'static str {
        "SQLite"
    }

    fn max_identifier_len(&self) -> Option<usize> {
        None
    }

    fn identifier_len(&self, name: &str) -> usize {
        name.len()
    }

    fn quote(&self, ident: &str) -> String {
        double_quoted(ident)
    }

    fn string_literal(&self, value: &str) -> String {
        format!("'{}'", value.replace('\'', "''"))
    }

    fn unsupported_reason(&self, ty: SqlType) -> Option<&'static str> {
        match ty {
            // sqlx-sqlite decodes a u64 but can't bind one: no SQLite integer holds them all.
            SqlType::U64 => Some(
                "sqlx can read but not bind a u64 on SQLite, whose integers are 64-bit signed; use i64",
            ),
            SqlType::Decimal => Some(
                "sqlx has no decimal type on SQLite; store the value as text (String) or as an integer of its smallest unit",
            ),
            SqlType::Inet => Some(
                "sqlx has no INET (IpNetwork, IpAddr) on SQLite; store the address as text (String)",
            ),
            SqlType::MacAddr => Some("sqlx has no MacAddress on SQLite; store it as text or bytes"),
            SqlType::Array(_) => {
                Some("SQLite has no array types; use a JSON column (sqlx::types::Json<Vec<T>>)")
            }
            SqlType::Enum(def) => match def.repr {
                EnumRepr::Int { int, .. } => self.unsupported_reason(*int),
                EnumRepr::Text { .. } => None,
            },
            SqlType::Bool
            | SqlType::I8
            | SqlType::I16
            | SqlType::I32
            | SqlType::I64
            | SqlType::U8
            | SqlType::U16
            | SqlType::U32
            | SqlType::F32
            | SqlType::F64
            | SqlType::Text { .. }
            | SqlType::Bytes
            | SqlType::Uuid
            | SqlType::Date
            | SqlType::Time
            | SqlType::DateTime
            | SqlType::DateTimeUtc
            | SqlType::DateTimeOffset
            | SqlType::Json
            | SqlType::Custom(_) => None,
        }
    }

    fn column_type(&self, ty: SqlType) -> String {
        let name = match ty {
            SqlType::Custom(sql) => sql,
            SqlType::Bool => "BOOLEAN",
            SqlType::I8
            | SqlType::I16
            | SqlType::I32
            | SqlType::I64
            | SqlType::U8
            | SqlType::U16
            | SqlType::U32
            | SqlType::U64 => "INTEGER",
            SqlType::F32 | SqlType::F64 => "REAL",
            // SQLite enforces no length: `max_length` stays TEXT.
            SqlType::Text { .. } | SqlType::Json => "TEXT",
            SqlType::Bytes | SqlType::Uuid => "BLOB",
            SqlType::Date => "DATE",
            SqlType::Time => "TIME",
            SqlType::DateTime | SqlType::DateTimeUtc | SqlType::DateTimeOffset => "DATETIME",
            SqlType::Enum(def) => {
                return match def.repr {
                    EnumRepr::Text { .. } => "TEXT".to_owned(),
                    EnumRepr::Int { int, .. } => self.column_type(*int),
                };
            }
            // Refused by validation; written anyway so that rendering never fails.
            SqlType::Decimal => "NUMERIC",
            SqlType::Inet | SqlType::MacAddr | SqlType::Array(_) => "TEXT",
        };
        name.to_owned()
    }

    fn own_type(&self, types: &BackendTypes) -> Option<&'static str> {
        types.sqlite
    }

    fn precise_type(&self, ty: SqlType, _: u8, _: Option<u8>) -> String {
        // SQLite keeps times as text, with the digits they are given: the declared type
        // stays the one sqlx writes.
        self.column_type(ty)
    }

    fn native_text_enums(&self) -> bool {
        false
    }

    fn column_charset(&self, _: &ColumnDef) -> Option<String> {
        // Text is UTF-8 (or the database's one encoding); there is nothing per column.
        None
    }

    fn indexable(&self, _: SqlType) -> bool {
        true
    }

    fn default_sql(&self, column: &ColumnDef, default: DefaultValue) -> String {
        match default {
            DefaultValue::Now => match Now::of(column.ty) {
                Now::Date => "CURRENT_DATE",
                Now::Time => "CURRENT_TIME",
                Now::Timestamp => "CURRENT_TIMESTAMP",
            }
            .to_owned(),
            // Sixteen random bytes with the version (4) and variant (10xx) bits of RFC 9562.
            DefaultValue::Uuid => {
                "(unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) \
                           || substr('89ab', 1 + (abs(random()) % 4), 1) \
                           || substr(hex(randomblob(8)), 2)))"
                    .to_owned()
            }
            DefaultValue::Bool(_)
            | DefaultValue::Int(_)
            | DefaultValue::Float(_)
            | DefaultValue::Str(_)
            | DefaultValue::Sql(_) => portable_default(self, default).unwrap_or_default(),
        }
    }

    fn auto_increment(&self, _: &ColumnDef) -> String {
        // Only `INTEGER PRIMARY KEY` is an alias of the rowid; validation makes sure the
        // column is the whole primary key.
        "INTEGER PRIMARY KEY AUTOINCREMENT".to_owned()
    }

    fn inline_column_comment(&self, _: &ColumnDef) -> Option<String> {
        None
    }

    fn inline_primary_key(&self, table: &TableDef) -> bool {
        table.columns.iter().any(|c| c.auto_increment)
    }

    fn referenced_table(&self, fk: &ForeignKeyDef) -> String {
        // SQLite resolves a foreign key within the table's own database, unqualified.
        self.quote(fk.ref_table)
    }

    fn inline_indexes(&self) -> bool {
        false
    }

    fn table_options(&self, _: &TableDef, _: &mut String) {}

    fn create_index(&self, table: &TableDef, _: &str, index: &IndexDef) -> Statement {
        // SQLite puts the schema on the index name, and none on the table.
        Statement {
            table: table.qualified_name(),
            sql: format!(
                "CREATE INDEX {} ON {} ({}){}",
                DIALECT.qualified(table.schema, &naming::index_name(table, index)),
                self.quote(table.name),
                DIALECT.index_parts(index),
                Dialect::index_predicate(index)
            ),
        }
    }

    fn comment_statements(&self, _: &TableDef, _: &str, _: &mut Vec<Statement>) {
        // SQLite has no comments.
    }

    fn create_enum_type(&self, _: &EnumDef) -> Option<Statement> {
        // A `CHECK` on the column instead.
        None
    }

    fn drop_enum_type(&self, _: &EnumDef) -> Option<Statement> {
        None
    }

    fn create_schema(&self, _: &str) -> Option<Statement> {
        None
    }

    fn drop_foreign_key_keyword(&self) -> &'static str {
        // Never used: SQLite can't drop a constraint, and keeps cycles inline.
        "CONSTRAINT"
    }

    fn defers_cyclic_foreign_keys(&self) -> bool {
        false
    }

    fn check_schema(&self, tables: &[&TableDef], problems: &mut Vec<SchemaError>) {
        check::tables_named_like_indexes(self, tables, false, true, problems);
        names_differ_beyond_case(tables, problems);
    }

    fn check_table(&self, table: &TableDef, problems: &mut Vec<SchemaError>) {
        check::identifier_lengths(self, table, problems);
        not_reserved(table, problems);
        for column in table.columns {
            check::column_type(self, table, column, problems);
            auto_increment_is_the_key(table, column, problems);
        }
        for fk in table.foreign_keys {
            same_schema_reference(table, fk, problems);
        }
        check::indexable_keys(self, table, problems);
    }
}

/// SQLite keeps names starting with `sqlite_` for itself: `CREATE TABLE` refuses them.
fn not_reserved(table: &TableDef, problems: &mut Vec<SchemaError>) {
    if table
        .name
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"))
    {
        problems.push(SchemaError::ReservedName {
            dialect: DIALECT.name(),
            name: table.qualified_name(),
            reason: "names starting with `sqlite_` belong to SQLite's own tables; rename it",
        });
    }
}

/// SQLite ignores case in names, quoted or not: `Users` and `users` are one table, and the
/// second `CREATE TABLE` fails on every start.
fn names_differ_beyond_case(tables: &[&TableDef], problems: &mut Vec<SchemaError>) {
    let folded = |t: &&TableDef| {
        let fold = |s: &'static str| s.bytes().map(|b| b.to_ascii_lowercase());
        (t.schema.map(fold), fold(t.name))
    };
    let mut sorted = tables.to_vec();
    sorted.sort_by(|a, b| {
        let (sa, na) = folded(a);
        let (sb, nb) = folded(b);
        match (sa, sb) {
            (Some(x), Some(y)) => x.cmp(y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        }
        .then_with(|| na.cmp(nb))
    });
    for pair in sorted.windows(2) {
        let (first, second) = (pair[0], pair[1]);
        let same_folded = first.name.eq_ignore_ascii_case(second.name)
            && match (first.schema, second.schema) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (a, b) => a == b,
            };
        // The very same name twice is `DuplicateTable`, reported by `Models::new`.
        if same_folded && (first.name, first.schema) != (second.name, second.schema) {
            problems.push(SchemaError::NamesDifferOnlyInCase {
                dialect: DIALECT.name(),
                first: first.qualified_name(),
                second: second.qualified_name(),
            });
        }
    }
}

/// Only `INTEGER PRIMARY KEY` numbers rows: an `auto_increment` column in a composite key
/// (or beside another key) can't be written.
fn auto_increment_is_the_key(
    table: &TableDef,
    column: &ColumnDef,
    problems: &mut Vec<SchemaError>,
) {
    if column.auto_increment && table.primary_key != [column.name] {
        problems.push(SchemaError::AutoIncrementNotSoleKey {
            table: table.qualified_name(),
            column: column.name.to_owned(),
        });
    }
}

/// SQLite resolves a foreign key within its own file: one into another attached database
/// would silently point at a table of the same name in this one.
fn same_schema_reference(table: &TableDef, fk: &ForeignKeyDef, problems: &mut Vec<SchemaError>) {
    if fk.ref_schema != table.schema {
        problems.push(SchemaError::CrossSchemaReference {
            table: table.qualified_name(),
            columns: fk.columns.join(", "),
            referenced: check::referenced_name(fk),
        });
    }
}
