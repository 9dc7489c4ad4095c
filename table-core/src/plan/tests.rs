//! Plans against hand-built live schemas, in each backend's real catalog spellings (read by
//! hand from PostgreSQL 15, MariaDB 10.11 and SQLite 3 after running the snapshot scripts).
//!
//! Over 400 lines: a test per kind of change on each dialect, each with its catalog written out
//! in that backend's spelling; they share the fixtures at the top.

use crate::def::*;
use crate::dialect::Dialect;
use crate::live::*;
use crate::schema::Models;
use crate::types::SqlType;

use super::{Change, Class, LiveConstraint, Plan};

// ---------------------------------------------------------------------------------------
// Models, as the derive would write them.

const fn column(name: &'static str, ty: SqlType) -> ColumnDef {
    ColumnDef {
        name,
        ty,
        nullable: false,
        auto_increment: false,
        default: None,
        comment: None,
        backend_types: crate::def::BackendTypes::new(),
        precision: None,
        scale: None,
        charset: None,
        collation: None,
    }
}

const fn nullable(mut c: ColumnDef) -> ColumnDef {
    c.nullable = true;
    c
}

const fn with_default(mut c: ColumnDef, d: DefaultValue) -> ColumnDef {
    c.default = Some(d);
    c
}

const fn table(name: &'static str, columns: &'static [ColumnDef]) -> TableDef {
    TableDef {
        name,
        schema: None,
        rust_type: name,
        comment: None,
        columns,
        primary_key: &[],
        uniques: &[],
        indexes: &[],
        checks: &[],
        foreign_keys: &[],
        primary_key_name: None,
        charset: None,
        collation: None,
        set: TableDef::DEFAULT_SET,
    }
}

const fn text(n: u32) -> SqlType {
    SqlType::Text {
        max_length: Some(n),
    }
}

const USERS: TableDef = TableDef {
    primary_key: &["id"],
    uniques: &[UniqueDef {
        columns: &["email"],
        name: None,
    }],
    ..table(
        "users",
        &[
            column("id", SqlType::Uuid),
            column("email", text(255)),
            nullable(column("created_at", SqlType::DateTime)),
        ],
    )
};

const VOICES: TableDef = TableDef {
    comment: Some("A voice sample uploaded by a user."),
    primary_key: &["voice_id"],
    indexes: &[
        IndexDef {
            columns: &["user_id"],
            name: None,
            parts: &[],
            predicate: None,
        },
        IndexDef {
            columns: &["status"],
            name: None,
            parts: &[],
            predicate: None,
        },
    ],
    foreign_keys: &[ForeignKeyDef {
        columns: &["user_id"],
        ref_schema: None,
        ref_table: "users",
        ref_columns: &["id"],
        on_delete: Some(Action::Cascade),
        on_update: None,
        name: None,
        deferrable: false,
    }],
    ..table(
        "voices",
        &[
            with_default(column("voice_id", SqlType::Uuid), DefaultValue::Uuid),
            column("user_id", SqlType::Uuid),
            column("name", text(200)),
            nullable(column("description", SqlType::Text { max_length: None })),
            with_default(column("status", text(20)), DefaultValue::Str("uploading")),
            with_default(
                nullable(column("times_used", SqlType::I32)),
                DefaultValue::Int(0),
            ),
            with_default(
                nullable(column("created_at", SqlType::DateTime)),
                DefaultValue::Now,
            ),
        ],
    )
};

/// The awkward types and defaults: a one-byte integer, booleans, floats, quotes and
/// backslashes, JSON, dates and times, a custom type, an identity, checks and comments.
const KINDS: TableDef = TableDef {
    comment: Some("Kinds: it's \"all\"."),
    primary_key: &["id"],
    checks: &[
        CheckDef {
            column: Some("ratio"),
            expr: "ratio > -1",
            name: None,
        },
        CheckDef {
            column: None,
            expr: "tiny <> 13",
            name: None,
        },
    ],
    ..table(
        "kinds",
        &[
            ColumnDef {
                auto_increment: true,
                comment: Some("The row number."),
                ..column("id", SqlType::I64)
            },
            with_default(column("flag", SqlType::Bool), DefaultValue::Bool(true)),
            with_default(column("tiny", SqlType::I8), DefaultValue::Int(-5)),
            with_default(column("ratio", SqlType::F64), DefaultValue::Float(-0.25)),
            with_default(column("label", text(40)), DefaultValue::Str("it's \"new\"")),
            with_default(
                column("body", SqlType::Text { max_length: None }),
                DefaultValue::Str("C:\\temp"),
            ),
            with_default(column("day", SqlType::Date), DefaultValue::Now),
            with_default(column("clock", SqlType::Time), DefaultValue::Now),
            with_default(column("doc", SqlType::Json), DefaultValue::Sql("'{}'")),
            column("price", SqlType::Custom("DECIMAL(10, 2)")),
        ],
    )
};

/// A cycle of foreign keys, across a named schema.
const DEPT: TableDef = TableDef {
    schema: Some("org"),
    primary_key: &["id"],
    foreign_keys: &[ForeignKeyDef {
        columns: &["head_id"],
        ref_schema: Some("org"),
        ref_table: "emp",
        ref_columns: &["id"],
        on_delete: Some(Action::SetNull),
        on_update: None,
        name: None,
        deferrable: false,
    }],
    ..table(
        "dept",
        &[
            column("id", SqlType::I64),
            nullable(column("head_id", SqlType::I64)),
        ],
    )
};

const EMP: TableDef = TableDef {
    schema: Some("org"),
    primary_key: &["id"],
    foreign_keys: &[ForeignKeyDef {
        columns: &["dept_id"],
        ref_schema: Some("org"),
        ref_table: "dept",
        ref_columns: &["id"],
        on_delete: None,
        on_update: None,
        name: None,
        deferrable: false,
    }],
    ..table(
        "emp",
        &[column("id", SqlType::I64), column("dept_id", SqlType::I64)],
    )
};

/// Names at the limit: generated names past 63 bytes end in a hash.
const LONG: TableDef = TableDef {
    primary_key: &["id"],
    indexes: &[IndexDef {
        columns: &[
            "first_column_with_a_rather_long_name",
            "second_column_with_a_rather_long_name",
        ],
        name: None,
        parts: &[],
        predicate: None,
    }],
    ..table(
        "a_table_name_of_exactly_sixty_three_bytes_which_is_the_pg_limit",
        &[
            column("id", SqlType::I64),
            column("first_column_with_a_rather_long_name", SqlType::I32),
            column("second_column_with_a_rather_long_name", SqlType::I32),
        ],
    )
};

// ---------------------------------------------------------------------------------------
// Live schemas, as each catalog describes what create_all made.

fn col(name: &str, data_type: &str, nullable: bool, default: Option<&str>) -> LiveColumn {
    LiveColumn {
        name: name.into(),
        data_type: data_type.into(),
        nullable,
        default: default.map(Into::into),
        ..LiveColumn::default()
    }
}

fn key(name: Option<&str>, columns: &[&str]) -> LiveKey {
    LiveKey {
        name: name.map(Into::into),
        columns: columns.iter().map(|c| (*c).into()).collect(),
    }
}

fn index(name: &str, columns: &[&str]) -> LiveIndex {
    LiveIndex {
        name: name.into(),
        parts: columns
            .iter()
            .map(|c| LiveIndexPart {
                column: (*c).into(),
                ..LiveIndexPart::default()
            })
            .collect(),
        unique: false,
        predicate: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn fk(
    name: Option<&str>,
    columns: &[&str],
    ref_schema: &str,
    ref_table: &str,
    ref_columns: &[&str],
    on_delete: &str,
    on_update: &str,
) -> LiveForeignKey {
    LiveForeignKey {
        name: name.map(Into::into),
        columns: columns.iter().map(|c| (*c).into()).collect(),
        ref_schema: ref_schema.into(),
        ref_table: ref_table.into(),
        ref_columns: ref_columns.iter().map(|c| (*c).into()).collect(),
        on_delete: on_delete.into(),
        on_update: on_update.into(),
        deferred: false,
    }
}

fn check(name: Option<&str>, expr: &str) -> LiveCheck {
    LiveCheck {
        name: name.map(Into::into),
        expr: expr.into(),
    }
}

fn live_table(schema: &str, name: &str, columns: Vec<LiveColumn>) -> LiveTable {
    LiveTable {
        schema: schema.into(),
        name: name.into(),
        columns,
        ..LiveTable::default()
    }
}

fn postgres_users_voices() -> Vec<LiveTable> {
    vec![
        LiveTable {
            primary_key: Some(key(Some("users_pkey"), &["id"])),
            uniques: vec![key(Some("uq_users_email"), &["email"])],
            ..live_table(
                "public",
                "users",
                vec![
                    col("id", "uuid", false, None),
                    col("email", "character varying(255)", false, None),
                    col("created_at", "timestamp without time zone", true, None),
                ],
            )
        },
        LiveTable {
            comment: Some("A voice sample uploaded by a user.".into()),
            primary_key: Some(key(Some("voices_pkey"), &["voice_id"])),
            indexes: vec![
                index("ix_voices_status", &["status"]),
                index("ix_voices_user_id", &["user_id"]),
            ],
            foreign_keys: vec![fk(
                Some("fk_voices_user_id"),
                &["user_id"],
                "public",
                "users",
                &["id"],
                "CASCADE",
                "NO ACTION",
            )],
            ..live_table(
                "public",
                "voices",
                vec![
                    col("voice_id", "uuid", false, Some("gen_random_uuid()")),
                    col("user_id", "uuid", false, None),
                    col("name", "character varying(200)", false, None),
                    col("description", "text", true, None),
                    col(
                        "status",
                        "character varying(20)",
                        false,
                        Some("'uploading'::character varying"),
                    ),
                    col("times_used", "integer", true, Some("0")),
                    col(
                        "created_at",
                        "timestamp without time zone",
                        true,
                        Some("CURRENT_TIMESTAMP"),
                    ),
                ],
            )
        },
    ]
}

fn mysql_users_voices() -> Vec<LiveTable> {
    vec![
        LiveTable {
            primary_key: Some(key(Some("PRIMARY"), &["id"])),
            uniques: vec![key(Some("uq_users_email"), &["email"])],
            ..live_table(
                "test",
                "users",
                vec![
                    col("id", "binary(16)", false, None),
                    col("email", "varchar(255)", false, None),
                    col("created_at", "datetime(6)", true, None),
                ],
            )
        },
        LiveTable {
            comment: Some("A voice sample uploaded by a user.".into()),
            primary_key: Some(key(Some("PRIMARY"), &["voice_id"])),
            indexes: vec![
                index("ix_voices_status", &["status"]),
                index("ix_voices_user_id", &["user_id"]),
            ],
            foreign_keys: vec![fk(
                Some("fk_voices_user_id"),
                &["user_id"],
                "test",
                "users",
                &["id"],
                "CASCADE",
                "RESTRICT",
            )],
            ..live_table(
                "test",
                "voices",
                vec![
                    col(
                        "voice_id",
                        "binary(16)",
                        false,
                        Some("unhex(replace(uuid(),'-',''))"),
                    ),
                    col("user_id", "binary(16)", false, None),
                    col("name", "varchar(200)", false, None),
                    col("description", "longtext", true, None),
                    col("status", "varchar(20)", false, Some("'uploading'")),
                    col("times_used", "int(11)", true, Some("0")),
                    col(
                        "created_at",
                        "datetime(6)",
                        true,
                        Some("current_timestamp(6)"),
                    ),
                ],
            )
        },
    ]
}

fn sqlite_users_voices() -> Vec<LiveTable> {
    vec![
        LiveTable {
            primary_key: Some(key(None, &["id"])),
            uniques: vec![key(None, &["email"])],
            ..live_table(
                "main",
                "users",
                vec![
                    col("id", "BLOB", false, None),
                    col("email", "TEXT", false, None),
                    col("created_at", "DATETIME", true, None),
                ],
            )
        },
        LiveTable {
            primary_key: Some(key(None, &["voice_id"])),
            indexes: vec![
                index("ix_voices_status", &["status"]),
                index("ix_voices_user_id", &["user_id"]),
            ],
            foreign_keys: vec![fk(
                None,
                &["user_id"],
                "main",
                "users",
                &["id"],
                "CASCADE",
                "NO ACTION",
            )],
            ..live_table(
                "main",
                "voices",
                vec![
                    col(
                        "voice_id",
                        "BLOB",
                        false,
                        Some(
                            "unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(8)), 2))",
                        ),
                    ),
                    col("user_id", "BLOB", false, None),
                    col("name", "TEXT", false, None),
                    col("description", "TEXT", true, None),
                    col("status", "TEXT", false, Some("'uploading'")),
                    col("times_used", "INTEGER", true, Some("0")),
                    col("created_at", "DATETIME", true, Some("CURRENT_TIMESTAMP")),
                ],
            )
        },
    ]
}

fn postgres_kinds() -> LiveTable {
    let mut id = col("id", "bigint", false, None);
    id.auto_increment = true;
    id.comment = Some("The row number.".into());
    LiveTable {
        comment: Some("Kinds: it's \"all\".".into()),
        primary_key: Some(key(Some("kinds_pkey"), &["id"])),
        checks: vec![
            check(Some("ck_kinds_1"), "(tiny <> 13)"),
            check(
                Some("ck_kinds_ratio"),
                "(ratio > ('-1'::integer)::double precision)",
            ),
        ],
        ..live_table(
            "public",
            "kinds",
            vec![
                id,
                col("flag", "boolean", false, Some("true")),
                col("tiny", "\"char\"", false, Some("('-5'::integer)::\"char\"")),
                col("ratio", "double precision", false, Some("'-0.25'::numeric")),
                col(
                    "label",
                    "character varying(40)",
                    false,
                    Some("'it''s \"new\"'::character varying"),
                ),
                col("body", "text", false, Some("'C:\\temp'::text")),
                col("day", "date", false, Some("CURRENT_DATE")),
                col(
                    "clock",
                    "time without time zone",
                    false,
                    Some("CURRENT_TIME"),
                ),
                col("doc", "jsonb", false, Some("'{}'::jsonb")),
                col("price", "numeric(10,2)", false, None),
            ],
        )
    }
}

fn mysql_kinds() -> LiveTable {
    let mut id = col("id", "bigint(20)", false, None);
    id.auto_increment = true;
    id.comment = Some("The row number.".into());
    LiveTable {
        comment: Some("Kinds: it's \"all\".".into()),
        primary_key: Some(key(Some("PRIMARY"), &["id"])),
        checks: vec![
            check(Some("doc"), "json_valid(`doc`)"),
            check(Some("ck_kinds_ratio"), "`ratio` > -1"),
            check(Some("ck_kinds_1"), "`tiny` <> 13"),
        ],
        ..live_table(
            "test",
            "kinds",
            vec![
                id,
                col("flag", "tinyint(1)", false, Some("1")),
                col("tiny", "tinyint(4)", false, Some("-5")),
                col("ratio", "double", false, Some("-0.25")),
                col("label", "varchar(40)", false, Some("'it''s \"new\"'")),
                col("body", "longtext", false, Some("'C:\\\\temp'")),
                col("day", "date", false, Some("curdate()")),
                col("clock", "time(6)", false, Some("curtime(6)")),
                col("doc", "longtext", false, Some("'{}'")),
                col("price", "decimal(10,2)", false, None),
            ],
        )
    }
}

fn sqlite_kinds() -> LiveTable {
    let mut id = col("id", "INTEGER", true, None);
    id.auto_increment = true;
    LiveTable {
        primary_key: Some(key(None, &["id"])),
        checks: vec![
            check(Some("ck_kinds_ratio"), "ratio > -1"),
            check(Some("ck_kinds_1"), "tiny <> 13"),
        ],
        ..live_table(
            "main",
            "kinds",
            vec![
                id,
                col("flag", "BOOLEAN", false, Some("TRUE")),
                col("tiny", "INTEGER", false, Some("-5")),
                col("ratio", "REAL", false, Some("-0.25")),
                col("label", "TEXT", false, Some("'it''s \"new\"'")),
                col("body", "TEXT", false, Some("'C:\\temp'")),
                col("day", "DATE", false, Some("CURRENT_DATE")),
                col("clock", "TIME", false, Some("CURRENT_TIME")),
                col("doc", "TEXT", false, Some("'{}'")),
                col("price", "DECIMAL(10, 2)", false, None),
            ],
        )
    }
}

fn live(default_schema: &str, tables: Vec<LiveTable>) -> LiveSchema {
    let mut tables = tables;
    tables.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    LiveSchema {
        default_schema: default_schema.into(),
        tables,
        enums: Vec::new(),
    }
}

fn users_voices(dialect: Dialect) -> LiveSchema {
    match dialect {
        Dialect::Postgres => live("public", postgres_users_voices()),
        Dialect::MySql => live("test", mysql_users_voices()),
        Dialect::Sqlite => live("main", sqlite_users_voices()),
    }
}

fn plan(tables: &[&'static TableDef], dialect: Dialect, live: &LiveSchema) -> Plan {
    Models::new(tables.iter().copied())
        .unwrap()
        .diff(dialect, live)
        .unwrap()
}

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite];

// ---------------------------------------------------------------------------------------
// No false drift.

#[test]
fn what_create_all_made_plans_empty_on_every_dialect() {
    for dialect in DIALECTS {
        let p = plan(&[&VOICES, &USERS], dialect, &users_voices(dialect));
        assert!(p.is_empty(), "{dialect:?}:\n{p}");
        let mut tables = users_voices(dialect).tables;
        tables.push(match dialect {
            Dialect::Postgres => postgres_kinds(),
            Dialect::MySql => mysql_kinds(),
            Dialect::Sqlite => sqlite_kinds(),
        });
        let live = live(&users_voices(dialect).default_schema, tables);
        let p = plan(&[&VOICES, &USERS, &KINDS], dialect, &live);
        assert!(p.is_empty(), "{dialect:?}:\n{p}");
    }
}

#[test]
fn names_follow_each_backends_case_rules() {
    const MIXED: TableDef = TableDef {
        primary_key: &["Id"],
        ..table("MixedCase", &[column("Id", SqlType::I64)])
    };
    let live = live(
        "Test",
        vec![LiveTable {
            primary_key: Some(key(Some("PRIMARY"), &["id"])),
            ..live_table(
                "test",
                "mixedcase",
                vec![col("id", "bigint(20)", false, None)],
            )
        }],
    );
    assert!(plan(&[&MIXED], Dialect::MySql, &live).is_empty());
    // SQLite ignores case in names, quoted or not.
    let sqlite = LiveSchema {
        default_schema: "main".into(),
        tables: vec![LiveTable {
            primary_key: Some(key(None, &["ID"])),
            ..live_table("main", "MIXEDCASE", vec![col("ID", "INTEGER", false, None)])
        }],
        enums: Vec::new(),
    };
    let p = plan(&[&MIXED], Dialect::Sqlite, &sqlite);
    assert!(p.is_empty(), "{p}");
    // PostgreSQL keeps the case our quoted DDL wrote: another case is another table.
    let p = plan(
        &[&MIXED],
        Dialect::Postgres,
        &LiveSchema {
            default_schema: "test".into(),
            ..live
        },
    );
    assert_eq!(
        p.to_string(),
        "MixedCase\n  [safe] create table MixedCase\nmixedcase\n  [unknown to the models] table mixedcase\n"
    );
}

#[test]
fn a_cycle_in_a_named_schema_plans_empty() {
    let tables = |fk_names: bool| {
        let name = |n: &'static str| fk_names.then_some(n);
        vec![
            LiveTable {
                primary_key: Some(key(name("dept_pkey"), &["id"])),
                foreign_keys: vec![fk(
                    name("fk_dept_head_id"),
                    &["head_id"],
                    "org",
                    "emp",
                    &["id"],
                    "SET NULL",
                    "NO ACTION",
                )],
                ..live_table(
                    "org",
                    "dept",
                    vec![
                        col("id", "bigint", false, None),
                        col("head_id", "bigint", true, None),
                    ],
                )
            },
            LiveTable {
                primary_key: Some(key(name("emp_pkey"), &["id"])),
                foreign_keys: vec![fk(
                    name("fk_emp_dept_id"),
                    &["dept_id"],
                    "org",
                    "dept",
                    &["id"],
                    "NO ACTION",
                    "NO ACTION",
                )],
                ..live_table(
                    "org",
                    "emp",
                    vec![
                        col("id", "bigint", false, None),
                        col("dept_id", "bigint", false, None),
                    ],
                )
            },
        ]
    };
    let p = plan(
        &[&EMP, &DEPT],
        Dialect::Postgres,
        &live("public", tables(true)),
    );
    assert!(p.is_empty(), "{p}");
    // SQLite keeps no foreign key names: matched by their columns.
    let mut sqlite = tables(false);
    for t in &mut sqlite {
        for c in &mut t.columns {
            c.data_type = "INTEGER".into();
        }
    }
    let p = plan(&[&EMP, &DEPT], Dialect::Sqlite, &live("main", sqlite));
    assert!(p.is_empty(), "{p}");
}

#[test]
fn hashed_long_names_are_found() {
    let name = crate::naming::index_name(
        &LONG,
        &crate::def::IndexDef::new(&[
            "first_column_with_a_rather_long_name",
            "second_column_with_a_rather_long_name",
        ]),
    );
    assert_eq!(name.len(), 63);
    let live = live(
        "public",
        vec![LiveTable {
            primary_key: Some(key(Some("x_pkey"), &["id"])),
            indexes: vec![index(
                &name,
                &[
                    "first_column_with_a_rather_long_name",
                    "second_column_with_a_rather_long_name",
                ],
            )],
            ..live_table(
                "public",
                LONG.name,
                vec![
                    col("id", "bigint", false, None),
                    col(
                        "first_column_with_a_rather_long_name",
                        "integer",
                        false,
                        None,
                    ),
                    col(
                        "second_column_with_a_rather_long_name",
                        "integer",
                        false,
                        None,
                    ),
                ],
            )
        }],
    );
    assert!(plan(&[&LONG], Dialect::Postgres, &live).is_empty());
}

#[test]
fn hand_written_equivalents_plan_empty() {
    // users/voices written by hand on PostgreSQL: SERIAL-free, but other spellings, other
    // constraint names, a unique index in place of the constraint, and now() for the time.
    let mut tables = postgres_users_voices();
    tables[0].uniques.clear();
    tables[0].indexes.push(LiveIndex {
        unique: true,
        ..index("users_email_key", &["email"])
    });
    tables[1].indexes = vec![
        index("voices_status_idx", &["status"]),
        index("voices_user_id_idx", &["user_id"]),
    ];
    tables[1].foreign_keys[0].name = Some("voices_user_id_fkey".into());
    tables[1].columns[6].default = Some("now()".into());
    let p = plan(
        &[&VOICES, &USERS],
        Dialect::Postgres,
        &live("public", tables),
    );
    assert!(p.is_empty(), "{p}");
}

// ---------------------------------------------------------------------------------------
// Each kind of change, classified.

/// The plan's lines for one dialect after `edit` changes what create_all made.
fn lines_after(dialect: Dialect, edit: impl FnOnce(&mut Vec<LiveTable>)) -> String {
    let mut live = users_voices(dialect);
    edit(&mut live.tables);
    plan(&[&VOICES, &USERS], dialect, &live).to_string()
}

fn voices(tables: &mut [LiveTable]) -> &mut LiveTable {
    tables.iter_mut().find(|t| t.name == "voices").unwrap()
}

#[test]
fn a_missing_table_is_created_safely() {
    for dialect in DIALECTS {
        let p = lines_after(dialect, |t| t.retain(|t| t.name != "voices"));
        assert_eq!(p, "voices\n  [safe] create table voices\n", "{dialect:?}");
    }
}

#[test]
fn missing_columns_are_safe_when_nullable_or_defaulted() {
    for dialect in DIALECTS {
        let p = lines_after(dialect, |t| {
            voices(t)
                .columns
                .retain(|c| !matches!(c.name.as_str(), "description" | "status" | "name"))
        });
        let (name, description, status) = match dialect {
            Dialect::Postgres => ("VARCHAR(200)", "TEXT", "VARCHAR(20)"),
            Dialect::MySql => ("VARCHAR(200)", "LONGTEXT", "VARCHAR(20)"),
            Dialect::Sqlite => ("TEXT", "TEXT", "TEXT"),
        };
        assert_eq!(
            p,
            format!(
                "voices\n\
                 \x20 [needs a person] add column name {name} NOT NULL: a NOT NULL column without a default can't be added to a table with rows: give it a default, or add it nullable, fill it, then make it NOT NULL\n\
                 \x20 [safe] add column description {description} NULL\n\
                 \x20 [safe] add column status {status} NOT NULL DEFAULT 'uploading'\n"
            ),
            "{dialect:?}"
        );
    }
    // SQLite adds a column only with a constant default.
    let p = lines_after(Dialect::Sqlite, |t| {
        voices(t).columns.retain(|c| c.name != "created_at")
    });
    assert_eq!(
        p,
        "voices\n  [needs a person] add column created_at DATETIME NULL DEFAULT CURRENT_TIMESTAMP: SQLite adds a column only with a constant default; one of the current time or an expression needs a table rebuild\n"
    );
}

#[test]
fn column_changes_need_a_person() {
    let p = lines_after(Dialect::Postgres, |t| {
        let v = voices(t);
        v.columns[2].data_type = "text".into();
        v.columns[3].nullable = false;
        v.columns[4].default = Some("'new'::character varying".into());
        v.columns[5].default = None;
    });
    assert_eq!(
        p,
        "voices\n\
         \x20 [needs a person] column name: type is text in the database, VARCHAR(200) in the model: changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert\n\
         \x20 [needs a person] column description: NOT NULL in the database, NULL in the model: allowing NULL lifts a rule the database enforces today; code that relies on it may break\n\
         \x20 [needs a person] column status: default is 'new'::character varying in the database, 'uploading' in the model: a different default changes what new rows get when an insert leaves the column out\n\
         \x20 [needs a person] column times_used: default is none in the database, 0 in the model: a different default changes what new rows get when an insert leaves the column out\n"
    );
    let p = lines_after(Dialect::MySql, |t| {
        voices(t).columns[5].data_type = "bigint(20)".into();
    });
    assert_eq!(
        p,
        "voices\n  [needs a person] column times_used: type is bigint(20) in the database, INT in the model: changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert\n"
    );
    let p = lines_after(Dialect::Sqlite, |t| {
        voices(t).columns[5].data_type = "TEXT".into();
    });
    assert_eq!(
        p,
        "voices\n  [needs a person] column times_used: type is TEXT in the database, INTEGER in the model: SQLite can't add or change this on an existing table: the table must be rebuilt (create the new table, copy the rows, drop the old one, rename the new one)\n"
    );
}

#[test]
fn missing_constraints_are_safe_where_the_backend_adds_them() {
    for dialect in DIALECTS {
        let p = lines_after(dialect, |t| {
            let v = voices(t);
            v.foreign_keys.clear();
            v.indexes.clear();
            t.iter_mut()
                .find(|t| t.name == "users")
                .unwrap()
                .uniques
                .clear();
        });
        let constraint = match dialect {
            Dialect::Sqlite => "needs a person",
            Dialect::Postgres | Dialect::MySql => "safe",
        };
        let reason = match dialect {
            Dialect::Sqlite => {
                ": SQLite can't add or change this on an existing table: the table must be rebuilt (create the new table, copy the rows, drop the old one, rename the new one)"
            }
            Dialect::Postgres | Dialect::MySql => "",
        };
        assert_eq!(
            p,
            format!(
                "users\n\
                 \x20 [{constraint}] add unique constraint uq_users_email (email){reason}\n\
                 voices\n\
                 \x20 [safe] add index ix_voices_user_id (user_id)\n\
                 \x20 [safe] add index ix_voices_status (status)\n\
                 \x20 [{constraint}] add foreign key fk_voices_user_id (user_id) -> users (id){reason}\n"
            ),
            "{dialect:?}"
        );
    }
}

#[test]
fn changed_constraints_need_a_person() {
    let p = lines_after(Dialect::Postgres, |t| {
        let v = voices(t);
        v.foreign_keys[0].on_delete = "SET NULL".into();
        v.indexes[0].parts[0].column = "name".into();
        v.primary_key = Some(key(Some("voices_pkey"), &["voice_id", "user_id"]));
    });
    assert_eq!(
        p,
        "voices\n\
         \x20 [needs a person] primary key is (voice_id, user_id) in the database, (voice_id) in the model: changing the primary key drops the old one, which foreign keys and queries may rely on, and the new one fails on rows that repeat it\n\
         \x20 [needs a person] index ix_voices_status is (name) in the database, (status) in the model: the index of this name is defined otherwise: replacing it drops it first, and queries or constraints may rely on it\n\
         \x20 [needs a person] foreign key (user_id) is -> users (id) ON DELETE SET NULL ON UPDATE NO ACTION in the database, -> users (id) ON DELETE CASCADE ON UPDATE (default) in the model: changing a foreign key drops it and adds it anew, which fails on rows that don't satisfy the new one\n"
    );
}

#[test]
fn missing_actions_are_the_backends_default() {
    // InnoDB reports RESTRICT or NO ACTION for an action never written; both are its default.
    let p = lines_after(Dialect::MySql, |t| {
        voices(t).foreign_keys[0].on_update = "NO ACTION".into();
    });
    assert_eq!(p, "");
}

#[test]
fn checks_compare_loosely_and_changes_are_found() {
    let with_kinds = |dialect: Dialect, kinds: LiveTable| {
        let mut l = users_voices(dialect);
        l.tables.push(kinds);
        plan(&[&VOICES, &USERS, &KINDS], dialect, &l).to_string()
    };
    let mut kinds = postgres_kinds();
    kinds.checks[0].expr = "(tiny <> 14)".into();
    assert_eq!(
        with_kinds(Dialect::Postgres, kinds),
        "kinds\n  [needs a person] check ck_kinds_1 is (tiny <> 14) in the database, tiny <> 13 in the model: changing a check drops it and adds it anew, which fails on rows that don't satisfy the new one\n"
    );
    // PostgreSQL's rewriting of IN is beyond a textual comparison: not called a difference.
    let mut kinds = postgres_kinds();
    kinds.checks[0].expr = "(tiny = ANY (ARRAY[1, 2]))".into();
    assert_eq!(with_kinds(Dialect::Postgres, kinds), "");
    let mut kinds = mysql_kinds();
    kinds.checks.remove(1);
    assert_eq!(
        with_kinds(Dialect::MySql, kinds),
        "kinds\n  [safe] add check ck_kinds_ratio (ratio > -1)\n"
    );
}

#[test]
fn comments_differ_where_the_backend_keeps_them() {
    let mut l = users_voices(Dialect::Postgres);
    l.tables[1].comment = None;
    l.tables[1].columns[0].comment = Some("old".into());
    let p = plan(&[&VOICES, &USERS], Dialect::Postgres, &l);
    assert_eq!(
        p.to_string(),
        "voices\n\
         \x20 [safe] table comment is \"none\" in the database, \"A voice sample uploaded by a user.\" in the model\n\
         \x20 [safe] comment of column voice_id is \"old\" in the database, \"none\" in the model\n"
    );
}

#[test]
fn objects_unknown_to_the_models_are_reported() {
    for dialect in DIALECTS {
        let mut l = users_voices(dialect);
        let schema = l.default_schema.clone();
        l.tables.push(live_table(
            &schema,
            "legacy",
            vec![col("id", "integer", false, None)],
        ));
        let v = voices(&mut l.tables);
        v.columns.push(col("old_flag", "boolean", true, None));
        v.indexes.push(index("ix_old", &["name"]));
        v.checks.push(check(Some("ck_old"), "times_used >= 0"));
        v.uniques.push(key(Some("uq_old"), &["name"]));
        v.foreign_keys.push(fk(
            Some("fk_old"),
            &["name"],
            &schema,
            "legacy",
            &["id"],
            "NO ACTION",
            "NO ACTION",
        ));
        let p = plan(&[&VOICES, &USERS], dialect, &l);
        assert_eq!(p.unknown().count(), 6, "{dialect:?}");
        assert_eq!(p.safe().count() + p.needs_person().count(), 0);
        assert_eq!(
            p.to_string(),
            "voices\n\
             \x20 [unknown to the models] column old_flag boolean NULL\n\
             \x20 [unknown to the models] unique constraint uq_old (name)\n\
             \x20 [unknown to the models] index ix_old (name)\n\
             \x20 [unknown to the models] foreign key fk_old (name) -> legacy (id)\n\
             \x20 [unknown to the models] check ck_old (times_used >= 0)\n\
             legacy\n\
             \x20 [unknown to the models] table legacy\n",
            "{dialect:?}"
        );
        let groups: Vec<(&str, usize)> = p.by_table().map(|(t, s)| (t, s.len())).collect();
        assert_eq!(groups, [("voices", 5), ("legacy", 1)]);
        assert!(matches!(
            &p.steps()[1].change,
            Change::UnknownConstraint {
                constraint: LiveConstraint::Unique(k),
                ..
            } if k.columns == ["name"]
        ));
        // Nothing is dropped: the drops are comments for a person.
        for line in p.to_sql().lines() {
            assert!(line.starts_with("--") || line.is_empty(), "{line}");
        }
    }
}

#[test]
fn mysql_foreign_key_indexes_serve_as_the_models_index() {
    let mut l = users_voices(Dialect::MySql);
    // Without ix_voices_user_id, InnoDB keeps an index of its own named after the foreign
    // key: the column is indexed all the same, and that index is nobody's unknown object.
    voices(&mut l.tables).indexes[1] = index("fk_voices_user_id", &["user_id"]);
    assert!(plan(&[&VOICES, &USERS], Dialect::MySql, &l).is_empty());
    const NO_INDEX: TableDef = TableDef {
        indexes: &[IndexDef {
            columns: &["status"],
            name: None,
            parts: &[],
            predicate: None,
        }],
        ..VOICES
    };
    let p = plan(&[&NO_INDEX, &USERS], Dialect::MySql, &l);
    assert!(p.is_empty(), "{p}");
}

#[test]
fn classes_and_steps_are_typed() {
    let p = lines_after(Dialect::Sqlite, |t| voices(t).indexes.clear());
    assert_eq!(p.lines().count(), 3);
    let mut l = users_voices(Dialect::Sqlite);
    voices(&mut l.tables).columns[3].nullable = false;
    let p = plan(&[&VOICES, &USERS], Dialect::Sqlite, &l);
    assert!(matches!(
        &p.steps()[0],
        super::Step {
            change: Change::ChangeNullability { live: false, column, .. },
            class: Class::NeedsPerson { .. },
            table,
            ..
        } if column.name == "description" && table == "voices"
    ));
}

// ---------------------------------------------------------------------------------------
// The script.

#[test]
fn to_sql_puts_safe_statements_first_then_the_rest_as_comments() {
    let mut l = users_voices(Dialect::Postgres);
    l.tables.retain(|t| t.name != "users");
    let v = voices(&mut l.tables);
    v.columns.retain(|c| c.name != "description");
    v.columns[2].data_type = "text".into();
    v.columns.push(col("legacy", "integer", true, None));
    let p = plan(&[&VOICES, &USERS], Dialect::Postgres, &l);
    assert_eq!(
        p.to_sql(),
        r#"-- Safe changes.
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMP,
    PRIMARY KEY ("id"),
    CONSTRAINT "uq_users_email" UNIQUE ("email")
);
ALTER TABLE "voices" ADD COLUMN "description" TEXT;

-- Changes that need a person: read each reason, then run what fits by hand.
-- voices: column name: type is text in the database, VARCHAR(200) in the model
--   why: changing a column's type can lose data (shorter text, smaller numbers) or fail on values that don't convert
--   ALTER TABLE "voices" ALTER COLUMN "name" TYPE VARCHAR(200) USING "name"::VARCHAR(200);

-- In the database, unknown to the models: kept. To drop one, run its statement by hand.
-- voices: column legacy integer NULL
--   ALTER TABLE "voices" DROP COLUMN "legacy";
"#
    );
}

#[test]
fn to_sql_on_mysql_modifies_the_whole_column() {
    let mut l = users_voices(Dialect::MySql);
    let v = voices(&mut l.tables);
    v.columns[4].default = Some("'new'".into());
    v.indexes.remove(0);
    let p = plan(&[&VOICES, &USERS], Dialect::MySql, &l);
    assert_eq!(
        p.to_sql(),
        "-- Safe changes.
CREATE INDEX `ix_voices_status` ON `voices` (`status`);

-- Changes that need a person: read each reason, then run what fits by hand.
-- voices: column status: default is 'new' in the database, 'uploading' in the model
--   why: a different default changes what new rows get when an insert leaves the column out
--   ALTER TABLE `voices` MODIFY COLUMN `status` VARCHAR(20) NOT NULL DEFAULT 'uploading';
"
    );
}

#[test]
fn to_sql_on_sqlite_says_the_table_must_be_rebuilt() {
    let mut l = users_voices(Dialect::Sqlite);
    l.tables[0].uniques.clear();
    let p = plan(&[&VOICES, &USERS], Dialect::Sqlite, &l);
    assert_eq!(
        p.to_sql(),
        r#"-- Changes that need a person: read each reason, then run what fits by hand.
-- users: add unique constraint uq_users_email (email)
--   why: SQLite can't add or change this on an existing table: the table must be rebuilt (create the new table, copy the rows, drop the old one, rename the new one)
--   the table as the model defines it:
--   CREATE TABLE "users" (
--       "id" BLOB NOT NULL,
--       "email" TEXT NOT NULL,
--       "created_at" DATETIME,
--       PRIMARY KEY ("id"),
--       CONSTRAINT "uq_users_email" UNIQUE ("email")
--   );
"#
    );
}

#[test]
fn a_cycle_created_from_nothing_adds_its_closing_key_last() {
    let p = plan(&[&EMP, &DEPT], Dialect::Postgres, &live("public", vec![]));
    let sql = p.to_sql();
    assert!(
        sql.starts_with("-- Safe changes.\nCREATE SCHEMA IF NOT EXISTS \"org\";\n"),
        "{sql}"
    );
    assert!(
        sql.trim_end().ends_with(
            "ALTER TABLE \"org\".\"emp\" ADD CONSTRAINT \"fk_emp_dept_id\" FOREIGN KEY (\"dept_id\") REFERENCES \"org\".\"dept\" (\"id\");"
        ),
        "{sql}"
    );
    let schema = Models::new([&EMP, &DEPT]).unwrap();
    assert_eq!(
        p.safe_statements(),
        schema.create_statements(Dialect::Postgres).unwrap()
    );
}

#[test]
fn drift_is_an_error_listing_every_difference() {
    let mut l = users_voices(Dialect::Postgres);
    voices(&mut l.tables).columns[5].default = None;
    let p = plan(&[&VOICES, &USERS], Dialect::Postgres, &l);
    let err = crate::Error::Drift { plan: Box::new(p) };
    assert_eq!(
        err.to_string(),
        "the database differs from the models (1 difference):\nvoices\n  [needs a person] column times_used: default is none in the database, 0 in the model: a different default changes what new rows get when an insert leaves the column out\n"
    );
}

/// Every column-level kind and the primary key, one at a time, on every dialect: the one
/// line of the plan, with its class and reason (SQLite: a rebuild).
#[test]
fn each_column_change_on_each_dialect() {
    type Edit = fn(&mut LiveTable);
    let rebuild = "SQLite can't add or change this on an existing table: the table must be rebuilt (create the new table, copy the rows, drop the old one, rename the new one)";
    let cases: [(Edit, &str, &str); 6] = [
        (
            |v| v.columns[5].auto_increment = true,
            "column times_used: auto-increment in the database, not auto-increment in the model",
            "the database numbers new rows in this column; without it, inserts must give a value",
        ),
        (
            |v| v.columns[2].nullable = true,
            "column name: NULL in the database, NOT NULL in the model",
            "making a column NOT NULL fails if any row holds NULL in it: fill those rows first",
        ),
        (
            |v| v.columns[3].nullable = false,
            "column description: NOT NULL in the database, NULL in the model",
            "allowing NULL lifts a rule the database enforces today; code that relies on it may break",
        ),
        (
            |v| v.columns[5].default = Some("7".into()),
            "column times_used: default is 7 in the database, 0 in the model",
            "a different default changes what new rows get when an insert leaves the column out",
        ),
        (
            |v| v.primary_key = None,
            "add primary key (voice_id)",
            "adding a primary key fails if rows repeat a key or hold NULL in it",
        ),
        (
            |v| {
                let name = v.primary_key.as_ref().and_then(|k| k.name.clone());
                v.primary_key = Some(LiveKey {
                    name,
                    columns: vec!["name".into()],
                });
            },
            "primary key is (name) in the database, (voice_id) in the model",
            "changing the primary key drops the old one, which foreign keys and queries may rely on, and the new one fails on rows that repeat it",
        ),
    ];
    for dialect in DIALECTS {
        for (edit, what, reason) in cases {
            let p = lines_after(dialect, |t| edit(voices(t)));
            let reason = match dialect {
                Dialect::Sqlite => rebuild,
                Dialect::Postgres | Dialect::MySql => reason,
            };
            assert_eq!(
                p,
                format!("voices\n  [needs a person] {what}: {reason}\n"),
                "{dialect:?}"
            );
        }
    }
}

#[test]
fn a_changed_unique_constraint_needs_a_person_where_it_has_a_name() {
    for dialect in [Dialect::Postgres, Dialect::MySql] {
        let p = lines_after(dialect, |t| {
            t[0].uniques[0].columns = vec!["created_at".into()]
        });
        assert_eq!(
            p,
            "users\n  [needs a person] unique constraint uq_users_email is (created_at) in the database, (email) in the model: changing a unique constraint drops it and adds it anew, which fails on rows that repeat the new columns\n",
            "{dialect:?}"
        );
    }
    // SQLite keeps no names: a unique on other columns is another constraint.
    let p = lines_after(Dialect::Sqlite, |t| {
        t[0].uniques[0].columns = vec!["created_at".into()]
    });
    assert_eq!(
        p,
        "users\n\
         \x20 [needs a person] add unique constraint uq_users_email (email): SQLite can't add or change this on an existing table: the table must be rebuilt (create the new table, copy the rows, drop the old one, rename the new one)\n\
         \x20 [unknown to the models] unique constraint (created_at)\n"
    );
}

#[test]
fn to_sql_writes_each_backends_alter_for_a_person() {
    let edit = |t: &mut Vec<LiveTable>| {
        let v = voices(t);
        v.columns[3].nullable = false;
        v.columns[5].default = None;
        v.columns[5].auto_increment = true;
    };
    let person_sql = |dialect: Dialect| {
        let mut live = users_voices(dialect);
        edit(&mut live.tables);
        plan(&[&VOICES, &USERS], dialect, &live)
            .to_sql()
            .lines()
            .filter_map(|l| l.strip_prefix("--   "))
            .filter(|l| !l.starts_with("why: "))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        person_sql(Dialect::Postgres),
        [
            r#"ALTER TABLE "voices" ALTER COLUMN "description" DROP NOT NULL;"#,
            r#"ALTER TABLE "voices" ALTER COLUMN "times_used" SET DEFAULT 0;"#,
            r#"ALTER TABLE "voices" ALTER COLUMN "times_used" DROP IDENTITY;"#,
        ]
    );
    assert_eq!(
        person_sql(Dialect::MySql),
        [
            "ALTER TABLE `voices` MODIFY COLUMN `description` LONGTEXT;",
            "ALTER TABLE `voices` MODIFY COLUMN `times_used` INT DEFAULT 0;",
            "ALTER TABLE `voices` MODIFY COLUMN `times_used` INT DEFAULT 0;",
        ]
    );
    // SQLite: the table as the model has it, once per change.
    let sqlite = person_sql(Dialect::Sqlite);
    assert_eq!(
        sqlite
            .iter()
            .filter(|l| *l == "the table as the model defines it:")
            .count(),
        3
    );
    assert!(sqlite.contains(&r#"CREATE TABLE "voices" ("#.to_owned()));
}

#[test]
fn a_changed_primary_key_is_dropped_by_its_name_and_added_anew() {
    let person_sql = |dialect: Dialect| {
        let mut live = users_voices(dialect);
        let v = voices(&mut live.tables);
        let name = v.primary_key.as_ref().and_then(|k| k.name.clone());
        v.primary_key = Some(LiveKey {
            name,
            columns: vec!["name".into()],
        });
        plan(&[&VOICES, &USERS], dialect, &live)
            .to_sql()
            .lines()
            .filter_map(|l| l.strip_prefix("--   "))
            .filter(|l| !l.starts_with("why: "))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        person_sql(Dialect::Postgres),
        [r#"ALTER TABLE "voices" DROP CONSTRAINT "voices_pkey", ADD PRIMARY KEY ("voice_id");"#]
    );
    assert_eq!(
        person_sql(Dialect::MySql),
        ["ALTER TABLE `voices` DROP PRIMARY KEY, ADD PRIMARY KEY (`voice_id`);"]
    );
}
