use sqlx_table::ColumnEnum;

#[derive(ColumnEnum)]
#[sqlx(type_name = "\"Mood\"")]
enum Mood {
    Happy,
}

fn main() {}
