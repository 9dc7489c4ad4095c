//! Tokens: the `Table` impl, its registration, and the type checks only the compiler can do.
//!
//! Over 400 lines on purpose: the column, key and constraint tokens and the type checks
//! spanned at each attribute are one walk over the same model, and split they would
//! repeat it.

use proc_macro2::{Group, Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::Type;

use crate::ast::{Field, Input};
use crate::attr::{Action, At, Backend, DefaultLit, IndexPartAttr, Reference};

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

/// Whether the type is spelled `Option<...>`: only used for `sql_type` fields, whose Rust
/// type need not implement `ColumnType`.
fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Option"),
        _ => false,
    }
}

fn action(krate: &syn::Path, action: Option<Action>) -> TokenStream {
    let variant = match action {
        None => return quote!(::core::option::Option::None),
        Some(Action::Cascade) => quote!(Cascade),
        Some(Action::Restrict) => quote!(Restrict),
        Some(Action::SetNull) => quote!(SetNull),
        Some(Action::SetDefault) => quote!(SetDefault),
        Some(Action::NoAction) => quote!(NoAction),
    };
    quote!(::core::option::Option::Some(#krate::Action::#variant))
}

fn column(input: &Input, field: &Field) -> TokenStream {
    let krate = &input.krate;
    let name = &field.column;
    let cty = &field.column_ty;
    let a = &field.attrs;
    let (ty, nullable) = match &a.sql_type {
        Some(sql) => {
            let sql = &sql.value;
            let nullable = is_option(field.ty);
            (quote!(#krate::SqlType::Custom(#sql)), quote!(#nullable))
        }
        None => {
            let span = syn::spanned::Spanned::span(cty);
            let mut ty = quote_spanned!(span=> <#cty as #krate::ColumnType>::SQL_TYPE);
            if let Some(max) = &a.max_length {
                let n = max.value;
                ty = quote!(#ty.with_max_length(#n));
            }
            (
                ty,
                quote_spanned!(span=> <#cty as #krate::ColumnType>::NULLABLE),
            )
        }
    };
    let auto_increment = a.auto_increment.is_some();
    let default = match (&a.default, &a.default_sql) {
        (Some(d), _) => {
            let value = match &d.value {
                DefaultLit::Str(s) => quote!(Str(#s)),
                DefaultLit::Int(_, i) => quote!(Int(#i)),
                DefaultLit::Float(_, f) => {
                    let f = Literal::f64_unsuffixed(*f);
                    quote!(Float(#f))
                }
                DefaultLit::Bool(b) => quote!(Bool(#b)),
                DefaultLit::Now => quote!(Now),
                DefaultLit::Uuid => quote!(Uuid),
            };
            quote!(::core::option::Option::Some(#krate::DefaultValue::#value))
        }
        (None, Some(sql)) => {
            let sql = &sql.value;
            quote!(::core::option::Option::Some(#krate::DefaultValue::Sql(#sql)))
        }
        (None, None) => quote!(::core::option::Option::None),
    };
    let comment = opt_str(field.doc.as_deref());
    let mut extra = TokenStream::new();
    if !a.backend_types.is_empty() {
        let of = |backend: Backend| {
            opt_str(
                a.backend_types
                    .iter()
                    .find(|(b, _)| *b == backend)
                    .map(|(_, sql)| sql.value.as_str()),
            )
        };
        let (postgres, mysql, sqlite) = (
            of(Backend::Postgres),
            of(Backend::MySql),
            of(Backend::Sqlite),
        );
        extra.extend(quote! {
            .with_backend_types(
                #krate::BackendTypes::new()
                    .with_postgres(#postgres)
                    .with_mysql(#mysql)
                    .with_sqlite(#sqlite)
            )
        });
    }
    if let Some(p) = &a.precision {
        let p = p.value;
        extra.extend(quote!(.with_precision(::core::option::Option::Some(#p))));
    }
    if let Some(s) = &a.scale {
        let s = s.value;
        extra.extend(quote!(.with_scale(::core::option::Option::Some(#s))));
    }
    if let Some(c) = &a.charset {
        let c = opt_str(Some(&c.value));
        extra.extend(quote!(.with_charset(#c)));
    }
    if let Some(c) = &a.collation {
        let c = opt_str(Some(&c.value));
        extra.extend(quote!(.with_collation(#c)));
    }
    quote! {
        #krate::ColumnDef::new(#name, #ty)
            .with_nullable(#nullable)
            .with_auto_increment(#auto_increment)
            .with_default(#default)
            .with_comment(#comment)
            #extra
    }
}

/// Whether `references = Path` names the struct itself.
fn is_self(input: &Input, path: &syn::Path) -> bool {
    path.is_ident("Self") || path.is_ident(input.ident)
}

fn foreign_key(input: &Input, field: &Field) -> Option<TokenStream> {
    let krate = &input.krate;
    let reference = field.attrs.references.as_ref()?;
    let column = &field.column;
    let on_delete = action(krate, field.attrs.on_delete.as_ref().map(|a| a.value));
    let on_update = action(krate, field.attrs.on_update.as_ref().map(|a| a.value));
    let (ref_schema, ref_table, ref_columns) = match &reference.value {
        Reference::Model(path) if is_self(input, path) => {
            let pk: Vec<&str> = input
                .primary_key()
                .iter()
                .map(|f| f.column.as_str())
                .collect();
            let table = &input.table_name;
            (
                opt_str(input.attrs.schema.as_ref().map(|s| s.value.as_str())),
                quote!(#table),
                quote!(&[#(#pk),*]),
            )
        }
        Reference::Model(path) => (
            quote!(<#path as #krate::Table>::SCHEMA),
            quote!(<#path as #krate::Table>::NAME),
            quote!(<#path as #krate::Table>::PRIMARY_KEY),
        ),
        Reference::Named {
            schema,
            table,
            column,
        } => (
            opt_str(schema.as_deref()),
            quote!(#table),
            quote!(&[#column]),
        ),
    };
    let name = opt_str(field.attrs.fk_name.as_ref().map(|n| n.value.as_str()));
    let deferrable = field.attrs.deferrable.is_some();
    Some(quote! {
        #krate::ForeignKeyDef::new(&[#column], #ref_table, #ref_columns)
            .with_ref_schema(#ref_schema)
            .with_on_delete(#on_delete)
            .with_on_update(#on_update)
            .with_name(#name)
            .with_deferrable(#deferrable)
    })
}

/// The tokens of `tokens`, every one placed at `span`: a type named in a check is re-placed at
/// the attribute it checks, because rustc reports an unmet bound at the type's own span.
fn respan(tokens: impl ToTokens, span: Span) -> TokenStream {
    tokens
        .into_token_stream()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                TokenTree::Group(group)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}

/// The trait bounds and const assertions for one field, each spanned at the attribute it
/// checks so that the error points there.
fn field_checks(input: &Input, field: &Field, pk_ty: &TokenStream) -> TokenStream {
    let krate = &input.krate;
    let check = quote!(#krate::__private::check);
    let ty = field.ty;
    let cty = &field.column_ty;
    let a = &field.attrs;
    let mut out = TokenStream::new();
    let typed = a.sql_type.is_none();
    if let Some(max) = &a.max_length {
        let cty = respan(cty, max.span);
        out.extend(quote_spanned!(max.span=> const _: () = #check::assert_max_length::<#cty>();));
    }
    if let Some(p) = &a.precision {
        let cty = respan(cty, p.span);
        out.extend(quote_spanned!(p.span=> const _: () = #check::assert_precision::<#cty>();));
        // Past a time's 6 digits, only a decimal.
        if p.value > 6 {
            out.extend(
                quote_spanned!(p.span=> const _: () = #check::assert_wide_precision::<#cty>();),
            );
        }
    }
    if let Some(s) = &a.scale {
        let cty = respan(cty, s.span);
        out.extend(quote_spanned!(s.span=> const _: () = #check::assert_scale::<#cty>();));
    }
    for c in [&a.charset, &a.collation].into_iter().flatten() {
        if typed {
            let cty = respan(cty, c.span);
            out.extend(quote_spanned!(c.span=> const _: () = #check::assert_charset::<#cty>();));
        }
    }
    for (backend, sql) in &a.backend_types {
        let marker = match backend {
            Backend::Postgres => quote!(Postgres),
            Backend::MySql => quote!(MySql),
            Backend::Sqlite => quote!(Sqlite),
        };
        let marker = respan(quote!(#check::#marker), sql.span);
        out.extend(quote_spanned!(sql.span=> const _: () = #check::assert_backend::<#marker>();));
    }
    if let Some(span) = a.auto_increment
        && typed
    {
        let cty = respan(cty, span);
        out.extend(quote_spanned!(span=> const _: () = #check::assert_auto_increment::<#cty>();));
    }
    if let (Some(d), true) = (&a.default, typed) {
        let span = d.span;
        let cty = respan(cty, span);
        out.extend(match &d.value {
            // A negative literal is checked against the signed types alone, so that `-1` on
            // an unsigned field says so instead of "cannot apply unary operator `-`".
            DefaultLit::Int(lit, value) if *value < 0 => {
                // At one span with the type, so that rustc reports the unmet bound once.
                let lit = respan(lit, span);
                quote_spanned!(span=> const _: <#cty as #check::NegativeDefault>::Int = #lit;)
            }
            DefaultLit::Int(lit, _) => {
                quote_spanned!(span=> const _: <#cty as #check::IntDefault>::Int = #lit;)
            }
            DefaultLit::Float(lit, _) => {
                quote_spanned!(span=> const _: <#cty as #check::FloatDefault>::Float = #lit;)
            }
            DefaultLit::Str(_) => {
                quote_spanned!(span=> const _: () = #check::assert_str_default::<#cty>();)
            }
            DefaultLit::Bool(_) => {
                quote_spanned!(span=> const _: () = #check::assert_bool_default::<#cty>();)
            }
            DefaultLit::Now => {
                quote_spanned!(span=> const _: () = #check::assert_now_default::<#cty>();)
            }
            DefaultLit::Uuid => {
                quote_spanned!(span=> const _: () = #check::assert_uuid_default::<#cty>();)
            }
        });
    }
    let in_key = input.primary_key().iter().any(|f| f.ident == field.ident);
    if in_key {
        let span = a.primary_key.unwrap_or_else(|| {
            input
                .attrs
                .primary_key
                .as_ref()
                .and_then(|l| l.value.columns.iter().find(|i| *i == field.ident))
                .map_or(field.ident.span(), |i| i.span())
        });
        let message = format!(
            "primary key column `{}` can't be NULL: make the field a plain `T`, not `Option<T>`",
            field.column
        );
        if typed {
            out.extend(quote_spanned!(span=>
                const _: () = ::core::assert!(!<#cty as #krate::ColumnType>::NULLABLE, #message);
            ));
        } else if is_option(ty) {
            out.extend(quote_spanned!(span=> ::core::compile_error!(#message);));
        }
    }
    if let (Some(on_delete), true) = (&a.on_delete, typed)
        && on_delete.value == Action::SetNull
    {
        let message = format!(
            "`on_delete = \"set null\"` needs a nullable column: make `{}` an `Option<_>`",
            field.ident
        );
        out.extend(quote_spanned!(on_delete.span=>
            const _: () = ::core::assert!(<#cty as #krate::ColumnType>::NULLABLE, #message);
        ));
    }
    if let Some(reference) = &a.references
        && let Reference::Model(path) = &reference.value
    {
        let key = if is_self(input, path) {
            pk_ty.clone()
        } else {
            quote!(<#path as #krate::Table>::PrimaryKey)
        };
        out.extend(quote_spanned!(reference.span=>
            const _: () = #check::assert_foreign_key::<#ty, #key>();
        ));
    }
    out
}

pub fn derive(input: &Input) -> TokenStream {
    let krate = &input.krate;
    let ident = input.ident;
    let ident_str = ident.to_string();
    let table_name = &input.table_name;
    let schema = opt_str(input.attrs.schema.as_ref().map(|s| s.value.as_str()));
    let set = input.attrs.set.as_ref().map(|s| {
        let name = &s.value;
        quote!(.with_set(#name))
    });
    let comment = opt_str(input.doc.as_deref());
    let columns: Vec<TokenStream> = input.columns().map(|f| column(input, f)).collect();
    let pk_fields = input.primary_key();
    let pk_columns: Vec<&str> = pk_fields.iter().map(|f| f.column.as_str()).collect();
    let pk_ty = match pk_fields.as_slice() {
        [] => quote!(()),
        [one] => {
            let ty = one.ty;
            quote!(#ty)
        }
        many => {
            let tys = many.iter().map(|f| f.ty);
            quote!((#(#tys,)*))
        }
    };
    let column_of = |i: &syn::Ident| {
        input
            .field(i)
            .map_or_else(|| i.to_string(), |f| f.column.clone())
    };
    let named = |name: Option<&At<String>>| opt_str(name.map(|n| n.value.as_str()));
    let uniques = input
        .columns()
        .filter(|f| f.attrs.unique.is_some())
        .map(|f| (vec![f.column.clone()], named(f.attrs.unique_name.as_ref())))
        .chain(input.attrs.uniques.iter().map(|l| {
            let cols = l.value.columns.iter().map(column_of).collect();
            (cols, named(l.value.name.as_ref()))
        }))
        .map(|(cols, name): (Vec<String>, _)| {
            quote!(#krate::UniqueDef::new(&[#(#cols),*]).with_name(#name))
        });
    let indexes = input
        .columns()
        .filter_map(|f| f.attrs.index.as_ref())
        .chain(&input.attrs.indexes)
        .map(|l| {
            let cols: Vec<String> = l.value.columns.iter().map(column_of).collect();
            let parts = l.value.parts.iter().map(|p| match p {
                IndexPartAttr::Column(ident, desc) => {
                    let column = column_of(ident);
                    quote!(#krate::IndexPart::column(#column, #desc))
                }
                IndexPartAttr::Expression(sql, desc) => {
                    quote!(#krate::IndexPart::expression(#sql, #desc))
                }
            });
            let predicate = named(l.value.predicate.as_ref());
            let extra = quote!(.with_parts(&[#(#parts),*]).with_predicate(#predicate));
            let name = named(l.value.name.as_ref());
            quote!(#krate::IndexDef::new(&[#(#cols),*]).with_name(#name) #extra)
        });
    let pk_name = named(
        input
            .attrs
            .primary_key
            .as_ref()
            .and_then(|l| l.value.name.as_ref())
            .or_else(|| {
                pk_fields
                    .iter()
                    .find_map(|f| f.attrs.primary_key_name.as_ref())
            }),
    );
    let charset = named(input.attrs.charset.as_ref());
    let collation = named(input.attrs.collation.as_ref());
    let checks = input
        .columns()
        .filter_map(|f| {
            f.attrs.check.as_ref().map(|c| {
                let column = &f.column;
                let expr = &c.value.expr;
                let name = named(c.value.name.as_ref());
                quote!(#krate::CheckDef::new(#expr).with_column(::core::option::Option::Some(#column)).with_name(#name))
            })
        })
        .chain(input.attrs.checks.iter().map(|c| {
            let expr = &c.value.expr;
            let name = named(c.value.name.as_ref());
            quote!(#krate::CheckDef::new(#expr).with_name(#name))
        }));
    let foreign_keys = input.columns().filter_map(|f| foreign_key(input, f));
    let field_checks = input.columns().map(|f| field_checks(input, f, &pk_ty));

    quote! {
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            #[automatically_derived]
            impl #krate::Table for #ident {
                const NAME: &'static str = #table_name;
                const SCHEMA: ::core::option::Option<&'static str> = #schema;
                const PRIMARY_KEY: &'static [&'static str] = &[#(#pk_columns),*];
                const DEF: #krate::TableDef = #krate::TableDef::new(
                    #table_name,
                    ::core::concat!(::core::module_path!(), "::", #ident_str),
                )
                .with_schema(#schema)
                #set
                .with_comment(#comment)
                .with_columns(&[#(#columns),*])
                .with_primary_key(&[#(#pk_columns),*])
                .with_uniques(&[#(#uniques),*])
                .with_indexes(&[#(#indexes),*])
                .with_checks(&[#(#checks),*])
                .with_foreign_keys(&[#(#foreign_keys),*])
                .with_primary_key_name(#pk_name)
                .with_charset(#charset)
                .with_collation(#collation);
                type PrimaryKey = #pk_ty;
            }

            #krate::__private::inventory::submit! {
                #krate::__private::Registration(&<#ident as #krate::Table>::DEF)
            }

            #(#field_checks)*
        };
    }
}
