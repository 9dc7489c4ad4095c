//! The test harness itself: each backend's test database is fresh and goes away after.
mod common;

#[tokio::test]
async fn postgres_test_database_is_fresh_and_dropped() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(name.starts_with("table_test_"));
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(tables, 0);
    let admin_url = std::env::var("TABLE_TEST_POSTGRES_URL").unwrap();
    drop(db);
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&admin)
        .await
        .unwrap();
    assert_eq!(left, 0, "test database {name} was not dropped");
}

#[tokio::test]
async fn mysql_test_database_is_fresh_and_dropped() {
    let Some(db) = common::mysql().await else {
        return;
    };
    let name: String = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(name.starts_with("table_test_"));
    let admin_url = std::env::var("TABLE_TEST_MYSQL_URL").unwrap();
    drop(db);
    let admin = sqlx::MySqlPool::connect(&admin_url).await.unwrap();
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
    )
    .bind(&name)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(left, 0, "test database {name} was not dropped");
}

#[test]
fn with_database_replaces_the_path_and_keeps_the_query() {
    assert_eq!(
        common::with_database("postgres://root@127.0.0.1/postgres", "x"),
        "postgres://root@127.0.0.1/x"
    );
    assert_eq!(
        common::with_database("mysql://root@127.0.0.1:3306/test?ssl-mode=disabled", "x"),
        "mysql://root@127.0.0.1:3306/x?ssl-mode=disabled"
    );
    assert_eq!(
        common::with_database("postgres://root@127.0.0.1", "x"),
        "postgres://root@127.0.0.1/x"
    );
}
