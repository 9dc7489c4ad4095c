//! A set of tables and its foreign-key order. What the set must satisfy is in
//! [`check`](crate::check); turning it into SQL for a dialect is [`ddl`](crate::ddl).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use crate::check::{self, Key, key};
use crate::def::{ForeignKeyDef, TableDef};
use crate::error::{Error, SchemaError};
use crate::registry;

/// A checked set of tables in creation order: SQLAlchemy's `MetaData`.
///
/// [`Models::registered`] holds every model linked into the binary; [`Models::new`] holds the
/// tables you choose. Building one checks everything that doesn't depend on the backend
/// (duplicate tables, foreign keys to unknown tables or columns, mismatched key types), so
/// a `Models` value is always consistent.
///
/// ```
/// use sqlx_table::{Dialect, Models, Table};
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
/// let schema = Models::new([&Book::DEF, &Author::DEF]).unwrap();
/// let names: Vec<_> = schema.tables().map(|t| t.name).collect();
/// assert_eq!(names, ["author", "book"]); // referenced tables first
/// let sql = schema.create_script(Dialect::Postgres).unwrap();
/// assert!(sql.contains(r#"REFERENCES "author" ("id") ON DELETE CASCADE"#));
/// ```
#[derive(Debug, Clone)]
pub struct Models {
    /// Tables in creation order: every table after the tables it references, except across
    /// the foreign keys in `deferred`.
    tables: Vec<&'static TableDef>,
    /// `(table position in tables, foreign key position in that table)` for each foreign key
    /// that closes a cycle.
    deferred: Vec<(usize, usize)>,
}

impl Models {
    /// Every table registered by `#[derive(Table)]` in this binary, whatever its model set.
    ///
    /// # Errors
    ///
    /// As [`Models::new`] (two linked crates defining one table, say).
    pub fn registered() -> Result<Models, Error> {
        Models::new(registry::registered())
    }

    /// The registered models of one model set (`#[table(set = "...")]`;
    /// [`TableDef::DEFAULT_SET`] is the models that name none): what one database of a
    /// binary with several gets. [`Models::registered`] is every set.
    ///
    /// ```standalone_crate
    /// use sqlx_table::{Models, Table, TableDef};
    ///
    /// #[derive(Table)]
    /// #[table(set = "analytics")]
    /// struct PageView {
    ///     #[table(primary_key)]
    ///     id: i64,
    ///     path: String,
    /// }
    ///
    /// let analytics = Models::registered_set("analytics")?;
    /// assert_eq!(analytics.tables().map(|t| t.name).collect::<Vec<_>>(), ["page_view"]);
    /// let main = Models::registered_set(TableDef::DEFAULT_SET)?;
    /// assert!(main.tables().all(|t| t.name != "page_view"));
    /// # Ok::<(), sqlx_table::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchema`] as for [`Models::new`], and
    /// [`SchemaError::ReferenceOutsideSet`] for a foreign key to a model of another set.
    pub fn registered_set(set: &str) -> Result<Models, Error> {
        Models::select_set(registry::registered(), set)
    }

    /// The tables of `all` in `set`, none of which may reference a table of another set.
    fn select_set(all: Vec<&'static TableDef>, set: &str) -> Result<Models, Error> {
        let (selected, others): (Vec<&TableDef>, Vec<_>) =
            all.into_iter().partition(|t| t.set == set);
        let mut problems = Vec::new();
        for table in &selected {
            for fk in table.foreign_keys {
                let target = others
                    .iter()
                    .find(|o| o.schema == fk.ref_schema && o.name == fk.ref_table);
                if let Some(target) = target {
                    problems.push(SchemaError::ReferenceOutsideSet {
                        table: table.qualified_name(),
                        columns: fk.columns.join(", "),
                        set: set.to_owned(),
                        referenced: target.qualified_name(),
                        referenced_set: target.set.to_owned(),
                    });
                }
            }
        }
        Error::invalid(problems)?;
        Models::new(selected)
    }

    /// The same models in the schema `name`, chosen at run time (`tenant_42`), for
    /// schema-per-tenant applications: each table of the default schema moves to `name`,
    /// and so does every foreign key to the default schema. A table with a schema of its
    /// own (`#[table(schema = "shared")]`) stays there, shared by the tenants.
    ///
    /// On PostgreSQL, `create_all` creates the schema if it is missing (`CREATE SCHEMA IF
    /// NOT EXISTS`, under the lock, as for any model's schema), and `plan`, `check`,
    /// `migrate` and `drop_all` act on that tenant's tables only. On the other backends
    /// `name` is what `#[table(schema = "...")]` is there: a MySQL database, which must
    /// exist, or an attached SQLite database ([`Error::NotAttached`] if it isn't).
    ///
    /// The tables of each tenant are built once per process and kept for its life (a
    /// `TableDef`, 224 bytes on 64-bit targets, and 88 bytes a foreign key, per table), so
    /// calling this again for the same tenant costs a lookup.
    /// Called on one tenant's models, it moves the models, not that tenant's tables.
    ///
    /// ```
    /// use sqlx_table::{Dialect, Models, Table};
    ///
    /// #[derive(Table)]
    /// struct Invoice {
    ///     #[table(primary_key)]
    ///     id: i64,
    /// }
    ///
    /// let tenant = Models::new([&Invoice::DEF])?.in_schema("tenant_42")?;
    /// let sql = tenant.create_script(Dialect::Postgres)?;
    /// assert!(sql.contains(r#"CREATE TABLE "tenant_42"."invoice""#));
    /// # Ok::<(), sqlx_table::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SchemaError::EmptySchemaName`], [`SchemaError::SharedReferencesTenant`], and the
    /// checks of [`Models::new`].
    pub fn in_schema(&self, name: &str) -> Result<Models, Error> {
        if name.is_empty() {
            return Err(Error::InvalidSchema {
                problems: vec![SchemaError::EmptySchemaName],
            });
        }
        let mut problems = Vec::new();
        for table in self.tables().filter(|t| t.schema.is_some()) {
            for fk in table
                .foreign_keys
                .iter()
                .filter(|fk| fk.ref_schema.is_none())
            {
                problems.push(SchemaError::SharedReferencesTenant {
                    table: table.qualified_name(),
                    columns: fk.columns.join(", "),
                    schema: table.schema.unwrap_or_default().to_owned(),
                    referenced: fk.ref_table.to_owned(),
                });
            }
        }
        Error::invalid(problems)?;
        let mut interned = TENANTS.lock().unwrap_or_else(|e| e.into_inner());
        let name = interned.name(name);
        let tables: Vec<&'static TableDef> = self
            .tables()
            .map(|table| interned.table(table, name))
            .collect();
        drop(interned);
        Models::new(tables)
    }

    /// The given tables, checked and ordered. Their order doesn't matter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchema`] with every problem of the set that doesn't depend on the
    /// backend: duplicate tables or columns, keys naming unknown columns, foreign keys to
    /// unknown tables or columns or of mismatched types, colliding generated names.
    pub fn new(tables: impl IntoIterator<Item = &'static TableDef>) -> Result<Models, Error> {
        let mut tables: Vec<&'static TableDef> = tables.into_iter().collect();
        tables
            .sort_by(|a, b| (a.schema, a.name, a.rust_type).cmp(&(b.schema, b.name, b.rust_type)));
        tables.dedup_by(|a, b| std::ptr::eq(*a, *b) || *a == *b);
        Error::invalid(check::check(&tables))?;
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
        Ok(Models {
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
}

/// The tables of each tenant schema, built once per process: a `Models` holds
/// `&'static TableDef`s, and a tenant's name is known only at run time.
static TENANTS: LazyLock<Mutex<Tenants>> = LazyLock::new(|| Mutex::new(Tenants::default()));

#[derive(Default)]
struct Tenants {
    names: HashMap<String, &'static str>,
    /// (the model's table, tenant) to the tenant's table.
    tables: HashMap<(usize, &'static str), &'static TableDef>,
    /// A tenant's table to the model's, so that a tenant's models moved again start from
    /// the models, not from the tenant's schema.
    origins: HashMap<usize, &'static TableDef>,
}

impl Tenants {
    fn name(&mut self, name: &str) -> &'static str {
        if let Some(&interned) = self.names.get(name) {
            return interned;
        }
        let interned: &'static str = Box::leak(name.to_owned().into_boxed_str());
        self.names.insert(name.to_owned(), interned);
        interned
    }

    /// `table` moved into `tenant` if it is in the default schema, with its foreign keys to
    /// the default schema pointing into `tenant`.
    fn table(&mut self, table: &'static TableDef, tenant: &'static str) -> &'static TableDef {
        let table = self
            .origins
            .get(&(std::ptr::from_ref(table) as usize))
            .copied()
            .unwrap_or(table);
        if table.schema.is_some() {
            return table;
        }
        let key = (std::ptr::from_ref(table) as usize, tenant);
        let origins = &mut self.origins;
        self.tables.entry(key).or_insert_with(|| {
            let foreign_keys: Vec<ForeignKeyDef> = table
                .foreign_keys
                .iter()
                .map(|fk| match fk.ref_schema {
                    None => fk.with_ref_schema(Some(tenant)),
                    Some(_) => *fk,
                })
                .collect();
            let copy: &'static TableDef = Box::leak(Box::new(
                table
                    .with_schema(Some(tenant))
                    .with_foreign_keys(Box::leak(foreign_keys.into_boxed_slice())),
            ));
            origins.insert(std::ptr::from_ref(copy) as usize, table);
            copy
        })
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
    use crate::dialect::Dialect;
    use crate::fixtures::{fk, table};

    static A: TableDef = table("a", &[fk("c")]);
    static B: TableDef = table("b", &[]);
    static C: TableDef = table("c", &[fk("b")]);
    static SELF: TableDef = table("s", &[fk("s")]);
    static X: TableDef = table("x", &[fk("y")]);
    static Y: TableDef = table("y", &[fk("x")]);

    fn names(schema: &Models) -> Vec<&'static str> {
        schema.tables().map(|t| t.name).collect()
    }

    #[test]
    fn referenced_tables_come_first_whatever_the_input_order() {
        let one = Models::new([&A, &B, &C]).unwrap();
        let two = Models::new([&C, &A, &B]).unwrap();
        assert_eq!(names(&one), ["b", "c", "a"]);
        assert_eq!(names(&two), names(&one));
        assert_eq!(one.deferred_foreign_keys().count(), 0);
    }

    #[test]
    fn a_self_reference_is_not_deferred() {
        let schema = Models::new([&SELF]).unwrap();
        assert_eq!(schema.deferred_foreign_keys().count(), 0);
    }

    #[test]
    fn a_cycle_defers_exactly_one_foreign_key() {
        let schema = Models::new([&Y, &X]).unwrap();
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
    fn a_foreign_key_to_another_set_is_a_schema_error() {
        static MAIN: TableDef = table("main", &[]);
        static STATS: TableDef = table("stats", &[fk("main")]).with_set("analytics");
        static OTHER: TableDef = table("other", &[]).with_set("analytics");
        let err = Models::select_set(vec![&MAIN, &STATS, &OTHER], "analytics").unwrap_err();
        assert_eq!(
            err.schema_problems(),
            [SchemaError::ReferenceOutsideSet {
                table: "stats".into(),
                columns: "ref_id".into(),
                set: "analytics".into(),
                referenced: "main".into(),
                referenced_set: "default".into(),
            }]
        );
        let main = Models::select_set(vec![&MAIN, &STATS, &OTHER], "default").unwrap();
        assert_eq!(names(&main), ["main"]);
    }

    #[test]
    fn a_tenant_moves_the_default_schema_and_its_foreign_keys() {
        static SHARED: TableDef = table("shared", &[]).with_schema(Some("common"));
        static SHARED_BAD: TableDef = table("bad", &[fk("c")]).with_schema(Some("common"));
        let schema = Models::new([&A, &B, &C, &SHARED]).unwrap();
        let tenant = schema.in_schema("t1").unwrap();
        let names: Vec<_> = tenant.tables().map(|t| t.qualified_name()).collect();
        assert_eq!(names, ["common.shared", "t1.b", "t1.c", "t1.a"]);
        let refs: Vec<_> = tenant
            .tables()
            .flat_map(|t| t.foreign_keys)
            .map(|fk| fk.ref_schema)
            .collect();
        assert_eq!(refs, [Some("t1"), Some("t1")]);
        // A tenant's models moved again go from the models, not from the tenant.
        let again = tenant.in_schema("t2").unwrap();
        let names: Vec<_> = again.tables().map(|t| t.qualified_name()).collect();
        assert_eq!(names, ["common.shared", "t2.b", "t2.c", "t2.a"]);
        let bad = Models::new([&C, &B, &SHARED_BAD]).unwrap();
        assert!(matches!(
            bad.in_schema("t1").unwrap_err().schema_problems(),
            [SchemaError::SharedReferencesTenant { .. }]
        ));
    }

    #[test]
    fn the_same_table_twice_is_kept_once() {
        assert_eq!(Models::new([&B, &B]).unwrap().len(), 1);
    }
}
