use sqlx_table::{ColumnEnum, Table};

#[derive(ColumnEnum)]
#[repr(i16)]
enum Priority {
    Low = 1,
    High = 5,
}

#[derive(ColumnEnum)]
#[sqlx(no_pg_array)]
enum Mood {
    Sad,
    Happy,
}

#[derive(Table)]
struct T {
    #[table(primary_key)]
    id: i64,
    priorities: Vec<Priority>,
    moods: Vec<Mood>,
}

fn main() {}
