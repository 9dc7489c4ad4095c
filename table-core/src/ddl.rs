//! Models + dialect → statements: what creates or drops a set of tables on one backend,
//! and the check that the dialect can express it. Pure: no database, no I/O.

use crate::def::{ForeignKeyDef, TableDef};
use crate::dialect::{Dialect, Statement, script};
use crate::error::Error;
use crate::schema::Models;
use crate::types::{EnumDef, SqlType};

impl Models {
    /// Checks that every table can be written in the dialect, and reports every problem.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchema`] with every problem: types, identifier lengths, and what else
    /// the backend can't express.
    pub fn validate_for(&self, dialect: Dialect) -> Result<(), Error> {
        let mut problems = Vec::new();
        let tables: Vec<&TableDef> = self.tables().collect();
        for table in &tables {
            dialect.check_table(table, &mut problems);
        }
        dialect.check_schema(&tables, &mut problems);
        Error::invalid(problems)
    }

    /// Every statement that creates the schema on an empty database, in order.
    ///
    /// # Errors
    ///
    /// As [`Models::validate_for`].
    pub fn create_statements(&self, dialect: Dialect) -> Result<Vec<Statement>, Error> {
        self.validate_for(dialect)?;
        Ok(self.create_statements_where(dialect, |_| true, |_, _| true))
    }

    /// The statements that create the schemas and tables for which `table_wanted` is true,
    /// then the cycle-closing foreign keys for which `fk_wanted` is, on dialects that add
    /// those apart. The caller has validated.
    pub(crate) fn create_statements_where(
        &self,
        dialect: Dialect,
        table_wanted: impl Fn(&TableDef) -> bool,
        fk_wanted: impl Fn(&TableDef, &ForeignKeyDef) -> bool,
    ) -> Vec<Statement> {
        let defer = dialect.defers_cyclic_foreign_keys();
        let mut statements = Vec::new();
        let mut schemas: Vec<&str> = self
            .tables()
            .filter(|t| table_wanted(t))
            .filter_map(|t| t.schema)
            .collect();
        schemas.sort_unstable();
        schemas.dedup();
        statements.extend(schemas.into_iter().filter_map(|s| dialect.create_schema(s)));
        statements.extend(
            enum_types(self.tables().filter(|t| table_wanted(t)))
                .into_iter()
                .filter_map(|e| dialect.create_enum_type(e)),
        );
        for (pos, table) in self.tables().enumerate() {
            if table_wanted(table) {
                let deferred = if defer {
                    self.deferred_of(pos)
                } else {
                    Vec::new()
                };
                statements.extend(dialect.create_table_without(table, &deferred));
            }
        }
        if defer {
            for (table, fk) in self.deferred_foreign_keys() {
                if fk_wanted(table, fk) {
                    statements.push(dialect.add_foreign_key(table, fk));
                }
            }
        }
        statements
    }

    /// The whole creation script for the dialect: what `create_all` runs on an empty database.
    ///
    /// # Errors
    ///
    /// As [`Models::validate_for`].
    pub fn create_script(&self, dialect: Dialect) -> Result<String, Error> {
        Ok(script(&self.create_statements(dialect)?))
    }

    /// `DROP TABLE IF EXISTS` for every table, in reverse creation order, then the enum types
    /// the tables used (PostgreSQL).
    pub fn drop_statements(&self, dialect: Dialect) -> Vec<Statement> {
        let mut statements: Vec<Statement> =
            self.tables().rev().map(|t| dialect.drop_table(t)).collect();
        statements.extend(
            enum_types(self.tables())
                .into_iter()
                .filter_map(|e| dialect.drop_enum_type(e)),
        );
        statements
    }
}

/// The enums the tables' columns use, each once, in the order first met: one type for
/// however many tables use it.
pub(crate) fn enum_types<'a>(tables: impl Iterator<Item = &'a TableDef>) -> Vec<&'static EnumDef> {
    let mut out: Vec<&'static EnumDef> = Vec::new();
    for column in tables.flat_map(|t| t.columns) {
        let def = match column.ty {
            SqlType::Enum(def) => def,
            SqlType::Array(SqlType::Enum(def)) => def,
            _ => continue,
        };
        if !out.contains(&def) {
            out.push(def);
        }
    }
    out
}
