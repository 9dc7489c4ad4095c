//! Names and raw SQL that every backend would refuse at run time, on every start, are
//! typed `SchemaError`s before any SQL runs; and what the rules must not refuse still works.

// The models exist for their tables; their fields are never read.
#![allow(dead_code)]

mod common;

use common::TestDb;
use sqlx_table::{
    Backend, ColumnDef, DefaultValue, Error, Models, SchemaError, SqlType, Table, TableDef,
};

/// `index(v)` on the struct and `index` on the field: the same index twice.
#[derive(Table)]
#[table(index(v))]
pub struct TwiceIndexed {
    #[table(primary_key)]
    pub id: i64,
    #[table(index)]
    pub v: i32,
}

/// Owns the index `ix_clash_v`.
#[derive(Table)]
#[table(name = "clash")]
pub struct Clash {
    #[table(primary_key)]
    pub id: i64,
    #[table(index)]
    pub v: i32,
}

/// A table named like `Clash`'s index.
#[derive(Table)]
#[table(name = "ix_clash_v")]
pub struct NamedLikeAnIndex {
    #[table(primary_key)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "UserAccounts")]
pub struct UpperAccounts {
    #[table(primary_key)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "useraccounts")]
pub struct LowerAccounts {
    #[table(primary_key)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "sqlite_things")]
pub struct Reserved {
    #[table(primary_key)]
    pub id: i64,
}

#[derive(Table)]
pub struct LongDefault {
    #[table(primary_key)]
    pub id: i64,
    #[table(max_length = 3, default = "four")]
    pub code: String,
}

#[derive(Table)]
pub struct Commented {
    #[table(primary_key)]
    pub id: i64,
    #[table(check = "v >= 0 -- not negative")]
    pub v: i32,
}

#[derive(Table)]
pub struct CommentedDefault {
    #[table(primary_key)]
    pub id: i64,
    #[table(default_sql = "1 /* one */")]
    pub v: i32,
}

/// The crafted check of the issue: it closes the clause and drops another table.
#[derive(Table)]
pub struct Crafted {
    #[table(primary_key)]
    pub id: i64,
    #[table(check = "v > 0)); DROP TABLE victim; CREATE TABLE x (y INT CHECK (y > 0")]
    pub v: i32,
}

/// A `;` at the top level of the expression, parentheses balanced.
#[derive(Table)]
pub struct Semicolon {
    #[table(primary_key)]
    pub id: i64,
    #[table(check = "v > 0; DROP TABLE victim")]
    pub v: i32,
}

/// `;`, `--` and a parenthesis inside string literals are not refused, and work.
#[derive(Table)]
pub struct QuotedPunctuation {
    #[table(primary_key)]
    pub id: i64,
    #[table(max_length = 20, check = "note <> ';--(/*'", default_sql = "'a;b--c'")]
    pub note: String,
}

static NUL_NAME: TableDef = TableDef::new("nul\0name", "NulName")
    .with_columns(&[ColumnDef::new("id", SqlType::I64)])
    .with_primary_key(&["id"]);
static NUL_DEFAULT: TableDef = TableDef::new("nul_default", "NulDefault")
    .with_columns(&[
        ColumnDef::new("id", SqlType::I64),
        ColumnDef::new("s", SqlType::Text { max_length: None })
            .with_default(Some(DefaultValue::Str("a\0b"))),
    ])
    .with_primary_key(&["id"]);
static TRAILING_SPACE: TableDef = TableDef::new("spaced ", "Spaced")
    .with_columns(&[ColumnDef::new("id ", SqlType::I64)])
    .with_primary_key(&["id "]);

/// A second pool on the test's database, through sqlx's `Any` driver, for queries that read
/// back what a generic test created.
async fn any<DB: Backend>(db: &TestDb<DB>) -> sqlx::AnyPool {
    sqlx::AnyPool::connect(&db.url).await.unwrap()
}

/// The problems `Models::new` finds whatever the backend.
fn everywhere(tables: &[&'static TableDef]) -> Vec<SchemaError> {
    match Models::new(tables.iter().copied()) {
        Ok(_) => vec![],
        Err(e) => e.schema_problems().to_vec(),
    }
}

#[test]
fn the_same_index_twice_is_one_error_naming_one_table() {
    assert_eq!(
        everywhere(&[&TwiceIndexed::DEF]),
        [SchemaError::DuplicateDeclaration {
            table: "twice_indexed".into(),
            kind: "index",
            columns: "v".into(),
        }]
    );
}

#[test]
fn a_default_longer_than_max_length_is_refused() {
    assert_eq!(
        everywhere(&[&LongDefault::DEF]),
        [SchemaError::DefaultTooLong {
            table: "long_default".into(),
            column: "code".into(),
            len: 4,
            max: 3,
        }]
    );
}

#[test]
fn nul_characters_and_surrounding_spaces_are_refused() {
    let nul = everywhere(&[&NUL_NAME, &NUL_DEFAULT]);
    assert_eq!(nul.len(), 2, "{nul:?}");
    assert!(
        nul.iter()
            .all(|p| matches!(p, SchemaError::NulCharacter { .. }))
    );
    assert!(
        nul.iter()
            .any(|p| p.to_string().contains("default of column `s`"))
    );
    assert_eq!(
        everywhere(&[&TRAILING_SPACE]),
        [
            SchemaError::NameWhitespace {
                kind: "table",
                name: "spaced ".into()
            },
            SchemaError::NameWhitespace {
                kind: "column",
                name: "id ".into()
            },
        ]
    );
}

#[test]
fn comments_semicolons_and_unbalanced_parentheses_in_raw_sql_are_refused() {
    for (def, needle) in [
        (&Commented::DEF, "SQL comment"),
        (&CommentedDefault::DEF, "SQL comment"),
        (&Crafted::DEF, "parenthesis"),
        (&Semicolon::DEF, "`;`"),
    ] {
        let problems = everywhere(&[def]);
        assert!(
            matches!(&problems[..], [SchemaError::UnsafeRawSql { reason, .. }] if reason.contains(needle)),
            "{}: {problems:?}",
            def.name
        );
    }
}

/// Each backend's own rules, checked by `create_all` before any SQL: which tables exist
/// after is compared with before.
async fn dialect_rules<DB: Backend>(db: &TestDb<DB>, tables_sql: &str, refused: &[&str]) {
    let cases: [(&str, Vec<&'static TableDef>); 3] = [
        (
            "named like an index",
            vec![&Clash::DEF, &NamedLikeAnIndex::DEF],
        ),
        (
            "differ in case",
            vec![&UpperAccounts::DEF, &LowerAccounts::DEF],
        ),
        ("reserved", vec![&Reserved::DEF]),
    ];
    for (case, tables) in cases {
        let schema = Models::new(tables).expect(case);
        let result = schema.create_all(&db.pool).await;
        if refused.contains(&case) {
            let err = result.expect_err(case);
            let problems = err.schema_problems();
            let expected = match case {
                "named like an index" => matches!(
                    problems,
                    [SchemaError::TableNamedLikeIndex { table, owner, .. }]
                        if table == "ix_clash_v" && owner == "clash"
                ),
                "differ in case" => {
                    matches!(problems, [SchemaError::NamesDifferOnlyInCase { .. }])
                }
                _ => matches!(problems, [SchemaError::ReservedName { .. }]),
            };
            assert!(expected, "{case}: {err}");
            assert!(matches!(err, Error::InvalidSchema { .. }));
            let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(tables_sql))
                .fetch_one(&any(db).await)
                .await
                .unwrap();
            assert_eq!(count, 0, "{case}: a refused schema ran SQL");
        } else {
            // Where the backend allows it, the rule must not refuse it.
            result.unwrap_or_else(|e| panic!("{case}: {e}"));
            schema.drop_all(&db.pool).await.unwrap();
        }
    }
}

#[tokio::test]
async fn sqlite_refuses_names_that_clash_or_are_reserved_before_any_sql() {
    let db = common::sqlite().await;
    dialect_rules(
        &db,
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'",
        &["named like an index", "differ in case", "reserved"],
    )
    .await;
}

#[tokio::test]
async fn postgres_refuses_a_table_named_like_an_index_before_any_sql() {
    let Some(db) = common::postgres().await else {
        return;
    };
    dialect_rules(
        &db,
        "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
        &["named like an index"],
    )
    .await;
}

#[tokio::test]
async fn mysql_allows_what_only_other_backends_refuse() {
    let Some(db) = common::mysql().await else {
        return;
    };
    dialect_rules(
        &db,
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
        &[],
    )
    .await;
}

/// Punctuation inside string literals is not refused: the table is created, the default is
/// stored whole and the check holds, on each backend.
async fn punctuation_in_strings_works<DB: Backend>(db: &TestDb<DB>) {
    let schema = Models::new([&QuotedPunctuation::DEF]).unwrap();
    schema.create_all(&db.pool).await.unwrap();
    let pool = any(db).await;
    sqlx::raw_sql("INSERT INTO quoted_punctuation (id) VALUES (1)")
        .execute(&pool)
        .await
        .unwrap();
    let (note,): (String,) = sqlx::query_as("SELECT note FROM quoted_punctuation")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(note, "a;b--c");
    let refused = sqlx::raw_sql("INSERT INTO quoted_punctuation (id, note) VALUES (2, ';--(/*')")
        .execute(&pool)
        .await;
    assert!(refused.is_err(), "the check must hold");
}

#[tokio::test]
async fn sqlite_keeps_punctuation_inside_string_literals() {
    punctuation_in_strings_works(&common::sqlite().await).await;
}

#[tokio::test]
async fn postgres_keeps_punctuation_inside_string_literals() {
    if let Some(db) = common::postgres().await {
        punctuation_in_strings_works(&db).await;
    }
}

#[tokio::test]
async fn mysql_keeps_punctuation_inside_string_literals() {
    if let Some(db) = common::mysql().await {
        punctuation_in_strings_works(&db).await;
    }
}
