//! The comparison: models + dialect + the live schema → the steps of a [`Plan`].
//!
//! Pure: no database, no I/O. Every object of a model is looked up in the live table by the
//! name `naming` gives it where the database keeps names, else by its content (SQLite's
//! unique constraints and foreign keys have no name in its catalog). Whatever the live table
//! has that no model object claimed is reported as unknown.
//!
//! Over 400 lines: one method per kind of object, each short; splitting them would split
//! the claiming of live objects that they share.

use std::collections::HashMap;

use crate::def::{ColumnDef, DefaultValue, IndexDef, IndexPart, TableDef};
use crate::dialect::Dialect;
use crate::live::{LiveColumn, LiveIndex, LiveKey, LiveSchema, LiveTable};
use crate::naming;
use crate::schema::Models;
use crate::types::EnumRepr;

use super::normalize;
use super::{Change, Class, LiveConstraint, Plan, Step};

/// Why SQLite needs a person for what the others do with `ALTER TABLE`.
const SQLITE_REBUILD: &str = "SQLite can't add or change this on an existing table: the table must be rebuilt (create the new table, copy the rows, drop the old one, rename the new one)";

fn needs(reason: &str) -> Class {
    Class::NeedsPerson {
        reason: reason.to_owned(),
    }
}

/// Whether two identifiers name the same object: MySQL may hand table names back
/// lower-cased (`lower_case_table_names`) and compares column and index names without case;
/// SQLite ignores ASCII case even in quoted names (`"Users"` is `users`); PostgreSQL keeps
/// a quoted name's case, so another case is another object.
fn same_name(dialect: Dialect, a: &str, b: &str) -> bool {
    match dialect {
        Dialect::MySql | Dialect::Sqlite => a.eq_ignore_ascii_case(b),
        Dialect::Postgres => a == b,
    }
}

/// A primary key the model names has that name, where the catalog keeps one: MySQL calls
/// every primary key `PRIMARY`, and SQLite's unnamed ones have none.
fn same_key_name(dialect: Dialect, declared: Option<&str>, live: &LiveKey) -> bool {
    match (dialect, declared, live.name.as_deref()) {
        (Dialect::MySql, _, _) | (_, None, _) | (_, Some(_), None) => true,
        (Dialect::Postgres | Dialect::Sqlite, Some(declared), Some(live)) => {
            same_name(dialect, declared, live)
        }
    }
}

fn same_names(dialect: Dialect, a: &[&str], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_name(dialect, a, b))
}

/// Objects the catalog lists that no model claims: SQLite's own tables.
/// SQLite's own tables, and sqlx's record of applied migrations (`_sqlx_migrations`, the
/// table `sqlx migrate` and `sqlx::migrate!` keep): no model declares them, and they are no
/// drift.
fn is_internal_table(dialect: Dialect, name: &str) -> bool {
    dialect
        .facts()
        .internal_prefix
        .is_some_and(|prefix| name.starts_with(prefix))
        || name == "_sqlx_migrations"
}

pub(super) fn diff(schema: &Models, dialect: Dialect, live: &LiveSchema) -> Plan {
    let mut steps = Vec::new();
    let mut claimed = vec![false; live.tables.len()];
    let defers = dialect.defers_cyclic_foreign_keys();
    // The live tables by (schema, name) in the dialect's case: one lookup per model table
    // instead of a scan, which at 1000 tables was a million name comparisons.
    let key = |schema: &str, name: &str| match dialect {
        Dialect::MySql | Dialect::Sqlite => {
            (schema.to_ascii_lowercase(), name.to_ascii_lowercase())
        }
        Dialect::Postgres => (schema.to_owned(), name.to_owned()),
    };
    let mut by_name: HashMap<(String, String), usize> = HashMap::with_capacity(live.tables.len());
    for (i, t) in live.tables.iter().enumerate() {
        by_name.entry(key(&t.schema, &t.name)).or_insert(i);
    }
    for (pos, table) in schema.tables().enumerate() {
        let wanted_schema = table.schema.unwrap_or(&live.default_schema);
        let found = by_name
            .get(&key(wanted_schema, table.name))
            .map(|&i| (i, &live.tables[i]));
        match found {
            Some((i, live_table)) => {
                claimed[i] = true;
                diff_table(dialect, table, live_table, live, &mut steps);
            }
            None => steps.push(Step {
                table: table.qualified_name(),
                change: Change::CreateTable {
                    table,
                    deferred: if defers {
                        schema.deferred_of(pos)
                    } else {
                        Vec::new()
                    },
                },
                class: Class::Safe,
            }),
        }
    }
    for (live_table, _) in live
        .tables
        .iter()
        .zip(&claimed)
        .filter(|(t, claimed)| !**claimed && !is_internal_table(dialect, &t.name))
    {
        let schema = (live_table.schema != live.default_schema).then(|| live_table.schema.clone());
        steps.push(Step {
            table: match &schema {
                Some(s) => format!("{s}.{}", live_table.name),
                None => live_table.name.clone(),
            },
            change: Change::UnknownTable {
                schema,
                name: live_table.name.clone(),
            },
            class: Class::Unknown,
        });
    }
    if dialect.facts().enum_types {
        let mut types = enum_type_steps(schema, live);
        types.append(&mut steps);
        steps = types;
    }
    Plan { dialect, steps }
}

/// PostgreSQL's enum types against the models' text enums: missing, short of values (which
/// `ADD VALUE` adds in place), or otherwise different.
fn enum_type_steps(schema: &Models, live: &LiveSchema) -> Vec<Step> {
    let mut steps = Vec::new();
    for def in crate::ddl::enum_types(schema.tables()) {
        let (Some((type_schema, name)), EnumRepr::Text { values, .. }) =
            (def.repr.pg_type_name(), def.repr)
        else {
            continue;
        };
        let label = match &type_schema {
            Some(s) => format!("{s}.{name}"),
            None => name.clone(),
        };
        let type_schema = type_schema.unwrap_or_else(|| live.default_schema.clone());
        let found = live
            .enums
            .iter()
            .find(|e| e.schema == type_schema && e.name == name);
        let (change, class) = match found {
            None => (Change::CreateEnumType { def }, Class::Safe),
            Some(e) if e.labels.iter().eq(values.iter()) => continue,
            Some(e) if is_subsequence(&e.labels, values) => (
                Change::AddEnumValues {
                    def,
                    live: e.labels.clone(),
                },
                Class::Safe,
            ),
            Some(e) => (
                Change::ChangeEnumType {
                    def,
                    live: e.labels.clone(),
                },
                needs(
                    "PostgreSQL can add an enum type's values but not drop, rename or reorder them: make a new type, move the columns to it (ALTER COLUMN ... TYPE ... USING ...::text::new_type), drop the old one",
                ),
            ),
        };
        steps.push(Step {
            table: label,
            change,
            class,
        });
    }
    steps
}

/// Whether `live` is `model` with some values left out, in the same order.
fn is_subsequence(live: &[String], model: &[&str]) -> bool {
    let mut model = model.iter();
    live.iter().all(|l| model.any(|m| m == l))
}

fn diff_table(
    dialect: Dialect,
    table: &'static TableDef,
    live_table: &LiveTable,
    live: &LiveSchema,
    steps: &mut Vec<Step>,
) {
    let mut diff = TableDiff {
        dialect,
        table,
        live: live_table,
        default_schema: &live.default_schema,
        steps,
        columns: vec![false; live_table.columns.len()],
        uniques: vec![false; live_table.uniques.len()],
        indexes: vec![false; live_table.indexes.len()],
        foreign_keys: vec![false; live_table.foreign_keys.len()],
        checks: vec![false; live_table.checks.len()],
    };
    diff.columns();
    diff.primary_key();
    diff.uniques();
    diff.indexes();
    diff.foreign_keys();
    diff.checks();
    if dialect.facts().keeps_comments {
        diff.comments();
    }
    diff.unknown();
}

/// One model table against its live table. Each live object that a model object matches is
/// claimed, so that what is left over is what no model declares.
struct TableDiff<'a> {
    dialect: Dialect,
    table: &'static TableDef,
    live: &'a LiveTable,
    default_schema: &'a str,
    steps: &'a mut Vec<Step>,
    columns: Vec<bool>,
    uniques: Vec<bool>,
    indexes: Vec<bool>,
    foreign_keys: Vec<bool>,
    checks: Vec<bool>,
}

/// The position of the first unclaimed item that `matches`.
fn unclaimed<T>(items: &[T], claimed: &[bool], matches: impl Fn(&T) -> bool) -> Option<usize> {
    items
        .iter()
        .zip(claimed)
        .position(|(item, claimed)| !claimed && matches(item))
}

impl TableDiff<'_> {
    fn push(&mut self, change: Change, class: Class) {
        self.steps.push(Step {
            table: self.table.qualified_name(),
            change,
            class,
        });
    }

    /// The reason, or SQLite's rebuild where that is what it takes.
    fn rebuild_or(&self, reason: &str) -> Class {
        match self.dialect {
            Dialect::Sqlite => needs(SQLITE_REBUILD),
            Dialect::Postgres | Dialect::MySql => needs(reason),
        }
    }

    fn columns(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        for column in table.columns {
            match unclaimed(&live.columns, &self.columns, |c| {
                same_name(dialect, &c.name, column.name)
            }) {
                None => self.push(
                    Change::AddColumn { table, column },
                    add_column_class(dialect, column),
                ),
                Some(i) => {
                    self.columns[i] = true;
                    for (change, class) in diff_column(dialect, table, column, &live.columns[i]) {
                        self.push(change, class);
                    }
                }
            }
        }
    }

    fn primary_key(&mut self) {
        let (dialect, table) = (self.dialect, self.table);
        match (&self.live.primary_key, table.primary_key.is_empty()) {
            (None, true) => {}
            (None, false) => {
                let class = self.rebuild_or(
                    "adding a primary key fails if rows repeat a key or hold NULL in it",
                );
                self.push(Change::AddPrimaryKey { table }, class);
            }
            (Some(key), _)
                if same_names(dialect, table.primary_key, &key.columns)
                    && same_key_name(dialect, table.primary_key_name, key) => {}
            (Some(key), _) => {
                let class = self.rebuild_or(
                    "changing the primary key drops the old one, which foreign keys and queries may rely on, and the new one fails on rows that repeat it",
                );
                self.push(
                    Change::ChangePrimaryKey {
                        table,
                        live: key.clone(),
                    },
                    class,
                );
            }
        }
    }

    /// By name, else by columns, else as a unique index on the columns (hand-written DDL).
    fn uniques(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        for unique in table.uniques {
            let name = naming::unique_name(table, unique);
            let named = |u: &LiveKey| {
                u.name
                    .as_deref()
                    .is_some_and(|n| same_name(dialect, n, &name))
            };
            if let Some(i) = unclaimed(&live.uniques, &self.uniques, named) {
                self.uniques[i] = true;
                let key = &live.uniques[i];
                if !same_names(dialect, unique.columns, &key.columns) {
                    let class = self.rebuild_or(
                        "changing a unique constraint drops it and adds it anew, which fails on rows that repeat the new columns",
                    );
                    self.push(
                        Change::ChangeUnique {
                            table,
                            unique,
                            live: key.clone(),
                        },
                        class,
                    );
                }
            } else if let Some(i) = unclaimed(&live.uniques, &self.uniques, |u| {
                unique.name.is_none() && same_names(dialect, unique.columns, &u.columns)
            }) {
                self.uniques[i] = true;
            } else if let Some(i) = unclaimed(&live.indexes, &self.indexes, |ix| {
                ix.unique
                    && plain_index_on(dialect, ix, unique.columns)
                    && unique.name.is_none_or(|n| same_name(dialect, n, &ix.name))
            }) {
                self.indexes[i] = true;
            } else {
                self.push(
                    Change::AddUnique { table, unique },
                    add_constraint_class(dialect),
                );
            }
        }
    }

    /// By name, else by columns.
    fn indexes(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        for index in table.indexes {
            let name = naming::index_name(table, index);
            if let Some(i) = unclaimed(&live.indexes, &self.indexes, |ix| {
                same_name(dialect, &ix.name, &name)
            }) {
                self.indexes[i] = true;
                let ix = &live.indexes[i];
                if ix.unique || !index_is(dialect, ix, index) {
                    self.push(
                        Change::ChangeIndex {
                            table,
                            index,
                            live: ix.clone(),
                        },
                        needs("the index of this name is defined otherwise: replacing it drops it first, and queries or constraints may rely on it"),
                    );
                }
            } else if let Some(i) = unclaimed(&live.indexes, &self.indexes, |ix| {
                // A declared name is compared by name alone.
                index.name.is_none() && !ix.unique && index_is(dialect, ix, index)
            }) {
                self.indexes[i] = true;
            } else {
                self.push(Change::AddIndex { table, index }, Class::Safe);
            }
        }
    }

    /// By name, else by columns.
    fn foreign_keys(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        for fk in table.foreign_keys {
            let name = naming::foreign_key_name(table, fk);
            let found = unclaimed(&live.foreign_keys, &self.foreign_keys, |l| {
                l.name
                    .as_deref()
                    .is_some_and(|n| same_name(dialect, n, &name))
            })
            .or_else(|| {
                unclaimed(&live.foreign_keys, &self.foreign_keys, |l| {
                    fk.name.is_none() && same_names(dialect, fk.columns, &l.columns)
                })
            });
            let Some(i) = found else {
                self.push(
                    Change::AddForeignKey {
                        table,
                        foreign_key: fk,
                    },
                    add_constraint_class(dialect),
                );
                continue;
            };
            self.foreign_keys[i] = true;
            let l = &live.foreign_keys[i];
            let ref_schema = fk.ref_schema.unwrap_or(self.default_schema);
            let same = same_names(dialect, fk.columns, &l.columns)
                && same_name(dialect, fk.ref_table, &l.ref_table)
                // SQLite resolves a foreign key within the table's own database file.
                && (!dialect.facts().foreign_key_schemas
                    || same_name(dialect, ref_schema, &l.ref_schema))
                && same_names(dialect, fk.ref_columns, &l.ref_columns)
                && normalize::model_action(dialect, fk.on_delete)
                    == normalize::live_action(dialect, &l.on_delete)
                && normalize::model_action(dialect, fk.on_update)
                    == normalize::live_action(dialect, &l.on_update)
                // Only PostgreSQL's catalog says whether a foreign key is deferred.
                && (!dialect.facts().keeps_deferrable || fk.deferrable == l.deferred);
            if !same {
                let class = self.rebuild_or(
                    "changing a foreign key drops it and adds it anew, which fails on rows that don't satisfy the new one",
                );
                self.push(
                    Change::ChangeForeignKey {
                        table,
                        foreign_key: fk,
                        live: l.clone(),
                    },
                    class,
                );
            }
        }
    }

    /// By name, else by expression.
    fn checks(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        for check in table.checks {
            let name = naming::check_name(table, check);
            if let Some(i) = unclaimed(&live.checks, &self.checks, |c| {
                c.name
                    .as_deref()
                    .is_some_and(|n| same_name(dialect, n, &name))
            }) {
                self.checks[i] = true;
                let l = &live.checks[i];
                if !normalize::same_expression(check.expr, &l.expr)
                    && !normalize::rewritten_by_database(&l.expr)
                {
                    let class = self.rebuild_or(
                        "changing a check drops it and adds it anew, which fails on rows that don't satisfy the new one",
                    );
                    self.push(
                        Change::ChangeCheck {
                            table,
                            check,
                            live: l.clone(),
                        },
                        class,
                    );
                }
            } else if let Some(i) = unclaimed(&live.checks, &self.checks, |c| {
                check.name.is_none() && normalize::same_expression(check.expr, &c.expr)
            }) {
                self.checks[i] = true;
            } else {
                self.push(
                    Change::AddCheck { table, check },
                    add_constraint_class(dialect),
                );
            }
        }
        self.enum_checks();
    }

    /// The checks that keep enum columns to their variants, by expression: the database
    /// names an inline check its own way. Only for columns the table has; a new column
    /// brings its check with it.
    fn enum_checks(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        for column in table.columns {
            let Some(expr) = dialect.enum_check(column) else {
                continue;
            };
            if !live
                .columns
                .iter()
                .any(|c| same_name(dialect, &c.name, column.name))
            {
                continue;
            }
            if let Some(i) = unclaimed(&live.checks, &self.checks, |c| {
                normalize::same_expression(&expr, &c.expr)
            }) {
                self.checks[i] = true;
                continue;
            }
            // The check on this column that an older enum left, if any: changed, not unknown.
            let quoted = normalize::loose(&dialect.quote(column.name));
            let old = unclaimed(&live.checks, &self.checks, |c| {
                normalize::loose(&c.expr).starts_with(&format!("{quoted}="))
            });
            if let Some(i) = old {
                self.checks[i] = true;
            }
            let class = self.rebuild_or(
                "the CHECK that keeps the column to the enum's variants changes by dropping it and adding it anew, which fails on rows holding a value the enum no longer has",
            );
            self.push(
                Change::ChangeEnumValues {
                    table,
                    column,
                    live: old.map(|i| live.checks[i].clone()),
                },
                class,
            );
        }
    }

    fn comments(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        if !same_comment(table.comment, live.comment.as_deref()) {
            self.push(
                Change::ChangeComment {
                    table,
                    column: None,
                    live: live.comment.clone(),
                },
                Class::Safe,
            );
        }
        for column in table.columns {
            let Some(live_column) = live
                .columns
                .iter()
                .find(|c| same_name(dialect, &c.name, column.name))
            else {
                continue;
            };
            if !same_comment(column.comment, live_column.comment.as_deref()) {
                self.push(
                    Change::ChangeComment {
                        table,
                        column: Some(column),
                        live: live_column.comment.clone(),
                    },
                    match dialect {
                        Dialect::MySql => needs(
                            "MySQL sets a column comment only with MODIFY COLUMN, which restates the whole column; check that the rest of the column is as the model says first",
                        ),
                        Dialect::Postgres | Dialect::Sqlite => Class::Safe,
                    },
                );
            }
        }
    }

    /// What no model object claimed, but for what the database makes for itself.
    fn unknown(&mut self) {
        let (dialect, table, live) = (self.dialect, self.table, self.live);
        let left = |claimed: &[bool]| -> Vec<usize> {
            (0..claimed.len()).filter(|&i| !claimed[i]).collect()
        };
        for i in left(&self.columns) {
            self.push(
                Change::UnknownColumn {
                    table,
                    column: live.columns[i].clone(),
                },
                Class::Unknown,
            );
        }
        for i in left(&self.uniques) {
            self.push(
                Change::UnknownConstraint {
                    table,
                    constraint: LiveConstraint::Unique(live.uniques[i].clone()),
                },
                Class::Unknown,
            );
        }
        for i in left(&self.indexes) {
            let index = &live.indexes[i];
            if is_foreign_key_index(dialect, live, index)
                || index.name.starts_with("sqlite_autoindex_")
            {
                continue;
            }
            self.push(
                Change::UnknownIndex {
                    table,
                    index: index.clone(),
                },
                Class::Unknown,
            );
        }
        for i in left(&self.foreign_keys) {
            self.push(
                Change::UnknownConstraint {
                    table,
                    constraint: LiveConstraint::ForeignKey(live.foreign_keys[i].clone()),
                },
                Class::Unknown,
            );
        }
        for i in left(&self.checks) {
            let check = &live.checks[i];
            if is_json_check(&live.columns, check.name.as_deref(), &check.expr) {
                continue;
            }
            self.push(
                Change::UnknownConstraint {
                    table,
                    constraint: LiveConstraint::Check(check.clone()),
                },
                Class::Unknown,
            );
        }
    }
}

/// Whether the index is on exactly these columns, ascending, whole, without a predicate.
/// Whether the catalog's index is the model's: the same parts (columns, expressions read
/// loosely, directions) and the same predicate.
fn index_is(dialect: Dialect, live: &LiveIndex, index: &IndexDef) -> bool {
    if index.parts.is_empty() && index.predicate.is_none() {
        return plain_index_on(dialect, live, index.columns);
    }
    let same_predicate = match (index.predicate, live.predicate.as_deref()) {
        (None, None) => true,
        (Some(model), Some(live)) => normalize::same_expression(model, live),
        _ => false,
    };
    let parts: Vec<IndexPart> = if index.parts.is_empty() {
        index
            .columns
            .iter()
            .map(|c| IndexPart::column(c, false))
            .collect()
    } else {
        index.parts.to_vec()
    };
    same_predicate
        && parts.len() == live.parts.len()
        && parts.iter().zip(&live.parts).all(|(m, l)| {
            m.descending == l.descending
                && m.expression == l.expression
                && if m.expression {
                    normalize::same_expression(m.text, &l.column)
                } else {
                    same_name(dialect, m.text, &l.column)
                }
        })
}

fn plain_index_on(dialect: Dialect, index: &LiveIndex, columns: &[&str]) -> bool {
    index.predicate.is_none()
        && index.parts.len() == columns.len()
        && index
            .parts
            .iter()
            .zip(columns)
            .all(|(p, c)| !p.expression && !p.descending && same_name(dialect, &p.column, c))
}

/// MySQL gives every foreign key an index of the constraint's name when no index starts
/// with its columns: it belongs to the foreign key, not to anybody's model.
fn is_foreign_key_index(dialect: Dialect, table: &LiveTable, index: &LiveIndex) -> bool {
    dialect.facts().indexes_foreign_keys
        && !index.unique
        && table.foreign_keys.iter().any(|fk| {
            fk.name
                .as_deref()
                .is_some_and(|n| same_name(dialect, n, &index.name))
                && fk.columns.len() <= index.parts.len()
                && fk
                    .columns
                    .iter()
                    .zip(&index.parts)
                    .all(|(c, p)| same_name(dialect, c, &p.column))
        })
}

/// MariaDB's JSON type is LONGTEXT with a check `json_valid(column)` named after the column.
fn is_json_check(columns: &[LiveColumn], name: Option<&str>, expr: &str) -> bool {
    let expr = normalize::loose(expr);
    columns.iter().any(|c| {
        name.is_none_or(|n| n == c.name)
            && expr == format!("json_valid{}", normalize::loose(&c.name))
    })
}

fn same_comment(model: Option<&str>, live: Option<&str>) -> bool {
    model.filter(|c| !c.is_empty()) == live.filter(|c| !c.is_empty())
}

fn add_constraint_class(dialect: Dialect) -> Class {
    match dialect {
        Dialect::Sqlite => needs(SQLITE_REBUILD),
        Dialect::Postgres | Dialect::MySql => Class::Safe,
    }
}

fn add_column_class(dialect: Dialect, column: &ColumnDef) -> Class {
    if column.auto_increment {
        return needs(
            "an auto-increment column numbers the rows already there as it is added; decide how, then add it by hand",
        );
    }
    if !column.nullable && column.default.is_none() {
        return needs(
            "a NOT NULL column without a default can't be added to a table with rows: give it a default, or add it nullable, fill it, then make it NOT NULL",
        );
    }
    match (dialect, column.default) {
        (Dialect::Sqlite, Some(DefaultValue::Now | DefaultValue::Uuid | DefaultValue::Sql(_))) => {
            needs(
                "SQLite adds a column only with a constant default; one of the current time or an expression needs a table rebuild",
            )
        }
        (
            Dialect::Sqlite,
            None
            | Some(
                DefaultValue::Bool(_)
                | DefaultValue::Int(_)
                | DefaultValue::Float(_)
                | DefaultValue::Str(_),
            ),
        )
        | (Dialect::Postgres | Dialect::MySql, _) => Class::Safe,
    }
}

/// The differences of one column that exists on both sides.
fn diff_column(
    dialect: Dialect,
    table: &'static TableDef,
    column: &'static ColumnDef,
    live: &LiveColumn,
) -> Vec<(Change, Class)> {
    let mut changes = Vec::new();
    let rebuild_or = |reason: &str| match dialect {
        Dialect::Sqlite => needs(SQLITE_REBUILD),
        Dialect::Postgres | Dialect::MySql => needs(reason),
    };
    if !normalize::same_column_type(dialect, column, &live.data_type) {
        changes.push((
            Change::ChangeColumnType {
                table,
                column,
                live: live.data_type.clone(),
            },
            rebuild_or(
                "changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert",
            ),
        ));
    }
    // A hand-written SERIAL is PostgreSQL's older auto-increment: a sequence default.
    let serial = dialect.facts().sequence_defaults
        && live
            .default
            .as_deref()
            .is_some_and(|d| d.trim_start().starts_with("nextval("));
    let live_auto = live.auto_increment || serial;
    // SQLite's catalog calls an INTEGER PRIMARY KEY nullable, though its rowid never is.
    let nullability_known = !(dialect.facts().rowid_nullable && column.auto_increment && live_auto);
    if nullability_known && column.nullable != live.nullable {
        changes.push((
            Change::ChangeNullability {
                table,
                column,
                live: live.nullable,
            },
            rebuild_or(if column.nullable {
                "allowing NULL lifts a rule the database enforces today; code that relies on it may break"
            } else {
                "making a column NOT NULL fails if any row holds NULL in it: fill those rows first"
            }),
        ));
    }
    let live_default = live
        .default
        .as_deref()
        .filter(|d| !normalize::is_no_default(Some(d)) && !serial);
    let same_default = match (column.default, live_default) {
        (None, None) => true,
        (Some(d), Some(l)) => {
            normalize::same_default(dialect, &normalize::model_default(dialect, column, d), l)
                || (matches!(d, DefaultValue::Sql(_)) && normalize::rewritten_by_database(l))
        }
        (None, Some(_)) | (Some(_), None) => false,
    };
    if !same_default {
        changes.push((
            Change::ChangeDefault {
                table,
                column,
                live: live.default.clone(),
            },
            rebuild_or(
                "a different default changes what new rows get when an insert leaves the column out",
            ),
        ));
    }
    if column.auto_increment != live_auto {
        changes.push((
            Change::ChangeAutoIncrement {
                table,
                column,
                live: live_auto,
            },
            rebuild_or(if column.auto_increment {
                "making a column auto-increment needs a sequence started past the values already there"
            } else {
                "the database numbers new rows in this column; without it, inserts must give a value"
            }),
        ));
    }
    changes
}
