//! PostgreSQL: an advisory transaction lock, transactional DDL, and a catalog query over
//! `pg_class` and `pg_constraint`.

use std::fmt::Write as _;
use std::future::Future;
use std::time::Duration;

use sqlx::Postgres;

use super::catalog::{Catalog, LockState, Row, Tag};
use super::{Backend, sealed, session};
use crate::dialect::{Dialect, Statement};
use crate::naming;
use crate::schema::Models;

const DIALECT: Dialect = Dialect::Postgres;

#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
impl Backend for Postgres {
    const DIALECT: Dialect = DIALECT;
}

/// The key of the advisory lock: a stable hash of a fixed name. Advisory locks are per
/// database, so one key serves every database of a cluster.
fn advisory_key() -> i64 {
    naming::fnv1a(b"table::create_all") as i64
}

impl sealed::Sealed for Postgres {
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
        crate::live::postgres::read(conn, schemas)
    }

    /// The table names come as one JSON array per schema (`json_agg`), not a row per table:
    /// a warm start-up is this query alone, and sqlx's per-row cost made a row per table
    /// 2–3× slower than a bare listing of names at 1000 tables (BENCHMARKS.md).
    /// The column names, when asked, are one JSON object per schema too.
    fn catalog_query(schema: &Models, columns: bool) -> String {
        let in_schemas =
            super::literal_list(DIALECT, "current_schema()", &super::named_schemas(schema));
        let mut sql = format!(
            "SELECT '{default}'::text, COALESCE(current_schema()::text, ''), current_setting('search_path') \
             UNION ALL SELECT '{tables}', n.nspname::text, json_agg(c.relname)::text \
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname IN ({in_schemas}) GROUP BY n.nspname",
            default = Tag::DefaultSchema.sql(),
            tables = Tag::Tables.sql(),
        );
        if columns {
            let _ = write!(
                sql,
                " UNION ALL SELECT '{tag}', n.nspname::text, json_object_agg(c.relname, \
                 (SELECT json_agg(a.attname) FROM pg_catalog.pg_attribute a \
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))::text \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p') AND n.nspname IN ({in_schemas}) GROUP BY n.nspname",
                tag = Tag::Columns.sql(),
            );
        }
        let fk_names = super::deferred_fk_names(schema);
        if !fk_names.is_empty() {
            let _ = write!(
                sql,
                " UNION ALL SELECT '{fk}', n.nspname::text, k.conname::text \
                 FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace \
                 WHERE k.contype = 'f' AND n.nspname IN ({in_schemas}) AND k.conname IN ({})",
                super::literal_list(DIALECT, "''", &fk_names),
                fk = Tag::ForeignKey.sql(),
            );
        }
        sql
    }

    /// Views, materialized views, sequences, indexes, composite types: every relation kind
    /// but tables (ordinary, partitioned, foreign), which share the tables' namespace.
    fn others_query(schema: &Models) -> String {
        let in_schemas =
            super::literal_list(DIALECT, "current_schema()", &super::named_schemas(schema));
        format!(
            " UNION ALL SELECT '{others}', n.nspname::text, \
             json_agg(json_build_array(c.relname, CASE c.relkind WHEN 'v' THEN 'view' \
             WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' \
             WHEN 'I' THEN 'index' WHEN 'c' THEN 'composite type' ELSE c.relkind::text END))::text \
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind NOT IN ('r', 'p', 'f', 't') AND n.nspname IN ({in_schemas}) GROUP BY n.nspname",
            others = Tag::Others.sql(),
        )
    }

    /// READ COMMITTED so that the catalog query, a later statement, sees the tables that
    /// the previous lock holder committed, whatever the server's default isolation.
    ///
    /// A hot standby takes advisory locks too, and answers `read_only` with why it can't
    /// write, so that no DDL is sent to it.
    ///
    /// The lock budget: every lock of the server lives in one shared table of
    /// `max_locks_per_transaction × (max_connections + max_prepared_transactions)` slots
    /// (6,400 by default), and creating a table takes about ten. A transaction of ours takes
    /// at most a quarter of them, leaving the rest to the server's other sessions.
    fn lock(timeout: Duration, catalog: &str, in_transaction: bool) -> String {
        // Inside the caller's transaction: a savepoint instead of our own transaction, and
        // the caller's lock_timeout read first, to be put back by `unlock`.
        let begin = if in_transaction {
            format!(
                "SAVEPOINT {savepoint}; SELECT '{previous}'::text, ''::text, current_setting('lock_timeout'); ",
                savepoint = super::SAVEPOINT,
                previous = Tag::LockTimeout.sql(),
            )
        } else {
            "BEGIN ISOLATION LEVEL READ COMMITTED; ".to_owned()
        };
        format!(
            "{begin}SET LOCAL lock_timeout = {millis}; \
             SELECT '{lock}'::text, ''::text, pg_advisory_xact_lock({key})::text \
             UNION ALL SELECT '{read_only}', '', CASE WHEN pg_is_in_recovery() THEN 'hot standby' \
             WHEN current_setting('transaction_read_only') = 'on' THEN 'read-only transaction' \
             ELSE '' END; \
             SELECT '{budget}'::text, ''::text, (current_setting('max_locks_per_transaction')::int8 \
             * (current_setting('max_connections')::int8 + current_setting('max_prepared_transactions')::int8) \
             / 4)::text; {catalog}",
            millis = timeout.as_millis().max(1),
            lock = Tag::Lock.sql(),
            read_only = Tag::ReadOnly.sql(),
            budget = Tag::LockBudget.sql(),
            key = advisory_key()
        )
    }

    /// The transaction-level lock ends with the first commit: a session-level lock on the
    /// same key, taken before it, keeps other processes out until [`unlock`](Self::unlock).
    fn next_transaction(first: bool) -> Option<String> {
        let keep = if first {
            format!("SELECT pg_advisory_lock({}); ", advisory_key())
        } else {
            String::new()
        };
        Some(format!(
            "{keep}COMMIT; BEGIN ISOLATION LEVEL READ COMMITTED"
        ))
    }

    /// Inside the caller's transaction the savepoint is released and its `lock_timeout` put
    /// back; the advisory lock stays until the caller's transaction ends.
    fn unlock(lock: &LockState) -> String {
        if lock.in_transaction {
            let previous = lock.previous_lock_timeout.as_deref().unwrap_or("0");
            format!(
                "SET LOCAL lock_timeout = {}; RELEASE SAVEPOINT {}",
                DIALECT.string_literal(previous),
                super::SAVEPOINT
            )
        } else if lock.split {
            format!("COMMIT; SELECT pg_advisory_unlock({})", advisory_key())
        } else {
            "COMMIT".to_owned()
        }
    }

    /// Inside the caller's transaction, back to the savepoint: the caller's transaction
    /// stays usable, with its own `lock_timeout`.
    fn abort(lock: &LockState) -> String {
        if lock.in_transaction {
            format!(
                "ROLLBACK TO SAVEPOINT {0}; RELEASE SAVEPOINT {0}",
                super::SAVEPOINT
            )
        } else if lock.split {
            format!("ROLLBACK; SELECT pg_advisory_unlock({})", advisory_key())
        } else {
            "ROLLBACK".to_owned()
        }
    }

    /// One server: its lock is the whole database's.
    fn idempotent(_: &Statement) -> Option<String> {
        None
    }

    fn no_default_schema(search_path: &str) -> String {
        format!(
            "search_path is `{search_path}`, which names no schema that exists; create the schema \
             (`CREATE SCHEMA name`), or set search_path to one that exists (in the URL: \
             `?options=-c%20search_path%3Dname`)"
        )
    }

    fn unattached_schema(_: &sqlx::Error) -> Option<String> {
        None
    }

    fn is_lock_timeout(error: &sqlx::Error) -> bool {
        // lock_not_available
        error
            .as_database_error()
            .is_some_and(|db| db.code().as_deref() == Some("55P03"))
    }

    fn open_cycles(schema: &Models, catalog: &Catalog) -> Vec<Statement> {
        super::drop_present_cycle_keys(DIALECT, schema, catalog)
    }
}
