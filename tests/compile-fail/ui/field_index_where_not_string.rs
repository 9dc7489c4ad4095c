use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(index(where = 1))]
    email: String,
}

fn main() {}
