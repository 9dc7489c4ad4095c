use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(precision = 4, scale = 6)]
    at: chrono::NaiveDateTime,
}

fn main() {}
