use sqlx_table::Table;

#[derive(Table)]
pub struct Post {
    #[table(primary_key, default = now)]
    pub id: uuid::Uuid,
    #[table(default = uuid)]
    pub author: i64,
    #[table(default = true)]
    pub title: String,
    #[table(default = 1.5)]
    pub published: bool,
}

fn main() {}
