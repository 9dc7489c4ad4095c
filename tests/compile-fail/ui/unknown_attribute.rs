use sqlx_table::Table;

#[derive(Table)]
#[table(nmae = "users")]
pub struct User {
    #[table(primary_key)]
    pub id: i64,
    #[table(uniqe)]
    pub email: String,
    #[table(rename = "full_name")]
    pub name: String,
}

fn main() {}
