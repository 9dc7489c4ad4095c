use sqlx_table::Table;

#[derive(Table)]
pub enum Status {
    Active,
    Disabled,
}

fn main() {}
