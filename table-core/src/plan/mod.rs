//! What it takes to bring a database to the models: the [`Plan`].
//!
//! A plan compares the models (a [`Models`]) with a database's schema as its catalog
//! describes it (a [`LiveSchema`]), and lists every difference as a typed [`Change`] with
//! its [`Class`]:
//!
//! - [`Class::Safe`]: creating a table, adding a nullable column or one with a default,
//!   adding an index, and adding a unique, foreign key or check constraint where the backend
//!   can add one to an existing table (PostgreSQL, MySQL);
//! - [`Class::NeedsPerson`], with the reason: anything that may lose data or fail on rows
//!   already there (a column's type, nullability or default, a NOT NULL column without a
//!   default, a changed constraint), and anything the backend can't do in place (SQLite adds
//!   a constraint only by rebuilding the table);
//! - [`Class::Unknown`]: tables, columns, indexes and constraints that the database has and
//!   no model declares. A plan reports them and never drops them.
//!
//! The comparison reads types and defaults in each catalog's own spelling
//! (`character varying(255)`, `int(11)`, `tinyint(1)`, `'x'::character varying`,
//! `current_timestamp(6)`, SQLite's declared text), so a database that `create_all` made
//! from the same models plans empty on every backend.
//!
//! Check constraints are compared loosely: the database keeps its own rewriting of the
//! expression (PostgreSQL adds parentheses and casts, MariaDB quotes identifiers), so case,
//! whitespace, identifier quotes, parentheses and casts are ignored. Where the database has
//! rewritten an expression beyond that (`IN (...)` kept as `= ANY (ARRAY[...])`, `LIKE` as
//! `~~`), the plan can't tell, and does not call it a difference. The same goes for a
//! default written with `default_sql`: it is compared as loosely.
//!
//! ```
//! use sqlx_table::live::LiveSchema;
//! use sqlx_table::{Dialect, Models, Table};
//!
//! #[derive(Table)]
//! struct Tag {
//!     #[table(primary_key)]
//!     id: i64,
//!     #[table(max_length = 40)]
//!     label: String,
//! }
//!
//! let schema = Models::new([&Tag::DEF]).unwrap();
//! // An empty database: the plan creates the table, and that is safe.
//! let plan = schema.diff(Dialect::Postgres, &LiveSchema::default()).unwrap();
//! assert!(!plan.is_empty());
//! assert_eq!(plan.safe().count(), 1);
//! assert_eq!(plan.to_string(), "tag\n  [safe] create table tag\n");
//! assert!(plan.to_sql().contains("CREATE TABLE \"tag\""));
//! ```
//!
//! Over 400 lines: the plan's types and their `Display`, which words every kind of change.

mod diff;
mod file;
mod normalize;
mod run;
mod sql;

pub use file::{MigrationFormat, PERSON_PREFIX};

pub use run::{check, plan};

use std::fmt;

use crate::def::{CheckDef, ColumnDef, ForeignKeyDef, IndexDef, TableDef, UniqueDef};
use crate::dialect::{Dialect, Statement};
use crate::error::Error;
use crate::live::{LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveKey, LiveSchema};
use crate::schema::Models;
use crate::types::{EnumDef, EnumRepr, SqlType};

/// The differences between the models and a database, in the order to apply them: the
/// models' tables in foreign-key order, each with its changes and then what the database has
/// there that the models don't declare; then the tables no model declares.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    dialect: Dialect,
    steps: Vec<Step>,
}

/// One difference: the table it is on, what it is, and how it can be applied.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Step {
    /// The table, as `schema.name` or `name` (as [`TableDef::qualified_name`] writes it).
    pub table: String,
    /// What differs.
    pub change: Change,
    /// Whether it can be applied without a person.
    pub class: Class,
}

/// How a change can be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Class {
    /// It can run as it is: it loses no data, and fails on no existing row.
    Safe,
    /// It needs a person's decision: it may lose data, fail on existing rows, or the backend
    /// can't do it in place.
    NeedsPerson {
        /// Why, and what to do.
        reason: String,
    },
    /// The database has it and no model declares it. Reported, never dropped.
    Unknown,
}

/// A constraint of the database that no model declares.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LiveConstraint {
    /// A unique constraint.
    Unique(LiveKey),
    /// A foreign key.
    ForeignKey(LiveForeignKey),
    /// A check constraint.
    Check(LiveCheck),
}

/// One difference between the models and the database.
///
/// The model's side is the `'static` definition from the derive; the database's side is
/// what its catalog says, in its own spelling.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// The table doesn't exist.
    CreateTable {
        /// The model.
        table: &'static TableDef,
        /// Positions in `table.foreign_keys` of the foreign keys that close a cycle: added by
        /// `ALTER TABLE` once every new table exists, on the dialects that need it.
        deferred: Vec<usize>,
    },
    /// A column the table doesn't have.
    AddColumn {
        /// The model.
        table: &'static TableDef,
        /// The column.
        column: &'static ColumnDef,
    },
    /// The model has a primary key, the table none.
    AddPrimaryKey {
        /// The model.
        table: &'static TableDef,
    },
    /// A unique constraint the table doesn't have.
    AddUnique {
        /// The model.
        table: &'static TableDef,
        /// The constraint.
        unique: &'static UniqueDef,
    },
    /// An index the table doesn't have.
    AddIndex {
        /// The model.
        table: &'static TableDef,
        /// The index.
        index: &'static IndexDef,
    },
    /// A foreign key the table doesn't have.
    AddForeignKey {
        /// The model.
        table: &'static TableDef,
        /// The foreign key.
        foreign_key: &'static ForeignKeyDef,
    },
    /// A check constraint the table doesn't have.
    AddCheck {
        /// The model.
        table: &'static TableDef,
        /// The check.
        check: &'static CheckDef,
    },
    /// The column's type differs.
    ChangeColumnType {
        /// The model.
        table: &'static TableDef,
        /// The model's column.
        column: &'static ColumnDef,
        /// The database's type, as its catalog spells it.
        live: String,
    },
    /// The column allows NULL in one and not in the other.
    ChangeNullability {
        /// The model.
        table: &'static TableDef,
        /// The model's column.
        column: &'static ColumnDef,
        /// Whether the database's column allows NULL.
        live: bool,
    },
    /// The column's default differs.
    ChangeDefault {
        /// The model.
        table: &'static TableDef,
        /// The model's column.
        column: &'static ColumnDef,
        /// The database's default, as its catalog keeps it.
        live: Option<String>,
    },
    /// The database numbers new rows in one and not in the other.
    ChangeAutoIncrement {
        /// The model.
        table: &'static TableDef,
        /// The model's column.
        column: &'static ColumnDef,
        /// Whether the database's column is auto-increment.
        live: bool,
    },
    /// The primary key has other columns, or the model has none and the table has one.
    ChangePrimaryKey {
        /// The model.
        table: &'static TableDef,
        /// The database's primary key.
        live: LiveKey,
    },
    /// A unique constraint of the model's name has other columns.
    ChangeUnique {
        /// The model.
        table: &'static TableDef,
        /// The model's constraint.
        unique: &'static UniqueDef,
        /// The database's.
        live: LiveKey,
    },
    /// An index of the model's name has other columns, or is unique or partial.
    ChangeIndex {
        /// The model.
        table: &'static TableDef,
        /// The model's index.
        index: &'static IndexDef,
        /// The database's.
        live: LiveIndex,
    },
    /// A foreign key of the model's name (or on the model's columns) differs in its target or
    /// its actions.
    ChangeForeignKey {
        /// The model.
        table: &'static TableDef,
        /// The model's foreign key.
        foreign_key: &'static ForeignKeyDef,
        /// The database's.
        live: LiveForeignKey,
    },
    /// A check constraint of the model's name has another expression.
    ChangeCheck {
        /// The model.
        table: &'static TableDef,
        /// The model's check.
        check: &'static CheckDef,
        /// The database's.
        live: LiveCheck,
    },
    /// The values an enum column may hold differ: the `CHECK` that keeps it to the enum's
    /// variants (SQLite's text enums, integer enums everywhere) is missing or other.
    ChangeEnumValues {
        /// The model.
        table: &'static TableDef,
        /// The model's enum column.
        column: &'static ColumnDef,
        /// The database's check on the column, if it has one.
        live: Option<LiveCheck>,
    },
    /// The comment of the table (`column: None`) or of a column differs.
    ChangeComment {
        /// The model.
        table: &'static TableDef,
        /// The column, or `None` for the table's own comment.
        column: Option<&'static ColumnDef>,
        /// The database's comment.
        live: Option<String>,
    },
    /// A PostgreSQL enum type the models use is missing.
    CreateEnumType {
        /// The enum.
        def: &'static EnumDef,
    },
    /// A PostgreSQL enum type lacks values the enum has, and has all of its own in the
    /// enum's order: `ALTER TYPE … ADD VALUE` makes them the same.
    AddEnumValues {
        /// The enum.
        def: &'static EnumDef,
        /// The type's labels, in order.
        live: Vec<String>,
    },
    /// A PostgreSQL enum type has values the enum lacks, or another order: PostgreSQL can't
    /// drop, rename or reorder an enum's values in place.
    ChangeEnumType {
        /// The enum.
        def: &'static EnumDef,
        /// The type's labels, in order.
        live: Vec<String>,
    },
    /// A table no model declares.
    UnknownTable {
        /// Its schema; `None` for the connection's default schema.
        schema: Option<String>,
        /// Its name.
        name: String,
    },
    /// A column of a model's table that the model doesn't declare.
    UnknownColumn {
        /// The model.
        table: &'static TableDef,
        /// The database's column.
        column: LiveColumn,
    },
    /// An index of a model's table that the model doesn't declare.
    UnknownIndex {
        /// The model.
        table: &'static TableDef,
        /// The database's index.
        index: LiveIndex,
    },
    /// A constraint of a model's table that the model doesn't declare.
    UnknownConstraint {
        /// The model.
        table: &'static TableDef,
        /// The database's constraint.
        constraint: LiveConstraint,
    },
}

impl Change {
    /// The model's table the change is on; `None` for a table no model declares.
    pub fn model_table(&self) -> Option<&'static TableDef> {
        match self {
            Change::CreateTable { table, .. }
            | Change::AddColumn { table, .. }
            | Change::AddPrimaryKey { table }
            | Change::AddUnique { table, .. }
            | Change::AddIndex { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::AddCheck { table, .. }
            | Change::ChangeColumnType { table, .. }
            | Change::ChangeNullability { table, .. }
            | Change::ChangeDefault { table, .. }
            | Change::ChangeAutoIncrement { table, .. }
            | Change::ChangePrimaryKey { table, .. }
            | Change::ChangeUnique { table, .. }
            | Change::ChangeIndex { table, .. }
            | Change::ChangeForeignKey { table, .. }
            | Change::ChangeCheck { table, .. }
            | Change::ChangeEnumValues { table, .. }
            | Change::ChangeComment { table, .. }
            | Change::UnknownColumn { table, .. }
            | Change::UnknownIndex { table, .. }
            | Change::UnknownConstraint { table, .. } => Some(table),
            Change::UnknownTable { .. }
            | Change::CreateEnumType { .. }
            | Change::AddEnumValues { .. }
            | Change::ChangeEnumType { .. } => None,
        }
    }
}

impl Models {
    /// The plan that brings a database whose schema is `live` to these models: pure, with
    /// no database. `live` comes from the database's catalog
    /// ([`LiveSchema`](crate::live::LiveSchema)); the schema is first checked against the
    /// dialect, as for `create_all`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchema`] for models the dialect can't hold.
    pub fn diff(&self, dialect: Dialect, live: &LiveSchema) -> Result<Plan, Error> {
        self.validate_for(dialect)?;
        Ok(diff::diff(self, dialect, live))
    }
}

impl Plan {
    pub(crate) fn from_steps(dialect: Dialect, steps: Vec<Step>) -> Plan {
        Plan { dialect, steps }
    }

    pub(crate) fn into_steps(self) -> Vec<Step> {
        self.steps
    }

    /// The dialect the plan is written for.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Whether the database is exactly what the models describe.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// How many differences.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Every difference, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The steps grouped by table, in plan order: `(table, its steps)`.
    pub fn by_table(&self) -> impl Iterator<Item = (&str, &[Step])> + '_ {
        self.steps
            .chunk_by(|a, b| a.table == b.table)
            .map(|steps| (steps[0].table.as_str(), steps))
    }

    /// The differences that are safe to apply as they are.
    pub fn safe(&self) -> impl Iterator<Item = &Step> + '_ {
        self.steps.iter().filter(|s| s.class == Class::Safe)
    }

    /// The differences that need a person.
    pub fn needs_person(&self) -> impl Iterator<Item = &Step> + '_ {
        self.steps
            .iter()
            .filter(|s| matches!(s.class, Class::NeedsPerson { .. }))
    }

    /// What the database has that no model declares.
    pub fn unknown(&self) -> impl Iterator<Item = &Step> + '_ {
        self.steps.iter().filter(|s| s.class == Class::Unknown)
    }

    /// The statements that apply the safe changes, in order: new schemas and tables first,
    /// then the foreign keys that close cycles among them, then the rest.
    pub fn safe_statements(&self) -> Vec<Statement> {
        sql::safe_statements(self)
    }

    /// A script for the backend: the safe changes as statements, then every other
    /// difference as a comment with its reason and the SQL a person could run.
    pub fn to_sql(&self) -> String {
        sql::script(self)
    }
}

impl fmt::Display for Plan {
    /// One block per table, one line per change: `[class] what (reason)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (table, steps) in self.by_table() {
            writeln!(f, "{table}")?;
            for step in steps {
                write!(
                    f,
                    "  [{}] {}",
                    step.class.label(),
                    Described(&step.change, self.dialect)
                )?;
                if let Class::NeedsPerson { reason } = &step.class {
                    write!(f, ": {reason}")?;
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

impl Step {
    /// The change in a few words, both sides where they differ, in the dialect's SQL: the
    /// line [`Plan`]'s `Display` writes for it, without the class.
    pub fn describe(&self, dialect: Dialect) -> String {
        Described(&self.change, dialect).to_string()
    }
}

impl Class {
    /// `safe`, `needs a person` or `unknown`.
    pub fn label(&self) -> &'static str {
        match self {
            Class::Safe => "safe",
            Class::NeedsPerson { .. } => "needs a person",
            Class::Unknown => "unknown to the models",
        }
    }
}

fn or_none(value: Option<&str>) -> String {
    match value {
        Some(v) => v.to_owned(),
        None => "none".to_owned(),
    }
}

fn null(nullable: bool) -> &'static str {
    if nullable { "NULL" } else { "NOT NULL" }
}

fn list(columns: &[impl AsRef<str>]) -> String {
    columns
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An index's parts in a few words: its columns, or its parts as SQL writes them.
fn index_parts(dialect: Dialect, index: &IndexDef) -> String {
    if index.parts.is_empty() {
        list(index.columns)
    } else {
        dialect.index_parts(index)
    }
}

/// A change in a few words, with both sides where they differ, in the dialect's SQL.
struct Described<'a>(&'a Change, Dialect);

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dialect = self.1;
        match self.0 {
            Change::CreateTable { table, .. } => write!(f, "create table {}", table.name),
            Change::AddColumn { column, .. } => {
                write!(
                    f,
                    "add column {} {} {}",
                    column.name,
                    dialect.column_sql_type(column),
                    null(column.nullable)
                )?;
                if let Some(d) = column.default {
                    write!(f, " DEFAULT {}", dialect.default_sql(column, d))?;
                }
                if column.auto_increment {
                    write!(f, " auto-increment")?;
                }
                Ok(())
            }
            Change::AddPrimaryKey { table } => {
                write!(f, "add primary key ({})", list(table.primary_key))
            }
            Change::AddUnique { table, unique } => write!(
                f,
                "add unique constraint {} ({})",
                crate::naming::unique_name(table, unique),
                list(unique.columns)
            ),
            Change::AddIndex { table, index } => write!(
                f,
                "add index {} ({}){}",
                crate::naming::index_name(table, index),
                index_parts(dialect, index),
                Dialect::index_predicate(index)
            ),
            Change::AddForeignKey { table, foreign_key } => write!(
                f,
                "add foreign key {} ({}) -> {} ({})",
                crate::naming::foreign_key_name(table, foreign_key),
                list(foreign_key.columns),
                foreign_key.ref_table,
                list(foreign_key.ref_columns)
            ),
            Change::AddCheck { table, check } => write!(
                f,
                "add check {} ({})",
                crate::naming::check_name(table, check),
                check.expr
            ),
            Change::ChangeColumnType { column, live, .. } => write!(
                f,
                "column {}: type is {live} in the database, {} in the model",
                column.name,
                dialect.column_sql_type(column)
            ),
            Change::ChangeNullability { column, live, .. } => write!(
                f,
                "column {}: {} in the database, {} in the model",
                column.name,
                null(*live),
                null(column.nullable)
            ),
            Change::ChangeDefault { column, live, .. } => write!(
                f,
                "column {}: default is {} in the database, {} in the model",
                column.name,
                or_none(live.as_deref()),
                match column.default {
                    Some(d) => dialect.default_sql(column, d),
                    None => "none".to_owned(),
                }
            ),
            Change::ChangeAutoIncrement { column, live, .. } => write!(
                f,
                "column {}: {} in the database, {} in the model",
                column.name,
                if *live {
                    "auto-increment"
                } else {
                    "not auto-increment"
                },
                if column.auto_increment {
                    "auto-increment"
                } else {
                    "not auto-increment"
                }
            ),
            Change::ChangePrimaryKey { table, live } => write!(
                f,
                "primary key is ({}) in the database, ({}) in the model",
                list(&live.columns),
                list(table.primary_key)
            ),
            Change::ChangeUnique { unique, live, .. } => write!(
                f,
                "unique constraint {} is ({}) in the database, ({}) in the model",
                or_none(live.name.as_deref()),
                list(&live.columns),
                list(unique.columns)
            ),
            Change::ChangeIndex { index, live, .. } => write!(
                f,
                "index {} is {}({}){} in the database, ({}){} in the model",
                live.name,
                if live.unique { "unique " } else { "" },
                list(&live.parts.iter().map(|p| &p.column).collect::<Vec<_>>()),
                match &live.predicate {
                    Some(p) => format!(" WHERE {p}"),
                    None => String::new(),
                },
                index_parts(dialect, index),
                Dialect::index_predicate(index)
            ),
            Change::ChangeForeignKey {
                foreign_key, live, ..
            } => write!(
                f,
                "foreign key ({}) is -> {} ({}) ON DELETE {} ON UPDATE {} in the database, -> {} ({}) ON DELETE {} ON UPDATE {} in the model",
                list(foreign_key.columns),
                live.ref_table,
                list(&live.ref_columns),
                live.on_delete,
                live.on_update,
                foreign_key.ref_table,
                list(foreign_key.ref_columns),
                foreign_key.on_delete.map_or("(default)", |a| a.as_sql()),
                foreign_key.on_update.map_or("(default)", |a| a.as_sql()),
            ),
            Change::ChangeCheck { table, check, live } => write!(
                f,
                "check {} is {} in the database, {} in the model",
                crate::naming::check_name(table, check),
                live.expr,
                check.expr
            ),
            Change::CreateEnumType { def } => {
                write!(
                    f,
                    "create enum type {}",
                    dialect.column_type(SqlType::Enum(def))
                )
            }
            Change::AddEnumValues { def, live } | Change::ChangeEnumType { def, live } => {
                let model = match def.repr {
                    EnumRepr::Text { values, .. } => values.join(", "),
                    EnumRepr::Int { .. } => String::new(),
                };
                write!(
                    f,
                    "values of enum type {}: {} in the database, {model} in the model",
                    dialect.column_type(SqlType::Enum(def)),
                    live.join(", ")
                )
            }
            Change::ChangeEnumValues {
                table: _,
                column,
                live,
            } => write!(
                f,
                "values of enum column {}: {} in the database, {} in the model",
                column.name,
                live.as_ref().map_or("any value", |l| l.expr.as_str()),
                dialect.enum_check(column).unwrap_or_default()
            ),
            Change::ChangeComment {
                table,
                column,
                live,
            } => {
                let model = match column {
                    Some(c) => c.comment,
                    None => table.comment,
                };
                match column {
                    Some(c) => write!(f, "comment of column {}", c.name)?,
                    None => write!(f, "table comment")?,
                }
                write!(
                    f,
                    " is {:?} in the database, {:?} in the model",
                    or_none(live.as_deref()),
                    or_none(model)
                )
            }
            Change::UnknownTable { schema, name } => match schema {
                Some(schema) => write!(f, "table {schema}.{name}"),
                None => write!(f, "table {name}"),
            },
            Change::UnknownColumn { column, .. } => write!(
                f,
                "column {} {} {}",
                column.name,
                column.data_type,
                null(column.nullable)
            ),
            Change::UnknownIndex { index, .. } => write!(
                f,
                "{}index {} ({})",
                if index.unique { "unique " } else { "" },
                index.name,
                list(&index.parts.iter().map(|p| &p.column).collect::<Vec<_>>())
            ),
            Change::UnknownConstraint { constraint, .. } => match constraint {
                LiveConstraint::Unique(key) => write!(
                    f,
                    "unique constraint {}({})",
                    key.name
                        .as_deref()
                        .map_or(String::new(), |n| format!("{n} ")),
                    list(&key.columns)
                ),
                LiveConstraint::ForeignKey(fk) => write!(
                    f,
                    "foreign key {}({}) -> {} ({})",
                    fk.name
                        .as_deref()
                        .map_or(String::new(), |n| format!("{n} ")),
                    list(&fk.columns),
                    fk.ref_table,
                    list(&fk.ref_columns)
                ),
                LiveConstraint::Check(check) => write!(
                    f,
                    "check {}({})",
                    check
                        .name
                        .as_deref()
                        .map_or(String::new(), |n| format!("{n} ")),
                    check.expr
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests;
