//! The rules a set of tables must follow on every backend, one function per rule. They
//! run at every start-up, so they allocate no string unless they find a problem.
//!
//! Over 400 lines: one function per rule, the scanner of raw SQL that one of them needs, and
//! their unit tests; each rule reads the same `TableDef`s, and splitting them would scatter
//! the list of what `Models::new` checks.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use crate::def::{DefaultValue, ForeignKeyDef, TableDef};
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
        declared_once(table, &mut problems);
        clean_names(table, &mut problems);
        defaults_fit(table, &mut problems);
        safe_raw_sql(table, &mut problems);
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
                if std::ptr::eq(first_table, table)
                    && first_kind == kind
                    && first_columns == columns
                {
                    continue; // the same declaration twice: `declared_once` reports it
                }
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

/// An index or unique constraint declared twice would be created twice, and the second
/// `CREATE INDEX` fails with a name that seems to blame two tables. Two that the model names
/// differently are two objects (an existing database may well have both), not a repeat.
fn declared_once(table: &TableDef, problems: &mut Vec<SchemaError>) {
    type Declared<'a> = (&'a [&'a str], Option<&'a str>);
    let mut twice = |kind: &'static str, all: &[Declared]| {
        for (i, declared) in all.iter().enumerate() {
            // Reported once, at its second declaration.
            if all[..i].iter().filter(|d| *d == declared).count() == 1 {
                problems.push(SchemaError::DuplicateDeclaration {
                    table: table.qualified_name(),
                    kind,
                    columns: declared.0.join(", "),
                });
            }
        }
    };
    if table.indexes.len() > 1 {
        let all: Vec<Declared> = table.indexes.iter().map(|i| (i.columns, i.name)).collect();
        twice("index", &all);
    }
    if table.uniques.len() > 1 {
        let all: Vec<Declared> = table.uniques.iter().map(|u| (u.columns, u.name)).collect();
        twice("unique constraint", &all);
    }
}

/// A NUL character ends a string in every server's C code, and a name that begins or ends
/// with whitespace is refused by MySQL and is never the name anyone types.
fn clean_names(table: &TableDef, problems: &mut Vec<SchemaError>) {
    let mut name = |kind: &'static str, name: &str| {
        if name.contains('\0') {
            problems.push(SchemaError::NulCharacter {
                table: table.qualified_name(),
                what: format!("the {kind} name `{}`", name.escape_default()),
            });
        }
        if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
            problems.push(SchemaError::NameWhitespace {
                kind,
                name: name.to_owned(),
            });
        }
    };
    name("table", table.name);
    if let Some(schema) = table.schema {
        name("schema", schema);
    }
    for column in table.columns {
        name("column", column.name);
    }
    let mut text = |what: &dyn Fn() -> String, value: &str| {
        if value.contains('\0') {
            problems.push(SchemaError::NulCharacter {
                table: table.qualified_name(),
                what: what(),
            });
        }
    };
    if let Some(comment) = table.comment {
        text(&|| "the comment".to_owned(), comment);
    }
    for column in table.columns {
        if let Some(DefaultValue::Str(value) | DefaultValue::Sql(value)) = column.default {
            text(
                &|| format!("the default of column `{}`", column.name),
                value,
            );
        }
        if let Some(comment) = column.comment {
            text(
                &|| format!("the comment of column `{}`", column.name),
                comment,
            );
        }
    }
    for check in table.checks {
        text(&|| "a check".to_owned(), check.expr);
    }
}

/// A string default longer than a `VARCHAR(N)`: PostgreSQL and SQLite-with-checks refuse
/// the row, MySQL the `CREATE TABLE`.
fn defaults_fit(table: &TableDef, problems: &mut Vec<SchemaError>) {
    for column in table.columns {
        if let (
            Some(DefaultValue::Str(value)),
            SqlType::Text {
                max_length: Some(max),
            },
        ) = (column.default, column.ty)
        {
            let len = value.chars().count();
            if len > max as usize {
                problems.push(SchemaError::DefaultTooLong {
                    table: table.qualified_name(),
                    column: column.name.to_owned(),
                    len,
                    max,
                });
            }
        }
    }
}

/// `check` and `default_sql` are written into the statement as given: they must stay one
/// expression (DESIGN.md, "Raw SQL").
fn safe_raw_sql(table: &TableDef, problems: &mut Vec<SchemaError>) {
    let mut raw = |what: &dyn Fn() -> String, sql: &str| {
        if let Some(reason) = raw_sql_problem(sql) {
            problems.push(SchemaError::UnsafeRawSql {
                table: table.qualified_name(),
                what: what(),
                sql: sql.to_owned(),
                reason,
            });
        }
    };
    for check in table.checks {
        raw(&|| "a check".to_owned(), check.expr);
    }
    for index in table.indexes {
        let name = || crate::naming::index_name(table, index);
        if let Some(predicate) = index.predicate {
            raw(&|| format!("the `where` of index `{}`", name()), predicate);
        }
        for part in index.parts.iter().filter(|p| p.expression) {
            raw(
                &|| format!("an expression of index `{}`", name()),
                part.text,
            );
        }
    }
    for column in table.columns {
        if let Some(DefaultValue::Sql(sql)) = column.default {
            raw(
                &|| format!("the default_sql of column `{}`", column.name),
                sql,
            );
        }
    }
}

/// Why a raw SQL expression could escape the clause it is written into, if it could.
/// Scanned twice, with and without backslash escapes in strings, since MySQL reads them
/// (unless `NO_BACKSLASH_ESCAPES`) and the others don't: what is safe must be safe both ways.
pub(crate) fn raw_sql_problem(sql: &str) -> Option<&'static str> {
    scan_raw_sql(sql, false).or_else(|| scan_raw_sql(sql, true))
}

fn scan_raw_sql(sql: &str, backslash_escapes: bool) -> Option<&'static str> {
    let mut chars = sql.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => loop {
                match chars.next() {
                    None => return Some("has a quote it doesn't close"),
                    Some('\\') if backslash_escapes => {
                        chars.next();
                    }
                    Some(q) if q == c => {
                        if chars.peek() == Some(&c) {
                            chars.next(); // a doubled quote stands for itself
                        } else {
                            break;
                        }
                    }
                    Some(_) => {}
                }
            },
            ';' => {
                return Some(
                    "has a `;` outside a string literal, which would end the statement and run what follows as another",
                );
            }
            '-' if chars.peek() == Some(&'-') => return Some(COMMENT),
            '/' if chars.peek() == Some(&'*') => return Some(COMMENT),
            '#' => return Some(COMMENT),
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return Some("closes a parenthesis it didn't open"),
            },
            _ => {}
        }
    }
    (depth > 0).then_some("opens a parenthesis it doesn't close")
}

const COMMENT: &str = "has a SQL comment (`--`, `/*`, or MySQL's `#`), which would hide the rest of the statement; put the note in a Rust comment instead";

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
    use crate::schema::Models;

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
        let err = Models::new([&AB, &A]).unwrap_err();
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
        let err = Models::new([&B, &TWICE]).unwrap_err();
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

    #[test]
    fn raw_sql_is_safe_only_if_safe_with_and_without_backslash_escapes() {
        assert_eq!(raw_sql_problem("v <> ';' AND w = 'it''s -- fine'"), None);
        assert_eq!(raw_sql_problem("lower(\"Name\") = `x`"), None);
        // MySQL ends this string at its fourth character: the rest is a statement there.
        assert!(raw_sql_problem("v = '\\''; DROP TABLE t; '").is_some());
        assert!(raw_sql_problem("v > 0 # MySQL comment").is_some());
        assert!(raw_sql_problem("(v > 0").is_some());
        assert!(raw_sql_problem("v = 'open").is_some());
    }
}
