use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(precision = 3)]
    amount: i32,
}

fn main() {}
