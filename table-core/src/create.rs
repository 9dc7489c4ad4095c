//! `create_all` and `drop_all`: one algorithm for every backend, over [`db`](crate::db).

use std::time::Duration;

use crate::db::Backend;
use crate::db::catalog::Catalog;
use crate::db::session::{self, Locked};
use crate::db::target::{self, Target};
use crate::dialect::{Dialect, Statement, script};
use crate::error::Error;
use crate::naming;
use crate::schema::Models;

/// Settings of [`Models::create_all_with`] and [`Models::drop_all_with`].
///
/// ```no_run
/// # async fn run(pool: sqlx::SqlitePool) -> Result<(), sqlx_table::Error> {
/// use std::time::Duration;
///
/// let options = sqlx_table::Options::default().lock_timeout(Duration::from_secs(5));
/// sqlx_table::Models::registered()?.create_all_with(&pool, &options).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// How long to wait for another process's `create_all` to finish before giving up with
    /// [`Error::LockTimeout`]. Default: 60 seconds.
    pub lock_timeout: Duration,
    /// Whether the catalog query also lists each table's columns, so that `create_all` can
    /// say which columns its models declare that an existing table lacks
    /// ([`CreateReport::missing_columns`], and a `tracing` warning for each). It stays one
    /// query, one round trip, but reading every table's columns costs the warm start far
    /// more than the plain table listing (BENCHMARKS.md, "Warm start with the column
    /// lists"), so it is off by default. [`Models::plan`] and [`Models::check`] say the
    /// same and more, at their own cost. Default: off.
    pub missing_columns: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
            missing_columns: false,
        }
    }
}

impl Options {
    /// Sets [`Options::lock_timeout`].
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// Sets [`Options::missing_columns`].
    pub fn missing_columns(mut self, look: bool) -> Self {
        self.missing_columns = look;
        self
    }
}

/// A column that a model declares and its existing table lacks: `create_all` never alters
/// a table, so it only says so. [`Models::plan`] shows every difference and the statement
/// that adds it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MissingColumn {
    /// The table (`schema.name` or `name`).
    pub table: String,
    /// The column the model declares.
    pub column: String,
}

/// What `create_all` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateReport {
    /// The tables it created, in creation order (`schema.name` or `name`).
    pub created: Vec<String>,
    /// The tables that already existed, untouched.
    pub existing: Vec<String>,
    /// Every statement it ran to create them, in order; empty when nothing was missing.
    pub statements: Vec<Statement>,
    /// How many requests it sent to the database (one when everything existed).
    pub round_trips: usize,
    /// Whether it took the schema lock: false when the first catalog query found nothing
    /// missing.
    pub took_lock: bool,
    /// The columns that models declare and their existing tables lack, in table order.
    /// Empty unless [`Options::missing_columns`] is on.
    pub missing_columns: Vec<MissingColumn>,
}

impl CreateReport {
    /// The statements it ran, as one script.
    pub fn script(&self) -> String {
        script(&self.statements)
    }
}

/// What `drop_all` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DropReport {
    /// The tables it dropped, in drop order.
    pub dropped: Vec<String>,
    /// How many requests it sent to the database.
    pub round_trips: usize,
}

/// Creates every table registered by `#[derive(Table)]` in this binary that doesn't exist
/// yet: [`Models::registered`] then [`Models::create_all`].
///
/// Runs on a pool, a connection or the caller's transaction: see [`Target`].
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = sqlx::SqlitePool::connect("sqlite://app.db?mode=rwc").await?;
/// let report = sqlx_table::create_all(&pool).await?;
/// println!("created {:?}", report.created);
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As [`Models::registered`] and [`Models::create_all`].
pub async fn create_all<T: Target>(target: T) -> Result<CreateReport, Error> {
    Models::registered()?.create_all(target).await
}

/// Drops every registered table that exists, in reverse dependency order:
/// [`Models::registered`] then [`Models::drop_all`].
///
/// ```no_run
/// # async fn run(pool: sqlx::SqlitePool) -> Result<(), sqlx_table::Error> {
/// let report = sqlx_table::drop_all(&pool).await?;
/// println!("dropped {:?}", report.dropped);
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As [`Models::registered`] and [`Models::drop_all`].
pub async fn drop_all<T: Target>(target: T) -> Result<DropReport, Error> {
    Models::registered()?.drop_all(target).await
}

impl Models {
    /// Creates every table of this schema that doesn't exist yet, with default [`Options`].
    ///
    /// 1. Checks the schema against the backend's dialect; an invalid schema runs no SQL.
    /// 2. Lists the existing tables with one catalog query. If every table exists, that
    ///    query is all it sends: no lock, no transaction.
    /// 3. Otherwise takes the schema lock (PostgreSQL: an advisory transaction lock; MySQL:
    ///    `GET_LOCK`; SQLite: `BEGIN IMMEDIATE`) on one connection, lists the tables again
    ///    under it, and creates what is still missing, in foreign-key order. On PostgreSQL and
    ///    SQLite that is one transaction: all of the new tables, or none. On PostgreSQL a
    ///    schema too large for a quarter of the server's lock table is split into several
    ///    transactions, and a failure after the first is [`Error::Partial`].
    ///
    /// It never drops, alters or rewrites a table that exists. It runs on a pool, a
    /// connection or inside the caller's transaction, with the semantics [`Target`] gives
    /// for each backend.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchema`] for models the backend can't hold (before any SQL);
    /// [`Error::Pool`] when no connection could be had; [`Error::ImplicitCommit`] for a
    /// MySQL transaction; [`Error::NoDefaultSchema`], [`Error::NotAttached`] and
    /// [`Error::NameTaken`] for a database that can't take the tables;
    /// [`Error::LockTimeout`] when another process held the lock too long;
    /// [`Error::TooLargeForTransaction`] for a caller's transaction too small for the
    /// schema; [`Error::Database`] (or [`Error::Partial`] after a split) naming the
    /// statement that failed.
    pub async fn create_all<T: Target>(&self, target: T) -> Result<CreateReport, Error> {
        self.create_all_with(target, &Options::default()).await
    }

    /// [`Models::create_all`] with the given [`Options`].
    ///
    /// # Errors
    ///
    /// As [`Models::create_all`].
    pub async fn create_all_with<T: Target>(
        &self,
        target: T,
        options: &Options,
    ) -> Result<CreateReport, Error> {
        self.create_all_on::<T::Database>(target.source().for_writing().await?, options)
            .await
    }

    async fn create_all_on<DB: Backend>(
        &self,
        mut conn: target::Conn<'_, DB>,
        options: &Options,
    ) -> Result<CreateReport, Error> {
        let dialect = DB::DIALECT;
        self.validate_for(dialect)?;
        let mut report = CreateReport::default();
        if self.is_empty() {
            tracing::warn!(
                target: "sqlx_table",
                "create_all: no table is registered. Is the crate holding the models linked? \
                 Add `use my_models as _;` to the binary."
            );
            return Ok(report);
        }
        let catalog_sql = DB::catalog_query(self, options.missing_columns);
        report.round_trips += 1;
        let catalog = match session::read_catalog::<DB>(conn.raw(), &catalog_sql).await {
            Err(Error::Database { source, .. })
                if DB::unattached_schema(source.sqlx()).is_some() =>
            {
                return Err(self.not_attached(DB::unattached_schema(source.sqlx())));
            }
            other => other?,
        };
        if let Some(setting) = catalog.missing_default_schema()
            && self.tables().any(|t| t.schema.is_none())
        {
            return Err(Error::NoDefaultSchema {
                dialect: dialect.name(),
                hint: DB::no_default_schema(setting),
            });
        }
        if self.missing(dialect, &catalog).is_none() {
            report.existing = self.tables().map(|t| t.qualified_name()).collect();
            report.missing_columns = self.missing_columns(dialect, &catalog);
            return Ok(report);
        }

        report.took_lock = true;
        let (mut locked, catalog) = Locked::take(
            conn,
            &(catalog_sql + &DB::others_query(self)),
            options.lock_timeout,
            &mut report.round_trips,
        )
        .await?;
        let taken = self.tables().find_map(|table| {
            let kind = (!catalog.has_table(table)).then(|| catalog.other_object(table))??;
            Some(Error::NameTaken {
                table: table.qualified_name(),
                kind: kind.to_owned(),
            })
        });
        if let Some(error) = taken {
            locked.finish(&mut report.round_trips).await?;
            return Err(error);
        }
        let statements = self.missing(dialect, &catalog).unwrap_or_default();
        // On a Galera node, the tables that another node's process created first.
        let mut already = Vec::new();
        if !statements.is_empty() {
            already = locked.run(&statements, &mut report.round_trips).await?;
        }
        locked.finish(&mut report.round_trips).await?;
        for table in self.tables() {
            let name = table.qualified_name();
            if catalog.has_table(table) || already.contains(&name) {
                report.existing.push(name);
            } else {
                report.created.push(name);
            }
        }
        report.statements = statements;
        for name in &report.created {
            tracing::info!(target: "sqlx_table", table = %name, "created table");
        }
        report.missing_columns = self.missing_columns(dialect, &catalog);
        Ok(report)
    }

    /// [`Error::NotAttached`] for the schema the catalog query found missing.
    fn not_attached(&self, schema: Option<String>) -> Error {
        let schema = schema.unwrap_or_default();
        let table = self
            .tables()
            .find(|t| t.schema == Some(schema.as_str()))
            .map(|t| t.qualified_name())
            .unwrap_or_default();
        Error::NotAttached { schema, table }
    }

    /// The columns that the tables present in `catalog` lack, each also a `tracing` warning.
    /// Empty when the catalog listed no columns.
    fn missing_columns(&self, dialect: Dialect, catalog: &Catalog) -> Vec<MissingColumn> {
        let case_sensitive = dialect.facts().names_case_sensitive;
        let mut missing = Vec::new();
        for table in self.tables() {
            for column in catalog.missing_columns(table, case_sensitive) {
                let name = table.qualified_name();
                tracing::warn!(
                    target: "sqlx_table",
                    table = %name,
                    column,
                    "the table exists without a column its model declares; create_all never \
                     alters a table: `plan` shows the difference and the statement that adds it"
                );
                missing.push(MissingColumn {
                    table: name,
                    column: column.to_owned(),
                });
            }
        }
        missing
    }

    /// The statements that create what the catalog lacks, or `None` if it lacks nothing:
    /// the missing tables, and the cycle-closing foreign keys the catalog lacks, including
    /// those of a cycle whose tables exist (what a MySQL create_all that died half-way
    /// leaves).
    fn missing(&self, dialect: Dialect, catalog: &Catalog) -> Option<Vec<Statement>> {
        let fk_missing = |table: &_, fk: &_| {
            !catalog.has_foreign_key(table, &naming::foreign_key_name(table, fk))
        };
        let missing_tables = self.tables().any(|t| !catalog.has_table(t));
        let missing_fks = dialect.defers_cyclic_foreign_keys()
            && self
                .deferred_foreign_keys()
                .any(|(t, fk)| fk_missing(t, fk));
        if !missing_tables && !missing_fks {
            return None;
        }
        Some(self.create_statements_where(dialect, |t| !catalog.has_table(t), fk_missing))
    }

    /// Drops every table of this schema that exists, in reverse dependency order, with
    /// default [`Options`]. Takes the same lock as `create_all`; one transaction on
    /// PostgreSQL and SQLite (or a savepoint of the caller's: [`Target`]).
    ///
    /// # Errors
    ///
    /// [`Error::Pool`], [`Error::ImplicitCommit`], [`Error::LockTimeout`],
    /// [`Error::TooLargeForTransaction`] and [`Error::Database`], as for
    /// [`Models::create_all`].
    pub async fn drop_all<T: Target>(&self, target: T) -> Result<DropReport, Error> {
        self.drop_all_with(target, &Options::default()).await
    }

    /// [`Models::drop_all`] with the given [`Options`].
    ///
    /// # Errors
    ///
    /// As [`Models::drop_all`].
    pub async fn drop_all_with<T: Target>(
        &self,
        target: T,
        options: &Options,
    ) -> Result<DropReport, Error> {
        let conn = target.source().for_writing().await?;
        self.drop_all_on(conn, options).await
    }

    async fn drop_all_on<DB: Backend>(
        &self,
        conn: target::Conn<'_, DB>,
        options: &Options,
    ) -> Result<DropReport, Error> {
        let dialect = DB::DIALECT;
        let mut report = DropReport::default();
        if self.is_empty() {
            return Ok(report);
        }
        let catalog_sql = DB::catalog_query(self, false);
        let (mut locked, catalog) = Locked::take(
            conn,
            &catalog_sql,
            options.lock_timeout,
            &mut report.round_trips,
        )
        .await?;
        let mut statements = DB::open_cycles(self, &catalog);
        for table in self.tables().rev().filter(|t| catalog.has_table(t)) {
            report.dropped.push(table.qualified_name());
            statements.push(dialect.drop_table(table));
        }
        // The enum types after the tables that use them; `IF EXISTS`, so that a re-run that
        // finds no table still drops a type left behind.
        statements.extend(
            crate::ddl::enum_types(self.tables())
                .into_iter()
                .filter_map(|e| dialect.drop_enum_type(e)),
        );
        if !statements.is_empty() {
            locked.run(&statements, &mut report.round_trips).await?;
        }
        locked.finish(&mut report.round_trips).await?;
        Ok(report)
    }
}
