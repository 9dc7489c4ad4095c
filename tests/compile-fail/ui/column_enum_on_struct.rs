use sqlx_table::ColumnEnum;

#[derive(ColumnEnum)]
struct Mood {
    happy: bool,
}

fn main() {}
