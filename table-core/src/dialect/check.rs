//! The checks that every dialect runs with its own answers: identifier lengths, column
//! types, indexable key columns. Each dialect's `check_table` calls them, in the order of
//! its messages, beside the rules of its own. They are generic over the dialect, not
//! `&dyn Rules`: they run at every start-up, a call per column, and a static call lets the
//! dialect's `match` inline (BENCHMARKS.md, issue 14: a warm SQLite `create_all` at 1000
//! tables came out a few per cent slower with dynamic calls here).

use super::rules::Rules;
use crate::def::{ColumnDef, ForeignKeyDef, TableDef};
use crate::error::SchemaError;
use crate::naming;
use crate::types::SqlType;

/// Names past the backend's limit: PostgreSQL would silently cut them, MySQL refuses them.
pub(super) fn identifier_lengths<R: Rules>(
    rules: &R,
    table: &TableDef,
    problems: &mut Vec<SchemaError>,
) {
    let Some(max) = rules.max_identifier_len() else {
        return;
    };
    let mut long = |kind: &'static str, name: &str| {
        let len = rules.identifier_len(name);
        if len > max {
            problems.push(SchemaError::IdentifierTooLong {
                dialect: rules.name(),
                kind,
                name: name.to_owned(),
                len,
                max,
            });
        }
    };
    long("table", table.name);
    if let Some(schema) = table.schema {
        long("schema", schema);
    }
    for column in table.columns {
        long("column", column.name);
    }
    declared_name_lengths(table, &mut long);
}

/// The names a model gives its constraints and indexes, which no hash shortens.
fn declared_name_lengths(table: &TableDef, long: &mut impl FnMut(&'static str, &str)) {
    if let Some(name) = table.primary_key_name {
        long("primary key", name);
    }
    for name in table.uniques.iter().filter_map(|u| u.name) {
        long("unique constraint", name);
    }
    for name in table.indexes.iter().filter_map(|i| i.name) {
        long("index", name);
    }
    for name in table.foreign_keys.iter().filter_map(|f| f.name) {
        long("foreign key", name);
    }
    for name in table.checks.iter().filter_map(|c| c.name) {
        long("check constraint", name);
    }
}

/// A type sqlx can't bind or read on this backend: the table could be created, and then
/// not used.
pub(super) fn column_type<R: Rules>(
    rules: &R,
    table: &TableDef,
    column: &ColumnDef,
    problems: &mut Vec<SchemaError>,
) {
    let ty = rules
        .own_type(&column.backend_types)
        .map_or(column.ty, SqlType::Custom);
    if let Some(reason) = rules.unsupported_reason(ty) {
        problems.push(SchemaError::UnsupportedType {
            dialect: rules.name(),
            table: table.qualified_name(),
            column: column.name.to_owned(),
            reason,
        });
    }
}

/// A key or index over a column the backend can't index whole (MySQL's TEXT, BLOB, JSON):
/// `CREATE TABLE` would fail.
pub(super) fn indexable_keys<R: Rules>(
    rules: &R,
    table: &TableDef,
    problems: &mut Vec<SchemaError>,
) {
    let keyed = std::iter::once(("primary key", table.primary_key))
        .chain(
            table
                .uniques
                .iter()
                .map(|u| ("unique constraint", u.columns)),
        )
        .chain(table.indexes.iter().map(|i| ("index", i.columns)))
        .chain(
            table
                .foreign_keys
                .iter()
                .map(|f| ("foreign key", f.columns)),
        );
    for (usage, columns) in keyed {
        for name in columns {
            if let Some(column) = table.column(name)
                && !rules.indexable(
                    rules
                        .own_type(&column.backend_types)
                        .map_or(column.ty, SqlType::Custom),
                )
            {
                problems.push(SchemaError::NotIndexable {
                    table: table.qualified_name(),
                    column: column.name.to_owned(),
                    usage,
                });
            }
        }
    }
}

/// `schema.table` or `table`: how a foreign key's target is named in messages.
pub(super) fn referenced_name(fk: &ForeignKeyDef) -> String {
    match fk.ref_schema {
        Some(schema) => format!("{schema}.{}", fk.ref_table),
        None => fk.ref_table.to_owned(),
    }
}

/// Where tables and indexes share one namespace per schema (PostgreSQL, SQLite), a table
/// named like another table's generated index makes one of the two `CREATE`s fail.
/// `uniques`: whether unique constraints are indexes of that namespace too (PostgreSQL).
/// `ignore_case`: whether the backend compares names without case (SQLite).
pub(super) fn tables_named_like_indexes(
    rules: &dyn Rules,
    tables: &[&TableDef],
    uniques: bool,
    ignore_case: bool,
    problems: &mut Vec<SchemaError>,
) {
    let same = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    // Only prefixed names can collide: skip the work for schemas whose tables have none.
    let prefixed = |name: &str| {
        let lower = |p: &str| name.len() > p.len() && same(&name[..p.len()], p);
        lower("ix_") || (uniques && lower("uq_"))
    };
    let named: Vec<&&TableDef> = tables.iter().filter(|t| prefixed(t.name)).collect();
    if named.is_empty() {
        return;
    }
    for owner in tables {
        let generated = owner
            .indexes
            .iter()
            .map(|i| ("index", naming::index_name(owner, i)))
            .chain(
                owner
                    .uniques
                    .iter()
                    .filter(|_| uniques)
                    .map(|u| ("unique constraint", naming::unique_name(owner, u))),
            );
        for (kind, name) in generated {
            for table in named
                .iter()
                .filter(|t| t.schema == owner.schema && same(t.name, &name))
            {
                problems.push(SchemaError::TableNamedLikeIndex {
                    dialect: rules.name(),
                    table: table.qualified_name(),
                    kind,
                    owner: owner.qualified_name(),
                });
            }
        }
    }
}
