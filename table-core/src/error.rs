//! The one error type of the runtime, and the schema problems it reports.
//!
//! Over 400 lines: one variant per problem, each with its message and documented fields;
//! splitting the enum across files would hide which problems exist.

use std::fmt;
use std::time::Duration;

use crate::plan::Plan;

/// Everything that can go wrong in `create_all`, `drop_all` and rendering.
///
/// Each message says what failed; the error it comes from (sqlx's, or the one a split
/// transaction met) is its [`source`](std::error::Error::source), never repeated in the
/// message, so a report that walks the chain (`anyhow`'s `{:#}` and `{:?}`, `eyre`,
/// `tracing`'s error fields) shows each part once.
///
/// ```
/// use sqlx_table::{Error, SchemaError, Models, Table};
///
/// #[derive(Table)]
/// struct Order {
///     #[table(primary_key)]
///     id: i64,
///     #[table(references = "customers(id)")]
///     customer_id: i64,
/// }
///
/// let err = Models::new([&Order::DEF]).unwrap_err();
/// assert!(matches!(
///     err.schema_problems(),
///     [SchemaError::UnknownReference { referenced, .. }] if referenced == "customers"
/// ));
/// assert!(matches!(err, Error::InvalidSchema { .. }));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The schema is inconsistent, or can't be written in the dialect. Nothing was run.
    #[error("invalid schema ({} problem{}):\n{}", .problems.len(), if .problems.len() == 1 { "" } else { "s" }, Problems(.problems))]
    InvalidSchema {
        /// Every problem found, not only the first.
        problems: Vec<SchemaError>,
    },
    /// A statement failed on the database. What the database said is the
    /// [`source`](std::error::Error::source), not repeated in this message (only
    /// PostgreSQL's detail and hint, which sqlx's message leaves out): print the chain, as
    /// `anyhow`'s `{:#}` and `{:?}` do, to see both.
    #[error("{}{}\nstatement: {statement}", what_failed(.statement, .table), server_hint(.source.sqlx()))]
    Database {
        /// The table the statement acts on; empty for statements that act on none (the
        /// catalog query, the lock).
        table: String,
        /// The SQL that failed.
        statement: String,
        /// What the database said: sqlx's error ([`DatabaseCause::sqlx`]).
        #[source]
        source: DatabaseCause,
    },
    /// No connection could be had from the pool (the server is down or unreachable, the
    /// pool is closed, or every connection stayed busy past the pool's acquire timeout).
    #[error("could not get a connection from the pool")]
    Pool {
        /// sqlx's error.
        #[source]
        source: sqlx::Error,
    },
    /// A schema too large for one PostgreSQL transaction was created in several, and one
    /// after the first failed: the tables of the earlier ones are committed, the failed one
    /// rolled back. A re-run creates the rest.
    #[error(
        "a schema too large for one transaction failed after {} table(s) were created and committed in earlier transactions: {}; a re-run creates the rest",
        .committed.len(),
        .committed.join(", ")
    )]
    Partial {
        /// The tables committed before the failure, in creation order.
        committed: Vec<String>,
        /// What failed.
        source: Box<Error>,
    },
    /// The connection has no default schema for the tables that name none.
    #[error("{dialect} has no default schema to create tables in: {hint}")]
    NoDefaultSchema {
        /// The backend.
        dialect: &'static str,
        /// What is wrong, and what to do.
        hint: String,
    },
    /// A model's schema is a SQLite database that isn't attached to the connection.
    #[error(
        "table `{table}` is in schema `{schema}`, but no database `{schema}` is attached to the SQLite connection; attach it on every connection of the pool: `ATTACH DATABASE 'file.db' AS {schema}` in `SqlitePoolOptions::after_connect`"
    )]
    NotAttached {
        /// The schema (attached database name).
        schema: String,
        /// A table of the models in it.
        table: String,
    },
    /// A table to create has the name of an object that is not a table (a view, a sequence,
    /// an index...): `CREATE TABLE` would fail on every start. Nothing was created.
    #[error(
        "table `{table}` can't be created: the database has a {kind} of that name; rename the model's table (`#[table(name = \"...\")]`) or drop or rename the {kind}"
    )]
    NameTaken {
        /// The table (`schema.name` or `name`).
        table: String,
        /// What holds the name: "view", "sequence", "index"...
        kind: String,
    },
    /// `check` found the database different from the models.
    #[error("the database differs from the models ({} difference{}):\n{plan}", .plan.len(), if .plan.len() == 1 { "" } else { "s" })]
    Drift {
        /// Every difference, classified.
        plan: Box<Plan>,
    },
    /// The server can't write: a PostgreSQL hot standby (a replica in recovery), or a
    /// session whose transactions are read-only. Nothing was run; tables that exist are
    /// still found without writing (a warm `create_all` succeeds on a standby).
    #[error(
        "the {dialect} server is read-only ({why}): the missing tables can't be created on it; run create_all against the primary (read-write) server"
    )]
    ReadOnly {
        /// The backend.
        dialect: &'static str,
        /// Why: `hot standby` (in recovery) or `read-only transaction`.
        why: String,
    },
    /// `create_all`, `drop_all` or `migrate` was given a connection inside a transaction on
    /// a backend where DDL commits the open transaction implicitly (MySQL/MariaDB): it
    /// would commit the caller's work behind their back. Nothing was run.
    #[error(
        "{dialect} commits the open transaction at each DDL statement, so create_all, drop_all and migrate can't run inside the caller's transaction; pass the pool or a connection outside a transaction"
    )]
    ImplicitCommit {
        /// The backend.
        dialect: &'static str,
    },
    /// The statements need more locks than one PostgreSQL transaction of ours may take,
    /// and they were to run inside the caller's transaction, which can't be split into
    /// several. Nothing was created; the caller's transaction is as it was.
    #[error(
        "creating these tables takes about {locks} locks, more than one transaction may take ({budget}: a quarter of the server's lock table), and the caller's transaction can't be split; run create_all on the pool or a connection outside a transaction, or raise max_locks_per_transaction"
    )]
    TooLargeForTransaction {
        /// About how many locks the statements take.
        locks: usize,
        /// How many one transaction may take.
        budget: usize,
    },
    /// Another process held the schema lock for longer than the configured timeout.
    #[error(
        "timed out after {timeout:?} waiting for the {dialect} schema lock held by another create_all"
    )]
    LockTimeout {
        /// The backend.
        dialect: &'static str,
        /// How long we waited.
        timeout: Duration,
    },
}

/// "CREATE TABLE failed on table `users`": the statement's first two words, and its table
/// if it has one (the catalog query and the lock have none).
fn what_failed(statement: &str, table: &str) -> String {
    let words = statement
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    if table.is_empty() {
        format!("{words} failed")
    } else {
        format!("{words} failed on table `{table}`")
    }
}

/// Why a statement failed: sqlx's error, written as the server's own message.
///
/// sqlx's `Error::Database` writes "error returned from database: {message}" and then gives
/// the server's error, with the same message, as its source: a report that walks the chain
/// would show the message twice. This shows it once: its text is the server's error (or
/// sqlx's, for errors that are not the server's), and its source is what is under that.
#[derive(Debug)]
pub struct DatabaseCause(sqlx::Error);

impl DatabaseCause {
    /// sqlx's error, for its details ([`sqlx::Error::as_database_error`], the SQLSTATE
    /// code, the backend's own error type).
    pub fn sqlx(&self) -> &sqlx::Error {
        &self.0
    }

    /// sqlx's error, by value.
    pub fn into_sqlx(self) -> sqlx::Error {
        self.0
    }
}

impl From<sqlx::Error> for DatabaseCause {
    fn from(error: sqlx::Error) -> Self {
        DatabaseCause(error)
    }
}

impl fmt::Display for DatabaseCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            sqlx::Error::Database(server) => fmt::Display::fmt(server, f),
            other => fmt::Display::fmt(other, f),
        }
    }
}

impl std::error::Error for DatabaseCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            sqlx::Error::Database(server) => server.source(),
            other => other.source(),
        }
    }
}

/// What the server said besides its message: PostgreSQL's detail and hint (for "out of
/// shared memory", the hint names `max_locks_per_transaction`), which sqlx's own message
/// leaves out. Empty when there is none.
fn server_hint(source: &sqlx::Error) -> String {
    #[cfg(feature = "postgres")]
    if let Some(pg) = source
        .as_database_error()
        .and_then(|e| e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>())
    {
        let mut out = String::new();
        if let Some(detail) = pg.detail() {
            out.push_str("\ndetail: ");
            out.push_str(detail);
        }
        if let Some(hint) = pg.hint() {
            out.push_str("\nhint: ");
            out.push_str(hint);
        }
        return out;
    }
    let _ = source;
    String::new()
}

struct Problems<'a>(&'a [SchemaError]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// One problem with a schema, found before any SQL runs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// Two models have the same table name (perhaps in two crates).
    #[error("table `{table}` is defined by more than one type: {}", .types.join(", "))]
    DuplicateTable {
        /// The table name.
        table: String,
        /// The Rust types that define it.
        types: Vec<&'static str>,
    },
    /// Two columns of one table have the same name.
    #[error("table `{table}` has two columns named `{column}`")]
    DuplicateColumn {
        /// The table.
        table: String,
        /// The column name.
        column: String,
    },
    /// A key, index or constraint names a column the table doesn't have.
    #[error("the {usage} of table `{table}` names column `{column}`, which the table doesn't have")]
    UnknownColumn {
        /// The table.
        table: String,
        /// The missing column.
        column: String,
        /// Where it was named ("primary key", "index"...).
        usage: &'static str,
    },
    /// A foreign key points at a table that no model in the schema defines.
    #[error(
        "foreign key `{table}`({columns}) references table `{referenced}`, which no model in the schema defines"
    )]
    UnknownReference {
        /// The referencing table.
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// The referenced table.
        referenced: String,
    },
    /// A foreign key of a table in the selected model set points at a model of another set
    /// ([`Models::registered_set`](crate::Models::registered_set)): the set's database would
    /// lack the table it references.
    #[error(
        "foreign key `{table}`({columns}) of model set `{set}` references table `{referenced}` of model set `{referenced_set}`; a foreign key can't cross databases: put both models in one set, or reference the table by name where it exists"
    )]
    ReferenceOutsideSet {
        /// The referencing table.
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// The referencing table's set.
        set: String,
        /// The referenced table.
        referenced: String,
        /// The referenced table's set.
        referenced_set: String,
    },
    /// The schema given to [`Models::in_schema`](crate::Models::in_schema) is empty.
    #[error("the schema to create the models in can't be empty")]
    EmptySchemaName,
    /// [`Models::in_schema`](crate::Models::in_schema): a table with a schema of its own (a
    /// table shared by every tenant) references a table of the default schema, which moves
    /// into each tenant's schema: one shared table can't reference every tenant's.
    #[error(
        "foreign key `{table}`({columns}) of a table in schema `{schema}` references `{referenced}` in the default schema, which becomes each tenant's schema: a table shared by the tenants can't reference a tenant's table"
    )]
    SharedReferencesTenant {
        /// The referencing table (`schema.name`).
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// The referencing table's own schema.
        schema: String,
        /// The referenced table.
        referenced: String,
    },
    /// A foreign key points at a column the referenced table doesn't have.
    #[error(
        "foreign key `{table}`({columns}) references column `{referenced}`.`{column}`, which doesn't exist"
    )]
    UnknownReferencedColumn {
        /// The referencing table.
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// The referenced table.
        referenced: String,
        /// The missing column.
        column: String,
    },
    /// A foreign key's referenced columns are neither the primary key nor a unique constraint.
    #[error(
        "foreign key `{table}`({columns}) references `{referenced}`({referenced_columns}), which is neither its primary key nor unique"
    )]
    ReferenceNotUnique {
        /// The referencing table.
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// The referenced table.
        referenced: String,
        /// The referenced columns, comma-separated.
        referenced_columns: String,
    },
    /// A foreign key column's type differs from the column it references.
    #[error(
        "foreign key column `{table}`.`{column}` is {column_type}, but it references `{referenced}`.`{referenced_column}`, which is {referenced_type}"
    )]
    ReferenceTypeMismatch {
        /// The referencing table.
        table: String,
        /// The referencing column.
        column: String,
        /// Its type.
        column_type: String,
        /// The referenced table.
        referenced: String,
        /// The referenced column.
        referenced_column: String,
        /// Its type.
        referenced_type: String,
    },
    /// A foreign key has a different number of columns on each side.
    #[error(
        "foreign key `{table}`({columns}) has {count} column(s), but references {referenced_count} in `{referenced}`"
    )]
    ReferenceArity {
        /// The referencing table.
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// How many.
        count: usize,
        /// The referenced table.
        referenced: String,
        /// How many columns it references.
        referenced_count: usize,
    },
    /// Two generated index or constraint names are the same in one namespace.
    #[error(
        "tables `{first}` and `{second}` both generate the {kind} name `{name}`; rename a table or column"
    )]
    DuplicateName {
        /// The generated name.
        name: String,
        /// "index", "constraint"...
        kind: &'static str,
        /// The first table using it.
        first: String,
        /// The second.
        second: String,
    },
    /// The column's type can't be written in this dialect.
    #[error("column `{table}`.`{column}` can't be created on {dialect}: {reason}")]
    UnsupportedType {
        /// The dialect.
        dialect: &'static str,
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Why, and what to use instead.
        reason: &'static str,
    },
    /// MySQL can't index a TEXT, BLOB or JSON column without a length.
    #[error(
        "column `{table}`.`{column}` is part of a {usage}, and MySQL can't index TEXT, BLOB or JSON; give the field `#[table(max_length = N)]` to make it a VARCHAR(N)"
    )]
    NotIndexable {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// "primary key", "unique constraint", "index" or "foreign key".
        usage: &'static str,
    },
    /// An identifier is longer than the backend keeps.
    #[error("{kind} name `{name}` is {len} bytes long; {dialect} keeps at most {max}")]
    IdentifierTooLong {
        /// The dialect.
        dialect: &'static str,
        /// "table", "column"...
        kind: &'static str,
        /// The name.
        name: String,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The backend can't perform this referential action.
    #[error(
        "foreign key `{table}`({columns}) uses {action}, which {dialect} accepts but ignores (InnoDB has no SET DEFAULT); use another action"
    )]
    UnsupportedAction {
        /// The dialect.
        dialect: &'static str,
        /// The referencing table.
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// The action, as SQL.
        action: &'static str,
    },
    /// SQLite keeps a foreign key within one database file.
    #[error(
        "foreign key `{table}`({columns}) references `{referenced}` in another schema, and SQLite can only reference tables of the same database"
    )]
    CrossSchemaReference {
        /// The referencing table.
        table: String,
        /// The referencing columns, comma-separated.
        columns: String,
        /// The referenced table.
        referenced: String,
    },
    /// The same index or unique constraint is declared twice on one table (`index(v)`
    /// twice, or a struct-level `index(v)` and a field's `index`).
    #[error("table `{table}` declares the {kind} on ({columns}) twice; remove one")]
    DuplicateDeclaration {
        /// The table.
        table: String,
        /// "index" or "unique constraint".
        kind: &'static str,
        /// The columns, comma-separated.
        columns: String,
    },
    /// A string default is longer than the column's `max_length`: the database would
    /// refuse it (or, on MySQL without strict mode, cut it).
    #[error(
        "the default of column `{table}`.`{column}` is {len} characters long, but the column's max_length is {max}"
    )]
    DefaultTooLong {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The default's length in characters.
        len: usize,
        /// The column's `max_length`.
        max: u32,
    },
    /// A name, string default, comment or raw SQL contains a NUL character, which no
    /// backend keeps in a statement.
    #[error("{what} of table `{table}` contains a NUL character; remove it")]
    NulCharacter {
        /// The table.
        table: String,
        /// What contains it ("column name", "default of column `x`"...).
        what: String,
    },
    /// A name begins or ends with whitespace: MySQL refuses a trailing space, and on the
    /// others the name differs from what anyone will type.
    #[error("{kind} name `{name}` begins or ends with whitespace; remove it")]
    NameWhitespace {
        /// "table", "schema", "column".
        kind: &'static str,
        /// The name, with its whitespace.
        name: String,
    },
    /// A `check` or `default_sql` expression could change the statement it is written into:
    /// a `;` outside a string would end it and run what follows, a comment would hide the
    /// rest of it, an unbalanced parenthesis or quote would end the clause early.
    #[error("{what} of table `{table}` is raw SQL that {reason}: `{sql}`")]
    UnsafeRawSql {
        /// The table.
        table: String,
        /// "check" or "default_sql of column `x`".
        what: String,
        /// The expression.
        sql: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The backend reserves the name.
    #[error("table name `{name}` is reserved on {dialect}: {reason}")]
    ReservedName {
        /// The dialect.
        dialect: &'static str,
        /// The name.
        name: String,
        /// Why, and what to do.
        reason: &'static str,
    },
    /// Two tables whose names differ only in case, where the backend ignores case.
    #[error(
        "tables `{first}` and `{second}` differ only in case, and {dialect} ignores case in table names; rename one"
    )]
    NamesDifferOnlyInCase {
        /// The dialect.
        dialect: &'static str,
        /// The first table.
        first: String,
        /// The second.
        second: String,
    },
    /// A table is named like an index or constraint another table generates, in a backend
    /// where tables and indexes share one namespace.
    #[error(
        "table `{table}` has the name of the {kind} that table `{owner}` generates, and on {dialect} tables and indexes share one namespace; rename the table or the column"
    )]
    TableNamedLikeIndex {
        /// The dialect.
        dialect: &'static str,
        /// The table (and the index's name).
        table: String,
        /// "index" or "unique constraint".
        kind: &'static str,
        /// The table whose index it is.
        owner: String,
    },
    /// MySQL and MariaDB have no partial indexes, and MariaDB no expression indexes.
    #[error(
        "index `{index}` of table `{table}` is {what}, which MySQL/MariaDB can't create (no partial indexes; MariaDB has no expression indexes): index the columns, or a generated column"
    )]
    UnsupportedIndex {
        /// The table.
        table: String,
        /// The index's name.
        index: String,
        /// "a partial index (`where`)" or "an expression index".
        what: &'static str,
    },
    /// MySQL and MariaDB check every foreign key at each statement: none can be deferred.
    #[error(
        "foreign key ({columns}) of table `{table}` is deferrable, and MySQL has no deferred constraints; remove `deferrable`, or break the cycle with a nullable column"
    )]
    UnsupportedDeferrable {
        /// The table.
        table: String,
        /// The foreign key's columns.
        columns: String,
    },
    /// SQLite numbers rows only in an `INTEGER PRIMARY KEY` that is the whole key.
    #[error(
        "column `{table}`.`{column}` is auto_increment, but on SQLite it must then be the table's only primary key column"
    )]
    AutoIncrementNotSoleKey {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
}

impl Error {
    pub(crate) fn invalid(problems: Vec<SchemaError>) -> Result<(), Error> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidSchema { problems })
        }
    }

    /// The schema problems, if this is [`Error::InvalidSchema`].
    pub fn schema_problems(&self) -> &[SchemaError] {
        match self {
            Error::InvalidSchema { problems } => problems,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_error_names_the_statement_and_its_table_if_any() {
        let on_table = Error::Database {
            table: "users".into(),
            statement: "CREATE TABLE \"users\" (\n    \"id\" BIGINT\n)".into(),
            source: sqlx::Error::PoolTimedOut.into(),
        };
        let message = on_table.to_string();
        assert!(
            message.starts_with("CREATE TABLE failed on table `users`\n"),
            "{message}"
        );
        assert!(message.ends_with("statement: CREATE TABLE \"users\" (\n    \"id\" BIGINT\n)"));
        let catalog = Error::Database {
            table: String::new(),
            statement: "SELECT 'default'::text".into(),
            source: sqlx::Error::PoolTimedOut.into(),
        };
        assert!(
            catalog
                .to_string()
                .starts_with("SELECT 'default'::text failed\n"),
            "{catalog}"
        );
    }

    /// The error and its sources, one after another, as `anyhow` prints `{:#}`.
    fn chain(error: &dyn std::error::Error) -> String {
        let mut out = error.to_string();
        let mut next = error.source();
        while let Some(source) = next {
            out.push_str(": ");
            out.push_str(&source.to_string());
            next = source.source();
        }
        out
    }

    #[test]
    fn a_chain_shows_each_error_once() {
        let cause = sqlx::Error::PoolTimedOut.to_string();
        let database = Error::Database {
            table: "users".into(),
            statement: "CREATE TABLE \"users\" (\"id\" BIGINT)".into(),
            source: sqlx::Error::PoolTimedOut.into(),
        };
        let pool = Error::Pool {
            source: sqlx::Error::PoolTimedOut,
        };
        let partial = Error::Partial {
            committed: vec!["a".into(), "b".into()],
            source: Box::new(Error::Database {
                table: "c".into(),
                statement: "CREATE TABLE \"c\" (\"id\" BIGINT)".into(),
                source: sqlx::Error::PoolTimedOut.into(),
            }),
        };
        // (error, errors in its chain, statements it names)
        for (error, parts, statements) in [(&database, 2, 1), (&pool, 2, 0), (&partial, 3, 1)] {
            let text = chain(error);
            assert_eq!(text.matches(&cause).count(), 1, "{text}");
            assert_eq!(text.matches("statement: ").count(), statements, "{text}");
            assert_eq!(
                text.matches("committed").count(),
                usize::from(parts == 3),
                "{text}"
            );
            let mut depth = 0;
            let mut next: Option<&dyn std::error::Error> = Some(error);
            while let Some(e) = next {
                depth += 1;
                next = e.source();
            }
            assert_eq!(depth, parts, "{text}");
        }
        assert_eq!(
            chain(&database),
            format!(
                "CREATE TABLE failed on table `users`\nstatement: CREATE TABLE \"users\" (\"id\" BIGINT): {cause}"
            )
        );
    }
}
