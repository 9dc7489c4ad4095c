use sqlx_table::Table;

#[derive(Table)]
#[table(index("lower(email)"))]
struct T {
    #[table(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
