//! `#[derive(ColumnEnum)]`: a fieldless enum that derives `sqlx::Type` becomes a column
//! type whose values are its variants, as sqlx stores them. It reads sqlx's own attributes
//! (`#[sqlx(rename_all, type_name)]`, `#[sqlx(rename)]` on variants, `#[repr(..)]`), so the
//! variant list is written once, in the enum.
//!
//! Over the derive's parse → expand split in one file: the enum's model is three values.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{Data, DeriveInput, Expr, Ident, LitStr, Path};

use crate::ctxt::Ctxt;
use crate::keys;

/// sqlx's `rename_all` values, converted as sqlx converts them (with `heck`).
fn rename_all(name: &str, rule: &str) -> Option<String> {
    Some(match rule {
        "lowercase" => name.to_lowercase(),
        "snake_case" => name.to_snake_case(),
        "UPPERCASE" => name.to_uppercase(),
        "SCREAMING_SNAKE_CASE" => name.to_shouty_snake_case(),
        "kebab-case" => name.to_kebab_case(),
        "camelCase" => name.to_lower_camel_case(),
        "PascalCase" => name.to_upper_camel_case(),
        _ => return None,
    })
}

/// Consumes a key's value that is not ours (`= ...` or `(...)`), so that other `sqlx` keys
/// pass.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

/// What sqlx resolves with `to_regtype`: an unquoted name, or `schema.name`.
fn plain_type_name(name: &str) -> bool {
    let part = |p: &str| {
        let mut chars = p.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match name.split_once('.') {
        Some((schema, name)) => part(schema) && part(name),
        None => part(name),
    }
}

pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let ident = &input.ident;
    let mut krate: Path = syn::parse_quote!(::sqlx_table);
    let mut rule: Option<LitStr> = None;
    let mut type_name: Option<LitStr> = None;
    let mut repr: Option<Ident> = None;
    let mut no_pg_array = false;
    for attr in &input.attrs {
        let result = if attr.path().is_ident(keys::SQLX) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(keys::SQLX_RENAME_ALL) {
                    let lit: LitStr = meta.value()?.parse()?;
                    if rename_all(ident.to_string().as_str(), &lit.value()).is_none() {
                        return Err(syn::Error::new_spanned(
                            &lit,
                            "`rename_all` takes one of sqlx's rules: \"lowercase\", \"snake_case\", \"UPPERCASE\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"camelCase\", \"PascalCase\"",
                        ));
                    }
                    rule = Some(lit);
                } else if meta.path.is_ident(keys::SQLX_TYPE_NAME) {
                    let lit: LitStr = meta.value()?.parse()?;
                    if !plain_type_name(&lit.value()) {
                        return Err(syn::Error::new_spanned(
                            &lit,
                            "`type_name` of a table column must be a plain SQL name (letters, digits and `_`, optionally `schema.name`): sqlx looks the type up with `to_regtype`, unquoted",
                        ));
                    }
                    type_name = Some(lit);
                } else if meta.path.is_ident(keys::SQLX_NO_PG_ARRAY) {
                    no_pg_array = true;
                    skip_value(&meta)?;
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            })
        } else if attr.path().is_ident("repr") {
            attr.parse_nested_meta(|meta| {
                if let Some(int) = meta.path.get_ident().filter(|i| {
                    ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"]
                        .contains(&i.to_string().as_str())
                }) {
                    repr = Some(int.clone());
                }
                skip_value(&meta)
            })
        } else if attr.path().is_ident(keys::TABLE) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(keys::CRATE) {
                    let lit: LitStr = meta.value()?.parse()?;
                    krate = lit.parse()?;
                    Ok(())
                } else {
                    Err(meta.error("an enum takes only `#[table(crate = \"...\")]`; its values come from its variants and `#[sqlx(...)]`"))
                }
            })
        } else {
            Ok(())
        };
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    let Data::Enum(data) = &input.data else {
        cx.error(
            ident.span(),
            "`ColumnEnum` is for enums: a struct column type implements `sqlx_table::ColumnType` by hand",
        );
        return finish(cx, TokenStream::new(), TokenStream::new());
    };
    if !input.generics.params.is_empty() {
        cx.error(
            input.generics.span_of(),
            "`ColumnEnum` needs an enum without generic parameters, as sqlx's `Type` does",
        );
    }
    if data.variants.is_empty() {
        cx.error(
            ident.span(),
            "an enum with no variants has no value a column could hold: give it a variant",
        );
    }
    let mut names = Vec::new();
    let mut paths = Vec::new();
    for variant in &data.variants {
        if !variant.fields.is_empty() {
            cx.error(
                variant.ident.span(),
                "a column enum's variants have no fields: sqlx stores a variant by its name or number only",
            );
        }
        let mut rename: Option<String> = None;
        for attr in variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident(keys::SQLX))
        {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(keys::SQLX_RENAME) {
                    rename = Some(meta.value()?.parse::<LitStr>()?.value());
                    Ok(())
                } else {
                    skip_value(&meta)
                }
            });
            if let Err(e) = result {
                cx.syn_error(e);
            }
        }
        let name = variant.ident.to_string();
        names.push(rename.unwrap_or_else(|| match &rule {
            Some(rule) => rename_all(&name, &rule.value()).unwrap_or(name),
            None => name,
        }));
        let v = &variant.ident;
        paths.push(quote!(#ident::#v));
    }
    let rust_type = ident.to_string();
    let def = match &repr {
        Some(int) => quote! {
            #krate::EnumDef::int(
                #rust_type,
                &<#int as #krate::ColumnType>::SQL_TYPE,
                &[#(#paths as i64),*],
            )
        },
        None => {
            let type_name = type_name.map_or(rust_type.clone(), |t| t.value());
            quote!(#krate::EnumDef::text(#rust_type, #type_name, &[#(#names),*]))
        }
    };
    // A text enum takes a variant's name as its default; an integer one, `default_sql`.
    // A text enum is also an array element (`mood[]` on PostgreSQL), as sqlx's derive makes
    // it one unless told `no_pg_array`. An integer enum is not: its `CHECK` of the
    // discriminants would not reach the array's elements.
    let array = (!no_pg_array).then(|| {
        quote! {
            #[automatically_derived]
            impl #krate::ArrayElement for #ident {}
        }
    });
    let defaults = match &repr {
        Some(_) => TokenStream::new(),
        None => quote! {
            #[automatically_derived]
            impl #krate::__private::check::StrDefault for #ident {}
            #array
        },
    };
    let stub = quote! {
        const _: () = {
            impl #krate::ColumnType for #ident {
                const SQL_TYPE: #krate::SqlType = #krate::SqlType::Custom("");
            }
        };
    };
    finish(
        cx,
        quote! {
            const _: () = {
                #[automatically_derived]
                impl #krate::ColumnType for #ident {
                    const SQL_TYPE: #krate::SqlType = #krate::SqlType::Enum(&#def);
                }
                #defaults
            };
        },
        if input.generics.params.is_empty() {
            stub
        } else {
            TokenStream::new()
        },
    )
}

/// The expansion, or the errors and a stub impl, so that one mistake in the enum is not
/// also an error at every field of its type.
fn finish(cx: Ctxt, tokens: TokenStream, stub: TokenStream) -> TokenStream {
    match cx.check() {
        Ok(()) => tokens,
        Err(e) => {
            let e = e.to_compile_error();
            quote!(#e #stub)
        }
    }
}

/// The span of the generics, for `span_of`.
trait SpanOf {
    fn span_of(&self) -> proc_macro2::Span;
}

impl SpanOf for syn::Generics {
    fn span_of(&self) -> proc_macro2::Span {
        self.lt_token
            .map_or_else(proc_macro2::Span::call_site, |t| t.span)
    }
}
