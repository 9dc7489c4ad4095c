//! The rules a set of tables must follow on every backend, one function per rule. They
//! run at every start-up, so they allocate no string unless they find a problem.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use crate::def::{ForeignKeyDef, TableDef};
use crate::error::SchemaError;
use crate::naming::{self, FnvBuild, Kind};
use crate::types::SqlType;

/// `(schema, name)`: what identifies a table.
pub(crate) type Key<'a> = (Option<&'a str>, &'a str);

pub(crate) fn key(table: &TableDef) -> Key<'static> {
    (table.schema, table.name)
}

/// The tables by key; more than one where a key is taken twice.
type ByKey = HashMap<Key<'static>, Vec<&'static TableDef>, FnvBuild>;

/// A generated name's first owner: table, kind and columns.
type Named = (&'static TableDef, Kind, &'static [&'static str]);

/// Every problem of the tables, which arrive sorted by key.
pub(crate) fn check(tables: &[&'static TableDef]) -> Vec<SchemaError> {
    let mut problems = Vec::new();
    let mut by_key: ByKey = HashMap::with_capacity_and_hasher(tables.len(), FnvBuild::default());
    for table in tables {
        by_key.entry(key(table)).or_default().push(table);
    }
    distinct_tables(tables, &mut problems);
    let mut names: HashMap<(Option<&str>, bool, u64), Named, FnvBuild> =
        HashMap::with_capacity_and_hasher(tables.len() * 4, FnvBuild::default());
    let mut columns: HashSet<&str, FnvBuild> = HashSet::default();
    for &table in tables {
        distinct_columns(table, &mut columns, &mut problems);
        known_columns(table, &columns, &mut problems);
        for fk in table.foreign_keys {
            foreign_key_target(table, fk, &by_key, &mut problems);
        }
        distinct_generated_names(table, &mut names, &mut problems);
    }
    distinct_declared_names(tables, &names, &mut problems);
    problems
}

/// Two models of one table would each expect their own columns.
fn distinct_tables(tables: &[&'static TableDef], problems: &mut Vec<SchemaError>) {
    // Sorted by key, so duplicates are neighbours.
    for defs in tables
        .chunk_by(|a, b| key(a) == key(b))
        .filter(|defs| defs.len() > 1)
    {
        problems.push(SchemaError::DuplicateTable {
            table: defs[0].qualified_name(),
            types: defs.iter().map(|d| d.rust_type).collect(),
        });
    }
}

/// `CREATE TABLE` refuses a column named twice. Leaves the table's column names in `columns`.
fn distinct_columns<'a>(
    table: &'a TableDef,
    columns: &mut HashSet<&'a str, FnvBuild>,
    problems: &mut Vec<SchemaError>,
) {
    columns.clear();
    for column in table.columns {
        if !columns.insert(column.name) {
            problems.push(SchemaError::DuplicateColumn {
                table: table.qualified_name(),
                column: column.name.to_owned(),
            });
        }
    }
}

/// Keys, constraints and indexes name columns of their own table.
fn known_columns(
    table: &TableDef,
    columns: &HashSet<&str, FnvBuild>,
    problems: &mut Vec<SchemaError>,
) {
    let mut named = |usage: &'static str, names: &[&str]| {
        for column in names {
            if !columns.contains(column) {
                problems.push(SchemaError::UnknownColumn {
                    table: table.qualified_name(),
                    column: (*column).to_owned(),
                    usage,
                });
            }
        }
    };
    named("primary key", table.primary_key);
    for unique in table.uniques {
        named("unique constraint", unique.columns);
    }
    for index in table.indexes {
        named("index", index.columns);
    }
    for fk in table.foreign_keys {
        named("foreign key", fk.columns);
    }
}

/// A foreign key references a table of the set, as many columns as it has, of the same
/// kinds, and a key of that table: what every backend requires of `REFERENCES`.
fn foreign_key_target(
    table: &TableDef,
    fk: &ForeignKeyDef,
    by_key: &ByKey,
    problems: &mut Vec<SchemaError>,
) {
    let columns = || fk.columns.join(", ");
    let referenced_name = || match fk.ref_schema {
        Some(schema) => format!("{schema}.{}", fk.ref_table),
        None => fk.ref_table.to_owned(),
    };
    let Some(target) = by_key.get(&(fk.ref_schema, fk.ref_table)).map(|d| d[0]) else {
        problems.push(SchemaError::UnknownReference {
            table: table.qualified_name(),
            columns: columns(),
            referenced: referenced_name(),
        });
        return;
    };
    if fk.columns.len() != fk.ref_columns.len() {
        problems.push(SchemaError::ReferenceArity {
            table: table.qualified_name(),
            columns: columns(),
            count: fk.columns.len(),
            referenced: referenced_name(),
            referenced_count: fk.ref_columns.len(),
        });
        return;
    }
    let mut all_known = true;
    for (column, ref_column) in fk.columns.iter().zip(fk.ref_columns) {
        let Some(target_column) = target.column(ref_column) else {
            all_known = false;
            problems.push(SchemaError::UnknownReferencedColumn {
                table: table.qualified_name(),
                columns: columns(),
                referenced: referenced_name(),
                column: (*ref_column).to_owned(),
            });
            continue;
        };
        if let Some(own) = table.column(column)
            && !same_kind(own.ty, target_column.ty)
        {
            problems.push(SchemaError::ReferenceTypeMismatch {
                table: table.qualified_name(),
                column: (*column).to_owned(),
                column_type: type_name(own.ty),
                referenced: referenced_name(),
                referenced_column: (*ref_column).to_owned(),
                referenced_type: type_name(target_column.ty),
            });
        }
    }
    let is_key = |cols: &[&str]| cols == fk.ref_columns;
    if all_known && !is_key(target.primary_key) && !target.uniques.iter().any(|u| is_key(u.columns))
    {
        problems.push(SchemaError::ReferenceNotUnique {
            table: table.qualified_name(),
            columns: columns(),
            referenced: referenced_name(),
            referenced_columns: fk.ref_columns.join(", "),
        });
    }
}

/// Generated names are built from table and column names, which can collide: index names
/// share one namespace per schema (PostgreSQL, SQLite), and foreign key names do on MySQL.
fn distinct_generated_names(
    table: &'static TableDef,
    names: &mut HashMap<(Option<&'static str>, bool, u64), Named, FnvBuild>,
    problems: &mut Vec<SchemaError>,
) {
    // Names are compared by hash; strings for messages are only built once one collides.
    // A declared name is not generated: `distinct_declared_names` compares it.
    let generated = (table.uniques.iter().filter(|u| u.name.is_none()))
        .map(|u| (Kind::Unique, u.columns))
        .chain(
            (table.indexes.iter().filter(|i| i.name.is_none())).map(|i| (Kind::Index, i.columns)),
        )
        .chain(
            (table.foreign_keys.iter().filter(|f| f.name.is_none()))
                .map(|f| (Kind::ForeignKey, f.columns)),
        );
    for (kind, columns) in generated {
        let is_fk = kind == Kind::ForeignKey;
        let hash = naming::generated_name_hash(kind, table, columns);
        match names.entry((table.schema, is_fk, hash)) {
            Entry::Occupied(first) => {
                let (first_table, first_kind, first_columns) = *first.get();
                let name = naming::generated_name(kind, table, columns);
                if name == naming::generated_name(first_kind, first_table, first_columns) {
                    problems.push(SchemaError::DuplicateName {
                        name,
                        kind: if is_fk { "foreign key" } else { "index" },
                        first: first_table.qualified_name(),
                        second: table.qualified_name(),
                    });
                }
            }
            Entry::Vacant(slot) => {
                slot.insert((table, kind, columns));
            }
        }
    }
}

/// The names models give their keys, constraints and indexes share the namespaces of the
/// generated ones: with each other, and with a generated name of the same text.
fn distinct_declared_names(
    tables: &[&'static TableDef],
    generated: &HashMap<(Option<&'static str>, bool, u64), Named, FnvBuild>,
    problems: &mut Vec<SchemaError>,
) {
    let mut declared: HashMap<(Option<&str>, bool, &str), &TableDef, FnvBuild> = HashMap::default();
    for &table in tables {
        let names = (table.primary_key_name.iter().map(|n| (false, *n)))
            .chain(
                table
                    .uniques
                    .iter()
                    .filter_map(|u| u.name)
                    .map(|n| (false, n)),
            )
            .chain(
                table
                    .indexes
                    .iter()
                    .filter_map(|i| i.name)
                    .map(|n| (false, n)),
            )
            .chain(
                table
                    .foreign_keys
                    .iter()
                    .filter_map(|f| f.name)
                    .map(|n| (true, n)),
            );
        for (is_fk, name) in names {
            let kind = if is_fk { "foreign key" } else { "index" };
            let clash = |first: &TableDef| SchemaError::DuplicateName {
                name: name.to_owned(),
                kind,
                first: first.qualified_name(),
                second: table.qualified_name(),
            };
            if let Some(first) = declared.insert((table.schema, is_fk, name), table) {
                problems.push(clash(first));
            } else if let Some(&(first, first_kind, columns)) =
                generated.get(&(table.schema, is_fk, naming::fnv1a(name.as_bytes())))
                && naming::generated_name(first_kind, first, columns) == name
            {
                problems.push(clash(first));
            }
        }
    }
}

/// Same kind of value, ignoring text length: what a foreign key must share with its target.
fn same_kind(a: SqlType, b: SqlType) -> bool {
    matches!((a, b), (SqlType::Text { .. }, SqlType::Text { .. })) || a == b
}

fn type_name(ty: SqlType) -> String {
    match ty {
        SqlType::Text {
            max_length: Some(n),
        } => format!("Text (max_length {n})"),
        SqlType::Custom(sql) => format!("`{sql}`"),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::def::IndexDef;
    use crate::fixtures::{ID, table};
    use crate::schema::Schema;

    static B: TableDef = table("b", &[]);

    #[test]
    fn generated_names_that_collide_are_reported() {
        // ix_a_b + column c and ix_a + column b_c are both "ix_a_b_c".
        static AB: TableDef = table("a_b", &[])
            .with_columns(&[ID, ID.with_name("c")])
            .with_indexes(&[IndexDef::new(&["c"])]);
        static A: TableDef = table("a", &[])
            .with_columns(&[ID, ID.with_name("b_c")])
            .with_indexes(&[IndexDef::new(&["b_c"])]);
        let err = Schema::new([&AB, &A]).unwrap_err();
        assert_eq!(
            err.schema_problems(),
            [SchemaError::DuplicateName {
                name: "ix_a_b_c".into(),
                kind: "index",
                first: "a".into(),
                second: "a_b".into(),
            }]
        );
    }

    #[test]
    fn duplicate_tables_and_columns_are_reported() {
        static TWICE: TableDef = table("b", &[])
            .with_rust_type("other::B")
            .with_columns(&[ID, ID]);
        let err = Schema::new([&B, &TWICE]).unwrap_err();
        let problems = err.schema_problems();
        assert!(problems.contains(&SchemaError::DuplicateTable {
            table: "b".into(),
            types: vec!["b", "other::B"],
        }));
        assert!(problems.contains(&SchemaError::DuplicateColumn {
            table: "b".into(),
            column: "id".into(),
        }));
    }
}
