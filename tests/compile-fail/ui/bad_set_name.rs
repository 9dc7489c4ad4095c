use sqlx_table::Table;

#[derive(Table)]
#[table(set = "")]
struct Empty {
    #[table(primary_key)]
    id: i64,
}

#[derive(Table)]
#[table(set = "analytics db")]
struct Spaced {
    #[table(primary_key)]
    id: i64,
}

fn main() {}
