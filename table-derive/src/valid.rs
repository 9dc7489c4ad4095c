//! Rules across fields and attributes, checked on the model before any token is emitted.
//! Rules that need types (is this field text? an integer?) are trait bounds in the
//! generated code instead; see `expand`.

use std::collections::HashMap;

use crate::ast::Input;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, input: &Input) {
    if input.columns().next().is_none() {
        cx.error(
            input.ident.span(),
            "a table needs at least one column, and this struct has none",
        );
    }

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

    for field in &input.fields {
        let a = &field.attrs;
        if let Some(skip) = a.skip {
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
            continue;
        }
        if let (Some(_), Some(list)) = (a.primary_key, &input.attrs.primary_key) {
            cx.error(
                a.primary_key.unwrap(),
                format!(
                    "the struct already declares `primary_key({})`; mark the key either on the struct or on fields, not both",
                    list.value.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if let Some(span) = a.auto_increment {
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
            if let Some(d) = &a.default {
                cx.error(
                    d.span,
                    "an `auto_increment` column gets its value from the database: remove `default`",
                );
            }
            if let Some(d) = &a.default_sql {
                cx.error(d.span, "an `auto_increment` column gets its value from the database: remove `default_sql`");
            }
        }
        if let (Some(d), Some(_)) = (&a.default_sql, &a.default) {
            cx.error(d.span, "give either `default` or `default_sql`, not both");
        }
        if let (Some(m), Some(_)) = (&a.max_length, &a.sql_type) {
            cx.error(m.span, "`sql_type` already gives the column type: write the length there, as `sql_type = \"VARCHAR(n)\"`");
        }
        if a.references.is_none() {
            for action in [&a.on_delete, &a.on_update].into_iter().flatten() {
                cx.error(
                    action.span,
                    "`on_delete` and `on_update` need a foreign key: add `references = Model`",
                );
            }
        }
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

    let lists = input
        .attrs
        .primary_key
        .iter()
        .map(|l| ("primary_key", l))
        .chain(input.attrs.indexes.iter().map(|l| ("index", l)))
        .chain(input.attrs.uniques.iter().map(|l| ("unique", l)));
    for (key, list) in lists {
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
}
