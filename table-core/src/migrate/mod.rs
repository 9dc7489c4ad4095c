//! `migrate`: the safe part of the [`Plan`], applied under `create_all`'s lock; the rest left
//! for a person, as a plan that [`Plan::write_migration`] writes out.
//!
//! It is `create_all`'s algorithm with the plan in place of the list of missing tables:
//! plan without a lock (a warm start costs what `plan` costs), and only if something safe is
//! missing, lock, plan again under the lock, and run the safe statements of that second plan
//! as one batch. The second plan is what makes many processes starting at once apply each
//! change exactly once: whoever gets the lock second finds the change done.

use crate::create::Options;
use crate::db::Backend;
use crate::db::session::{Locked, db_error};
use crate::db::target::{Conn, Target};
use crate::dialect::{Statement, script};
use crate::error::Error;
use crate::plan::{Class, Plan, Step};
use crate::schema::Models;

/// What `migrate` did, and what it left for a person.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MigrateReport {
    /// The safe changes it applied, in order; empty when there was nothing safe to do.
    pub applied: Vec<Step>,
    /// The statements it ran to apply them.
    pub statements: Vec<Statement>,
    /// What it left: the changes that need a person (each with its reason) and what the
    /// database has that no model declares. [`Plan::write_migration`] writes it as a
    /// migration file; [`Plan::to_sql`] as a script.
    pub left: Plan,
    /// How many requests it sent to the database: one when nothing safe was missing.
    pub round_trips: usize,
}

impl MigrateReport {
    /// The statements it ran, as one script.
    pub fn script(&self) -> String {
        script(&self.statements)
    }
}

/// Applies the safe changes of the plan for every table registered by `#[derive(Table)]`
/// in this binary: [`Models::registered`] then [`Models::migrate`].
///
/// ```no_run
/// # async fn run(pool: sqlx::PgPool) -> Result<(), Box<dyn std::error::Error>> {
/// let report = sqlx_table::migrate(&pool).await?;
/// if !report.left.is_empty() {
///     print!("left for a person:\n{}", report.left);
///     report.left.write_migration("migrations", "by_hand")?;
/// }
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As [`Models::registered`] and [`Models::migrate`].
pub async fn migrate<T: Target>(target: T) -> Result<MigrateReport, Error> {
    Models::registered()?.migrate(target).await
}

impl Models {
    /// Applies the safe changes of [`Models::plan`], with default [`Options`], and returns
    /// what it applied and what it left for a person.
    ///
    /// Safe is what loses no data and fails on no row: a new table, a new nullable or
    /// defaulted column, a new index, and (PostgreSQL, MySQL) a new constraint. Everything
    /// else (types, nullability, defaults, changed keys and constraints, SQLite's rebuilds)
    /// is left, with its reason; what the database has and no model declares is never
    /// dropped.
    ///
    /// 1. Plans without a lock; if nothing safe is missing, that is all (one round trip).
    /// 2. Else takes `create_all`'s lock, plans again under it, and runs the safe statements
    ///    of that plan as one batch, so many processes starting at once apply each change
    ///    exactly once.
    /// 3. On PostgreSQL and SQLite the batch is one transaction: all of it, or none. On
    ///    MySQL/MariaDB each DDL statement commits on its own; the statements are ordered
    ///    (new tables, then the foreign keys that close their cycles, then the rest, table by
    ///    table) so that each one's prerequisites come before it, and a re-run after a crash
    ///    plans again from what was committed and applies the rest.
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
    /// sqlx::raw_sql("CREATE TABLE tag (id INTEGER NOT NULL PRIMARY KEY)").execute(&pool).await?;
    /// let schema = Models::new([&Tag::DEF])?;
    /// let report = schema.migrate(&pool).await?;
    /// assert_eq!(report.script(), "ALTER TABLE \"tag\" ADD COLUMN \"label\" TEXT;\n");
    /// assert!(report.left.is_empty());
    /// assert!(schema.plan(&pool).await?.is_empty());
    /// # Ok(()) }
    /// ```
    ///
    /// It runs on a pool, a connection or inside the caller's transaction, with the
    /// semantics [`Target`] gives for each backend.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchema`] before any SQL; [`Error::Pool`],
    /// [`Error::ImplicitCommit`], [`Error::LockTimeout`],
    /// [`Error::TooLargeForTransaction`] and [`Error::Database`] as for
    /// [`Models::create_all`].
    pub async fn migrate<T: Target>(&self, target: T) -> Result<MigrateReport, Error> {
        self.migrate_with(target, &Options::default()).await
    }

    /// [`Models::migrate`] with the given [`Options`].
    ///
    /// # Errors
    ///
    /// As [`Models::migrate`].
    pub async fn migrate_with<T: Target>(
        &self,
        target: T,
        options: &Options,
    ) -> Result<MigrateReport, Error> {
        let conn = target.source().for_writing().await?;
        self.migrate_on(conn, options).await
    }

    async fn migrate_on<DB: Backend>(
        &self,
        mut conn: Conn<'_, DB>,
        options: &Options,
    ) -> Result<MigrateReport, Error> {
        let dialect = DB::DIALECT;
        self.validate_for(dialect)?;
        let schemas = self.named_schemas();
        let mut round_trips = 1;
        let live = DB::read_live(conn.raw(), &schemas)
            .await
            .map_err(|e| db_error("(read the live schema)", "", e))?;
        let plan = self.diff(dialect, &live)?;
        if plan.safe().next().is_none() {
            return Ok(MigrateReport {
                applied: Vec::new(),
                statements: Vec::new(),
                left: plan,
                round_trips,
            });
        }

        let catalog_sql = DB::catalog_query(self, false);
        let (mut locked, _) =
            Locked::take(conn, &catalog_sql, options.lock_timeout, &mut round_trips).await?;
        let live = locked.read_live(&schemas, &mut round_trips).await?;
        let plan = self.diff(dialect, &live)?;
        let statements = plan.safe_statements();
        if !statements.is_empty() {
            locked.run(&statements, &mut round_trips).await?;
        }
        locked.finish(&mut round_trips).await?;
        let (applied, left) = plan.split_safe();
        for step in &applied {
            tracing::info!(target: "sqlx_table", table = %step.table, change = ?step.change, "migrated");
        }
        Ok(MigrateReport {
            applied,
            statements,
            left,
            round_trips,
        })
    }
}

impl Plan {
    /// The safe steps, and a plan of the rest.
    fn split_safe(self) -> (Vec<Step>, Plan) {
        let dialect = self.dialect();
        let (safe, rest): (Vec<Step>, Vec<Step>) = self
            .into_steps()
            .into_iter()
            .partition(|s| s.class == Class::Safe);
        (safe, Plan::from_steps(dialect, rest))
    }
}
