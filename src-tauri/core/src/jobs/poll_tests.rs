//! Tests of `poll.rs` and the scheduler's poll tasks against a scripted peer over real HTTP and a
//! real SQLite file: a `Retry-After` of any size waits at most a day and panics nowhere, and a
//! poll task that ends in any way (a panic included) gives its job back to the scheduler.

use std::sync::Arc;
use std::time::Duration;

use crate::api::scripted_peer::{Reply, ScriptedPeer};
use crate::api::{ApiError, LONGEST_WAIT};
use crate::jobs::tests::engine_at;
use crate::store::parse_time;

use super::*;
use crate::property;
use proptest::prelude::*;

/// A job the service accepted as `request_id`, now `processing`.
pub(super) async fn processing(engine: &Engine, request_id: &str) -> crate::store::JobRow {
    let job = crate::jobs::tests::orphan(engine).await;
    engine.store().set_request_id(job.id, request_id).unwrap();
    engine.recover().unwrap();
    let job = engine.job(job.id).unwrap();
    assert_eq!(job.state, JobState::Processing);
    job
}

#[tokio::test]
async fn a_huge_retry_after_on_a_poll_waits_at_most_a_day_and_does_not_panic() {
    let huge = u64::MAX.to_string();
    let limited = Reply::json(429, r#"{"detail":"Too many requests"}"#).with("retry-after", &huge);
    let peer = ScriptedPeer::start(vec![limited.clone(), limited]).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), &peer.base_url);
    let job = processing(&engine, "r-huge").await;

    let error = engine.poll_once(job.id).await.unwrap_err();
    assert!(
        matches!(error, EngineError::Api(ApiError::RateLimited { .. })),
        "{error:?}"
    );
    let row = engine.job(job.id).unwrap();
    assert_eq!(row.state, JobState::Processing, "asked again later");
    let next = parse_time(row.next_poll_at.as_deref().unwrap()).unwrap();
    let day = time::Duration::try_from(LONGEST_WAIT).unwrap();
    assert!(
        next <= time::OffsetDateTime::now_utc() + day,
        "the next check ({next}) is at most a day away"
    );
    assert!(engine.due_in(&row) <= LONGEST_WAIT);
    let trail = engine.store().events(job.id).unwrap();
    assert!(
        trail
            .iter()
            .any(|event| event.detail.starts_with("Coresignal asked to wait")),
        "{trail:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_task_that_panics_gives_its_job_back_and_it_is_polled_again() {
    let pending = Reply::json(202, r#"{"message":"Still processing."}"#);
    let peer = ScriptedPeer::start(vec![pending.clone(), pending.clone(), pending]).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), &peer.base_url);
    let job = processing(&engine, "r-panics-once").await;
    crate::test_seams::panic_on_next_poll("r-panics-once");

    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let scheduler = tokio::spawn(Arc::clone(&engine).run(shutdown));
    // The first poll is answered, then its task panics; the scheduler must ask again.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while peer.received().len() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the job was not polled again after its poll task panicked ({} poll(s))",
            peer.received().len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send_replace(true);
    scheduler.await.unwrap();
    assert_eq!(engine.job(job.id).unwrap().state, JobState::Processing);
}

/// `Retry-After` values: any text, every size of number, HTTP dates of every year.
fn retry_after_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        any::<u64>().prop_map(|n| n.to_string()),
        "[0-9]{1,40}",
        (0u32..=9999, 0usize..12, 1u32..=31, 0u32..24).prop_map(|(year, month, day, hour)| {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!(
                "Fri, {day:02} {} {year:04} {hour:02}:00:00 GMT",
                MONTHS[month]
            )
        }),
    ]
}

/// Any `Retry-After` on a poll's last 429, through the poll's own handling of a failed poll: no
/// panic, and the next check is at most a day away.
#[test]
fn any_retry_after_on_a_poll_is_handled_and_waits_at_most_a_day() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), "http://127.0.0.1:9/cdapi");
    let job = runtime.block_on(processing(&engine, "r-any"));
    let day = time::Duration::try_from(LONGEST_WAIT).unwrap();
    property::check(
        "any_retry_after_on_a_poll_is_handled_and_waits_at_most_a_day",
        property::cases(64),
        retry_after_value(),
        |value| {
            let asked = crate::api::parse_retry_after(&value, std::time::SystemTime::now());
            let error = ApiError::RateLimited {
                detail: None,
                retry_after: asked,
            };
            prop_assert!(engine.poll_failed(&job, error).is_err());
            let row = engine.job(job.id).unwrap();
            let next = row.next_poll_at.as_deref().and_then(parse_time).unwrap();
            prop_assert!(next <= time::OffsetDateTime::now_utc() + day, "{}", next);
            prop_assert!(engine.due_in(&row) <= LONGEST_WAIT);
            Ok(())
        },
    );
}

/// A job whose request id `attached` a person typed in, `processing`, one "not found" short of
/// giving the id up. Returns the job as a poll of `attached` sees it before it is sent.
async fn attached_one_short(engine: &Engine, attached: &str) -> crate::store::JobRow {
    let job = crate::jobs::tests::orphan(engine).await;
    engine.recover().unwrap();
    assert_eq!(engine.job(job.id).unwrap().state, JobState::Uncertain);
    let attached_row = engine
        .store()
        .attach_request(job.id, attached, "I found it.")
        .unwrap();
    assert!(matches!(attached_row, crate::store::Attached::Moved(_)));
    engine
        .store()
        .set_poll_failures(job.id, NOT_FOUND_ATTEMPTS - 1)
        .unwrap();
    let polled = engine.job(job.id).unwrap();
    assert!(polled.request_attached);
    polled
}

#[tokio::test]
async fn a_not_found_about_an_attached_id_never_wipes_the_id_that_replaced_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), "http://127.0.0.1:9/cdapi");
    let polled = attached_one_short(&engine, "r-typed").await;
    // While the poll of "r-typed" is out, the late answer of the earlier POST gives the job its
    // real (paid) request id.
    engine.store().set_request_id(polled.id, "r-paid").unwrap();

    let row = engine
        .record_poll(&polled, PollOutcome::Expired { detail: None })
        .unwrap();
    let stored = engine.job(polled.id).unwrap();
    assert_eq!(stored.request_id.as_deref(), Some("r-paid"));
    assert_eq!(stored.state, JobState::Processing, "the job is not moved");
    assert_eq!(row.request_id.as_deref(), Some("r-paid"));
}

#[tokio::test]
async fn a_poll_answer_about_a_replaced_request_id_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), "http://127.0.0.1:9/cdapi");
    let polled = processing(&engine, "r-old").await;
    engine.store().set_request_id(polled.id, "r-new").unwrap();
    for outcome in [
        PollOutcome::Ready {
            status: 200,
            files: vec!["a.json.gz".into()],
        },
        PollOutcome::NoResults {
            status: 404,
            detail: None,
        },
        PollOutcome::Expired { detail: None },
    ] {
        engine.record_poll(&polled, outcome).unwrap();
        let stored = engine.job(polled.id).unwrap();
        assert_eq!(stored.state, JobState::Processing);
        assert_eq!(stored.request_id.as_deref(), Some("r-new"));
        assert_eq!(stored.poll_failures, 0);
        assert!(engine.store().files(polled.id).unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_files_of_a_polled_request_never_land_on_a_job_whose_id_changed_in_between() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), "http://127.0.0.1:9/cdapi");
    let polled = processing(&engine, "r-old").await;
    let files = vec![("a.json.gz".to_owned(), "a.json.gz".to_owned())];
    // The request id changes between the poll's check and its write of the files.
    engine.store().set_request_id(polled.id, "r-new").unwrap();
    assert!(!engine
        .store()
        .upsert_polled_files(polled.id, "r-old", &files)
        .unwrap());
    assert!(engine.store().files(polled.id).unwrap().is_empty());
    assert!(engine
        .store()
        .upsert_polled_files(polled.id, "r-new", &files)
        .unwrap());
    assert_eq!(engine.store().files(polled.id).unwrap().len(), 1);
}

#[tokio::test]
async fn forgetting_an_unknown_attached_id_leaves_a_request_id_that_replaced_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), "http://127.0.0.1:9/cdapi");
    let polled = attached_one_short(&engine, "r-typed").await;
    // Between the last check and the write, the job got its real request id.
    engine.store().set_request_id(polled.id, "r-paid").unwrap();
    let forgotten = engine
        .store()
        .forget_unknown_request(polled.id, "r-typed", "unknown", ErrorCode::NotFound)
        .unwrap();
    assert!(forgotten.is_none(), "nothing is forgotten");
    let stored = engine.job(polled.id).unwrap();
    assert_eq!(stored.request_id.as_deref(), Some("r-paid"));
    assert_eq!(stored.state, JobState::Processing);
    assert_eq!(
        stored.poll_failures, 0,
        "a new request id is counted afresh"
    );

    // The id a person typed, still the job's, is forgotten and the job is uncertain again.
    let again = attached_one_short(&engine, "r-typed-2").await;
    let moved = engine
        .store()
        .forget_unknown_request(again.id, "r-typed-2", "unknown", ErrorCode::NotFound)
        .unwrap()
        .unwrap();
    assert_eq!(moved.state, JobState::Uncertain);
    assert_eq!(moved.request_id, None);
}
