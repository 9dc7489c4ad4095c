use sqlx_table::Table;

#[derive(Table)]
#[table(primary_key(tenant_id, user_id))]
pub struct Membership {
    pub tenant_id: i64,
    #[table(primary_key)]
    pub user_id: i64,
    pub role: String,
}

fn main() {}
