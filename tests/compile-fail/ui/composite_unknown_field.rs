use sqlx_table::Table;

#[derive(Table)]
#[table(index(owner_id, craeted_at), unique(owner_id, owner_id))]
pub struct Document {
    #[table(primary_key)]
    pub id: i64,
    pub owner_id: i64,
    pub created_at: chrono::NaiveDateTime,
}

fn main() {}
