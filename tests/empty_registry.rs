//! A binary that links no model: the mistake of a models crate that was never linked.
//! `create_all` succeeds, does nothing, and says why in a warning.

mod common;

use common::logs::Logs;

#[tokio::test]
async fn create_all_with_no_model_warns_how_to_link_the_models() {
    assert!(
        sqlx_table::registered().is_empty(),
        "this binary must link no model for the test to mean anything"
    );
    let db = common::sqlite().await;
    let (logs, _guard) = Logs::capture();
    let report = sqlx_table::create_all(&db.pool).await.unwrap();
    assert!(report.created.is_empty() && report.existing.is_empty());
    assert_eq!(report.round_trips, 0);
    let text = logs.text();
    assert!(text.contains("WARN"), "{text}");
    assert!(text.contains("no table is registered"), "{text}");
    assert!(text.contains("use my_models as _;"), "{text}");
}
