use sqlx_table::Table;

#[derive(Table)]
#[table(index(a, b, name = "ix_a_name_that_goes_on_and_on_past_what_postgresql_keeps_whole_x"))]
struct T {
    #[table(primary_key)]
    id: i64,
    a: i32,
    #[table(references = "other(id)", fk_name = "FK_a_foreign_key_name_that_is_far_longer_than_the_sixty_three_bytes_postgresql_keeps")]
    b: i64,
}

fn main() {}
