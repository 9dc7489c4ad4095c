use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(index(desc, using = "btree"))]
    email: String,
}

fn main() {}
