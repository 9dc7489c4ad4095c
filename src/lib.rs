#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub use table_core::*;
pub use table_derive::{ColumnEnum, Table};
