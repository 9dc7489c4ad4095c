//! SQLite: `BEGIN IMMEDIATE` as the lock, `busy_timeout` as its wait, and a catalog query
//! over each attached database's `sqlite_schema`.

use std::fmt::Write as _;
use std::future::Future;
use std::time::Duration;

use sqlx::Sqlite;

use super::catalog::{Catalog, LockState, Row, Tag};
use super::{Backend, sealed, session};
use crate::dialect::{Dialect, Statement};
use crate::schema::Models;

const DIALECT: Dialect = Dialect::Sqlite;

#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
impl Backend for Sqlite {
    const DIALECT: Dialect = DIALECT;
}

/// sqlx's default `busy_timeout`, restored when the previous one is unknown.
const DEFAULT_BUSY_TIMEOUT_MS: u64 = 5000;

impl sealed::Sealed for Sqlite {
    fn fetch_rows(
        conn: &mut <Self as sqlx::Database>::Connection,
        sql: String,
    ) -> impl Future<Output = Result<Vec<Row>, sqlx::Error>> + Send + '_ {
        session::fetch_rows::<Self>(conn, sql)
    }

    fn execute_batch(
        conn: &mut <Self as sqlx::Database>::Connection,
        sql: String,
    ) -> impl Future<Output = Result<(), (usize, sqlx::Error)>> + Send + '_ {
        session::execute_batch::<Self>(conn, sql)
    }

    fn execute(
        conn: &mut <Self as sqlx::Database>::Connection,
        sql: String,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send + '_ {
        session::execute::<Self>(conn, sql)
    }

    fn read_live<'c>(
        conn: &'c mut <Self as sqlx::Database>::Connection,
        schemas: &'c [&'c str],
    ) -> impl Future<Output = Result<crate::live::LiveSchema, sqlx::Error>> + Send + 'c {
        crate::live::sqlite::read(conn, schemas)
    }

    /// The table names come as one JSON array per database (`json_group_array`): a row per
    /// table costs a message between sqlx's worker thread and the caller, 2–3× a bare
    /// listing of names at 1000 tables (BENCHMARKS.md). SQLite keeps cyclic foreign keys
    /// inline, so there is nothing else to look up.
    /// The column names, when asked, are one JSON object per database too.
    fn catalog_query(schema: &Models, columns: bool) -> String {
        // SQLite compares names without case, even quoted ones.
        let mut sql = format!(
            "SELECT '{}', 'main', '' UNION ALL SELECT '{}', '', '1'",
            Tag::DefaultSchema.sql(),
            Tag::IgnoreCase.sql()
        );
        for name in std::iter::once("main").chain(super::named_schemas(schema)) {
            let _ = write!(
                sql,
                " UNION ALL SELECT '{tables}', {}, json_group_array(name) FROM {}.sqlite_schema WHERE type = 'table'",
                DIALECT.string_literal(name),
                DIALECT.quote(name),
                tables = Tag::Tables.sql(),
            );
            if columns {
                let _ = write!(
                    sql,
                    " UNION ALL SELECT '{tag}', {name}, json_group_object(t, json(c)) FROM \
                     (SELECT m.name AS t, json_group_array(p.name) AS c \
                     FROM {schema}.sqlite_schema m, pragma_table_info(m.name, {name}) p \
                     WHERE m.type = 'table' GROUP BY m.name)",
                    tag = Tag::Columns.sql(),
                    name = DIALECT.string_literal(name),
                    schema = DIALECT.quote(name),
                );
            }
        }
        sql
    }

    /// Views and indexes share the tables' namespace.
    fn others_query(schema: &Models) -> String {
        let mut sql = String::new();
        for name in std::iter::once("main").chain(super::named_schemas(schema)) {
            let _ = write!(
                sql,
                " UNION ALL SELECT '{others}', {}, json_group_array(json_array(name, type)) \
                 FROM {}.sqlite_schema WHERE type IN ('view', 'index')",
                DIALECT.string_literal(name),
                DIALECT.quote(name),
                others = Tag::Others.sql(),
            );
        }
        sql
    }

    /// Writers queue on the database lock for up to busy_timeout, then fail with BUSY; the
    /// connection's own timeout is read first, to be restored.
    /// Inside the caller's transaction, a savepoint of it: its write lock is ours, taken
    /// at its `BEGIN IMMEDIATE` or at our first write.
    fn lock(timeout: Duration, catalog: &str, in_transaction: bool) -> String {
        let begin = if in_transaction {
            format!("SAVEPOINT {}", super::SAVEPOINT)
        } else {
            "BEGIN IMMEDIATE".to_owned()
        };
        format!(
            "SELECT '{busy}', '', CAST(timeout AS TEXT) FROM pragma_busy_timeout(); \
             PRAGMA busy_timeout = {millis}; {begin}; {catalog}",
            busy = Tag::BusyTimeout.sql(),
            millis = timeout.as_millis().max(1),
        )
    }

    fn next_transaction(_: bool) -> Option<String> {
        None
    }

    fn unlock(lock: &LockState) -> String {
        let end = if lock.in_transaction {
            format!("RELEASE SAVEPOINT {}", super::SAVEPOINT)
        } else {
            "COMMIT".to_owned()
        };
        format!(
            "{end}; PRAGMA busy_timeout = {}",
            lock.previous_busy_timeout
                .unwrap_or(DEFAULT_BUSY_TIMEOUT_MS)
        )
    }

    fn abort(lock: &LockState) -> String {
        let end = if lock.in_transaction {
            format!(
                "ROLLBACK TO SAVEPOINT {0}; RELEASE SAVEPOINT {0}",
                super::SAVEPOINT
            )
        } else {
            "ROLLBACK".to_owned()
        };
        format!(
            "{end}; PRAGMA busy_timeout = {}",
            lock.previous_busy_timeout
                .unwrap_or(DEFAULT_BUSY_TIMEOUT_MS)
        )
    }

    /// `main` always exists.
    /// One server: its lock is the whole database's.
    fn idempotent(_: &Statement) -> Option<String> {
        None
    }

    fn no_default_schema(_: &str) -> String {
        String::new()
    }

    /// The catalog query reads `x.sqlite_schema` for each schema `x` of the models: SQLite
    /// answers "no such table: x.sqlite_schema" when no database `x` is attached.
    fn unattached_schema(error: &sqlx::Error) -> Option<String> {
        let message = error.as_database_error()?.message();
        let name = message
            .strip_prefix("no such table: ")?
            .strip_suffix(".sqlite_schema")?;
        Some(name.to_owned())
    }

    fn is_lock_timeout(error: &sqlx::Error) -> bool {
        // SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT
        error
            .as_database_error()
            .is_some_and(|db| matches!(db.code().as_deref(), Some("5") | Some("517")))
    }

    /// A cycle's foreign keys are checked at COMMIT, when all of its tables are gone.
    fn open_cycles(_: &Models, _: &Catalog) -> Vec<Statement> {
        vec![Statement {
            table: String::new(),
            sql: "PRAGMA defer_foreign_keys = ON".to_owned(),
        }]
    }
}
