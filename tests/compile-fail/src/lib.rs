//! Nothing here: the compile-fail cases are `ui/*.rs`, run by `tests/compile_fail.rs`.
