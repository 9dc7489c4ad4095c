#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

#[cfg(feature = "cli")]
pub mod cli;

pub use table_core::*;
pub use table_derive::Table;
