use sqlx_table::Table;

#[derive(Table, sqlx::FromRow)]
#[sqlx(rename_all = "Title Case")]
pub struct Profile {
    #[table(primary_key)]
    pub user_id: i64,
}

fn main() {}
