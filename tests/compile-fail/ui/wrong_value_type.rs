use sqlx_table::Table;

#[derive(Table)]
#[table(name = users)]
pub struct User {
    #[table(primary_key = true)]
    pub id: i64,
    #[table(max_length = "255")]
    pub email: String,
    #[table(default = some_function())]
    pub score: i32,
    #[table(index = "yes")]
    pub name: String,
}

fn main() {}
