//! What differs between the databases at run time: the catalog query and the schema lock.
//!
//! Everything here is SQL text built from a [`Schema`]; [`create`](crate::create) runs it.
//! Every query returns rows of three text columns, `(kind, schema, name)`, so one decoder
//! serves all backends.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use sqlx::{AssertSqlSafe, Row};

use crate::def::TableDef;
use crate::dialect::Dialect;
use crate::naming;
use crate::schema::Schema;

/// A database `create_all` can run on: SQLite, PostgreSQL or MySQL/MariaDB, each behind
/// the cargo feature of that name.
pub trait Backend: sqlx::Database + sealed::Sealed {
    /// How this backend writes DDL.
    const DIALECT: Dialect;

    /// Runs raw SQL (one or more statements) and returns its rows as `(kind, schema, name)`.
    #[doc(hidden)]
    fn fetch_facts(
        conn: &mut <Self as sqlx::Database>::Connection,
        sql: String,
    ) -> impl Future<Output = Result<Vec<Fact>, sqlx::Error>> + Send + '_;

    /// Runs a batch of statements; on error, also says how many statements completed
    /// before the one that failed.
    #[doc(hidden)]
    fn execute_batch(
        conn: &mut <Self as sqlx::Database>::Connection,
        sql: String,
    ) -> impl Future<Output = Result<(), (usize, sqlx::Error)>> + Send + '_;

    /// Runs raw SQL (one or more statements), ignoring any rows.
    #[doc(hidden)]
    fn execute(
        conn: &mut <Self as sqlx::Database>::Connection,
        sql: String,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send + '_;

    /// Reads the live schema of the default schema and `schemas` (see `live`).
    #[doc(hidden)]
    fn read_live<'c>(
        conn: &'c mut <Self as sqlx::Database>::Connection,
        schemas: &'c [&'c str],
    ) -> impl Future<Output = Result<crate::live::LiveSchema, sqlx::Error>> + Send + 'c;
}

mod sealed {
    pub trait Sealed {}
}

/// One row of a catalog or lock query.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub kind: String,
    pub schema: String,
    pub name: String,
}

macro_rules! backend {
    ($feature:literal, $db:ty, $dialect:expr, $live:ident) => {
        #[cfg(feature = $feature)]
        impl sealed::Sealed for $db {}

        #[cfg(feature = $feature)]
        impl Backend for $db {
            const DIALECT: Dialect = $dialect;

            async fn fetch_facts(
                conn: &mut <Self as sqlx::Database>::Connection,
                sql: String,
            ) -> Result<Vec<Fact>, sqlx::Error> {
                let rows = sqlx::raw_sql(AssertSqlSafe(sql))
                    .fetch_all(&mut *conn)
                    .await?;
                // Only our own `(kind, schema, name)` rows: a PRAGMA that sets a value
                // answers with a row of its own.
                rows.iter()
                    .filter(|row| row.len() == 3)
                    .map(|row| {
                        Ok(Fact {
                            kind: row.try_get(0)?,
                            schema: row.try_get(1)?,
                            name: row.try_get(2)?,
                        })
                    })
                    .collect()
            }

            async fn execute_batch(
                conn: &mut <Self as sqlx::Database>::Connection,
                sql: String,
            ) -> Result<(), (usize, sqlx::Error)> {
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

            async fn execute(
                conn: &mut <Self as sqlx::Database>::Connection,
                sql: String,
            ) -> Result<(), sqlx::Error> {
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            async fn read_live<'c>(
                conn: &'c mut <Self as sqlx::Database>::Connection,
                schemas: &'c [&'c str],
            ) -> Result<crate::live::LiveSchema, sqlx::Error> {
                crate::live::$live::read(conn, schemas).await
            }
        }
    };
}

backend!("sqlite", sqlx::Sqlite, Dialect::Sqlite, sqlite);
backend!("postgres", sqlx::Postgres, Dialect::Postgres, postgres);
backend!("mysql", sqlx::MySql, Dialect::MySql, mysql);

/// The key of the PostgreSQL advisory lock: a stable hash of a fixed name. Advisory locks
/// are per database, so one key serves every database of a cluster.
fn advisory_key() -> i64 {
    naming::fnv1a(b"table::create_all") as i64
}

/// The schemas the tables live in, besides the connection's default one.
fn named_schemas(schema: &Schema) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = schema.tables().filter_map(|t| t.schema).collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn literal_list(dialect: Dialect, first: &str, names: &[&str]) -> String {
    let mut out = first.to_owned();
    for name in names {
        let _ = write!(out, ", {}", dialect.string_literal(name));
    }
    out
}

/// One query that lists the tables that exist in every schema the models use, the default
/// schema's name, and which of the cycle-closing foreign keys exist. One round trip,
/// whatever the number of tables.
///
/// On PostgreSQL and SQLite the names of the tables come as one JSON array per schema (a
/// `tables` row), not as a row per table: a warm start-up is this query alone, and sqlx's
/// per-row cost (on SQLite, a message between threads per row) made a row per table 2–3×
/// slower than a bare listing of names at 1000 tables (BENCHMARKS.md). MySQL keeps a row per
/// table: MariaDB cuts `JSON_ARRAYAGG` at `group_concat_max_len`.
pub(crate) fn catalog_query(dialect: Dialect, schema: &Schema) -> String {
    let schemas = named_schemas(schema);
    let fk_names: Vec<String> = schema
        .deferred_foreign_keys()
        .map(|(t, fk)| naming::foreign_key_name(t, fk))
        .collect();
    let fk_refs: Vec<&str> = fk_names.iter().map(String::as_str).collect();
    match dialect {
        Dialect::Postgres => {
            let in_schemas = literal_list(dialect, "current_schema()", &schemas);
            let mut sql = format!(
                "SELECT 'default'::text, current_schema()::text, ''::text \
                 UNION ALL SELECT 'tables', n.nspname::text, json_agg(c.relname)::text \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p') AND n.nspname IN ({in_schemas}) GROUP BY n.nspname"
            );
            if !fk_refs.is_empty() {
                let _ = write!(
                    sql,
                    " UNION ALL SELECT 'fk', n.nspname::text, k.conname::text \
                     FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace \
                     WHERE k.contype = 'f' AND n.nspname IN ({in_schemas}) AND k.conname IN ({})",
                    literal_list(dialect, "''", &fk_refs)
                );
            }
            sql
        }
        Dialect::MySql => {
            let in_schemas = literal_list(dialect, "DATABASE()", &schemas);
            let mut sql = format!(
                "SELECT 'default', CONVERT(COALESCE(DATABASE(), '') USING utf8mb4), '' \
                 UNION ALL SELECT 'table', CONVERT(TABLE_SCHEMA USING utf8mb4), CONVERT(TABLE_NAME USING utf8mb4) \
                 FROM information_schema.TABLES \
                 WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN ({in_schemas})"
            );
            if !fk_refs.is_empty() {
                let _ = write!(
                    sql,
                    " UNION ALL SELECT 'fk', CONVERT(CONSTRAINT_SCHEMA USING utf8mb4), CONVERT(CONSTRAINT_NAME USING utf8mb4) \
                     FROM information_schema.TABLE_CONSTRAINTS \
                     WHERE CONSTRAINT_TYPE = 'FOREIGN KEY' AND CONSTRAINT_SCHEMA IN ({in_schemas}) \
                     AND CONSTRAINT_NAME IN ({})",
                    literal_list(dialect, "''", &fk_refs)
                );
            }
            sql
        }
        Dialect::Sqlite => {
            // SQLite keeps cyclic foreign keys inline, so there is nothing else to look up.
            let mut sql = "SELECT 'default', 'main', ''".to_owned();
            for name in std::iter::once("main").chain(schemas.iter().copied()) {
                let _ = write!(
                    sql,
                    " UNION ALL SELECT 'tables', {}, json_group_array(name) FROM {}.sqlite_schema WHERE type = 'table'",
                    dialect.string_literal(name),
                    dialect.quote(name)
                );
            }
            sql
        }
    }
}

/// The tables and cycle-closing foreign keys that a catalog query found, by schema.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    default_schema: String,
    tables: HashMap<String, HashSet<String>>,
    foreign_keys: HashMap<String, HashSet<String>>,
}

impl Catalog {
    pub(crate) fn from_facts(facts: &[Fact]) -> Catalog {
        let mut catalog = Catalog::default();
        for fact in facts {
            let set = match fact.kind.as_str() {
                "default" => {
                    catalog.default_schema = fact.schema.clone();
                    continue;
                }
                "table" => &mut catalog.tables,
                "tables" => {
                    // A JSON array of strings that the database wrote itself.
                    let names: Vec<String> = serde_json::from_str(&fact.name).unwrap_or_else(|e| {
                        tracing::warn!(target: "sqlx_table", error = %e, "unreadable list of tables");
                        Vec::new()
                    });
                    catalog
                        .tables
                        .entry(fact.schema.clone())
                        .or_default()
                        .extend(names);
                    continue;
                }
                "fk" => &mut catalog.foreign_keys,
                _ => continue,
            };
            set.entry(fact.schema.clone())
                .or_default()
                .insert(fact.name.clone());
        }
        catalog
    }

    fn contains(
        &self,
        map: &HashMap<String, HashSet<String>>,
        table: &TableDef,
        name: &str,
    ) -> bool {
        let schema = table.schema.unwrap_or(&self.default_schema);
        map.get(schema).is_some_and(|names| names.contains(name))
    }

    pub(crate) fn has_table(&self, table: &TableDef) -> bool {
        self.contains(&self.tables, table, table.name)
    }

    pub(crate) fn has_foreign_key(&self, table: &TableDef, name: &str) -> bool {
        self.contains(&self.foreign_keys, table, name)
    }
}

/// The statements that take the schema lock and then list the catalog again under it.
///
/// PostgreSQL and SQLite open the transaction that the creation runs in; MySQL, whose DDL
/// commits on its own, takes a session lock that [`unlock`] releases. The lock row is
/// `('lock', '', result)`; on MySQL a result other than `1` means the lock was not taken.
pub(crate) fn lock_and_catalog(dialect: Dialect, timeout: Duration, catalog: &str) -> String {
    let millis = timeout.as_millis().max(1);
    match dialect {
        // READ COMMITTED so that the catalog query, a later statement, sees the tables that
        // the previous lock holder committed, whatever the server's default isolation.
        Dialect::Postgres => format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = {millis}; \
             SELECT 'lock'::text, ''::text, pg_advisory_xact_lock({key})::text; {catalog}",
            key = advisory_key()
        ),
        // Writers queue on the database lock for up to busy_timeout, then fail with BUSY.
        Dialect::Sqlite => format!(
            "SELECT 'busy_timeout', '', CAST(timeout AS TEXT) FROM pragma_busy_timeout(); \
             PRAGMA busy_timeout = {millis}; BEGIN IMMEDIATE; {catalog}"
        ),
        Dialect::MySql => format!(
            "SELECT 'lock', '', CAST(COALESCE(GET_LOCK({name}, {secs}), -1) AS CHAR); {catalog}",
            name = mysql_lock_name(),
            secs = timeout.as_secs_f64().max(0.001)
        ),
    }
}

fn mysql_lock_name() -> &'static str {
    // GET_LOCK names are server-wide: include the database so that tests, each in a
    // database of its own, don't wait on each other.
    "CONCAT('table.create_all.', COALESCE(DATABASE(), ''))"
}

/// What ends the locked sequence after its statements succeeded: commit, or release.
pub(crate) fn unlock(dialect: Dialect, facts: &[Fact]) -> String {
    match dialect {
        Dialect::Postgres => "COMMIT".to_owned(),
        Dialect::Sqlite => {
            let previous = facts
                .iter()
                .find(|f| f.kind == "busy_timeout")
                .and_then(|f| f.name.parse::<u64>().ok())
                .unwrap_or(5000);
            format!("COMMIT; PRAGMA busy_timeout = {previous}")
        }
        Dialect::MySql => format!("DO RELEASE_LOCK({})", mysql_lock_name()),
    }
}

/// What undoes the locked sequence after a failure.
pub(crate) fn abort(dialect: Dialect, facts: &[Fact]) -> String {
    match dialect {
        Dialect::Postgres => "ROLLBACK".to_owned(),
        Dialect::Sqlite => unlock(dialect, facts).replacen("COMMIT", "ROLLBACK", 1),
        Dialect::MySql => unlock(dialect, facts),
    }
}

/// Whether the lock statement of [`lock_and_catalog`] got the lock (only MySQL can say no
/// without an error).
pub(crate) fn lock_taken(facts: &[Fact]) -> bool {
    facts
        .iter()
        .find(|f| f.kind == "lock")
        .is_none_or(|f| f.name != "0" && f.name != "-1")
}

/// Whether a database error is the lock wait running out.
pub(crate) fn is_lock_timeout(dialect: Dialect, error: &sqlx::Error) -> bool {
    let Some(db) = error.as_database_error() else {
        return false;
    };
    let code = db.code();
    match dialect {
        Dialect::Postgres => code.as_deref() == Some("55P03"),
        Dialect::Sqlite => matches!(code.as_deref(), Some("5") | Some("517")),
        Dialect::MySql => false,
    }
}
