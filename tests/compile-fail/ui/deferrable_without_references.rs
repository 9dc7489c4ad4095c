use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(deferrable)]
    parent_id: i64,
}

fn main() {}
