//! The live database's schema, as its own catalog describes it.
//!
//! This is what `plan` compares the models with. Everything here is read from the
//! database, never from the models, and kept in the database's own spelling: a column's
//! type is `character varying(255)` on PostgreSQL, `varchar(255)` on MySQL and whatever the
//! `CREATE TABLE` said on SQLite. Comparing those spellings with the models' is the job of
//! the plan, not of this module.
//!
//! Read it with [`LiveSchema::read`], or [`Models::inspect`](crate::Models::inspect) for the
//! schemas a set of models uses. Where the backends differ in what they report:
//!
//! - key and constraint names: PostgreSQL's and MariaDB's own (MariaDB's primary key is
//!   always `PRIMARY`); on SQLite only those written as `CONSTRAINT name`, else `None`;
//! - MariaDB has no unique index apart from a unique constraint, so every unique index is
//!   in `uniques`; InnoDB's own index for a foreign key is in `indexes`; a column's CHECK
//!   is named after the column, and a JSON column carries a `json_valid(...)` check;
//! - SQLite's `auto_increment` means `AUTOINCREMENT` (not every `INTEGER PRIMARY KEY`), and
//!   a key column is not `nullable` where SQLite refuses NULL in it (an `INTEGER PRIMARY
//!   KEY`, a `WITHOUT ROWID` table's key) whatever its notnull flag says.

/// Every table of the schemas that a set of models uses, read with a bounded number of
/// catalog queries, whatever the number of tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveSchema {
    /// The connection's default schema: PostgreSQL's `current_schema()`, MySQL's
    /// `DATABASE()`, SQLite's `main`.
    pub default_schema: String,
    /// The tables, sorted by schema and name.
    pub tables: Vec<LiveTable>,
    /// PostgreSQL's enum types in the default schema and the tables' schemas, sorted by
    /// schema and name; empty on the other backends.
    pub enums: Vec<LiveEnum>,
}

/// A PostgreSQL enum type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveEnum {
    /// Its schema.
    pub schema: String,
    /// Its name.
    pub name: String,
    /// Its labels, in their sort order.
    pub labels: Vec<String>,
}

impl LiveSchema {
    /// The table `name` in `schema` (`None`: the default schema).
    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<&LiveTable> {
        let schema = schema.unwrap_or(&self.default_schema);
        self.tables
            .iter()
            .find(|t| t.schema == schema && t.name == name)
    }
}

/// One table as the catalog describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveTable {
    /// The schema (PostgreSQL), database (MySQL) or attached database (SQLite) holding it.
    pub schema: String,
    /// The table's name.
    pub name: String,
    /// The table comment (PostgreSQL, MySQL); `None` when there is none.
    pub comment: Option<String>,
    /// The columns, in their order in the table.
    pub columns: Vec<LiveColumn>,
    /// The primary key, if the table has one.
    pub primary_key: Option<LiveKey>,
    /// Unique constraints (on SQLite: the unique constraints written in `CREATE TABLE`).
    pub uniques: Vec<LiveKey>,
    /// Indexes that are not the own index of the primary key or of a unique constraint.
    pub indexes: Vec<LiveIndex>,
    /// Foreign keys.
    pub foreign_keys: Vec<LiveForeignKey>,
    /// Check constraints.
    pub checks: Vec<LiveCheck>,
}

impl LiveTable {
    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&LiveColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveColumn {
    /// The column's name.
    pub name: String,
    /// The type as the catalog spells it: `format_type()` on PostgreSQL (`integer`,
    /// `character varying(255)`), `COLUMN_TYPE` on MySQL (`int(11)`, `varchar(255)`), the
    /// declared type on SQLite (`INTEGER`, as written).
    pub data_type: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The default as the catalog keeps its text (`'x'::character varying`,
    /// `current_timestamp()`, `'uploading'`), or `None`.
    pub default: Option<String>,
    /// Whether the database numbers new rows: an identity column (PostgreSQL),
    /// `AUTO_INCREMENT` (MySQL), `INTEGER PRIMARY KEY AUTOINCREMENT` (SQLite).
    pub auto_increment: bool,
    /// The column comment (PostgreSQL, MySQL).
    pub comment: Option<String>,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveKey {
    /// The constraint's name; `None` where the catalog keeps none (SQLite).
    pub name: Option<String>,
    /// The columns, in key order.
    pub columns: Vec<String>,
}

/// An index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveIndex {
    /// The index's name.
    pub name: String,
    /// The indexed columns or expressions, in order.
    pub parts: Vec<LiveIndexPart>,
    /// Whether the index is unique.
    pub unique: bool,
    /// The predicate of a partial index (`WHERE ...`), as the catalog writes it.
    pub predicate: Option<String>,
}

/// One column (or expression) of an index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveIndexPart {
    /// The column's name, or the expression's text for an expression index.
    pub column: String,
    /// Whether this part is an expression rather than a plain column.
    pub expression: bool,
    /// Whether the part is sorted in descending order.
    pub descending: bool,
}

/// A foreign key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveForeignKey {
    /// The constraint's name; `None` where the catalog keeps none (SQLite, for a foreign key
    /// written without `CONSTRAINT name`).
    pub name: Option<String>,
    /// The referencing columns of this table.
    pub columns: Vec<String>,
    /// The schema of the referenced table.
    pub ref_schema: String,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns, in the order of `columns`.
    pub ref_columns: Vec<String>,
    /// `ON DELETE`, as SQL (`CASCADE`, `SET NULL`, `NO ACTION`...).
    pub on_delete: String,
    /// `ON UPDATE`, as SQL.
    pub on_update: String,
    /// Whether it is `DEFERRABLE INITIALLY DEFERRED` (PostgreSQL; `false` where the catalog
    /// doesn't say: SQLite's `foreign_key_list` keeps no deferral, MySQL has none).
    pub deferred: bool,
}

/// A check constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveCheck {
    /// The constraint's name; `None` where the catalog keeps none.
    pub name: Option<String>,
    /// The boolean expression, as the catalog writes it.
    pub expr: String,
}

#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_text;

use std::collections::BTreeMap;

use crate::db::Backend;
use crate::db::target::Target;
use crate::dialect::Dialect;
use crate::error::Error;
use crate::schema::Models;

impl LiveSchema {
    /// Reads every table of the connection's default schema and of `schemas` (PostgreSQL
    /// schemas, MySQL databases, attached SQLite databases), with a bounded number of
    /// catalog queries whatever the number of tables. A named schema that doesn't exist
    /// simply holds no tables.
    ///
    /// ```no_run
    /// # async fn run(pool: sqlx::SqlitePool) -> Result<(), sqlx_table::Error> {
    /// use sqlx_table::live::LiveSchema;
    ///
    /// let live = LiveSchema::read(&pool, &[]).await?;
    /// for table in &live.tables {
    ///     println!("{} has {} columns", table.name, table.columns.len());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Pool`] when no connection could be had; [`Error::Database`] naming the
    /// catalog query when it fails.
    pub async fn read<T: Target>(target: T, schemas: &[&str]) -> Result<LiveSchema, Error> {
        let mut conn = target.source().connect().await?;
        read_on::<T::Database>(conn.raw(), schemas).await
    }
}

impl Models {
    /// Reads the live database's tables in every schema these models use: the default one
    /// and each `#[table(schema = "...")]`. See [`LiveSchema::read`].
    ///
    /// # Errors
    ///
    /// As [`LiveSchema::read`].
    pub async fn inspect<T: Target>(&self, target: T) -> Result<LiveSchema, Error> {
        LiveSchema::read(target, &self.named_schemas()).await
    }

    /// The schemas the tables live in besides the connection's default one, sorted.
    pub(crate) fn named_schemas(&self) -> Vec<&'static str> {
        let mut schemas: Vec<&'static str> = self.tables().filter_map(|t| t.schema).collect();
        schemas.sort_unstable();
        schemas.dedup();
        schemas
    }
}

/// Reads the live schema on a connection; a failure names the catalog query.
async fn read_on<DB: Backend>(
    conn: &mut <DB as sqlx::Database>::Connection,
    schemas: &[&str],
) -> Result<LiveSchema, Error> {
    DB::read_live(conn, schemas)
        .await
        .map_err(|source| Error::Database {
            table: String::new(),
            statement: query_text(DB::DIALECT, schemas),
            source: source.into(),
        })
}

/// The catalog query of `dialect`, for the error that names it.
fn query_text(dialect: Dialect, schemas: &[&str]) -> String {
    match dialect {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => postgres::query(schemas),
        #[cfg(feature = "mysql")]
        Dialect::MySql => mysql::query(schemas),
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => sqlite::query(schemas),
        #[allow(unreachable_patterns)]
        _ => {
            let _ = schemas;
            String::new()
        }
    }
}

#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]
/// Decodes one JSON payload of a catalog query: an array of rows, each itself a JSON array
/// that serde maps onto a tuple struct.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

// What the backends share, each using some: builds with one backend's feature leave the
// rest unused.

/// A table's (schema, name).
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) type TableKey = (String, String);
/// An index's or constraint's (schema, table, name).
#[cfg_attr(not(any(feature = "sqlite", feature = "mysql")), allow(dead_code))]
pub(crate) type ObjectKey = (String, String, String);

/// Tables being assembled from the rows of several catalog payloads, keyed by
/// (schema, name) so that the result comes out sorted.
#[derive(Default)]
#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]
pub(crate) struct Tables(BTreeMap<(String, String), LiveTable>);

#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]
impl Tables {
    /// The table, created empty on first mention.
    pub(crate) fn get(&mut self, schema: &str, name: &str) -> &mut LiveTable {
        self.0
            .entry((schema.to_owned(), name.to_owned()))
            .or_insert_with(|| LiveTable {
                schema: schema.to_owned(),
                name: name.to_owned(),
                ..LiveTable::default()
            })
    }

    /// The table if it was listed, for rows that only add to a known table.
    pub(crate) fn existing(&mut self, schema: &str, name: &str) -> Option<&mut LiveTable> {
        self.0.get_mut(&(schema.to_owned(), name.to_owned()))
    }

    /// The finished schema. Constraints and indexes are sorted by name (then columns), so
    /// that two reads of one database compare equal whatever order the catalog used.
    pub(crate) fn finish(self, default_schema: String) -> LiveSchema {
        let tables = self
            .0
            .into_values()
            .map(|mut t| {
                t.uniques
                    .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
                t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
                t.foreign_keys
                    .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
                t.checks
                    .sort_by(|a, b| (&a.name, &a.expr).cmp(&(&b.name, &b.expr)));
                t
            })
            .collect();
        LiveSchema {
            default_schema,
            tables,
            enums: Vec::new(),
        }
    }
}
