use sqlx_table::Table;

#[derive(Table)]
#[table(index(email, where = "a", where = "b"))]
struct T {
    #[table(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
