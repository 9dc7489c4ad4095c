use sqlx_table::Table;

#[derive(Table)]
pub struct Post {
    #[table(primary_key)]
    pub id: i64,
    #[table(default = 0, default_sql = "1 + 1")]
    pub views: i32,
}

fn main() {}
