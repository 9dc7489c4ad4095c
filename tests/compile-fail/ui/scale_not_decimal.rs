use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(precision = 3, scale = 1)]
    at: chrono::NaiveDateTime,
}

fn main() {}
