use sqlx_table::ColumnEnum;

#[derive(ColumnEnum)]
enum Shape {
    Point,
    Circle(f64),
}

fn main() {}
