use sqlx_table::Table;

#[derive(Table)]
pub struct User {
    #[table(primary_key)]
    pub id: i64,
    pub email: String,
    #[table(name = "email")]
    pub email_address: String,
}

fn main() {}
