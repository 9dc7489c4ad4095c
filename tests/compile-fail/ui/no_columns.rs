use sqlx_table::Table;

#[derive(Table)]
pub struct Empty {
    #[table(skip)]
    pub cache: Vec<u8>,
}

fn main() {}
