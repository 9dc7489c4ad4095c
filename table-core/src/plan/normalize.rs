//! Canonical spellings, so that what the models say and what a catalog says compare equal
//! when they mean the same thing.
//!
//! Each catalog writes types and defaults its own way: PostgreSQL's `format_type()` says
//! `character varying(255)` and `'x'::character varying`, MariaDB says `int(11)`,
//! `tinyint(1)` for a boolean and `curdate()`, and SQLite keeps the text of the `CREATE TABLE`.
//! Every such spelling is known in this one file, per dialect.
//!
//! Over 400 lines: every catalog's spellings in one place, on purpose, with their tests.

use crate::def::{Action, ColumnDef, DefaultValue};
use crate::dialect::Dialect;
use crate::types::SqlType;

/// The type of a model column, as the dialect's catalog spells it after [`canonical_type`].
/// More than one spelling where the backends of one dialect differ (MariaDB keeps `JSON` as
/// `longtext`, MySQL as `json`).
pub(crate) fn model_types(dialect: Dialect, ty: SqlType) -> Vec<String> {
    use SqlType as T;
    let fixed = |s: &str| vec![s.to_owned()];
    match dialect {
        Dialect::Postgres => match ty {
            T::Bool => fixed("boolean"),
            T::I8 => fixed("\"char\""),
            T::I16 => fixed("smallint"),
            T::I32 => fixed("integer"),
            T::I64 => fixed("bigint"),
            // Refused by validation; spelled as the renderer writes them all the same.
            T::U8 | T::U16 => fixed("smallint"),
            T::U32 => fixed("bigint"),
            T::U64 => fixed("numeric(20,0)"),
            T::F32 => fixed("real"),
            T::F64 => fixed("double precision"),
            T::Text {
                max_length: Some(n),
            } => vec![format!("character varying({n})")],
            T::Text { max_length: None } => fixed("text"),
            T::Bytes => fixed("bytea"),
            T::Uuid => fixed("uuid"),
            T::Date => fixed("date"),
            T::Time => fixed("time without time zone"),
            T::DateTime => fixed("timestamp without time zone"),
            T::DateTimeUtc | T::DateTimeOffset => fixed("timestamp with time zone"),
            T::Json => fixed("jsonb"),
            T::Decimal => fixed("numeric"),
            T::Inet => fixed("inet"),
            T::MacAddr => fixed("macaddr"),
            // `format_type()` writes an array as its element's type and `[]`.
            T::Array(element) => model_types(dialect, *element)
                .into_iter()
                .map(|e| format!("{e}[]"))
                .collect(),
            // The type's name, qualified where its schema is not on the search path.
            T::Enum(def) => match (def.repr.pg_type_name(), def.repr) {
                (Some((schema, name)), _) => match schema {
                    Some(schema) => vec![format!("{schema}.{name}"), name],
                    None => vec![name],
                },
                (None, crate::types::EnumRepr::Int { int, .. }) => model_types(dialect, *int),
                (None, crate::types::EnumRepr::Text { .. }) => Vec::new(),
            },
            T::Custom(sql) => vec![canonical_type(dialect, sql)],
        },
        Dialect::MySql => match ty {
            T::Bool => fixed("tinyint(1)"),
            T::I8 => fixed("tinyint"),
            T::I16 => fixed("smallint"),
            T::I32 => fixed("int"),
            T::I64 => fixed("bigint"),
            T::U8 => fixed("tinyint unsigned"),
            T::U16 => fixed("smallint unsigned"),
            T::U32 => fixed("int unsigned"),
            T::U64 => fixed("bigint unsigned"),
            T::F32 => fixed("float"),
            T::F64 => fixed("double"),
            T::Text {
                max_length: Some(n),
            } => vec![format!("varchar({n})")],
            T::Text { max_length: None } => fixed("longtext"),
            T::Bytes => fixed("longblob"),
            T::Uuid => fixed("binary(16)"),
            T::Date => fixed("date"),
            T::Time => fixed("time(6)"),
            T::DateTime | T::DateTimeUtc | T::DateTimeOffset => fixed("datetime(6)"),
            // MariaDB's JSON is an alias of LONGTEXT (with a json_valid CHECK).
            T::Json => vec!["json".to_owned(), "longtext".to_owned()],
            T::Decimal => fixed("decimal(65,30)"),
            // `COLUMN_TYPE` writes the values as the model does, quoted, after `enum(`.
            T::Enum(def) => match def.repr {
                crate::types::EnumRepr::Text { values, .. } => vec![format!(
                    "enum({})",
                    values
                        .iter()
                        .map(|v| Dialect::MySql.string_literal(v))
                        .collect::<Vec<_>>()
                        .join(",")
                )],
                crate::types::EnumRepr::Int { int, .. } => model_types(dialect, *int),
            },
            // Refused by validation; spelled as the renderer writes them all the same.
            T::Inet | T::MacAddr | T::Array(_) => fixed("longtext"),
            T::Custom(sql) => vec![canonical_type(dialect, sql)],
        },
        // SQLite keeps the declared text; the canonical form of what our DDL declares.
        Dialect::Sqlite => match ty {
            T::Bool => fixed("BOOLEAN"),
            T::I8 | T::I16 | T::I32 | T::I64 | T::U8 | T::U16 | T::U32 | T::U64 => fixed("INTEGER"),
            T::F32 | T::F64 => fixed("REAL"),
            T::Text { .. } | T::Json => fixed("TEXT"),
            T::Bytes | T::Uuid => fixed("BLOB"),
            T::Date => fixed("DATE"),
            T::Time => fixed("TIME"),
            T::DateTime | T::DateTimeUtc | T::DateTimeOffset => fixed("DATETIME"),
            T::Enum(def) => match def.repr {
                crate::types::EnumRepr::Text { .. } => fixed("TEXT"),
                crate::types::EnumRepr::Int { int, .. } => model_types(dialect, *int),
            },
            // Refused by validation; spelled as the renderer writes them all the same.
            T::Decimal => fixed("NUMERIC"),
            T::Inet | T::MacAddr | T::Array(_) => fixed("TEXT"),
            T::Custom(sql) => vec![canonical_type(dialect, sql)],
        },
    }
}

/// Whether the catalog's type `live` is the column's type on this backend: its own
/// `sql_type(<backend> = ...)`, its `precision`, or its [`SqlType`].
pub(crate) fn same_column_type(dialect: Dialect, column: &ColumnDef, live: &str) -> bool {
    match (dialect.effective_type(column), column.precision) {
        (ty @ SqlType::Custom(_), _) | (ty, None) => same_type(dialect, ty, live),
        (_, Some(_)) => {
            canonical_type(dialect, &dialect.column_sql_type(column))
                == canonical_type(dialect, live)
        }
    }
}

/// Whether the catalog's type `live` is the model's type `ty`.
pub(crate) fn same_type(dialect: Dialect, ty: SqlType, live: &str) -> bool {
    let models = model_types(dialect, ty);
    // What create_all made reads back in the catalog's spelling: no canonical form needed.
    if models.iter().any(|m| m == live) {
        return true;
    }
    let live = canonical_type(dialect, live);
    models.contains(&live)
}

/// One spacing: single spaces between words, none after `(` or `,` or before `(` and `)`.
fn tidy(sql: &str) -> String {
    let words = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    words
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", ", ",")
        .replace(" ,", ",")
}

/// A type as the dialect's catalog writes it: the aliases a person may write by hand
/// (`INT4`, `VARCHAR(20)`, `BOOL`, `DECIMAL(10, 2)`) become the catalog's own spelling.
pub(crate) fn canonical_type(dialect: Dialect, sql: &str) -> String {
    match dialect {
        Dialect::Postgres => {
            let t = tidy(&sql.to_lowercase());
            let (base, args) = split_args(&t);
            let with = |name: &str| match args {
                Some(a) => format!("{name}({a})"),
                None => name.to_owned(),
            };
            match base {
                "int" | "int4" | "integer" | "serial" | "serial4" => "integer".to_owned(),
                "int2" | "smallint" | "smallserial" | "serial2" => "smallint".to_owned(),
                "int8" | "bigint" | "bigserial" | "serial8" => "bigint".to_owned(),
                "float4" | "real" => "real".to_owned(),
                "float8" | "double precision" => "double precision".to_owned(),
                "bool" | "boolean" => "boolean".to_owned(),
                "varchar" | "character varying" => with("character varying"),
                "char" | "character" | "bpchar" => with("character"),
                "decimal" | "numeric" => match args {
                    Some(a) if !a.contains(',') => format!("numeric({a},0)"),
                    _ => with("numeric"),
                },
                "timestamp" | "timestamp without time zone" => match args {
                    Some(a) => format!("timestamp({a}) without time zone"),
                    None => "timestamp without time zone".to_owned(),
                },
                "timestamptz" | "timestamp with time zone" => match args {
                    Some(a) => format!("timestamp({a}) with time zone"),
                    None => "timestamp with time zone".to_owned(),
                },
                "time" | "time without time zone" => match args {
                    Some(a) => format!("time({a}) without time zone"),
                    None => "time without time zone".to_owned(),
                },
                "timetz" | "time with time zone" => match args {
                    Some(a) => format!("time({a}) with time zone"),
                    None => "time with time zone".to_owned(),
                },
                _ => t,
            }
        }
        Dialect::MySql => {
            let t = tidy(&sql.to_lowercase());
            let t = t.replace(" zerofill", "");
            let (t, unsigned) = match t.strip_suffix(" unsigned") {
                Some(rest) => (rest.to_owned(), " unsigned"),
                None => (t, ""),
            };
            let (base, args) = split_args(&t);
            let with = |name: &str| match args {
                Some(a) => format!("{name}({a})"),
                None => name.to_owned(),
            };
            let canonical = match base {
                "bool" | "boolean" => "tinyint(1)".to_owned(),
                // Display widths (`int(11)`) are not part of the type; `tinyint(1)` is how
                // the catalog says BOOLEAN.
                "tinyint" if args == Some("1") => "tinyint(1)".to_owned(),
                "tinyint" | "int1" => "tinyint".to_owned(),
                "smallint" | "int2" => "smallint".to_owned(),
                "mediumint" | "int3" => "mediumint".to_owned(),
                "int" | "integer" | "int4" => "int".to_owned(),
                "bigint" | "int8" => "bigint".to_owned(),
                "double" | "double precision" | "real" | "float8" => "double".to_owned(),
                "float4" => "float".to_owned(),
                "decimal" | "dec" | "numeric" | "fixed" => match args {
                    Some(a) if !a.contains(',') => format!("decimal({a},0)"),
                    Some(a) => format!("decimal({a})"),
                    None => "decimal(10,0)".to_owned(),
                },
                "character varying" | "varchar" => with("varchar"),
                "character" | "char" => with("char"),
                // No fractional digits is how the catalog writes zero of them.
                "datetime" | "time" | "timestamp" if args == Some("0") => base.to_owned(),
                _ => t.clone(),
            };
            format!("{canonical}{unsigned}")
        }
        Dialect::Sqlite => {
            let t = tidy(&sql.to_uppercase());
            match t.as_str() {
                "INT" => "INTEGER".to_owned(),
                _ => t,
            }
        }
    }
}

/// `varchar(20)` → (`varchar`, `Some("20")`).
fn split_args(t: &str) -> (&str, Option<&str>) {
    match (t.find('('), t.ends_with(')')) {
        (Some(open), true) => (&t[..open], Some(&t[open + 1..t.len() - 1])),
        _ => (t, None),
    }
}

/// The referential action a foreign key has on the dialect when `action` is what the model
/// says: `None` is the backend's default, and InnoDB's `NO ACTION` is `RESTRICT`.
pub(crate) fn model_action(dialect: Dialect, action: Option<Action>) -> &'static str {
    match (dialect, action) {
        (Dialect::MySql, None | Some(Action::NoAction | Action::Restrict)) => "RESTRICT",
        (Dialect::Postgres | Dialect::Sqlite, None) => "NO ACTION",
        (Dialect::Postgres | Dialect::Sqlite | Dialect::MySql, Some(action)) => action.as_sql(),
    }
}

/// A referential action as the catalog reports it, in the spelling of [`model_action`].
pub(crate) fn live_action(dialect: Dialect, live: &str) -> String {
    let live = tidy(&live.to_uppercase());
    match (dialect, live.as_str()) {
        (Dialect::MySql, "NO ACTION" | "RESTRICT" | "") => "RESTRICT".to_owned(),
        (Dialect::Postgres | Dialect::Sqlite, "") => "NO ACTION".to_owned(),
        (Dialect::Postgres | Dialect::Sqlite | Dialect::MySql, _) => live,
    }
}

/// The default a model column gets, in a spelling that [`loose`] turns into the same text
/// as the catalog's spelling of it.
pub(crate) fn model_default(dialect: Dialect, column: &ColumnDef, default: DefaultValue) -> String {
    use Dialect::*;
    match default {
        DefaultValue::Bool(b) => match dialect {
            // MySQL keeps BOOLEAN as TINYINT(1): TRUE is 1.
            MySql => if b { "1" } else { "0" }.to_owned(),
            Postgres | Sqlite => if b { "true" } else { "false" }.to_owned(),
        },
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Float(f) => format!("{f:?}"),
        // As pg_get_expr writes it under `standard_conforming_strings = on` (never `E''`),
        // which the live reader sets; the renderer's `E'...'` is the same value.
        DefaultValue::Str(s) if dialect == Postgres => format!("'{}'", s.replace('\'', "''")),
        DefaultValue::Str(s) => dialect.string_literal(s),
        DefaultValue::Sql(sql) => sql.to_owned(),
        DefaultValue::Now => match (dialect, now_of(column.ty)) {
            (MySql | Postgres | Sqlite, Now::Date) => "CURRENT_DATE".to_owned(),
            (MySql, Now::Time) => match column.precision {
                Some(0) => "CURRENT_TIME".to_owned(),
                digits => format!("CURRENT_TIME({})", digits.unwrap_or(6)),
            },
            (Postgres | Sqlite, Now::Time) => "CURRENT_TIME".to_owned(),
            (MySql, Now::Timestamp) => match column.precision {
                Some(0) => "CURRENT_TIMESTAMP".to_owned(),
                digits => format!("CURRENT_TIMESTAMP({})", digits.unwrap_or(6)),
            },
            (Postgres | Sqlite, Now::Timestamp) => "CURRENT_TIMESTAMP".to_owned(),
        },
        DefaultValue::Uuid => match dialect {
            Postgres => "gen_random_uuid()".to_owned(),
            MySql => "UNHEX(REPLACE(UUID(), '-', ''))".to_owned(),
            // As the renderer writes it: SQLite keeps the default's text as written.
            Sqlite => "(unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) \
                 || substr('89ab', 1 + (abs(random()) % 4), 1) \
                 || substr(hex(randomblob(8)), 2)))"
                .to_owned(),
        },
    }
}

/// Which current moment `default = now` means for a column type.
enum Now {
    Date,
    Time,
    Timestamp,
}

fn now_of(ty: SqlType) -> Now {
    use SqlType as T;
    match ty {
        T::Date => Now::Date,
        T::Time => Now::Time,
        // The derive allows `now` only on date and time fields; the others are listed so
        // that a new type must say what it is.
        T::DateTime
        | T::DateTimeUtc
        | T::DateTimeOffset
        | T::Bool
        | T::I8
        | T::I16
        | T::I32
        | T::I64
        | T::U8
        | T::U16
        | T::U32
        | T::U64
        | T::F32
        | T::F64
        | T::Text { .. }
        | T::Bytes
        | T::Uuid
        | T::Json
        | T::Decimal
        | T::Inet
        | T::MacAddr
        | T::Array(_)
        | T::Enum(_)
        | T::Custom(_) => Now::Timestamp,
    }
}

/// Whether a catalog default means "no default": absent, or a NULL literal (MariaDB keeps
/// `NULL` as text; PostgreSQL keeps `NULL::text` for a hand-written `DEFAULT NULL`).
pub(crate) fn is_no_default(live: Option<&str>) -> bool {
    live.is_none_or(|d| {
        let l = loose(d);
        l.is_empty() || l == "null"
    })
}

/// Whether two defaults are the same value: equal as [`loose`] text, or as numbers
/// (`1.5` and `'1.5'::numeric`, `-5` and `('-5'::integer)::"char"`).
pub(crate) fn same_default(dialect: Dialect, model: &str, live: &str) -> bool {
    if model == live {
        return true;
    }
    let (m, l) = (loose(model), loose(live));
    if m == l {
        return true;
    }
    // MySQL 8 keeps a literal default unquoted; MariaDB quotes it.
    if dialect.facts().loose_string_defaults
        && !live.trim_start().starts_with('\'')
        && unquote(&m).is_some_and(|inner| inner == live)
    {
        return true;
    }
    // MariaDB writes a quote in a literal as `\'`, the model as `''`: compare the values.
    if dialect.facts().loose_string_defaults
        && let (Some(a), Some(b)) = (mysql_string(model), mysql_string(live))
    {
        return a == b;
    }
    match (number(&m), number(&l)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The value of `s` if it is one MySQL string literal, in parentheses or not: `''` and the
/// backslash escapes read as MySQL reads them (without `NO_BACKSLASH_ESCAPES`).
fn mysql_string(s: &str) -> Option<String> {
    let mut t = s.trim();
    while let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        t = inner.trim();
    }
    let mut chars = t.strip_prefix('\'')?.chars();
    let mut value = String::new();
    loop {
        match chars.next()? {
            '\'' => match chars.next() {
                Some('\'') => value.push('\''),
                None => return Some(value),
                Some(_) => return None,
            },
            '\\' => match chars.next()? {
                '0' => value.push('\0'),
                'n' => value.push('\n'),
                'r' => value.push('\r'),
                't' => value.push('\t'),
                'b' => value.push('\u{8}'),
                'Z' => value.push('\u{1a}'),
                // MySQL keeps the backslash of `\%` and `\_` (LIKE patterns).
                c @ ('%' | '_') => {
                    value.push('\\');
                    value.push(c);
                }
                c => value.push(c),
            },
            c => value.push(c),
        }
    }
}

/// Whether two boolean expressions (checks, index predicates) read the same after [`loose`].
pub(crate) fn same_expression(model: &str, live: &str) -> bool {
    loose(model) == loose(live)
}

/// Whether the catalog's text of an expression is beyond a textual comparison: PostgreSQL
/// rewrites `IN (...)` as `= ANY (ARRAY[...])` and `LIKE` as `~~`.
pub(crate) fn rewritten_by_database(live: &str) -> bool {
    let l = loose(live);
    l.contains("any(array[") || l.contains("anyarray[") || l.contains("~~") || l.is_empty()
}

/// The number a loose default spells, quoted or not.
fn number(s: &str) -> Option<f64> {
    let s = unquote(s).unwrap_or(s);
    s.parse::<f64>().ok()
}

/// The inside of `'...'`, if `s` is one literal with no quote inside.
fn unquote(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.contains('\'')).then_some(inner)
}

/// SQL text in a form where the catalogs' rewritings vanish: outside string literals, lower
/// case, no whitespace, no identifier quotes, no parentheses, no `::type` casts, and the
/// functions that name the current time in one spelling. String literals are kept as
/// written. Loose on purpose: `(a)` and `a` are the same, and so might be texts that differ
/// only in grouping, which a catalog never changes the meaning of.
pub(crate) fn loose(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let mut literal = String::from('\'');
                while let Some(c) = chars.next() {
                    literal.push(c);
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            literal.push(chars.next().unwrap_or('\''));
                        } else {
                            break;
                        }
                    }
                }
                // PostgreSQL writes a number it casts as a quoted literal: `'-1'::integer`.
                match unquote(&literal).filter(|n| n.parse::<f64>().is_ok()) {
                    Some(number) => out.push_str(number),
                    None => out.push_str(&literal),
                }
            }
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                // The type of a cast: words, a quoted name, `(n,m)` and `[]`.
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                let mut depth = 0;
                while let Some(&c) = chars.peek() {
                    let part_of_type = c.is_alphanumeric()
                        || c == '_'
                        || c == '"'
                        || c == '['
                        || c == ']'
                        || (c == '(' && depth == 0)
                        || (depth > 0)
                        || (c == ' ' && type_continues(&mut chars.clone()));
                    if !part_of_type {
                        break;
                    }
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    chars.next();
                }
            }
            '"' | '`' => {}
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    let out = out
        .replace("current_timestamp()", "current_timestamp")
        .replace("now()", "current_timestamp")
        .replace("curdate()", "current_date")
        .replace("curtime(", "current_time(")
        .replace("current_date()", "current_date");
    without_parentheses(&out)
}

/// `text` without the parentheses outside its string literals.
fn without_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_literal = false;
    for c in text.chars() {
        match c {
            '\'' => {
                // A doubled quote inside a literal closes and reopens it: the same text.
                in_literal = !in_literal;
                out.push(c);
            }
            '(' | ')' if !in_literal => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a space inside a cast's type is followed by more of the type (`character varying`,
/// `time with time zone`), not by the rest of the expression.
fn type_continues(rest: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    rest.next();
    let word: String = rest
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    matches!(
        word.as_str(),
        "varying" | "precision" | "with" | "without" | "time" | "zone"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_casts_and_quotes_vanish() {
        assert_eq!(loose("'x'::character varying"), "'x'");
        assert_eq!(loose("('-5'::integer)::\"char\""), "-5");
        assert_eq!(
            loose("(ratio > ('-1'::integer)::double precision)"),
            "ratio>-1"
        );
        assert_eq!(loose("'{}'::jsonb"), "'{}'");
        assert_eq!(loose("(big >= small)"), "big>=small");
        assert_eq!(loose("`big` >= `small`"), "big>=small");
        assert_eq!(loose("'it''s \"new\"'::text"), "'it''s \"new\"'");
        assert_eq!(loose("'a'::timestamp without time zone"), "'a'");
        assert_eq!(loose("x::character varying = 'A B'"), "x='A B'");
    }

    #[test]
    fn current_time_has_one_spelling() {
        assert_eq!(loose("now()"), loose("CURRENT_TIMESTAMP"));
        assert_eq!(loose("current_timestamp()"), loose("CURRENT_TIMESTAMP"));
        assert_eq!(loose("curdate()"), loose("(CURRENT_DATE)"));
        assert_eq!(loose("curtime(6)"), loose("(CURRENT_TIME(6))"));
    }

    #[test]
    fn mysql_string_defaults_compare_as_values() {
        let my = Dialect::MySql;
        assert!(same_default(my, "('it''s a\\\\b')", "'it\\'s a\\\\b'"));
        assert!(same_default(my, "'a'", "'a'"));
        assert!(!same_default(my, "('it''s')", "'it\\'s!'"));
        assert_eq!(mysql_string("'x' || 'y'"), None);
    }

    #[test]
    fn numbers_compare_as_numbers() {
        assert!(same_default(Dialect::Postgres, "-0.25", "'-0.25'::numeric"));
        assert!(same_default(
            Dialect::Postgres,
            "-5",
            "('-5'::integer)::\"char\""
        ));
        assert!(!same_default(Dialect::Postgres, "7", "8"));
        assert!(same_default(Dialect::MySql, "'uploading'", "uploading"));
    }

    #[test]
    fn hand_written_type_aliases_are_the_catalog_spelling() {
        assert_eq!(canonical_type(Dialect::Postgres, "INT4"), "integer");
        assert_eq!(
            canonical_type(Dialect::Postgres, "VARCHAR(20)"),
            "character varying(20)"
        );
        assert_eq!(
            canonical_type(Dialect::Postgres, "DECIMAL(10, 2)"),
            "numeric(10,2)"
        );
        assert_eq!(
            canonical_type(Dialect::Postgres, "timestamptz"),
            "timestamp with time zone"
        );
        assert_eq!(canonical_type(Dialect::MySql, "int(11)"), "int");
        assert_eq!(
            canonical_type(Dialect::MySql, "int(10) unsigned"),
            "int unsigned"
        );
        assert_eq!(canonical_type(Dialect::MySql, "BOOLEAN"), "tinyint(1)");
        assert_eq!(canonical_type(Dialect::MySql, "tinyint(4)"), "tinyint");
        assert_eq!(
            canonical_type(Dialect::MySql, "DECIMAL(10, 2)"),
            "decimal(10,2)"
        );
        assert_eq!(
            canonical_type(Dialect::Sqlite, "decimal(10,  2)"),
            "DECIMAL(10,2)"
        );
        assert!(same_type(Dialect::MySql, SqlType::Json, "longtext"));
        assert!(same_type(Dialect::MySql, SqlType::Bool, "tinyint(1)"));
        assert!(!same_type(Dialect::MySql, SqlType::I8, "tinyint(1)"));
    }
}
