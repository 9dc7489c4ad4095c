//! DDL rendering: table descriptions in, SQL text out.
//!
//! Pure functions with no database and no I/O. A [`Schema`](crate::Schema) is checked
//! against a dialect before it is rendered ([`Schema::validate_for`](crate::Schema::validate_for)),
//! so rendering itself never fails.

use std::fmt::Write as _;

use crate::def::{ColumnDef, DefaultValue, ForeignKeyDef, TableDef};
use crate::naming;
use crate::types::SqlType;

/// A SQL dialect: one per supported backend.
///
/// ```
/// use sqlx_table::{Dialect, Table};
///
/// #[derive(Table)]
/// struct Tag {
///     #[table(primary_key, auto_increment)]
///     id: i64,
///     #[table(unique, max_length = 40)]
///     label: String,
/// }
///
/// let create = Dialect::MySql.create_table(&Tag::DEF, &[]);
/// assert_eq!(create.len(), 1); // MySQL writes indexes inline
/// assert!(create[0].sql.starts_with("CREATE TABLE `tag`"));
/// assert_eq!(Dialect::Postgres.quote("user"), "\"user\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL (13 or later, for `gen_random_uuid()`).
    Postgres,
    /// SQLite (3.41 or later, for `unhex()` in UUID defaults; sqlx bundles a newer one).
    Sqlite,
    /// MySQL 8.0.16+ and MariaDB 10.5+.
    MySql,
}

/// One SQL statement and the table it acts on, so an error can name both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The table the statement creates, alters or drops (`schema.name` or `name`).
    pub table: String,
    /// The SQL text, without a trailing semicolon.
    pub sql: String,
}

impl Dialect {
    /// The dialect's name as users know it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::Sqlite => "SQLite",
            Dialect::MySql => "MySQL",
        }
    }

    /// The longest identifier the backend keeps whole, in bytes (PostgreSQL) or characters
    /// (MySQL); `None` where there is no practical limit (SQLite).
    pub fn max_identifier_len(self) -> Option<usize> {
        match self {
            Dialect::Postgres => Some(63),
            Dialect::MySql => Some(64),
            Dialect::Sqlite => None,
        }
    }

    /// Quotes an identifier, so that reserved words (`user`, `order`) are plain names.
    pub fn quote(self, ident: &str) -> String {
        match self {
            Dialect::MySql => format!("`{}`", ident.replace('`', "``")),
            Dialect::Postgres | Dialect::Sqlite => format!("\"{}\"", ident.replace('"', "\"\"")),
        }
    }

    /// A string literal.
    pub fn string_literal(self, value: &str) -> String {
        let escaped = value.replace('\'', "''");
        match self {
            // Unless NO_BACKSLASH_ESCAPES is set, MySQL reads `\` as an escape.
            Dialect::MySql => format!("'{}'", escaped.replace('\\', "\\\\")),
            Dialect::Postgres | Dialect::Sqlite => format!("'{escaped}'"),
        }
    }

    /// The table's name, schema-qualified where it has a schema, quoted.
    pub fn table_name(self, table: &TableDef) -> String {
        self.qualified(table.schema, table.name)
    }

    fn qualified(self, schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(schema) => format!("{}.{}", self.quote(schema), self.quote(name)),
            None => self.quote(name),
        }
    }

    /// Whether this dialect can write the type: `None` if so, else why not.
    pub fn unsupported_reason(self, ty: SqlType) -> Option<&'static str> {
        match (self, ty) {
            (Dialect::Postgres, SqlType::U8 | SqlType::U16 | SqlType::U32) => Some(
                "PostgreSQL has no unsigned integers and sqlx can't bind them there; use the signed type one size up (u8 -> i16, u16 -> i32, u32 -> i64)",
            ),
            (Dialect::Postgres, SqlType::U64) => Some(
                "PostgreSQL has no unsigned integers and sqlx can't bind them there; use i64 if the values fit, or a NUMERIC type of your own",
            ),
            // sqlx-sqlite decodes a u64 but can't bind one: no SQLite integer holds them all.
            (Dialect::Sqlite, SqlType::U64) => Some(
                "sqlx can read but not bind a u64 on SQLite, whose integers are 64-bit signed; use i64",
            ),
            (Dialect::MySql, SqlType::DateTimeOffset) => {
                Some("sqlx can't read a DateTime<FixedOffset> on MySQL; use DateTime<Utc>")
            }
            _ => None,
        }
    }

    /// The SQL type of a column: the one that sqlx's encoding of the Rust type reads and
    /// writes on this backend.
    pub fn column_type(self, ty: SqlType) -> String {
        use Dialect::*;
        use SqlType as T;
        let name = match (self, ty) {
            (_, T::Custom(sql)) => sql,
            (
                _,
                T::Text {
                    max_length: Some(n),
                },
            ) if self != Sqlite => {
                return format!("VARCHAR({n})");
            }
            (_, T::Bool) => "BOOLEAN",
            // sqlx binds `i8` as PostgreSQL's one-byte `"char"`.
            (Postgres, T::I8) => "\"char\"",
            (Postgres, T::I16) => "SMALLINT",
            (Postgres, T::I32) => "INTEGER",
            (Postgres, T::I64) => "BIGINT",
            (Postgres, T::F32) => "REAL",
            (Postgres, T::F64) => "DOUBLE PRECISION",
            (Postgres, T::Text { .. }) => "TEXT",
            (Postgres, T::Bytes) => "BYTEA",
            (Postgres, T::Uuid) => "UUID",
            (Postgres, T::Date) => "DATE",
            (Postgres, T::Time) => "TIME",
            (Postgres, T::DateTime) => "TIMESTAMP",
            (Postgres, T::DateTimeUtc | T::DateTimeOffset) => "TIMESTAMPTZ",
            (Postgres, T::Json) => "JSONB",
            // Unreachable after validation; written anyway so that rendering never fails.
            (Postgres, T::U8 | T::U16) => "SMALLINT",
            (Postgres, T::U32) => "BIGINT",
            (Postgres, T::U64) => "NUMERIC(20)",

            (Sqlite, t) if t.is_integer() => "INTEGER",
            (Sqlite, T::F32 | T::F64) => "REAL",
            (Sqlite, T::Text { .. } | T::Json) => "TEXT",
            (Sqlite, T::Bytes | T::Uuid) => "BLOB",
            (Sqlite, T::Date) => "DATE",
            (Sqlite, T::Time) => "TIME",
            (Sqlite, T::DateTime | T::DateTimeUtc | T::DateTimeOffset) => "DATETIME",
            (Sqlite, _) => "BLOB",

            (MySql, T::I8) => "TINYINT",
            (MySql, T::I16) => "SMALLINT",
            (MySql, T::I32) => "INT",
            (MySql, T::I64) => "BIGINT",
            (MySql, T::U8) => "TINYINT UNSIGNED",
            (MySql, T::U16) => "SMALLINT UNSIGNED",
            (MySql, T::U32) => "INT UNSIGNED",
            (MySql, T::U64) => "BIGINT UNSIGNED",
            (MySql, T::F32) => "FLOAT",
            (MySql, T::F64) => "DOUBLE",
            // A Rust `String` has no length limit; TEXT would cut it at 64 KiB.
            (MySql, T::Text { .. }) => "LONGTEXT",
            (MySql, T::Bytes) => "LONGBLOB",
            (MySql, T::Uuid) => "BINARY(16)",
            (MySql, T::Date) => "DATE",
            (MySql, T::Time) => "TIME(6)",
            // DATETIME, not TIMESTAMP: no 2038 limit and no implicit ON UPDATE on MariaDB.
            (MySql, T::DateTime | T::DateTimeUtc | T::DateTimeOffset) => "DATETIME(6)",
            (MySql, T::Json) => "JSON",
        };
        name.to_owned()
    }

    /// Whether MySQL can index the type without a prefix length.
    pub(crate) fn indexable(self, ty: SqlType) -> bool {
        self != Dialect::MySql
            || !matches!(
                ty,
                SqlType::Text { max_length: None } | SqlType::Bytes | SqlType::Json
            )
    }

    pub(crate) fn default_sql(self, column: &ColumnDef, default: DefaultValue) -> String {
        use Dialect::*;
        // MySQL accepts only expressions, in parentheses, as defaults of TEXT, BLOB and JSON.
        let mysql_blob_like = self == MySql
            && matches!(
                column.ty,
                SqlType::Text { max_length: None } | SqlType::Bytes | SqlType::Json
            );
        let literal = |sql: String| {
            if mysql_blob_like {
                format!("({sql})")
            } else {
                sql
            }
        };
        match default {
            DefaultValue::Bool(b) => literal(if b { "TRUE" } else { "FALSE" }.to_owned()),
            // PostgreSQL has no assignment cast from integer to the one-byte `"char"` of an
            // `i8`: without the explicit cast, CREATE TABLE fails.
            DefaultValue::Int(i) if self == Postgres && column.ty == SqlType::I8 => {
                format!("CAST({i} AS \"char\")")
            }
            DefaultValue::Int(i) => literal(i.to_string()),
            DefaultValue::Float(f) => literal(format!("{f:?}")),
            DefaultValue::Str(s) => literal(self.string_literal(s)),
            DefaultValue::Sql(sql) => format!("({sql})"),
            DefaultValue::Now => match (self, column.ty) {
                (MySql, SqlType::Date) => "(CURRENT_DATE)".to_owned(),
                (MySql, SqlType::Time) => "(CURRENT_TIME(6))".to_owned(),
                (MySql, _) => "CURRENT_TIMESTAMP(6)".to_owned(),
                (_, SqlType::Date) => "CURRENT_DATE".to_owned(),
                (_, SqlType::Time) => "CURRENT_TIME".to_owned(),
                (_, _) => "CURRENT_TIMESTAMP".to_owned(),
            },
            DefaultValue::Uuid => match self {
                Postgres => "gen_random_uuid()".to_owned(),
                // Sixteen random bytes with the version (4) and variant (10xx) bits of RFC 9562.
                Sqlite => "(unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) \
                           || substr('89ab', 1 + (abs(random()) % 4), 1) \
                           || substr(hex(randomblob(8)), 2)))"
                    .to_owned(),
                // UUID() makes a version-1 UUID, as text; BINARY(16) wants its bytes.
                MySql => "(UNHEX(REPLACE(UUID(), '-', '')))".to_owned(),
            },
        }
    }

    pub(crate) fn column_sql(self, column: &ColumnDef) -> String {
        let mut sql = format!("{} ", self.quote(column.name));
        if column.auto_increment {
            match self {
                Dialect::Postgres => {
                    let _ = write!(
                        sql,
                        "{} GENERATED BY DEFAULT AS IDENTITY",
                        self.column_type(column.ty)
                    );
                }
                // Only `INTEGER PRIMARY KEY` is an alias of the rowid; validation makes
                // sure the column is the whole primary key.
                Dialect::Sqlite => sql.push_str("INTEGER PRIMARY KEY AUTOINCREMENT"),
                Dialect::MySql => {
                    let _ = write!(
                        sql,
                        "{} NOT NULL AUTO_INCREMENT",
                        self.column_type(column.ty)
                    );
                }
            }
        } else {
            sql.push_str(&self.column_type(column.ty));
            if !column.nullable {
                sql.push_str(" NOT NULL");
            }
        }
        if let Some(default) = column.default {
            let _ = write!(sql, " DEFAULT {}", self.default_sql(column, default));
        }
        if let (Dialect::MySql, Some(comment)) = (self, column.comment) {
            let _ = write!(sql, " COMMENT {}", self.string_literal(comment));
        }
        sql
    }

    fn columns_list(self, columns: &[&str]) -> String {
        columns
            .iter()
            .map(|c| self.quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn foreign_key_sql(self, table: &TableDef, fk: &ForeignKeyDef) -> String {
        let mut sql = format!(
            "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
            self.quote(&naming::foreign_key_name(table, fk)),
            self.columns_list(fk.columns),
            // SQLite resolves a foreign key within the table's own database, unqualified.
            match self {
                Dialect::Sqlite => self.quote(fk.ref_table),
                _ => self.qualified(fk.ref_schema, fk.ref_table),
            },
            self.columns_list(fk.ref_columns),
        );
        if let Some(action) = fk.on_delete {
            let _ = write!(sql, " ON DELETE {}", action.as_sql());
        }
        if let Some(action) = fk.on_update {
            let _ = write!(sql, " ON UPDATE {}", action.as_sql());
        }
        sql
    }

    /// Whether the table's primary key is written on its auto-increment column (SQLite).
    fn inline_primary_key(self, table: &TableDef) -> bool {
        self == Dialect::Sqlite && table.columns.iter().any(|c| c.auto_increment)
    }

    /// The statements that create one table: `CREATE TABLE` with its keys and constraints,
    /// then its indexes and comments where the dialect writes them separately.
    ///
    /// The foreign keys whose positions are in `deferred` are left out; a cycle of foreign
    /// keys gets them afterwards from [`Dialect::add_foreign_key`].
    pub fn create_table(self, table: &TableDef, deferred: &[usize]) -> Vec<Statement> {
        let name = self.table_name(table);
        let mut lines: Vec<String> = table.columns.iter().map(|c| self.column_sql(c)).collect();
        if !table.primary_key.is_empty() && !self.inline_primary_key(table) {
            lines.push(format!(
                "PRIMARY KEY ({})",
                self.columns_list(table.primary_key)
            ));
        }
        for unique in table.uniques {
            lines.push(format!(
                "CONSTRAINT {} UNIQUE ({})",
                self.quote(&naming::unique_name(table, unique.columns)),
                self.columns_list(unique.columns)
            ));
        }
        if self == Dialect::MySql {
            // Inline, so that the table and its indexes are created by one atomic statement.
            for index in table.indexes {
                lines.push(format!(
                    "INDEX {} ({})",
                    self.quote(&naming::index_name(table, index.columns)),
                    self.columns_list(index.columns)
                ));
            }
        }
        for check in table.checks {
            lines.push(format!(
                "CONSTRAINT {} CHECK ({})",
                self.quote(&naming::check_name(table, check)),
                check.expr
            ));
        }
        for (i, fk) in table.foreign_keys.iter().enumerate() {
            if !deferred.contains(&i) {
                lines.push(self.foreign_key_sql(table, fk));
            }
        }
        let mut sql = format!("CREATE TABLE {name} (\n    {}\n)", lines.join(",\n    "));
        if self == Dialect::MySql {
            sql.push_str(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            if let Some(comment) = table.comment {
                let _ = write!(sql, " COMMENT={}", self.string_literal(comment));
            }
        }
        let qualified = table.qualified_name();
        let mut statements = vec![Statement {
            table: qualified.clone(),
            sql,
        }];
        if self != Dialect::MySql {
            for index in table.indexes {
                let index_name = naming::index_name(table, index.columns);
                let (index_name, on) = match self {
                    // SQLite puts the schema on the index name, and none on the table.
                    Dialect::Sqlite => (
                        self.qualified(table.schema, &index_name),
                        self.quote(table.name),
                    ),
                    _ => (self.quote(&index_name), name.clone()),
                };
                statements.push(Statement {
                    table: qualified.clone(),
                    sql: format!(
                        "CREATE INDEX {index_name} ON {on} ({})",
                        self.columns_list(index.columns)
                    ),
                });
            }
        }
        if self == Dialect::Postgres {
            if let Some(comment) = table.comment {
                statements.push(Statement {
                    table: qualified.clone(),
                    sql: format!(
                        "COMMENT ON TABLE {name} IS {}",
                        self.string_literal(comment)
                    ),
                });
            }
            for column in table.columns {
                if let Some(comment) = column.comment {
                    statements.push(Statement {
                        table: qualified.clone(),
                        sql: format!(
                            "COMMENT ON COLUMN {name}.{} IS {}",
                            self.quote(column.name),
                            self.string_literal(comment)
                        ),
                    });
                }
            }
        }
        statements
    }

    /// `CREATE SCHEMA IF NOT EXISTS` on PostgreSQL, where a schema is a namespace inside the
    /// database. `None` elsewhere: a MySQL schema is a database of its own, and an SQLite one
    /// a file the connection attaches; creating those is the application's decision.
    pub fn create_schema(self, schema: &str) -> Option<Statement> {
        (self == Dialect::Postgres).then(|| Statement {
            table: String::new(),
            sql: format!("CREATE SCHEMA IF NOT EXISTS {}", self.quote(schema)),
        })
    }

    /// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`: how a foreign key that closes a cycle
    /// is added once both of its tables exist. Not used on SQLite, which keeps them inline.
    pub fn add_foreign_key(self, table: &TableDef, fk: &ForeignKeyDef) -> Statement {
        Statement {
            table: table.qualified_name(),
            sql: format!(
                "ALTER TABLE {} ADD {}",
                self.table_name(table),
                self.foreign_key_sql(table, fk)
            ),
        }
    }

    /// `ALTER TABLE ... DROP CONSTRAINT` (MySQL: `DROP FOREIGN KEY`): how `drop_all` opens a
    /// cycle before dropping its tables. Not used on SQLite.
    pub fn drop_foreign_key(self, table: &TableDef, fk: &ForeignKeyDef) -> Statement {
        let what = if self == Dialect::MySql {
            "FOREIGN KEY"
        } else {
            "CONSTRAINT"
        };
        Statement {
            table: table.qualified_name(),
            sql: format!(
                "ALTER TABLE {} DROP {what} {}",
                self.table_name(table),
                self.quote(&naming::foreign_key_name(table, fk))
            ),
        }
    }

    /// `DROP TABLE IF EXISTS`. No `CASCADE`: a table outside the schema that depends on
    /// this one makes the drop fail rather than silently lose its foreign key or view.
    pub fn drop_table(self, table: &TableDef) -> Statement {
        Statement {
            table: table.qualified_name(),
            sql: format!("DROP TABLE IF EXISTS {}", self.table_name(table)),
        }
    }

    /// Whether a foreign key that closes a cycle must be added by `ALTER TABLE` after both
    /// tables exist. SQLite checks foreign keys only when rows change, so it keeps them inline.
    pub fn defers_cyclic_foreign_keys(self) -> bool {
        self != Dialect::Sqlite
    }
}

/// Joins statements into a script: each ends in `;` and a blank line.
pub fn script(statements: &[Statement]) -> String {
    let mut out = String::with_capacity(statements.iter().map(|s| s.sql.len() + 3).sum());
    for statement in statements {
        out.push_str(&statement.sql);
        out.push_str(";\n");
    }
    out
}
