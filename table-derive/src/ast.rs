//! The struct as a small typed model: fields with their attributes and column names.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use syn::{Data, DeriveInput, Fields, Ident, Path, Type};

use crate::attr::{self, FieldAttrs, StructAttrs};
use crate::ctxt::Ctxt;

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub attrs: StructAttrs,
    pub doc: Option<String>,
    pub table_name: String,
    pub fields: Vec<Field<'a>>,
    pub krate: Path,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    /// The field's Rust type.
    pub ty: &'a Type,
    /// The type whose `ColumnType` gives the column: the field's own, or `Json<T>` for
    /// `#[sqlx(json)]`, or `T` for `#[sqlx(try_from = "T")]`.
    pub column_ty: Type,
    pub attrs: FieldAttrs,
    pub column: String,
    pub doc: Option<String>,
}

impl Field<'_> {
    /// Whether the field is a column (not `#[table(skip)]` or `#[sqlx(skip)]`).
    pub fn is_column(&self) -> bool {
        self.attrs.skip.is_none() && !self.attrs.sqlx_skip
    }
}

impl<'a> Input<'a> {
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Input<'a>> {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => Some(named),
                Fields::Unnamed(_) => {
                    cx.error(
                        input.ident.span(),
                        "#[derive(Table)] needs a struct with named fields: each field is a column, named after the field",
                    );
                    None
                }
                Fields::Unit => {
                    cx.error(
                        input.ident.span(),
                        "#[derive(Table)] needs a struct with named fields; a unit struct has no columns",
                    );
                    None
                }
            },
            Data::Enum(e) => {
                cx.error(
                    e.enum_token.span,
                    "#[derive(Table)] works on structs, not enums; to store an enum in a column, implement `sqlx_table::ColumnType` for it",
                );
                None
            }
            Data::Union(u) => {
                cx.error(
                    u.union_token.span,
                    "#[derive(Table)] works on structs, not unions",
                );
                None
            }
        };
        if !input.generics.params.is_empty() {
            cx.error(
                input.generics.params.first().map_or(input.ident.span(), |p| {
                    syn::spanned::Spanned::span(p)
                }),
                "#[derive(Table)] does not support generic structs: a table needs one concrete type per column; use a struct without type or lifetime parameters",
            );
        }
        let attrs = attr::struct_attrs(cx, &input.attrs);
        let named = named?;
        let rename = attrs.rename_all.as_ref().and_then(|r| {
            let case = r.value.as_str();
            let f: fn(&str) -> String = match case {
                "lowercase" => |s| s.to_lowercase(),
                "UPPERCASE" => |s| s.to_uppercase(),
                "snake_case" => |s| s.to_snake_case(),
                "SCREAMING_SNAKE_CASE" => |s| s.to_shouty_snake_case(),
                "kebab-case" => |s| s.to_kebab_case(),
                "camelCase" => |s| s.to_lower_camel_case(),
                "PascalCase" => |s| s.to_upper_camel_case(),
                _ => {
                    cx.error(
                        r.span,
                        format!(
                            "unknown `rename_all` case `{case}`: use \"lowercase\", \"UPPERCASE\", \"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"camelCase\" or \"PascalCase\""
                        ),
                    );
                    return None;
                }
            };
            Some(f)
        });
        let krate: Path = attrs
            .krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::sqlx_table));
        let fields = named
            .named
            .iter()
            .map(|f| {
                let ident = f.ident.as_ref().expect("named field");
                let attrs = attr::field_attrs(cx, ident, &f.attrs);
                let plain = ident.to_string().trim_start_matches("r#").to_owned();
                let column = match (&attrs.name, &attrs.sqlx_rename, rename) {
                    (Some(name), _, _) => name.value.clone(),
                    (None, Some(name), _) => name.clone(),
                    (None, None, Some(rename)) => rename(&plain),
                    (None, None, None) => plain,
                };
                let column_ty = if attrs.sqlx_json {
                    let ty = &f.ty;
                    syn::parse_quote!(#krate::__private::sqlx::types::Json<#ty>)
                } else if let Some(ty) = &attrs.sqlx_try_from {
                    ty.clone()
                } else {
                    f.ty.clone()
                };
                Field {
                    ident,
                    ty: &f.ty,
                    column_ty,
                    doc: attr::doc_comment(&f.attrs),
                    attrs,
                    column,
                }
            })
            .collect();
        let table_name = attrs
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| {
                input
                    .ident
                    .to_string()
                    .trim_start_matches("r#")
                    .to_snake_case()
            });
        Some(Input {
            ident: &input.ident,
            doc: attr::doc_comment(&input.attrs),
            attrs,
            table_name,
            fields,
            krate,
        })
    }

    pub fn columns(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().filter(|f| f.is_column())
    }

    pub fn field(&self, ident: &Ident) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.ident == ident)
    }

    /// The primary key fields, from the struct-level list or the field-level flags.
    pub fn primary_key(&self) -> Vec<&Field<'a>> {
        match &self.attrs.primary_key {
            Some(list) => list
                .value
                .columns
                .iter()
                .filter_map(|i| self.field(i))
                .collect(),
            None => self
                .columns()
                .filter(|f| f.attrs.primary_key.is_some())
                .collect(),
        }
    }
}
