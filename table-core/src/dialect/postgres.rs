//! PostgreSQL's answers to the dialect's questions.

use super::rules::{Facts, Now, Rules, double_quoted, portable_default};
use super::{Dialect, Statement, check};
use crate::def::{BackendTypes, ColumnDef, DefaultValue, ForeignKeyDef, IndexDef, TableDef};
use crate::error::SchemaError;
use crate::naming;
use crate::types::{EnumDef, EnumRepr, SqlType};

pub(super) struct Postgres;

/// A text enum's type, quoted as the catalog names it: sqlx resolves its name with
/// `to_regtype`, which folds it to lower case.
fn enum_type_name(def: &EnumDef) -> String {
    match def.repr.pg_type_name() {
        Some((schema, name)) => DIALECT.qualified(schema.as_deref(), &name),
        None => String::new(),
    }
}

const DIALECT: Dialect = Dialect::Postgres;

/// What PostgreSQL's catalog records and how its DDL behaves.
static FACTS: Facts = Facts {
    names_case_sensitive: true,
    alters_constraints: true,
    comments_apart: true,
    keeps_comments: true,
    internal_prefix: None,
    enum_types: true,
    foreign_key_schemas: true,
    keeps_deferrable: true,
    indexes_foreign_keys: false,
    sequence_defaults: true,
    rowid_nullable: false,
    ddl_commits: false,
    loose_string_defaults: false,
};

impl Rules for Postgres {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn name(&self) -> &'static str {
        "PostgreSQL"
    }

    fn max_identifier_len(&self) -> Option<usize> {
        Some(63)
    }

    fn identifier_len(&self, name: &str) -> usize {
        name.len()
    }

    fn quote(&self, ident: &str) -> String {
        double_quoted(ident)
    }

    /// A backslash is written in an `E'...'` string, which reads the same whatever
    /// `standard_conforming_strings` says (in a plain `'...'`, a backslash escapes the next
    /// character when it is off).
    fn string_literal(&self, value: &str) -> String {
        if value.contains('\\') {
            format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
        } else {
            format!("'{}'", value.replace('\'', "''"))
        }
    }

    fn unsupported_reason(&self, ty: SqlType) -> Option<&'static str> {
        match ty {
            SqlType::U8 | SqlType::U16 | SqlType::U32 => Some(
                "PostgreSQL has no unsigned integers and sqlx can't bind them there; use the signed type one size up (u8 -> i16, u16 -> i32, u32 -> i64)",
            ),
            SqlType::U64 => Some(
                "PostgreSQL has no unsigned integers and sqlx can't bind them there; use i64 if the values fit, or a NUMERIC type of your own",
            ),
            SqlType::Array(element) => self.unsupported_reason(*element),
            SqlType::Enum(def) => match def.repr {
                EnumRepr::Int { int, .. } => self.unsupported_reason(*int),
                EnumRepr::Text { .. } => None,
            },
            SqlType::Bool
            | SqlType::I8
            | SqlType::I16
            | SqlType::I32
            | SqlType::I64
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
            | SqlType::Decimal
            | SqlType::Inet
            | SqlType::MacAddr
            | SqlType::Custom(_) => None,
        }
    }

    fn column_type(&self, ty: SqlType) -> String {
        let name = match ty {
            SqlType::Custom(sql) => sql,
            SqlType::Text {
                max_length: Some(n),
            } => return format!("VARCHAR({n})"),
            SqlType::Text { max_length: None } => "TEXT",
            SqlType::Bool => "BOOLEAN",
            // sqlx binds `i8` as PostgreSQL's one-byte `"char"`.
            SqlType::I8 => "\"char\"",
            SqlType::I16 => "SMALLINT",
            SqlType::I32 => "INTEGER",
            SqlType::I64 => "BIGINT",
            SqlType::F32 => "REAL",
            SqlType::F64 => "DOUBLE PRECISION",
            SqlType::Bytes => "BYTEA",
            SqlType::Uuid => "UUID",
            SqlType::Date => "DATE",
            SqlType::Time => "TIME",
            SqlType::DateTime => "TIMESTAMP",
            SqlType::DateTimeUtc | SqlType::DateTimeOffset => "TIMESTAMPTZ",
            SqlType::Json => "JSONB",
            SqlType::Decimal => "NUMERIC",
            SqlType::Inet => "INET",
            SqlType::MacAddr => "MACADDR",
            SqlType::Array(element) => return format!("{}[]", self.column_type(*element)),
            SqlType::Enum(def) => {
                return match def.repr {
                    EnumRepr::Text { .. } => enum_type_name(def),
                    EnumRepr::Int { int, .. } => self.column_type(*int),
                };
            }
            // Unreachable after validation; written anyway so that rendering never fails.
            SqlType::U8 | SqlType::U16 => "SMALLINT",
            SqlType::U32 => "BIGINT",
            SqlType::U64 => "NUMERIC(20)",
        };
        name.to_owned()
    }

    fn own_type(&self, types: &BackendTypes) -> Option<&'static str> {
        types.postgres
    }

    fn precise_type(&self, ty: SqlType, precision: u8, scale: Option<u8>) -> String {
        match ty {
            SqlType::Decimal => format!("NUMERIC({precision}, {})", scale.unwrap_or(0)),
            SqlType::Time => format!("TIME({precision})"),
            SqlType::DateTime => format!("TIMESTAMP({precision})"),
            SqlType::DateTimeUtc | SqlType::DateTimeOffset => format!("TIMESTAMPTZ({precision})"),
            SqlType::Bool
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
            | SqlType::Date
            | SqlType::Json
            | SqlType::Inet
            | SqlType::MacAddr
            | SqlType::Array(_)
            | SqlType::Enum(_)
            | SqlType::Custom(_) => self.column_type(ty),
        }
    }

    fn native_text_enums(&self) -> bool {
        true
    }

    fn column_charset(&self, _: &ColumnDef) -> Option<String> {
        // `charset` and `collation` are MySQL's: a PostgreSQL database has one encoding.
        None
    }

    fn indexable(&self, _: SqlType) -> bool {
        true
    }

    fn default_sql(&self, column: &ColumnDef, default: DefaultValue) -> String {
        match default {
            // PostgreSQL has no assignment cast from integer to the one-byte `"char"` of an
            // `i8`: without the explicit cast, CREATE TABLE fails.
            DefaultValue::Int(i) if column.ty == SqlType::I8 => format!("CAST({i} AS \"char\")"),
            DefaultValue::Now => match Now::of(column.ty) {
                Now::Date => "CURRENT_DATE",
                Now::Time => "CURRENT_TIME",
                Now::Timestamp => "CURRENT_TIMESTAMP",
            }
            .to_owned(),
            DefaultValue::Uuid => "gen_random_uuid()".to_owned(),
            DefaultValue::Bool(_)
            | DefaultValue::Int(_)
            | DefaultValue::Float(_)
            | DefaultValue::Str(_)
            | DefaultValue::Sql(_) => portable_default(self, default).unwrap_or_default(),
        }
    }

    fn auto_increment(&self, column: &ColumnDef) -> String {
        format!(
            "{} GENERATED BY DEFAULT AS IDENTITY",
            self.column_type(column.ty)
        )
    }

    fn inline_column_comment(&self, _: &ColumnDef) -> Option<String> {
        None
    }

    fn inline_primary_key(&self, _: &TableDef) -> bool {
        false
    }

    fn referenced_table(&self, fk: &ForeignKeyDef) -> String {
        DIALECT.qualified(fk.ref_schema, fk.ref_table)
    }

    fn inline_indexes(&self) -> bool {
        false
    }

    fn table_options(&self, _: &TableDef, _: &mut String) {}

    fn create_index(&self, table: &TableDef, name: &str, index: &IndexDef) -> Statement {
        Statement {
            table: table.qualified_name(),
            sql: format!(
                "CREATE INDEX {} ON {name} ({}){}",
                self.quote(&naming::index_name(table, index)),
                DIALECT.index_parts(index),
                Dialect::index_predicate(index)
            ),
        }
    }

    fn comment_statements(&self, table: &TableDef, name: &str, statements: &mut Vec<Statement>) {
        if let Some(comment) = table.comment {
            statements.push(Statement {
                table: table.qualified_name(),
                sql: format!(
                    "COMMENT ON TABLE {name} IS {}",
                    self.string_literal(comment)
                ),
            });
        }
        for column in table.columns {
            if let Some(comment) = column.comment {
                statements.push(Statement {
                    table: table.qualified_name(),
                    sql: format!(
                        "COMMENT ON COLUMN {name}.{} IS {}",
                        self.quote(column.name),
                        self.string_literal(comment)
                    ),
                });
            }
        }
    }

    /// PostgreSQL has no `CREATE TYPE IF NOT EXISTS`: a block that ignores the one error.
    fn create_enum_type(&self, def: &EnumDef) -> Option<Statement> {
        let EnumRepr::Text { values, .. } = def.repr else {
            return None;
        };
        let labels: Vec<String> = values.iter().map(|v| self.string_literal(v)).collect();
        Some(Statement {
            table: String::new(),
            sql: format!(
                "DO $$ BEGIN CREATE TYPE {} AS ENUM ({}); EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                enum_type_name(def),
                labels.join(", ")
            ),
        })
    }

    fn drop_enum_type(&self, def: &EnumDef) -> Option<Statement> {
        let EnumRepr::Text { .. } = def.repr else {
            return None;
        };
        Some(Statement {
            table: String::new(),
            sql: format!("DROP TYPE IF EXISTS {}", enum_type_name(def)),
        })
    }

    fn create_schema(&self, schema: &str) -> Option<Statement> {
        Some(Statement {
            table: String::new(),
            sql: format!("CREATE SCHEMA IF NOT EXISTS {}", self.quote(schema)),
        })
    }

    fn drop_foreign_key_keyword(&self) -> &'static str {
        "CONSTRAINT"
    }

    fn defers_cyclic_foreign_keys(&self) -> bool {
        true
    }

    fn check_schema(&self, tables: &[&TableDef], problems: &mut Vec<SchemaError>) {
        check::tables_named_like_indexes(self, tables, true, false, problems);
    }

    fn check_table(&self, table: &TableDef, problems: &mut Vec<SchemaError>) {
        check::identifier_lengths(self, table, problems);
        for column in table.columns {
            check::column_type(self, table, column, problems);
        }
        check::indexable_keys(self, table, problems);
    }
}
