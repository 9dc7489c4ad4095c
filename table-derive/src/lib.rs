//! `#[derive(Table)]`: the derive macro of the [`sqlx-table`](https://docs.rs/sqlx-table) crate.
//! Use it through `sqlx-table`, which documents every attribute.
//!
//! The pipeline is parse (`attr.rs` with the key names of `keys.rs`, `ast.rs`) → validate
//! (`valid.rs`) → expand (`expand.rs`); on error, `fallback.rs` instead of `expand.rs`.
//! It knows no SQL: it emits a `TableDef` constant, and table-core renders it.

#![forbid(unsafe_code)]

mod ast;
mod attr;
mod ctxt;
mod enums;
mod expand;
mod fallback;
mod keys;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `sqlx_table::Table`: a table description and its registration for `create_all`.
/// See the `sqlx-table` crate for the attributes.
#[proc_macro_derive(Table, attributes(table))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input).into()
}

/// Derives `sqlx_table::ColumnType` for a fieldless enum that derives `sqlx::Type`: a
/// column of the enum holds only its variants. Reads sqlx's `#[sqlx(rename_all, type_name)]`,
/// `#[sqlx(rename)]` and `#[repr(..)]`. See the `sqlx-table` crate.
#[proc_macro_derive(ColumnEnum, attributes(table, sqlx))]
pub fn derive_column_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    enums::derive(&input).into()
}

fn expand(input: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = ctxt::Ctxt::default();
    let model = ast::Input::from_syn(&cx, input);
    if let Some(model) = &model {
        valid::check(&cx, model);
    }
    match (cx.check(), model) {
        (Ok(()), Some(model)) => expand::derive(&model),
        (result, model) => {
            let errors = result.err().map(|e| e.to_compile_error());
            let krate = model
                .map(|m| m.krate)
                .unwrap_or_else(|| syn::parse_quote!(::sqlx_table));
            let fallback =
                fallback::fallback(&krate, &input.ident, !input.generics.params.is_empty());
            quote::quote!(#errors #fallback)
        }
    }
}
