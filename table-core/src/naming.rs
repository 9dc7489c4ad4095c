//! Names of generated indexes and constraints.
//!
//! Names are built from the table and column names, so they are deterministic and do not
//! depend on what else is in the schema. PostgreSQL silently truncates identifiers past 63
//! bytes and MySQL rejects them past 64 characters, so a name longer than
//! [`MAX_NAME_BYTES`] keeps a prefix and ends in a hash of the whole name: it stays within
//! every backend's limit and still differs from its neighbours.

use crate::def::{CheckDef, ForeignKeyDef, IndexDef, TableDef, UniqueDef};

/// The longest generated name, in bytes: PostgreSQL's limit, the smallest of the three.
pub const MAX_NAME_BYTES: usize = 63;

/// The kinds of generated names that share a namespace, with their prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Unique,
    Index,
    ForeignKey,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Unique => "uq",
            Kind::Index => "ix",
            Kind::ForeignKey => "fk",
        }
    }
}

/// The pieces of `<prefix>_<table>_<col>_<col>...`, in order.
fn parts<'a>(kind: Kind, table: &'a str, columns: &'a [&'a str]) -> impl Iterator<Item = &'a str> {
    [kind.prefix(), "_", table]
        .into_iter()
        .chain(columns.iter().flat_map(|c| ["_", *c]))
}

pub(crate) fn generated_name(kind: Kind, table: &TableDef, columns: &[&str]) -> String {
    bounded(parts(kind, table.name, columns).collect())
}

/// A hash of [`generated_name`] that allocates nothing for the names that fit, as nearly all
/// do: schema validation compares every generated name at every start-up.
pub(crate) fn generated_name_hash(kind: Kind, table: &TableDef, columns: &[&str]) -> u64 {
    let (hash, len) = parts(kind, table.name, columns).fold((FNV_OFFSET, 0), |(h, n), part| {
        (fnv1a_from(h, part.as_bytes()), n + part.len())
    });
    if len <= MAX_NAME_BYTES {
        hash
    } else {
        fnv1a(generated_name(kind, table, columns).as_bytes())
    }
}

/// The unique constraint's declared name, else `uq_<table>_<columns>`.
pub fn unique_name(table: &TableDef, unique: &UniqueDef) -> String {
    match unique.name {
        Some(name) => name.to_owned(),
        None => generated_name(Kind::Unique, table, unique.columns),
    }
}

/// The index's declared name, else `ix_<table>_<columns>`.
pub fn index_name(table: &TableDef, index: &IndexDef) -> String {
    match index.name {
        Some(name) => name.to_owned(),
        None => generated_name(Kind::Index, table, index.columns),
    }
}

/// The foreign key's declared name, else `fk_<table>_<columns>`.
pub fn foreign_key_name(table: &TableDef, fk: &ForeignKeyDef) -> String {
    match fk.name {
        Some(name) => name.to_owned(),
        None => generated_name(Kind::ForeignKey, table, fk.columns),
    }
}

/// The check's declared name, else `ck_<table>_<column>` for a field-level check and
/// `ck_<table>_<n>` for the n-th (from 1) struct-level one.
pub fn check_name(table: &TableDef, check: &CheckDef) -> String {
    if let Some(name) = check.name {
        return name.to_owned();
    }
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

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a as a [`std::hash::Hasher`]: for the small string-keyed maps of schema validation,
/// where SipHash's DoS resistance buys nothing (the keys are the program's own names).
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(FNV_OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a_from(self.0, bytes);
    }
}

/// A `HashMap`/`HashSet` hasher built on [`Fnv`].
pub(crate) type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// 64-bit FNV-1a: stable across builds and platforms, unlike `std`'s hasher.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

/// FNV-1a continued from `hash`: hashing pieces one after another equals hashing them joined.
fn fnv1a_from(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &b| {
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
    fn the_hash_is_the_hash_of_the_name() {
        let table = TableDef::new("voices", "Voice");
        let long = [
            "a_very_long_column_name_that_goes_on",
            "and_on_and_on_and_on_past_the_limit",
        ];
        for columns in [&["user_id"][..], &["a", "b"], &long] {
            let name = generated_name(Kind::Index, &table, columns);
            assert_eq!(
                generated_name_hash(Kind::Index, &table, columns),
                fnv1a(name.as_bytes())
            );
        }
        assert_eq!(
            index_name(&table, &IndexDef::new(&["a", "b"])),
            "ix_voices_a_b"
        );
        let named = IndexDef::new(&["a"]).with_name(Some("IX_Voices_A"));
        assert_eq!(index_name(&table, &named), "IX_Voices_A");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let name = bounded(format!("ix_{}", "é".repeat(40)));
        assert!(name.len() <= MAX_NAME_BYTES);
    }
}
