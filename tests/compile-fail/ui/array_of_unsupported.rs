use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    tags: Vec<Vec<i32>>,
}

fn main() {}
