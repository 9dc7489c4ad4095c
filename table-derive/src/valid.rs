//! Rules across fields and attributes, checked on the model before any token is emitted:
//! one function per rule, each opening with what it protects. Rules that need types (is
//! this field text? an integer?) are trait bounds in the generated code instead; see
//! `expand`.
//!
//! [`check`] calls the rules in a fixed order, field by field, so that the errors of one
//! build come out in the order of the source.

use std::collections::HashMap;

use crate::ast::{Field, Input};
use crate::attr::{At, FieldAttrs};
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
        no_redundant_index(cx, &field.attrs);
    }
    lists_name_columns_once(cx, input);
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
        a.index,
        a.name.as_ref().map(|x| x.span),
        a.max_length.as_ref().map(|x| x.span),
        a.sql_type.as_ref().map(|x| x.span),
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
                list.value.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
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
            .is_some_and(|l| l.value.iter().any(|i| i == field.ident));
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
}

/// A second index on a key column costs writes and buys nothing.
fn no_redundant_index(cx: &Ctxt, a: &FieldAttrs) {
    if let (Some(unique), Some(_)) = (a.unique, a.primary_key) {
        cx.error(unique, "a primary key is already unique: remove `unique`");
    }
    if let (Some(index), Some(_)) = (a.index, a.primary_key) {
        cx.error(index, "a primary key is already indexed: remove `index`");
    }
    if let (Some(index), Some(_)) = (a.index, a.unique) {
        cx.error(index, "a unique column is already indexed: remove `index`");
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

fn list_names_columns_once(cx: &Ctxt, input: &Input, key: &str, list: &At<Vec<syn::Ident>>) {
    for (i, ident) in list.value.iter().enumerate() {
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
        if list.value[..i].contains(ident) {
            cx.error(
                ident.span(),
                format!("`{ident}` is listed twice in `{key}(...)`"),
            );
        }
    }
}
