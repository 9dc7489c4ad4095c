use sqlx_table::Table;

#[derive(Table)]
pub struct Item {
    #[table(primary_key)]
    pub id: i64,
    #[table(max_length = 10)]
    pub count: i32,
}

fn main() {}
