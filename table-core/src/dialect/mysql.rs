//! MySQL's and MariaDB's answers to the dialect's questions.

use std::fmt::Write as _;

use super::rules::{Facts, Now, Rules, portable_default};
use super::{Dialect, Statement, check};
use crate::def::{
    Action, BackendTypes, ColumnDef, DefaultValue, ForeignKeyDef, IndexDef, TableDef,
};
use crate::error::SchemaError;
use crate::naming;
use crate::types::{EnumDef, EnumRepr, SqlType};

pub(super) struct MySql;

const DIALECT: Dialect = Dialect::MySql;

/// TEXT, BLOB and JSON: no index without a prefix length, and no literal default.
fn blob_like(ty: SqlType) -> bool {
    match ty {
        SqlType::Text { max_length: None }
        | SqlType::Bytes
        | SqlType::Json
        | SqlType::Inet
        | SqlType::MacAddr
        | SqlType::Array(_) => true,
        SqlType::Enum(def) => match def.repr {
            EnumRepr::Int { int, .. } => blob_like(*int),
            EnumRepr::Text { .. } => false,
        },
        SqlType::Text {
            max_length: Some(_),
        }
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
        | SqlType::Uuid
        | SqlType::Date
        | SqlType::Time
        | SqlType::DateTime
        | SqlType::DateTimeUtc
        | SqlType::DateTimeOffset
        | SqlType::Decimal
        | SqlType::Custom(_) => false,
    }
}

/// What MySQL's catalog records and how its DDL behaves.
static FACTS: Facts = Facts {
    names_case_sensitive: false,
    alters_constraints: true,
    comments_apart: false,
    keeps_comments: true,
    internal_prefix: None,
    enum_types: false,
    foreign_key_schemas: true,
    keeps_deferrable: false,
    indexes_foreign_keys: true,
    sequence_defaults: false,
    rowid_nullable: false,
    ddl_commits: true,
    loose_string_defaults: true,
};

impl Rules for MySql {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn name(&self) -> &'static str {
        "MySQL"
    }

    fn max_identifier_len(&self) -> Option<usize> {
        Some(64)
    }

    fn identifier_len(&self, name: &str) -> usize {
        name.chars().count()
    }

    fn quote(&self, ident: &str) -> String {
        format!("`{}`", ident.replace('`', "``"))
    }

    fn string_literal(&self, value: &str) -> String {
        let escaped = value.replace('\'', "''");
        // Unless NO_BACKSLASH_ESCAPES is set, MySQL reads `\` as an escape.
        format!("'{}'", escaped.replace('\\', "\\\\"))
    }

    fn unsupported_reason(&self, ty: SqlType) -> Option<&'static str> {
        match ty {
            SqlType::DateTimeOffset => {
                Some("sqlx can't read a DateTime<FixedOffset> on MySQL; use DateTime<Utc>")
            }
            SqlType::Inet => Some(
                "sqlx has INET (IpNetwork, IpAddr) on PostgreSQL only; on MySQL, store a std::net::IpAddr, which sqlx binds as text, with `sql_type(mysql = \"VARCHAR(45)\")`",
            ),
            SqlType::MacAddr => Some("sqlx has no MacAddress on MySQL; store it as text or bytes"),
            SqlType::Array(_) => {
                Some("MySQL has no array types; use a JSON column (sqlx::types::Json<Vec<T>>)")
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
            | SqlType::U64
            | SqlType::F32
            | SqlType::F64
            | SqlType::Text { .. }
            | SqlType::Bytes
            | SqlType::Uuid
            | SqlType::Date
            | SqlType::Time
            | SqlType::DateTime
            | SqlType::DateTimeUtc
            | SqlType::Json
            | SqlType::Decimal
            | SqlType::Custom(_) => None,
        }
    }

    fn column_type(&self, ty: SqlType) -> String {
        let name = match ty {
            SqlType::Custom(sql) => sql,
            SqlType::Text {
                max_length: Some(n),
            } => return format!("VARCHAR({n})"),
            // A Rust `String` has no length limit; TEXT would cut it at 64 KiB.
            SqlType::Text { max_length: None } => "LONGTEXT",
            SqlType::Bool => "BOOLEAN",
            SqlType::I8 => "TINYINT",
            SqlType::I16 => "SMALLINT",
            SqlType::I32 => "INT",
            SqlType::I64 => "BIGINT",
            SqlType::U8 => "TINYINT UNSIGNED",
            SqlType::U16 => "SMALLINT UNSIGNED",
            SqlType::U32 => "INT UNSIGNED",
            SqlType::U64 => "BIGINT UNSIGNED",
            SqlType::F32 => "FLOAT",
            SqlType::F64 => "DOUBLE",
            SqlType::Bytes => "LONGBLOB",
            SqlType::Uuid => "BINARY(16)",
            SqlType::Date => "DATE",
            SqlType::Time => "TIME(6)",
            // DATETIME, not TIMESTAMP: no 2038 limit and no implicit ON UPDATE on MariaDB.
            SqlType::DateTime | SqlType::DateTimeUtc | SqlType::DateTimeOffset => "DATETIME(6)",
            SqlType::Json => "JSON",
            // Without digits, MySQL's DECIMAL is DECIMAL(10, 0), which rounds every fraction
            // away: the widest one instead, which holds every `rust_decimal::Decimal`.
            SqlType::Decimal => "DECIMAL(65, 30)",
            SqlType::Enum(def) => {
                return match def.repr {
                    EnumRepr::Text { values, .. } => format!(
                        "ENUM({})",
                        values
                            .iter()
                            .map(|v| self.string_literal(v))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    EnumRepr::Int { int, .. } => self.column_type(*int),
                };
            }
            // Refused by validation; written anyway so that rendering never fails.
            SqlType::Inet | SqlType::MacAddr | SqlType::Array(_) => "LONGTEXT",
        };
        name.to_owned()
    }

    fn own_type(&self, types: &BackendTypes) -> Option<&'static str> {
        types.mysql
    }

    fn precise_type(&self, ty: SqlType, precision: u8, scale: Option<u8>) -> String {
        match ty {
            SqlType::Decimal => format!("DECIMAL({precision}, {})", scale.unwrap_or(0)),
            // The catalog writes no digits as none at all.
            SqlType::Time if precision == 0 => "TIME".to_owned(),
            SqlType::Time => format!("TIME({precision})"),
            SqlType::DateTime | SqlType::DateTimeUtc | SqlType::DateTimeOffset
                if precision == 0 =>
            {
                "DATETIME".to_owned()
            }
            SqlType::DateTime | SqlType::DateTimeUtc | SqlType::DateTimeOffset => {
                format!("DATETIME({precision})")
            }
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

    fn column_charset(&self, column: &ColumnDef) -> Option<String> {
        let mut sql = String::new();
        if let Some(charset) = column.charset {
            let _ = write!(sql, " CHARACTER SET {charset}");
        }
        if let Some(collation) = column.collation {
            let _ = write!(sql, " COLLATE {collation}");
        }
        (!sql.is_empty()).then_some(sql)
    }

    fn indexable(&self, ty: SqlType) -> bool {
        !blob_like(ty)
    }

    fn default_sql(&self, column: &ColumnDef, default: DefaultValue) -> String {
        match default {
            // The default's digits are the column's: MySQL refuses more.
            DefaultValue::Now => {
                let digits = match column.precision {
                    Some(0) => String::new(),
                    digits => format!("({})", digits.unwrap_or(6)),
                };
                match Now::of(column.ty) {
                    Now::Date => "(CURRENT_DATE)".to_owned(),
                    Now::Time => format!("(CURRENT_TIME{digits})"),
                    Now::Timestamp => format!("CURRENT_TIMESTAMP{digits}"),
                }
            }
            // UUID() makes a version-1 UUID, as text; BINARY(16) wants its bytes.
            DefaultValue::Uuid => "(UNHEX(REPLACE(UUID(), '-', '')))".to_owned(),
            // Already an expression in parentheses.
            DefaultValue::Sql(_) => portable_default(self, default).unwrap_or_default(),
            DefaultValue::Bool(_)
            | DefaultValue::Int(_)
            | DefaultValue::Float(_)
            | DefaultValue::Str(_) => {
                let literal = portable_default(self, default).unwrap_or_default();
                // MySQL accepts only expressions, in parentheses, as defaults of TEXT, BLOB
                // and JSON.
                if blob_like(column.ty) {
                    format!("({literal})")
                } else {
                    literal
                }
            }
        }
    }

    fn auto_increment(&self, column: &ColumnDef) -> String {
        format!("{} NOT NULL AUTO_INCREMENT", self.column_type(column.ty))
    }

    fn inline_column_comment(&self, column: &ColumnDef) -> Option<String> {
        column
            .comment
            .map(|comment| format!(" COMMENT {}", self.string_literal(comment)))
    }

    fn inline_primary_key(&self, _: &TableDef) -> bool {
        false
    }

    fn referenced_table(&self, fk: &ForeignKeyDef) -> String {
        DIALECT.qualified(fk.ref_schema, fk.ref_table)
    }

    fn inline_indexes(&self) -> bool {
        true
    }

    fn table_options(&self, table: &TableDef, sql: &mut String) {
        let _ = write!(
            sql,
            " ENGINE=InnoDB DEFAULT CHARSET={}",
            table.charset.unwrap_or("utf8mb4")
        );
        if let Some(collation) = table.collation {
            let _ = write!(sql, " COLLATE={collation}");
        }
        if let Some(comment) = table.comment {
            let _ = write!(sql, " COMMENT={}", self.string_literal(comment));
        }
    }

    fn create_index(&self, table: &TableDef, name: &str, index: &IndexDef) -> Statement {
        // `create_table` writes indexes inline; this is for an index added later.
        Statement {
            table: table.qualified_name(),
            sql: format!(
                "CREATE INDEX {} ON {name} ({})",
                self.quote(&naming::index_name(table, index)),
                DIALECT.index_parts(index)
            ),
        }
    }

    fn comment_statements(&self, _: &TableDef, _: &str, _: &mut Vec<Statement>) {
        // Written inline, on the table and on each column.
    }

    fn create_enum_type(&self, _: &EnumDef) -> Option<Statement> {
        // `ENUM(...)` is the column's own type.
        None
    }

    fn drop_enum_type(&self, _: &EnumDef) -> Option<Statement> {
        None
    }

    fn create_schema(&self, _: &str) -> Option<Statement> {
        None
    }

    fn drop_foreign_key_keyword(&self) -> &'static str {
        "FOREIGN KEY"
    }

    fn defers_cyclic_foreign_keys(&self) -> bool {
        true
    }

    /// Indexes are named per table, and table names follow the server's
    /// `lower_case_table_names`, which only the server knows.
    fn check_schema(&self, _: &[&TableDef], _: &mut Vec<SchemaError>) {}

    fn check_table(&self, table: &TableDef, problems: &mut Vec<SchemaError>) {
        check::identifier_lengths(self, table, problems);
        for column in table.columns {
            check::column_type(self, table, column, problems);
        }
        for fk in table.foreign_keys {
            no_set_default(table, fk, problems);
            if fk.deferrable {
                problems.push(SchemaError::UnsupportedDeferrable {
                    table: table.qualified_name(),
                    columns: fk.columns.join(", "),
                });
            }
        }
        for index in table.indexes {
            let what = match (index.predicate.is_some(), index.has_expression()) {
                (true, _) => "a partial index (`where`)",
                (false, true) => "an expression index",
                (false, false) => continue,
            };
            problems.push(SchemaError::UnsupportedIndex {
                table: table.qualified_name(),
                index: naming::index_name(table, index),
                what,
            });
        }
        check::indexable_keys(self, table, problems);
    }
}

/// InnoDB parses `SET DEFAULT` and then ignores it: the rows would keep a dangling key.
fn no_set_default(table: &TableDef, fk: &ForeignKeyDef, problems: &mut Vec<SchemaError>) {
    for action in [fk.on_delete, fk.on_update].into_iter().flatten() {
        match action {
            Action::SetDefault => problems.push(SchemaError::UnsupportedAction {
                dialect: "MySQL",
                table: table.qualified_name(),
                columns: fk.columns.join(", "),
                action: action.as_sql(),
            }),
            Action::Cascade | Action::Restrict | Action::SetNull | Action::NoAction => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{fk, table};
    use crate::schema::Models;

    #[test]
    fn mysql_refuses_set_default_which_innodb_ignores() {
        static T: TableDef = table("t", &[fk("t").with_on_delete(Some(Action::SetDefault))]);
        let schema = Models::new([&T]).unwrap();
        assert!(schema.validate_for(Dialect::Postgres).is_ok());
        let err = schema.validate_for(Dialect::MySql).unwrap_err();
        assert!(
            matches!(
                err.schema_problems(),
                [SchemaError::UnsupportedAction {
                    action: "SET DEFAULT",
                    ..
                }]
            ),
            "{err}"
        );
    }
}
