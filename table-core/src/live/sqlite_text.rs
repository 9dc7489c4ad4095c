//! What SQLite keeps only in the text of its `CREATE TABLE` and `CREATE INDEX` statements:
//! constraint names, check expressions, `AUTOINCREMENT`, the expressions and predicate of an
//! index. A small tokenizer that knows SQLite's quoting and comments finds them, so that a
//! `)` or a keyword inside a string literal or a quoted name is never taken for syntax.
//!
//! The text was accepted by SQLite, but nothing here assumes it is well formed: odd input
//! yields fewer facts, never a panic.
//!
//! Over 400 lines: one tokenizer and the readers of `CREATE TABLE` and `CREATE INDEX` text
//! built on it, which share its token stream.

/// What a token is, as far as finding constraints needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A bare word: keyword, name or number.
    Word,
    /// `"name"`, `` `name` `` or `[name]`.
    Quoted,
    /// `'text'`.
    Str,
    Open,
    Close,
    Comma,
    /// Any other character (operators, `;`, `.`).
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: Kind,
    text: &'a str,
    start: usize,
    end: usize,
}

impl Token<'_> {
    fn is(&self, keyword: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(keyword)
    }

    /// The name this token spells, without quotes.
    fn ident(&self) -> String {
        let inner = |close: char| {
            let body = &self.text[1..];
            let body = body.strip_suffix(close).unwrap_or(body);
            let doubled = format!("{close}{close}");
            body.replace(&doubled, &close.to_string())
        };
        match self.kind {
            Kind::Quoted | Kind::Str => match self.text.as_bytes()[0] {
                b'[' => inner(']'),
                b'`' => inner('`'),
                b'\'' => inner('\''),
                _ => inner('"'),
            },
            _ => self.text.to_owned(),
        }
    }
}

fn tokenize(sql: &str) -> Vec<Token<'_>> {
    let bytes = sql.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    // The end of a quoted run that starts at `i` and closes with `close`, where a doubled
    // `close` is an escaped one (except inside brackets, which have no escape).
    let quoted_end = |start: usize, close: u8, doubles: bool| {
        let mut j = start + 1;
        while j < bytes.len() {
            if bytes[j] == close {
                if doubles && bytes.get(j + 1) == Some(&close) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j += 1;
        }
        bytes.len()
    };
    while i < bytes.len() {
        let b = bytes[i];
        let (kind, end) = match b {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                continue;
            }
            b'\'' => (Kind::Str, quoted_end(i, b'\'', true)),
            b'"' => (Kind::Quoted, quoted_end(i, b'"', true)),
            b'`' => (Kind::Quoted, quoted_end(i, b'`', true)),
            b'[' => (Kind::Quoted, quoted_end(i, b']', false)),
            b'(' => (Kind::Open, i + 1),
            b')' => (Kind::Close, i + 1),
            b',' => (Kind::Comma, i + 1),
            b if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 => {
                let mut j = i + 1;
                while j < bytes.len()
                    && (bytes[j].is_ascii_alphanumeric()
                        || bytes[j] == b'_'
                        || bytes[j] == b'$'
                        || bytes[j] >= 0x80)
                {
                    j += 1;
                }
                (Kind::Word, j)
            }
            _ => {
                // One character, whole: `sql` is UTF-8 and multi-byte ones are words above.
                (Kind::Other, i + 1)
            }
        };
        tokens.push(Token {
            kind,
            text: &sql[i..end],
            start: i,
            end,
        });
        i = end;
    }
    tokens
}

/// The index of the `)` that closes the `(` at `open`, or the end.
fn matching_close(tokens: &[Token<'_>], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The comma-separated items between the `(` at `open` and its `)`, and that `)`'s index.
fn items<'t, 'a>(tokens: &'t [Token<'a>], open: usize) -> (Vec<&'t [Token<'a>]>, usize) {
    let close = matching_close(tokens, open);
    let inner = &tokens[(open + 1).min(close)..close];
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in inner.iter().enumerate() {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Comma if depth == 0 => {
                out.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < inner.len() {
        out.push(&inner[start..]);
    }
    (out, close)
}

/// The source text from the first to the last token of a run.
fn text_of(sql: &str, run: &[Token<'_>]) -> String {
    match (run.first(), run.last()) {
        (Some(first), Some(last)) => sql[first.start..last.end].to_owned(),
        _ => String::new(),
    }
}

/// The column names of a `(a, b DESC, ...)` list at `open`, and the index after its `)`.
fn name_list(tokens: &[Token<'_>], open: usize) -> (Vec<String>, usize) {
    if tokens.get(open).is_none_or(|t| t.kind != Kind::Open) {
        return (Vec::new(), open);
    }
    let (list, close) = items(tokens, open);
    let names = list
        .iter()
        .filter_map(|item| item.first().map(Token::ident))
        .collect();
    (names, close + 1)
}

/// Named facts of a `CREATE TABLE` statement.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct TableText {
    /// `CONSTRAINT name PRIMARY KEY`'s name.
    pub primary_key_name: Option<String>,
    /// Unique constraints: name (if written) and columns.
    pub uniques: Vec<(Option<String>, Vec<String>)>,
    /// Foreign keys: name (if written), columns, referenced table.
    pub foreign_keys: Vec<(Option<String>, Vec<String>, String)>,
    /// Checks: name (if written) and the expression as written.
    pub checks: Vec<(Option<String>, String)>,
    /// The column declared `PRIMARY KEY AUTOINCREMENT`.
    pub autoincrement: Option<String>,
    /// Whether the table is `WITHOUT ROWID`.
    pub without_rowid: bool,
}

const TABLE_CONSTRAINTS: [&str; 5] = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

/// Reads the constraints of a `CREATE TABLE` statement.
pub(crate) fn parse_table(sql: &str) -> TableText {
    let tokens = tokenize(sql);
    let mut out = TableText::default();
    let Some(open) = tokens.iter().position(|t| t.kind == Kind::Open) else {
        return out;
    };
    // CREATE TABLE ... AS SELECT has no column definitions to read.
    if tokens[..open].iter().any(|t| t.is("AS")) {
        return out;
    }
    let (defs, close) = items(&tokens, open);
    for def in defs {
        let Some(first) = def.first() else { continue };
        if TABLE_CONSTRAINTS.iter().any(|k| first.is(k)) {
            constraints(sql, def, None, &mut out);
        } else {
            let column = first.ident();
            if def.iter().any(|t| t.is("AUTOINCREMENT")) {
                out.autoincrement = Some(column.clone());
            }
            constraints(sql, &def[1..], Some(&column), &mut out);
        }
    }
    let options = tokens.get(close + 1..).unwrap_or_default();
    out.without_rowid = options
        .windows(2)
        .any(|w| w[0].is("WITHOUT") && w[1].is("ROWID"));
    out
}

/// Reads the constraints of one column definition (after its name) or table constraint.
fn constraints(sql: &str, tokens: &[Token<'_>], column: Option<&str>, out: &mut TableText) {
    let own = || column.map(|c| vec![c.to_owned()]).unwrap_or_default();
    let mut name: Option<String> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.is("CONSTRAINT") {
            name = tokens.get(i + 1).map(Token::ident);
            i += 2;
        } else if t.is("PRIMARY") {
            out.primary_key_name = name.take();
            i += 2; // PRIMARY KEY
            if column.is_none() {
                i = name_list(tokens, i).1;
            }
        } else if t.is("UNIQUE") {
            let columns = if column.is_some() {
                i += 1;
                own()
            } else {
                let (columns, next) = name_list(tokens, i + 1);
                i = next;
                columns
            };
            out.uniques.push((name.take(), columns));
        } else if t.is("CHECK") {
            if tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Open) {
                let close = matching_close(tokens, i + 1);
                let expr = text_of(sql, &tokens[(i + 2).min(close)..close]);
                out.checks.push((name.take(), expr));
                i = close + 1;
            } else {
                i += 1;
            }
        } else if t.is("FOREIGN") {
            let (columns, next) = name_list(tokens, i + 2);
            if tokens.get(next).is_some_and(|t| t.is("REFERENCES")) {
                if let Some(table) = tokens.get(next + 1) {
                    out.foreign_keys.push((name.take(), columns, table.ident()));
                }
                i = next + 2;
            } else {
                i = next;
            }
        } else if t.is("REFERENCES") {
            if let Some(table) = tokens.get(i + 1) {
                out.foreign_keys.push((name.take(), own(), table.ident()));
            }
            i += 2;
        } else if t.kind == Kind::Open {
            // A type's size, a DEFAULT (expr), a referenced column list: nothing to read.
            i = matching_close(tokens, i) + 1;
        } else {
            if ["NOT", "NULL", "DEFAULT", "COLLATE", "GENERATED", "AS"]
                .iter()
                .any(|k| t.is(k))
            {
                // `CONSTRAINT name NOT NULL`: the name was this constraint's.
                name = None;
            }
            i += 1;
        }
    }
}

/// The key parts of a `CREATE INDEX` statement as written (without `COLLATE` and
/// `ASC`/`DESC`), and its `WHERE` predicate.
pub(crate) fn parse_index(sql: &str) -> (Vec<String>, Option<String>) {
    let tokens = tokenize(sql);
    let Some(open) = tokens.iter().position(|t| t.kind == Kind::Open) else {
        return (Vec::new(), None);
    };
    let (list, close) = items(&tokens, open);
    let parts = list
        .into_iter()
        .map(|mut item| {
            if item.last().is_some_and(|t| t.is("ASC") || t.is("DESC")) {
                item = &item[..item.len() - 1];
            }
            if item.len() >= 2 && item[item.len() - 2].is("COLLATE") {
                item = &item[..item.len() - 2];
            }
            text_of(sql, item)
        })
        .collect();
    let predicate = match tokens.get(close + 1) {
        Some(t) if t.is("WHERE") => {
            let rest: Vec<Token<'_>> = tokens[close + 2..]
                .iter()
                .copied()
                .filter(|t| t.text != ";")
                .collect();
            Some(text_of(sql, &rest)).filter(|p| !p.is_empty())
        }
        _ => None,
    };
    (parts, predicate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> String {
        x.to_owned()
    }

    #[test]
    fn names_and_checks_survive_parentheses_in_strings_and_comments() {
        let sql = r#"CREATE TABLE "odd ""table""" (
            id INTEGER PRIMARY KEY AUTOINCREMENT, -- a comment with CHECK (x)
            "na,me" TEXT NOT NULL DEFAULT ')' CONSTRAINT ck_name CHECK ("na,me" <> 'a)b'),
            [kind] VARCHAR(10, 2) CONSTRAINT nn NOT NULL CHECK (length(kind) > 0) UNIQUE,
            parent_id INTEGER CONSTRAINT fk_parent REFERENCES `odd "table"` (id) ON DELETE CASCADE,
            /* CONSTRAINT fake UNIQUE (id) */
            CONSTRAINT uq_pair UNIQUE ("na,me", kind),
            CONSTRAINT "fk two" FOREIGN KEY (parent_id, kind) REFERENCES other (a, b),
            CHECK (parent_id <> id)
        )"#;
        let text = parse_table(sql);
        assert_eq!(
            text,
            TableText {
                primary_key_name: None,
                uniques: vec![
                    (None, vec![s("kind")]),
                    (Some(s("uq_pair")), vec![s("na,me"), s("kind")])
                ],
                foreign_keys: vec![
                    (
                        Some(s("fk_parent")),
                        vec![s("parent_id")],
                        s("odd \"table\"")
                    ),
                    (
                        Some(s("fk two")),
                        vec![s("parent_id"), s("kind")],
                        s("other")
                    ),
                ],
                checks: vec![
                    (Some(s("ck_name")), s("\"na,me\" <> 'a)b'")),
                    (None, s("length(kind) > 0")),
                    (None, s("parent_id <> id")),
                ],
                autoincrement: Some(s("id")),
                without_rowid: false,
            }
        );
    }

    #[test]
    fn table_primary_key_name_and_without_rowid() {
        let text = parse_table(
            "CREATE TABLE t (a TEXT, b TEXT, CONSTRAINT pk_t PRIMARY KEY (a, b DESC)) WITHOUT ROWID, STRICT",
        );
        assert_eq!(text.primary_key_name.as_deref(), Some("pk_t"));
        assert!(text.without_rowid);
        assert!(text.uniques.is_empty());
    }

    #[test]
    fn index_expressions_and_predicate() {
        let (parts, predicate) = parse_index(
            "CREATE INDEX ix ON t (lower(name) COLLATE NOCASE DESC, \"a)\" ASC, b) WHERE deleted_at IS NULL AND note <> ')';",
        );
        assert_eq!(parts, [s("lower(name)"), s("\"a)\""), s("b")]);
        assert_eq!(
            predicate.as_deref(),
            Some("deleted_at IS NULL AND note <> ')'")
        );
    }

    #[test]
    fn broken_text_gives_fewer_facts_and_no_panic() {
        for sql in [
            "",
            "CREATE TABLE",
            "CREATE TABLE t (",
            "CREATE TABLE t (a CHECK (",
            "CREATE TABLE t (a 'unterminated",
            "CREATE TABLE t (CONSTRAINT",
            "CREATE TABLE t (FOREIGN KEY",
            "CREATE TABLE t (x [br",
            "CREATE TABLE t AS SELECT (1)",
            "CREATE TABLE t (é INTEGER /* open",
        ] {
            let _ = parse_table(sql);
            let _ = parse_index(sql);
        }
        assert_eq!(
            parse_table("CREATE TABLE t AS SELECT (1)"),
            TableText::default()
        );
    }
}
