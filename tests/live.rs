//! `LiveSchema::read` against real databases: hand-written DDL in each database's own
//! spelling reads back exactly, a database that `create_all` built reads back as its models
//! say, and the number of catalog queries doesn't grow with the number of tables.
//!
//! Over 400 lines: hand-written DDL for each backend in its own spelling, and every field of
//! what the reader returns for it, written out.

mod common;
pub mod models;

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::pool::PoolOptions;
use sqlx::{AssertSqlSafe, Pool};
use sqlx_table::live::{LiveSchema, LiveTable};
use sqlx_table::{Backend, Models, Table};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use uuid::Uuid;

/// A `LiveTable` as plain tuples, so that one `assert_eq!` compares every field and shows
/// the difference.
#[derive(Debug, PartialEq, Eq)]
struct View<'a> {
    comment: Option<&'a str>,
    columns: Vec<Column<'a>>,
    primary_key: Option<Key<'a>>,
    uniques: Vec<Key<'a>>,
    indexes: Vec<Index<'a>>,
    foreign_keys: Vec<ForeignKey<'a>>,
    checks: Vec<(Option<&'a str>, &'a str)>,
}

/// name, type, nullable, default, auto_increment, comment
type Column<'a> = (
    &'a str,
    &'a str,
    bool,
    Option<&'a str>,
    bool,
    Option<&'a str>,
);
/// name, columns
type Key<'a> = (Option<&'a str>, Vec<&'a str>);
/// name, parts (column or expression, is expression, descending), unique, predicate
type Index<'a> = (&'a str, Vec<(&'a str, bool, bool)>, bool, Option<&'a str>);
/// name, columns, ref schema, ref table, ref columns, on delete, on update
type ForeignKey<'a> = (
    Option<&'a str>,
    Vec<&'a str>,
    &'a str,
    &'a str,
    Vec<&'a str>,
    &'a str,
    &'a str,
);

fn strs(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

fn view(t: &LiveTable) -> View<'_> {
    View {
        comment: t.comment.as_deref(),
        columns: t
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.data_type.as_str(),
                    c.nullable,
                    c.default.as_deref(),
                    c.auto_increment,
                    c.comment.as_deref(),
                )
            })
            .collect(),
        primary_key: t
            .primary_key
            .as_ref()
            .map(|k| (k.name.as_deref(), strs(&k.columns))),
        uniques: t
            .uniques
            .iter()
            .map(|k| (k.name.as_deref(), strs(&k.columns)))
            .collect(),
        indexes: t
            .indexes
            .iter()
            .map(|i| {
                (
                    i.name.as_str(),
                    i.parts
                        .iter()
                        .map(|p| (p.column.as_str(), p.expression, p.descending))
                        .collect(),
                    i.unique,
                    i.predicate.as_deref(),
                )
            })
            .collect(),
        foreign_keys: t
            .foreign_keys
            .iter()
            .map(|f| {
                (
                    f.name.as_deref(),
                    strs(&f.columns),
                    f.ref_schema.as_str(),
                    f.ref_table.as_str(),
                    strs(&f.ref_columns),
                    f.on_delete.as_str(),
                    f.on_update.as_str(),
                )
            })
            .collect(),
        checks: t
            .checks
            .iter()
            .map(|c| (c.name.as_deref(), c.expr.as_str()))
            .collect(),
    }
}

async fn run<DB: sqlx::Database>(pool: &Pool<DB>, sql: &str)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
}

fn table<'a>(live: &'a LiveSchema, schema: Option<&str>, name: &str) -> &'a LiveTable {
    live.table(schema, name)
        .unwrap_or_else(|| panic!("no table {schema:?}.{name} in {live:#?}"))
}

// ---------------------------------------------------------------------------------------
// Hand-written DDL, read back exactly.

#[tokio::test]
async fn postgres_reads_hand_written_ddl_exactly() {
    let _turn = count_queries().await;
    let Some(db) = common::postgres().await else {
        return;
    };
    let empty = LiveSchema::read(&db.pool, &[]).await.unwrap();
    assert!(empty.tables.is_empty(), "{empty:#?}");
    run(
        &db.pool,
        "CREATE SCHEMA audit;
         CREATE TABLE audit.actors (
             id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             name text NOT NULL
         );
         COMMENT ON TABLE audit.actors IS 'Who did it';
         CREATE TABLE accounts (
             org_id integer NOT NULL,
             id integer NOT NULL,
             email character varying(255) NOT NULL,
             status character varying(20) NOT NULL DEFAULT 'active',
             balance numeric(12,2) DEFAULT 0,
             verified boolean NOT NULL DEFAULT false,
             created_at timestamp without time zone NOT NULL DEFAULT now(),
             token uuid DEFAULT gen_random_uuid(),
             parent_id integer,
             actor_id bigint,
             deleted_at timestamp,
             note text CHECK (note <> 'a)b'),
             CONSTRAINT accounts_pkey PRIMARY KEY (org_id, id),
             CONSTRAINT uq_accounts_email UNIQUE (org_id, email),
             CONSTRAINT fk_accounts_parent FOREIGN KEY (org_id, parent_id)
                 REFERENCES accounts (org_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
             CONSTRAINT fk_accounts_actor FOREIGN KEY (actor_id)
                 REFERENCES audit.actors (id) ON DELETE SET NULL ON UPDATE RESTRICT,
             CONSTRAINT ck_accounts_balance CHECK (balance >= 0)
         );
         COMMENT ON TABLE accounts IS 'Customer accounts';
         COMMENT ON COLUMN accounts.email IS 'Login, unique per org';
         CREATE INDEX ix_accounts_created ON accounts (created_at DESC, status);
         CREATE INDEX ix_accounts_lower_email ON accounts (lower(email));
         CREATE UNIQUE INDEX ix_accounts_live_email ON accounts (email) WHERE deleted_at IS NULL;",
    )
    .await;

    let live = LiveSchema::read(&db.pool, &["audit"]).await.unwrap();
    assert_eq!(live.default_schema, "public");
    let names: Vec<(&str, &str)> = live
        .tables
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(names, [("audit", "actors"), ("public", "accounts")]);

    assert_eq!(
        view(table(&live, Some("audit"), "actors")),
        View {
            comment: Some("Who did it"),
            columns: vec![
                ("id", "bigint", false, None, true, None),
                ("name", "text", false, None, false, None),
            ],
            primary_key: Some((Some("actors_pkey"), vec!["id"])),
            uniques: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
        }
    );
    assert_eq!(
        view(table(&live, None, "accounts")),
        View {
            comment: Some("Customer accounts"),
            columns: vec![
                ("org_id", "integer", false, None, false, None),
                ("id", "integer", false, None, false, None),
                (
                    "email",
                    "character varying(255)",
                    false,
                    None,
                    false,
                    Some("Login, unique per org")
                ),
                (
                    "status",
                    "character varying(20)",
                    false,
                    Some("'active'::character varying"),
                    false,
                    None
                ),
                ("balance", "numeric(12,2)", true, Some("0"), false, None),
                ("verified", "boolean", false, Some("false"), false, None),
                (
                    "created_at",
                    "timestamp without time zone",
                    false,
                    Some("now()"),
                    false,
                    None
                ),
                (
                    "token",
                    "uuid",
                    true,
                    Some("gen_random_uuid()"),
                    false,
                    None
                ),
                ("parent_id", "integer", true, None, false, None),
                ("actor_id", "bigint", true, None, false, None),
                (
                    "deleted_at",
                    "timestamp without time zone",
                    true,
                    None,
                    false,
                    None
                ),
                ("note", "text", true, None, false, None),
            ],
            primary_key: Some((Some("accounts_pkey"), vec!["org_id", "id"])),
            uniques: vec![(Some("uq_accounts_email"), vec!["org_id", "email"])],
            indexes: vec![
                (
                    "ix_accounts_created",
                    vec![("created_at", false, true), ("status", false, false)],
                    false,
                    None
                ),
                (
                    "ix_accounts_live_email",
                    vec![("email", false, false)],
                    true,
                    Some("deleted_at IS NULL")
                ),
                (
                    "ix_accounts_lower_email",
                    vec![("lower(email::text)", true, false)],
                    false,
                    None
                ),
            ],
            foreign_keys: vec![
                (
                    Some("fk_accounts_actor"),
                    vec!["actor_id"],
                    "audit",
                    "actors",
                    vec!["id"],
                    "SET NULL",
                    "RESTRICT"
                ),
                (
                    Some("fk_accounts_parent"),
                    vec!["org_id", "parent_id"],
                    "public",
                    "accounts",
                    vec!["org_id", "id"],
                    "CASCADE",
                    "CASCADE"
                ),
            ],
            checks: vec![
                (Some("accounts_note_check"), "(note <> 'a)b'::text)"),
                (Some("ck_accounts_balance"), "(balance >= (0)::numeric)"),
            ],
        }
    );
}

#[tokio::test]
async fn sqlite_reads_hand_written_ddl_exactly() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    let empty = LiveSchema::read(&db.pool, &[]).await.unwrap();
    assert!(empty.tables.is_empty(), "{empty:#?}");
    run(
        &db.pool,
        "CREATE TABLE actors (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
         CREATE TABLE accounts (
             org_id INTEGER NOT NULL,
             id INTEGER NOT NULL,
             email VARCHAR(255) NOT NULL,
             status TEXT NOT NULL DEFAULT 'active',
             balance NUMERIC DEFAULT 0,
             verified BOOLEAN NOT NULL DEFAULT FALSE,
             created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
             token TEXT DEFAULT (lower(hex(randomblob(16)))),
             parent_id INTEGER,
             actor_id INTEGER CONSTRAINT fk_accounts_actor REFERENCES actors (id)
                 ON DELETE SET NULL ON UPDATE RESTRICT,
             deleted_at DATETIME,
             note TEXT CHECK (note <> 'a)b'), -- a comment with a ) in it
             CONSTRAINT pk_accounts PRIMARY KEY (org_id, id),
             CONSTRAINT uq_accounts_email UNIQUE (org_id, email),
             CONSTRAINT fk_accounts_parent FOREIGN KEY (org_id, parent_id)
                 REFERENCES accounts (org_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
             CONSTRAINT ck_accounts_balance CHECK (balance >= 0)
         );
         CREATE TABLE events (
             id INTEGER PRIMARY KEY,
             account_org INTEGER,
             account_id INTEGER,
             kind TEXT NOT NULL UNIQUE,
             FOREIGN KEY (account_org, account_id) REFERENCES accounts ON DELETE CASCADE
         );
         CREATE INDEX ix_accounts_created ON accounts (created_at DESC, status);
         CREATE INDEX ix_accounts_lower_email ON accounts (lower(email));
         CREATE UNIQUE INDEX ix_accounts_live_email ON accounts (email) WHERE deleted_at IS NULL;",
    )
    .await;

    let live = LiveSchema::read(&db.pool, &[]).await.unwrap();
    assert_eq!(live.default_schema, "main");
    let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["accounts", "actors", "events"]);

    assert_eq!(
        view(table(&live, None, "actors")),
        View {
            comment: None,
            columns: vec![
                ("id", "INTEGER", false, None, true, None),
                ("name", "TEXT", false, None, false, None),
            ],
            primary_key: Some((None, vec!["id"])),
            uniques: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
        }
    );
    assert_eq!(
        view(table(&live, None, "accounts")),
        View {
            comment: None,
            columns: vec![
                ("org_id", "INTEGER", false, None, false, None),
                ("id", "INTEGER", false, None, false, None),
                ("email", "VARCHAR(255)", false, None, false, None),
                ("status", "TEXT", false, Some("'active'"), false, None),
                ("balance", "NUMERIC", true, Some("0"), false, None),
                ("verified", "BOOLEAN", false, Some("FALSE"), false, None),
                (
                    "created_at",
                    "DATETIME",
                    false,
                    Some("CURRENT_TIMESTAMP"),
                    false,
                    None
                ),
                (
                    "token",
                    "TEXT",
                    true,
                    Some("lower(hex(randomblob(16)))"),
                    false,
                    None
                ),
                ("parent_id", "INTEGER", true, None, false, None),
                ("actor_id", "INTEGER", true, None, false, None),
                ("deleted_at", "DATETIME", true, None, false, None),
                ("note", "TEXT", true, None, false, None),
            ],
            primary_key: Some((Some("pk_accounts"), vec!["org_id", "id"])),
            uniques: vec![(Some("uq_accounts_email"), vec!["org_id", "email"])],
            indexes: vec![
                (
                    "ix_accounts_created",
                    vec![("created_at", false, true), ("status", false, false)],
                    false,
                    None
                ),
                (
                    "ix_accounts_live_email",
                    vec![("email", false, false)],
                    true,
                    Some("deleted_at IS NULL")
                ),
                (
                    "ix_accounts_lower_email",
                    vec![("lower(email)", true, false)],
                    false,
                    None
                ),
            ],
            foreign_keys: vec![
                (
                    Some("fk_accounts_actor"),
                    vec!["actor_id"],
                    "main",
                    "actors",
                    vec!["id"],
                    "SET NULL",
                    "RESTRICT"
                ),
                (
                    Some("fk_accounts_parent"),
                    vec!["org_id", "parent_id"],
                    "main",
                    "accounts",
                    vec!["org_id", "id"],
                    "CASCADE",
                    "CASCADE"
                ),
            ],
            checks: vec![
                (None, "note <> 'a)b'"),
                (Some("ck_accounts_balance"), "balance >= 0"),
            ],
        }
    );
    // An INTEGER PRIMARY KEY without AUTOINCREMENT is the rowid: never NULL, but not
    // AUTOINCREMENT either; a foreign key without columns means the target's key.
    assert_eq!(
        view(table(&live, None, "events")),
        View {
            comment: None,
            columns: vec![
                ("id", "INTEGER", false, None, false, None),
                ("account_org", "INTEGER", true, None, false, None),
                ("account_id", "INTEGER", true, None, false, None),
                ("kind", "TEXT", false, None, false, None),
            ],
            primary_key: Some((None, vec!["id"])),
            uniques: vec![(None, vec!["kind"])],
            indexes: vec![],
            foreign_keys: vec![(
                None,
                vec!["account_org", "account_id"],
                "main",
                "accounts",
                vec!["org_id", "id"],
                "CASCADE",
                "NO ACTION"
            )],
            checks: vec![],
        }
    );
}

#[tokio::test]
async fn mysql_reads_hand_written_ddl_exactly() {
    let _turn = count_queries().await;
    let Some(db) = common::mysql().await else {
        return;
    };
    let empty = LiveSchema::read(&db.pool, &[]).await.unwrap();
    assert!(empty.tables.is_empty(), "{empty:#?}");
    run(
        &db.pool,
        "CREATE TABLE actors (
             id BIGINT AUTO_INCREMENT PRIMARY KEY,
             name VARCHAR(100) NOT NULL
         ) COMMENT = 'Who did it';
         CREATE TABLE accounts (
             org_id INT NOT NULL,
             id INT NOT NULL,
             email VARCHAR(255) NOT NULL COMMENT 'Login, unique per org',
             status VARCHAR(20) NOT NULL DEFAULT 'active',
             balance DECIMAL(12,2) DEFAULT 0,
             verified BOOLEAN NOT NULL DEFAULT FALSE,
             created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
             token CHAR(36) DEFAULT (UUID()),
             parent_id INT,
             actor_id BIGINT,
             note TEXT CHECK (note <> 'a)b'),
             PRIMARY KEY (org_id, id),
             CONSTRAINT uq_accounts_email UNIQUE (org_id, email),
             INDEX ix_accounts_created (created_at DESC, status),
             CONSTRAINT fk_accounts_parent FOREIGN KEY (org_id, parent_id)
                 REFERENCES accounts (org_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
             CONSTRAINT fk_accounts_actor FOREIGN KEY (actor_id)
                 REFERENCES actors (id) ON DELETE SET NULL ON UPDATE RESTRICT,
             CONSTRAINT ck_accounts_balance CHECK (balance >= 0)
         ) COMMENT = 'Customer accounts';",
    )
    .await;

    let live = LiveSchema::read(&db.pool, &[]).await.unwrap();
    let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["accounts", "actors"]);
    assert!(live.default_schema.starts_with("table_test_"));

    assert_eq!(
        view(table(&live, None, "actors")),
        View {
            comment: Some("Who did it"),
            columns: vec![
                ("id", "bigint(20)", false, None, true, None),
                ("name", "varchar(100)", false, None, false, None),
            ],
            primary_key: Some((Some("PRIMARY"), vec!["id"])),
            uniques: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
        }
    );
    assert_eq!(
        view(table(&live, None, "accounts")),
        View {
            comment: Some("Customer accounts"),
            columns: vec![
                ("org_id", "int(11)", false, None, false, None),
                ("id", "int(11)", false, None, false, None),
                (
                    "email",
                    "varchar(255)",
                    false,
                    None,
                    false,
                    Some("Login, unique per org")
                ),
                (
                    "status",
                    "varchar(20)",
                    false,
                    Some("'active'"),
                    false,
                    None
                ),
                ("balance", "decimal(12,2)", true, Some("0.00"), false, None),
                ("verified", "tinyint(1)", false, Some("0"), false, None),
                (
                    "created_at",
                    "datetime",
                    false,
                    Some("current_timestamp()"),
                    false,
                    None
                ),
                ("token", "char(36)", true, Some("uuid()"), false, None),
                ("parent_id", "int(11)", true, None, false, None),
                ("actor_id", "bigint(20)", true, None, false, None),
                ("note", "text", true, None, false, None),
            ],
            primary_key: Some((Some("PRIMARY"), vec!["org_id", "id"])),
            uniques: vec![(Some("uq_accounts_email"), vec!["org_id", "email"])],
            // InnoDB indexes every foreign key; where no index starts with its columns, it
            // makes one named after the constraint.
            indexes: vec![
                (
                    "fk_accounts_actor",
                    vec![("actor_id", false, false)],
                    false,
                    None
                ),
                (
                    "fk_accounts_parent",
                    vec![("org_id", false, false), ("parent_id", false, false)],
                    false,
                    None
                ),
                (
                    "ix_accounts_created",
                    vec![("created_at", false, true), ("status", false, false)],
                    false,
                    None
                ),
            ],
            foreign_keys: vec![
                (
                    Some("fk_accounts_actor"),
                    vec!["actor_id"],
                    &live.default_schema,
                    "actors",
                    vec!["id"],
                    "SET NULL",
                    "RESTRICT"
                ),
                (
                    Some("fk_accounts_parent"),
                    vec!["org_id", "parent_id"],
                    &live.default_schema,
                    "accounts",
                    vec!["org_id", "id"],
                    "CASCADE",
                    "CASCADE"
                ),
            ],
            // MariaDB names a column's CHECK after the column.
            checks: vec![
                (Some("ck_accounts_balance"), "`balance` >= 0"),
                (Some("note"), "`note` <> 'a)b'"),
            ],
        }
    );
}

#[tokio::test]
async fn sqlite_unattached_schema_has_no_tables_and_a_closed_pool_is_a_typed_error() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    run(&db.pool, "CREATE TABLE t (id INTEGER PRIMARY KEY)").await;
    let live = LiveSchema::read(&db.pool, &["nowhere"]).await.unwrap();
    let names: Vec<(&str, &str)> = live
        .tables
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(names, [("main", "t")]);

    db.pool.close().await;
    let err = LiveSchema::read(&db.pool, &[]).await.unwrap_err();
    // Not a statement that failed: no connection was had.
    assert!(
        matches!(err, sqlx_table::Error::Pool { .. }),
        "expected a pool error, got {err}"
    );
}

/// `nullable` says what the table accepts: SQLite lets a TEXT primary key of a rowid table
/// hold NULL (a historical quirk), but not the key of a WITHOUT ROWID table nor an
/// INTEGER PRIMARY KEY, whose notnull flags all say 0.
#[tokio::test]
async fn sqlite_key_columns_are_nullable_exactly_when_sqlite_accepts_null() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    run(
        &db.pool,
        "CREATE TABLE loose (k TEXT PRIMARY KEY, v TEXT);
         CREATE TABLE strict_key (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
         CREATE TABLE numbered (k INTEGER PRIMARY KEY, v TEXT);",
    )
    .await;
    let live = LiveSchema::read(&db.pool, &[]).await.unwrap();
    for (name, nullable) in [("loose", true), ("strict_key", false), ("numbered", false)] {
        let column = table(&live, None, name).column("k").unwrap();
        assert_eq!(column.nullable, nullable, "{name}.k");
        let insert = sqlx::raw_sql(AssertSqlSafe(format!(
            "INSERT INTO {name} (k, v) VALUES (NULL, 'x')"
        )))
        .execute(&db.pool)
        .await;
        // An INTEGER PRIMARY KEY takes NULL as "number it for me": the row gets a key.
        let stored_null: Option<i64> = if insert.is_ok() {
            sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {name} WHERE k IS NULL"
            )))
            .fetch_one(&db.pool)
            .await
            .ok()
        } else {
            None
        };
        assert_eq!(
            stored_null.is_some_and(|n| n > 0),
            nullable,
            "{name}: {insert:?}"
        );
    }
}

/// An attached database is a schema: its tables come with their own indexes, keys and
/// foreign keys, read with the pragmas of that schema.
#[tokio::test]
async fn sqlite_reads_an_attached_database_as_a_schema() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    let other = common::sqlite().await;
    let other_path = other
        .url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap();
    // ATTACH is per connection: one connection, so that the read sees it.
    let pool = PoolOptions::<sqlx::Sqlite>::new()
        .max_connections(1)
        .connect(&db.url)
        .await
        .unwrap();
    run(
        &pool,
        &format!(
            "ATTACH DATABASE '{other_path}' AS aux;
             CREATE TABLE t (id INTEGER PRIMARY KEY);
             CREATE TABLE aux.parents (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
             CREATE TABLE aux.children (
                 id INTEGER PRIMARY KEY,
                 parent_id INTEGER CONSTRAINT fk_children_parent REFERENCES parents (id) ON DELETE CASCADE
             );
             CREATE INDEX aux.ix_children_parent ON children (parent_id DESC);"
        ),
    )
    .await;
    let live = LiveSchema::read(&pool, &["aux"]).await.unwrap();
    let names: Vec<(&str, &str)> = live
        .tables
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("aux", "children"), ("aux", "parents"), ("main", "t")]
    );
    assert_eq!(
        view(table(&live, Some("aux"), "children")),
        View {
            comment: None,
            columns: vec![
                ("id", "INTEGER", false, None, false, None),
                ("parent_id", "INTEGER", true, None, false, None),
            ],
            primary_key: Some((None, vec!["id"])),
            uniques: vec![],
            indexes: vec![(
                "ix_children_parent",
                vec![("parent_id", false, true)],
                false,
                None
            )],
            foreign_keys: vec![(
                Some("fk_children_parent"),
                vec!["parent_id"],
                "aux",
                "parents",
                vec!["id"],
                "CASCADE",
                "NO ACTION"
            )],
            checks: vec![],
        }
    );
    assert_eq!(
        view(table(&live, Some("aux"), "parents")).uniques,
        [(None, vec!["code"])]
    );
    pool.close().await;
}

/// A second database is a schema on MariaDB, read in the same request, with a foreign key
/// into it from the default one.
#[tokio::test]
async fn mysql_reads_a_second_database_as_a_schema() {
    let _turn = count_queries().await;
    let Some(db) = common::mysql().await else {
        return;
    };
    let aux = common::unique_name("table_test_aux");
    run(
        &db.pool,
        &format!(
            "CREATE DATABASE `{aux}`;
             CREATE TABLE `{aux}`.parents (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL,
                 CONSTRAINT uq_parents_code UNIQUE (code));
             CREATE TABLE children (id INT PRIMARY KEY, parent_id INT,
                 CONSTRAINT fk_children_parent FOREIGN KEY (parent_id)
                     REFERENCES `{aux}`.parents (id) ON DELETE CASCADE);"
        ),
    )
    .await;
    let live = LiveSchema::read(&db.pool, &[&aux]).await;
    run(
        &db.pool,
        &format!("DROP TABLE children; DROP DATABASE `{aux}`"),
    )
    .await;
    let live = live.unwrap();
    let names: Vec<(&str, &str)> = live
        .tables
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    let default = live.default_schema.as_str();
    let mut expected = vec![(default, "children"), (aux.as_str(), "parents")];
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(
        view(table(&live, Some(&aux), "parents")).uniques,
        [(Some("uq_parents_code"), vec!["code"])]
    );
    assert_eq!(
        view(table(&live, None, "children")).foreign_keys,
        [(
            Some("fk_children_parent"),
            vec!["parent_id"],
            aux.as_str(),
            "parents",
            vec!["id"],
            "CASCADE",
            "RESTRICT"
        )]
    );
}

/// The settings a read changes for its own query (PostgreSQL's `jit`, MariaDB's
/// `group_concat_max_len`) are the session's own again afterwards.
#[tokio::test]
async fn reads_leave_session_settings_as_they_were() {
    let _turn = count_queries().await;
    if let Some(db) = common::postgres().await {
        let pool = PoolOptions::<sqlx::Postgres>::new()
            .max_connections(1)
            .connect(&db.url)
            .await
            .unwrap();
        let show = async || -> String {
            sqlx::query_scalar("SELECT current_setting('jit')")
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        let before = show().await;
        LiveSchema::read(&pool, &[]).await.unwrap();
        assert_eq!(show().await, before);
        pool.close().await;
    }
    if let Some(db) = common::mysql().await {
        let pool = PoolOptions::<sqlx::MySql>::new()
            .max_connections(1)
            .connect(&db.url)
            .await
            .unwrap();
        run(&pool, "SET SESSION group_concat_max_len = 12345").await;
        LiveSchema::read(&pool, &[]).await.unwrap();
        let after: u64 = sqlx::query_scalar("SELECT @@SESSION.group_concat_max_len")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(after, 12345);
        pool.close().await;
    }
}

// ---------------------------------------------------------------------------------------
// What create_all built, read back through the models' own Models::inspect.

// DESIGN.md's pair, shared with the other test binaries.
use models::{User, Voice};

/// A table in a named schema (PostgreSQL only here), numbered by the database.
#[derive(Table)]
#[table(schema = "audit", name = "events")]
pub struct AuditEvent {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(references = User)]
    pub user_id: Option<Uuid>,
}

/// The facts of users and voices that don't depend on the backend's spellings.
fn assert_users_and_voices(
    live: &LiveSchema,
    users_pk: Option<&str>,
    voices_pk: Option<&str>,
    with_comment: bool,
) {
    let users = view(table(live, None, "users"));
    assert_eq!(users.primary_key, Some((users_pk, vec!["id"])));
    assert_eq!(users.uniques, [(Some("uq_users_email"), vec!["email"])]);
    assert!(users.indexes.is_empty() && users.foreign_keys.is_empty() && users.checks.is_empty());
    let voices = view(table(live, None, "voices"));
    assert_eq!(
        voices.comment,
        with_comment.then_some("A voice sample uploaded by a user.")
    );
    assert_eq!(voices.primary_key, Some((voices_pk, vec!["voice_id"])));
    assert!(voices.uniques.is_empty() && voices.checks.is_empty());
    assert_eq!(
        voices.indexes,
        [
            (
                "ix_voices_status",
                vec![("status", false, false)],
                false,
                None
            ),
            (
                "ix_voices_user_id",
                vec![("user_id", false, false)],
                false,
                None
            ),
        ]
    );
    assert_eq!(
        voices.foreign_keys,
        [(
            Some("fk_voices_user_id"),
            vec!["user_id"],
            live.default_schema.as_str(),
            "users",
            vec!["id"],
            "CASCADE",
            if live.default_schema == "main" || live.default_schema == "public" {
                "NO ACTION"
            } else {
                // InnoDB's default, which MariaDB reports as such.
                "RESTRICT"
            }
        )]
    );
}

#[tokio::test]
async fn sqlite_reads_back_what_create_all_built() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    let schema = Models::new([&User::DEF, &Voice::DEF]).unwrap();
    schema.create_all(&db.pool).await.unwrap();
    let live = schema.inspect(&db.pool).await.unwrap();
    assert_eq!(live.tables.len(), 2);
    assert_users_and_voices(&live, None, None, false);
    assert_eq!(
        view(table(&live, None, "users")).columns,
        [
            ("id", "BLOB", false, None, false, None),
            ("email", "TEXT", false, None, false, None),
            ("created_at", "DATETIME", true, None, false, None),
        ]
    );
    assert_eq!(
        view(table(&live, None, "voices")).columns,
        [
            (
                "voice_id",
                "BLOB",
                false,
                Some(
                    "unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) || \
                     substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(8)), 2))"
                ),
                false,
                None
            ),
            ("user_id", "BLOB", false, None, false, None),
            ("name", "TEXT", false, None, false, None),
            ("description", "TEXT", true, None, false, None),
            ("status", "TEXT", false, Some("'uploading'"), false, None),
            ("times_used", "INTEGER", true, Some("0"), false, None),
            (
                "created_at",
                "DATETIME",
                true,
                Some("CURRENT_TIMESTAMP"),
                false,
                None
            ),
        ]
    );
}

#[tokio::test]
async fn postgres_reads_back_what_create_all_built_in_every_schema_it_uses() {
    let _turn = count_queries().await;
    let Some(db) = common::postgres().await else {
        return;
    };
    let schema = Models::new([&User::DEF, &Voice::DEF, &AuditEvent::DEF]).unwrap();
    schema.create_all(&db.pool).await.unwrap();
    let live = schema.inspect(&db.pool).await.unwrap();
    assert_eq!(live.tables.len(), 3);
    assert_users_and_voices(&live, Some("users_pkey"), Some("voices_pkey"), true);
    assert_eq!(
        view(table(&live, None, "users")).columns,
        [
            ("id", "uuid", false, None, false, None),
            ("email", "character varying(255)", false, None, false, None),
            (
                "created_at",
                "timestamp without time zone",
                true,
                None,
                false,
                None
            ),
        ]
    );
    assert_eq!(
        view(table(&live, None, "voices")).columns,
        [
            (
                "voice_id",
                "uuid",
                false,
                Some("gen_random_uuid()"),
                false,
                None
            ),
            ("user_id", "uuid", false, None, false, None),
            ("name", "character varying(200)", false, None, false, None),
            ("description", "text", true, None, false, None),
            (
                "status",
                "character varying(20)",
                false,
                Some("'uploading'::character varying"),
                false,
                None
            ),
            ("times_used", "integer", true, Some("0"), false, None),
            (
                "created_at",
                "timestamp without time zone",
                true,
                Some("CURRENT_TIMESTAMP"),
                false,
                None
            ),
        ]
    );
    let events = view(table(&live, Some("audit"), "events"));
    assert_eq!(events.columns[0].0, "id");
    assert!(events.columns[0].4, "an identity column: {events:?}");
    assert_eq!(
        events.foreign_keys,
        [(
            Some("fk_events_user_id"),
            vec!["user_id"],
            "public",
            "users",
            vec!["id"],
            "NO ACTION",
            "NO ACTION"
        )]
    );
}

#[tokio::test]
async fn mysql_reads_back_what_create_all_built() {
    let _turn = count_queries().await;
    let Some(db) = common::mysql().await else {
        return;
    };
    let schema = Models::new([&User::DEF, &Voice::DEF]).unwrap();
    schema.create_all(&db.pool).await.unwrap();
    let live = schema.inspect(&db.pool).await.unwrap();
    assert_eq!(live.tables.len(), 2);
    assert_users_and_voices(&live, Some("PRIMARY"), Some("PRIMARY"), true);
    assert_eq!(
        view(table(&live, None, "users")).columns,
        [
            ("id", "binary(16)", false, None, false, None),
            ("email", "varchar(255)", false, None, false, None),
            ("created_at", "datetime(6)", true, None, false, None),
        ]
    );
    assert_eq!(
        view(table(&live, None, "voices")).columns,
        [
            (
                "voice_id",
                "binary(16)",
                false,
                Some("unhex(replace(uuid(),'-',''))"),
                false,
                None
            ),
            ("user_id", "binary(16)", false, None, false, None),
            ("name", "varchar(200)", false, None, false, None),
            ("description", "longtext", true, None, false, None),
            (
                "status",
                "varchar(20)",
                false,
                Some("'uploading'"),
                false,
                None
            ),
            ("times_used", "int(11)", true, Some("0"), false, None),
            (
                "created_at",
                "datetime(6)",
                true,
                Some("current_timestamp(6)"),
                false,
                None
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// A bounded number of catalog queries, whatever the number of tables.

/// Requests sqlx sent, process-wide (SQLite connections run on threads of their own, so
/// only a global subscriber sees them all).
static SENT: AtomicUsize = AtomicUsize::new(0);
/// Every test of this file takes its turn, so that a count is one test's requests alone.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct CountQueries;

impl<S: tracing::Subscriber> Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            SENT.fetch_add(1, Ordering::SeqCst);
        }
    }
}

async fn count_queries() -> tokio::sync::MutexGuard<'static, ()> {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountQueries))
            .expect("no other global subscriber in this test binary");
    });
    TURN.lock().await
}

/// `n` tables in the default schema, each with a foreign key, an index, a unique and a
/// check, so that every part of the catalog query has rows.
fn tables_ddl(n: usize, first: usize, auto: &str) -> String {
    (first..first + n)
        .map(|i| {
            format!(
                "CREATE TABLE t{i} (id {auto}, parent_id INTEGER, code VARCHAR(20) NOT NULL, \
                 CONSTRAINT uq_t{i}_code UNIQUE (code), \
                 CONSTRAINT fk_t{i}_parent FOREIGN KEY (parent_id) REFERENCES t{i} (id), \
                 CONSTRAINT ck_t{i}_code CHECK (code <> '')); \
                 CREATE INDEX ix_t{i}_parent ON t{i} (parent_id);"
            )
        })
        .collect()
}

/// The requests one `LiveSchema::read` sends, and the tables it found.
async fn requests_of_read<DB: Backend>(pool: &Pool<DB>) -> (usize, usize) {
    let before = SENT.load(Ordering::SeqCst);
    let live = LiveSchema::read(pool, &[]).await.unwrap();
    (SENT.load(Ordering::SeqCst) - before, live.tables.len())
}

async fn same_requests_for_2_and_200_tables<DB: Backend>(url: &str, auto: &str)
where
    for<'c> &'c Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    // One connection, opened before counting: connecting sends requests of its own.
    let pool = PoolOptions::<DB>::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    run(&pool, &tables_ddl(2, 0, auto)).await;
    let (two, found) = requests_of_read(&pool).await;
    assert_eq!(found, 2);
    run(&pool, &tables_ddl(198, 2, auto)).await;
    let (many, found) = requests_of_read(&pool).await;
    assert_eq!(found, 200);
    assert_eq!(two, many, "requests for 2 tables and for 200");
    assert_eq!(two, 1, "one request per read");
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_read_sends_as_many_requests_for_200_tables_as_for_2() {
    let _turn = count_queries().await;
    let db = common::sqlite().await;
    same_requests_for_2_and_200_tables::<sqlx::Sqlite>(&db.url, "INTEGER PRIMARY KEY").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_read_sends_as_many_requests_for_200_tables_as_for_2() {
    let _turn = count_queries().await;
    let Some(db) = common::postgres().await else {
        return;
    };
    same_requests_for_2_and_200_tables::<sqlx::Postgres>(&db.url, "INTEGER PRIMARY KEY").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_read_sends_as_many_requests_for_200_tables_as_for_2() {
    let _turn = count_queries().await;
    let Some(db) = common::mysql().await else {
        return;
    };
    same_requests_for_2_and_200_tables::<sqlx::MySql>(&db.url, "INTEGER PRIMARY KEY").await;
}
