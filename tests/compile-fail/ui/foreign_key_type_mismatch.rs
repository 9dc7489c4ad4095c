use sqlx_table::Table;

#[derive(Table)]
pub struct User {
    #[table(primary_key)]
    pub id: uuid::Uuid,
}

#[derive(Table)]
pub struct Session {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = User)]
    pub user_id: i32,
}

fn main() {}
