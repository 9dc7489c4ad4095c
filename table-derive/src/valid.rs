//! Rules across fields and attributes, checked on the model before any token is emitted:
//! one function per rule, each opening with what it protects. Rules that need types (is
//! this field text? an integer?) are trait bounds in the generated code instead; see
//! `expand`.
//!
//! [`check`] calls the rules in a fixed order, field by field, so that the errors of one
//! build come out in the order of the source.

use std::collections::HashMap;

use crate::ast::{Field, Input};
use crate::attr::{At, FieldAttrs, KeyList};
use crate::ctxt::Ctxt;
use crate::keys;

pub fn check(cx: &Ctxt, input: &Input) {
    has_columns(cx, input);
    column_names_are_distinct(cx, input);
    for field in &input.fields {
        if field.attrs.skip.is_some() {
            skip_stands_alone(cx, &field.attrs);
            continue;
        }
        key_on_struct_or_fields(cx, input, &field.attrs);
        auto_increment_is_a_key(cx, input, field);
        auto_increment_has_no_default(cx, &field.attrs);
        one_kind_of_default(cx, &field.attrs);
        one_source_of_type(cx, &field.attrs);
        actions_need_a_reference(cx, &field.attrs);
        no_redundant_index(cx, input, field);
        precision_needs_a_known_type(cx, &field.attrs);
        scale_within_precision(cx, &field.attrs);
    }
    lists_name_columns_once(cx, input);
    expression_indexes_are_named(cx, input);
    one_primary_key_name(cx, input);
    declared_names_fit(cx, input);
}

/// A `CREATE TABLE` needs a column.
fn has_columns(cx: &Ctxt, input: &Input) {
    if input.columns().next().is_none() {
        cx.error(
            input.ident.span(),
            "a table needs at least one column, and this struct has none",
        );
    }
}

/// Two fields can't map to one column (by `name` or `#[sqlx(rename)]`).
fn column_names_are_distinct(cx: &Ctxt, input: &Input) {
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for field in input.columns() {
        if let Some(first) = seen.insert(&field.column, field.ident) {
            cx.error(
                field.attrs.name.as_ref().map_or(field.ident.span(), |n| n.span),
                format!(
                    "column `{}` is already the name of field `{first}`; give one of them another `name = \"...\"`",
                    field.column
                ),
            );
        }
    }
}

/// A skipped field is no column, so any column attribute on it would be silently ignored.
fn skip_stands_alone(cx: &Ctxt, a: &FieldAttrs) {
    let Some(skip) = a.skip else { return };
    let others = [
        a.primary_key,
        a.auto_increment,
        a.unique,
        a.index.as_ref().map(|x| x.span),
        a.name.as_ref().map(|x| x.span),
        a.max_length.as_ref().map(|x| x.span),
        a.sql_type.as_ref().map(|x| x.span),
        a.backend_types.first().map(|x| x.1.span),
        a.precision.as_ref().map(|x| x.span),
        a.scale.as_ref().map(|x| x.span),
        a.charset.as_ref().map(|x| x.span),
        a.collation.as_ref().map(|x| x.span),
        a.fk_name.as_ref().map(|x| x.span),
        a.deferrable,
        a.default.as_ref().map(|x| x.span),
        a.default_sql.as_ref().map(|x| x.span),
        a.references.as_ref().map(|x| x.span),
        a.check.as_ref().map(|x| x.span),
    ];
    if others.iter().any(Option::is_some) {
        cx.error(
            skip,
            "a `skip` field is no column: remove its other `table` attributes",
        );
    }
}

/// One primary key: declared on the struct or on fields, never both.
fn key_on_struct_or_fields(cx: &Ctxt, input: &Input, a: &FieldAttrs) {
    if let (Some(span), Some(list)) = (a.primary_key, &input.attrs.primary_key) {
        cx.error(
            span,
            format!(
                "the struct already declares `{}({})`; mark the key either on the struct or on fields, not both",
                keys::PRIMARY_KEY,
                list.value.columns.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
            ),
        );
    }
}

/// Every backend numbers only key columns.
fn auto_increment_is_a_key(cx: &Ctxt, input: &Input, field: &Field) {
    let a = &field.attrs;
    let Some(span) = a.auto_increment else { return };
    let in_key = a.primary_key.is_some()
        || input
            .attrs
            .primary_key
            .as_ref()
            .is_some_and(|l| l.value.columns.iter().any(|i| i == field.ident));
    if !in_key {
        cx.error(
            span,
            "`auto_increment` needs a primary key column: add `primary_key`",
        );
    }
}

/// A numbered column's value comes from the database, so a default would never apply.
fn auto_increment_has_no_default(cx: &Ctxt, a: &FieldAttrs) {
    if a.auto_increment.is_none() {
        return;
    }
    if let Some(d) = &a.default {
        cx.error(
            d.span,
            "an `auto_increment` column gets its value from the database: remove `default`",
        );
    }
    if let Some(d) = &a.default_sql {
        cx.error(
            d.span,
            "an `auto_increment` column gets its value from the database: remove `default_sql`",
        );
    }
}

/// A column has one default.
fn one_kind_of_default(cx: &Ctxt, a: &FieldAttrs) {
    if let (Some(d), Some(_)) = (&a.default_sql, &a.default) {
        cx.error(d.span, "give either `default` or `default_sql`, not both");
    }
}

/// A length would be lost on a type written by hand.
fn one_source_of_type(cx: &Ctxt, a: &FieldAttrs) {
    if let (Some(m), Some(_)) = (&a.max_length, &a.sql_type) {
        cx.error(m.span, "`sql_type` already gives the column type: write the length there, as `sql_type = \"VARCHAR(n)\"`");
    }
}

/// A referential action without a foreign key would be silently ignored.
fn actions_need_a_reference(cx: &Ctxt, a: &FieldAttrs) {
    if a.references.is_some() {
        return;
    }
    for action in [&a.on_delete, &a.on_update].into_iter().flatten() {
        cx.error(
            action.span,
            "`on_delete` and `on_update` need a foreign key: add `references = Model`",
        );
    }
    if let Some(name) = &a.fk_name {
        cx.error(
            name.span,
            "`fk_name` names a foreign key: add `references = Model`",
        );
    }
    if let Some(span) = a.deferrable {
        cx.error(
            span,
            "`deferrable` defers a foreign key's check to commit: add `references = Model`",
        );
    }
}

/// `sql_type = "..."` is the whole type: digits would be silently lost.
fn precision_needs_a_known_type(cx: &Ctxt, a: &FieldAttrs) {
    if let (Some(p), Some(_)) = (&a.precision, &a.sql_type) {
        cx.error(p.span, "`sql_type` already gives the column type: write the digits there, as `sql_type = \"TIMESTAMP(3)\"`");
    }
}

/// A decimal's scale counts digits of its precision: `scale` alone or past `precision`
/// would be refused by the database, or silently read as `NUMERIC(p, 0)`.
fn scale_within_precision(cx: &Ctxt, a: &FieldAttrs) {
    match (&a.precision, &a.scale) {
        (None, Some(s)) => cx.error(
            s.span,
            "`scale` needs `precision`, the decimal's number of digits: `precision = 10, scale = 2`",
        ),
        (Some(p), Some(s)) if s.value > p.value => cx.error(
            s.span,
            format!(
                "`scale = {}` is more than `precision = {}`: the digits after the point are part of the precision",
                s.value, p.value
            ),
        ),
        _ => {}
    }
}

/// The primary key has one name: a second, on another key field, would be ignored.
fn one_primary_key_name(cx: &Ctxt, input: &Input) {
    let mut named = input
        .columns()
        .filter_map(|f| f.attrs.primary_key_name.as_ref());
    if input.attrs.primary_key.is_none()
        && let (Some(_), Some(second)) = (named.next(), named.next())
    {
        cx.error(
            second.span,
            "the primary key is already named on another field: name it once",
        );
    }
}

/// The longest name every backend keeps whole: PostgreSQL's 63 bytes (MySQL's limit is 64
/// characters, SQLite has none). A longer name would be cut or refused by the database.
const MAX_NAME_BYTES: usize = 63;

/// A declared key, constraint or index name fits every backend.
fn declared_names_fit(cx: &Ctxt, input: &Input) {
    let attrs = &input.attrs;
    let names = (attrs
        .primary_key
        .iter()
        .filter_map(|l| l.value.name.as_ref()))
    .chain(attrs.indexes.iter().filter_map(|l| l.value.name.as_ref()))
    .chain(attrs.uniques.iter().filter_map(|l| l.value.name.as_ref()))
    .chain(input.columns().flat_map(|f| {
        let a = &f.attrs;
        [
            a.primary_key_name.as_ref(),
            a.unique_name.as_ref(),
            a.index.as_ref().and_then(|l| l.value.name.as_ref()),
            a.fk_name.as_ref(),
        ]
        .into_iter()
        .flatten()
    }));
    for name in names {
        let len = name.value.len();
        if len > MAX_NAME_BYTES {
            cx.error(
                name.span,
                format!(
                    "this name is {len} bytes long, and PostgreSQL keeps {MAX_NAME_BYTES}: shorten it so that every backend keeps it whole"
                ),
            );
        }
    }
}

/// A second index on a key column costs writes and buys nothing. The key's index covers
/// its leading column alone: `index` on a later column of a composite key is a real index
/// (a join table's reverse lookup).
fn no_redundant_index(cx: &Ctxt, input: &Input, field: &Field) {
    let a = &field.attrs;
    let key = input.primary_key();
    let whole_key = key.len() == 1 && key[0].ident == field.ident;
    let leads_key = key.first().is_some_and(|f| f.ident == field.ident);
    if let (Some(unique), true) = (a.unique, whole_key) {
        cx.error(unique, "a primary key is already unique: remove `unique`");
    }
    let index = a.index.as_ref().map(|l| l.span);
    if let (Some(index), true) = (index, whole_key) {
        cx.error(index, "a primary key is already indexed: remove `index`");
    } else if let (Some(index), true) = (index, leads_key) {
        cx.error(
            index,
            "the primary key's index already covers its leading column: remove `index` (an index on a later column of the key is kept)",
        );
    }
    if let (Some(index), Some(_)) = (index, a.unique) {
        cx.error(index, "a unique column is already indexed: remove `index`");
    }
}

/// An index's generated name is built from its columns; an expression has none to give.
fn expression_indexes_are_named(cx: &Ctxt, input: &Input) {
    for list in &input.attrs.indexes {
        let expression = list.value.parts.iter().find_map(|p| match p {
            crate::attr::IndexPartAttr::Expression(sql, _) => Some(sql),
            crate::attr::IndexPartAttr::Column(..) => None,
        });
        if let (Some(sql), None) = (expression, &list.value.name) {
            cx.error(
                sql.span(),
                "an index with an expression needs its own name: add `name = \"ix_...\"` to `index(...)`",
            );
        }
    }
}

/// `primary_key(...)`, `index(...)` and `unique(...)` name columns of this struct, once each.
fn lists_name_columns_once(cx: &Ctxt, input: &Input) {
    let lists = input
        .attrs
        .primary_key
        .iter()
        .map(|l| (keys::PRIMARY_KEY, l))
        .chain(input.attrs.indexes.iter().map(|l| (keys::INDEX, l)))
        .chain(input.attrs.uniques.iter().map(|l| (keys::UNIQUE, l)));
    for (key, list) in lists {
        list_names_columns_once(cx, input, key, list);
    }
}

fn list_names_columns_once(cx: &Ctxt, input: &Input, key: &str, list: &At<KeyList>) {
    let columns = &list.value.columns;
    for (i, ident) in columns.iter().enumerate() {
        match input.field(ident) {
            None => cx.error(
                ident.span(),
                format!("`{key}(...)` names `{ident}`, which is not a field of this struct"),
            ),
            Some(f) if !f.is_column() => cx.error(
                ident.span(),
                format!("`{key}(...)` names `{ident}`, which is skipped and so no column"),
            ),
            Some(_) => {}
        }
        if columns[..i].contains(ident) {
            cx.error(
                ident.span(),
                format!("`{ident}` is listed twice in `{key}(...)`"),
            );
        }
    }
}
