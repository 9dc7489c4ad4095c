//! Compile-fail tests of `#[derive(Table)]`: each `ui/*.rs` is a bad input, and its
//! `.stderr` is what the user sees.
//!
//! The `.stderr` files are pinned to this machine's one toolchain, rustc 1.95: another
//! compiler words and places its own parts of the messages differently. This test fails
//! loudly on any other version rather than comparing against the wrong text. Regenerate on
//! purpose, then read every changed file:
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p compile-fail
//! ```

const PINNED_RUSTC: &str = "rustc 1.95.";

#[test]
fn bad_derive_input_is_a_compile_error_that_says_how_to_fix_it() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = std::process::Command::new(&rustc)
        .arg("--version")
        .output()
        .expect("run `rustc --version`");
    let version = String::from_utf8_lossy(&output.stdout);
    assert!(
        version.starts_with(PINNED_RUSTC),
        "tests/ui/*.stderr are pinned to {PINNED_RUSTC}x, but this is {version}; \
         run these tests with that toolchain, or regenerate the .stderr files with \
         TRYBUILD=overwrite and review every change"
    );
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
