//! A plan as SQL: statements for the safe changes, and for the others the statements a
//! person could run, as comments. Built from the dialect's own renderers where they exist
//! (`create_table`, `add_foreign_key`, the column definition), so a planned table is the
//! same text as one `create_all` makes.
//!
//! Over 400 lines: every kind of change, for every dialect, as statements or as the commented
//! SQL a person could run: one `match` over the kinds, in one place.

use std::fmt::Write as _;

use crate::def::{ColumnDef, IndexDef, TableDef};
use crate::dialect::{Dialect, Statement};
use crate::naming;
use crate::types::{EnumDef, EnumRepr, SqlType};

use super::{Change, Class, LiveConstraint, Plan, Step};

pub(super) fn statement(table: &TableDef, sql: String) -> Statement {
    Statement {
        table: table.qualified_name(),
        sql,
    }
}

pub(super) fn columns_list(dialect: Dialect, columns: &[impl AsRef<str>]) -> String {
    columns
        .iter()
        .map(|c| dialect.quote(c.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn alter(dialect: Dialect, table: &TableDef, rest: String) -> Statement {
    statement(
        table,
        format!("ALTER TABLE {} {rest}", dialect.table_name(table)),
    )
}

/// `CREATE INDEX`, as `create_table` writes it for PostgreSQL and SQLite (MySQL takes the
/// same statement outside `CREATE TABLE`).
pub(super) fn create_index(dialect: Dialect, table: &TableDef, index: &IndexDef) -> Statement {
    let name = naming::index_name(table, index);
    let (name, on) = match (dialect, table.schema) {
        // SQLite puts the schema on the index name, and none on the table.
        (Dialect::Sqlite, Some(schema)) => (
            format!("{}.{}", dialect.quote(schema), dialect.quote(&name)),
            dialect.quote(table.name),
        ),
        (Dialect::Sqlite, None) => (dialect.quote(&name), dialect.quote(table.name)),
        (Dialect::Postgres | Dialect::MySql, _) => {
            (dialect.quote(&name), dialect.table_name(table))
        }
    };
    statement(
        table,
        format!(
            "CREATE INDEX {name} ON {on} ({})",
            columns_list(dialect, index.columns)
        ),
    )
}

pub(super) fn drop_index(dialect: Dialect, table: &TableDef, name: &str) -> Statement {
    let sql = match (dialect, table.schema) {
        (Dialect::MySql, _) => format!(
            "DROP INDEX {} ON {}",
            dialect.quote(name),
            dialect.table_name(table)
        ),
        (Dialect::Postgres | Dialect::Sqlite, Some(schema)) => format!(
            "DROP INDEX {}.{}",
            dialect.quote(schema),
            dialect.quote(name)
        ),
        (Dialect::Postgres | Dialect::Sqlite, None) => {
            format!("DROP INDEX {}", dialect.quote(name))
        }
    };
    statement(table, sql)
}

/// The kinds of constraint a plan may drop or replace.
#[derive(Clone, Copy)]
pub(super) enum Constraint {
    /// A unique constraint.
    Unique,
    /// A foreign key.
    ForeignKey,
    /// A check constraint.
    Check,
}

pub(super) fn drop_constraint(
    dialect: Dialect,
    table: &TableDef,
    kind: Constraint,
    name: &str,
) -> Statement {
    // MySQL drops a foreign key, and a unique constraint (an index there), by their kind.
    let what = match (dialect, kind) {
        (Dialect::MySql, Constraint::ForeignKey) => "FOREIGN KEY",
        (Dialect::MySql, Constraint::Unique) => "INDEX",
        (Dialect::MySql, Constraint::Check)
        | (
            Dialect::Postgres | Dialect::Sqlite,
            Constraint::Unique | Constraint::ForeignKey | Constraint::Check,
        ) => "CONSTRAINT",
    };
    alter(
        dialect,
        table,
        format!("DROP {what} {}", dialect.quote(name)),
    )
}

fn modify_column(dialect: Dialect, table: &TableDef, column: &ColumnDef) -> Statement {
    alter(
        dialect,
        table,
        format!("MODIFY COLUMN {}", dialect.column_definition(column)),
    )
}

fn alter_column(dialect: Dialect, table: &TableDef, column: &ColumnDef, what: String) -> Statement {
    alter(
        dialect,
        table,
        format!("ALTER COLUMN {} {what}", dialect.quote(column.name)),
    )
}

fn comment_on(dialect: Dialect, table: &TableDef, column: Option<&ColumnDef>) -> Statement {
    let text = match column {
        Some(c) => c.comment,
        None => table.comment,
    };
    let text = text.map_or("NULL".to_owned(), |t| dialect.string_literal(t));
    match (dialect, column) {
        (Dialect::MySql, Some(column)) => modify_column(dialect, table, column),
        (Dialect::MySql, None) => alter(
            dialect,
            table,
            format!(
                "COMMENT = {}",
                dialect.string_literal(table.comment.unwrap_or(""))
            ),
        ),
        (Dialect::Postgres | Dialect::Sqlite, Some(column)) => statement(
            table,
            format!(
                "COMMENT ON COLUMN {}.{} IS {text}",
                dialect.table_name(table),
                dialect.quote(column.name)
            ),
        ),
        (Dialect::Postgres | Dialect::Sqlite, None) => statement(
            table,
            format!("COMMENT ON TABLE {} IS {text}", dialect.table_name(table)),
        ),
    }
}

/// The statements that make the change, or `None` where SQLite must rebuild the table.
pub(super) fn statements(dialect: Dialect, change: &Change) -> Option<Vec<Statement>> {
    let sqlite = !dialect.facts().alters_constraints;
    let one = |s: Statement| Some(vec![s]);
    match change {
        Change::CreateTable { table, deferred } => {
            Some(dialect.create_table_without(table, deferred))
        }
        Change::AddColumn { table, column } => {
            let mut out = vec![alter(
                dialect,
                table,
                format!("ADD COLUMN {}", dialect.column_definition(column)),
            )];
            if dialect.facts().comments_apart && column.comment.is_some() {
                out.push(comment_on(dialect, table, Some(column)));
            }
            Some(out)
        }
        Change::AddPrimaryKey { table } if !sqlite => one(alter(
            dialect,
            table,
            format!(
                "ADD PRIMARY KEY ({})",
                columns_list(dialect, table.primary_key)
            ),
        )),
        Change::AddUnique { table, unique } if !sqlite => one(alter(
            dialect,
            table,
            format!(
                "ADD CONSTRAINT {} UNIQUE ({})",
                dialect.quote(&naming::unique_name(table, unique)),
                columns_list(dialect, unique.columns)
            ),
        )),
        Change::AddIndex { table, index } => one(create_index(dialect, table, index)),
        Change::AddForeignKey { table, foreign_key } if !sqlite => {
            one(dialect.add_foreign_key(table, foreign_key))
        }
        Change::AddCheck { table, check } if !sqlite => one(alter(
            dialect,
            table,
            format!(
                "ADD CONSTRAINT {} CHECK ({})",
                dialect.quote(&naming::check_name(table, check)),
                check.expr
            ),
        )),
        Change::ChangeColumnType { table, column, .. } if !sqlite => one(match dialect {
            Dialect::MySql => modify_column(dialect, table, column),
            Dialect::Postgres | Dialect::Sqlite => {
                let ty = dialect.column_sql_type(column);
                alter_column(
                    dialect,
                    table,
                    column,
                    format!("TYPE {ty} USING {}::{ty}", dialect.quote(column.name)),
                )
            }
        }),
        Change::ChangeNullability { table, column, .. } if !sqlite => one(match dialect {
            Dialect::MySql => modify_column(dialect, table, column),
            Dialect::Postgres | Dialect::Sqlite => alter_column(
                dialect,
                table,
                column,
                if column.nullable {
                    "DROP NOT NULL"
                } else {
                    "SET NOT NULL"
                }
                .to_owned(),
            ),
        }),
        Change::ChangeDefault { table, column, .. } if !sqlite => one(match dialect {
            Dialect::MySql => modify_column(dialect, table, column),
            Dialect::Postgres | Dialect::Sqlite => alter_column(
                dialect,
                table,
                column,
                match column.default {
                    Some(d) => format!("SET DEFAULT {}", dialect.default_sql(column, d)),
                    None => "DROP DEFAULT".to_owned(),
                },
            ),
        }),
        Change::ChangeAutoIncrement { table, column, .. } if !sqlite => one(match dialect {
            Dialect::MySql => modify_column(dialect, table, column),
            Dialect::Postgres | Dialect::Sqlite => alter_column(
                dialect,
                table,
                column,
                if column.auto_increment {
                    "ADD GENERATED BY DEFAULT AS IDENTITY"
                } else {
                    "DROP IDENTITY"
                }
                .to_owned(),
            ),
        }),
        Change::ChangePrimaryKey { table, live } if !sqlite => {
            let add = format!(
                "ADD PRIMARY KEY ({})",
                columns_list(dialect, table.primary_key)
            );
            let drop = match dialect {
                // PostgreSQL's catalog always names the key; `<table>_pkey` is its default.
                Dialect::Postgres | Dialect::Sqlite => format!(
                    "DROP CONSTRAINT {}",
                    dialect.quote(
                        &live
                            .name
                            .clone()
                            .unwrap_or_else(|| format!("{}_pkey", table.name))
                    )
                ),
                Dialect::MySql => "DROP PRIMARY KEY".to_owned(),
            };
            one(alter(
                dialect,
                table,
                if table.primary_key.is_empty() {
                    drop
                } else {
                    format!("{drop}, {add}")
                },
            ))
        }
        Change::ChangeUnique {
            table,
            unique,
            live,
        } if !sqlite => {
            let name = naming::unique_name(table, unique);
            Some(vec![
                drop_constraint(
                    dialect,
                    table,
                    Constraint::Unique,
                    live.name.as_deref().unwrap_or(&name),
                ),
                alter(
                    dialect,
                    table,
                    format!(
                        "ADD CONSTRAINT {} UNIQUE ({})",
                        dialect.quote(&name),
                        columns_list(dialect, unique.columns)
                    ),
                ),
            ])
        }
        Change::ChangeIndex { table, index, live } => Some(vec![
            drop_index(dialect, table, &live.name),
            create_index(dialect, table, index),
        ]),
        Change::ChangeForeignKey {
            table,
            foreign_key,
            live,
        } if !sqlite => {
            let name = live
                .name
                .clone()
                .unwrap_or_else(|| naming::foreign_key_name(table, foreign_key));
            Some(vec![
                drop_constraint(dialect, table, Constraint::ForeignKey, &name),
                dialect.add_foreign_key(table, foreign_key),
            ])
        }
        Change::ChangeCheck { table, check, live } if !sqlite => {
            let name = naming::check_name(table, check);
            Some(vec![
                drop_constraint(
                    dialect,
                    table,
                    Constraint::Check,
                    live.name.as_deref().unwrap_or(&name),
                ),
                alter(
                    dialect,
                    table,
                    format!(
                        "ADD CONSTRAINT {} CHECK ({})",
                        dialect.quote(&name),
                        check.expr
                    ),
                ),
            ])
        }
        Change::ChangeComment { table, column, .. } => one(comment_on(dialect, table, *column)),
        Change::UnknownTable { schema, name } => Some(vec![Statement {
            table: name.clone(),
            sql: format!(
                "DROP TABLE {}",
                match schema {
                    Some(s) => format!("{}.{}", dialect.quote(s), dialect.quote(name)),
                    None => dialect.quote(name),
                }
            ),
        }]),
        Change::UnknownColumn { table, column } => one(alter(
            dialect,
            table,
            format!("DROP COLUMN {}", dialect.quote(&column.name)),
        )),
        Change::UnknownIndex { table, index } => one(drop_index(dialect, table, &index.name)),
        Change::UnknownConstraint { table, constraint } if !sqlite => {
            let (kind, name) = match constraint {
                LiveConstraint::Unique(k) => (Constraint::Unique, k.name.as_deref()),
                LiveConstraint::ForeignKey(fk) => (Constraint::ForeignKey, fk.name.as_deref()),
                LiveConstraint::Check(c) => (Constraint::Check, c.name.as_deref()),
            };
            name.map(|name| vec![drop_constraint(dialect, table, kind, name)])
        }
        Change::AddPrimaryKey { .. }
        | Change::AddUnique { .. }
        | Change::AddForeignKey { .. }
        | Change::AddCheck { .. }
        | Change::ChangeColumnType { .. }
        | Change::ChangeNullability { .. }
        | Change::ChangeDefault { .. }
        | Change::ChangeAutoIncrement { .. }
        | Change::ChangePrimaryKey { .. }
        | Change::ChangeUnique { .. }
        | Change::ChangeForeignKey { .. }
        | Change::ChangeCheck { .. }
        | Change::ChangeEnumValues { .. }
        | Change::ChangeEnumType { .. }
        | Change::UnknownConstraint { .. } => None,
        Change::CreateEnumType { def } => dialect.create_enum_type(def).map(|s| vec![s]),
        Change::AddEnumValues { def, live } => Some(add_enum_values(dialect, def, live)),
    }
}

pub(super) fn safe_statements(plan: &Plan) -> Vec<Statement> {
    let dialect = plan.dialect;
    let safe: Vec<&Step> = plan.safe().collect();
    let mut out = Vec::new();
    let created = || {
        safe.iter().filter_map(|s| match &s.change {
            Change::CreateTable { table, deferred } => Some((*table, deferred)),
            _ => None,
        })
    };
    let mut schemas: Vec<&str> = created().filter_map(|(t, _)| t.schema).collect();
    schemas.sort_unstable();
    schemas.dedup();
    out.extend(schemas.into_iter().filter_map(|s| dialect.create_schema(s)));
    // Enum types before the tables and columns that use them.
    for step in &safe {
        if is_enum_type_change(&step.change) {
            out.extend(statements(dialect, &step.change).unwrap_or_default());
        }
    }
    for (table, deferred) in created() {
        out.extend(dialect.create_table_without(table, deferred));
    }
    for (table, deferred) in created() {
        for &i in deferred {
            out.push(dialect.add_foreign_key(table, &table.foreign_keys[i]));
        }
    }
    for step in &safe {
        if !matches!(step.change, Change::CreateTable { .. }) && !is_enum_type_change(&step.change)
        {
            out.extend(statements(dialect, &step.change).unwrap_or_default());
        }
    }
    out
}

fn is_enum_type_change(change: &Change) -> bool {
    matches!(
        change,
        Change::CreateEnumType { .. } | Change::AddEnumValues { .. }
    )
}

/// `ALTER TYPE … ADD VALUE` for each of the enum's values the type lacks, each placed after
/// the value before it in the enum (or before the type's first, for a new first value).
fn add_enum_values(dialect: Dialect, def: &'static EnumDef, live: &[String]) -> Vec<Statement> {
    let EnumRepr::Text { values, .. } = def.repr else {
        return Vec::new();
    };
    let name = dialect.column_type(SqlType::Enum(def));
    let mut out = Vec::new();
    let mut previous: Option<&str> = None;
    for value in values {
        if !live.iter().any(|l| l == value) {
            let place = match (previous, live.first()) {
                (Some(p), _) => format!(" AFTER {}", dialect.string_literal(p)),
                (None, Some(first)) => format!(" BEFORE {}", dialect.string_literal(first)),
                (None, None) => String::new(),
            };
            out.push(Statement {
                table: String::new(),
                sql: format!(
                    "ALTER TYPE {name} ADD VALUE IF NOT EXISTS {}{place}",
                    dialect.string_literal(value)
                ),
            });
        }
        previous = Some(value);
    }
    out
}

/// Every line of `text` as an SQL comment.
pub(super) fn commented(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "-- {line}");
    }
}

pub(super) fn script(plan: &Plan) -> String {
    let dialect = plan.dialect;
    let mut out = String::new();
    let safe = safe_statements(plan);
    if !safe.is_empty() {
        let _ = writeln!(out, "-- Safe changes.");
        for s in &safe {
            let _ = writeln!(out, "{};", s.sql);
        }
    }
    let needs: Vec<&Step> = plan.needs_person().collect();
    if !needs.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "-- Changes that need a person: read each reason, then run what fits by hand."
        );
        for step in needs {
            commented(
                &mut out,
                &format!(
                    "{}: {}",
                    step.table,
                    super::Described(&step.change, dialect)
                ),
            );
            if let Class::NeedsPerson { reason } = &step.class {
                commented(&mut out, &format!("  why: {reason}"));
            }
            match statements(dialect, &step.change) {
                Some(statements) => {
                    for s in statements {
                        commented(&mut out, &format!("  {};", s.sql.replace('\n', "\n  ")));
                    }
                }
                None => {
                    if let Some(table) = step.change.model_table() {
                        commented(&mut out, "  the table as the model defines it:");
                        for s in dialect.create_table(table) {
                            commented(&mut out, &format!("  {};", s.sql.replace('\n', "\n  ")));
                        }
                    }
                }
            }
        }
    }
    let unknown: Vec<&Step> = plan.unknown().collect();
    if !unknown.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "-- In the database, unknown to the models: kept. To drop one, run its statement by hand."
        );
        for step in unknown {
            commented(
                &mut out,
                &format!(
                    "{}: {}",
                    step.table,
                    super::Described(&step.change, dialect)
                ),
            );
            match statements(dialect, &step.change) {
                Some(statements) => {
                    for s in statements {
                        commented(&mut out, &format!("  {};", s.sql.replace('\n', "\n  ")));
                    }
                }
                None => commented(&mut out, "  SQLite drops it only by rebuilding the table"),
            }
        }
    }
    out
}
