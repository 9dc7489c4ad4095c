use sqlx_table::Table;

#[derive(Table)]
pub struct Level {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = -1)]
    pub stars: Option<u16>,
}

fn main() {}
