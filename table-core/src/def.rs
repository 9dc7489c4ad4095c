//! The description of a table as plain `'static` data.
//!
//! `#[derive(Table)]` builds a [`TableDef`] constant for each struct. Nothing here knows SQL:
//! the [`dialect`](crate::dialect) module turns these values into statements.

use crate::types::SqlType;

/// One table: its name, columns, keys, indexes and constraints.
///
/// Normally produced by `#[derive(Table)]`; it can also be written by hand, since every
/// field is public and `'static`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableDef {
    /// The table name, unquoted.
    pub name: &'static str,
    /// The schema (PostgreSQL), database (MySQL) or attached database (SQLite) holding the
    /// table; `None` is the connection's default.
    pub schema: Option<&'static str>,
    /// The Rust type this table was derived from, for error messages.
    pub rust_type: &'static str,
    /// The table comment, from the struct's doc comment.
    pub comment: Option<&'static str>,
    /// The columns, in declaration order.
    pub columns: &'static [ColumnDef],
    /// The primary key's column names, in key order; empty for a table without one.
    pub primary_key: &'static [&'static str],
    /// Unique constraints, from field-level `unique` and struct-level `unique(a, b)`.
    pub uniques: &'static [UniqueDef],
    /// Non-unique indexes, from field-level `index` and struct-level `index(a, b)`.
    pub indexes: &'static [IndexDef],
    /// Check constraints, from field-level and struct-level `check = "..."`.
    pub checks: &'static [CheckDef],
    /// Foreign keys, from field-level `references = ...`.
    pub foreign_keys: &'static [ForeignKeyDef],
}

impl TableDef {
    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&'static ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// `schema.name`, or `name` alone: how the table is named in messages.
    pub fn qualified_name(&self) -> String {
        match self.schema {
            Some(schema) => format!("{schema}.{}", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// One column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnDef {
    /// The column name, unquoted.
    pub name: &'static str,
    /// The logical type; each dialect renders it as the type sqlx reads and writes.
    pub ty: SqlType,
    /// Whether NULL is allowed (`Option<T>` fields).
    pub nullable: bool,
    /// Whether the database numbers new rows (`auto_increment`).
    pub auto_increment: bool,
    /// The default the database fills in when an insert leaves the column out.
    pub default: Option<DefaultValue>,
    /// The column comment, from the field's doc comment.
    pub comment: Option<&'static str>,
}

/// A column default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    /// `default = true`
    Bool(bool),
    /// `default = 42`
    Int(i64),
    /// `default = 1.5`
    Float(f64),
    /// `default = "text"`, written as a quoted string literal.
    Str(&'static str),
    /// `default = now`: the current date, time or timestamp, as fits the column type.
    Now,
    /// `default = uuid`: a new random UUID made by the database.
    Uuid,
    /// `default_sql = "..."`: a raw SQL expression, written as given.
    Sql(&'static str),
}

/// A unique constraint over one or more columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniqueDef {
    /// The constrained columns, in order.
    pub columns: &'static [&'static str],
}

/// A non-unique index over one or more columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexDef {
    /// The indexed columns, in order.
    pub columns: &'static [&'static str],
}

/// A check constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckDef {
    /// The column the check was written on, if it was a field-level check; used in its name.
    pub column: Option<&'static str>,
    /// The SQL boolean expression, written as given.
    pub expr: &'static str,
}

/// A foreign key from columns of this table to columns of another (or the same) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeyDef {
    /// The referencing columns of this table.
    pub columns: &'static [&'static str],
    /// The schema of the referenced table; `None` is the default schema.
    pub ref_schema: Option<&'static str>,
    /// The referenced table.
    pub ref_table: &'static str,
    /// The referenced columns, in the same order as `columns`.
    pub ref_columns: &'static [&'static str],
    /// What happens to this row when the referenced row is deleted.
    pub on_delete: Option<Action>,
    /// What happens to this row when the referenced key is updated.
    pub on_update: Option<Action>,
}

/// A referential action for `ON DELETE` / `ON UPDATE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `CASCADE`
    Cascade,
    /// `RESTRICT`
    Restrict,
    /// `SET NULL`
    SetNull,
    /// `SET DEFAULT`
    SetDefault,
    /// `NO ACTION`
    NoAction,
}

impl Action {
    /// The SQL spelling, the same in every supported dialect.
    pub fn as_sql(self) -> &'static str {
        match self {
            Action::Cascade => "CASCADE",
            Action::Restrict => "RESTRICT",
            Action::SetNull => "SET NULL",
            Action::SetDefault => "SET DEFAULT",
            Action::NoAction => "NO ACTION",
        }
    }
}
