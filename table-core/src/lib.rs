//! The runtime of [`sqlx-table`](https://docs.rs/sqlx-table): table descriptions, DDL rendering for
//! PostgreSQL, SQLite and MySQL, and `create_all` over sqlx. Use it through the `sqlx-table`
//! crate, which re-exports everything here along with `#[derive(Table)]`.
#![warn(missing_docs)]
#![forbid(unsafe_code)]
// docs.rs (`--cfg docsrs`, nightly) marks each backend's items with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

// Layers, lowest first; each module uses only those above it in this list (DESIGN.md).
mod check;
mod create;
mod db;
mod ddl;
pub mod def;
pub mod diagram;
pub mod dialect;
mod error;
pub mod live;
mod migrate;
mod naming;
pub mod plan;
mod registry;
mod schema;
pub mod types;

#[cfg(test)]
mod fixtures;

pub use create::{CreateReport, DropReport, MissingColumn, Options, create_all, drop_all};
pub use db::Backend;
pub use db::target::Target;
pub use def::{
    Action, BackendTypes, CheckDef, ColumnDef, DefaultValue, ForeignKeyDef, IndexDef, IndexPart,
    TableDef, UniqueDef,
};
pub use diagram::Diagram;
pub use dialect::{Dialect, Statement};
pub use error::{DatabaseCause, Error, SchemaError};
pub use migrate::{MigrateReport, migrate};
pub use plan::{Plan, check, plan};
pub use registry::{Table, registered};
pub use schema::Models;
pub use types::{ArrayElement, ColumnType, EnumDef, EnumRepr, SqlType};

/// What the derive's generated code names. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::registry::Registration;
    pub use crate::types::check;
    pub use inventory;
    pub use sqlx;
}
