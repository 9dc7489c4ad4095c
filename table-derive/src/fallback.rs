//! The error fallback: what the derive emits beside its errors.

use proc_macro2::TokenStream;
use quote::quote;

/// What is emitted beside the errors: an empty `Table` impl, so that one mistake gives one
/// error rather than a cascade of "`User` is not a table" wherever the type is used.
pub fn fallback(krate: &syn::Path, ident: &syn::Ident, generic: bool) -> TokenStream {
    if generic {
        return TokenStream::new();
    }
    let name = ident.to_string();
    quote! {
        const _: () = {
            impl #krate::Table for #ident {
                const NAME: &'static str = #name;
                const SCHEMA: ::core::option::Option<&'static str> = ::core::option::Option::None;
                const PRIMARY_KEY: &'static [&'static str] = &[];
                const DEF: #krate::TableDef = #krate::TableDef::new(#name, #name);
                type PrimaryKey = ();
            }
        };
    }
}
