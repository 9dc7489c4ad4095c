//! A plan as a migration in sqlx's own format: `<version>_<name>.sql`, or the
//! `<version>_<name>.up.sql` / `.down.sql` pair, which `sqlx migrate run` and
//! `sqlx::migrate!` apply.
//!
//! The safe changes are statements. Every other change is written out commented, ready to
//! edit: each of its lines starts with `--! `, and a person who decides to apply it removes
//! that prefix. SQLite can't change a column or a constraint in place; its changes are the
//! table-rebuild recipe of SQLite's documentation (create the new table, copy, drop, rename,
//! recreate the indexes, all in one transaction with foreign keys off, so that the drop
//! neither fails nor cascades), and such a file runs outside sqlx's own transaction
//! (`-- no-transaction`), because `PRAGMA foreign_keys` is a no-op inside one.
//!
//! Over 400 lines with its unit tests: the writer itself is about 370.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::def::TableDef;
use crate::dialect::{Dialect, Statement};
use crate::naming;

use super::sql::{Constraint, alter, commented, drop_constraint, drop_index, statements};
use super::{Change, Class, Described, Plan, Step};

/// The prefix of the lines of a change left for a person: remove it to apply the change.
pub const PERSON_PREFIX: &str = "--! ";

/// The files [`Plan::write_migration_as`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MigrationFormat {
    /// One file, `<version>_<name>.sql`: `sqlx migrate add` without `-r`.
    #[default]
    Simple,
    /// `<version>_<name>.up.sql` and `<version>_<name>.down.sql`: `sqlx migrate add -r`. The
    /// down file undoes the safe changes; what a person applies, a person undoes.
    Reversible,
}

fn write_person(out: &mut String, sql: &str) {
    for line in sql.lines() {
        let _ = writeln!(out, "{PERSON_PREFIX}{line}");
    }
}

fn write_statement(out: &mut String, statement: &Statement) {
    let _ = writeln!(out, "{};", statement.sql);
}

/// SQLite's rebuild of `table` into what the model defines: the documented recipe's
/// create, copy, drop, rename and indexes. The columns copied are the model's, less those the
/// plan adds by hand (`missing`); the new ones take their defaults.
fn sqlite_rebuild(table: &TableDef, missing: &[&str]) -> Vec<String> {
    let dialect = Dialect::Sqlite;
    let new_name = format!("{}__new", table.name);
    let new_table = dialect.qualified(table.schema, &new_name);
    let old_table = dialect.table_name(table);
    let mut created = dialect.create_table(table).into_iter();
    let mut out = Vec::new();
    if let Some(create) = created.next() {
        out.push(create.sql.replacen(
            &format!("CREATE TABLE {old_table}"),
            &format!("CREATE TABLE {new_table}"),
            1,
        ));
    }
    let copied: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !missing.contains(&c.name))
        .map(|c| dialect.quote(c.name))
        .collect();
    let copied = copied.join(", ");
    out.push(format!(
        "INSERT INTO {new_table} ({copied}) SELECT {copied} FROM {old_table}"
    ));
    out.push(format!("DROP TABLE {old_table}"));
    out.push(format!(
        "ALTER TABLE {new_table} RENAME TO {}",
        dialect.quote(table.name)
    ));
    out.extend(created.map(|s| s.sql));
    out
}

/// The model's tables that SQLite must rebuild for this plan, in plan order.
fn sqlite_rebuilds(plan: &Plan) -> Vec<&'static TableDef> {
    let mut tables: Vec<&'static TableDef> = Vec::new();
    if plan.dialect.facts().alters_constraints {
        return tables;
    }
    for step in plan.needs_person() {
        if statements(plan.dialect, &step.change).is_none()
            && let Some(table) = step.change.model_table()
            && !tables.iter().any(|t| std::ptr::eq(*t, table))
        {
            tables.push(table);
        }
    }
    tables
}

fn describe(out: &mut String, plan: &Plan, step: &Step) {
    commented(
        out,
        &format!("{}: {}", step.table, Described(&step.change, plan.dialect)),
    );
    if let Class::NeedsPerson { reason } = &step.class {
        commented(out, &format!("  why: {reason}"));
    }
}

/// The text of the migration (the up file).
pub(super) fn up(plan: &Plan) -> String {
    let dialect = plan.dialect;
    let rebuilds = sqlite_rebuilds(plan);
    let own_transaction = !rebuilds.is_empty();
    let mut out = String::new();
    if own_transaction {
        // sqlx reads this directive only on the first line.
        out.push_str("-- no-transaction\n");
    }
    let _ = writeln!(
        out,
        "-- Written by sqlx-table for {}: safe changes as statements; the rest commented out,\n\
         -- each line starting with `{}`: read why, edit, and remove that prefix to apply it.",
        dialect.name(),
        PERSON_PREFIX.trim_end()
    );
    if own_transaction {
        out.push_str(
            "-- SQLite rebuilds tables with foreign keys off (so that dropping the old table\n\
             -- neither fails nor cascades), which works only outside a transaction: this file\n\
             -- runs outside sqlx's and opens its own.\nPRAGMA foreign_keys = OFF;\nBEGIN;\n",
        );
    }
    let safe = plan.safe_statements();
    if !safe.is_empty() {
        out.push_str("\n-- Safe changes.\n");
        for s in &safe {
            write_statement(&mut out, s);
        }
    }
    let needs: Vec<&Step> = plan.needs_person().collect();
    if !needs.is_empty() {
        out.push_str("\n-- Changes that need a person.\n");
    }
    for step in &needs {
        let rebuilt = step
            .change
            .model_table()
            .is_some_and(|t| rebuilds.iter().any(|r| std::ptr::eq(*r, t)));
        if rebuilt {
            continue;
        }
        describe(&mut out, plan, step);
        for s in statements(dialect, &step.change).unwrap_or_default() {
            write_person(&mut out, &format!("{};", s.sql));
        }
    }
    for table in &rebuilds {
        let name = table.qualified_name();
        let mut missing = Vec::new();
        for step in needs.iter().filter(|s| s.table == name) {
            describe(&mut out, plan, step);
            if let Change::AddColumn { column, .. } = step.change {
                missing.push(column.name);
            }
        }
        commented(
            &mut out,
            &format!(
                "  {name}: SQLite changes these only by rebuilding the table. The copy keeps \
                 every column the model and the table share; a column only the table has is lost."
            ),
        );
        for sql in sqlite_rebuild(table, &missing) {
            write_person(&mut out, &format!("{sql};"));
        }
    }
    if own_transaction {
        out.push_str(
            "\n-- The rows that break a foreign key, if any (the recipe's check).\n\
             PRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;\n",
        );
    }
    let unknown: Vec<&Step> = plan.unknown().collect();
    if !unknown.is_empty() {
        out.push_str("\n-- In the database, unknown to the models: kept unless you drop them.\n");
    }
    for step in unknown {
        describe(&mut out, plan, step);
        match statements(dialect, &step.change) {
            Some(statements) => {
                for s in statements {
                    write_person(&mut out, &format!("{};", s.sql));
                }
            }
            None => commented(&mut out, "  SQLite drops it only by rebuilding the table"),
        }
    }
    out
}

/// What undoes one safe change, or `None` if nothing simple does.
fn undo(dialect: Dialect, change: &Change) -> Option<Statement> {
    match change {
        Change::CreateTable { table, .. } => Some(dialect.drop_table(table)),
        Change::CreateEnumType { def } => dialect.drop_enum_type(def),
        Change::AddColumn { table, column } => Some(alter(
            dialect,
            table,
            format!("DROP COLUMN {}", dialect.quote(column.name)),
        )),
        Change::AddIndex { table, index } => Some(drop_index(
            dialect,
            table,
            &naming::index_name(table, index),
        )),
        Change::AddUnique { table, unique } => Some(drop_constraint(
            dialect,
            table,
            Constraint::Unique,
            &naming::unique_name(table, unique),
        )),
        Change::AddForeignKey { table, foreign_key } => {
            Some(dialect.drop_foreign_key(table, foreign_key))
        }
        Change::AddCheck { table, check } => Some(drop_constraint(
            dialect,
            table,
            Constraint::Check,
            &naming::check_name(table, check),
        )),
        _ => None,
    }
}

/// The text of the down file: the safe changes undone, in reverse order.
pub(super) fn down(plan: &Plan) -> String {
    let dialect = plan.dialect;
    let mut out = format!(
        "-- Written by sqlx-table for {}: undoes the safe changes of the up file. What a\n\
         -- person applied from it, a person undoes.\n",
        dialect.name()
    );
    let safe: Vec<&Step> = plan.safe().collect();
    // The foreign keys that close a cycle among new tables go first, then the changes to
    // tables that existed, then the new tables, last created first.
    if dialect.defers_cyclic_foreign_keys() {
        for step in &safe {
            if let Change::CreateTable { table, deferred } = &step.change {
                for &i in deferred {
                    write_statement(
                        &mut out,
                        &dialect.drop_foreign_key(table, &table.foreign_keys[i]),
                    );
                }
            }
        }
    }
    let (created, changed): (Vec<&Step>, Vec<&Step>) = safe
        .into_iter()
        .partition(|s| matches!(s.change, Change::CreateTable { .. }));
    for step in changed.iter().rev().chain(created.iter().rev()) {
        match undo(dialect, &step.change) {
            Some(s) => write_statement(&mut out, &s),
            None => commented(
                &mut out,
                &format!(
                    "not undone: {}: {}",
                    step.table,
                    Described(&step.change, dialect)
                ),
            ),
        }
    }
    out
}

/// The version of a new migration in `dir`: the time now as `YYYYMMDDHHMMSS` (UTC), as
/// `sqlx migrate add` writes it, or one more than the newest migration there if that is
/// later, so that the new file always sorts last.
fn next_version(dir: &Path) -> io::Result<i64> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let now = ((year * 100 + month) * 100 + day) * 1_000_000
        + (rest / 3600) * 10_000
        + (rest % 3600 / 60) * 100
        + rest % 60;
    let mut newest = 0;
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if let Some((version, rest)) = name.split_once('_')
            && rest.ends_with(".sql")
            && let Ok(version) = version.parse::<i64>()
        {
            newest = newest.max(version);
        }
    }
    Ok(now.max(newest + 1))
}

/// `name` as a migration's description: lower case letters, digits and `_`.
fn file_name_part(name: &str) -> String {
    let part: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if part.is_empty() {
        "migration".to_owned()
    } else {
        part
    }
}

impl Plan {
    /// Writes the plan as a migration in sqlx's format into `dir` (created if missing):
    /// `<version>_<name>.sql`, which `sqlx migrate run` and `sqlx::migrate!` apply. Returns
    /// the path written. See [`Plan::migration_sql`] for what it holds.
    ///
    /// ```no_run
    /// # async fn run(pool: sqlx::SqlitePool) -> Result<(), Box<dyn std::error::Error>> {
    /// let plan = sqlx_table::plan(&pool).await?;
    /// let files = plan.write_migration("migrations", "add_notes")?;
    /// println!("wrote {}", files[0].display());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The I/O error of creating `dir` or writing a file.
    pub fn write_migration(&self, dir: impl AsRef<Path>, name: &str) -> io::Result<Vec<PathBuf>> {
        self.write_migration_as(dir, name, MigrationFormat::Simple)
    }

    /// [`Plan::write_migration`] in the given format: one file, or the up/down pair.
    ///
    /// # Errors
    ///
    /// As [`Plan::write_migration`].
    pub fn write_migration_as(
        &self,
        dir: impl AsRef<Path>,
        name: &str,
        format: MigrationFormat,
    ) -> io::Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)?;
        let stem = format!("{}_{}", next_version(dir)?, file_name_part(name));
        let files = match format {
            MigrationFormat::Simple => vec![(format!("{stem}.sql"), up(self))],
            MigrationFormat::Reversible => vec![
                (format!("{stem}.up.sql"), up(self)),
                (format!("{stem}.down.sql"), down(self)),
            ],
        };
        let mut written = Vec::new();
        for (file, text) in files {
            let path = dir.join(file);
            std::fs::write(&path, text)?;
            written.push(path);
        }
        Ok(written)
    }

    /// The text of the migration [`Plan::write_migration`] writes: the safe changes as
    /// statements, then each other change commented out, every line of its SQL starting
    /// with [`PERSON_PREFIX`] (`--! `) for a person to remove: PostgreSQL
    /// `ALTER COLUMN … TYPE … USING`, MySQL `MODIFY COLUMN`, SQLite's table-rebuild recipe
    /// (then the file opens its own transaction with foreign keys off, and starts with
    /// `-- no-transaction` so that sqlx doesn't wrap it in one). Once a person has applied
    /// it, the plan is empty.
    pub fn migration_sql(&self) -> String {
        up(self)
    }

    /// The text of the down file of [`MigrationFormat::Reversible`]: the safe changes
    /// undone, in reverse order.
    pub fn migration_down_sql(&self) -> String {
        down(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::def::ColumnDef;
    use crate::fixtures;
    use crate::types::SqlType;

    #[test]
    fn versions_are_utc_timestamps_and_sort_after_what_is_there() {
        let dir = std::env::temp_dir().join(format!("table_versions_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let now = next_version(&dir).unwrap();
        let text = now.to_string();
        assert_eq!(text.len(), 14, "{text}");
        let (month, day) = (&text[4..6], &text[6..8]);
        assert!(
            ("01".."13").contains(&month) && ("01".."32").contains(&day),
            "{text}"
        );
        std::fs::write(dir.join("99990101000000_later.sql"), "").unwrap();
        assert_eq!(next_version(&dir).unwrap(), 99990101000001);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn names_become_sqlx_descriptions() {
        assert_eq!(file_name_part("Add notes-2"), "add_notes_2");
        assert_eq!(file_name_part(""), "migration");
    }

    const WIDE: TableDef = TableDef::new("wide", "wide")
        .with_columns(&[
            fixtures::ID,
            ColumnDef::new("code", SqlType::I64),
            ColumnDef::new("extra", SqlType::I64),
        ])
        .with_primary_key(&["id"]);

    #[test]
    fn the_sqlite_rebuild_copies_what_the_table_has_and_renames_the_new_table() {
        let recipe = sqlite_rebuild(&WIDE, &["extra"]);
        assert!(
            recipe[0].starts_with("CREATE TABLE \"wide__new\" ("),
            "{recipe:?}"
        );
        assert_eq!(
            recipe[1..],
            [
                "INSERT INTO \"wide__new\" (\"id\", \"code\") SELECT \"id\", \"code\" FROM \"wide\"",
                "DROP TABLE \"wide\"",
                "ALTER TABLE \"wide__new\" RENAME TO \"wide\"",
            ]
        );
    }

    #[test]
    fn a_plan_of_safe_changes_is_its_statements_and_its_down_file_undoes_them() {
        let schema = crate::schema::Models::new([&WIDE]).unwrap();
        let plan = schema
            .diff(Dialect::Postgres, &crate::live::LiveSchema::default())
            .unwrap();
        let up = up(&plan);
        assert!(!up.starts_with("-- no-transaction"));
        assert!(up.contains("\nCREATE TABLE \"wide\" ("), "{up}");
        assert!(!up.contains(PERSON_PREFIX), "{up}");
        assert!(
            down(&plan).ends_with("\nDROP TABLE IF EXISTS \"wide\";\n"),
            "{}",
            down(&plan)
        );
    }
}
