use sqlx_table::Table;

// `index` on a composite key's second column is a real index and is accepted; on its
// leading column, or on a single-column key, it is the key's own index again.
#[derive(Table)]
#[table(primary_key(a, b))]
struct Pair {
    #[table(index)]
    a: i64,
    #[table(index)]
    b: i64,
}

#[derive(Table)]
struct One {
    #[table(primary_key, index)]
    id: i64,
}

fn main() {}
