use sqlx_table::ColumnEnum;

#[derive(ColumnEnum)]
#[sqlx(rename_all = "Title Case")]
enum Mood {
    Happy,
}

fn main() {}
