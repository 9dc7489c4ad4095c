//! `create_all` and `drop_all`: one algorithm for every backend.

use std::time::Duration;

use sqlx::Pool;
use sqlx::pool::PoolConnection;

use crate::backend::{self, Backend, Catalog, Fact};
use crate::dialect::{Dialect, Statement, script};
use crate::error::Error;
use crate::naming;
use crate::schema::Schema;

/// Settings of [`Schema::create_all_with`] and [`Schema::drop_all_with`].
///
/// ```no_run
/// # async fn run(pool: sqlx::SqlitePool) -> Result<(), sqlx_table::Error> {
/// use std::time::Duration;
///
/// let options = sqlx_table::Options::default().lock_timeout(Duration::from_secs(5));
/// sqlx_table::Schema::registered()?.create_all_with(&pool, &options).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// How long to wait for another process's `create_all` to finish before giving up with
    /// [`Error::LockTimeout`]. Default: 60 seconds.
    pub lock_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
        }
    }
}

impl Options {
    /// Sets [`Options::lock_timeout`].
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }
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
/// yet: [`Schema::registered`] then [`Schema::create_all`].
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let pool = sqlx::SqlitePool::connect("sqlite://app.db?mode=rwc").await?;
/// let report = sqlx_table::create_all(&pool).await?;
/// println!("created {:?}", report.created);
/// # Ok(()) }
/// ```
pub async fn create_all<DB: Backend>(pool: &Pool<DB>) -> Result<CreateReport, Error> {
    Schema::registered()?.create_all(pool).await
}

/// Drops every registered table that exists, in reverse dependency order:
/// [`Schema::registered`] then [`Schema::drop_all`].
///
/// ```no_run
/// # async fn run(pool: sqlx::SqlitePool) -> Result<(), sqlx_table::Error> {
/// let report = sqlx_table::drop_all(&pool).await?;
/// println!("dropped {:?}", report.dropped);
/// # Ok(()) }
/// ```
pub async fn drop_all<DB: Backend>(pool: &Pool<DB>) -> Result<DropReport, Error> {
    Schema::registered()?.drop_all(pool).await
}

/// A database error, with the statement and table it came from.
fn db_error(statement: &str, table: &str, source: sqlx::Error) -> Error {
    Error::Database {
        table: table.to_owned(),
        statement: statement.to_owned(),
        source,
    }
}

/// A pooled connection in the middle of a locked sequence. If it is dropped before
/// [`Locked::finish`] (an error, or the future cancelled), the connection is closed rather
/// than returned to the pool, so the server rolls back and releases the lock.
struct Locked<DB: Backend> {
    conn: PoolConnection<DB>,
    facts: Vec<Fact>,
    done: bool,
}

impl<DB: Backend> Locked<DB> {
    /// Takes the schema lock on `conn` and reads the catalog under it.
    async fn take(
        mut conn: PoolConnection<DB>,
        catalog_sql: &str,
        options: &Options,
        round_trips: &mut usize,
    ) -> Result<(Locked<DB>, Catalog), Error> {
        let dialect = DB::DIALECT;
        let sql = backend::lock_and_catalog(dialect, options.lock_timeout, catalog_sql);
        tracing::debug!(target: "sqlx_table", sql = %sql, "taking the schema lock");
        *round_trips += 1;
        let result = DB::fetch_facts(&mut conn, sql.clone()).await;
        let mut locked = Locked {
            conn,
            facts: Vec::new(),
            done: false,
        };
        let facts = match result {
            Ok(facts) => facts,
            Err(e) if backend::is_lock_timeout(dialect, &e) => {
                locked.abort().await;
                return Err(Error::LockTimeout {
                    dialect: dialect.name(),
                    timeout: options.lock_timeout,
                });
            }
            Err(e) => {
                locked.abort().await;
                return Err(db_error(&sql, "", e));
            }
        };
        locked.facts = facts;
        if !backend::lock_taken(&locked.facts) {
            locked.done = true;
            return Err(Error::LockTimeout {
                dialect: dialect.name(),
                timeout: options.lock_timeout,
            });
        }
        let catalog = Catalog::from_facts(&locked.facts);
        Ok((locked, catalog))
    }

    /// Commits (or releases the lock) and returns the connection to the pool.
    async fn finish(mut self, round_trips: &mut usize) -> Result<(), Error> {
        let sql = backend::unlock(DB::DIALECT, &self.facts);
        *round_trips += 1;
        let result = DB::execute(&mut self.conn, sql.clone()).await;
        self.done = result.is_ok();
        result.map_err(|e| db_error(&sql, "", e))
    }

    /// Best-effort rollback (or release) after a failure; the connection is closed if even
    /// that fails.
    async fn abort(&mut self) {
        let sql = backend::abort(DB::DIALECT, &self.facts);
        self.done = DB::execute(&mut self.conn, sql).await.is_ok();
    }

    /// Runs the statements as one batch, one round trip, inside the open transaction
    /// (PostgreSQL, SQLite) or under the session lock (MySQL, where each DDL statement commits
    /// on its own). The database answers each statement in turn, so the number of answers
    /// before an error tells which statement failed. On failure the sequence is aborted.
    async fn run(
        &mut self,
        statements: &[Statement],
        round_trips: &mut usize,
    ) -> Result<(), Error> {
        for statement in statements {
            tracing::debug!(target: "sqlx_table", table = %statement.table, sql = %statement.sql, "executing");
        }
        let mut start = 0;
        while start < statements.len() {
            let batch = &statements[start..start + batch_len(&statements[start..])];
            *round_trips += 1;
            if let Err((done, error)) = DB::execute_batch(&mut self.conn, script(batch)).await {
                self.abort().await;
                return Err(match batch.get(done) {
                    Some(failed) => db_error(&failed.sql, &failed.table, error),
                    None => db_error("(batch of DDL statements)", "", error),
                });
            }
            start += batch.len();
        }
        Ok(())
    }
}

/// The most SQL sent in one request: well under MySQL's default `max_allowed_packet` (16 MiB
/// on MariaDB, 64 MiB on MySQL 8), and large enough that only schemas of thousands of tables
/// need a second request.
const MAX_BATCH_BYTES: usize = 4 << 20;

/// How many of `statements` go in the next batch: as many as fit in [`MAX_BATCH_BYTES`], and
/// at least one.
fn batch_len(statements: &[Statement]) -> usize {
    let mut bytes = 0;
    statements
        .iter()
        .take_while(|s| {
            bytes += s.sql.len() + 2;
            bytes <= MAX_BATCH_BYTES
        })
        .count()
        .max(1)
}

impl<DB: Backend> Drop for Locked<DB> {
    fn drop(&mut self) {
        if !self.done {
            self.conn.close_on_drop();
        }
    }
}

async fn acquire<DB: Backend>(pool: &Pool<DB>) -> Result<PoolConnection<DB>, Error> {
    pool.acquire()
        .await
        .map_err(|e| db_error("(acquire a connection from the pool)", "", e))
}

impl Schema {
    /// Creates every table of this schema that doesn't exist yet, with default [`Options`].
    ///
    /// 1. Checks the schema against the backend's dialect; an invalid schema runs no SQL.
    /// 2. Lists the existing tables with one catalog query. If every table exists, that
    ///    query is all it sends: no lock, no transaction.
    /// 3. Otherwise takes the schema lock (PostgreSQL: an advisory transaction lock; MySQL:
    ///    `GET_LOCK`; SQLite: `BEGIN IMMEDIATE`) on one connection, lists the tables again
    ///    under it, and creates what is still missing, in foreign-key order. On PostgreSQL and
    ///    SQLite that is one transaction: all of the new tables, or none.
    ///
    /// It never drops, alters or rewrites a table that exists.
    pub async fn create_all<DB: Backend>(&self, pool: &Pool<DB>) -> Result<CreateReport, Error> {
        self.create_all_with(pool, &Options::default()).await
    }

    /// [`Schema::create_all`] with the given [`Options`].
    pub async fn create_all_with<DB: Backend>(
        &self,
        pool: &Pool<DB>,
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
        let catalog_sql = backend::catalog_query(dialect, self);
        let mut conn = acquire(pool).await?;
        report.round_trips += 1;
        let facts = DB::fetch_facts(&mut conn, catalog_sql.clone())
            .await
            .map_err(|e| db_error(&catalog_sql, "", e))?;
        if self
            .missing(dialect, &Catalog::from_facts(&facts))
            .is_none()
        {
            report.existing = self.tables().map(|t| t.qualified_name()).collect();
            return Ok(report);
        }

        let (mut locked, catalog) =
            Locked::take(conn, &catalog_sql, options, &mut report.round_trips).await?;
        let statements = self.missing(dialect, &catalog).unwrap_or_default();
        if !statements.is_empty() {
            locked.run(&statements, &mut report.round_trips).await?;
        }
        locked.finish(&mut report.round_trips).await?;
        for table in self.tables() {
            let name = table.qualified_name();
            if catalog.has_table(table) {
                report.existing.push(name);
            } else {
                report.created.push(name);
            }
        }
        report.statements = statements;
        for name in &report.created {
            tracing::info!(target: "sqlx_table", table = %name, "created table");
        }
        Ok(report)
    }

    /// The statements that create what the catalog lacks, or `None` if it lacks nothing.
    fn missing(&self, dialect: Dialect, catalog: &Catalog) -> Option<Vec<Statement>> {
        let missing_tables = self.tables().any(|t| !catalog.has_table(t));
        let defer = dialect.defers_cyclic_foreign_keys();
        let missing_fks = defer
            && self
                .deferred_foreign_keys()
                .any(|(t, fk)| !catalog.has_foreign_key(t, &naming::foreign_key_name(t, fk)));
        if !missing_tables && !missing_fks {
            return None;
        }
        let mut statements =
            self.create_statements_unchecked(dialect, |t| !catalog.has_table(t), false);
        if defer {
            // Including those of a cycle whose tables exist but whose foreign key doesn't:
            // what a MySQL create_all that died half-way leaves.
            for (table, fk) in self.deferred_foreign_keys() {
                if !catalog.has_foreign_key(table, &naming::foreign_key_name(table, fk)) {
                    statements.push(dialect.add_foreign_key(table, fk));
                }
            }
        }
        Some(statements)
    }

    /// Drops every table of this schema that exists, in reverse dependency order, with
    /// default [`Options`]. Takes the same lock as `create_all`; one transaction on
    /// PostgreSQL and SQLite.
    pub async fn drop_all<DB: Backend>(&self, pool: &Pool<DB>) -> Result<DropReport, Error> {
        self.drop_all_with(pool, &Options::default()).await
    }

    /// [`Schema::drop_all`] with the given [`Options`].
    pub async fn drop_all_with<DB: Backend>(
        &self,
        pool: &Pool<DB>,
        options: &Options,
    ) -> Result<DropReport, Error> {
        let dialect = DB::DIALECT;
        let mut report = DropReport::default();
        if self.is_empty() {
            return Ok(report);
        }
        let catalog_sql = backend::catalog_query(dialect, self);
        let conn = acquire(pool).await?;
        let (mut locked, catalog) =
            Locked::take(conn, &catalog_sql, options, &mut report.round_trips).await?;
        let mut statements = Vec::new();
        if dialect == Dialect::Sqlite {
            // A cycle's foreign keys are checked at COMMIT, when all of its tables are gone.
            statements.push(Statement {
                table: String::new(),
                sql: "PRAGMA defer_foreign_keys = ON".to_owned(),
            });
        } else {
            for (table, fk) in self.deferred_foreign_keys() {
                if catalog.has_foreign_key(table, &naming::foreign_key_name(table, fk)) {
                    statements.push(dialect.drop_foreign_key(table, fk));
                }
            }
        }
        for table in self.tables().rev().filter(|t| catalog.has_table(t)) {
            report.dropped.push(table.qualified_name());
            statements.push(dialect.drop_table(table));
        }
        if !report.dropped.is_empty() {
            locked.run(&statements, &mut report.round_trips).await?;
        }
        locked.finish(&mut report.round_trips).await?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(len: usize) -> Statement {
        Statement {
            table: String::new(),
            sql: "x".repeat(len),
        }
    }

    #[test]
    fn batches_stay_under_the_packet_limit_and_take_at_least_one_statement() {
        let small: Vec<_> = (0..10).map(|_| statement(100)).collect();
        assert_eq!(batch_len(&small), 10);
        let half = MAX_BATCH_BYTES / 2;
        let big = [statement(half), statement(half), statement(10)];
        assert_eq!(batch_len(&big), 1);
        assert_eq!(batch_len(&[statement(MAX_BATCH_BYTES * 2)]), 1);
    }
}
