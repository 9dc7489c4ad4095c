use sqlx_table::Table;

pub struct Address {
    pub street: String,
}

#[derive(Table)]
pub struct Customer {
    #[table(primary_key)]
    pub id: i64,
    pub address: Address,
    pub tags: Vec<String>,
}

fn main() {}
