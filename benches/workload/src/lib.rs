//! A generated workload for the `create_all` start-up benchmark: a `users` model and 1000
//! models shaped like DESIGN.md's `voices` (a UUID key made by the database, a foreign key
//! to `users` with an index, a text column with a length, a default and an index, 17
//! columns of mixed types), where model `k` has a nullable foreign key to model `k − 1`, so
//! creation order matters. `build.rs` writes their source, so they go through the real
//! `#[derive(Table)]`.
//!
//! Every model also registers itself, so a binary linking this crate has 1001 tables in
//! `Models::registered()`: link it only from the benchmark and its own tests.

use sqlx_table::{Models, TableDef};

include!(concat!(env!("OUT_DIR"), "/models.rs"));

#[cfg(not(workload_no_derive))]
fn users() -> &'static TableDef {
    static USERS: &TableDef = &<User as sqlx_table::Table>::DEF;
    USERS
}

/// Built with `WORKLOAD_NO_DERIVE`, the baseline of the compile-time figure, no model has a
/// table.
#[cfg(workload_no_derive)]
fn users() -> &'static TableDef {
    unreachable!("built with WORKLOAD_NO_DERIVE: no model has a table")
}

/// How many voice-like models were generated (`WORKLOAD_MODELS` at build time, default 1000).
pub const MODELS: usize = GENERATED.len();

/// `users` and the first `n` voice-like models: the schemas for n = 50, 200 and 1000 are
/// prefixes of each other.
///
/// # Panics
/// If `n` exceeds [`MODELS`].
pub fn schema(n: usize) -> Models {
    assert!(n <= MODELS, "only {MODELS} models were generated, not {n}");
    let tables = std::iter::once(users()).chain(GENERATED[..n].iter().copied());
    Models::new(tables).expect("the generated schema is valid")
}

/// The table name of the `k`-th voice-like model.
pub fn table_name(k: usize) -> String {
    format!("voices_{k:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_prefixes_in_dependency_order() {
        let schema = schema(50);
        let names: Vec<&str> = schema.tables().map(|t| t.name).collect();
        assert_eq!(names.len(), 51);
        assert_eq!(names[0], "users");
        assert_eq!(names[1..], (0..50).map(table_name).collect::<Vec<_>>());
        for table in schema.tables().skip(2) {
            assert_eq!(table.columns.len(), 17);
            assert_eq!(table.foreign_keys.len(), 2);
        }
    }
}
