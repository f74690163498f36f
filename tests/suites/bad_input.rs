//! Bad input never crashes and never spends: ID files and queries people really write get a clear
//! message that says what is wrong and where, and nothing reaches the service.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use bulk_collect_tests::*;
use collect_core::error::Coded;
use collect_core::ids::{parse_id_list, read_id_file};
use collect_core::jobs::{JobRequest, NewJob};
use collect_core::query::parse_query;
use collect_core::ErrorCode;

#[tokio::test]
async fn an_id_file_with_problems_sends_only_the_clean_ids() {
    let harness = Harness::start(quick_sim()).await;
    let report = read_id_file(&shared_data("ids-with-problems.csv")).unwrap();
    assert!(!report.problems.is_empty(), "the bad lines are reported");
    assert!(report.duplicates_removed > 0);
    for problem in &report.problems {
        assert!(problem.line > 1, "each problem names its line");
        assert!(!problem.reason.is_empty());
    }
    let clean = report.ids.clone();
    let job = submit_job(
        &harness.engine,
        NewJob {
            name: None,
            request: JobRequest::Ids {
                report,
                source_file: None,
                split: false,
                list: None,
            },
            webhook_url: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(job.ids_count, Some(clean.len() as u32));
    let sent = &harness.sim.requests()[0];
    assert_eq!(
        sent.matched,
        clean.len(),
        "the service received exactly the clean list"
    );
}

#[tokio::test]
async fn an_id_file_over_the_limit_is_refused_before_anything_is_sent() {
    let harness = Harness::start(quick_sim()).await;
    let error = submit_job(&harness.engine, ids_job("ids-over-limit.csv"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::TooManyIds);
    assert!(
        error.user_message().contains("10,000"),
        "{}",
        error.user_message()
    );
    assert!(harness.sim.requests().is_empty());
    assert!(
        harness.engine.jobs().unwrap().is_empty(),
        "no job row for a refused file"
    );
}

#[test]
fn files_that_are_not_id_lists_get_a_clear_error() {
    let empty = parse_id_list(b"").unwrap_err();
    assert_eq!(empty.code(), ErrorCode::InvalidIdFile);
    let binary = parse_id_list(&[0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x13]).unwrap_err();
    assert_eq!(binary.code(), ErrorCode::InvalidIdFile);
    let words = parse_id_list(b"id\nalice\nbob\n").unwrap_err();
    assert_eq!(words.code(), ErrorCode::InvalidIdFile);
}

#[test]
fn a_malformed_query_names_the_line_and_column() {
    let text = std::fs::read_to_string(shared_data("query-malformed.json")).unwrap();
    let error = parse_query(&text).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidQuery);
    let message = error.user_message();
    assert!(message.contains("line 2"), "{message}");
    assert!(message.contains("column"), "{message}");
}

#[tokio::test]
async fn a_query_on_experience_outside_nested_is_refused_with_its_path() {
    let harness = Harness::start(quick_sim()).await;
    let error = parse_query(
        r#"{"query": {"bool": {"must": [{"match": {"experience.title": "engineer"}}]}}}"#,
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidQuery);
    let message = error.user_message();
    assert!(message.contains("query.bool.must[0]"), "{message}");
    assert!(message.contains("nested"), "{message}");
    assert!(harness.sim.requests().is_empty());
}

#[tokio::test]
async fn a_limit_or_webhook_out_of_bounds_is_refused_before_anything_is_sent() {
    let harness = Harness::start(quick_sim()).await;
    let error = submit_job(&harness.engine, query_job(python_query(), Some(10_001)))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let mut job = query_job(python_query(), Some(5));
    job.webhook_url = Some("http://insecure.example/hook".into());
    let error = submit_job(&harness.engine, job).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert!(error.user_message().contains("https://"));
    assert!(harness.sim.requests().is_empty());
    assert!(
        harness.sim.calls().is_empty(),
        "not even an estimate was made"
    );
}
