use sqlx_table::Table;

#[derive(Table)]
pub struct Level {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = 300)]
    pub level: i8,
}

fn main() {}
