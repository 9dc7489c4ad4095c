//! Small tables for unit tests, built as users build them: through the constructors.

use crate::def::{ColumnDef, ForeignKeyDef, TableDef};
use crate::types::SqlType;

pub(crate) const ID: ColumnDef = ColumnDef::new("id", SqlType::I64);
pub(crate) const REF: ColumnDef = ID.with_name("ref_id").with_nullable(true);

/// `ref_id` referencing `to(id)`.
pub(crate) const fn fk(to: &'static str) -> ForeignKeyDef {
    ForeignKeyDef::new(&["ref_id"], to, &["id"])
}

/// A table of `id` (the key) and `ref_id`, with these foreign keys.
pub(crate) const fn table(name: &'static str, fks: &'static [ForeignKeyDef]) -> TableDef {
    TableDef::new(name, name)
        .with_columns(&[ID, REF])
        .with_primary_key(&["id"])
        .with_foreign_keys(fks)
}
