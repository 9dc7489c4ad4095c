//! The README's quick start, as a newcomer pastes it: its `Cargo.toml` dependencies and its
//! `src/main.rs` become a new project outside this workspace, which must build and run.
//! Only `sqlx-table = "0.1"` is pointed at this checkout, since it is not published yet.
//!
//! The project builds with this workspace's `Cargo.lock` (so with the crates this workspace
//! already fetched, and the network only for those it never needed, such as sqlx's default
//! `macros`), in `target/readme-app`, kept between runs so that only the first run compiles
//! its dependencies.

use std::path::Path;
use std::process::Command;

/// The first fenced block of `lang` after `heading`.
fn block<'a>(readme: &'a str, heading: &str, lang: &str) -> &'a str {
    let section = &readme[readme.find(heading).expect("the heading")..];
    let fence = format!("```{lang}\n");
    let start = section.find(&fence).expect("the block") + fence.len();
    let len = section[start..].find("```\n").expect("the block's end");
    &section[start..start + len]
}

#[test]
fn the_readme_quick_start_builds_and_runs_as_a_new_project() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let dependencies = block(&readme, "## Quick start", "toml");
    let main_rs = block(&readme, "## Quick start", "rust");
    assert!(
        dependencies.contains("\nsqlx-table = \"0.1\"\n"),
        "{dependencies}"
    );
    let dependencies = dependencies.replace(
        "\nsqlx-table = \"0.1\"\n",
        &format!(
            "\nsqlx-table = {{ path = {:?} }}\n",
            root.display().to_string()
        ),
    );

    let project = root.join("target/readme-app");
    std::fs::create_dir_all(project.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"readme-app\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n{dependencies}\n[workspace]\n"
    );
    std::fs::write(project.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(project.join("src/main.rs"), main_rs).unwrap();
    std::fs::copy(root.join("Cargo.lock"), project.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["run", "--quiet"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", project.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the quick start failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout, "created [\"users\", \"voices\"]\n", "{stderr}");
}
