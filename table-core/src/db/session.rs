//! The locked sequence every backend runs the same way: take the lock and read the catalog
//! under it, run the DDL in batches, then release, or abort on any failure. And the raw I/O
//! the backends' files delegate to, written once for every sqlx database.

use std::time::Duration;

use futures_util::StreamExt;
use sqlx::{AssertSqlSafe, Row as _};

use super::Backend;
use super::catalog::{Answers, Catalog, LockState, Row};
use super::target::Conn;
use crate::dialect::{Statement, script};
use crate::error::Error;

/// Runs raw SQL and returns its `(tag, schema, value)` rows.
pub(super) async fn fetch_rows<DB>(
    conn: &mut <DB as sqlx::Database>::Connection,
    sql: String,
) -> Result<Vec<Row>, sqlx::Error>
where
    DB: sqlx::Database,
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<<DB as sqlx::Database>::Row>,
{
    let rows = sqlx::raw_sql(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    // Only our own three-column rows: a PRAGMA that sets a value answers with a row of its own.
    rows.iter()
        .filter(|row| row.len() == 3)
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .collect()
}

/// Runs a batch of statements; on error, also says how many completed before it.
pub(super) async fn execute_batch<DB>(
    conn: &mut <DB as sqlx::Database>::Connection,
    sql: String,
) -> Result<(), (usize, sqlx::Error)>
where
    DB: sqlx::Database,
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
{
    let mut results = sqlx::raw_sql(AssertSqlSafe(sql)).execute_many(&mut *conn);
    let mut done = 0;
    while let Some(result) = results.next().await {
        match result {
            Ok(_) => done += 1,
            Err(e) => return Err((done, e)),
        }
    }
    Ok(())
}

/// Runs raw SQL, ignoring any rows.
pub(super) async fn execute<DB>(
    conn: &mut <DB as sqlx::Database>::Connection,
    sql: String,
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A database error, with the statement and table it came from.
pub(crate) fn db_error(statement: &str, table: &str, source: sqlx::Error) -> Error {
    Error::Database {
        table: table.to_owned(),
        statement: statement.to_owned(),
        source: source.into(),
    }
}

/// Reads the catalog on `conn`, without a lock: the whole of a warm start-up.
pub(crate) async fn read_catalog<DB: Backend>(
    conn: &mut <DB as sqlx::Database>::Connection,
    sql: &str,
) -> Result<Catalog, Error> {
    let rows = DB::fetch_rows(conn, sql.to_owned())
        .await
        .map_err(|e| db_error(sql, "", e))?;
    Ok(Answers::from_rows(rows).catalog)
}

/// A connection in the middle of a locked sequence. If a pooled connection is dropped
/// before [`Locked::finish`] (an error, or the future cancelled), it is closed rather than
/// returned to the pool, so the server rolls back and releases the lock. Inside the
/// caller's transaction the sequence is a savepoint of it, and ends with the savepoint.
pub(crate) struct Locked<'c, DB: Backend> {
    conn: Conn<'c, DB>,
    lock: LockState,
    done: bool,
}

impl<'c, DB: Backend> Locked<'c, DB> {
    /// Takes the schema lock on `conn` and reads the catalog under it.
    pub(crate) async fn take(
        conn: Conn<'c, DB>,
        catalog_sql: &str,
        lock_timeout: Duration,
        round_trips: &mut usize,
    ) -> Result<(Locked<'c, DB>, Catalog), Error> {
        let dialect = DB::DIALECT;
        let in_transaction = conn.in_transaction();
        let sql = DB::lock(lock_timeout, catalog_sql, in_transaction);
        tracing::debug!(target: "sqlx_table", sql = %sql, "taking the schema lock");
        // The guard exists before the first await: a future dropped while it waits for the
        // lock must close this connection, not pool it inside `BEGIN IMMEDIATE` or holding a
        // lock that is granted after the caller gave up.
        let mut locked = Locked {
            conn,
            lock: LockState {
                in_transaction,
                ..LockState::default()
            },
            done: false,
        };
        *round_trips += 1;
        let result = DB::fetch_rows(locked.conn.raw(), sql.clone()).await;
        let answers = match result {
            Ok(rows) => Answers::from_rows(rows),
            Err(e) if DB::is_lock_timeout(&e) => {
                locked.abort().await;
                return Err(Error::LockTimeout {
                    dialect: dialect.name(),
                    timeout: lock_timeout,
                });
            }
            Err(e) => {
                locked.abort().await;
                return Err(db_error(&sql, "", e));
            }
        };
        locked.lock = LockState {
            in_transaction,
            ..answers.lock
        };
        if let Some(why) = locked.lock.read_only.clone() {
            // Before any DDL: the server would refuse each statement with a message that
            // names the statement, not the server.
            locked.abort().await;
            return Err(Error::ReadOnly {
                dialect: dialect.name(),
                why,
            });
        }
        if locked.lock.refused {
            // Not held, but the session's settings changed for it are put back (MySQL).
            locked.abort().await;
            return Err(Error::LockTimeout {
                dialect: dialect.name(),
                timeout: lock_timeout,
            });
        }
        Ok((locked, answers.catalog))
    }

    /// Reads the live schema of the default schema and `schemas` on the locked connection:
    /// what `migrate` plans from under the lock. On failure the sequence is aborted.
    pub(crate) async fn read_live(
        &mut self,
        schemas: &[&str],
        round_trips: &mut usize,
    ) -> Result<crate::live::LiveSchema, Error> {
        *round_trips += 1;
        match DB::read_live(self.conn.raw(), schemas).await {
            Ok(live) => Ok(live),
            Err(e) => {
                self.abort().await;
                Err(db_error("(read the live schema under the lock)", "", e))
            }
        }
    }

    /// Commits (or releases the lock) and returns the connection to the pool.
    pub(crate) async fn finish(mut self, round_trips: &mut usize) -> Result<(), Error> {
        let sql = DB::unlock(&self.lock);
        *round_trips += 1;
        let result = DB::execute(self.conn.raw(), sql.clone()).await;
        self.done = result.is_ok();
        result.map_err(|e| db_error(&sql, "", e))
    }

    /// Best-effort rollback (or release) after a failure; the connection is closed if even
    /// that fails.
    async fn abort(&mut self) {
        let sql = DB::abort(&self.lock);
        self.done = DB::execute(self.conn.raw(), sql).await.is_ok();
    }

    /// Runs the statements inside the open transaction (PostgreSQL, SQLite) or under the
    /// session lock (MySQL, where each DDL statement commits on its own). Where one
    /// transaction can't take the locks of them all (PostgreSQL's lock budget), they are
    /// split into several, at table boundaries, in order; a failure then leaves the earlier
    /// transactions committed, and the error ([`Error::Partial`]) names their tables.
    ///
    /// Returns the tables whose `CREATE TABLE` found the table already there: on a Galera
    /// node ([`LockState::cluster`]) only, where another node's process may have created
    /// it after this one read the catalog (see [`Locked::run_on_cluster`]). Empty elsewhere.
    pub(crate) async fn run(
        &mut self,
        statements: &[Statement],
        round_trips: &mut usize,
    ) -> Result<Vec<String>, Error> {
        for statement in statements {
            tracing::debug!(target: "sqlx_table", table = %statement.table, sql = %statement.sql, "executing");
        }
        if self.lock.cluster {
            return self.run_on_cluster(statements, round_trips).await;
        }
        let budget = self
            .lock
            .lock_budget
            .filter(|_| DB::next_transaction(false).is_some());
        let groups = transactions(statements, budget);
        if groups.len() > 1 && self.lock.in_transaction {
            // The caller's transaction can't be split: refuse before any DDL.
            self.abort().await;
            return Err(Error::TooLargeForTransaction {
                locks: statements.iter().map(locks_taken).sum(),
                budget: budget.unwrap_or_default(),
            });
        }
        let mut committed: Vec<String> = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            let partial = |committed: &[String], error: Error| {
                if committed.is_empty() {
                    error
                } else {
                    Error::Partial {
                        committed: committed.to_vec(),
                        source: Box::new(error),
                    }
                }
            };
            if i > 0 {
                let Some(sql) = DB::next_transaction(i == 1) else {
                    unreachable!("split only where the backend has a next transaction")
                };
                self.lock.split = true;
                *round_trips += 1;
                if let Err(e) = DB::execute(self.conn.raw(), sql.clone()).await {
                    self.abort().await;
                    return Err(partial(&committed, db_error(&sql, "", e)));
                }
                committed.extend(created_tables(groups[i - 1]));
                tracing::info!(target: "sqlx_table", tables = committed.len(), "committed a part of a schema too large for one transaction");
            }
            if let Err(e) = self.run_batches(group, round_trips).await {
                return Err(partial(&committed, e));
            }
        }
        Ok(Vec::new())
    }

    /// The statements on a node of a cluster whose lock holds on that node only: the lock
    /// keeps this node's processes in turn, but a process on another node may run the same
    /// statements at the same time. Each statement is written idempotently
    /// ([`Sealed::idempotent`](super::sealed::Sealed::idempotent)) and the cluster runs
    /// its DDL in one order on every node, so whichever comes second does nothing, and its
    /// warning says so. One request per statement, so that each one's warning is its own.
    async fn run_on_cluster(
        &mut self,
        statements: &[Statement],
        round_trips: &mut usize,
    ) -> Result<Vec<String>, Error> {
        let mut already = Vec::new();
        for statement in statements {
            let Some(sql) = DB::idempotent(statement) else {
                unreachable!("only a backend with clusters says it is on one")
            };
            *round_trips += 1;
            match DB::fetch_rows(self.conn.raw(), sql).await {
                Ok(rows) => {
                    if Answers::from_rows(rows).warnings > 0
                        && statement.sql.starts_with("CREATE TABLE")
                    {
                        tracing::info!(target: "sqlx_table", table = %statement.table, "another node of the cluster created the table first");
                        already.push(statement.table.clone());
                    }
                }
                Err(e) => {
                    self.abort().await;
                    return Err(db_error(&statement.sql, &statement.table, e));
                }
            }
        }
        Ok(already)
    }

    /// Runs statements in batches of at most [`MAX_BATCH_BYTES`], one round trip each. The
    /// database answers each statement in turn, so the number of answers before an error
    /// tells which statement failed. On failure the sequence is aborted.
    async fn run_batches(
        &mut self,
        statements: &[Statement],
        round_trips: &mut usize,
    ) -> Result<(), Error> {
        let mut start = 0;
        while start < statements.len() {
            let batch = &statements[start..start + batch_len(&statements[start..])];
            *round_trips += 1;
            if let Err((done, error)) = DB::execute_batch(self.conn.raw(), script(batch)).await {
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

impl<DB: Backend> Drop for Locked<'_, DB> {
    fn drop(&mut self) {
        if !self.done {
            self.conn.close_on_drop();
        }
    }
}

/// About how many locks a statement takes on PostgreSQL, measured there: a `CREATE TABLE`
/// with a key, a text column and a foreign key held 13 with its index and comment (the
/// table, its key's index, its TOAST table and index, the referenced table...).
fn locks_taken(statement: &Statement) -> usize {
    if statement.sql.starts_with("CREATE TABLE") {
        10
    } else if statement.sql.starts_with("CREATE") {
        2
    } else {
        1
    }
}

/// The statements split into transactions of at most `budget` locks, never between two
/// statements of one table (a table without its index would not be completed by a re-run,
/// which creates only missing tables). One transaction when there is no budget.
fn transactions(statements: &[Statement], budget: Option<usize>) -> Vec<&[Statement]> {
    let Some(budget) = budget else {
        return vec![statements];
    };
    let mut groups = Vec::new();
    let (mut start, mut used, mut i) = (0, 0, 0);
    while i < statements.len() {
        let table = &statements[i].table;
        let end = i + statements[i..]
            .iter()
            .take_while(|s| &s.table == table)
            .count();
        let cost: usize = statements[i..end].iter().map(locks_taken).sum();
        if used + cost > budget && i > start {
            groups.push(&statements[start..i]);
            (start, used) = (i, 0);
        }
        used += cost;
        i = end;
    }
    if start < statements.len() || groups.is_empty() {
        groups.push(&statements[start..]);
    }
    groups
}

/// The tables a group of statements creates, in order.
fn created_tables(statements: &[Statement]) -> impl Iterator<Item = String> + '_ {
    statements
        .iter()
        .filter(|s| s.sql.starts_with("CREATE TABLE"))
        .map(|s| s.table.clone())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(len: usize) -> Statement {
        Statement {
            table: String::new(),
            sql: "x".repeat(len),
        }
    }

    fn table_statement(table: &str, sql: &str) -> Statement {
        Statement {
            table: table.to_owned(),
            sql: sql.to_owned(),
        }
    }

    #[test]
    fn transactions_fit_the_lock_budget_and_keep_a_tables_statements_together() {
        let statements: Vec<_> = (0..5)
            .flat_map(|i| {
                let t = format!("t{i}");
                [
                    table_statement(&t, "CREATE TABLE t"),
                    table_statement(&t, "CREATE INDEX ix"),
                ]
            })
            .collect();
        assert_eq!(transactions(&statements, None).len(), 1);
        // 12 locks a table: two tables fit in 25.
        let groups = transactions(&statements, Some(25));
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [4, 4, 2]
        );
        assert_eq!(created_tables(groups[1]).collect::<Vec<_>>(), ["t2", "t3"]);
        // A table that alone exceeds the budget still gets a transaction of its own.
        assert_eq!(transactions(&statements, Some(1)).len(), 5);
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
