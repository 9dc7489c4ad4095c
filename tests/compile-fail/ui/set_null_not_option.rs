use sqlx_table::Table;

#[derive(Table)]
pub struct User {
    #[table(primary_key)]
    pub id: i64,
}

#[derive(Table)]
pub struct Post {
    #[table(primary_key)]
    pub id: i64,
    #[table(references = User, on_delete = "set null")]
    pub author_id: i64,
}

fn main() {}
