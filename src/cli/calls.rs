//! Every call the command line makes into the library, in one place: what changes here when
//! the library's connection API does.

use std::path::{Path, PathBuf};

use sqlx::Pool;
use table_core::live::LiveSchema;
use table_core::{
    Backend, CreateReport, Dialect, DropReport, Error, MigrateReport, Models, Plan, Statement,
};

/// The models linked into this binary.
pub(super) fn models() -> Result<Models, Error> {
    Models::registered()
}

/// The statements that create the models on an empty database.
pub(super) fn ddl(schema: &Models, dialect: Dialect) -> Result<Vec<Statement>, Error> {
    schema.create_statements(dialect)
}

pub(super) async fn live<DB: Backend>(
    schema: &Models,
    pool: &Pool<DB>,
) -> Result<LiveSchema, Error> {
    schema.inspect(pool).await
}

pub(super) async fn plan<DB: Backend>(schema: &Models, pool: &Pool<DB>) -> Result<Plan, Error> {
    schema.plan(pool).await
}

pub(super) async fn migrate<DB: Backend>(
    schema: &Models,
    pool: &Pool<DB>,
) -> Result<MigrateReport, Error> {
    schema.migrate(pool).await
}

pub(super) async fn create<DB: Backend>(
    schema: &Models,
    pool: &Pool<DB>,
) -> Result<CreateReport, Error> {
    schema.create_all(pool).await
}

pub(super) async fn drop<DB: Backend>(
    schema: &Models,
    pool: &Pool<DB>,
) -> Result<DropReport, Error> {
    schema.drop_all(pool).await
}

pub(super) fn write_migration(
    plan: &Plan,
    dir: &Path,
    name: &str,
) -> std::io::Result<Vec<PathBuf>> {
    plan.write_migration(dir, name)
}
