use sqlx_table::Table;

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    #[table(sql_type(postgres = "NUMERIC(10,2)", oracle = "NUMBER(10,2)"))]
    price: f64,
}

fn main() {}
