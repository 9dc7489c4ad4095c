use sqlx_table::Table;

#[derive(Table)]
pub struct Counter {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = "zero")]
    pub value: i32,
}

fn main() {}
