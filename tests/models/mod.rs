//! The models that more than one test binary uses: DESIGN.md's `users` and `voices`.
//! A test binary that declares `mod models;` registers both, so only those that create
//! them declare it.

use chrono::NaiveDateTime;
use sqlx_table::Table;
use uuid::Uuid;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[table(primary_key)]
    pub id: Uuid,
    #[table(unique, max_length = 255)]
    pub email: String,
    pub created_at: Option<NaiveDateTime>,
}

/// A voice sample uploaded by a user.
#[derive(Table)]
#[table(name = "voices")]
pub struct Voice {
    #[table(primary_key, default = uuid)]
    pub voice_id: Uuid,
    #[table(references = User, index, on_delete = "cascade")]
    pub user_id: Uuid,
    #[table(max_length = 200)]
    pub name: String,
    pub description: Option<String>,
    #[table(max_length = 20, default = "uploading", index)]
    pub status: String,
    #[table(default = 0)]
    pub times_used: Option<i32>,
    #[table(default = now)]
    pub created_at: Option<NaiveDateTime>,
}
