//! `#[table(crate = "...")]`: the derive's output names the `table` crate through the given
//! path, as for a renamed dependency or a re-export.

mod reexport {
    pub use ::sqlx_table as renamed;
}

#[derive(table_derive_alias::Table)]
#[table(crate = "crate::reexport::renamed", name = "gadgets")]
pub struct Gadget {
    #[table(primary_key, auto_increment)]
    pub id: i64,
    #[table(max_length = 30, default = "new")]
    pub state: String,
    #[table(references = Self)]
    pub parent_id: Option<i64>,
}

use reexport::renamed as table_derive_alias;

#[test]
fn the_derive_works_through_a_crate_path() {
    use reexport::renamed::Table;
    assert_eq!(Gadget::NAME, "gadgets");
    let names: Vec<_> = reexport::renamed::registered()
        .iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["gadgets"]);
    let sql = reexport::renamed::Models::new([&Gadget::DEF])
        .unwrap()
        .create_script(reexport::renamed::Dialect::Postgres)
        .unwrap();
    assert!(
        sql.contains(r#""state" VARCHAR(30) NOT NULL DEFAULT 'new'"#),
        "{sql}"
    );
    assert!(sql.contains(r#"REFERENCES "gadgets" ("id")"#), "{sql}");
}
