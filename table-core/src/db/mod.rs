//! The databases `create_all` runs on: one file per backend for what truly differs (the
//! lock, its release, the error codes, the catalog query, how `drop_all` opens a cycle),
//! [`session`] for the locked sequence and batching they share, and [`catalog`] for the
//! typed answers of the catalog and lock queries.
//!
//! A new backend is one file here (its [`sealed::Sealed`] impl), one in `dialect/`, and one
//! [`Dialect`] variant. Introspection of a live schema is `live/`, one file per backend,
//! called from the backend's file here.

// The helpers below and in `session` serve the backends that are built: with fewer than
// all three features, some of them serve none.
#![cfg_attr(
    not(all(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]

pub(crate) mod catalog;
pub(crate) mod session;
pub(crate) mod target;

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::fmt::Write as _;

use crate::dialect::{Dialect, Statement};
use crate::naming;
use crate::schema::Models;

/// A database `create_all` can run on: SQLite, PostgreSQL or MySQL/MariaDB, each behind
/// the cargo feature of that name. Sealed: the set of backends is the set of [`Dialect`]s.
pub trait Backend: sqlx::Database + sealed::Sealed {
    /// How this backend writes DDL.
    const DIALECT: Dialect;
}

/// What each backend does its own way. Public in a private module, so that [`Backend`] can
/// require it while no one outside the crate can name, call or implement it.
pub(crate) mod sealed {
    use std::future::Future;
    use std::time::Duration;

    use super::catalog::{Catalog, LockState, Row};
    use crate::dialect::Statement;
    use crate::schema::Models;

    /// The per-backend half of [`Backend`](super::Backend).
    pub trait Sealed: sqlx::Database {
        /// Runs raw SQL (one or more statements) and returns its catalog rows.
        fn fetch_rows(
            conn: &mut <Self as sqlx::Database>::Connection,
            sql: String,
        ) -> impl Future<Output = Result<Vec<Row>, sqlx::Error>> + Send + '_;

        /// Runs a batch of statements; on error, also says how many statements completed
        /// before the one that failed.
        fn execute_batch(
            conn: &mut <Self as sqlx::Database>::Connection,
            sql: String,
        ) -> impl Future<Output = Result<(), (usize, sqlx::Error)>> + Send + '_;

        /// Runs raw SQL (one or more statements), ignoring any rows.
        fn execute(
            conn: &mut <Self as sqlx::Database>::Connection,
            sql: String,
        ) -> impl Future<Output = Result<(), sqlx::Error>> + Send + '_;

        /// One query listing the tables of every schema the models use, the default
        /// schema's name, and which of the cycle-closing foreign keys exist; with `columns`,
        /// also the column names of each table (the `columns` rows).
        fn catalog_query(schema: &Models, columns: bool) -> String;

        /// A `UNION ALL` part to append to [`catalog_query`](Sealed::catalog_query) under the
        /// lock: the objects of the schemas that are not tables, which a table about to be
        /// created must not be named like.
        fn others_query(schema: &Models) -> String;

        /// The statements that take the schema lock, then `catalog` again under it;
        /// `in_transaction` when the caller's transaction is open (never on MySQL), which
        /// the sequence joins as a savepoint instead of beginning its own.
        fn lock(timeout: Duration, catalog: &str, in_transaction: bool) -> String;

        /// What commits the work so far and opens the next transaction, where one
        /// transaction can't hold every statement ([`LockState::lock_budget`]); `first` when
        /// it is the first split, which must keep the lock past the commit. `None` where
        /// there is nothing to split (SQLite has no lock limit, MySQL commits each DDL).
        fn next_transaction(first: bool) -> Option<String>;

        /// What ends the locked sequence after its statements succeeded.
        fn unlock(lock: &LockState) -> String;

        /// What undoes the locked sequence after a failure.
        fn abort(lock: &LockState) -> String;

        /// On a node of a cluster whose lock holds on that node only
        /// ([`LockState::cluster`]: Galera), `statement` written so that it does nothing
        /// where another node already did it, then a `warnings` row that says whether it
        /// did nothing. `None` where the backend has no such cluster.
        fn idempotent(statement: &Statement) -> Option<String>;

        /// What to do when the connection has no default schema; `setting` is what chose it
        /// (PostgreSQL's `search_path`).
        fn no_default_schema(setting: &str) -> String;

        /// The schema of the models that the catalog query found missing, if that is what
        /// `error` says (SQLite: a database that isn't attached).
        fn unattached_schema(error: &sqlx::Error) -> Option<String>;

        /// Whether a database error is the lock wait running out.
        fn is_lock_timeout(error: &sqlx::Error) -> bool;

        /// What `drop_all` runs before dropping the tables, so that a foreign-key cycle
        /// doesn't stop it.
        fn open_cycles(schema: &Models, catalog: &Catalog) -> Vec<Statement>;

        /// Reads the live schema of the default schema and `schemas` (`live/`, one file per
        /// backend).
        fn read_live<'c>(
            conn: &'c mut <Self as sqlx::Database>::Connection,
            schemas: &'c [&'c str],
        ) -> impl Future<Output = Result<crate::live::LiveSchema, sqlx::Error>> + Send + 'c;
    }
}

// Helpers for the backends' files: pieces of SQL that more than one of them writes.

/// The savepoint the locked sequence is, inside the caller's transaction.
const SAVEPOINT: &str = "sqlx_table";

/// The schemas the tables live in, besides the connection's default one.
fn named_schemas(schema: &Models) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = schema.tables().filter_map(|t| t.schema).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The names of the foreign keys that close a cycle: the ones the catalog is asked about.
fn deferred_fk_names(schema: &Models) -> Vec<String> {
    schema
        .deferred_foreign_keys()
        .map(|(t, fk)| naming::foreign_key_name(t, fk))
        .collect()
}

/// `first, 'a', 'b'`: the inside of an `IN (...)`.
fn literal_list(dialect: Dialect, first: &str, names: &[impl AsRef<str>]) -> String {
    let mut out = first.to_owned();
    for name in names {
        let _ = write!(out, ", {}", dialect.string_literal(name.as_ref()));
    }
    out
}

/// `ALTER TABLE … DROP` for each cycle-closing foreign key that exists: how `drop_all` opens
/// a cycle where foreign keys are checked at once.
fn drop_present_cycle_keys(
    dialect: Dialect,
    schema: &Models,
    catalog: &catalog::Catalog,
) -> Vec<Statement> {
    schema
        .deferred_foreign_keys()
        .filter(|(table, fk)| catalog.has_foreign_key(table, &naming::foreign_key_name(table, fk)))
        .map(|(table, fk)| dialect.drop_foreign_key(table, fk))
        .collect()
}
