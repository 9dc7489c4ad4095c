//! The live schema from MySQL's and MariaDB's `information_schema`: one batch whose every row
//! is one JSON array of the whole database's tables, columns, index parts, constraints,
//! foreign-key columns or checks.

use std::collections::BTreeMap;

use serde::Deserialize;
use sqlx::{AssertSqlSafe, Row};

use super::{
    LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveIndexPart, LiveKey, LiveSchema,
    ObjectKey, Tables, decode,
};
use crate::dialect::Dialect;

/// The tables of `DATABASE()` and `schemas`, as one batch.
///
/// MariaDB cuts `JSON_ARRAYAGG` at `group_concat_max_len` (1 MiB by default), so the batch
/// raises it for the session and then puts it back.
pub(crate) fn query(schemas: &[&str]) -> String {
    let mut each_schema = vec!["DATABASE()".to_owned()];
    each_schema.extend(schemas.iter().map(|s| Dialect::MySql.string_literal(s)));
    // One JSON array of `columns` over every schema. MariaDB reads information_schema of
    // one database only for `SCHEMA_COLUMN = constant`: with `IN (a, b)`, or a join
    // condition, it opens every table of every database on the server. So each schema is
    // a branch of its own, and the columns are named, because MariaDB's JSON_ARRAYAGG
    // quotes a JSON value that comes out of a derived table as a string.
    let agg = |kind: &str, columns: &[&str], from_where: &dyn Fn(&str) -> String| {
        let named: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} AS c{i}"))
            .collect();
        let branches: Vec<String> = each_schema
            .iter()
            .map(|s| format!("SELECT {} FROM {}", named.join(", "), from_where(s)))
            .collect();
        let outer: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
        // MariaDB's information_schema is utf8mb3, which sqlx reads as binary unless
        // converted. An empty set is `[]`; an aggregate that overflows anyway (NULL, or
        // JSON cut short) fails to decode rather than read as no rows.
        format!(
            "SELECT '{kind}', CONVERT(CASE WHEN COUNT(*) = 0 THEN '[]' \
             ELSE JSON_ARRAYAGG(JSON_ARRAY({})) END USING utf8mb4) FROM ({}) AS x",
            outer.join(", "),
            branches.join(" UNION ALL ")
        )
    };
    let parts = [
        "SELECT 'default', CONVERT(JSON_QUOTE(COALESCE(DATABASE(), '')) USING utf8mb4)".to_owned(),
        agg(
            "tables",
            &["TABLE_SCHEMA", "TABLE_NAME", "TABLE_COMMENT"],
            &|s| {
                format!(
                    "information_schema.TABLES WHERE TABLE_SCHEMA = {s} AND TABLE_TYPE = 'BASE TABLE'"
                )
            },
        ),
        agg(
            "columns",
            &[
                "TABLE_SCHEMA",
                "TABLE_NAME",
                "ORDINAL_POSITION",
                "COLUMN_NAME",
                "COLUMN_TYPE",
                "IS_NULLABLE",
                "COLUMN_DEFAULT",
                "EXTRA",
                "COLUMN_COMMENT",
            ],
            &|s| format!("information_schema.COLUMNS WHERE TABLE_SCHEMA = {s}"),
        ),
        agg(
            "index_parts",
            &[
                "TABLE_SCHEMA",
                "TABLE_NAME",
                "INDEX_NAME",
                "NON_UNIQUE",
                "SEQ_IN_INDEX",
                "COLUMN_NAME",
                "COLLATION",
            ],
            &|s| format!("information_schema.STATISTICS WHERE TABLE_SCHEMA = {s}"),
        ),
        agg(
            "constraints",
            &["TABLE_SCHEMA", "TABLE_NAME", "CONSTRAINT_NAME"],
            &|s| {
                format!(
                    "information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = {s} \
                     AND CONSTRAINT_TYPE = 'UNIQUE'"
                )
            },
        ),
        agg(
            "fk_columns",
            &[
                "TABLE_SCHEMA",
                "TABLE_NAME",
                "CONSTRAINT_NAME",
                "ORDINAL_POSITION",
                "COLUMN_NAME",
                "REFERENCED_TABLE_SCHEMA",
                "REFERENCED_TABLE_NAME",
                "REFERENCED_COLUMN_NAME",
            ],
            &|s| {
                format!(
                    "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = {s} \
                     AND REFERENCED_TABLE_NAME IS NOT NULL"
                )
            },
        ),
        // Joined with the columns here rather than in SQL: MariaDB joins two
        // information_schema tables by a nested loop over a buffer, quadratic in the keys.
        agg(
            "fk_rules",
            &[
                "CONSTRAINT_SCHEMA",
                "TABLE_NAME",
                "CONSTRAINT_NAME",
                "UPDATE_RULE",
                "DELETE_RULE",
            ],
            &|s| {
                format!("information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = {s}")
            },
        ),
        // MariaDB names a check per table (a column's check after the column), and says
        // which table here. MySQL 8's CHECK_CONSTRAINTS has no TABLE_NAME, so there this
        // query fails (a typed error) until it learns MySQL 8's join through
        // TABLE_CONSTRAINTS, which would pair MariaDB's same-named checks wrongly.
        agg(
            "checks",
            &[
                "CONSTRAINT_SCHEMA",
                "TABLE_NAME",
                "CONSTRAINT_NAME",
                "CHECK_CLAUSE",
            ],
            &|s| format!("information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = {s}"),
        ),
    ];
    format!(
        "SET @sqlx_table_gcml = @@SESSION.group_concat_max_len; \
         SET SESSION group_concat_max_len = 4294967295; \
         {}; \
         SET SESSION group_concat_max_len = @sqlx_table_gcml",
        parts.join(" UNION ALL ")
    )
}

#[derive(Deserialize)]
struct TableRow(String, String, String);

#[derive(Deserialize)]
struct ColumnRow(
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
);

#[derive(Deserialize)]
struct IndexPartRow(
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
    Option<String>,
);

#[derive(Deserialize)]
struct ConstraintRow(String, String, String);

#[derive(Deserialize)]
struct FkColumnRow(String, String, String, i64, String, String, String, String);

#[derive(Deserialize)]
struct FkRuleRow(String, String, String, String, String);

#[derive(Deserialize)]
struct CheckRow(String, String, String, String);

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

pub(crate) async fn read(
    conn: &mut sqlx::MySqlConnection,
    schemas: &[&str],
) -> Result<LiveSchema, sqlx::Error> {
    let rows = sqlx::raw_sql(AssertSqlSafe(query(schemas)))
        .fetch_all(&mut *conn)
        .await?;
    let mut default_schema = String::new();
    let mut tables = Tables::default();
    let mut columns: Vec<ColumnRow> = Vec::new();
    let mut parts: Vec<IndexPartRow> = Vec::new();
    let mut uniques: Vec<ConstraintRow> = Vec::new();
    let mut fk_columns: Vec<FkColumnRow> = Vec::new();
    let mut fk_rules: Vec<FkRuleRow> = Vec::new();
    let mut checks: Vec<CheckRow> = Vec::new();
    for row in rows.iter().filter(|row| row.len() == 2) {
        let kind: String = row.try_get(0)?;
        let payload: String = row.try_get(1)?;
        match kind.as_str() {
            "default" => {
                default_schema =
                    serde_json::from_str(&payload).map_err(|e| sqlx::Error::Decode(Box::new(e)))?
            }
            "tables" => {
                for TableRow(schema, name, comment) in decode(&payload)? {
                    tables.get(&schema, &name).comment = non_empty(comment);
                }
            }
            "columns" => columns = decode(&payload)?,
            "index_parts" => parts = decode(&payload)?,
            "constraints" => uniques = decode(&payload)?,
            "fk_columns" => fk_columns = decode(&payload)?,
            "fk_rules" => fk_rules = decode(&payload)?,
            "checks" => checks = decode(&payload)?,
            _ => {}
        }
    }

    columns.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    for ColumnRow(schema, table, _, name, data_type, nullable, default, extra, comment) in columns {
        let Some(table) = tables.existing(&schema, &table) else {
            continue;
        };
        table.columns.push(LiveColumn {
            name,
            data_type,
            nullable: nullable == "YES",
            // MariaDB writes "no default" of a nullable column, and DEFAULT NULL, as the
            // text NULL; a string literal 'NULL' keeps its quotes there.
            default: default.filter(|d| d != "NULL"),
            auto_increment: extra.to_ascii_lowercase().contains("auto_increment"),
            comment: non_empty(comment),
        });
    }

    // Index parts grouped into indexes, in key order.
    // (unique, parts with their position)
    let mut indexes: BTreeMap<ObjectKey, (bool, Vec<(i64, LiveIndexPart)>)> = BTreeMap::new();
    for IndexPartRow(schema, table, index, non_unique, seq, column, collation) in parts {
        let entry = indexes
            .entry((schema, table, index))
            .or_insert_with(|| (non_unique == 0, Vec::new()));
        entry.1.push((
            seq,
            LiveIndexPart {
                column: column.unwrap_or_default(),
                expression: false,
                descending: collation.as_deref() == Some("D"),
            },
        ));
    }
    let unique_names: std::collections::HashSet<ObjectKey> = uniques
        .into_iter()
        .map(|ConstraintRow(schema, table, name)| (schema, table, name))
        .collect();
    for ((schema, table_name, index), (unique, mut index_parts)) in indexes {
        let Some(table) = tables.existing(&schema, &table_name) else {
            continue;
        };
        index_parts.sort_by_key(|(seq, _)| *seq);
        let index_parts: Vec<LiveIndexPart> = index_parts.into_iter().map(|(_, p)| p).collect();
        let columns = || index_parts.iter().map(|p| p.column.clone()).collect();
        if index == "PRIMARY" {
            table.primary_key = Some(LiveKey {
                name: Some(index),
                columns: columns(),
            });
        } else if unique && unique_names.contains(&(schema, table_name, index.clone())) {
            table.uniques.push(LiveKey {
                name: Some(index),
                columns: columns(),
            });
        } else {
            table.indexes.push(LiveIndex {
                name: index,
                parts: index_parts,
                unique,
                predicate: None,
            });
        }
    }

    // (key, columns with their position and referenced column)
    type FkColumns = Vec<(i64, String, String)>;
    let mut fks: BTreeMap<ObjectKey, (LiveForeignKey, FkColumns)> = BTreeMap::new();
    for FkColumnRow(schema, table, name, pos, column, ref_schema, ref_table, ref_column) in
        fk_columns
    {
        let entry = fks.entry((schema, table, name.clone())).or_insert_with(|| {
            let fk = LiveForeignKey {
                name: Some(name),
                ref_schema,
                ref_table,
                ..LiveForeignKey::default()
            };
            (fk, Vec::new())
        });
        entry.1.push((pos, column, ref_column));
    }
    for FkRuleRow(schema, table, name, on_update, on_delete) in fk_rules {
        if let Some((fk, _)) = fks.get_mut(&(schema, table, name)) {
            fk.on_update = on_update;
            fk.on_delete = on_delete;
        }
    }
    for ((schema, table, _), (mut fk, mut cols)) in fks {
        let Some(table) = tables.existing(&schema, &table) else {
            continue;
        };
        cols.sort_by_key(|(pos, _, _)| *pos);
        for (_, column, ref_column) in cols {
            fk.columns.push(column);
            fk.ref_columns.push(ref_column);
        }
        table.foreign_keys.push(fk);
    }

    for CheckRow(schema, table, name, expr) in checks {
        if let Some(table) = tables.existing(&schema, &table) {
            table.checks.push(LiveCheck {
                name: Some(name),
                expr,
            });
        }
    }
    Ok(tables.finish(default_schema))
}
