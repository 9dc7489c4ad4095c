//! `#[table(...)]` and the `#[sqlx(...)]` keys we honour, parsed into typed values.
//!
//! Every key may be given once (lists such as `index(a, b)` may repeat); an unknown key is
//! an error. Errors go to the [`Ctxt`] so that one build reports them all.
//!
//! Over 400 lines on purpose: the struct and field parsers share the once-only slot, the
//! value parsers and the unknown-key message, and a key's parsing reads best in one place.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitStr, Path, Token, UnOp};

use crate::ctxt::Ctxt;
use crate::keys;

/// A value and where it was written, for error spans.
#[derive(Clone)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

fn at<T>(value: T, span: Span) -> At<T> {
    At { value, span }
}

/// A slot for a key that may be set once.
struct Once<T> {
    name: &'static str,
    value: Option<At<T>>,
}

impl<T> Once<T> {
    fn new(name: &'static str) -> Self {
        Once { name, value: None }
    }

    fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            cx.error(
                span,
                format!("duplicate `{}` attribute: give it once", self.name),
            );
        } else {
            self.value = Some(at(value, span));
        }
    }

    fn get(self) -> Option<At<T>> {
        self.value
    }
}

/// A literal default value.
#[derive(Clone)]
pub enum DefaultLit {
    Str(LitStr),
    /// The literal as written (possibly negative), and its value.
    Int(TokenStream, i64),
    Float(TokenStream, f64),
    Bool(bool),
    Now,
    Uuid,
}

/// `references = Model` or `references = "schema.table(column)"`.
#[derive(Clone)]
pub enum Reference {
    Model(Path),
    Named {
        schema: Option<String>,
        table: String,
        column: String,
    },
}

/// Named as in SQL (`NO ACTION`), hence a variant that ends in the enum's name.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Cascade,
    Restrict,
    SetNull,
    SetDefault,
    NoAction,
}

/// `primary_key(a, b)`, `index(a, b, name = "...")`: fields, and the name the database
/// knows the key or index by, if the model gives one.
#[derive(Clone)]
pub struct KeyList {
    pub columns: Vec<Ident>,
    pub name: Option<At<String>>,
    /// `index(...)` only: every part in order, where one is `desc` or an expression;
    /// empty when all are ascending columns.
    pub parts: Vec<IndexPartAttr>,
    /// `index(..., where = "...")`: a partial index's predicate.
    pub predicate: Option<At<String>>,
}

/// A part of `index(...)`: a field (`a`, `a desc`) or an expression (`"lower(email)"`).
#[derive(Clone)]
pub enum IndexPartAttr {
    Column(Ident, bool),
    Expression(LitStr, bool),
}

/// `check = "a < b"`, or `check("a < b", name = "CK_...")` to name the constraint.
#[derive(Clone)]
pub struct CheckAttr {
    pub expr: String,
    pub name: Option<At<String>>,
}

/// A backend of `sql_type(postgres = "...", mysql = "...", sqlite = "...")`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    MySql,
    Sqlite,
}

impl Backend {
    pub fn key(self) -> &'static str {
        match self {
            Backend::Postgres => keys::POSTGRES,
            Backend::MySql => keys::MYSQL,
            Backend::Sqlite => keys::SQLITE,
        }
    }
}

/// `sql_type = "..."` or `sql_type(postgres = "...", ...)`: one key, either form.
enum SqlTypeAttr {
    All(String),
    PerBackend(Vec<(Backend, At<String>)>),
}

/// The struct-level attributes.
#[derive(Default)]
pub struct StructAttrs {
    pub name: Option<At<String>>,
    pub schema: Option<At<String>>,
    /// `set = "..."`: the model set the table belongs to.
    pub set: Option<At<String>>,
    pub primary_key: Option<At<KeyList>>,
    pub indexes: Vec<At<KeyList>>,
    pub uniques: Vec<At<KeyList>>,
    pub checks: Vec<At<CheckAttr>>,
    pub charset: Option<At<String>>,
    pub collation: Option<At<String>>,
    pub krate: Option<Path>,
    /// `#[sqlx(rename_all = "...")]`
    pub rename_all: Option<At<String>>,
}

/// The field-level attributes.
#[derive(Default)]
pub struct FieldAttrs {
    pub name: Option<At<String>>,
    pub primary_key: Option<Span>,
    /// `primary_key(name = "...")`
    pub primary_key_name: Option<At<String>>,
    pub auto_increment: Option<Span>,
    pub unique: Option<Span>,
    /// `unique(name = "...")`
    pub unique_name: Option<At<String>>,
    /// `index`, or `index(desc, where = "...", name = "...")`: the field is the list's one
    /// column.
    pub index: Option<At<KeyList>>,
    pub skip: Option<Span>,
    pub max_length: Option<At<u32>>,
    /// `sql_type = "..."`: the type on every backend.
    pub sql_type: Option<At<String>>,
    /// `sql_type(postgres = "...", ...)`: the type on some backends; each value's span.
    pub backend_types: Vec<(Backend, At<String>)>,
    pub precision: Option<At<u8>>,
    /// `scale = N`: a decimal's digits after the point.
    pub scale: Option<At<u8>>,
    pub charset: Option<At<String>>,
    pub collation: Option<At<String>>,
    pub fk_name: Option<At<String>>,
    /// `deferrable`: the foreign key is `DEFERRABLE INITIALLY DEFERRED`.
    pub deferrable: Option<Span>,
    pub default: Option<At<DefaultLit>>,
    pub default_sql: Option<At<String>>,
    pub references: Option<At<Reference>>,
    pub on_delete: Option<At<Action>>,
    pub on_update: Option<At<Action>>,
    pub check: Option<At<CheckAttr>>,
    /// `#[sqlx(rename = "...")]`
    pub sqlx_rename: Option<String>,
    /// `#[sqlx(skip)]`
    pub sqlx_skip: bool,
    /// `#[sqlx(json)]`: the column holds the field as JSON.
    pub sqlx_json: bool,
    /// `#[sqlx(try_from = "T")]`: the column has `T`'s type.
    pub sqlx_try_from: Option<syn::Type>,
}

fn lit_str(meta: &ParseNestedMeta, key: &str) -> syn::Result<LitStr> {
    let expr: Expr = meta.value()?.parse()?;
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string in quotes: `{key} = \"...\"`"),
        )),
    }
}

fn non_empty(s: LitStr, key: &str) -> syn::Result<String> {
    let value = s.value();
    if value.trim().is_empty() {
        Err(syn::Error::new(s.span(), format!("`{key}` can't be empty")))
    } else {
        Ok(value)
    }
}

/// A model set's name: letters, digits, `_` and `-`, so that it reads the same in code,
/// logs and configuration.
fn set_name(s: LitStr) -> syn::Result<String> {
    let value = s.value();
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(value)
    } else {
        Err(syn::Error::new(
            s.span(),
            format!(
                "`set = \"{value}\"` is not a model set name: use letters, digits, `_` or `-`, as in `set = \"analytics\"`"
            ),
        ))
    }
}

/// `key(a, b)` or `key(a, b, name = "...")`.
fn key_list(meta: &ParseNestedMeta, key: &str) -> syn::Result<KeyList> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`{key}` takes a list of field names: `{key}(a, b)`, or `{key}(a, b, name = \"...\")` to name it"
        )));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut list = KeyList {
        columns: Vec::new(),
        name: None,
        parts: Vec::new(),
        predicate: None,
    };
    while !content.is_empty() {
        let ident: Ident = content.parse()?;
        if content.peek(Token![=]) {
            if ident != keys::NAME {
                return Err(syn::Error::new(
                    ident.span(),
                    format!(
                        "`{key}(...)` takes field names and `name = \"...\"`, not `{ident} = ...`"
                    ),
                ));
            }
            list_name(&content, key, &mut list.name)?;
        } else {
            list.columns.push(ident);
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if list.columns.is_empty() {
        return Err(meta.error(format!("`{key}(...)` needs at least one field name")));
    }
    Ok(list)
}

/// `index(a, b desc, "lower(email)", where = "...", name = "...")`: fields (each `asc` or
/// `desc`), expressions as strings, a partial index's predicate and the index's name.
///
/// On a field (`field` is `Some`), the same grammar with the field as the one column, given
/// implicitly: `index`, or `index(desc, where = "...", name = "...")` with any of the three.
fn index_list(meta: &ParseNestedMeta, field: Option<&Ident>) -> syn::Result<KeyList> {
    let key = keys::INDEX;
    let mut list = KeyList {
        columns: Vec::new(),
        name: None,
        parts: Vec::new(),
        predicate: None,
    };
    let mut special = false;
    if let Some(field) = field {
        list.columns.push(field.clone());
        list.parts.push(IndexPartAttr::Column(field.clone(), false));
        if meta.input.peek(Token![=]) {
            return Err(meta.error(
                "`index` on a field takes no value: write `#[table(index)]`, or `#[table(index(desc, where = \"...\", name = \"...\"))]` with any of these",
            ));
        }
        if !meta.input.peek(syn::token::Paren) {
            list.parts.clear();
            return Ok(list);
        }
    } else if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(
            "`index` takes a list of field names: `index(a, b)`; also `a desc`, an expression as a string, `where = \"...\"` and `name = \"...\"`",
        ));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let direction = |content: syn::parse::ParseStream| -> syn::Result<bool> {
        if content.peek(Ident) && !content.peek2(Token![=]) {
            let dir: Ident = content.parse()?;
            return match dir.to_string().as_str() {
                "desc" => Ok(true),
                "asc" => Ok(false),
                _ => Err(syn::Error::new(
                    dir.span(),
                    format!(
                        "`{dir}` after an index part: write `asc` or `desc`, and a `,` between parts"
                    ),
                )),
            };
        }
        Ok(false)
    };
    if field.is_some() && content.peek(Ident) && !content.peek2(Token![=]) {
        let desc = direction(&content)?;
        special |= desc;
        list.parts[0] = IndexPartAttr::Column(list.columns[0].clone(), desc);
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    while !content.is_empty() {
        if field.is_some() && !content.peek(Token![where]) && !content.peek2(Token![=]) {
            return Err(content.error(
                "`index(...)` on a field takes `desc` or `asc` first, then `where = \"...\"` and `name = \"...\"`; an index over more columns or an expression is the struct's `index(...)`",
            ));
        }
        if content.peek(Token![where]) {
            content.parse::<Token![where]>()?;
            content.parse::<Token![=]>()?;
            let s: LitStr = content.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "`where` takes the predicate as a string: `where = \"deleted_at IS NULL\"`",
                )
            })?;
            if list.predicate.is_some() {
                return Err(syn::Error::new(s.span(), "`index(...)` has one `where`"));
            }
            list.predicate = Some(at(non_empty(s.clone(), keys::WHERE)?, s.span()));
        } else if content.peek(LitStr) {
            let s: LitStr = content.parse()?;
            non_empty(s.clone(), keys::INDEX)?;
            let desc = direction(&content)?;
            special = true;
            list.parts.push(IndexPartAttr::Expression(s, desc));
        } else {
            let ident: Ident = content.parse()?;
            if content.peek(Token![=]) {
                if ident != keys::NAME {
                    let takes = if field.is_some() {
                        "on a field takes `desc` or `asc`"
                    } else {
                        "takes field names, expressions as strings"
                    };
                    return Err(syn::Error::new(
                        ident.span(),
                        format!(
                            "`{key}(...)` {takes}, `where = \"...\"` and `name = \"...\"`, not `{ident} = ...`"
                        ),
                    ));
                }
                list_name(&content, key, &mut list.name)?;
            } else {
                let desc = direction(&content)?;
                special |= desc;
                list.columns.push(ident.clone());
                list.parts.push(IndexPartAttr::Column(ident, desc));
            }
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if list.parts.is_empty() {
        return Err(meta.error(format!(
            "`{key}(...)` needs at least one field name or expression"
        )));
    }
    if !special {
        list.parts.clear();
    }
    Ok(list)
}

/// `check = "a < b"` or `check("a < b", name = "...")`.
fn parse_check(meta: &ParseNestedMeta) -> syn::Result<CheckAttr> {
    if !meta.input.peek(syn::token::Paren) {
        let expr = non_empty(lit_str(meta, keys::CHECK)?, keys::CHECK)?;
        return Ok(CheckAttr { expr, name: None });
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let bad = |span| {
        syn::Error::new(
            span,
            "`check(...)` takes the expression and a name: `check(\"a < b\", name = \"...\")`",
        )
    };
    let expr: LitStr = content.parse().map_err(|e| bad(e.span()))?;
    let expr = non_empty(expr, keys::CHECK)?;
    content.parse::<Token![,]>().map_err(|e| bad(e.span()))?;
    let key: Ident = content.parse()?;
    if key != keys::NAME {
        return Err(bad(key.span()));
    }
    content.parse::<Token![=]>()?;
    let s: LitStr = content.parse()?;
    let name = Some(at(non_empty(s.clone(), keys::NAME)?, s.span()));
    let _ = content.parse::<Option<Token![,]>>()?;
    if !content.is_empty() {
        return Err(bad(content.span()));
    }
    Ok(CheckAttr { expr, name })
}

/// A flag that may name what it makes: `unique` or `unique(name = "...")`.
fn flag_or_name(meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<At<String>>> {
    if meta.input.peek(Token![=]) {
        return Err(meta.error(format!(
            "`{key}` takes no value: write `#[table({key})]`, or `#[table({key}(name = \"...\"))]` to name it"
        )));
    }
    let mut name = None;
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident(keys::NAME) && name.is_none() {
                let s = lit_str(&inner, keys::NAME)?;
                name = Some(at(non_empty(s.clone(), keys::NAME)?, s.span()));
                Ok(())
            } else {
                Err(inner.error(format!("`{key}(...)` takes one `name = \"...\"`")))
            }
        })?;
    }
    Ok(name)
}

/// `sql_type(postgres = "...", mysql = "...", sqlite = "...")`, at least one, each once.
fn backend_types(meta: &ParseNestedMeta) -> syn::Result<Vec<(Backend, At<String>)>> {
    let mut out: Vec<(Backend, At<String>)> = Vec::new();
    meta.parse_nested_meta(|inner| {
        let backend = [Backend::Postgres, Backend::MySql, Backend::Sqlite]
            .into_iter()
            .find(|b| inner.path.is_ident(b.key()))
            .ok_or_else(|| {
                inner.error(format!(
                    "`sql_type(...)` takes one type per backend: `{}`, `{}` or `{}`",
                    keys::POSTGRES,
                    keys::MYSQL,
                    keys::SQLITE
                ))
            })?;
        let s = lit_str(&inner, backend.key())?;
        if out.iter().any(|(b, _)| *b == backend) {
            return Err(syn::Error::new(
                s.span(),
                format!("`{}` is given twice in `sql_type(...)`", backend.key()),
            ));
        }
        out.push((backend, at(non_empty(s.clone(), keys::SQL_TYPE)?, s.span())));
        Ok(())
    })?;
    if out.is_empty() {
        return Err(meta.error("`sql_type(...)` needs a type for at least one backend"));
    }
    Ok(out)
}

fn action(meta: &ParseNestedMeta, key: &str) -> syn::Result<Action> {
    let s = lit_str(meta, key)?;
    let normal = s.value().to_ascii_lowercase().replace(['_', '-'], " ");
    Ok(match normal.trim() {
        "cascade" => Action::Cascade,
        "restrict" => Action::Restrict,
        "set null" => Action::SetNull,
        "set default" => Action::SetDefault,
        "no action" => Action::NoAction,
        _ => {
            return Err(syn::Error::new(
                s.span(),
                format!(
                    "unknown `{key}` action `{}`: use \"cascade\", \"restrict\", \"set null\", \"set default\" or \"no action\"",
                    s.value()
                ),
            ));
        }
    })
}

/// The default and the span of its value (not of the `=` before it).
fn default_lit(meta: &ParseNestedMeta) -> syn::Result<(DefaultLit, Span)> {
    let input = meta.value()?;
    let span = input.span();
    let expr: Expr = input.parse()?;
    let value = default_value(&expr)?;
    Ok((value, span))
}

fn default_value(expr: &Expr) -> syn::Result<DefaultLit> {
    let bad = |e: &dyn ToTokens| {
        syn::Error::new_spanned(
            e,
            "`default` takes a literal (\"text\", 42, 1.5, true), `now` or `uuid`; write any other SQL expression as `default_sql = \"...\"`",
        )
    };
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => match lit {
            Lit::Str(s) => Ok(DefaultLit::Str(s.clone())),
            Lit::Int(i) => Ok(DefaultLit::Int(
                i.to_token_stream(),
                i.base10_parse::<i64>().map_err(|_| {
                    syn::Error::new(i.span(), "this default does not fit in an i64")
                })?,
            )),
            Lit::Float(f) => Ok(DefaultLit::Float(f.to_token_stream(), f.base10_parse()?)),
            Lit::Bool(b) => Ok(DefaultLit::Bool(b.value)),
            other => Err(bad(other)),
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => {
                let value = format!("-{}", i.base10_digits())
                    .parse::<i64>()
                    .map_err(|_| {
                        syn::Error::new(i.span(), "this default does not fit in an i64")
                    })?;
                Ok(DefaultLit::Int(expr.to_token_stream(), value))
            }
            Expr::Lit(ExprLit {
                lit: Lit::Float(f), ..
            }) => Ok(DefaultLit::Float(
                expr.to_token_stream(),
                -f.base10_parse::<f64>()?,
            )),
            _ => Err(bad(expr)),
        },
        Expr::Path(p) if p.path.is_ident("now") => Ok(DefaultLit::Now),
        Expr::Path(p) if p.path.is_ident("uuid") => Ok(DefaultLit::Uuid),
        other => Err(bad(other)),
    }
}

/// The reference and the span of its value (not of the `=` before it).
fn reference(meta: &ParseNestedMeta) -> syn::Result<(Reference, Span)> {
    let input = meta.value()?;
    let span = input.span();
    let expr: Expr = input.parse()?;
    match expr {
        Expr::Path(p) => Ok((Reference::Model(p.path), span)),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok((parse_named_reference(&s)?, span)),
        other => Err(syn::Error::new_spanned(
            other,
            "`references` takes a model type (`references = User`) or a string (`references = \"users(id)\"`)",
        )),
    }
}

fn parse_named_reference(s: &LitStr) -> syn::Result<Reference> {
    let value = s.value();
    let err = || {
        syn::Error::new(
            s.span(),
            format!(
                "`references = \"{value}\"` must name a table and a column: \"table(column)\" or \"schema.table(column)\""
            ),
        )
    };
    let (path, rest) = value.split_once('(').ok_or_else(err)?;
    let column = rest.strip_suffix(')').ok_or_else(err)?.trim();
    let (schema, table) = match path.trim().split_once('.') {
        Some((schema, table)) => (Some(schema.trim().to_owned()), table.trim()),
        None => (None, path.trim()),
    };
    if table.is_empty() || column.is_empty() || column.contains(',') {
        return Err(err());
    }
    Ok(Reference::Named {
        schema,
        table: table.to_owned(),
        column: column.to_owned(),
    })
}

fn unknown(meta: &ParseNestedMeta, level: &str, known: &str) -> syn::Error {
    let key = meta.path.to_token_stream().to_string().replace(' ', "");
    let hint = if key == keys::SQLX_RENAME {
        " (to rename, write `name = \"...\"`)".to_owned()
    } else {
        String::new()
    };
    meta.error(format!(
        "unknown {level} attribute `{key}`{hint}; expected one of: {known}"
    ))
}

pub fn struct_attrs(cx: &Ctxt, attrs: &[Attribute]) -> StructAttrs {
    let mut out = StructAttrs::default();
    let mut name = Once::new(keys::NAME);
    let mut schema = Once::new(keys::SCHEMA);
    let mut set = Once::new(keys::SET);
    let mut primary_key = Once::new(keys::PRIMARY_KEY);
    let mut krate = Once::new(keys::CRATE);
    let mut charset = Once::new(keys::CHARSET);
    let mut collation = Once::new(keys::COLLATION);
    let mut rename_all = Once::new(keys::SQLX_RENAME_ALL);
    for attr in attrs {
        if attr.path().is_ident(keys::TABLE) {
            let result = attr.parse_nested_meta(|meta| {
                let span = meta.path.span();
                if meta.path.is_ident(keys::NAME) {
                    name.set(
                        cx,
                        span,
                        non_empty(lit_str(&meta, keys::NAME)?, keys::NAME)?,
                    );
                } else if meta.path.is_ident(keys::SCHEMA) {
                    schema.set(
                        cx,
                        span,
                        non_empty(lit_str(&meta, keys::SCHEMA)?, keys::SCHEMA)?,
                    );
                } else if meta.path.is_ident(keys::SET) {
                    set.set(cx, span, set_name(lit_str(&meta, keys::SET)?)?);
                } else if meta.path.is_ident(keys::PRIMARY_KEY) {
                    primary_key.set(cx, span, key_list(&meta, keys::PRIMARY_KEY)?);
                } else if meta.path.is_ident(keys::INDEX) {
                    out.indexes.push(at(index_list(&meta, None)?, span));
                } else if meta.path.is_ident(keys::UNIQUE) {
                    out.uniques.push(at(key_list(&meta, keys::UNIQUE)?, span));
                } else if meta.path.is_ident(keys::CHARSET) {
                    let s = lit_str(&meta, keys::CHARSET)?;
                    charset.set(cx, s.span(), non_empty(s, keys::CHARSET)?);
                } else if meta.path.is_ident(keys::COLLATION) {
                    let s = lit_str(&meta, keys::COLLATION)?;
                    collation.set(cx, s.span(), non_empty(s, keys::COLLATION)?);
                } else if meta.path.is_ident(keys::CHECK) {
                    out.checks.push(at(parse_check(&meta)?, span));
                } else if meta.path.is_ident(keys::CRATE) {
                    let s = lit_str(&meta, keys::CRATE)?;
                    krate.set(cx, span, s.parse::<Path>()?);
                } else {
                    return Err(unknown(&meta, "struct", keys::STRUCT_KEYS));
                }
                Ok(())
            });
            if let Err(e) = result {
                cx.syn_error(e);
            }
        } else if attr.path().is_ident(keys::SQLX) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(keys::SQLX_RENAME_ALL) {
                    let s = lit_str(&meta, keys::SQLX_RENAME_ALL)?;
                    rename_all.set(cx, s.span(), s.value());
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            });
            // sqlx reports its own attribute errors.
            let _ = result;
        }
    }
    out.name = name.get();
    out.schema = schema.get();
    out.set = set.get();
    out.primary_key = primary_key.get();
    out.krate = krate.get().map(|k| k.value);
    out.charset = charset.get();
    out.collation = collation.get();
    out.rename_all = rename_all.get();
    out
}

/// Consumes `= value` or `(...)` after a key we don't act on.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: TokenStream = _content.parse()?;
    }
    Ok(())
}

pub fn field_attrs(cx: &Ctxt, ident: &Ident, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    let mut name = Once::new(keys::NAME);
    let mut primary_key = Once::new(keys::PRIMARY_KEY);
    let mut auto_increment = Once::new(keys::AUTO_INCREMENT);
    let mut unique = Once::new(keys::UNIQUE);
    let mut index = Once::new(keys::INDEX);
    let mut skip = Once::new(keys::SKIP);
    let mut max_length = Once::new(keys::MAX_LENGTH);
    let mut sql_type = Once::new(keys::SQL_TYPE);
    let mut default = Once::new(keys::DEFAULT);
    let mut default_sql = Once::new(keys::DEFAULT_SQL);
    let mut references = Once::new(keys::REFERENCES);
    let mut on_delete = Once::new(keys::ON_DELETE);
    let mut on_update = Once::new(keys::ON_UPDATE);
    let mut check = Once::new(keys::CHECK);
    let mut precision = Once::new(keys::PRECISION);
    let mut scale = Once::new(keys::SCALE);
    let mut charset = Once::new(keys::CHARSET);
    let mut collation = Once::new(keys::COLLATION);
    let mut fk_name = Once::new(keys::FK_NAME);
    let mut deferrable = Once::new(keys::DEFERRABLE);
    for attr in attrs {
        if attr.path().is_ident(keys::TABLE) {
            let result = attr.parse_nested_meta(|meta| {
                let span = meta.path.span();
                let flag = |meta: &ParseNestedMeta, key: &str| -> syn::Result<()> {
                    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                        Err(meta.error(format!("`{key}` takes no value: write `#[table({key})]`")))
                    } else {
                        Ok(())
                    }
                };
                if meta.path.is_ident(keys::NAME) {
                    name.set(cx, span, non_empty(lit_str(&meta, keys::NAME)?, keys::NAME)?);
                } else if meta.path.is_ident(keys::PRIMARY_KEY) {
                    primary_key.set(cx, span, flag_or_name(&meta, keys::PRIMARY_KEY)?);
                } else if meta.path.is_ident(keys::AUTO_INCREMENT) {
                    flag(&meta, keys::AUTO_INCREMENT)?;
                    auto_increment.set(cx, span, ());
                } else if meta.path.is_ident(keys::UNIQUE) {
                    unique.set(cx, span, flag_or_name(&meta, keys::UNIQUE)?);
                } else if meta.path.is_ident(keys::INDEX) {
                    index.set(cx, span, index_list(&meta, Some(ident))?);
                } else if meta.path.is_ident(keys::SKIP) {
                    flag(&meta, keys::SKIP)?;
                    skip.set(cx, span, ());
                } else if meta.path.is_ident(keys::MAX_LENGTH) {
                    let expr: Expr = meta.value()?.parse()?;
                    let n = match &expr {
                        Expr::Lit(ExprLit {
                            lit: Lit::Int(i), ..
                        }) => i.base10_parse::<u32>().ok().filter(|n| *n > 0),
                        _ => None,
                    };
                    match n {
                        Some(n) => max_length.set(cx, expr.span(), n),
                        None => {
                            return Err(syn::Error::new_spanned(
                                expr,
                                "`max_length` takes a positive whole number of characters: `max_length = 255`",
                            ));
                        }
                    }
                } else if meta.path.is_ident(keys::SQL_TYPE) {
                    if meta.input.peek(syn::token::Paren) {
                        let types = backend_types(&meta)?;
                        sql_type.set(cx, span, SqlTypeAttr::PerBackend(types));
                    } else {
                        let s = lit_str(&meta, keys::SQL_TYPE)?;
                        sql_type.set(cx, s.span(), SqlTypeAttr::All(non_empty(s, keys::SQL_TYPE)?));
                    }
                } else if meta.path.is_ident(keys::PRECISION) {
                    let expr: Expr = meta.value()?.parse()?;
                    let n = match &expr {
                        Expr::Lit(ExprLit {
                            lit: Lit::Int(i), ..
                        }) => i.base10_parse::<u8>().ok().filter(|n| *n <= 65),
                        _ => None,
                    };
                    // Past 6 (a time's most), the type is checked to be a decimal.
                    match n {
                        Some(n) => precision.set(cx, expr.span(), n),
                        None => {
                            return Err(syn::Error::new_spanned(
                                expr,
                                "`precision` takes a number of digits: fractional digits of seconds for a time, 0 to 6 (`precision = 3`), or all digits of a decimal, 1 to 65 (`precision = 10, scale = 2`)",
                            ));
                        }
                    }
                } else if meta.path.is_ident(keys::SCALE) {
                    let expr: Expr = meta.value()?.parse()?;
                    let n = match &expr {
                        Expr::Lit(ExprLit {
                            lit: Lit::Int(i), ..
                        }) => i.base10_parse::<u8>().ok(),
                        _ => None,
                    };
                    match n {
                        Some(n) => scale.set(cx, expr.span(), n),
                        None => {
                            return Err(syn::Error::new_spanned(
                                expr,
                                "`scale` takes the number of a decimal's digits after the point: `precision = 10, scale = 2`",
                            ));
                        }
                    }
                } else if meta.path.is_ident(keys::CHARSET) {
                    let s = lit_str(&meta, keys::CHARSET)?;
                    charset.set(cx, s.span(), non_empty(s, keys::CHARSET)?);
                } else if meta.path.is_ident(keys::COLLATION) {
                    let s = lit_str(&meta, keys::COLLATION)?;
                    collation.set(cx, s.span(), non_empty(s, keys::COLLATION)?);
                } else if meta.path.is_ident(keys::DEFERRABLE) {
                    flag(&meta, keys::DEFERRABLE)?;
                    deferrable.set(cx, span, ());
                } else if meta.path.is_ident(keys::FK_NAME) {
                    let s = lit_str(&meta, keys::FK_NAME)?;
                    fk_name.set(cx, s.span(), non_empty(s, keys::FK_NAME)?);
                } else if meta.path.is_ident(keys::DEFAULT) {
                    let (value, value_span) = default_lit(&meta)?;
                    default.set(cx, value_span, value);
                } else if meta.path.is_ident(keys::DEFAULT_SQL) {
                    let s = lit_str(&meta, keys::DEFAULT_SQL)?;
                    default_sql.set(cx, s.span(), non_empty(s, keys::DEFAULT_SQL)?);
                } else if meta.path.is_ident(keys::REFERENCES) {
                    let (value, value_span) = reference(&meta)?;
                    references.set(cx, value_span, value);
                } else if meta.path.is_ident(keys::ON_DELETE) {
                    on_delete.set(cx, span, action(&meta, keys::ON_DELETE)?);
                } else if meta.path.is_ident(keys::ON_UPDATE) {
                    on_update.set(cx, span, action(&meta, keys::ON_UPDATE)?);
                } else if meta.path.is_ident(keys::CHECK) {
                    check.set(cx, span, parse_check(&meta)?);
                } else {
                    return Err(unknown(&meta, "field", keys::FIELD_KEYS));
                }
                Ok(())
            });
            if let Err(e) = result {
                cx.syn_error(e);
            }
        } else if attr.path().is_ident(keys::SQLX) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(keys::SQLX_RENAME) {
                    out.sqlx_rename = Some(lit_str(&meta, keys::SQLX_RENAME)?.value());
                } else if meta.path.is_ident(keys::SQLX_SKIP) {
                    out.sqlx_skip = true;
                } else if meta.path.is_ident(keys::SQLX_JSON) {
                    out.sqlx_json = true;
                    skip_value(&meta)?;
                } else if meta.path.is_ident(keys::SQLX_TRY_FROM) {
                    out.sqlx_try_from = Some(lit_str(&meta, keys::SQLX_TRY_FROM)?.parse()?);
                } else if meta.path.is_ident(keys::SQLX_FLATTEN) {
                    cx.error(
                        meta.path.span(),
                        "#[derive(Table)] can't flatten a field into columns; list the columns in this struct",
                    );
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            });
        }
    }
    out.name = name.get();
    if let Some(a) = primary_key.get() {
        out.primary_key = Some(a.span);
        out.primary_key_name = a.value;
    }
    out.auto_increment = auto_increment.get().map(|a| a.span);
    if let Some(a) = unique.get() {
        out.unique = Some(a.span);
        out.unique_name = a.value;
    }
    out.index = index.get();
    out.skip = skip.get().map(|a| a.span);
    out.max_length = max_length.get();
    match sql_type.get() {
        Some(At {
            value: SqlTypeAttr::All(sql),
            span,
        }) => out.sql_type = Some(at(sql, span)),
        Some(At {
            value: SqlTypeAttr::PerBackend(types),
            ..
        }) => out.backend_types = types,
        None => {}
    }
    out.precision = precision.get();
    out.scale = scale.get();
    out.charset = charset.get();
    out.collation = collation.get();
    out.fk_name = fk_name.get();
    out.deferrable = deferrable.get().map(|d| d.span);
    out.default = default.get();
    out.default_sql = default_sql.get();
    out.references = references.get();
    out.on_delete = on_delete.get();
    out.on_update = on_update.get();
    out.check = check.get();
    out
}

/// The doc comment of an item, one line per `///` line, trimmed; `None` if there is none.
pub fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The `= "..."` after `name` in a key list (`unique(...)`, `index(...)`), once per list.
fn list_name(
    content: syn::parse::ParseStream,
    key: &str,
    name: &mut Option<At<String>>,
) -> syn::Result<()> {
    content.parse::<Token![=]>()?;
    let s: LitStr = content.parse()?;
    if name.is_some() {
        return Err(syn::Error::new(
            s.span(),
            format!("`{key}(...)` has one `name`"),
        ));
    }
    *name = Some(at(non_empty(s.clone(), keys::NAME)?, s.span()));
    Ok(())
}
