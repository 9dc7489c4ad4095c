use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(charset = "latin1")]
    count: i64,
    #[table(collation = "latin1_bin")]
    data: Vec<u8>,
}

fn main() {}
