//! A set of tables, checked and put in foreign-key order.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use crate::def::{Action, ForeignKeyDef, TableDef};
use crate::dialect::{Dialect, Statement, script};
use crate::error::{Error, SchemaError};
use crate::naming::{self, FnvBuild, Kind};
use crate::registry;
use crate::types::SqlType;

/// A checked set of tables in creation order: SQLAlchemy's `MetaData`.
///
/// [`Schema::registered`] holds every model linked into the binary; [`Schema::new`] holds the
/// tables you choose. Building one checks everything that doesn't depend on the backend
/// (duplicate tables, foreign keys to unknown tables or columns, mismatched key types), so
/// a `Schema` value is always consistent.
///
/// ```
/// use sqlx_table::{Dialect, Schema, Table};
///
/// #[derive(Table)]
/// struct Author {
///     #[table(primary_key)]
///     id: i64,
///     name: String,
/// }
///
/// #[derive(Table)]
/// struct Book {
///     #[table(primary_key)]
///     id: i64,
///     #[table(references = Author, on_delete = "cascade")]
///     author_id: i64,
/// }
///
/// let schema = Schema::new([&Book::DEF, &Author::DEF]).unwrap();
/// let names: Vec<_> = schema.tables().map(|t| t.name).collect();
/// assert_eq!(names, ["author", "book"]); // referenced tables first
/// let sql = schema.create_script(Dialect::Postgres).unwrap();
/// assert!(sql.contains(r#"REFERENCES "author" ("id") ON DELETE CASCADE"#));
/// ```
#[derive(Debug, Clone)]
pub struct Schema {
    /// Tables in creation order: every table after the tables it references, except across
    /// the foreign keys in `deferred`.
    tables: Vec<&'static TableDef>,
    /// `(table position in tables, foreign key position in that table)` for each foreign key
    /// that closes a cycle.
    deferred: Vec<(usize, usize)>,
}

type Key<'a> = (Option<&'a str>, &'a str);

fn key(table: &TableDef) -> Key<'static> {
    (table.schema, table.name)
}

impl Schema {
    /// Every table registered by `#[derive(Table)]` in this binary.
    pub fn registered() -> Result<Schema, Error> {
        Schema::new(registry::registered())
    }

    /// The given tables, checked and ordered. Their order doesn't matter.
    pub fn new(tables: impl IntoIterator<Item = &'static TableDef>) -> Result<Schema, Error> {
        let mut tables: Vec<&'static TableDef> = tables.into_iter().collect();
        tables
            .sort_by(|a, b| (a.schema, a.name, a.rust_type).cmp(&(b.schema, b.name, b.rust_type)));
        tables.dedup_by(|a, b| std::ptr::eq(*a, *b) || *a == *b);
        Error::invalid(check(&tables))?;
        let (order, deferred) = order(&tables);
        let position: HashMap<Key, usize> = order
            .iter()
            .enumerate()
            .map(|(pos, &i)| (key(tables[i]), pos))
            .collect();
        let ordered: Vec<&'static TableDef> = order.iter().map(|&i| tables[i]).collect();
        let deferred = deferred
            .into_iter()
            .map(|(t, fk)| (position[&key(tables[t])], fk))
            .collect();
        Ok(Schema {
            tables: ordered,
            deferred,
        })
    }

    /// The tables in creation order: each after the tables it references (but across a cycle).
    pub fn tables(&self) -> impl DoubleEndedIterator<Item = &'static TableDef> + '_ {
        self.tables.iter().copied()
    }

    /// How many tables.
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// Whether the schema has no table.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The foreign keys that close a cycle: added with `ALTER TABLE` after both tables exist,
    /// on dialects that need it.
    pub fn deferred_foreign_keys(
        &self,
    ) -> impl Iterator<Item = (&'static TableDef, &'static ForeignKeyDef)> + '_ {
        self.deferred
            .iter()
            .map(|&(t, fk)| (self.tables[t], &self.tables[t].foreign_keys[fk]))
    }

    pub(crate) fn deferred_of(&self, table_pos: usize) -> Vec<usize> {
        self.deferred
            .iter()
            .filter(|(t, _)| *t == table_pos)
            .map(|(_, fk)| *fk)
            .collect()
    }

    /// Checks that every table can be written in the dialect, and reports every problem.
    pub fn validate_for(&self, dialect: Dialect) -> Result<(), Error> {
        let mut problems = Vec::new();
        for table in &self.tables {
            check_dialect(table, dialect, &mut problems);
        }
        Error::invalid(problems)
    }

    /// Every statement that creates the schema on an empty database, in order.
    pub fn create_statements(&self, dialect: Dialect) -> Result<Vec<Statement>, Error> {
        self.validate_for(dialect)?;
        Ok(self.create_statements_unchecked(dialect, |_| true, true))
    }

    /// The statements that create the tables for which `wanted` is true, then (with
    /// `with_deferred`) the cycle-closing foreign keys of those tables; the caller has validated.
    pub(crate) fn create_statements_unchecked(
        &self,
        dialect: Dialect,
        wanted: impl Fn(&TableDef) -> bool,
        with_deferred: bool,
    ) -> Vec<Statement> {
        let defer = dialect.defers_cyclic_foreign_keys();
        let mut statements = Vec::new();
        let mut schemas: Vec<&str> = self
            .tables
            .iter()
            .filter(|t| wanted(t))
            .filter_map(|t| t.schema)
            .collect();
        schemas.sort_unstable();
        schemas.dedup();
        statements.extend(schemas.into_iter().filter_map(|s| dialect.create_schema(s)));
        for (pos, table) in self.tables.iter().enumerate() {
            if wanted(table) {
                let deferred = if defer {
                    self.deferred_of(pos)
                } else {
                    Vec::new()
                };
                statements.extend(dialect.create_table(table, &deferred));
            }
        }
        if defer && with_deferred {
            for (table, fk) in self.deferred_foreign_keys() {
                if wanted(table) {
                    statements.push(dialect.add_foreign_key(table, fk));
                }
            }
        }
        statements
    }

    /// The whole creation script for the dialect: what `create_all` runs on an empty database.
    pub fn create_script(&self, dialect: Dialect) -> Result<String, Error> {
        Ok(script(&self.create_statements(dialect)?))
    }

    /// `DROP TABLE IF EXISTS` for every table, in reverse creation order.
    pub fn drop_statements(&self, dialect: Dialect) -> Vec<Statement> {
        self.tables
            .iter()
            .rev()
            .map(|t| dialect.drop_table(t))
            .collect()
    }
}

fn joined(columns: &[&str]) -> String {
    columns.join(", ")
}

/// Same kind of value, ignoring text length: what a foreign key must share with its target.
fn same_kind(a: SqlType, b: SqlType) -> bool {
    match (a, b) {
        (SqlType::Text { .. }, SqlType::Text { .. }) => true,
        _ => a == b,
    }
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

/// The backend-independent rules.
fn check(tables: &[&'static TableDef]) -> Vec<SchemaError> {
    let mut problems = Vec::new();
    // Tables arrive sorted by key, so duplicates are neighbours.
    let mut by_key: HashMap<Key, Vec<&'static TableDef>, FnvBuild> =
        HashMap::with_capacity_and_hasher(tables.len(), FnvBuild::default());
    for table in tables {
        by_key.entry(key(table)).or_default().push(table);
    }
    for defs in tables
        .chunk_by(|a, b| key(a) == key(b))
        .filter(|defs| defs.len() > 1)
    {
        problems.push(SchemaError::DuplicateTable {
            table: defs[0].qualified_name(),
            types: defs.iter().map(|d| d.rust_type).collect(),
        });
    }
    // Generated index and foreign key names, and the table that first made each. Strings
    // for messages are only built once a problem is found: this runs at every start-up.
    type Named = (&'static TableDef, Kind, &'static [&'static str]);
    let mut names: HashMap<(Option<&str>, bool, u64), Named, FnvBuild> =
        HashMap::with_capacity_and_hasher(tables.len() * 4, FnvBuild::default());
    let mut columns: HashSet<&str, FnvBuild> = HashSet::default();
    for &table in tables {
        columns.clear();
        for column in table.columns {
            if !columns.insert(column.name) {
                problems.push(SchemaError::DuplicateColumn {
                    table: table.qualified_name(),
                    column: column.name.to_owned(),
                });
            }
        }
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
        for fk in table.foreign_keys {
            check_foreign_key(table, fk, &by_key, &mut problems);
        }
        // Index names share one namespace per schema (PostgreSQL, SQLite); foreign key names
        // do on MySQL. Both are generated from table and column names, which can collide.
        let generated = (table.uniques.iter().map(|u| (Kind::Unique, u.columns)))
            .chain(table.indexes.iter().map(|i| (Kind::Index, i.columns)))
            .chain(
                table
                    .foreign_keys
                    .iter()
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
    problems
}

fn check_foreign_key(
    table: &TableDef,
    fk: &ForeignKeyDef,
    by_key: &HashMap<Key, Vec<&'static TableDef>, FnvBuild>,
    problems: &mut Vec<SchemaError>,
) {
    let columns = || joined(fk.columns);
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
            referenced_columns: joined(fk.ref_columns),
        });
    }
}

fn check_dialect(table: &TableDef, dialect: Dialect, problems: &mut Vec<SchemaError>) {
    let qualified = table.qualified_name();
    if let Some(max) = dialect.max_identifier_len() {
        let mut long = |kind: &'static str, name: &str| {
            let len = if dialect == Dialect::MySql {
                name.chars().count()
            } else {
                name.len()
            };
            if len > max {
                problems.push(SchemaError::IdentifierTooLong {
                    dialect: dialect.name(),
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
    }
    for column in table.columns {
        if let Some(reason) = dialect.unsupported_reason(column.ty) {
            problems.push(SchemaError::UnsupportedType {
                dialect: dialect.name(),
                table: qualified.clone(),
                column: column.name.to_owned(),
                reason,
            });
        }
        if dialect == Dialect::Sqlite && column.auto_increment && table.primary_key != [column.name]
        {
            problems.push(SchemaError::AutoIncrementNotSoleKey {
                table: qualified.clone(),
                column: column.name.to_owned(),
            });
        }
    }
    if dialect == Dialect::MySql {
        for fk in table.foreign_keys {
            for action in [fk.on_delete, fk.on_update].into_iter().flatten() {
                if action == Action::SetDefault {
                    problems.push(SchemaError::UnsupportedAction {
                        dialect: dialect.name(),
                        table: qualified.clone(),
                        columns: joined(fk.columns),
                        action: action.as_sql(),
                    });
                }
            }
        }
    }
    if dialect == Dialect::Sqlite {
        for fk in table.foreign_keys {
            if fk.ref_schema != table.schema {
                problems.push(SchemaError::CrossSchemaReference {
                    table: qualified.clone(),
                    columns: joined(fk.columns),
                    referenced: match fk.ref_schema {
                        Some(schema) => format!("{schema}.{}", fk.ref_table),
                        None => fk.ref_table.to_owned(),
                    },
                });
            }
        }
    }
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
                && !dialect.indexable(column.ty)
            {
                problems.push(SchemaError::NotIndexable {
                    table: qualified.clone(),
                    column: column.name.to_owned(),
                    usage,
                });
            }
        }
    }
}

/// Depth-first post-order over foreign keys, from tables sorted by name: every table comes
/// after the tables it references, deterministically. A foreign key that reaches a table
/// still on the path closes a cycle and is returned as deferred; a table referencing
/// itself needs no deferral.
fn order(tables: &[&'static TableDef]) -> (Vec<usize>, Vec<(usize, usize)>) {
    let index: HashMap<Key, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t), i))
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; tables.len()];
    let mut order = Vec::with_capacity(tables.len());
    let mut deferred = Vec::new();
    for root in 0..tables.len() {
        if state[root] != State::New {
            continue;
        }
        // (table, next foreign key to follow)
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = State::OnPath;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let fks = tables[node].foreign_keys;
            if *next == fks.len() {
                state[node] = State::Done;
                order.push(node);
                path.pop();
                continue;
            }
            let fk_pos = *next;
            *next += 1;
            let fk = &fks[fk_pos];
            let Some(&target) = index.get(&(fk.ref_schema, fk.ref_table)) else {
                continue;
            };
            match state[target] {
                _ if target == node => {}
                State::OnPath => deferred.push((node, fk_pos)),
                State::Done => {}
                State::New => {
                    state[target] = State::OnPath;
                    path.push((target, 0));
                }
            }
        }
    }
    (order, deferred)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::def::{ColumnDef, ForeignKeyDef, IndexDef};

    const ID: ColumnDef = ColumnDef {
        name: "id",
        ty: SqlType::I64,
        nullable: false,
        auto_increment: false,
        default: None,
        comment: None,
    };
    const REF: ColumnDef = ColumnDef {
        name: "ref_id",
        nullable: true,
        ..ID
    };

    const fn fk(to: &'static str) -> ForeignKeyDef {
        ForeignKeyDef {
            columns: &["ref_id"],
            ref_schema: None,
            ref_table: to,
            ref_columns: &["id"],
            on_delete: None,
            on_update: None,
        }
    }

    const fn table(name: &'static str, fks: &'static [ForeignKeyDef]) -> TableDef {
        TableDef {
            name,
            schema: None,
            rust_type: name,
            comment: None,
            columns: &[ID, REF],
            primary_key: &["id"],
            uniques: &[],
            indexes: &[],
            checks: &[],
            foreign_keys: fks,
        }
    }

    static A: TableDef = table("a", &[fk("c")]);
    static B: TableDef = table("b", &[]);
    static C: TableDef = table("c", &[fk("b")]);
    static SELF: TableDef = table("s", &[fk("s")]);
    static X: TableDef = table("x", &[fk("y")]);
    static Y: TableDef = table("y", &[fk("x")]);

    fn names(schema: &Schema) -> Vec<&'static str> {
        schema.tables().map(|t| t.name).collect()
    }

    #[test]
    fn referenced_tables_come_first_whatever_the_input_order() {
        let one = Schema::new([&A, &B, &C]).unwrap();
        let two = Schema::new([&C, &A, &B]).unwrap();
        assert_eq!(names(&one), ["b", "c", "a"]);
        assert_eq!(names(&two), names(&one));
        assert_eq!(one.deferred_foreign_keys().count(), 0);
    }

    #[test]
    fn a_self_reference_is_not_deferred() {
        let schema = Schema::new([&SELF]).unwrap();
        assert_eq!(schema.deferred_foreign_keys().count(), 0);
    }

    #[test]
    fn a_cycle_defers_exactly_one_foreign_key() {
        let schema = Schema::new([&Y, &X]).unwrap();
        let deferred: Vec<_> = schema
            .deferred_foreign_keys()
            .map(|(t, _)| t.name)
            .collect();
        assert_eq!(deferred, ["y"]);
        assert_eq!(names(&schema), ["y", "x"]);
        let sql = schema.create_script(Dialect::Postgres).unwrap();
        let create_x = sql.find(r#"CREATE TABLE "x""#).unwrap();
        let alter = sql
            .find(r#"ALTER TABLE "y" ADD CONSTRAINT "fk_y_ref_id""#)
            .unwrap();
        assert!(create_x < alter, "{sql}");
    }

    #[test]
    fn mysql_refuses_set_default_which_innodb_ignores() {
        static T: TableDef = table(
            "t",
            &[ForeignKeyDef {
                on_delete: Some(Action::SetDefault),
                ..fk("t")
            }],
        );
        let schema = Schema::new([&T]).unwrap();
        assert!(schema.validate_for(Dialect::Postgres).is_ok());
        let err = schema.validate_for(Dialect::MySql).unwrap_err();
        assert!(
            matches!(
                err.schema_problems(),
                [SchemaError::UnsupportedAction {
                    action: "SET DEFAULT",
                    ..
                }]
            ),
            "{err}"
        );
    }

    #[test]
    fn generated_names_that_collide_are_reported() {
        // ix_a_b + column c and ix_a + column b_c are both "ix_a_b_c".
        const C: ColumnDef = ColumnDef { name: "c", ..ID };
        const BC: ColumnDef = ColumnDef { name: "b_c", ..ID };
        static AB: TableDef = TableDef {
            name: "a_b",
            columns: &[ID, C],
            indexes: &[IndexDef { columns: &["c"] }],
            ..table("a_b", &[])
        };
        static A: TableDef = TableDef {
            name: "a",
            columns: &[ID, BC],
            indexes: &[IndexDef { columns: &["b_c"] }],
            ..table("a", &[])
        };
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
        static TWICE: TableDef = TableDef {
            rust_type: "other::B",
            columns: &[ID, ID],
            ..table("b", &[])
        };
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

    #[test]
    fn the_same_table_twice_is_kept_once() {
        assert_eq!(Schema::new([&B, &B]).unwrap().len(), 1);
    }
}
