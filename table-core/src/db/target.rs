//! Where the entry points run: a pool, a connection, or the caller's transaction. One
//! trait, so that `create_all`, `drop_all`, `plan`, `check` and `migrate` each have one
//! generic path, whatever they are given.

use sqlx::pool::PoolConnection;
use sqlx::{Connection as _, Pool, Transaction};

use super::Backend;
use crate::error::Error;

/// What `create_all`, `drop_all`, `plan`, `check` and `migrate` run on: `&Pool<DB>`,
/// `&mut PoolConnection<DB>`, `&mut Transaction<DB>`, or a backend's own connection
/// (`&mut PgConnection` with the `postgres` feature, `&mut SqliteConnection` with `sqlite`,
/// `&mut MySqlConnection` with `mysql`). Sealed.
///
/// - **A pool**: a connection is taken from it and the sequence is ours: on PostgreSQL and
///   SQLite our own transaction, committed before we return. A connection whose sequence
///   did not end cleanly (an error, a cancelled future) is closed rather than pooled.
/// - **A connection outside a transaction**: the same sequence, on that connection. A
///   future dropped half-way can leave it inside our transaction: close it then.
/// - **A connection inside a transaction** (a [`Transaction`], or a connection on which sqlx
///   began one): the caller owns the transaction, so we neither begin nor commit.
///   - PostgreSQL: the DDL joins the transaction, inside a savepoint that an error rolls
///     back (the caller's transaction stays usable); the lock is the advisory
///     *transaction* lock, held until the caller commits or rolls back, and a rollback
///     undoes the tables. `lock_timeout` is set for the wait and put back after. A schema
///     that needs more locks than one transaction may take is refused before any DDL
///     ([`Error::TooLargeForTransaction`]). In `REPEATABLE READ` or `SERIALIZABLE` the
///     catalog is read from the transaction's snapshot, which can miss a table another
///     process created since: prefer `READ COMMITTED`.
///   - SQLite: the DDL joins the transaction, inside a savepoint as above. The lock is the
///     transaction's own write lock, so begin it with `BEGIN IMMEDIATE`
///     (`conn.begin_with("BEGIN IMMEDIATE")`): a deferred transaction takes the write lock
///     at its first write, and that upgrade can fail with `SQLITE_BUSY` without waiting
///     for the busy timeout (when another connection wrote since this one read, in WAL
///     mode, or wants to write too).
///   - MySQL/MariaDB: each DDL statement commits the open transaction implicitly, which
///     would commit the caller's work behind their back: `create_all`, `drop_all` and
///     `migrate` refuse a transaction ([`Error::ImplicitCommit`]) before any SQL. `plan`
///     and `check` only read, and run in it.
///
/// A transaction begun with a raw `BEGIN` is unknown to sqlx, and so to us: pass the
/// [`Transaction`] sqlx gives, not a connection inside a hand-written `BEGIN`.
pub trait Target: sealed::Connect {}

impl<T: sealed::Connect> Target for T {}

/// The connection a [`Target`] gives: ours (taken from a pool) or the caller's.
pub enum Conn<'c, DB: sqlx::Database> {
    /// Taken from a pool: closed instead of pooled when its sequence did not end cleanly.
    Pooled(PoolConnection<DB>),
    /// The caller's, maybe inside the caller's transaction.
    Borrowed(&'c mut <DB as sqlx::Database>::Connection),
}

impl<DB: sqlx::Database> Conn<'_, DB> {
    /// The connection itself.
    pub(crate) fn raw(&mut self) -> &mut <DB as sqlx::Database>::Connection {
        match self {
            Conn::Pooled(conn) => conn,
            Conn::Borrowed(conn) => conn,
        }
    }

    /// Whether the caller has a transaction open on it (sqlx's own account).
    pub(crate) fn in_transaction(&self) -> bool {
        match self {
            Conn::Pooled(conn) => conn.is_in_transaction(),
            Conn::Borrowed(conn) => conn.is_in_transaction(),
        }
    }

    /// Makes a pooled connection close when dropped; the caller's can't be closed by us.
    pub(crate) fn close_on_drop(&mut self) {
        if let Conn::Pooled(conn) = self {
            conn.close_on_drop();
        }
    }
}

/// What a [`Target`] is: a pool to take a connection from, or a connection.
pub enum Source<'c, DB: sqlx::Database> {
    /// Take a connection from it.
    Pool(&'c Pool<DB>),
    /// The caller's.
    Conn(&'c mut <DB as sqlx::Database>::Connection),
}

impl<'c, DB: Backend> Source<'c, DB> {
    /// The connection: taken from the pool, or the caller's.
    pub(crate) async fn connect(self) -> Result<Conn<'c, DB>, Error> {
        match self {
            Source::Pool(pool) => pool
                .acquire()
                .await
                .map(Conn::Pooled)
                .map_err(|source| Error::Pool { source }),
            Source::Conn(conn) => Ok(Conn::Borrowed(conn)),
        }
    }

    /// The connection for an entry point that writes: refused inside a transaction where
    /// DDL would commit it (MySQL).
    pub(crate) async fn for_writing(self) -> Result<Conn<'c, DB>, Error> {
        let conn = self.connect().await?;
        if conn.in_transaction() && DB::DIALECT.facts().ddl_commits {
            return Err(Error::ImplicitCommit {
                dialect: DB::DIALECT.name(),
            });
        }
        Ok(conn)
    }
}

pub(crate) mod sealed {
    use super::*;

    /// The half of [`Target`](super::Target) no one outside the crate can name or
    /// implement.
    pub trait Connect: Send + Sized {
        /// The database.
        type Database: Backend;

        /// A pool, or the caller's connection.
        fn source<'c>(self) -> Source<'c, Self::Database>
        where
            Self: 'c;
    }

    impl<DB: Backend> Connect for &Pool<DB> {
        type Database = DB;

        fn source<'c>(self) -> Source<'c, DB>
        where
            Self: 'c,
        {
            Source::Pool(self)
        }
    }

    impl<DB: Backend> Connect for &mut PoolConnection<DB> {
        type Database = DB;

        fn source<'c>(self) -> Source<'c, DB>
        where
            Self: 'c,
        {
            Source::Conn(&mut **self)
        }
    }

    impl<DB: Backend> Connect for &mut Transaction<'_, DB> {
        type Database = DB;

        fn source<'c>(self) -> Source<'c, DB>
        where
            Self: 'c,
        {
            Source::Conn(&mut **self)
        }
    }

    /// A backend's own connection type (`&mut PgConnection`...): one impl per backend,
    /// since an impl for `&mut DB::Connection` would not say which `DB`.
    macro_rules! connection {
        ($feature:literal, $db:ty, $conn:ty) => {
            #[cfg(feature = $feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = $feature)))]
            impl Connect for &mut $conn {
                type Database = $db;

                fn source<'c>(self) -> Source<'c, $db>
                where
                    Self: 'c,
                {
                    Source::Conn(self)
                }
            }
        };
    }

    connection!("postgres", sqlx::Postgres, sqlx::PgConnection);
    connection!("sqlite", sqlx::Sqlite, sqlx::SqliteConnection);
    connection!("mysql", sqlx::MySql, sqlx::MySqlConnection);
}
