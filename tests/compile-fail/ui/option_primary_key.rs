use sqlx_table::Table;

#[derive(Table)]
pub struct Setting {
    #[table(primary_key)]
    pub key: Option<String>,
    pub value: String,
}

fn main() {}
