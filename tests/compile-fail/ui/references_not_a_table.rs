use sqlx_table::Table;

pub struct Account {
    pub id: i64,
}

#[derive(Table)]
pub struct Invoice {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = Account)]
    pub account_id: i64,
}

fn main() {}
