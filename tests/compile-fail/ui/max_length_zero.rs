use sqlx_table::Table;

#[derive(Table)]
pub struct Item {
    #[table(primary_key)]
    pub id: i64,
    #[table(max_length = 0)]
    pub name: String,
    #[table(max_length = -5)]
    pub code: String,
}

fn main() {}
