//! Names of generated indexes and constraints.
//!
//! Names are built from the table and column names, so they are deterministic and do not
//! depend on what else is in the schema. PostgreSQL silently truncates identifiers past 63
//! bytes and MySQL rejects them past 64 characters, so a name longer than
//! [`MAX_NAME_BYTES`] keeps a prefix and ends in a hash of the whole name: it stays within
//! every backend's limit and still differs from its neighbours.

use crate::def::{CheckDef, ForeignKeyDef, TableDef};

/// The longest generated name, in bytes: PostgreSQL's limit, the smallest of the three.
pub const MAX_NAME_BYTES: usize = 63;

/// `uq_<table>_<columns>`
pub fn unique_name(table: &TableDef, columns: &[&str]) -> String {
    bounded(format!("uq_{}_{}", table.name, columns.join("_")))
}

/// `ix_<table>_<columns>`
pub fn index_name(table: &TableDef, columns: &[&str]) -> String {
    bounded(format!("ix_{}_{}", table.name, columns.join("_")))
}

/// `fk_<table>_<columns>`
pub fn foreign_key_name(table: &TableDef, fk: &ForeignKeyDef) -> String {
    bounded(format!("fk_{}_{}", table.name, fk.columns.join("_")))
}

/// `ck_<table>_<column>` for a field-level check, `ck_<table>_<n>` for the n-th (from 1)
/// struct-level one.
pub fn check_name(table: &TableDef, check: &CheckDef) -> String {
    match check.column {
        Some(column) => bounded(format!("ck_{}_{}", table.name, column)),
        None => {
            let n = table
                .checks
                .iter()
                .filter(|c| c.column.is_none())
                .position(|c| std::ptr::eq(c, check))
                .map_or(1, |i| i + 1);
            bounded(format!("ck_{}_{}", table.name, n))
        }
    }
}

/// `name` itself if it fits; else its longest prefix that leaves room for `_` and eight
/// hex digits of its FNV-1a hash.
fn bounded(name: String) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    let hash = fnv1a(name.as_bytes());
    let mut cut = MAX_NAME_BYTES - 9;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:08x}", &name[..cut], hash as u32)
}

/// 64-bit FNV-1a: stable across builds and platforms, unlike `std`'s hasher.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_kept_whole() {
        assert_eq!(bounded("ix_users_email".into()), "ix_users_email");
    }

    #[test]
    fn long_names_fit_the_limit_and_stay_distinct() {
        let a = bounded(format!("ix_{}_a", "t".repeat(80)));
        let b = bounded(format!("ix_{}_b", "t".repeat(80)));
        assert_eq!(a.len(), MAX_NAME_BYTES);
        assert_eq!(b.len(), MAX_NAME_BYTES);
        assert_ne!(a, b);
        assert_eq!(a, bounded(format!("ix_{}_a", "t".repeat(80))));
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let name = bounded(format!("ix_{}", "é".repeat(40)));
        assert!(name.len() <= MAX_NAME_BYTES);
    }
}
