//! MySQL and MariaDB: a named `GET_LOCK` (DDL commits on its own, so there is no
//! transaction to hold), and a catalog query over `information_schema`.

use std::fmt::Write as _;
use std::future::Future;
use std::time::Duration;

use sqlx::MySql;

use super::catalog::{Catalog, LockState, Row, Tag};
use super::{Backend, sealed, session};
use crate::dialect::{Dialect, Statement};
use crate::schema::Models;

const DIALECT: Dialect = Dialect::MySql;

#[cfg_attr(docsrs, doc(cfg(feature = "mysql")))]
impl Backend for MySql {
    const DIALECT: Dialect = DIALECT;
}

/// GET_LOCK names are server-wide: include the database so that tests, each in a database
/// of its own, don't wait on each other. Names are limited to 64 characters and a database
/// name can have 64 itself: past 47, the name is replaced by its MD5 (32 hex digits).
const LOCK_NAME: &str = "CONCAT('table.create_all.', IF(CHAR_LENGTH(COALESCE(DATABASE(), '')) <= 47, \
     COALESCE(DATABASE(), ''), MD5(DATABASE())))";

/// Saves the session's `sql_mode` and removes `NO_BACKSLASH_ESCAPES` from it: what
/// [`MySql::lock`](sealed::Sealed::lock) runs first. The rest of the mode (`ANSI_QUOTES`,
/// `ANSI`...) stays: the DDL quotes identifiers with backticks and strings with `'`, which
/// read the same under every mode.
/// `sql_notes` is saved too: on a Galera node the DDL counts its notes ([`MySql::idempotent`]
/// sets it).
const SAVE_SQL_MODE: &str = "SET @sqlx_table_sql_mode = @@SESSION.sql_mode, \
     @sqlx_table_sql_notes = @@SESSION.sql_notes, SESSION sql_mode = \
     TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))";

/// `galera` on a MariaDB node with `wsrep_on`, else empty. `/*M! ... */` is read by MariaDB
/// alone: MySQL has no `wsrep_on` (an unknown variable is an error there) and sees a comment.
const CLUSTER: &str = "COALESCE(/*M! IF(@@wsrep_on, 'galera', NULL), */ '')";

/// What `information_schema.TABLES` calls a table: MariaDB's system-versioned tables are
/// tables too.
const TABLE_TYPES: &str = "'BASE TABLE', 'SYSTEM VERSIONED'";

/// Puts back the `sql_mode` and `sql_notes` that [`SAVE_SQL_MODE`] saved.
const RESTORE_SQL_MODE: &str =
    "SET SESSION sql_mode = @sqlx_table_sql_mode, SESSION sql_notes = @sqlx_table_sql_notes";

impl sealed::Sealed for MySql {
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
        crate::live::mysql::read(conn, schemas)
    }

    /// A row per table, not a JSON array: MariaDB cuts `JSON_ARRAYAGG` at
    /// `group_concat_max_len`. The column names, when asked, are a row per table too, each
    /// far shorter than that limit.
    fn catalog_query(schema: &Models, columns: bool) -> String {
        let in_schemas = super::literal_list(DIALECT, "DATABASE()", &super::named_schemas(schema));
        let mut sql = format!(
            "SELECT '{default}', CONVERT(COALESCE(DATABASE(), '') USING utf8mb4), '' \
             UNION ALL SELECT '{ignore_case}', '', CAST(@@lower_case_table_names AS CHAR) \
             UNION ALL SELECT '{table}', CONVERT(TABLE_SCHEMA USING utf8mb4), CONVERT(TABLE_NAME USING utf8mb4) \
             FROM information_schema.TABLES \
             WHERE TABLE_TYPE IN ({TABLE_TYPES}) AND TABLE_SCHEMA IN ({in_schemas})",
            default = Tag::DefaultSchema.sql(),
            ignore_case = Tag::IgnoreCase.sql(),
            table = Tag::Table.sql(),
        );
        if columns {
            let _ = write!(
                sql,
                " UNION ALL SELECT '{tag}', CONVERT(TABLE_SCHEMA USING utf8mb4), \
                 CONVERT(JSON_OBJECT(TABLE_NAME, JSON_ARRAYAGG(COLUMN_NAME)) USING utf8mb4) \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ({in_schemas}) \
                 GROUP BY TABLE_SCHEMA, TABLE_NAME",
                tag = Tag::Columns.sql(),
            );
        }
        let fk_names = super::deferred_fk_names(schema);
        if !fk_names.is_empty() {
            let _ = write!(
                sql,
                " UNION ALL SELECT '{fk}', CONVERT(CONSTRAINT_SCHEMA USING utf8mb4), CONVERT(CONSTRAINT_NAME USING utf8mb4) \
                 FROM information_schema.TABLE_CONSTRAINTS \
                 WHERE CONSTRAINT_TYPE = 'FOREIGN KEY' AND CONSTRAINT_SCHEMA IN ({in_schemas}) \
                 AND CONSTRAINT_NAME IN ({})",
                super::literal_list(DIALECT, "''", &fk_names),
                fk = Tag::ForeignKey.sql(),
            );
        }
        sql
    }

    /// Views and sequences (MariaDB) share the tables' namespace; indexes are per table.
    fn others_query(schema: &Models) -> String {
        let in_schemas = super::literal_list(DIALECT, "DATABASE()", &super::named_schemas(schema));
        format!(
            " UNION ALL SELECT '{others}', CONVERT(TABLE_SCHEMA USING utf8mb4), \
             CONVERT(CONCAT('[', JSON_ARRAY(TABLE_NAME, LOWER(TABLE_TYPE)), ']') USING utf8mb4) \
             FROM information_schema.TABLES \
             WHERE TABLE_TYPE NOT IN ({TABLE_TYPES}) AND TABLE_SCHEMA IN ({in_schemas})",
            others = Tag::Others.sql(),
        )
    }

    /// A session lock that [`unlock`](sealed::Sealed::unlock) releases. `GET_LOCK` answers 1
    /// once taken, 0 when its wait ran out, NULL (written -1) on an error.
    ///
    /// The session's `sql_mode` is saved and `NO_BACKSLASH_ESCAPES` taken out of it until
    /// [`unlock`](sealed::Sealed::unlock): string literals are written with backslash escapes
    /// (`'C:\\dir'`), which that mode would store doubled.
    /// Never inside the caller's transaction: DDL would commit it ([`super::target`]).
    fn lock(timeout: Duration, catalog: &str, _: bool) -> String {
        format!(
            "{SAVE_SQL_MODE}; \
             SELECT '{lock}', '', CAST(COALESCE(GET_LOCK({LOCK_NAME}, {secs}), -1) AS CHAR) \
             UNION ALL SELECT '{cluster}', '', {CLUSTER}; {catalog}",
            lock = Tag::Lock.sql(),
            cluster = Tag::Cluster.sql(),
            secs = timeout.as_secs_f64().max(0.001)
        )
    }

    fn next_transaction(_: bool) -> Option<String> {
        None
    }

    fn unlock(_: &LockState) -> String {
        format!("DO RELEASE_LOCK({LOCK_NAME}); {RESTORE_SQL_MODE}")
    }

    /// Each DDL statement committed on its own: there is nothing to roll back.
    fn abort(lock: &LockState) -> String {
        Self::unlock(lock)
    }

    /// Galera runs DDL in Total Order Isolation: each statement runs on every node, in one
    /// order for the whole cluster. Two processes on two nodes, each under its own node's
    /// `GET_LOCK`, may both find a table missing; written `IF NOT EXISTS`, the one ordered
    /// second does nothing and says so with a note, which `@@warning_count` counts
    /// (`sql_notes` on, for this session until the unlock).
    fn idempotent(statement: &Statement) -> Option<String> {
        Some(format!(
            "SET SESSION sql_notes = 1; {}; SELECT '{warnings}', '', CAST(@@warning_count AS CHAR)",
            if_not_exists(&statement.sql),
            warnings = Tag::Warnings.sql(),
        ))
    }

    /// The wait running out is an answer of `GET_LOCK` (0), not an error.
    fn no_default_schema(_: &str) -> String {
        "the connection has no database selected; name one in the URL (`mysql://host/database`)"
            .to_owned()
    }

    fn unattached_schema(_: &sqlx::Error) -> Option<String> {
        None
    }

    fn is_lock_timeout(_: &sqlx::Error) -> bool {
        false
    }

    fn open_cycles(schema: &Models, catalog: &Catalog) -> Vec<Statement> {
        super::drop_present_cycle_keys(DIALECT, schema, catalog)
    }
}

/// A statement of ours with MariaDB's `IF [NOT] EXISTS` where it has one: `CREATE TABLE`,
/// `CREATE INDEX`, a foreign key added by `ALTER TABLE` (a cycle's) or dropped
/// (`drop_all`), and `ADD COLUMN` (`migrate`). Other statements are returned as they are
/// (`DROP TABLE` is already `IF EXISTS`).
fn if_not_exists(sql: &str) -> String {
    for (prefix, with) in [
        ("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS "),
        ("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS "),
        ("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS "),
    ] {
        if let Some(rest) = sql.strip_prefix(prefix) {
            return format!("{with}{rest}");
        }
    }
    if sql.starts_with("ALTER TABLE ") {
        // `ADD CONSTRAINT name FOREIGN KEY IF NOT EXISTS (...)`, `ADD COLUMN IF NOT EXISTS`:
        // after the table's name, whose quotes can't hold a quote of ours.
        for (key, with) in [
            (" FOREIGN KEY (", " FOREIGN KEY IF NOT EXISTS ("),
            (" ADD COLUMN ", " ADD COLUMN IF NOT EXISTS "),
            (" DROP FOREIGN KEY ", " DROP FOREIGN KEY IF EXISTS "),
        ] {
            if let Some(at) = sql.find(key) {
                return format!("{}{with}{}", &sql[..at], &sql[at + key.len()..]);
            }
        }
    }
    sql.to_owned()
}

#[cfg(test)]
mod tests {
    use super::if_not_exists;

    #[test]
    fn statements_become_idempotent_where_mariadb_can_write_them_so() {
        assert_eq!(
            if_not_exists("CREATE TABLE `t` (\n    `id` BIGINT\n)"),
            "CREATE TABLE IF NOT EXISTS `t` (\n    `id` BIGINT\n)"
        );
        assert_eq!(
            if_not_exists("CREATE INDEX `ix_t_a` ON `t` (`a`)"),
            "CREATE INDEX IF NOT EXISTS `ix_t_a` ON `t` (`a`)"
        );
        assert_eq!(
            if_not_exists(
                "ALTER TABLE `a` ADD CONSTRAINT `fk_a_b_id` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`)"
            ),
            "ALTER TABLE `a` ADD CONSTRAINT `fk_a_b_id` FOREIGN KEY IF NOT EXISTS (`b_id`) REFERENCES `b` (`id`)"
        );
        assert_eq!(
            if_not_exists("ALTER TABLE `a` ADD COLUMN `n` INT NULL"),
            "ALTER TABLE `a` ADD COLUMN IF NOT EXISTS `n` INT NULL"
        );
        assert_eq!(
            if_not_exists("ALTER TABLE `a` DROP FOREIGN KEY `fk_a_b_id`"),
            "ALTER TABLE `a` DROP FOREIGN KEY IF EXISTS `fk_a_b_id`"
        );
        assert_eq!(
            if_not_exists("ALTER TABLE `a` MODIFY `n` INT"),
            "ALTER TABLE `a` MODIFY `n` INT"
        );
    }
}
