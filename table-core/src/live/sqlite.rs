//! The live schema from SQLite's `sqlite_schema` and its table-valued pragma functions: one
//! query, four JSON rows per schema (tables, columns, index parts, foreign-key columns).
//! Names of constraints, checks and `AUTOINCREMENT` come from the `CREATE` text
//! ([`sqlite_text`](super::sqlite_text)), where alone SQLite keeps them.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use sqlx::{AssertSqlSafe, Row};

use super::sqlite_text::{self, TableText};
use super::{
    LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveIndexPart, LiveKey, LiveSchema,
    ObjectKey, TableKey, Tables, decode,
};
use crate::dialect::Dialect;

/// The query over `main` and the attached databases among `schemas`.
pub(crate) fn query(schemas: &[&str]) -> String {
    let d = Dialect::Sqlite;
    let mut parts = Vec::new();
    for schema in std::iter::once("main").chain(schemas.iter().copied()) {
        let (lit, q) = (d.string_literal(schema), d.quote(schema));
        // The user's tables: not SQLite's own, nor virtual ones, whose columns are the
        // module's business.
        let tables = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND m.sql NOT LIKE 'CREATE VIRTUAL%'";
        parts.push(format!(
            "SELECT 'tables', json_group_array(json_array({lit}, m.name, m.sql)) \
             FROM {q}.sqlite_schema m WHERE {tables}"
        ));
        parts.push(format!(
            "SELECT 'columns', json_group_array(json_array({lit}, m.name, c.cid, c.name, c.type, \
             c.\"notnull\", c.dflt_value, c.pk)) \
             FROM {q}.sqlite_schema m, pragma_table_xinfo(m.name, {lit}) c WHERE {tables}"
        ));
        parts.push(format!(
            "SELECT 'index_parts', json_group_array(json_array({lit}, m.name, l.name, l.\"unique\", \
             l.origin, l.partial, x.seqno, x.cid, x.name, x.\"desc\", i.sql)) \
             FROM {q}.sqlite_schema m, pragma_index_list(m.name, {lit}) l, \
             pragma_index_xinfo(l.name, {lit}) x \
             LEFT JOIN {q}.sqlite_schema i ON i.type = 'index' AND i.name = l.name \
             WHERE {tables} AND x.key = 1"
        ));
        parts.push(format!(
            "SELECT 'fk_columns', json_group_array(json_array({lit}, m.name, f.id, f.seq, f.\"table\", \
             f.\"from\", f.\"to\", f.on_update, f.on_delete)) \
             FROM {q}.sqlite_schema m, pragma_foreign_key_list(m.name, {lit}) f WHERE {tables}"
        ));
    }
    parts.join(" UNION ALL ")
}

#[derive(Deserialize)]
struct TableRow(String, String, Option<String>);

#[derive(Deserialize)]
struct ColumnRow(
    String,
    String,
    i64,
    String,
    String,
    i64,
    Option<String>,
    i64,
);

#[derive(Deserialize)]
struct IndexPartRow(
    String,
    String,
    String,
    i64,
    String,
    i64,
    i64,
    i64,
    Option<String>,
    i64,
    Option<String>,
);

#[derive(Deserialize)]
struct FkColumnRow(
    String,
    String,
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
);

/// Whether two lists name the same columns: SQLite's names are case-insensitive, and the
/// `CREATE` text may spell them otherwise than the catalog.
fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

pub(crate) async fn read(
    conn: &mut sqlx::SqliteConnection,
    schemas: &[&str],
) -> Result<LiveSchema, sqlx::Error> {
    // A schema is an attached database: one that isn't attached has no tables (rather
    // than make the query fail on `name.sqlite_schema`).
    let attached: Vec<String> = if schemas.is_empty() {
        Vec::new()
    } else {
        sqlx::raw_sql("SELECT name FROM pragma_database_list")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?
    };
    let schemas: Vec<&str> = schemas
        .iter()
        .copied()
        .filter(|s| *s != "main" && attached.iter().any(|a| a.eq_ignore_ascii_case(s)))
        .collect();
    let rows = sqlx::raw_sql(AssertSqlSafe(query(&schemas)))
        .fetch_all(&mut *conn)
        .await?;

    let mut tables = Tables::default();
    let mut texts: HashMap<TableKey, TableText> = HashMap::new();
    let mut columns: Vec<ColumnRow> = Vec::new();
    let mut parts: Vec<IndexPartRow> = Vec::new();
    let mut fk_columns: Vec<FkColumnRow> = Vec::new();
    for row in &rows {
        let kind: String = row.try_get(0)?;
        let payload: String = row.try_get(1)?;
        match kind.as_str() {
            "tables" => {
                for TableRow(schema, name, sql) in decode(&payload)? {
                    tables.get(&schema, &name);
                    let text = sqlite_text::parse_table(sql.as_deref().unwrap_or(""));
                    texts.insert((schema, name), text);
                }
            }
            "columns" => columns.extend(decode::<ColumnRow>(&payload)?),
            "index_parts" => parts.extend(decode::<IndexPartRow>(&payload)?),
            "fk_columns" => fk_columns.extend(decode::<FkColumnRow>(&payload)?),
            _ => {}
        }
    }
    let no_text = TableText::default();
    let text_of = |schema: &str, table: &str| {
        texts
            .get(&(schema.to_owned(), table.to_owned()))
            .unwrap_or(&no_text)
    };

    // Primary keys by table, in key order, for nullability and for foreign keys that name
    // no columns (`REFERENCES t`, meaning t's primary key).
    columns.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    // (position in the key, name, declared type)
    type KeyColumns = Vec<(i64, String, String)>;
    let mut primary_keys: HashMap<TableKey, KeyColumns> = HashMap::new();
    for ColumnRow(schema, table, _, name, data_type, _, _, pk) in &columns {
        if *pk > 0 {
            primary_keys
                .entry((schema.clone(), table.clone()))
                .or_default()
                .push((*pk, name.clone(), data_type.clone()));
        }
    }
    for key in primary_keys.values_mut() {
        key.sort();
    }
    for ColumnRow(schema, table_name, _, name, data_type, notnull, default, pk) in columns {
        let text = text_of(&schema, &table_name);
        let Some(table) = tables.existing(&schema, &table_name) else {
            continue;
        };
        // A WITHOUT ROWID table's key and an INTEGER PRIMARY KEY (the rowid) refuse NULL
        // even where the catalog's notnull flag says nothing.
        let single_integer_key = primary_keys
            .get(&(schema.clone(), table_name.clone()))
            .is_some_and(|k| k.len() == 1 && k[0].2.eq_ignore_ascii_case("INTEGER"));
        let key_refuses_null = pk > 0 && (text.without_rowid || single_integer_key);
        table.columns.push(LiveColumn {
            auto_increment: text
                .autoincrement
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(&name)),
            name,
            data_type,
            nullable: notnull == 0 && !key_refuses_null,
            default,
            comment: None,
        });
    }
    for ((schema, table_name), key) in &primary_keys {
        if let Some(table) = tables.existing(schema, table_name) {
            table.primary_key = Some(LiveKey {
                name: text_of(schema, table_name).primary_key_name.clone(),
                columns: key.iter().map(|(_, name, _)| name.clone()).collect(),
            });
        }
    }

    // Index parts grouped into indexes, in key order.
    // (seqno, cid, column name, descending)
    type Parts = Vec<(i64, i64, Option<String>, bool)>;
    let mut indexes: BTreeMap<ObjectKey, (IndexPartRow, Parts)> = BTreeMap::new();
    for row in parts {
        let key = (row.0.clone(), row.1.clone(), row.2.clone());
        let part = (row.6, row.7, row.8.clone(), row.9 == 1);
        indexes
            .entry(key)
            .or_insert_with(|| (row, Vec::new()))
            .1
            .push(part);
    }
    for ((schema, table_name, index), (row, mut index_parts)) in indexes {
        index_parts.sort_by_key(|p| p.0);
        let origin = row.4.as_str();
        let text = text_of(&schema, &table_name);
        let Some(table) = tables.existing(&schema, &table_name) else {
            continue;
        };
        match origin {
            // The primary key's own index: the key came from the columns.
            "pk" => {}
            "u" => {
                let columns: Vec<String> = index_parts
                    .into_iter()
                    .map(|(_, _, name, _)| name.unwrap_or_default())
                    .collect();
                let name = text
                    .uniques
                    .iter()
                    .find(|(_, c)| same_names(c, &columns))
                    .and_then(|(name, _)| name.clone());
                table.uniques.push(LiveKey { name, columns });
            }
            _ => {
                let (written, predicate) = row
                    .10
                    .as_deref()
                    .map(sqlite_text::parse_index)
                    .unwrap_or_default();
                let parts = index_parts
                    .into_iter()
                    .map(|(seq, cid, name, descending)| {
                        // cid -2: an expression, whose text only the CREATE INDEX keeps.
                        let expression = cid == -2;
                        let column = if expression {
                            usize::try_from(seq)
                                .ok()
                                .and_then(|i| written.get(i).cloned())
                                .unwrap_or_default()
                        } else {
                            name.unwrap_or_else(|| "rowid".to_owned())
                        };
                        LiveIndexPart {
                            column,
                            expression,
                            descending,
                        }
                    })
                    .collect();
                table.indexes.push(LiveIndex {
                    name: index,
                    parts,
                    unique: row.3 == 1,
                    predicate: if row.5 == 1 { predicate } else { None },
                });
            }
        }
    }

    // Foreign-key columns grouped by key, in key order.
    let mut fks: BTreeMap<(String, String, i64), Vec<FkColumnRow>> = BTreeMap::new();
    for row in fk_columns {
        fks.entry((row.0.clone(), row.1.clone(), row.2))
            .or_default()
            .push(row);
    }
    type Written = Vec<(Option<String>, Vec<String>, String)>;
    let mut named: HashMap<TableKey, Written> = texts
        .iter()
        .map(|(k, t)| (k.clone(), t.foreign_keys.clone()))
        .collect();
    for ((schema, table_name, _), mut cols) in fks {
        cols.sort_by_key(|c| c.3);
        let ref_table = cols[0].4.clone();
        let (on_update, on_delete) = (cols[0].7.clone(), cols[0].8.clone());
        let columns: Vec<String> = cols.iter().map(|c| c.5.clone()).collect();
        let mut ref_columns: Vec<String> = cols.iter().filter_map(|c| c.6.clone()).collect();
        if ref_columns.len() != columns.len() {
            ref_columns = primary_keys
                .get(&(schema.clone(), ref_table.clone()))
                .map(|k| k.iter().map(|(_, name, _)| name.clone()).collect())
                .unwrap_or_default();
        }
        let name = named
            .get_mut(&(schema.clone(), table_name.clone()))
            .and_then(|written| {
                let at = written.iter().position(|(_, c, t)| {
                    same_names(c, &columns) && t.eq_ignore_ascii_case(&ref_table)
                })?;
                written.remove(at).0
            });
        if let Some(table) = tables.existing(&schema, &table_name) {
            table.foreign_keys.push(LiveForeignKey {
                name,
                columns,
                ref_schema: schema.clone(),
                ref_table,
                ref_columns,
                on_delete,
                on_update,
                deferred: false,
            });
        }
    }

    for ((schema, table_name), text) in &texts {
        if let Some(table) = tables.existing(schema, table_name) {
            table.checks = text
                .checks
                .iter()
                .map(|(name, expr)| LiveCheck {
                    name: name.clone(),
                    expr: expr.clone(),
                })
                .collect();
        }
    }
    Ok(tables.finish("main".to_owned()))
}
