//! The description of a table as plain `'static` data.
//!
//! `#[derive(Table)]` builds a [`TableDef`] constant for each struct. Nothing here knows SQL:
//! the [`dialect`](crate::dialect) module turns these values into statements.
//!
//! Over 400 lines on purpose: each model object is a struct, a `const fn new` and one
//! `with_…` setter per field (the derive's only way to build them), and the model reads
//! best whole.

use crate::types::SqlType;

/// One table: its name, columns, keys, indexes and constraints.
///
/// Normally produced by `#[derive(Table)]`. To write one by hand, start from
/// [`TableDef::new`] and add to it with the `with_…` methods, all `const`:
///
/// ```
/// use sqlx_table::{ColumnDef, SqlType, TableDef};
///
/// const SETTING: TableDef = TableDef::new("setting", "Setting")
///     .with_columns(&[
///         ColumnDef::new("key", SqlType::Text { max_length: Some(64) }),
///         ColumnDef::new("value", SqlType::Text { max_length: None }).with_nullable(true),
///     ])
///     .with_primary_key(&["key"]);
/// assert_eq!(SETTING.column("value").map(|c| c.nullable), Some(true));
/// ```
///
/// The fields are public to read; the struct is `#[non_exhaustive]` so that a field added
/// later (an enum's variants, a rename's old name) breaks no one who builds it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
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
    /// The primary key constraint's own name (`primary_key(a, b, name = "...")`); `None`
    /// leaves it to the backend.
    pub primary_key_name: Option<&'static str>,
    /// MySQL/MariaDB: the table's default character set (`charset = "..."` on the struct);
    /// `None` is `utf8mb4`.
    pub charset: Option<&'static str>,
    /// MySQL/MariaDB: the table's default collation (`collation = "..."` on the struct).
    pub collation: Option<&'static str>,
    /// The model set the table belongs to (`set = "..."` on the struct):
    /// [`Models::registered_set`](crate::Models::registered_set) selects one set, for a
    /// binary with several databases. [`TableDef::DEFAULT_SET`] unless set.
    pub set: &'static str,
}

impl TableDef {
    /// A table with no column, key, index or constraint yet, in the default schema.
    /// `rust_type` names it in error messages.
    pub const fn new(name: &'static str, rust_type: &'static str) -> TableDef {
        TableDef {
            name,
            schema: None,
            rust_type,
            comment: None,
            columns: &[],
            primary_key: &[],
            uniques: &[],
            indexes: &[],
            checks: &[],
            foreign_keys: &[],
            primary_key_name: None,
            charset: None,
            collation: None,
            set: TableDef::DEFAULT_SET,
        }
    }

    /// The set of the models that name none.
    pub const DEFAULT_SET: &'static str = "default";

    /// Sets [`TableDef::set`].
    pub const fn with_set(mut self, set: &'static str) -> TableDef {
        self.set = set;
        self
    }

    /// Sets [`TableDef::primary_key_name`].
    pub const fn with_primary_key_name(mut self, name: Option<&'static str>) -> TableDef {
        self.primary_key_name = name;
        self
    }

    /// Sets [`TableDef::charset`].
    pub const fn with_charset(mut self, charset: Option<&'static str>) -> TableDef {
        self.charset = charset;
        self
    }

    /// Sets [`TableDef::collation`].
    pub const fn with_collation(mut self, collation: Option<&'static str>) -> TableDef {
        self.collation = collation;
        self
    }

    /// Sets [`TableDef::name`].
    pub const fn with_name(mut self, name: &'static str) -> TableDef {
        self.name = name;
        self
    }

    /// Sets [`TableDef::schema`].
    pub const fn with_schema(mut self, schema: Option<&'static str>) -> TableDef {
        self.schema = schema;
        self
    }

    /// Sets [`TableDef::rust_type`].
    pub const fn with_rust_type(mut self, rust_type: &'static str) -> TableDef {
        self.rust_type = rust_type;
        self
    }

    /// Sets [`TableDef::comment`].
    pub const fn with_comment(mut self, comment: Option<&'static str>) -> TableDef {
        self.comment = comment;
        self
    }

    /// Sets [`TableDef::columns`].
    pub const fn with_columns(mut self, columns: &'static [ColumnDef]) -> TableDef {
        self.columns = columns;
        self
    }

    /// Sets [`TableDef::primary_key`].
    pub const fn with_primary_key(mut self, columns: &'static [&'static str]) -> TableDef {
        self.primary_key = columns;
        self
    }

    /// Sets [`TableDef::uniques`].
    pub const fn with_uniques(mut self, uniques: &'static [UniqueDef]) -> TableDef {
        self.uniques = uniques;
        self
    }

    /// Sets [`TableDef::indexes`].
    pub const fn with_indexes(mut self, indexes: &'static [IndexDef]) -> TableDef {
        self.indexes = indexes;
        self
    }

    /// Sets [`TableDef::checks`].
    pub const fn with_checks(mut self, checks: &'static [CheckDef]) -> TableDef {
        self.checks = checks;
        self
    }

    /// Sets [`TableDef::foreign_keys`].
    pub const fn with_foreign_keys(mut self, foreign_keys: &'static [ForeignKeyDef]) -> TableDef {
        self.foreign_keys = foreign_keys;
        self
    }

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

/// One column. Built with [`ColumnDef::new`] and the `with_…` methods.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
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
    /// `sql_type(postgres = "...", mysql = "...", sqlite = "...")`: the type written on one
    /// backend instead of [`ColumnDef::ty`]'s.
    pub backend_types: BackendTypes,
    /// `precision = N`: fractional digits of seconds of a time or timestamp column, or the
    /// digits of a decimal column.
    pub precision: Option<u8>,
    /// `scale = N`: the digits after the point of a decimal column (with `precision`).
    pub scale: Option<u8>,
    /// MySQL/MariaDB: the text column's character set (`charset = "..."`).
    pub charset: Option<&'static str>,
    /// MySQL/MariaDB: the text column's collation (`collation = "..."`).
    pub collation: Option<&'static str>,
}

impl ColumnDef {
    /// A `NOT NULL` column of this type, with no default and no comment.
    pub const fn new(name: &'static str, ty: SqlType) -> ColumnDef {
        ColumnDef {
            name,
            ty,
            nullable: false,
            auto_increment: false,
            default: None,
            comment: None,
            backend_types: BackendTypes::new(),
            precision: None,
            scale: None,
            charset: None,
            collation: None,
        }
    }

    /// Sets [`ColumnDef::backend_types`].
    pub const fn with_backend_types(mut self, types: BackendTypes) -> ColumnDef {
        self.backend_types = types;
        self
    }

    /// Sets [`ColumnDef::precision`].
    pub const fn with_precision(mut self, precision: Option<u8>) -> ColumnDef {
        self.precision = precision;
        self
    }

    /// Sets [`ColumnDef::scale`].
    pub const fn with_scale(mut self, scale: Option<u8>) -> ColumnDef {
        self.scale = scale;
        self
    }

    /// Sets [`ColumnDef::charset`].
    pub const fn with_charset(mut self, charset: Option<&'static str>) -> ColumnDef {
        self.charset = charset;
        self
    }

    /// Sets [`ColumnDef::collation`].
    pub const fn with_collation(mut self, collation: Option<&'static str>) -> ColumnDef {
        self.collation = collation;
        self
    }

    /// Sets [`ColumnDef::name`].
    pub const fn with_name(mut self, name: &'static str) -> ColumnDef {
        self.name = name;
        self
    }

    /// Sets [`ColumnDef::ty`].
    pub const fn with_type(mut self, ty: SqlType) -> ColumnDef {
        self.ty = ty;
        self
    }

    /// Sets [`ColumnDef::nullable`].
    pub const fn with_nullable(mut self, nullable: bool) -> ColumnDef {
        self.nullable = nullable;
        self
    }

    /// Sets [`ColumnDef::auto_increment`].
    pub const fn with_auto_increment(mut self, auto_increment: bool) -> ColumnDef {
        self.auto_increment = auto_increment;
        self
    }

    /// Sets [`ColumnDef::default`].
    pub const fn with_default(mut self, default: Option<DefaultValue>) -> ColumnDef {
        self.default = default;
        self
    }

    /// Sets [`ColumnDef::comment`].
    pub const fn with_comment(mut self, comment: Option<&'static str>) -> ColumnDef {
        self.comment = comment;
        self
    }
}

/// The SQL types a column has on some backends instead of its [`SqlType`]'s: an existing
/// database's `DATE` on one engine and `DATETIME` on another. Each is written as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct BackendTypes {
    /// The type on PostgreSQL.
    pub postgres: Option<&'static str>,
    /// The type on SQLite.
    pub sqlite: Option<&'static str>,
    /// The type on MySQL and MariaDB.
    pub mysql: Option<&'static str>,
}

impl BackendTypes {
    /// No backend's type overridden.
    pub const fn new() -> BackendTypes {
        BackendTypes {
            postgres: None,
            sqlite: None,
            mysql: None,
        }
    }

    /// Sets [`BackendTypes::postgres`].
    pub const fn with_postgres(mut self, sql: Option<&'static str>) -> BackendTypes {
        self.postgres = sql;
        self
    }

    /// Sets [`BackendTypes::sqlite`].
    pub const fn with_sqlite(mut self, sql: Option<&'static str>) -> BackendTypes {
        self.sqlite = sql;
        self
    }

    /// Sets [`BackendTypes::mysql`].
    pub const fn with_mysql(mut self, sql: Option<&'static str>) -> BackendTypes {
        self.mysql = sql;
        self
    }
}

/// A column default.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct UniqueDef {
    /// The constrained columns, in order.
    pub columns: &'static [&'static str],
    /// The unique constraint's own name (`name = "..."`); `None` is the generated one.
    pub name: Option<&'static str>,
}

impl UniqueDef {
    /// Sets [`UniqueDef::name`].
    pub const fn with_name(mut self, name: Option<&'static str>) -> UniqueDef {
        self.name = name;
        self
    }

    /// A unique constraint over these columns.
    pub const fn new(columns: &'static [&'static str]) -> UniqueDef {
        UniqueDef {
            columns,
            name: None,
        }
    }
}

/// A non-unique index over one or more columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexDef {
    /// The indexed columns, in order; with [`IndexDef::parts`], the columns among them.
    pub columns: &'static [&'static str],
    /// The index's own name (`name = "..."`); `None` is the generated one.
    pub name: Option<&'static str>,
    /// The parts in order, where one is descending or an expression; empty: `columns`,
    /// ascending.
    pub parts: &'static [IndexPart],
    /// `where = "..."`: the predicate of a partial index, raw SQL (PostgreSQL and SQLite).
    pub predicate: Option<&'static str>,
}

/// One part of an index that is more than an ascending column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexPart {
    /// The column's name, or the expression's SQL where `expression` is set.
    pub text: &'static str,
    /// Whether `text` is an expression (`"lower(email)"`), written in parentheses.
    pub expression: bool,
    /// `DESC`.
    pub descending: bool,
}

impl IndexPart {
    /// A column, ascending or descending.
    pub const fn column(name: &'static str, descending: bool) -> IndexPart {
        IndexPart {
            text: name,
            expression: false,
            descending,
        }
    }

    /// An expression (raw SQL), ascending or descending.
    pub const fn expression(sql: &'static str, descending: bool) -> IndexPart {
        IndexPart {
            text: sql,
            expression: true,
            descending,
        }
    }
}

impl IndexDef {
    /// Sets [`IndexDef::parts`].
    pub const fn with_parts(mut self, parts: &'static [IndexPart]) -> IndexDef {
        self.parts = parts;
        self
    }

    /// Sets [`IndexDef::predicate`].
    pub const fn with_predicate(mut self, predicate: Option<&'static str>) -> IndexDef {
        self.predicate = predicate;
        self
    }

    /// Whether an expression is among the parts.
    pub fn has_expression(&self) -> bool {
        self.parts.iter().any(|p| p.expression)
    }

    /// Sets [`IndexDef::name`].
    pub const fn with_name(mut self, name: Option<&'static str>) -> IndexDef {
        self.name = name;
        self
    }

    /// An index over these columns.
    pub const fn new(columns: &'static [&'static str]) -> IndexDef {
        IndexDef {
            columns,
            name: None,
            parts: &[],
            predicate: None,
        }
    }
}

/// A check constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckDef {
    /// The column the check was written on, if it was a field-level check; used in its name.
    pub column: Option<&'static str>,
    /// The SQL boolean expression, written as given.
    pub expr: &'static str,
    /// The constraint's own name (`check("...", name = "...")`); `None` is the generated one.
    pub name: Option<&'static str>,
}

impl CheckDef {
    /// A struct-level check.
    pub const fn new(expr: &'static str) -> CheckDef {
        CheckDef {
            column: None,
            expr,
            name: None,
        }
    }

    /// Sets [`CheckDef::name`].
    pub const fn with_name(mut self, name: Option<&'static str>) -> CheckDef {
        self.name = name;
        self
    }

    /// Sets [`CheckDef::column`]: a field-level check is named after its column.
    pub const fn with_column(mut self, column: Option<&'static str>) -> CheckDef {
        self.column = column;
        self
    }
}

/// A foreign key from columns of this table to columns of another (or the same) table.
/// Built with [`ForeignKeyDef::new`] and the `with_…` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
    /// The constraint's own name (`fk_name = "..."`); `None` is the generated one.
    pub name: Option<&'static str>,
    /// `deferrable`: `DEFERRABLE INITIALLY DEFERRED`, checked at commit rather than at each
    /// statement, so that rows of a NOT NULL cycle can be inserted in one transaction
    /// (PostgreSQL and SQLite; refused on MySQL, which has no deferred constraints).
    pub deferrable: bool,
}

impl ForeignKeyDef {
    /// A foreign key from `columns` to `ref_columns` of `ref_table` in the default schema,
    /// with no referential action.
    pub const fn new(
        columns: &'static [&'static str],
        ref_table: &'static str,
        ref_columns: &'static [&'static str],
    ) -> ForeignKeyDef {
        ForeignKeyDef {
            columns,
            ref_schema: None,
            ref_table,
            ref_columns,
            on_delete: None,
            on_update: None,
            name: None,
            deferrable: false,
        }
    }

    /// Sets [`ForeignKeyDef::deferrable`].
    pub const fn with_deferrable(mut self, deferrable: bool) -> ForeignKeyDef {
        self.deferrable = deferrable;
        self
    }

    /// Sets [`ForeignKeyDef::name`].
    pub const fn with_name(mut self, name: Option<&'static str>) -> ForeignKeyDef {
        self.name = name;
        self
    }

    /// Sets [`ForeignKeyDef::ref_schema`].
    pub const fn with_ref_schema(mut self, schema: Option<&'static str>) -> ForeignKeyDef {
        self.ref_schema = schema;
        self
    }

    /// Sets [`ForeignKeyDef::on_delete`].
    pub const fn with_on_delete(mut self, action: Option<Action>) -> ForeignKeyDef {
        self.on_delete = action;
        self
    }

    /// Sets [`ForeignKeyDef::on_update`].
    pub const fn with_on_update(mut self, action: Option<Action>) -> ForeignKeyDef {
        self.on_update = action;
        self
    }
}

/// A referential action for `ON DELETE` / `ON UPDATE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
