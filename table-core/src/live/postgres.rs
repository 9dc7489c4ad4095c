//! The live schema from PostgreSQL's `pg_catalog`: one query, whose every row is one JSON
//! array of the whole database's tables, columns, constraints or indexes.

use std::collections::HashMap;

use serde::Deserialize;
use sqlx::{AssertSqlSafe, Row};

use super::{
    LiveCheck, LiveColumn, LiveEnum, LiveForeignKey, LiveIndex, LiveIndexPart, LiveKey, LiveSchema,
    Tables, decode,
};
use crate::dialect::Dialect;

/// The tables of `current_schema()` and `schemas`, as one batch (one query, one row per part).
pub(crate) fn query(schemas: &[&str]) -> String {
    let mut in_schemas = "current_schema()".to_owned();
    for name in schemas {
        in_schemas.push_str(", ");
        in_schemas.push_str(&Dialect::Postgres.string_literal(name));
    }
    // Every part filters on the same tables: ordinary and partitioned ones of these schemas.
    let tables = "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
    let which = format!("c.relkind IN ('r', 'p') AND n.nspname IN ({in_schemas})");
    // Comments come as a payload of their own, and defaults are deparsed without their
    // table (a default can't name a column; a generated column's expression, which can,
    // is left out): col_description() and pg_get_expr(.., table) per column were two
    // thirds of the query's time at 1000 tables.
    // The columns of a key (`conkey`, `confkey`) by name, in key order.
    let key_columns = |keys: &str, rel: &str| {
        format!(
            "(SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.{keys}) WITH ORDINALITY AS u(attnum, ord) \
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.{rel} AND a.attnum = u.attnum)"
        )
    };
    // The planner's guesses for catalog functions and subqueries are crude: at 1000 tables
    // the estimated cost passed `jit_above_cost`, and compiling the plan took 300 ms of a
    // 350 ms query. The batch is one implicit transaction, so `SET LOCAL` ends with it.
    // `standard_conforming_strings` on: pg_get_expr writes literals in the prevailing
    // setting, and the models' defaults are compared in this one.
    format!(
        "SET LOCAL jit = off; SET LOCAL standard_conforming_strings = on; \
         SELECT 'default'::text, to_json(COALESCE(current_schema()::text, ''))::text \
         UNION ALL \
         SELECT 'tables', COALESCE(json_agg(json_build_array(n.nspname, c.relname)), '[]')::text \
         FROM {tables} WHERE {which} \
         UNION ALL \
         SELECT 'comments', COALESCE(json_agg(json_build_array(n.nspname, c.relname, ds.objsubid, \
                ds.description)), '[]')::text \
         FROM pg_catalog.pg_description ds JOIN {tables} ON c.oid = ds.objoid \
         WHERE ds.classoid = 'pg_catalog.pg_class'::regclass AND {which} \
         UNION ALL \
         SELECT 'columns', COALESCE(json_agg(json_build_array(n.nspname, c.relname, a.attnum, a.attname, \
                format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, 0), \
                a.attidentity <> '')), '[]')::text \
         FROM {tables} \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum AND a.attgenerated = '' \
         WHERE {which} \
         UNION ALL \
         SELECT 'constraints', COALESCE(json_agg(json_build_array(n.nspname, c.relname, k.conname, k.contype, \
                {conkey}, rn.nspname, r.relname, {confkey}, k.confupdtype, k.confdeltype, \
                CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END, \
                k.condeferrable AND k.condeferred)), '[]')::text \
         FROM pg_catalog.pg_constraint k JOIN {tables} ON c.oid = k.conrelid \
         LEFT JOIN pg_catalog.pg_class r ON r.oid = k.confrelid \
         LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace \
         WHERE k.contype IN ('p', 'u', 'f', 'c') AND {which} \
         UNION ALL \
         SELECT 'indexes', COALESCE(json_agg(json_build_array(n.nspname, c.relname, ic.relname, i.indisunique, \
                (SELECT json_agg(json_build_array( \
                    COALESCE(a.attname::text, pg_get_indexdef(i.indexrelid, u.ord::int, true)), \
                    u.attnum = 0, (i.indoption[(u.ord - 1)::int] & 1) = 1) ORDER BY u.ord) \
                 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(attnum, ord) \
                 LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum \
                 WHERE u.ord <= i.indnkeyatts), \
                pg_get_expr(i.indpred, i.indrelid, true))), '[]')::text \
         FROM pg_catalog.pg_index i JOIN {tables} ON c.oid = i.indrelid \
         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
         WHERE {which} AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k \
               WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u')) \
         UNION ALL \
         SELECT 'enums', COALESCE(json_agg(json_build_array(n.nspname, t.typname, \
                (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e \
                 WHERE e.enumtypid = t.oid)) ORDER BY n.nspname, t.typname), '[]')::text \
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typtype = 'e' AND n.nspname IN ({in_schemas})",
        conkey = key_columns("conkey", "conrelid"),
        confkey = key_columns("confkey", "confrelid"),
    )
}

#[derive(Deserialize)]
struct TableRow(String, String);

#[derive(Deserialize)]
struct CommentRow(String, String, i64, String);

#[derive(Deserialize)]
struct ColumnRow(
    String,
    String,
    i64,
    String,
    String,
    bool,
    Option<String>,
    bool,
);

#[derive(Deserialize)]
struct ConstraintRow(
    String,
    String,
    String,
    String,
    Option<Vec<String>>,
    Option<String>,
    Option<String>,
    Option<Vec<String>>,
    String,
    String,
    Option<String>,
    bool,
);

#[derive(Deserialize)]
struct IndexRow(
    String,
    String,
    String,
    bool,
    Option<Vec<(String, bool, bool)>>,
    Option<String>,
);

/// `ON DELETE`/`ON UPDATE` as SQL, from `pg_constraint`'s one-letter code.
fn action(code: &str) -> String {
    match code {
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "NO ACTION",
    }
    .to_owned()
}

pub(crate) async fn read(
    conn: &mut sqlx::PgConnection,
    schemas: &[&str],
) -> Result<LiveSchema, sqlx::Error> {
    let rows = sqlx::raw_sql(AssertSqlSafe(query(schemas)))
        .fetch_all(&mut *conn)
        .await?;
    let mut default_schema = String::new();
    let mut tables = Tables::default();
    let mut comments: Vec<CommentRow> = Vec::new();
    let mut columns: Vec<ColumnRow> = Vec::new();
    let mut constraints: Vec<ConstraintRow> = Vec::new();
    let mut indexes: Vec<IndexRow> = Vec::new();
    let mut enums: Vec<(String, String, Option<Vec<String>>)> = Vec::new();
    for row in &rows {
        let kind: String = row.try_get(0)?;
        let payload: String = row.try_get(1)?;
        match kind.as_str() {
            "default" => {
                default_schema =
                    serde_json::from_str(&payload).map_err(|e| sqlx::Error::Decode(Box::new(e)))?
            }
            "tables" => {
                for TableRow(schema, name) in decode(&payload)? {
                    tables.get(&schema, &name);
                }
            }
            "comments" => comments = decode(&payload)?,
            "columns" => columns = decode(&payload)?,
            "constraints" => constraints = decode(&payload)?,
            "indexes" => indexes = decode(&payload)?,
            "enums" => enums = decode(&payload)?,
            _ => {}
        }
    }
    // Comments by (schema, table, column number); number 0 is the table's own.
    let mut comments: HashMap<(String, String, i64), String> = comments
        .into_iter()
        .map(|CommentRow(schema, table, number, text)| ((schema, table, number), text))
        .collect();
    columns.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    for ColumnRow(schema, table, number, name, data_type, notnull, default, identity) in columns {
        let comment = comments.remove(&(schema.clone(), table.clone(), number));
        let Some(table) = tables.existing(&schema, &table) else {
            continue;
        };
        table.columns.push(LiveColumn {
            name,
            data_type,
            nullable: !notnull,
            default,
            auto_increment: identity,
            comment,
        });
    }
    for ((schema, table, number), text) in comments {
        if number == 0
            && let Some(table) = tables.existing(&schema, &table)
        {
            table.comment = Some(text);
        }
    }
    for row in constraints {
        let ConstraintRow(
            schema,
            table,
            name,
            kind,
            cols,
            ref_schema,
            ref_table,
            ref_cols,
            upd,
            del,
            check,
            deferred,
        ) = row;
        let Some(table) = tables.existing(&schema, &table) else {
            continue;
        };
        let columns = cols.unwrap_or_default();
        match kind.as_str() {
            "p" => {
                table.primary_key = Some(LiveKey {
                    name: Some(name),
                    columns,
                })
            }
            "u" => table.uniques.push(LiveKey {
                name: Some(name),
                columns,
            }),
            "f" => table.foreign_keys.push(LiveForeignKey {
                name: Some(name),
                columns,
                ref_schema: ref_schema.unwrap_or_default(),
                ref_table: ref_table.unwrap_or_default(),
                ref_columns: ref_cols.unwrap_or_default(),
                on_delete: action(&del),
                on_update: action(&upd),
                deferred,
            }),
            "c" => table.checks.push(LiveCheck {
                name: Some(name),
                expr: check.unwrap_or_default(),
            }),
            _ => {}
        }
    }
    for IndexRow(schema, table, name, unique, parts, predicate) in indexes {
        let Some(table) = tables.existing(&schema, &table) else {
            continue;
        };
        let parts = parts
            .unwrap_or_default()
            .into_iter()
            .map(|(column, expression, descending)| LiveIndexPart {
                column,
                expression,
                descending,
            })
            .collect();
        table.indexes.push(LiveIndex {
            name,
            parts,
            unique,
            predicate,
        });
    }
    let mut live = tables.finish(default_schema);
    live.enums = enums
        .into_iter()
        .map(|(schema, name, labels)| LiveEnum {
            schema,
            name,
            labels: labels.unwrap_or_default(),
        })
        .collect();
    Ok(live)
}
