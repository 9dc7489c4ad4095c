use sqlx_table::Table;

#[derive(Table)]
pub struct Comment {
    #[table(primary_key)]
    pub id: i64,
    #[table(on_delete = "cascade")]
    pub post_id: i64,
}

fn main() {}
