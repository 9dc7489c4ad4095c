//! Models in a crate of their own: `create_all` in a binary that links this crate creates
//! them too, with no call into this crate.

use sqlx_table::Table;

/// An entry of the audit trail.
#[derive(Table)]
pub struct AuditEntry {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(max_length = 100, index)]
    pub action: String,
    #[table(default = now)]
    pub at: chrono::NaiveDateTime,
}

/// A label that can be put on things.
#[derive(Table)]
pub struct Label {
    #[table(primary_key)]
    pub id: uuid::Uuid,
    #[table(unique, max_length = 50)]
    pub name: String,
}
