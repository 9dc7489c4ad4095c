//! The comparison: models + dialect + the live schema → the steps of a [`Plan`].
//!
//! Pure: no database, no I/O. Every object of a model is looked up in the live table by the
//! name `naming` gives it where the database keeps names, else by its content (SQLite's
//! unique constraints and foreign keys have no name in its catalog). Whatever the live table
//! has that no model object claimed is reported as unknown.

use crate::def::{ColumnDef, DefaultValue, TableDef};
use crate::dialect::Dialect;
use crate::live::{LiveColumn, LiveIndex, LiveSchema, LiveTable};
use crate::naming;
use crate::schema::Schema;

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
/// PostgreSQL and SQLite keep what our DDL wrote.
fn same_name(dialect: Dialect, a: &str, b: &str) -> bool {
    match dialect {
        Dialect::MySql => a.eq_ignore_ascii_case(b),
        Dialect::Postgres | Dialect::Sqlite => a == b,
    }
}

fn same_names(dialect: Dialect, a: &[&str], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_name(dialect, a, b))
}

/// Objects the catalog lists that no model claims: SQLite's own tables.
fn is_internal_table(dialect: Dialect, name: &str) -> bool {
    dialect == Dialect::Sqlite && name.starts_with("sqlite_")
}

pub(super) fn diff(schema: &Schema, dialect: Dialect, live: &LiveSchema) -> Plan {
    let mut steps = Vec::new();
    let mut claimed = vec![false; live.tables.len()];
    let defers = dialect.defers_cyclic_foreign_keys();
    for (pos, table) in schema.tables().enumerate() {
        let wanted_schema = table.schema.unwrap_or(&live.default_schema);
        let found = live.tables.iter().enumerate().find(|(_, t)| {
            same_name(dialect, &t.schema, wanted_schema) && same_name(dialect, &t.name, table.name)
        });
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
    Plan { dialect, steps }
}

fn diff_table(
    dialect: Dialect,
    table: &'static TableDef,
    live_table: &LiveTable,
    live: &LiveSchema,
    steps: &mut Vec<Step>,
) {
    let mut push = |change: Change, class: Class| {
        steps.push(Step {
            table: table.qualified_name(),
            change,
            class,
        })
    };

    // Columns.
    let mut columns_claimed = vec![false; live_table.columns.len()];
    for column in table.columns {
        let found = live_table
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| same_name(dialect, &c.name, column.name));
        match found {
            None => push(
                Change::AddColumn { table, column },
                add_column_class(dialect, column),
            ),
            Some((i, live_column)) => {
                columns_claimed[i] = true;
                for (change, class) in diff_column(dialect, table, column, live_column) {
                    push(change, class);
                }
            }
        }
    }

    // Primary key.
    match (&live_table.primary_key, table.primary_key.is_empty()) {
        (None, true) => {}
        (None, false) => push(
            Change::AddPrimaryKey { table },
            needs(match dialect {
                Dialect::Sqlite => SQLITE_REBUILD,
                Dialect::Postgres | Dialect::MySql => {
                    "adding a primary key fails if rows repeat a key or hold NULL in it"
                }
            }),
        ),
        (Some(key), _) if same_names(dialect, table.primary_key, &key.columns) => {}
        (Some(key), _) => push(
            Change::ChangePrimaryKey {
                table,
                live: key.clone(),
            },
            needs(match dialect {
                Dialect::Sqlite => SQLITE_REBUILD,
                Dialect::Postgres | Dialect::MySql => {
                    "changing the primary key drops the old one, which foreign keys and queries may rely on, and the new one fails on rows that repeat it"
                }
            }),
        ),
    }

    // Unique constraints: by name, else by columns, else as a unique index on the columns.
    let mut uniques_claimed = vec![false; live_table.uniques.len()];
    let mut indexes_claimed = vec![false; live_table.indexes.len()];
    for unique in table.uniques {
        let name = naming::unique_name(table, unique.columns);
        let by_name = live_table.uniques.iter().position(|u| {
            u.name
                .as_deref()
                .is_some_and(|n| same_name(dialect, n, &name))
        });
        if let Some(i) = by_name {
            uniques_claimed[i] = true;
            let key = &live_table.uniques[i];
            if !same_names(dialect, unique.columns, &key.columns) {
                push(
                    Change::ChangeUnique {
                        table,
                        unique,
                        live: key.clone(),
                    },
                    needs(match dialect {
                        Dialect::Sqlite => SQLITE_REBUILD,
                        Dialect::Postgres | Dialect::MySql => {
                            "changing a unique constraint drops it and adds it anew, which fails on rows that repeat the new columns"
                        }
                    }),
                );
            }
            continue;
        }
        let by_columns = (live_table.uniques.iter().enumerate()).position(|(i, u)| {
            !uniques_claimed[i] && same_names(dialect, unique.columns, &u.columns)
        });
        if let Some(i) = by_columns {
            uniques_claimed[i] = true;
            continue;
        }
        let as_index = (live_table.indexes.iter().enumerate()).position(|(i, ix)| {
            !indexes_claimed[i] && ix.unique && plain_index_on(dialect, ix, unique.columns)
        });
        if let Some(i) = as_index {
            indexes_claimed[i] = true;
            continue;
        }
        push(
            Change::AddUnique { table, unique },
            add_constraint_class(dialect),
        );
    }

    // Indexes: by name, else by columns.
    for index in table.indexes {
        let name = naming::index_name(table, index.columns);
        let by_name = (live_table.indexes.iter().enumerate())
            .position(|(i, ix)| !indexes_claimed[i] && same_name(dialect, &ix.name, &name));
        if let Some(i) = by_name {
            indexes_claimed[i] = true;
            let ix = &live_table.indexes[i];
            if ix.unique || !plain_index_on(dialect, ix, index.columns) {
                push(
                    Change::ChangeIndex {
                        table,
                        index,
                        live: ix.clone(),
                    },
                    needs(
                        "the index of this name is defined otherwise: replacing it drops it first, and queries or constraints may rely on it",
                    ),
                );
            }
            continue;
        }
        let by_columns = (live_table.indexes.iter().enumerate()).position(|(i, ix)| {
            !indexes_claimed[i] && !ix.unique && plain_index_on(dialect, ix, index.columns)
        });
        match by_columns {
            Some(i) => indexes_claimed[i] = true,
            None => push(Change::AddIndex { table, index }, Class::Safe),
        }
    }

    // Foreign keys: by name, else by columns.
    let mut fks_claimed = vec![false; live_table.foreign_keys.len()];
    for fk in table.foreign_keys {
        let name = naming::foreign_key_name(table, fk);
        let found = (live_table.foreign_keys.iter().enumerate())
            .position(|(i, l)| {
                !fks_claimed[i]
                    && l.name
                        .as_deref()
                        .is_some_and(|n| same_name(dialect, n, &name))
            })
            .or_else(|| {
                (live_table.foreign_keys.iter().enumerate()).position(|(i, l)| {
                    !fks_claimed[i] && same_names(dialect, fk.columns, &l.columns)
                })
            });
        let Some(i) = found else {
            push(
                Change::AddForeignKey {
                    table,
                    foreign_key: fk,
                },
                add_constraint_class(dialect),
            );
            continue;
        };
        fks_claimed[i] = true;
        let l = &live_table.foreign_keys[i];
        let ref_schema = fk.ref_schema.unwrap_or(&live.default_schema);
        let same = same_names(dialect, fk.columns, &l.columns)
            && same_name(dialect, fk.ref_table, &l.ref_table)
            // SQLite resolves a foreign key within the table's own database file.
            && (dialect == Dialect::Sqlite || same_name(dialect, ref_schema, &l.ref_schema))
            && same_names(dialect, fk.ref_columns, &l.ref_columns)
            && normalize::model_action(dialect, fk.on_delete)
                == normalize::live_action(dialect, &l.on_delete)
            && normalize::model_action(dialect, fk.on_update)
                == normalize::live_action(dialect, &l.on_update);
        if !same {
            push(
                Change::ChangeForeignKey {
                    table,
                    foreign_key: fk,
                    live: l.clone(),
                },
                needs(match dialect {
                    Dialect::Sqlite => SQLITE_REBUILD,
                    Dialect::Postgres | Dialect::MySql => {
                        "changing a foreign key drops it and adds it anew, which fails on rows that don't satisfy the new one"
                    }
                }),
            );
        }
    }

    // Checks: by name, else by expression.
    let mut checks_claimed = vec![false; live_table.checks.len()];
    for check in table.checks {
        let name = naming::check_name(table, check);
        let by_name = (live_table.checks.iter().enumerate()).position(|(i, c)| {
            !checks_claimed[i]
                && c.name
                    .as_deref()
                    .is_some_and(|n| same_name(dialect, n, &name))
        });
        if let Some(i) = by_name {
            checks_claimed[i] = true;
            let l = &live_table.checks[i];
            if !normalize::same_expression(check.expr, &l.expr)
                && !normalize::rewritten_by_database(&l.expr)
            {
                push(
                    Change::ChangeCheck {
                        table,
                        check,
                        live: l.clone(),
                    },
                    needs(match dialect {
                        Dialect::Sqlite => SQLITE_REBUILD,
                        Dialect::Postgres | Dialect::MySql => {
                            "changing a check drops it and adds it anew, which fails on rows that don't satisfy the new one"
                        }
                    }),
                );
            }
            continue;
        }
        let by_expr = (live_table.checks.iter().enumerate()).position(|(i, c)| {
            !checks_claimed[i] && normalize::same_expression(check.expr, &c.expr)
        });
        match by_expr {
            Some(i) => checks_claimed[i] = true,
            None => push(
                Change::AddCheck { table, check },
                add_constraint_class(dialect),
            ),
        }
    }

    // Comments, where the backend keeps them.
    if dialect != Dialect::Sqlite {
        if !same_comment(table.comment, live_table.comment.as_deref()) {
            push(
                Change::ChangeComment {
                    table,
                    column: None,
                    live: live_table.comment.clone(),
                },
                Class::Safe,
            );
        }
        for column in table.columns {
            let Some(live_column) = live_table
                .columns
                .iter()
                .find(|c| same_name(dialect, &c.name, column.name))
            else {
                continue;
            };
            if !same_comment(column.comment, live_column.comment.as_deref()) {
                push(
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

    // What the database has and no model declares.
    for (column, _) in (live_table.columns.iter().zip(&columns_claimed)).filter(|(_, c)| !**c) {
        push(
            Change::UnknownColumn {
                table,
                column: column.clone(),
            },
            Class::Unknown,
        );
    }
    for (key, _) in (live_table.uniques.iter().zip(&uniques_claimed)).filter(|(_, c)| !**c) {
        push(
            Change::UnknownConstraint {
                table,
                constraint: LiveConstraint::Unique(key.clone()),
            },
            Class::Unknown,
        );
    }
    for (index, _) in (live_table.indexes.iter().zip(&indexes_claimed)).filter(|(_, c)| !**c) {
        if is_foreign_key_index(dialect, live_table, index)
            || index.name.starts_with("sqlite_autoindex_")
        {
            continue;
        }
        push(
            Change::UnknownIndex {
                table,
                index: index.clone(),
            },
            Class::Unknown,
        );
    }
    for (fk, _) in (live_table.foreign_keys.iter().zip(&fks_claimed)).filter(|(_, c)| !**c) {
        push(
            Change::UnknownConstraint {
                table,
                constraint: LiveConstraint::ForeignKey(fk.clone()),
            },
            Class::Unknown,
        );
    }
    for (check, _) in (live_table.checks.iter().zip(&checks_claimed)).filter(|(_, c)| !**c) {
        if is_json_check(&live_table.columns, check.name.as_deref(), &check.expr) {
            continue;
        }
        push(
            Change::UnknownConstraint {
                table,
                constraint: LiveConstraint::Check(check.clone()),
            },
            Class::Unknown,
        );
    }
}

/// Whether the index is on exactly these columns, ascending, whole, without a predicate.
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
    dialect == Dialect::MySql
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
        _ => Class::Safe,
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
    if !normalize::same_type(dialect, column.ty, &live.data_type) {
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
    let serial = dialect == Dialect::Postgres
        && live
            .default
            .as_deref()
            .is_some_and(|d| d.trim_start().starts_with("nextval("));
    let live_auto = live.auto_increment || serial;
    // SQLite's catalog calls an INTEGER PRIMARY KEY nullable, though its rowid never is.
    let nullability_known = !(dialect == Dialect::Sqlite && column.auto_increment && live_auto);
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
