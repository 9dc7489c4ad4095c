//! An application with two model sets in two databases, and three tenants: the `app` set on
//! PostgreSQL, one schema per tenant plus a schema the tenants share, and the `analytics`
//! set on MariaDB. Every catalog is checked exactly: each set's tables are in its own
//! database only, each tenant's in its own schema, foreign keys point within the tenant
//! (or at the shared schema), and plan, check, migrate and drop_all act on one tenant. On
//! MySQL and SQLite a tenant is a database of the same server, or an attached one.

#![allow(dead_code)] // the models are read as tables, never as rows

mod common;

use sqlx_table::{Error, Models, Table, TableDef};

/// Shared by every tenant: its own schema stays whatever the tenant.
#[derive(Table)]
#[table(set = "app", schema = "shared")]
struct Tier {
    #[table(primary_key, max_length = 20)]
    code: String,
}

#[derive(Table)]
#[table(set = "app")]
struct Customer {
    #[table(primary_key)]
    id: i64,
    #[table(references = Tier)]
    tier_code: String,
    note: Option<String>,
}

#[derive(Table)]
#[table(set = "app", name = "orders")]
struct Order {
    #[table(primary_key)]
    id: i64,
    #[table(references = Customer, on_delete = "cascade")]
    customer_id: i64,
}

#[derive(Table)]
#[table(set = "analytics")]
struct PageView {
    #[table(primary_key)]
    id: i64,
    #[table(max_length = 200)]
    path: String,
}

#[derive(Table)]
#[table(set = "analytics")]
struct Visit {
    #[table(primary_key)]
    id: i64,
    #[table(references = PageView)]
    page_view_id: i64,
}

const TENANTS: [&str; 3] = ["tenant_1", "tenant_2", "tenant_3"];

async fn pg_tables(pool: &sqlx::PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT schemaname || '.' || tablename FROM pg_tables \
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Every foreign key: `schema.table -> schema.table`.
async fn pg_foreign_keys(pool: &sqlx::PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT k.conrelid::regclass::text || ' -> ' || k.confrelid::regclass::text \
         FROM pg_constraint k WHERE k.contype = 'f' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn mysql_tables(pool: &sqlx::MySqlPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE() ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

fn names(schema: &Models) -> Vec<String> {
    schema.tables().map(|t| t.qualified_name()).collect()
}

#[tokio::test]
async fn two_sets_two_databases_three_tenants() {
    let (Some(app_db), Some(analytics_db)) = (common::postgres().await, common::mysql().await)
    else {
        return;
    };
    let app = Models::registered_set("app").unwrap();
    let analytics = Models::registered_set("analytics").unwrap();
    assert_eq!(names(&app), ["shared.tier", "customer", "orders"]);
    assert_eq!(names(&analytics), ["page_view", "visit"]);
    // The default is still every linked model; no model here is in the default set.
    assert_eq!(Models::registered().unwrap().len(), 5);
    assert!(
        Models::registered_set(TableDef::DEFAULT_SET)
            .unwrap()
            .is_empty()
    );

    for tenant in TENANTS {
        let report = app
            .in_schema(tenant)
            .unwrap()
            .create_all(&app_db.pool)
            .await
            .unwrap();
        let mut expected = vec![format!("{tenant}.customer"), format!("{tenant}.orders")];
        if tenant == "tenant_1" {
            expected.insert(0, "shared.tier".to_owned());
            assert_eq!(report.existing, Vec::<String>::new());
        } else {
            assert_eq!(report.existing, ["shared.tier"]);
        }
        assert_eq!(report.created, expected);
    }
    let report = analytics.create_all(&analytics_db.pool).await.unwrap();
    assert_eq!(report.created, ["page_view", "visit"]);

    // PostgreSQL holds the app set only: each tenant's tables in its schema, the shared
    // table once, nothing in the default schema.
    assert_eq!(
        pg_tables(&app_db.pool).await,
        [
            "shared.tier",
            "tenant_1.customer",
            "tenant_1.orders",
            "tenant_2.customer",
            "tenant_2.orders",
            "tenant_3.customer",
            "tenant_3.orders",
        ]
    );
    assert_eq!(
        pg_foreign_keys(&app_db.pool).await,
        [
            "tenant_1.customer -> shared.tier",
            "tenant_1.orders -> tenant_1.customer",
            "tenant_2.customer -> shared.tier",
            "tenant_2.orders -> tenant_2.customer",
            "tenant_3.customer -> shared.tier",
            "tenant_3.orders -> tenant_3.customer",
        ]
    );
    // MariaDB holds the analytics set only.
    assert_eq!(
        mysql_tables(&analytics_db.pool).await,
        ["page_view", "visit"]
    );
    analytics.check(&analytics_db.pool).await.unwrap();

    // plan, check and migrate see one tenant.
    sqlx::raw_sql("ALTER TABLE tenant_2.customer DROP COLUMN note")
        .execute(&app_db.pool)
        .await
        .unwrap();
    for tenant in ["tenant_1", "tenant_3"] {
        let schema = app.in_schema(tenant).unwrap();
        schema.check(&app_db.pool).await.unwrap();
    }
    let tenant_2 = app.in_schema("tenant_2").unwrap();
    let err = tenant_2.check(&app_db.pool).await.unwrap_err();
    assert!(matches!(err, Error::Drift { .. }), "{err}");
    let migrated = tenant_2.migrate(&app_db.pool).await.unwrap();
    assert_eq!(
        migrated.script(),
        "ALTER TABLE \"tenant_2\".\"customer\" ADD COLUMN \"note\" TEXT;\n"
    );
    tenant_2.check(&app_db.pool).await.unwrap();

    // drop_all of one tenant's set drops the shared table too, which the other tenants
    // reference: it fails there, never cascades, and its one transaction leaves all.
    let tenant_3 = app.in_schema("tenant_3").unwrap();
    let err = tenant_3.drop_all(&app_db.pool).await.unwrap_err();
    assert!(
        matches!(&err, Error::Database { table, .. } if table == "shared.tier"),
        "{err}"
    );
    assert_eq!(pg_tables(&app_db.pool).await.len(), 7);
}

#[tokio::test]
async fn a_tenant_is_built_once_and_its_name_is_checked() {
    let app = Models::registered_set("app").unwrap();
    let one = app.in_schema("tenant_9").unwrap();
    let again = app.in_schema("tenant_9").unwrap();
    for (a, b) in one.tables().zip(again.tables()) {
        assert!(std::ptr::eq(a, b), "{} built twice", a.qualified_name());
    }
    let err = app.in_schema("").unwrap_err();
    assert!(
        matches!(
            err.schema_problems(),
            [sqlx_table::SchemaError::EmptySchemaName]
        ),
        "{err}"
    );
    // SQLite: a tenant is an attached database, and a foreign key can't leave its
    // database: a typed error before any SQL.
    let db = common::sqlite().await;
    let err = one.create_all(&db.pool).await.unwrap_err();
    assert!(matches!(err, Error::InvalidSchema { .. }), "{err}");
    assert!(err.to_string().contains("`tenant_9.customer`"), "{err}");
}

/// On MySQL a tenant is a database: the models go into that one, which must exist, and the
/// connection's own database gets nothing.
#[tokio::test]
async fn mysql_a_tenant_is_a_database_of_the_same_server() {
    let (Some(home), Some(tenant_db)) = (common::mysql().await, common::mysql().await) else {
        return;
    };
    let tenant: String = sqlx::query_scalar("SELECT CAST(DATABASE() AS CHAR)")
        .fetch_one(&tenant_db.pool)
        .await
        .unwrap();
    let analytics = Models::registered_set("analytics").unwrap();
    let in_tenant = analytics.in_schema(&tenant).unwrap();
    let report = in_tenant.create_all(&home.pool).await.unwrap();
    assert_eq!(
        report.created,
        [format!("{tenant}.page_view"), format!("{tenant}.visit")]
    );
    assert!(mysql_tables(&home.pool).await.is_empty());
    assert_eq!(mysql_tables(&tenant_db.pool).await, ["page_view", "visit"]);
    in_tenant.check(&home.pool).await.unwrap();
    // A tenant database that doesn't exist is the server's error, naming the statement.
    let missing = analytics.in_schema("no_such_tenant_db").unwrap();
    let err = missing.create_all(&home.pool).await.unwrap_err();
    assert!(matches!(err, Error::Database { .. }), "{err}");
}

/// On SQLite a tenant is an attached database: unattached, a typed error before any DDL;
/// attached on every connection of the pool, the models go into it.
#[tokio::test]
async fn sqlite_a_tenant_is_an_attached_database() {
    use sqlx::Executor as _;

    let main = common::sqlite().await;
    let tenant_file = common::sqlite().await;
    let analytics = Models::registered_set("analytics").unwrap();
    let in_tenant = analytics.in_schema("tenant_a").unwrap();
    let err = in_tenant.create_all(&main.pool).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotAttached { schema, .. } if schema == "tenant_a"),
        "{err}"
    );

    let path = tenant_file
        .url
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc")
        .to_owned();
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .after_connect(move |conn, _| {
            let attach = format!("ATTACH DATABASE '{path}' AS tenant_a");
            Box::pin(async move {
                conn.execute(sqlx::AssertSqlSafe(attach)).await?;
                Ok(())
            })
        })
        .connect(&main.url)
        .await
        .unwrap();
    let report = in_tenant.create_all(&pool).await.unwrap();
    assert_eq!(report.created, ["tenant_a.page_view", "tenant_a.visit"]);
    let in_main: Vec<String> =
        sqlx::query_scalar("SELECT name FROM main.sqlite_schema WHERE type = 'table'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(in_main.is_empty(), "{in_main:?}");
    let in_file: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .fetch_all(&tenant_file.pool)
            .await
            .unwrap();
    assert_eq!(in_file, ["page_view", "visit"]);
    in_tenant.check(&pool).await.unwrap();
    pool.close().await;
}
