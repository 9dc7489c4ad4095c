use sqlx_table::Table;

#[derive(Table)]
pub struct Point(i32, i32);

fn main() {}
