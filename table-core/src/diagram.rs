//! Entity-relationship diagrams: the models for one dialect ([`Models::diagram`]), or what
//! a live database holds ([`LiveSchema::diagram`]), as Mermaid `erDiagram` text (renders on
//! GitHub, in mdBook and most wikis) or Graphviz DOT. Pure, like `ddl.rs`: no database.
//!
//! Both sources become one [`Diagram`] value first, so the two renderers never know where
//! the tables came from, and a model diagram and a live one of the same database compare
//! line by line where the catalog spells types the same way.
//!
//! ```
//! use sqlx_table::{Dialect, Models, Table};
//!
//! #[derive(Table)]
//! struct Author {
//!     #[table(primary_key)]
//!     id: i64,
//! }
//!
//! #[derive(Table)]
//! struct Book {
//!     #[table(primary_key)]
//!     id: i64,
//!     #[table(references = Author)]
//!     author_id: i64,
//! }
//!
//! let schema = Models::new([&Book::DEF, &Author::DEF]).unwrap();
//! let mermaid = schema.diagram(Dialect::Postgres).mermaid();
//! assert!(mermaid.contains(r#""author" ||..o{ "book" : "author_id""#));
//! ```

use std::fmt::Write as _;

use crate::def::TableDef;
use crate::dialect::Dialect;
use crate::live::{LiveSchema, LiveTable};
use crate::schema::Models;

/// Tables, their columns and the foreign keys between them, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    entities: Vec<Entity>,
    relations: Vec<Relation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entity {
    /// `schema.name` outside the default schema, else `name`.
    name: String,
    attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Attribute {
    name: String,
    ty: String,
    nullable: bool,
    primary: bool,
    foreign: bool,
    /// Alone in a unique constraint (a composite unique marks no column).
    unique: bool,
    comment: Option<String>,
}

/// One foreign key, drawn from the referenced table (the parent) to the child.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Relation {
    parent: String,
    child: String,
    columns: Vec<String>,
    /// Every referencing column is NOT NULL: each child row has exactly one parent.
    parent_required: bool,
    /// The referencing columns are the child's primary key or a unique constraint: a
    /// parent has at most one child.
    child_unique: bool,
    /// The referencing columns are part of the child's primary key (Mermaid's solid line).
    identifying: bool,
}

impl Models {
    /// The diagram of these models, with each column's type as `dialect` writes it.
    pub fn diagram(&self, dialect: Dialect) -> Diagram {
        let mut tables: Vec<&TableDef> = self.tables().collect();
        tables.sort_by_key(|t| t.qualified_name());
        let entities = tables.iter().map(|t| model_entity(t, dialect)).collect();
        let relations = tables
            .iter()
            .flat_map(|t| {
                t.foreign_keys.iter().map(move |fk| {
                    let nullable = fk
                        .columns
                        .iter()
                        .any(|c| t.column(c).is_none_or(|c| c.nullable));
                    let same = |cols: &[&str]| same_set(cols, fk.columns);
                    Relation {
                        parent: match fk.ref_schema {
                            Some(s) => format!("{s}.{}", fk.ref_table),
                            None => fk.ref_table.to_owned(),
                        },
                        child: t.qualified_name(),
                        columns: fk.columns.iter().map(|c| (*c).to_owned()).collect(),
                        parent_required: !nullable,
                        child_unique: same(t.primary_key)
                            || t.uniques.iter().any(|u| same(u.columns)),
                        identifying: fk.columns.iter().all(|c| t.primary_key.contains(c)),
                    }
                })
            })
            .collect();
        Diagram {
            entities,
            relations: sorted(relations),
        }
    }
}

fn model_entity(table: &TableDef, dialect: Dialect) -> Entity {
    let attributes = table
        .columns
        .iter()
        .map(|c| Attribute {
            name: c.name.to_owned(),
            ty: dialect.column_sql_type(c),
            nullable: c.nullable,
            primary: table.primary_key.contains(&c.name),
            foreign: table
                .foreign_keys
                .iter()
                .any(|fk| fk.columns.contains(&c.name)),
            unique: table.uniques.iter().any(|u| u.columns == [c.name]),
            comment: c.comment.map(first_line),
        })
        .collect();
    Entity {
        name: table.qualified_name(),
        attributes,
    }
}

impl LiveSchema {
    /// The diagram of what the database holds, with each column's type as its catalog
    /// spells it. Tables outside the default schema are named `schema.name`, as models are.
    pub fn diagram(&self) -> Diagram {
        let name = |schema: &str, table: &str| {
            if schema == self.default_schema {
                table.to_owned()
            } else {
                format!("{schema}.{table}")
            }
        };
        let mut tables: Vec<&LiveTable> = self.tables.iter().collect();
        tables.sort_by_key(|t| name(&t.schema, &t.name));
        let entities = tables
            .iter()
            .map(|t| live_entity(t, name(&t.schema, &t.name)))
            .collect();
        let relations = tables
            .iter()
            .flat_map(|t| {
                let pk: Vec<&str> = t
                    .primary_key
                    .iter()
                    .flat_map(|k| k.columns.iter().map(String::as_str))
                    .collect();
                t.foreign_keys.iter().map(move |fk| {
                    let columns: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
                    let unique = |key: &[String]| {
                        let key: Vec<&str> = key.iter().map(String::as_str).collect();
                        same_set(&key, &columns)
                    };
                    Relation {
                        parent: name(&fk.ref_schema, &fk.ref_table),
                        child: name(&t.schema, &t.name),
                        columns: fk.columns.clone(),
                        parent_required: fk
                            .columns
                            .iter()
                            .all(|c| t.column(c).is_some_and(|c| !c.nullable)),
                        child_unique: (!pk.is_empty() && same_set(&pk, &columns))
                            || t.uniques.iter().any(|u| unique(&u.columns)),
                        identifying: columns.iter().all(|c| pk.contains(c)),
                    }
                })
            })
            .collect();
        Diagram {
            entities,
            relations: sorted(relations),
        }
    }
}

fn live_entity(table: &LiveTable, name: String) -> Entity {
    let pk: &[String] = table.primary_key.as_ref().map_or(&[], |k| &k.columns);
    let attributes = table
        .columns
        .iter()
        .map(|c| Attribute {
            name: c.name.clone(),
            ty: c.data_type.clone(),
            nullable: c.nullable,
            primary: pk.contains(&c.name),
            foreign: table
                .foreign_keys
                .iter()
                .any(|fk| fk.columns.contains(&c.name)),
            unique: table
                .uniques
                .iter()
                .any(|u| u.columns.len() == 1 && u.columns[0] == c.name),
            comment: c.comment.as_deref().map(first_line),
        })
        .collect();
    Entity { name, attributes }
}

/// Relationships in one order whatever the source: a catalog lists foreign keys by name,
/// models in declaration order.
fn sorted(mut relations: Vec<Relation>) -> Vec<Relation> {
    relations
        .sort_by(|a, b| (&a.child, &a.columns, &a.parent).cmp(&(&b.child, &b.columns, &b.parent)));
    relations
}

fn same_set(a: &[&str], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().all(|c| b.contains(c))
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_owned()
}

impl Diagram {
    /// How many tables it draws.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether it draws no table.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Mermaid `erDiagram` text: one entity per table with its columns (`type name PK, FK,
    /// UK "comment"`), and one relationship per foreign key, from the referenced table to
    /// the referencing one, labelled with the referencing columns. Cardinality: the parent
    /// side is exactly one (`||`) when every referencing column is NOT NULL, else zero or
    /// one (`|o`); the child side is zero or one (`o|`) when the referencing columns are the
    /// child's primary key or a unique constraint, else zero or more (`o{`). The line is
    /// solid when the referencing columns are part of the child's primary key.
    ///
    /// Mermaid's grammar is narrow: table names are always quoted; a column name it can't
    /// read bare is written in backticks; a type becomes one word (`character varying(255)`
    /// is `character_varying(255)`). Characters it can't show in a name or comment (`"`,
    /// `` ` ``, line breaks) become `'`. Mermaid refuses a diagram longer than its
    /// `maxTextSize` setting (50 000 characters by default): draw a large
    /// schema with [`Diagram::dot`], or raise the setting where the diagram is rendered.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("erDiagram\n");
        for entity in &self.entities {
            let _ = writeln!(out, "    {} {{", entity_name(&entity.name));
            for a in &entity.attributes {
                let _ = write!(
                    out,
                    "        {} {}",
                    mermaid_type(&a.ty),
                    attribute_name(&a.name)
                );
                let keys: Vec<&str> = [(a.primary, "PK"), (a.foreign, "FK"), (a.unique, "UK")]
                    .into_iter()
                    .filter_map(|(on, key)| on.then_some(key))
                    .collect();
                if !keys.is_empty() {
                    let _ = write!(out, " {}", keys.join(", "));
                }
                if let Some(comment) = attribute_comment(a) {
                    let _ = write!(out, " \"{}\"", shown(&comment, &['"']));
                }
                out.push('\n');
            }
            out.push_str("    }\n");
        }
        for r in &self.relations {
            let parent = if r.parent_required { "||" } else { "|o" };
            let child = if r.child_unique { "o|" } else { "o{" };
            let line = if r.identifying { "--" } else { ".." };
            let _ = writeln!(
                out,
                "    {} {parent}{line}{child} {} : \"{}\"",
                entity_name(&r.parent),
                entity_name(&r.child),
                shown(&r.columns.join(", "), &['"'])
            );
        }
        out
    }

    /// Graphviz DOT text: one table-shaped node per table (a row per column, with its
    /// type and keys), one edge per foreign key from the referencing column to the
    /// referenced table, with crow's-foot ends of the same cardinality as [`Diagram::mermaid`].
    pub fn dot(&self) -> String {
        let mut out = String::from(
            "digraph schema {\n    graph [rankdir=LR];\n    node [shape=plain, fontname=\"Helvetica\"];\n    edge [dir=both, fontname=\"Helvetica\"];\n",
        );
        for entity in &self.entities {
            let _ = write!(
                out,
                "    {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">\n        <tr><td colspan=\"3\" bgcolor=\"lightgrey\"><b>{}</b></td></tr>\n",
                dot_id(&entity.name),
                html(&entity.name)
            );
            for (i, a) in entity.attributes.iter().enumerate() {
                let keys: Vec<&str> = [(a.primary, "PK"), (a.foreign, "FK"), (a.unique, "UK")]
                    .into_iter()
                    .filter_map(|(on, key)| on.then_some(key))
                    .collect();
                let null = if a.nullable { "?" } else { "" };
                let _ = writeln!(
                    out,
                    "        <tr><td port=\"c{i}\" align=\"left\">{}</td><td align=\"left\">{}{null}</td><td>{}</td></tr>",
                    html(&a.name),
                    html(&a.ty),
                    keys.join(", ")
                );
            }
            out.push_str("    </table>>];\n");
        }
        for r in &self.relations {
            let port = self
                .entities
                .iter()
                .find(|e| e.name == r.child)
                .and_then(|e| e.attributes.iter().position(|a| a.name == r.columns[0]))
                .map_or(String::new(), |i| format!(":c{i}"));
            let head = if r.parent_required {
                "teetee"
            } else {
                "teeodot"
            };
            let tail = if r.child_unique {
                "teeodot"
            } else {
                "crowodot"
            };
            let style = if r.identifying { "solid" } else { "dashed" };
            let _ = writeln!(
                out,
                "    {}{port} -> {} [arrowhead={head}, arrowtail={tail}, style={style}, label={}];",
                dot_id(&r.child),
                dot_id(&r.parent),
                dot_id(&r.columns.join(", "))
            );
        }
        out.push_str("}\n");
        out
    }
}

impl std::fmt::Display for Diagram {
    /// The Mermaid text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.mermaid())
    }
}

/// Nullability leads the comment: Mermaid has no mark for it.
fn attribute_comment(a: &Attribute) -> Option<String> {
    match (a.nullable, &a.comment) {
        (true, Some(c)) if !c.is_empty() => Some(format!("NULL: {c}")),
        (true, _) => Some("NULL".to_owned()),
        (false, Some(c)) if !c.is_empty() => Some(c.clone()),
        (false, _) => None,
    }
}

/// `text` with line breaks and each of `bad` replaced by `'`.
fn shown(text: &str, bad: &[char]) -> String {
    text.chars()
        .map(|c| {
            if bad.contains(&c) || c == '\n' || c == '\r' {
                '\''
            } else {
                c
            }
        })
        .collect()
}

/// Quoted: a quoted entity name may be any text but `"`, `%` and `\`, and a bare one could
/// be a keyword (`one`, `end`, `style`).
fn entity_name(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| match c {
            '"' | '\n' | '\r' => '\'',
            '%' | '\\' => '_',
            c => c,
        })
        .collect();
    format!("\"{name}\"")
}

/// Mermaid's attribute word: a letter, `_` or `*` first, then letters, digits and
/// `-_[]().,*`; non-ASCII letters count as letters.
fn is_attribute_word(word: &str) -> bool {
    let mut chars = word.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '*' || c >= '\u{C0}');
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || "-_[]().,*".contains(c) || c >= '\u{C0}')
}

/// A bare word where Mermaid reads one (and it isn't a key mark), else in backticks.
fn attribute_name(name: &str) -> String {
    let is_key = ["pk", "fk", "uk"].contains(&name.to_ascii_lowercase().as_str());
    if is_attribute_word(name) && !is_key {
        name.to_owned()
    } else {
        format!("`{}`", shown(name, &['`']))
    }
}

/// One attribute word: `DECIMAL(10, 2)` is `DECIMAL(10,2)`, `character varying(255)` is
/// `character_varying(255)`, `"char"` is `char`, and anything else Mermaid can't read is `_`.
fn mermaid_type(ty: &str) -> String {
    let mut out = String::with_capacity(ty.len());
    let mut chars = ty.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' if out.ends_with(',') || chars.peek() == Some(&'(') => {}
            // PostgreSQL's `"char"`, MySQL's `ENUM('a','b')`: the quotes are not part of the
            // names.
            '"' | '`' | '\'' => {}
            c if c.is_ascii_alphanumeric() || "-_[]().,*".contains(c) || c >= '\u{C0}' => {
                out.push(c)
            }
            _ => out.push('_'),
        }
    }
    if !is_attribute_word(&out) {
        out.insert(0, '_');
    }
    out
}

/// A DOT string: quoted, with `"` and `\` escaped.
fn dot_id(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Text inside a DOT HTML-like label.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_become_one_mermaid_word() {
        assert_eq!(mermaid_type("DECIMAL(10, 2)"), "DECIMAL(10,2)");
        assert_eq!(
            mermaid_type("character varying(255)"),
            "character_varying(255)"
        );
        assert_eq!(
            mermaid_type("timestamp (3) with time zone"),
            "timestamp(3)_with_time_zone"
        );
        assert_eq!(mermaid_type("enum('a','b')"), "enum(a,b)");
        assert_eq!(mermaid_type("2col"), "_2col");
        assert_eq!(mermaid_type("\"char\""), "char");
        assert_eq!(mermaid_type(""), "_");
    }

    #[test]
    fn names_mermaid_cant_read_bare_are_quoted() {
        assert_eq!(attribute_name("user_id"), "user_id");
        assert_eq!(attribute_name("pk"), "`pk`");
        assert_eq!(attribute_name("odd \"name\" `x`"), "`odd \"name\" 'x'`");
        assert_eq!(attribute_name("1st"), "`1st`");
        assert_eq!(entity_name("audit.events"), "\"audit.events\"");
        assert_eq!(entity_name("50%\\off"), "\"50__off\"");
    }
}
