//! Every attribute key the derive reads, in one place: the parser matches on these, and the
//! "expected one of" lists of its error messages are built from the same names.

/// `#[table(...)]`
pub const TABLE: &str = "table";
/// `#[sqlx(...)]`, whose naming keys we honour.
pub const SQLX: &str = "sqlx";

// Keys of `#[table(...)]`, on the struct, on fields, or on both.
pub const NAME: &str = "name";
pub const SCHEMA: &str = "schema";
pub const SET: &str = "set";
pub const PRIMARY_KEY: &str = "primary_key";
pub const INDEX: &str = "index";
pub const UNIQUE: &str = "unique";
pub const CHECK: &str = "check";
pub const CRATE: &str = "crate";
pub const AUTO_INCREMENT: &str = "auto_increment";
pub const SKIP: &str = "skip";
pub const MAX_LENGTH: &str = "max_length";
pub const SQL_TYPE: &str = "sql_type";
pub const DEFAULT: &str = "default";
pub const DEFAULT_SQL: &str = "default_sql";
pub const REFERENCES: &str = "references";
pub const ON_DELETE: &str = "on_delete";
pub const ON_UPDATE: &str = "on_update";
pub const FK_NAME: &str = "fk_name";
pub const DEFERRABLE: &str = "deferrable";
/// `index(..., where = "...")`
pub const WHERE: &str = "where";
pub const PRECISION: &str = "precision";
pub const SCALE: &str = "scale";
pub const CHARSET: &str = "charset";
pub const COLLATION: &str = "collation";

// Keys inside `sql_type(...)`: one per backend.
pub const POSTGRES: &str = "postgres";
pub const MYSQL: &str = "mysql";
pub const SQLITE: &str = "sqlite";

// Keys of `#[sqlx(...)]` that change the columns.
pub const SQLX_RENAME_ALL: &str = "rename_all";
pub const SQLX_RENAME: &str = "rename";
pub const SQLX_TYPE_NAME: &str = "type_name";
/// `#[sqlx(no_pg_array)]` on an enum: sqlx makes no array type of it, nor do we.
pub const SQLX_NO_PG_ARRAY: &str = "no_pg_array";
pub const SQLX_SKIP: &str = "skip";
pub const SQLX_JSON: &str = "json";
pub const SQLX_TRY_FROM: &str = "try_from";
pub const SQLX_FLATTEN: &str = "flatten";

/// The struct-level keys, as an unknown key's error lists them.
pub const STRUCT_KEYS: &str = "name, schema, set, primary_key(...), index(...), unique(...), check, charset, collation, crate";
/// The field-level keys, as an unknown key's error lists them.
pub const FIELD_KEYS: &str = "name, primary_key, auto_increment, unique, index, max_length, sql_type, precision, scale, charset, collation, default, default_sql, references, on_delete, on_update, fk_name, deferrable, check, skip";

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists in the messages name exactly the keys the parser accepts.
    #[test]
    fn the_lists_in_messages_are_the_keys() {
        let listed = |list: &str| -> Vec<String> {
            list.split(", ")
                .map(|k| k.trim_end_matches("(...)").to_owned())
                .collect()
        };
        assert_eq!(
            listed(STRUCT_KEYS),
            [
                NAME,
                SCHEMA,
                SET,
                PRIMARY_KEY,
                INDEX,
                UNIQUE,
                CHECK,
                CHARSET,
                COLLATION,
                CRATE
            ]
        );
        assert_eq!(
            listed(FIELD_KEYS),
            [
                NAME,
                PRIMARY_KEY,
                AUTO_INCREMENT,
                UNIQUE,
                INDEX,
                MAX_LENGTH,
                SQL_TYPE,
                PRECISION,
                SCALE,
                CHARSET,
                COLLATION,
                DEFAULT,
                DEFAULT_SQL,
                REFERENCES,
                ON_DELETE,
                ON_UPDATE,
                FK_NAME,
                DEFERRABLE,
                CHECK,
                SKIP
            ]
        );
    }
}
