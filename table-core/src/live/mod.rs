//! The live database's schema, as its own catalog describes it.
//!
//! This is what `plan` compares the models with. Everything here is read from the
//! database, never from the models, and kept in the database's own spelling: a column's
//! type is `character varying(255)` on PostgreSQL, `varchar(255)` on MySQL and whatever the
//! `CREATE TABLE` said on SQLite. Comparing those spellings with the models' is the job of
//! the plan, not of this module.

/// Every table of the schemas that a set of models uses, read with a bounded number of
/// catalog queries, whatever the number of tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveSchema {
    /// The connection's default schema: PostgreSQL's `current_schema()`, MySQL's
    /// `DATABASE()`, SQLite's `main`.
    pub default_schema: String,
    /// The tables, sorted by schema and name.
    pub tables: Vec<LiveTable>,
}

impl LiveSchema {
    /// The table `name` in `schema` (`None`: the default schema).
    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<&LiveTable> {
        let schema = schema.unwrap_or(&self.default_schema);
        self.tables
            .iter()
            .find(|t| t.schema == schema && t.name == name)
    }
}

/// One table as the catalog describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveTable {
    /// The schema (PostgreSQL), database (MySQL) or attached database (SQLite) holding it.
    pub schema: String,
    /// The table's name.
    pub name: String,
    /// The table comment (PostgreSQL, MySQL); `None` when there is none.
    pub comment: Option<String>,
    /// The columns, in their order in the table.
    pub columns: Vec<LiveColumn>,
    /// The primary key, if the table has one.
    pub primary_key: Option<LiveKey>,
    /// Unique constraints (on SQLite: the unique constraints written in `CREATE TABLE`).
    pub uniques: Vec<LiveKey>,
    /// Indexes that are not the own index of the primary key or of a unique constraint.
    pub indexes: Vec<LiveIndex>,
    /// Foreign keys.
    pub foreign_keys: Vec<LiveForeignKey>,
    /// Check constraints.
    pub checks: Vec<LiveCheck>,
}

impl LiveTable {
    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&LiveColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveColumn {
    /// The column's name.
    pub name: String,
    /// The type as the catalog spells it: `format_type()` on PostgreSQL (`integer`,
    /// `character varying(255)`), `COLUMN_TYPE` on MySQL (`int(11)`, `varchar(255)`), the
    /// declared type on SQLite (`INTEGER`, as written).
    pub data_type: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The default as the catalog keeps its text (`'x'::character varying`,
    /// `current_timestamp()`, `'uploading'`), or `None`.
    pub default: Option<String>,
    /// Whether the database numbers new rows: an identity column (PostgreSQL),
    /// `AUTO_INCREMENT` (MySQL), `INTEGER PRIMARY KEY AUTOINCREMENT` (SQLite).
    pub auto_increment: bool,
    /// The column comment (PostgreSQL, MySQL).
    pub comment: Option<String>,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveKey {
    /// The constraint's name; `None` where the catalog keeps none (SQLite).
    pub name: Option<String>,
    /// The columns, in key order.
    pub columns: Vec<String>,
}

/// An index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveIndex {
    /// The index's name.
    pub name: String,
    /// The indexed columns or expressions, in order.
    pub parts: Vec<LiveIndexPart>,
    /// Whether the index is unique.
    pub unique: bool,
    /// The predicate of a partial index (`WHERE ...`), as the catalog writes it.
    pub predicate: Option<String>,
}

/// One column (or expression) of an index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveIndexPart {
    /// The column's name, or the expression's text for an expression index.
    pub column: String,
    /// Whether this part is an expression rather than a plain column.
    pub expression: bool,
    /// Whether the part is sorted in descending order.
    pub descending: bool,
}

/// A foreign key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveForeignKey {
    /// The constraint's name; `None` where the catalog keeps none (SQLite, for a foreign key
    /// written without `CONSTRAINT name`).
    pub name: Option<String>,
    /// The referencing columns of this table.
    pub columns: Vec<String>,
    /// The schema of the referenced table.
    pub ref_schema: String,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns, in the order of `columns`.
    pub ref_columns: Vec<String>,
    /// `ON DELETE`, as SQL (`CASCADE`, `SET NULL`, `NO ACTION`...).
    pub on_delete: String,
    /// `ON UPDATE`, as SQL.
    pub on_update: String,
}

/// A check constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveCheck {
    /// The constraint's name; `None` where the catalog keeps none.
    pub name: Option<String>,
    /// The boolean expression, as the catalog writes it.
    pub expr: String,
}
