//! Every `#[derive(Table)]` linked into the binary, collected by `inventory`.

use crate::def::TableDef;

/// A model: a Rust type with a table description.
///
/// Implemented by `#[derive(Table)]`; implement it by hand only for tables that have no
/// struct of their own.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table",
    label = "not a `#[derive(Table)]` type",
    note = "add `#[derive(Table)]` to `{Self}`, or reference a table by name: `references = \"table(column)\"`"
)]
pub trait Table {
    /// The table name: `DEF.name`.
    ///
    /// `NAME`, `SCHEMA` and `PRIMARY_KEY` repeat parts of `DEF` so that a foreign key can
    /// read them: two tables that reference each other can't read each other's `DEF`.
    const NAME: &'static str;
    /// The table's schema: `DEF.schema`.
    const SCHEMA: Option<&'static str>;
    /// The primary key's column names: `DEF.primary_key`.
    const PRIMARY_KEY: &'static [&'static str];
    /// The table's description.
    const DEF: TableDef;
    /// The Rust type of the primary key: the field's type for a one-column key, a tuple for
    /// a composite key, `()` for none. `references = Model` checks a foreign key against it.
    type PrimaryKey;
}

/// One registered table. The derive submits one per model; [`registered`] lists them.
#[doc(hidden)]
#[derive(Debug)]
pub struct Registration(pub &'static TableDef);

inventory::collect!(Registration);

/// Every table registered by `#[derive(Table)]` in the crates linked into this binary,
/// sorted by schema and name (the linker's order is not stable).
///
/// A crate whose models are never named by the binary may not be linked at all: add
/// `use my_models as _;` to the binary to keep its tables.
///
/// ```
/// #[derive(sqlx_table::Table)]
/// struct Setting {
///     #[table(primary_key, max_length = 64)]
///     key: String,
///     value: Option<String>,
/// }
///
/// let names: Vec<_> = sqlx_table::registered().iter().map(|t| t.name).collect();
/// assert!(names.contains(&"setting"));
/// ```
pub fn registered() -> Vec<&'static TableDef> {
    let mut tables: Vec<&'static TableDef> = inventory::iter::<Registration>
        .into_iter()
        .map(|r| r.0)
        .collect();
    tables.sort_by(|a, b| (a.schema, a.name, a.rust_type).cmp(&(b.schema, b.name, b.rust_type)));
    tables
}
