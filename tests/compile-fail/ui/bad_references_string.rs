use sqlx_table::Table;

#[derive(Table)]
pub struct Order {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = "customers")]
    pub customer_id: i64,
    #[table(references = "customers(id, region)")]
    pub region_id: i64,
}

fn main() {}
