use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(scale = 2)]
    price: i64,
}

fn main() {}
