use sqlx_table::Table;

#[derive(Table)]
pub struct Tag {
    #[table(primary_key, auto_increment)]
    pub id: String,
    pub label: String,
}

fn main() {}
