//! Every error of the contract's table, produced by the real simulator, and what the client makes of
//! it: the job's state, the error code, the plain message, and that nothing was sent twice.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::api::{ApiClient, ApiConfig, ApiError, RateLimiter, SubmitError};
use collect_core::error::Coded;
use collect_core::jobs::{EngineError, JobState};
use collect_core::query::parse_query;
use collect_core::secrets::ApiKey;
use collect_core::ErrorCode;
use coresignal_sim::{Faults, SimConfig, DEFAULT_PRACTICE_KEY};

fn client(harness: &Harness) -> ApiClient {
    ApiClient::new(
        ApiConfig {
            base_url: harness.sim.base_url(),
            retry: fast_retry(),
            ..ApiConfig::default()
        },
        ApiKey::new(DEFAULT_PRACTICE_KEY),
        RateLimiter::new(27),
    )
    .unwrap()
}

#[tokio::test]
async fn a_rejected_key_stops_at_the_price_and_pauses_polling() {
    let harness = Harness::start(quick_sim()).await;
    let engine = open_engine(&harness.sim, harness.dir.path(), "not-a-real-key");
    let error = submit_job(&engine, query_job(python_query(), Some(5)))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::KeyRejected);
    assert!(
        error.user_message().contains("key"),
        "{}",
        error.user_message()
    );
    assert!(
        engine.key_rejected(),
        "polling pauses until the key is fixed"
    );
    assert!(engine.jobs().unwrap().is_empty(), "no quote, so no job");
    assert!(harness.sim.requests().is_empty());
}

#[tokio::test]
async fn insufficient_credits_stops_the_job_and_retry_after_a_top_up_delivers() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_credits(DEFAULT_PRACTICE_KEY, 3);
    let job = harness.submit_python(Some(10)).await;
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(settled.state, JobState::InsufficientCredits);
    assert!(settled.state_reason.unwrap().contains("Add credits"));
    // The page says it in figures, once: what it needs, what the account had, nothing charged.
    let short = harness
        .engine
        .detail(job.id)
        .unwrap()
        .not_enough_credits
        .expect("a 402 comes with its figures");
    assert_eq!(short.needs, 10);
    assert!(
        short
            .message
            .starts_with("This collection needs 10 credits, and your account had 3.")
            && short.message.ends_with("Nothing was charged."),
        "{}",
        short.message
    );
    // The list's Credits column: nothing was charged for it.
    let listed = harness
        .engine
        .list(&collect_core::store::ListPage::default())
        .unwrap();
    assert_eq!(listed[0].credits_charged, Some(0));

    harness.sim.set_credits(DEFAULT_PRACTICE_KEY, 1_000);
    harness.engine.retry(job.id).unwrap();
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(settled.state, JobState::Ready);
    assert_eq!(
        harness.sim.requests().len(),
        1,
        "retry asked again; it did not submit again"
    );
    assert_eq!(harness.sim.credits(DEFAULT_PRACTICE_KEY), Some(990));
    let listed = harness
        .engine
        .list(&collect_core::store::ListPage::default())
        .unwrap();
    assert_eq!(listed[0].credits_charged, Some(10), "files listed: charged");
}

#[tokio::test]
async fn an_identical_search_in_progress_is_refused_and_points_at_the_first_job() {
    let harness = Harness::start(SimConfig {
        processing_time: Duration::from_secs(30),
        ..quick_sim()
    })
    .await;
    let first = harness.submit_python(Some(7)).await;
    let error = submit_job(&harness.engine, query_job(python_query(), Some(7)))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::DuplicateInProgress);
    match error {
        EngineError::DuplicateInProgress { existing_job, .. } => {
            assert_eq!(existing_job, Some(first.id))
        }
        other => panic!("expected a duplicate, got {other:?}"),
    }
    assert_eq!(harness.sim.requests().len(), 1);
}

#[tokio::test]
async fn the_service_refuses_an_id_file_over_10000_ids() {
    let harness = Harness::start(quick_sim()).await;
    let ids: Vec<u64> = (1..=10_001).collect();
    let error = client(&harness)
        .submit_id_file(&ids, None)
        .await
        .unwrap_err();
    match error {
        SubmitError::Rejected(ApiError::TooManyIds { detail }) => {
            assert_eq!(
                detail.as_deref(),
                Some("File contains too many IDs. Maximum is 10,000 IDs")
            )
        }
        other => panic!("expected TooManyIds, got {other:?}"),
    }
    assert!(harness.sim.requests().is_empty());
}

#[tokio::test]
async fn a_query_matching_over_10000_without_a_limit_ends_as_too_many_matches() {
    let harness = Harness::start(quick_sim()).await;
    let everything = parse_query(r#"{"query": {"match_all": {}}}"#).unwrap();
    let job = submit_job(&harness.engine, query_job(everything, None))
        .await
        .unwrap();
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(settled.state, JobState::TooManyMatches);
    assert!(settled.state_reason.unwrap().contains("limit"));
}

#[tokio::test]
async fn no_matches_ends_as_no_results_with_either_status() {
    for no_match_status in [404, 422] {
        let harness = Harness::start(SimConfig {
            no_match_status,
            ..quick_sim()
        })
        .await;
        let nothing =
            parse_query(r#"{"query": {"term": {"full_name.exact": "Nobody At All Zzyzx"}}}"#)
                .unwrap();
        let job = submit_job(&harness.engine, query_job(nothing, Some(5)))
            .await
            .unwrap();
        let settled = harness.engine.wait(job.id, None).await.unwrap();
        assert_eq!(
            settled.state,
            JobState::NoResults,
            "status {no_match_status}"
        );
    }
}

#[tokio::test]
async fn a_request_older_than_30_days_is_expired() {
    let harness = Harness::start(SimConfig {
        processing_time: Duration::from_secs(3600),
        ..quick_sim()
    })
    .await;
    let job = harness.submit_python(Some(5)).await;
    harness
        .sim
        .advance_clock(Duration::from_secs(31 * 24 * 3600));
    backdate_submission(&harness, job.id, 31);
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(settled.state, JobState::Expired);
}

#[tokio::test]
async fn a_storm_of_429s_is_waited_out_and_the_job_still_completes() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_faults(Faults {
        rate_limit_storm: 5,
        ..Faults::default()
    });
    let job = harness.submit_python(Some(5)).await;
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(settled.state, JobState::Ready);
    assert_eq!(
        harness.sim.requests().len(),
        1,
        "a POST answered 429 created nothing; re-sent once"
    );
}

#[tokio::test]
async fn bursts_of_server_errors_on_polls_and_downloads_are_retried() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_faults(Faults {
        error_rate: coresignal_sim::PerGroup {
            status: 0.5,
            download: 0.5,
            ..Default::default()
        },
        ..Faults::default()
    });
    let job = harness.submit_python(Some(20)).await;
    let _scheduler = Scheduler::start(&harness.engine);
    let done = wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    assert!(done.state_reason.unwrap().contains("20 profiles"));
}

#[tokio::test]
async fn a_post_answered_503_created_nothing_and_is_sent_again() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_faults(Faults {
        submit_unavailable: 1,
        ..Faults::default()
    });
    let job = harness.submit_python(Some(5)).await;
    assert_eq!(job.state, JobState::Processing);
    assert_eq!(harness.sim.requests().len(), 1);
}

#[tokio::test]
async fn a_post_lost_after_the_request_was_created_is_uncertain_and_never_resent() {
    for status in [500, 502, 504] {
        let harness = Harness::start(SimConfig {
            processing_time: Duration::from_secs(60),
            ..quick_sim()
        })
        .await;
        harness.sim.set_faults(Faults {
            submit_lost: 1,
            submit_lost_status: status,
            ..Faults::default()
        });
        let error = submit_job(&harness.engine, query_job(python_query(), Some(5)))
            .await
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::Uncertain, "status {status}");
        assert!(
            error.user_message().contains("not sent again"),
            "{}",
            error.user_message()
        );
        let job = &harness.engine.jobs().unwrap()[0];
        assert_eq!(job.state, JobState::Uncertain);
        assert_eq!(harness.sim.requests().len(), 1, "the service did create it");
        let posts = harness
            .sim
            .calls()
            .iter()
            .filter(|call| call.endpoint == coresignal_sim::Endpoint::SubmitEsDsl)
            .count();
        assert_eq!(posts, 1, "the POST was sent once only (status {status})");

        // An identical POST answered 409 proves the first one exists.
        let again = submit_job(&harness.engine, query_job(python_query(), Some(5)))
            .await
            .unwrap_err();
        assert_eq!(again.code(), ErrorCode::DuplicateInProgress);
    }
}

#[tokio::test]
async fn a_post_that_times_out_is_uncertain() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_faults(Faults {
        delay_ms: coresignal_sim::PerGroup {
            submit: 4_000,
            ..Default::default()
        },
        ..Faults::default()
    });
    let engine = open_engine_with(
        &harness.sim,
        harness.dir.path(),
        DEFAULT_PRACTICE_KEY,
        Duration::from_millis(1_500),
    );
    let error = submit_job(&engine, query_job(python_query(), Some(5)))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Uncertain);
    assert_eq!(engine.jobs().unwrap()[0].state, JobState::Uncertain);
    // Whether the service finished creating it before the client gave up is unknowable — which is
    // the point; what matters is that it was not sent again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(harness.sim.requests().len() <= 1, "sent once at most");
}
