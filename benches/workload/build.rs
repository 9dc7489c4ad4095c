//! Writes the workload's models to `$OUT_DIR/models.rs`: `users` and `WORKLOAD_MODELS`
//! (default 1000) models shaped like DESIGN.md's `voices`. Deterministic: model `k` is a
//! function of `k` alone.

use std::fmt::Write as _;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=WORKLOAD_MODELS");
    println!("cargo::rerun-if-env-changed=WORKLOAD_NO_DERIVE");
    println!("cargo::rustc-check-cfg=cfg(workload_no_derive)");
    let models: usize = match std::env::var("WORKLOAD_MODELS") {
        Ok(n) => n.parse().expect("WORKLOAD_MODELS is a number of models"),
        Err(_) => 1000,
    };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("models.rs");
    let mut src = source(models);
    // The baseline of BENCHMARKS.md's compile-time figure: the same structs, no derive.
    if std::env::var_os("WORKLOAD_NO_DERIVE").is_some() {
        println!("cargo::rustc-cfg=workload_no_derive");
        let body: String = src
            .lines()
            .filter(|l| {
                !l.contains("#[derive(sqlx_table::Table)]")
                    && !l.trim_start().starts_with("#[table(")
            })
            .take_while(|l| !l.contains("static GENERATED"))
            .map(|l| format!("{l}\n"))
            .collect();
        src = body + "static GENERATED: &[&TableDef] = &[];\n";
    }
    std::fs::write(out, src).expect("write models.rs");
}

fn source(models: usize) -> String {
    let mut src = String::from(
        "/// Someone who can sign in.
#[derive(sqlx_table::Table)]
#[table(name = \"users\")]
pub struct User {
    #[table(primary_key)]
    pub id: uuid::Uuid,
    #[table(unique, max_length = 255)]
    pub email: String,
    pub created_at: Option<chrono::NaiveDateTime>,
}
",
    );
    for k in 0..models {
        // Model k references model k - 1, which must be created first.
        let previous = if k == 0 {
            String::new()
        } else {
            format!(
                "    #[table(references = Voice{:04}, on_delete = \"set null\")]\n",
                k - 1
            )
        };
        let _ = write!(
            src,
            "
/// A voice sample uploaded by a user (generated model {k}).
#[derive(sqlx_table::Table)]
#[table(name = \"voices_{k:04}\")]
pub struct Voice{k:04} {{
    #[table(primary_key, default = uuid)]
    pub voice_id: uuid::Uuid,
    #[table(references = User, index, on_delete = \"cascade\")]
    pub user_id: uuid::Uuid,
{previous}    pub previous_id: Option<uuid::Uuid>,
    #[table(max_length = {name_len})]
    pub name: String,
    pub description: Option<String>,
    #[table(max_length = 20, default = \"uploading\", index)]
    pub status: String,
    #[table(default = {times_used})]
    pub times_used: Option<i32>,
    #[table(default = now)]
    pub created_at: Option<chrono::NaiveDateTime>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub duration_ms: i64,
    pub sample_rate: i32,
    #[table(default = 1.5)]
    pub gain: f64,
    #[table(default = false)]
    pub public: bool,
    #[table(max_length = 16)]
    pub language: Option<String>,
    pub recorded_on: Option<chrono::NaiveDate>,
    pub waveform: Option<Vec<u8>>,
    pub metadata: Option<serde_json::Value>,
}}
",
            name_len = 100 + (k % 7) * 20,
            times_used = k % 3,
        );
    }
    src.push_str(
        "
/// The voice-like models' descriptions, in generation order.
static GENERATED: &[&TableDef] = &[\n",
    );
    for k in 0..models {
        let _ = writeln!(src, "    &<Voice{k:04} as sqlx_table::Table>::DEF,");
    }
    src.push_str("];\n");
    src
}
