use sqlx_table::Table;

#[derive(Table)]
pub struct Page {
    #[table(primary_key)]
    pub id: i64,
    #[table(skip, max_length = 100, index)]
    pub cached_title: String,
}

fn main() {}
