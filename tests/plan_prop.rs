//! Property: a random schema, built as `TableDef` values (types, nullability, defaults,
//! primary keys, unique constraints, indexes, foreign keys), created by `create_all` on a
//! real database, plans empty; and one random change to the models (a column added, a
//! type changed, a default dropped, an index added, nullability flipped) plans as exactly
//! that one change, classified as stated in the issue.
//!
//! Each case gets a fresh database. 24 cases per backend, proptest's fixed ChaCha seed and no
//! failure files, so a CI run is the same every time; `PROPTEST_CASES` runs more.

mod common;

use std::future::Future;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sqlx::Pool;
use sqlx_table::plan::{Change, Class};
use sqlx_table::{
    Action, Backend, ColumnDef, DefaultValue, EnumDef, ForeignKeyDef, IndexDef, Models, SqlType,
    TableDef, UniqueDef,
};

/// A text enum (PostgreSQL's type, MySQL's `ENUM`, SQLite's `CHECK`), with a quote in a value.
static STATE: EnumDef = EnumDef::text("State", "prop_state", &["new", "it's", "done"]);
/// An integer enum (a `CHECK` everywhere).
static LEVEL: EnumDef = EnumDef::int("Level", &SqlType::I32, &[1, 2, 3]);

/// Column types every backend has (unsigned integers are not on PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Bool,
    I32,
    I64,
    F64,
    Varchar,
    Text,
    Uuid,
    Date,
    TextEnum,
    IntEnum,
}

impl Ty {
    fn sql(self) -> SqlType {
        match self {
            Ty::Bool => SqlType::Bool,
            Ty::I32 => SqlType::I32,
            Ty::I64 => SqlType::I64,
            Ty::F64 => SqlType::F64,
            Ty::Varchar => SqlType::Text {
                max_length: Some(50),
            },
            Ty::Text => SqlType::Text { max_length: None },
            Ty::Uuid => SqlType::Uuid,
            Ty::Date => SqlType::Date,
            Ty::TextEnum => SqlType::Enum(&STATE),
            Ty::IntEnum => SqlType::Enum(&LEVEL),
        }
    }

    /// A default of this type, if the generator may give it one.
    fn default(self) -> Option<DefaultValue> {
        match self {
            Ty::Bool => Some(DefaultValue::Bool(true)),
            Ty::I32 | Ty::I64 => Some(DefaultValue::Int(7)),
            Ty::F64 => Some(DefaultValue::Float(1.5)),
            Ty::Varchar | Ty::Text => Some(DefaultValue::Str("it's a\\b")),
            Ty::Date => Some(DefaultValue::Now),
            Ty::TextEnum => Some(DefaultValue::Str("it's")),
            Ty::IntEnum => Some(DefaultValue::Int(2)),
            Ty::Uuid => None,
        }
    }

    /// MySQL can't index TEXT without a prefix length.
    fn indexable(self) -> bool {
        self != Ty::Text
    }
}

#[derive(Debug, Clone)]
struct Col {
    ty: Ty,
    nullable: bool,
    default: bool,
    index: bool,
    unique: bool,
}

#[derive(Debug, Clone)]
struct Table {
    key: Ty,
    cols: Vec<Col>,
    /// A nullable or NOT NULL `ref_id` referencing the key of an earlier table.
    reference: Option<(Index, bool, Option<Action>)>,
}

/// One change to the models, resolved against the schema when applied.
#[derive(Debug, Clone)]
enum Mutation {
    AddColumn { nullable: bool },
    ChangeType,
    DropDefault,
    AddIndex,
    FlipNullable,
}

fn ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::Bool),
        Just(Ty::I32),
        Just(Ty::I64),
        Just(Ty::F64),
        Just(Ty::Varchar),
        Just(Ty::Text),
        Just(Ty::Uuid),
        Just(Ty::Date),
        Just(Ty::TextEnum),
        Just(Ty::IntEnum),
    ]
}

fn col() -> impl Strategy<Value = Col> {
    (ty(), any::<bool>(), any::<bool>(), any::<bool>(), 0..6u8).prop_map(
        |(ty, nullable, default, index, unique)| Col {
            ty,
            nullable,
            default: default && ty.default().is_some(),
            index: index && ty.indexable(),
            unique: unique == 0 && ty.indexable(),
        },
    )
}

fn action() -> impl Strategy<Value = Option<Action>> {
    prop_oneof![
        Just(None),
        Just(Some(Action::Cascade)),
        Just(Some(Action::Restrict)),
        Just(Some(Action::NoAction)),
    ]
}

fn table() -> impl Strategy<Value = Table> {
    (
        prop_oneof![
            Just(Ty::I32),
            Just(Ty::I64),
            Just(Ty::Varchar),
            Just(Ty::Uuid)
        ],
        prop::collection::vec(col(), 1..5),
        prop::option::of((any::<Index>(), any::<bool>(), action())),
    )
        .prop_map(|(key, cols, reference)| Table {
            key,
            cols,
            reference,
        })
}

fn mutation() -> impl Strategy<Value = (Mutation, Index, Index)> {
    (
        prop_oneof![
            any::<bool>().prop_map(|nullable| Mutation::AddColumn { nullable }),
            Just(Mutation::ChangeType),
            Just(Mutation::DropDefault),
            Just(Mutation::AddIndex),
            Just(Mutation::FlipNullable),
        ],
        any::<Index>(),
        any::<Index>(),
    )
}

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Vec::leak(v)
}

fn s(text: String) -> &'static str {
    String::leak(text)
}

/// The models: table `t{i}` with key `id`, columns `c{j}` and, for a reference, `ref_id`.
fn build(tables: &[Table]) -> Vec<&'static TableDef> {
    let mut defs = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let name = s(format!("t{i}"));
        let mut columns = vec![ColumnDef::new("id", t.key.sql())];
        let (mut indexes, mut uniques, mut fks) = (Vec::new(), Vec::new(), Vec::new());
        for (j, c) in t.cols.iter().enumerate() {
            let cname = s(format!("c{j}"));
            columns.push(
                ColumnDef::new(cname, c.ty.sql())
                    .with_nullable(c.nullable)
                    .with_default(c.default.then(|| c.ty.default()).flatten()),
            );
            if c.index {
                indexes.push(IndexDef::new(leak(vec![cname])));
            }
            if c.unique {
                uniques.push(UniqueDef::new(leak(vec![cname])));
            }
        }
        if let Some((target, nullable, on_delete)) = &t.reference
            && i > 0
        {
            let target = target.index(i);
            columns
                .push(ColumnDef::new("ref_id", tables[target].key.sql()).with_nullable(*nullable));
            fks.push(
                ForeignKeyDef::new(
                    leak(vec!["ref_id"]),
                    s(format!("t{target}")),
                    leak(vec!["id"]),
                )
                .with_on_delete(*on_delete),
            );
        }
        let def = TableDef::new(name, name)
            .with_columns(leak(columns))
            .with_primary_key(leak(vec!["id"]))
            .with_indexes(leak(indexes))
            .with_uniques(leak(uniques))
            .with_foreign_keys(leak(fks));
        defs.push(&*Box::leak(Box::new(def)));
    }
    defs
}

/// What the one change must plan as: its kind, table, column, and whether it is safe.
#[derive(Debug, PartialEq)]
struct Expected {
    kind: &'static str,
    table: String,
    column: String,
    safe: bool,
}

/// Applies the mutation to the models; `None` where the schema has nothing it applies to.
fn mutate(tables: &mut [Table], (m, t, c): &(Mutation, Index, Index)) -> Option<Expected> {
    let ti = t.index(tables.len());
    let table = &mut tables[ti];
    let pick = |ok: &dyn Fn(&Col) -> bool| {
        let eligible: Vec<usize> = (0..table.cols.len())
            .filter(|&j| ok(&table.cols[j]))
            .collect();
        (!eligible.is_empty()).then(|| eligible[c.index(eligible.len())])
    };
    let expected = |kind, j: usize, safe| Expected {
        kind,
        table: format!("t{ti}"),
        column: format!("c{j}"),
        safe,
    };
    Some(match m {
        Mutation::AddColumn { nullable } => {
            table.cols.push(Col {
                ty: Ty::I64,
                nullable: *nullable,
                default: false,
                index: false,
                unique: false,
            });
            // NOT NULL without a default fails on a table with rows: a person decides.
            expected("AddColumn", table.cols.len() - 1, *nullable)
        }
        Mutation::ChangeType => {
            // An enum's own type or CHECK goes with it: more than one change.
            let j = pick(&|c| {
                !c.default && !c.index && !c.unique && !matches!(c.ty, Ty::TextEnum | Ty::IntEnum)
            })?;
            let col = &mut table.cols[j];
            col.ty = if matches!(col.ty, Ty::Varchar | Ty::Text) {
                Ty::I64
            } else {
                Ty::Varchar
            };
            expected("ChangeColumnType", j, false)
        }
        Mutation::DropDefault => {
            let j = pick(&|c| c.default)?;
            table.cols[j].default = false;
            expected("ChangeDefault", j, false)
        }
        Mutation::AddIndex => {
            let j = pick(&|c| !c.index && c.ty.indexable())?;
            table.cols[j].index = true;
            expected("AddIndex", j, true)
        }
        Mutation::FlipNullable => {
            let j = pick(&|_| true)?;
            table.cols[j].nullable = !table.cols[j].nullable;
            expected("ChangeNullability", j, false)
        }
    })
}

fn observed(step: &sqlx_table::plan::Step) -> Expected {
    let (kind, column) = match &step.change {
        Change::AddColumn { column, .. } => ("AddColumn", column.name.to_owned()),
        Change::ChangeColumnType { column, .. } => ("ChangeColumnType", column.name.to_owned()),
        Change::ChangeDefault { column, .. } => ("ChangeDefault", column.name.to_owned()),
        Change::AddIndex { index, .. } => ("AddIndex", index.columns.join(",")),
        Change::ChangeNullability { column, .. } => ("ChangeNullability", column.name.to_owned()),
        other => panic!("unexpected change: {other:?}"),
    };
    Expected {
        kind,
        table: step.table.clone(),
        column,
        safe: step.class == Class::Safe,
    }
}

async fn check_case<DB: Backend>(
    pool: &Pool<DB>,
    tables: &[Table],
    m: &(Mutation, Index, Index),
) -> Result<(), TestCaseError> {
    let schema = Models::new(build(tables)).map_err(|e| TestCaseError::fail(e.to_string()))?;
    schema
        .create_all(pool)
        .await
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let plan = schema.plan(pool).await.unwrap();
    prop_assert!(plan.is_empty(), "drift right after create_all:\n{plan}");

    let mut changed = tables.to_vec();
    let Some(expected) = mutate(&mut changed, m) else {
        return Ok(());
    };
    let schema = Models::new(build(&changed)).unwrap();
    let plan = schema.plan(pool).await.unwrap();
    let steps: Vec<Expected> = plan.steps().iter().map(observed).collect();
    prop_assert_eq!(steps, vec![expected], "plan:\n{}", plan);
    Ok(())
}

fn runner() -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn schema_and_mutation() -> impl Strategy<Value = (Vec<Table>, (Mutation, Index, Index))> {
    (prop::collection::vec(table(), 1..4), mutation())
}

/// Runs the property with a fresh database from `fresh` per case.
fn run<DB: Backend, F, Fut>(fresh: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Option<common::TestDb<DB>>>,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = runner().run(&schema_and_mutation(), |(tables, m)| {
        rt.block_on(async {
            let Some(db) = fresh().await else {
                return Ok(());
            };
            let result = check_case(&db.pool, &tables, &m).await;
            db.pool.close().await;
            drop(db);
            result
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn sqlite_random_schemas_plan_empty_and_one_change_plans_as_itself() {
    run(|| async { Some(common::sqlite().await) });
}

#[test]
fn postgres_random_schemas_plan_empty_and_one_change_plans_as_itself() {
    run(common::postgres);
}

#[test]
fn mysql_random_schemas_plan_empty_and_one_change_plans_as_itself() {
    run(common::mysql);
}
