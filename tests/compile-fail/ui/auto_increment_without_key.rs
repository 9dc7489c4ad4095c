use sqlx_table::Table;

#[derive(Table)]
pub struct Tag {
    #[table(primary_key)]
    pub id: i64,
    #[table(auto_increment)]
    pub position: i64,
}

fn main() {}
