//! `plan` and `check` against a database: read its catalog, then compare.

use sqlx::Pool;

use crate::db::Backend;
use crate::error::Error;
use crate::schema::Schema;

use super::Plan;

impl Schema {
    /// The plan that brings the database to these models: its catalog read for every schema
    /// the models use ([`Schema::inspect`]), then compared ([`Schema::diff`]). Reads only;
    /// nothing is changed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use sqlx_table::{Schema, Table};
    ///
    /// #[derive(Table)]
    /// struct Tag {
    ///     #[table(primary_key)]
    ///     id: i64,
    ///     label: Option<String>,
    /// }
    ///
    /// let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
    /// let schema = Schema::new([&Tag::DEF])?;
    /// assert_eq!(schema.plan(&pool).await?.to_string(), "tag\n  [safe] create table tag\n");
    ///
    /// schema.create_all(&pool).await?;
    /// assert!(schema.plan(&pool).await?.is_empty());
    /// schema.check(&pool).await?;
    /// # Ok(()) }
    /// ```
    pub async fn plan<DB: Backend>(&self, pool: &Pool<DB>) -> Result<Plan, Error> {
        self.validate_for(DB::DIALECT)?;
        let live = self.inspect(pool).await?;
        self.diff(DB::DIALECT, &live)
    }

    /// `Ok` if the database is exactly what the models describe; else
    /// [`Error::Drift`], whose message lists every difference: a start-up guard, or a CI
    /// step. Tables, columns and constraints that no model declares count as differences.
    pub async fn check<DB: Backend>(&self, pool: &Pool<DB>) -> Result<(), Error> {
        let plan = self.plan(pool).await?;
        if plan.is_empty() {
            Ok(())
        } else {
            Err(Error::Drift {
                plan: Box::new(plan),
            })
        }
    }
}

/// The plan for every table registered by `#[derive(Table)]` in this binary:
/// [`Schema::registered`] then [`Schema::plan`].
///
/// ```no_run
/// # async fn run(pool: sqlx::PgPool) -> Result<(), sqlx_table::Error> {
/// let plan = sqlx_table::plan(&pool).await?;
/// print!("{plan}");
/// print!("{}", plan.to_sql());
/// # Ok(()) }
/// ```
pub async fn plan<DB: Backend>(pool: &Pool<DB>) -> Result<Plan, Error> {
    Schema::registered()?.plan(pool).await
}

/// Checks every registered table against the database: [`Schema::registered`] then
/// [`Schema::check`].
///
/// ```no_run
/// # async fn run(pool: sqlx::MySqlPool) -> Result<(), sqlx_table::Error> {
/// // At start-up: refuse to run against a database that differs from the models.
/// sqlx_table::check(&pool).await?;
/// # Ok(()) }
/// ```
pub async fn check<DB: Backend>(pool: &Pool<DB>) -> Result<(), Error> {
    Schema::registered()?.check(pool).await
}
