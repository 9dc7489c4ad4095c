//! `plan` and `check` against a database: read its catalog, then compare.

use crate::db::Backend as _;
use crate::db::target::Target;
use crate::error::Error;
use crate::schema::Models;

use super::Plan;

impl Models {
    /// The plan that brings the database to these models: its catalog read for every schema
    /// the models use ([`Models::inspect`]), then compared ([`Models::diff`]). Reads only;
    /// nothing is changed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use sqlx_table::{Models, Table};
    ///
    /// #[derive(Table)]
    /// struct Tag {
    ///     #[table(primary_key)]
    ///     id: i64,
    ///     label: Option<String>,
    /// }
    ///
    /// let pool = sqlx::SqlitePool::connect("sqlite::memory:").await?;
    /// let schema = Models::new([&Tag::DEF])?;
    /// assert_eq!(schema.plan(&pool).await?.to_string(), "tag\n  [safe] create table tag\n");
    ///
    /// schema.create_all(&pool).await?;
    /// assert!(schema.plan(&pool).await?.is_empty());
    /// schema.check(&pool).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// It runs on a pool, a connection or inside the caller's transaction (on every
    /// backend: it only reads), and then sees what the transaction sees.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchema`] before any SQL; [`Error::Pool`] and [`Error::Database`]
    /// as for [`Models::inspect`].
    pub async fn plan<T: Target>(&self, target: T) -> Result<Plan, Error> {
        let dialect = T::Database::DIALECT;
        self.validate_for(dialect)?;
        let live = self.inspect(target).await?;
        self.diff(dialect, &live)
    }

    /// `Ok` if the database is exactly what the models describe; else
    /// [`Error::Drift`], whose message lists every difference: a start-up guard, or a CI
    /// step. Tables, columns and constraints that no model declares count as differences.
    ///
    /// # Errors
    ///
    /// [`Error::Drift`] listing every difference; otherwise as [`Models::plan`].
    pub async fn check<T: Target>(&self, target: T) -> Result<(), Error> {
        let plan = self.plan(target).await?;
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
/// [`Models::registered`] then [`Models::plan`].
///
/// ```no_run
/// # async fn run(pool: sqlx::PgPool) -> Result<(), sqlx_table::Error> {
/// let plan = sqlx_table::plan(&pool).await?;
/// print!("{plan}");
/// print!("{}", plan.to_sql());
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As [`Models::registered`] and [`Models::plan`].
pub async fn plan<T: Target>(target: T) -> Result<Plan, Error> {
    Models::registered()?.plan(target).await
}

/// Checks every registered table against the database: [`Models::registered`] then
/// [`Models::check`].
///
/// ```no_run
/// # async fn run(pool: sqlx::MySqlPool) -> Result<(), sqlx_table::Error> {
/// // At start-up: refuse to run against a database that differs from the models.
/// sqlx_table::check(&pool).await?;
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As [`Models::registered`] and [`Models::check`].
pub async fn check<T: Target>(target: T) -> Result<(), Error> {
    Models::registered()?.check(target).await
}
