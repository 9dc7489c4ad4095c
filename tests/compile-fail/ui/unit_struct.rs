use sqlx_table::Table;

#[derive(Table)]
pub struct Marker;

fn main() {}
