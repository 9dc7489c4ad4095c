//! The ER diagram: the Mermaid text of each snapshot model set on each dialect that takes it
//! (insta snapshots, `tests/snapshots/diagram__*.snap`), every one of them parsed and
//! rendered to SVG by Mermaid itself in Debian's Chromium (`tests/mermaid/render.mjs`,
//! Mermaid pinned in its `package-lock.json`), and the diagram read from each live database
//! after `create_all` drawing the same tables and relationships as the models'. Every DOT
//! diagram is read by Graphviz's `dot`.
//!
//! The renderer needs `node`, `/usr/bin/chromium` (or `CHROMIUM`) and `npm ci` run in
//! `tests/mermaid`; the DOT test needs Graphviz (`.ci/run` installs all three). Without
//! them those tests are skipped, with a line saying so, unless
//! `TABLE_TEST_REQUIRE_SERVERS=1`, which makes it a failure.

mod common;
pub mod models;
pub mod sets;

use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx_table::live::LiveSchema;
use sqlx_table::{Dialect, Models};

use sets::*;

const DIALECTS: [(Dialect, &str); 3] = [
    (Dialect::Postgres, "postgres"),
    (Dialect::Sqlite, "sqlite"),
    (Dialect::MySql, "mysql"),
];

/// Every (set, dialect) whose DDL the dialect accepts: those are the diagrams a user gets.
fn diagrams() -> Vec<(String, Models, Dialect)> {
    let mut out = Vec::new();
    for (set, _) in sets() {
        let schema = schema(set);
        for (dialect, suffix) in DIALECTS {
            if schema.validate_for(dialect).is_ok() {
                out.push((format!("{set}__{suffix}"), schema.clone(), dialect));
            }
        }
    }
    out
}

#[test]
fn mermaid_of_every_snapshot_set() {
    let all = diagrams();
    assert!(all.len() >= 20, "only {} diagrams", all.len());
    for (name, schema, dialect) in all {
        insta::assert_snapshot!(
            format!("diagram__{name}"),
            schema.diagram(dialect).mermaid()
        );
    }
}

#[test]
fn dot_of_the_wide_set() {
    insta::assert_snapshot!(schema("wide").diagram(Dialect::Postgres).dot());
}

#[test]
fn cardinality_follows_nullability_and_uniqueness() {
    let text = schema("wide").diagram(Dialect::Postgres).mermaid();
    // wide.owner: nullable, not unique.
    assert!(
        text.contains(r#""users" |o..o{ "wide" : "owner""#),
        "{text}"
    );
    // wide_tag.wide_id: NOT NULL, part of the primary key (identifying), not unique alone.
    assert!(
        text.contains(r#""wide" ||--o{ "wide_tag" : "wide_id""#),
        "{text}"
    );
    // profile.userId: NOT NULL and the whole primary key: at most one profile per user.
    assert!(
        text.contains(r#""users" ||--o| "profile" : "userId""#),
        "{text}"
    );
    let text = schema("users_voices").diagram(Dialect::Sqlite).mermaid();
    assert!(
        text.contains(r#""users" ||..o{ "voices" : "user_id""#),
        "{text}"
    );
    assert!(text.contains("        TEXT email UK\n"), "{text}");
    assert!(text.contains("        BLOB voice_id PK\n"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Mermaid's own parser and renderer.

fn mermaid_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mermaid")
}

/// Whether node, Chromium and the installed Mermaid are all here; a failure instead of a
/// skip under `TABLE_TEST_REQUIRE_SERVERS=1`.
fn renderer_ready() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Command::new("node").arg("--version").output();
    let missing = if !node.is_ok_and(|o| o.status.success()) {
        Some("node is not installed".to_owned())
    } else if !Path::new(&chromium).exists() {
        Some(format!(
            "{chromium} is not installed (apt-get install chromium)"
        ))
    } else if !mermaid_dir().join("node_modules/mermaid").exists() {
        Some("Mermaid is not installed (npm ci in tests/mermaid)".to_owned())
    } else {
        None
    };
    match missing {
        None => true,
        Some(why) if std::env::var("TABLE_TEST_REQUIRE_SERVERS").is_ok_and(|v| v == "1") => {
            panic!("{why}, and TABLE_TEST_REQUIRE_SERVERS=1 forbids skipping")
        }
        Some(why) => {
            eprintln!("skipped: {why}");
            false
        }
    }
}

/// The text Mermaid puts in the SVG for a name: HTML-escaped.
fn in_svg(name: &str) -> String {
    let name = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(">{name}<")
}

/// Runs Mermaid over every `.mmd` file of `dir`.
fn render(dir: &Path) -> std::process::Output {
    Command::new("node")
        .arg(mermaid_dir().join("render.mjs"))
        .arg(dir)
        .output()
        .expect("run node")
}

/// Renders each diagram (name, Mermaid text, words its SVG must show) with Mermaid and
/// checks that its SVG names every table and every plainly named column.
fn render_and_check(diagrams: &[(String, String, Vec<String>)]) {
    let dir = std::env::temp_dir().join(common::unique_name("table_mermaid"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, diagram, _) in diagrams {
        std::fs::write(dir.join(format!("{name}.mmd")), diagram).unwrap();
    }
    let out = render(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "Mermaid refused a diagram:\n{stderr}\n{stdout}"
    );
    for (name, diagram, words) in diagrams {
        let svg = std::fs::read_to_string(dir.join(format!("{name}.svg")))
            .unwrap_or_else(|e| panic!("{name}.svg: {e}\n{stdout}{stderr}"));
        assert!(
            svg.starts_with("<svg"),
            "{name}: {}",
            &svg[..80.min(svg.len())]
        );
        assert!(diagram.starts_with("erDiagram\n"), "{name}");
        for word in words {
            assert!(svg.contains(&in_svg(word)), "{name}: no {word} in the SVG");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Table names and the columns whose names Mermaid shows as they are.
fn words(schema: &Models) -> Vec<String> {
    let mut words = Vec::new();
    for table in schema.tables() {
        words.push(table.qualified_name());
        for column in table.columns {
            if column
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                words.push(column.name.to_owned());
            }
        }
    }
    words
}

#[tokio::test]
async fn every_diagram_parses_and_renders_in_mermaid() {
    if !renderer_ready() {
        return;
    }
    let mut all: Vec<(String, String, Vec<String>)> = diagrams()
        .into_iter()
        .map(|(name, schema, dialect)| (name, schema.diagram(dialect).mermaid(), words(&schema)))
        .collect();
    // The README's diagrams (the shop example's, which tests/cli-app checks is current).
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```mermaid\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(!blocks.is_empty(), "no mermaid block in README.md");
    for (i, block) in blocks.iter().enumerate() {
        // Its table names: the quoted names that open an entity.
        let tables = block
            .lines()
            .filter_map(|l| l.trim().strip_suffix(" {"))
            .map(|l| l.trim_matches('"').to_owned())
            .collect();
        all.push((format!("readme_{i}"), block.to_string(), tables));
    }
    // The live diagram, in the catalog's own spellings of types.
    let db = common::sqlite().await;
    let wide = schema("wide");
    wide.create_all(&db.pool).await.unwrap();
    let live = LiveSchema::read(&db.pool, &[]).await.unwrap();
    all.push((
        "wide__live_sqlite".into(),
        live.diagram().mermaid(),
        words(&wide),
    ));
    // PostgreSQL's and MariaDB's spellings: `character varying(255)`, `timestamp without
    // time zone`, `bigint(20)`, `longtext`.
    if let Some(db) = common::postgres().await {
        wide.create_all(&db.pool).await.unwrap();
        let live = LiveSchema::read(&db.pool, &[]).await.unwrap();
        all.push((
            "wide__live_postgres".into(),
            live.diagram().mermaid(),
            words(&wide),
        ));
    }
    if let Some(db) = common::mysql().await {
        wide.create_all(&db.pool).await.unwrap();
        let live = LiveSchema::read(&db.pool, &[]).await.unwrap();
        all.push((
            "wide__live_mysql".into(),
            live.diagram().mermaid(),
            words(&wide),
        ));
    }
    render_and_check(&all);
}

/// The check can fail: a type written as the catalog spells it, two words, is what
/// Mermaid's grammar refuses, and why `Diagram::mermaid` makes it one.
#[test]
fn mermaid_refuses_a_type_of_two_words() {
    if !renderer_ready() {
        return;
    }
    let dir = std::env::temp_dir().join(common::unique_name("table_mermaid"));
    std::fs::create_dir_all(&dir).unwrap();
    let good = "erDiagram\n    \"t\" {\n        character_varying(255) name\n    }\n";
    let bad = "erDiagram\n    \"t\" {\n        character varying(255) name\n    }\n";
    std::fs::write(dir.join("good.mmd"), good).unwrap();
    std::fs::write(dir.join("bad.mmd"), bad).unwrap();
    let out = render(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bad.mmd: Parse error"), "{stderr}");
    assert!(!stderr.contains("good.mmd"), "{stderr}");
    assert!(dir.join("good.svg").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------
// Graphviz.

/// Every DOT diagram is read by Graphviz's own `dot` without a warning, and its SVG names
/// every table (`apt-get install graphviz`; a skip without it, unless
/// `TABLE_TEST_REQUIRE_SERVERS=1`).
#[test]
fn every_dot_diagram_is_read_by_graphviz() {
    if Command::new("dot").arg("-V").output().is_err() {
        if std::env::var("TABLE_TEST_REQUIRE_SERVERS").as_deref() == Ok("1") {
            panic!("Graphviz is not installed, and TABLE_TEST_REQUIRE_SERVERS=1 forbids skipping");
        }
        eprintln!("skipped: Graphviz is not installed");
        return;
    }
    for (name, schema, dialect) in diagrams() {
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run dot");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(schema.diagram(dialect).dot().as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{name}: {stderr}"
        );
        let svg = String::from_utf8(out.stdout).unwrap();
        for table in schema.tables() {
            assert!(
                svg.contains(&in_svg(&table.qualified_name())),
                "{name}: no {} in the SVG",
                table.qualified_name()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The live database's diagram against the models'.

/// The relationship lines and the table names: what a model diagram and a live one share
/// (the types are each catalog's own spelling).
fn shape(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains(" : ") || l.ends_with(" {"))
        .map(str::to_owned)
        .collect()
}

async fn live_matches<DB: sqlx_table::Backend>(pool: &sqlx::Pool<DB>, dialect: Dialect) {
    for set in ["users_voices", "wide", "reserved_words"] {
        let schema = schema(set);
        schema.create_all(pool).await.unwrap();
        let live = LiveSchema::read(pool, &[]).await.unwrap();
        let model = schema.diagram(dialect).mermaid();
        assert_eq!(
            shape(&live.diagram().mermaid()),
            shape(&model),
            "{set} on {dialect:?}"
        );
        schema.drop_all(pool).await.unwrap();
    }
}

#[tokio::test]
async fn live_diagram_draws_the_models_tables_and_relationships_on_sqlite() {
    let db = common::sqlite().await;
    live_matches(&db.pool, Dialect::Sqlite).await;
}

#[tokio::test]
async fn live_diagram_draws_the_models_tables_and_relationships_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    live_matches(&db.pool, Dialect::Postgres).await;
}

#[tokio::test]
async fn live_diagram_draws_the_models_tables_and_relationships_on_mysql() {
    let Some(db) = common::mysql().await else {
        return;
    };
    live_matches(&db.pool, Dialect::MySql).await;
}
