use sqlx_table::Table;

#[derive(Table)]
#[table(name = "users", name = "people")]
pub struct User {
    #[table(primary_key)]
    pub id: i64,
    #[table(unique, unique)]
    pub email: String,
    #[table(max_length = 10)]
    #[table(max_length = 20)]
    pub name: String,
}

fn main() {}
