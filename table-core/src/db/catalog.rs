//! The answers of the catalog and lock queries, typed.
//!
//! Each backend's query is one statement (one round trip) made of `UNION ALL`ed parts, so
//! every row has one shape, `(tag, schema, value)` as text, and its first column says
//! which part wrote it. The tags are the [`Tag`] enum: the backends write them with
//! [`Tag::sql`] and [`Answers::from_rows`] reads them back, so a kind of answer is named in
//! one place.

use std::collections::{HashMap, HashSet};

use crate::def::TableDef;

/// One row of a catalog or lock query: `(tag, schema, value)`.
pub type Row = (String, String, String);

/// What a row answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// `(tag, default schema or '' if there is none, the setting that chose it)`
    DefaultSchema,
    /// `(tag, schema, JSON array of table names)`: PostgreSQL and SQLite.
    Tables,
    /// `(tag, schema, table name)`: MySQL, whose `JSON_ARRAYAGG` is cut at
    /// `group_concat_max_len`.
    Table,
    /// `(tag, schema, JSON object of table name → array of column names)`: asked for when
    /// `create_all` looks for missing columns. MySQL writes one row per table (its
    /// `JSON_ARRAYAGG` is cut at `group_concat_max_len`, and a table's column names stay far
    /// below it); the others one row per schema.
    Columns,
    /// `(tag, schema, constraint name)`: a cycle-closing foreign key that exists.
    ForeignKey,
    /// `(tag, '', result)`: what the lock statement answered.
    Lock,
    /// `(tag, '', milliseconds)`: SQLite's `busy_timeout` before ours, to restore after.
    BusyTimeout,
    /// `(tag, '', n)`: whether the server compares table names without case (n ≠ 0):
    /// SQLite always, MySQL with `lower_case_table_names` 1 or 2.
    IgnoreCase,
    /// `(tag, schema, JSON array of [name, kind])`: objects that are not tables (views,
    /// sequences, indexes...), asked under the lock only, where a missing table is about to
    /// be created.
    Others,
    /// `(tag, '', n)`: how many locks one transaction of ours may take (PostgreSQL: a
    /// quarter of the server's shared lock table).
    LockBudget,
    /// `(tag, '', setting)`: PostgreSQL's `lock_timeout` before ours, to restore after in
    /// the caller's transaction.
    LockTimeout,
    /// `(tag, '', kind)`: the server is a node of a multi-master cluster whose lock is not
    /// the cluster's (`galera`: MariaDB with `wsrep_on`); empty otherwise.
    Cluster,
    /// `(tag, '', why)`: the server can't write (`hot standby`, `read-only transaction`);
    /// empty otherwise.
    ReadOnly,
    /// `(tag, '', n)`: how many warnings the statement before it raised (MySQL's
    /// `@@warning_count`): an idempotent statement that found its object already there.
    Warnings,
}

impl Tag {
    const ALL: [Tag; 14] = [
        Tag::LockBudget,
        Tag::LockTimeout,
        Tag::Cluster,
        Tag::ReadOnly,
        Tag::Warnings,
        Tag::DefaultSchema,
        Tag::Tables,
        Tag::Table,
        Tag::Columns,
        Tag::ForeignKey,
        Tag::Lock,
        Tag::BusyTimeout,
        Tag::IgnoreCase,
        Tag::Others,
    ];

    /// The text the query writes in the row's first column.
    pub(crate) const fn sql(self) -> &'static str {
        match self {
            Tag::DefaultSchema => "default",
            Tag::Tables => "tables",
            Tag::Table => "table",
            Tag::Columns => "columns",
            Tag::ForeignKey => "fk",
            Tag::Lock => "lock",
            Tag::BusyTimeout => "busy_timeout",
            Tag::IgnoreCase => "ignore_case",
            Tag::Others => "others",
            Tag::LockBudget => "lock_budget",
            Tag::Cluster => "cluster",
            Tag::ReadOnly => "read_only",
            Tag::Warnings => "warnings",
            Tag::LockTimeout => "lock_timeout",
        }
    }

    fn parse(text: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|tag| tag.sql() == text)
    }
}

/// The tables and cycle-closing foreign keys that a catalog query found, by schema.
#[derive(Debug, Default)]
pub struct Catalog {
    default_schema: String,
    /// The tables present, by schema.
    tables: HashMap<String, HashSet<String>>,
    /// The cycle-closing foreign keys present, by schema.
    foreign_keys: HashMap<String, HashSet<String>>,
    /// What chose the default schema (PostgreSQL's `search_path`), for messages.
    default_setting: String,
    /// Whether table names compare without case; `tables` then also holds each name in
    /// lower case.
    ignore_case: bool,
    /// Objects that are not tables, by schema: name (lower case if `ignore_case`) to kind.
    others: HashMap<String, HashMap<String, String>>,
    /// The column names of each table, by schema then table; empty unless asked for.
    /// A table whose list was unreadable has none here, and nothing is said missing.
    columns: HashMap<String, HashMap<String, Vec<String>>>,
}

impl Catalog {
    fn contains(
        &self,
        map: &HashMap<String, HashSet<String>>,
        table: &TableDef,
        name: &str,
    ) -> bool {
        let schema = table.schema.unwrap_or(&self.default_schema);
        map.get(schema).is_some_and(|names| names.contains(name))
    }

    /// The setting that chose the default schema, when there is no default schema (an
    /// empty name): PostgreSQL's `search_path` naming no schema that exists, a MySQL URL
    /// without a database.
    pub(crate) fn missing_default_schema(&self) -> Option<&str> {
        self.default_schema
            .is_empty()
            .then_some(self.default_setting.as_str())
    }

    /// Whether the table exists. Where names compare without case, the lower-case name is
    /// looked up only when the name as written is not found: a warm start allocates nothing.
    pub(crate) fn has_table(&self, table: &TableDef) -> bool {
        self.contains(&self.tables, table, table.name)
            || (self.ignore_case && self.contains(&self.tables, table, &table.name.to_lowercase()))
    }

    /// What kind of object other than a table holds the table's name, if one does (a view,
    /// a sequence, an index...): only known from the catalog read under the lock.
    pub(crate) fn other_object(&self, table: &TableDef) -> Option<&str> {
        let schema = table.schema.unwrap_or(&self.default_schema);
        let names = self.others.get(schema)?;
        names
            .get(table.name)
            .or_else(|| {
                self.ignore_case
                    .then(|| names.get(&table.name.to_lowercase()))
                    .flatten()
            })
            .map(String::as_str)
    }

    /// The columns `table` declares that the catalog's list of its columns lacks; empty when
    /// the table is absent or the catalog listed no columns for it (not asked, or
    /// unreadable). PostgreSQL names compare exactly; MySQL's and SQLite's without case, as
    /// those databases resolve them.
    pub(crate) fn missing_columns<'t>(
        &self,
        table: &'t TableDef,
        case_sensitive: bool,
    ) -> impl Iterator<Item = &'t str> + use<'t, '_> {
        let schema = table.schema.unwrap_or(&self.default_schema);
        let present = self
            .columns
            .get(schema)
            .and_then(|tables| tables.get(table.name))
            .filter(|_| self.has_table(table));
        table.columns.iter().map(|c| c.name).filter(move |name| {
            present.is_some_and(|cols| {
                !cols.iter().any(|c| {
                    if case_sensitive {
                        c == name
                    } else {
                        c.eq_ignore_ascii_case(name)
                    }
                })
            })
        })
    }

    /// Whether the foreign key `name` of `table` exists (only cycle-closing ones are asked).
    pub(crate) fn has_foreign_key(&self, table: &TableDef, name: &str) -> bool {
        self.contains(&self.foreign_keys, table, name)
    }
}

/// What the lock statement answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockState {
    /// Whether the lock is held. Only MySQL can say no without an error: `GET_LOCK` answers
    /// 0 when its wait runs out (and NULL, written -1, on an error).
    pub refused: bool,
    /// SQLite: the connection's `busy_timeout` before the lock set ours.
    pub previous_busy_timeout: Option<u64>,
    /// PostgreSQL: how many locks one transaction of ours may take.
    pub lock_budget: Option<usize>,
    /// PostgreSQL: whether the work was split into several transactions, under a session
    /// lock that the end of the sequence releases.
    pub split: bool,
    /// MariaDB: the server is a Galera node (`wsrep_on`), where `GET_LOCK` holds on that
    /// node only. The DDL is then run idempotently, one statement at a time.
    pub cluster: bool,
    /// Why the server can't write (PostgreSQL: `hot standby`), if it can't.
    pub read_only: Option<String>,
    /// Whether the sequence runs inside the caller's transaction (as a savepoint of it).
    pub in_transaction: bool,
    /// PostgreSQL, inside the caller's transaction: its `lock_timeout` before ours.
    pub previous_lock_timeout: Option<String>,
}

/// Everything a catalog or lock query answered.
#[derive(Debug, Default)]
pub(crate) struct Answers {
    pub(crate) catalog: Catalog,
    pub(crate) lock: LockState,
    /// The sum of the `warnings` rows.
    pub(crate) warnings: u64,
}

impl Answers {
    pub(crate) fn from_rows(rows: Vec<Row>) -> Answers {
        let mut answers = Answers::default();
        let catalog = &mut answers.catalog;
        for (tag, schema, value) in rows {
            match Tag::parse(&tag) {
                Some(Tag::DefaultSchema) => {
                    catalog.default_schema = schema;
                    catalog.default_setting = value;
                }
                Some(Tag::Tables) => {
                    // A JSON array of strings that the database wrote itself.
                    let names: Vec<String> = serde_json::from_str(&value).unwrap_or_else(|e| {
                        tracing::warn!(target: "sqlx_table", error = %e, "unreadable list of tables");
                        Vec::new()
                    });
                    catalog.tables.entry(schema).or_default().extend(names);
                }
                Some(Tag::Table) => {
                    catalog.tables.entry(schema).or_default().insert(value);
                }
                Some(Tag::Columns) => {
                    // A JSON object the database wrote itself; a table with no column
                    // (PostgreSQL allows one) is `null`.
                    let tables: HashMap<String, Option<Vec<String>>> =
                        serde_json::from_str(&value).unwrap_or_else(|e| {
                            tracing::warn!(target: "sqlx_table", error = %e, "unreadable list of columns");
                            HashMap::new()
                        });
                    let by_table = catalog.columns.entry(schema).or_default();
                    for (table, columns) in tables {
                        by_table.insert(table, columns.unwrap_or_default());
                    }
                }
                Some(Tag::ForeignKey) => {
                    catalog
                        .foreign_keys
                        .entry(schema)
                        .or_default()
                        .insert(value);
                }
                Some(Tag::Lock) => answers.lock.refused = value == "0" || value == "-1",
                Some(Tag::BusyTimeout) => {
                    answers.lock.previous_busy_timeout = value.parse().ok();
                }
                Some(Tag::LockBudget) => answers.lock.lock_budget = value.parse().ok(),
                Some(Tag::Cluster) => answers.lock.cluster = !value.is_empty(),
                Some(Tag::ReadOnly) => {
                    answers.lock.read_only = Some(value).filter(|why| !why.is_empty());
                }
                Some(Tag::Warnings) => answers.warnings += value.parse::<u64>().unwrap_or(1),
                Some(Tag::LockTimeout) => answers.lock.previous_lock_timeout = Some(value),
                Some(Tag::IgnoreCase) => catalog.ignore_case = !matches!(value.trim(), "" | "0"),
                Some(Tag::Others) => {
                    let objects: Vec<(String, String)> =
                        serde_json::from_str(&value).unwrap_or_else(|e| {
                            tracing::warn!(target: "sqlx_table", error = %e, "unreadable list of objects");
                            Vec::new()
                        });
                    catalog.others.entry(schema).or_default().extend(objects);
                }
                // Not ours: a statement of the batch that answers with rows of its own.
                None => {}
            }
        }
        if catalog.ignore_case {
            for names in catalog.tables.values_mut() {
                let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
                names.extend(lower);
            }
            for names in catalog.others.values_mut() {
                *names = names
                    .drain()
                    .map(|(name, kind)| (name.to_lowercase(), kind))
                    .collect();
            }
        }
        answers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_reads_back_as_itself() {
        for tag in Tag::ALL {
            assert_eq!(Tag::parse(tag.sql()), Some(tag));
        }
    }

    #[test]
    fn rows_become_tables_foreign_keys_and_lock_state() {
        let row = |t: Tag, s: &str, v: &str| (t.sql().to_owned(), s.to_owned(), v.to_owned());
        let answers = Answers::from_rows(vec![
            row(Tag::DefaultSchema, "public", ""),
            row(Tag::Tables, "public", r#"["users","voices"]"#),
            row(Tag::Table, "audit", "log"),
            row(Tag::ForeignKey, "public", "fk_users_voice_id"),
            row(
                Tag::Columns,
                "public",
                r#"{"users":["id","NAME"],"voices":null}"#,
            ),
            row(Tag::Columns, "audit", r#"{"log": ["id""#),
            row(Tag::Lock, "", "0"),
            row(Tag::BusyTimeout, "", "250"),
            row(Tag::Cluster, "", "galera"),
            row(Tag::ReadOnly, "", ""),
        ]);
        let users = TableDef::new("users", "User");
        let log = TableDef::new("log", "Log").with_schema(Some("audit"));
        assert!(answers.catalog.has_table(&users));
        assert!(answers.catalog.has_table(&TableDef::new("voices", "Voice")));
        assert!(!answers.catalog.has_table(&TableDef::new("notes", "Note")));
        assert!(answers.catalog.has_table(&log));
        assert!(answers.catalog.has_foreign_key(&users, "fk_users_voice_id"));
        assert!(!answers.catalog.has_foreign_key(&log, "fk_users_voice_id"));
        use crate::def::ColumnDef;
        use crate::types::SqlType;
        static COLS: [ColumnDef; 3] = [
            ColumnDef::new("id", SqlType::I64),
            ColumnDef::new("name", SqlType::Text { max_length: None }),
            ColumnDef::new("email", SqlType::Text { max_length: None }),
        ];
        let cols = &COLS;
        let users = users.with_columns(cols);
        let missing = |t: &TableDef, exact| -> Vec<String> {
            answers
                .catalog
                .missing_columns(t, exact)
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(missing(&users, false), ["email"]);
        assert_eq!(missing(&users, true), ["name", "email"]);
        // A table listed with no column misses them all; an unreadable list says nothing.
        assert_eq!(
            missing(&TableDef::new("voices", "Voice").with_columns(cols), true).len(),
            3
        );
        assert!(missing(&log.with_columns(cols), true).is_empty());
        assert!(missing(&TableDef::new("notes", "Note").with_columns(cols), true).is_empty());
        assert_eq!(
            answers.lock,
            LockState {
                refused: true,
                previous_busy_timeout: Some(250),
                cluster: true,
                ..LockState::default()
            }
        );
    }
}
