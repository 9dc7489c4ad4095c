use sqlx_table::Table;

#[derive(Table)]
pub struct Wrapper<T> {
    #[table(primary_key)]
    pub id: i64,
    pub value: T,
}

fn main() {}
