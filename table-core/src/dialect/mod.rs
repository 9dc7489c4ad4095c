//! DDL rendering: table descriptions in, SQL text out.
//!
//! Pure functions with no database and no I/O. A [`Models`](crate::Models) is checked
//! against a dialect before it is rendered ([`Models::validate_for`](crate::Models::validate_for)),
//! so rendering itself never fails.
//!
//! This file holds the rendering every dialect shares, and the `Dialect` enum that
//! dispatches to the rules of one dialect: `Rules` (`rules.rs`), implemented once per
//! backend in `postgres.rs`, `sqlite.rs` and `mysql.rs`. Every rule is a required method,
//! so a new dialect answers every question; within a dialect, every rule over [`SqlType`]
//! is an exhaustive `match`. The per-column, per-index and per-constraint pieces are
//! `pub(crate)` for the plan, which renders them inside `ALTER TABLE`.

mod check;
mod mysql;
mod postgres;
mod rules;
mod sqlite;

use std::fmt::Write as _;

pub(crate) use rules::Facts;
use rules::Rules;

use crate::def::{CheckDef, ColumnDef, ForeignKeyDef, IndexDef, TableDef, UniqueDef};
use crate::error::SchemaError;
use crate::naming;
use crate::types::{EnumDef, EnumRepr, SqlType};

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
/// let create = Dialect::MySql.create_table(&Tag::DEF);
/// assert_eq!(create.len(), 1); // MySQL writes indexes inline
/// assert!(create[0].sql.starts_with("CREATE TABLE `tag`"));
/// assert_eq!(Dialect::Postgres.quote("user"), "\"user\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Statement {
    /// The table the statement creates, alters or drops (`schema.name` or `name`).
    pub table: String,
    /// The SQL text, without a trailing semicolon.
    pub sql: String,
}

impl Dialect {
    /// The one `match` on the dialect: everything else asks its rules.
    fn rules(self) -> &'static dyn Rules {
        match self {
            Dialect::Postgres => &postgres::Postgres,
            Dialect::Sqlite => &sqlite::Sqlite,
            Dialect::MySql => &mysql::MySql,
        }
    }

    /// What the backend's catalog records and how its DDL behaves: the facts `plan`,
    /// `create_all` and the entry points read instead of testing which dialect this is.
    pub(crate) fn facts(self) -> &'static Facts {
        self.rules().facts()
    }

    /// The dialect's name as users know it.
    pub fn name(self) -> &'static str {
        self.rules().name()
    }

    /// The longest identifier the backend keeps whole, in bytes (PostgreSQL) or characters
    /// (MySQL); `None` where there is no practical limit (SQLite).
    pub fn max_identifier_len(self) -> Option<usize> {
        self.rules().max_identifier_len()
    }

    /// Quotes an identifier, so that reserved words (`user`, `order`) are plain names.
    pub fn quote(self, ident: &str) -> String {
        self.rules().quote(ident)
    }

    /// A string literal.
    pub fn string_literal(self, value: &str) -> String {
        self.rules().string_literal(value)
    }

    /// The table's name, schema-qualified where it has a schema, quoted.
    pub fn table_name(self, table: &TableDef) -> String {
        self.qualified(table.schema, table.name)
    }

    pub(crate) fn qualified(self, schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(schema) => format!("{}.{}", self.quote(schema), self.quote(name)),
            None => self.quote(name),
        }
    }

    /// Whether this dialect can write the type: `None` if so, else why not.
    pub fn unsupported_reason(self, ty: SqlType) -> Option<&'static str> {
        self.rules().unsupported_reason(ty)
    }

    /// The SQL type of a column: the one that sqlx's encoding of the Rust type reads and
    /// writes on this backend.
    pub fn column_type(self, ty: SqlType) -> String {
        self.rules().column_type(ty)
    }

    /// The column's type here: its `sql_type(<backend> = "...")` for this backend, else its
    /// [`SqlType`] as [`Dialect::column_type`] writes it, with its `precision`.
    pub fn column_sql_type(self, column: &ColumnDef) -> String {
        let rules = self.rules();
        match (rules.own_type(&column.backend_types), column.precision) {
            (Some(sql), _) => sql.to_owned(),
            (None, Some(precision)) => rules.precise_type(column.ty, precision, column.scale),
            (None, None) => rules.column_type(column.ty),
        }
    }

    /// The column's logical type here: [`SqlType::Custom`] where this backend's type is
    /// written by hand, which is what the checks and the plan go by.
    pub fn effective_type(self, column: &ColumnDef) -> SqlType {
        match self.rules().own_type(&column.backend_types) {
            Some(sql) => SqlType::Custom(sql),
            None => column.ty,
        }
    }

    /// Every reason `table` can't be written in this dialect, appended to `problems`.
    pub(crate) fn check_table(self, table: &TableDef, problems: &mut Vec<SchemaError>) {
        self.rules().check_table(table, problems)
    }

    /// Appends the reasons the set of tables can't be written together in this dialect.
    pub(crate) fn check_schema(self, tables: &[&TableDef], problems: &mut Vec<SchemaError>) {
        self.rules().check_schema(tables, problems)
    }

    /// A column's default as SQL, as `DEFAULT` writes it (`plan` writes `SET DEFAULT` with it).
    pub(crate) fn default_sql(
        self,
        column: &ColumnDef,
        default: crate::def::DefaultValue,
    ) -> String {
        self.rules().default_sql(column, default)
    }

    /// A column definition, as in `CREATE TABLE` and `ALTER TABLE … ADD COLUMN`.
    pub(crate) fn column_definition(self, column: &ColumnDef) -> String {
        let rules = self.rules();
        let mut sql = format!("{} ", rules.quote(column.name));
        if column.auto_increment {
            sql.push_str(&rules.auto_increment(column));
        } else {
            sql.push_str(&self.column_sql_type(column));
            if let Some(charset) = rules.column_charset(column) {
                sql.push_str(&charset);
            }
            if !column.nullable {
                sql.push_str(" NOT NULL");
            }
        }
        if let Some(default) = column.default {
            let _ = write!(sql, " DEFAULT {}", rules.default_sql(column, default));
        }
        if let Some(comment) = rules.inline_column_comment(column) {
            sql.push_str(&comment);
        }
        // Last: MySQL reads a column's CHECK only after its COMMENT.
        if let Some(check) = self.enum_check(column) {
            let _ = write!(sql, " CHECK ({check})");
        }
        sql
    }

    /// The expression that keeps an enum column to its variants, where its type doesn't:
    /// text on SQLite, integers everywhere. An `OR` of equalities, not `IN (...)`, because
    /// every catalog gives that back as written (PostgreSQL rewrites `IN` as `= ANY`).
    pub(crate) fn enum_check(self, column: &ColumnDef) -> Option<String> {
        let SqlType::Enum(def) = self.effective_type(column) else {
            return None;
        };
        let name = self.quote(column.name);
        let terms: Vec<String> = match def.repr {
            EnumRepr::Text { .. } if self.rules().native_text_enums() => return None,
            EnumRepr::Text { values, .. } => values
                .iter()
                .map(|v| format!("{name} = {}", self.string_literal(v)))
                .collect(),
            EnumRepr::Int { values, .. } => {
                values.iter().map(|v| format!("{name} = {v}")).collect()
            }
        };
        Some(terms.join(" OR "))
    }

    /// The statement that creates a text enum's own type (PostgreSQL's `CREATE TYPE … AS
    /// ENUM`, idempotent); `None` where the enum is the column's type or a `CHECK`.
    pub fn create_enum_type(self, def: &EnumDef) -> Option<Statement> {
        self.rules().create_enum_type(def)
    }

    /// `DROP TYPE IF EXISTS` for a text enum's own type, where it has one.
    pub fn drop_enum_type(self, def: &EnumDef) -> Option<Statement> {
        self.rules().drop_enum_type(def)
    }

    fn columns_list(self, columns: &[&str]) -> String {
        columns
            .iter()
            .map(|c| self.quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `[CONSTRAINT pk_…] PRIMARY KEY (…)`, as in `CREATE TABLE`.
    pub(crate) fn primary_key_clause(self, table: &TableDef) -> String {
        let columns = self.columns_list(table.primary_key);
        match table.primary_key_name {
            Some(name) => format!("CONSTRAINT {} PRIMARY KEY ({columns})", self.quote(name)),
            None => format!("PRIMARY KEY ({columns})"),
        }
    }

    /// `CONSTRAINT uq_… UNIQUE (…)`, as in `CREATE TABLE` and `ALTER TABLE … ADD`.
    pub(crate) fn unique_clause(self, table: &TableDef, unique: &UniqueDef) -> String {
        format!(
            "CONSTRAINT {} UNIQUE ({})",
            self.quote(&naming::unique_name(table, unique)),
            self.columns_list(unique.columns)
        )
    }

    /// `INDEX ix_… (…)`: an index inside `CREATE TABLE`, where the dialect writes it there.
    pub(crate) fn inline_index_clause(self, table: &TableDef, index: &IndexDef) -> String {
        format!(
            "INDEX {} ({})",
            self.quote(&naming::index_name(table, index)),
            self.index_parts(index)
        )
    }

    /// What an index's parentheses hold: its columns, or its parts with `DESC` and
    /// expressions in parentheses of their own.
    pub(crate) fn index_parts(self, index: &IndexDef) -> String {
        if index.parts.is_empty() {
            return self.columns_list(index.columns);
        }
        index
            .parts
            .iter()
            .map(|p| {
                let mut sql = if p.expression {
                    format!("({})", p.text)
                } else {
                    self.quote(p.text)
                };
                if p.descending {
                    sql.push_str(" DESC");
                }
                sql
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// ` WHERE …` of a partial index, or nothing (validation refuses it on MySQL).
    pub(crate) fn index_predicate(index: &IndexDef) -> String {
        index
            .predicate
            .map_or_else(String::new, |p| format!(" WHERE {p}"))
    }

    /// `CREATE INDEX` for one index of `table`.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "for plan/, which adds an index to a table that exists"
        )
    )]
    pub(crate) fn index_statement(self, table: &TableDef, index: &IndexDef) -> Statement {
        self.rules()
            .create_index(table, &self.table_name(table), index)
    }

    /// `CONSTRAINT ck_… CHECK (…)`, as in `CREATE TABLE` and `ALTER TABLE … ADD`.
    pub(crate) fn check_clause(self, table: &TableDef, check: &CheckDef) -> String {
        format!(
            "CONSTRAINT {} CHECK ({})",
            self.quote(&naming::check_name(table, check)),
            check.expr
        )
    }

    /// `CONSTRAINT fk_… FOREIGN KEY (…) REFERENCES … (…) [ON DELETE …] [ON UPDATE …]`, as in
    /// `CREATE TABLE` and `ALTER TABLE … ADD`.
    pub(crate) fn foreign_key_clause(self, table: &TableDef, fk: &ForeignKeyDef) -> String {
        let mut sql = format!(
            "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
            self.quote(&naming::foreign_key_name(table, fk)),
            self.columns_list(fk.columns),
            self.rules().referenced_table(fk),
            self.columns_list(fk.ref_columns),
        );
        if let Some(action) = fk.on_delete {
            let _ = write!(sql, " ON DELETE {}", action.as_sql());
        }
        if let Some(action) = fk.on_update {
            let _ = write!(sql, " ON UPDATE {}", action.as_sql());
        }
        // MySQL refuses it in validation.
        if fk.deferrable {
            sql.push_str(" DEFERRABLE INITIALLY DEFERRED");
        }
        sql
    }

    /// The statements that create one table: `CREATE TABLE` with its keys and constraints,
    /// then its indexes and comments where the dialect writes them separately.
    pub fn create_table(self, table: &TableDef) -> Vec<Statement> {
        self.create_table_without(table, &[])
    }

    /// [`Dialect::create_table`] without the foreign keys whose positions are in
    /// `deferred`: a cycle of foreign keys gets them afterwards from
    /// [`Dialect::add_foreign_key`].
    pub(crate) fn create_table_without(
        self,
        table: &TableDef,
        deferred: &[usize],
    ) -> Vec<Statement> {
        let rules = self.rules();
        let name = self.table_name(table);
        let mut lines: Vec<String> = table
            .columns
            .iter()
            .map(|c| self.column_definition(c))
            .collect();
        if !table.primary_key.is_empty() && !rules.inline_primary_key(table) {
            lines.push(self.primary_key_clause(table));
        }
        for unique in table.uniques {
            lines.push(self.unique_clause(table, unique));
        }
        if rules.inline_indexes() {
            // Inline, so that the table and its indexes are created by one atomic statement.
            for index in table.indexes {
                lines.push(self.inline_index_clause(table, index));
            }
        }
        for check in table.checks {
            lines.push(self.check_clause(table, check));
        }
        for (i, fk) in table.foreign_keys.iter().enumerate() {
            if !deferred.contains(&i) {
                lines.push(self.foreign_key_clause(table, fk));
            }
        }
        let mut sql = format!("CREATE TABLE {name} (\n    {}\n)", lines.join(",\n    "));
        rules.table_options(table, &mut sql);
        let mut statements = vec![Statement {
            table: table.qualified_name(),
            sql,
        }];
        if !rules.inline_indexes() {
            for index in table.indexes {
                statements.push(rules.create_index(table, &name, index));
            }
        }
        rules.comment_statements(table, &name, &mut statements);
        statements
    }

    /// `CREATE SCHEMA IF NOT EXISTS` on PostgreSQL, where a schema is a namespace inside the
    /// database. `None` elsewhere: a MySQL schema is a database of its own, and an SQLite one
    /// a file the connection attaches; creating those is the application's decision.
    pub fn create_schema(self, schema: &str) -> Option<Statement> {
        self.rules().create_schema(schema)
    }

    /// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`: how a foreign key that closes a cycle
    /// is added once both of its tables exist. Not used on SQLite, which keeps them inline.
    pub fn add_foreign_key(self, table: &TableDef, fk: &ForeignKeyDef) -> Statement {
        Statement {
            table: table.qualified_name(),
            sql: format!(
                "ALTER TABLE {} ADD {}",
                self.table_name(table),
                self.foreign_key_clause(table, fk)
            ),
        }
    }

    /// `ALTER TABLE ... DROP CONSTRAINT` (MySQL: `DROP FOREIGN KEY`): how `drop_all` opens a
    /// cycle before dropping its tables. Not used on SQLite.
    pub fn drop_foreign_key(self, table: &TableDef, fk: &ForeignKeyDef) -> Statement {
        Statement {
            table: table.qualified_name(),
            sql: format!(
                "ALTER TABLE {} DROP {} {}",
                self.table_name(table),
                self.rules().drop_foreign_key_keyword(),
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
        self.rules().defers_cyclic_foreign_keys()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::table;

    /// The pieces the plan renders alone are the ones `create_table` writes.
    #[test]
    fn an_index_alone_is_the_index_of_create_table() {
        static T: TableDef = table("t", &[])
            .with_schema(Some("s"))
            .with_indexes(&[IndexDef::new(&["ref_id"])]);
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            let create = dialect.create_table(&T);
            assert_eq!(create[1], dialect.index_statement(&T, &T.indexes[0]));
        }
        let alone = Dialect::MySql.index_statement(&T, &T.indexes[0]).sql;
        assert_eq!(alone, "CREATE INDEX `ix_t_ref_id` ON `s`.`t` (`ref_id`)");
        let create = &Dialect::MySql.create_table(&T)[0].sql;
        assert!(create.contains(&Dialect::MySql.inline_index_clause(&T, &T.indexes[0])));
    }
}
