//! The happy paths, end to end over real HTTP: estimate, submit, poll, download, verify — for an
//! ES DSL query and for an ID file, under every documented variant of the service's answers.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use bulk_collect_tests::*;
use collect_core::jobs::{JobState, Mode};
use collect_core::library::Library;
use collect_core::store::{EventKind, FileState};
use coresignal_sim::{PendingStyle, SimConfig};

#[tokio::test]
async fn a_search_is_estimated_submitted_polled_and_downloaded() {
    let harness = Harness::start(quick_sim()).await;
    let engine = &harness.engine;

    let estimate = engine
        .quote(&query_job(python_query(), Some(40)))
        .await
        .unwrap();
    assert!(
        estimate.matches > 40,
        "the sample query matches more than the limit: {estimate:?}"
    );
    assert_eq!(estimate.records, 40);
    assert_eq!(estimate.credits, 40);
    assert!(
        estimate.balance.is_some(),
        "the balance comes from x-credits-remaining"
    );

    let job = harness.submit_python(Some(40)).await;
    assert_eq!(job.state, JobState::Processing);
    assert!(job.request_id.is_some());

    let _scheduler = Scheduler::start(engine);
    let done = wait_for_state(engine, job.id, JobState::Downloaded).await;

    let detail = engine.detail(done.id).unwrap();
    assert_eq!(detail.files.len(), 1);
    let file = &detail.files[0];
    assert_eq!(file.state, FileState::Done);
    assert_eq!(file.records, Some(40));
    let path = std::path::Path::new(file.path.as_deref().unwrap());
    assert!(
        path.starts_with(harness.downloads()),
        "{} is in the downloads folder",
        path.display()
    );
    let records = read_records(path);
    assert_eq!(records.len(), 40);
    assert!(records.iter().all(|record| record["id"].is_u64()));
    assert!(
        !harness.downloads().join(".partial").exists()
            || files_under(&harness.downloads().join(".partial")).is_empty(),
        "no partial files are left behind"
    );

    let states: Vec<_> = detail
        .events
        .iter()
        .filter(|event| event.kind == EventKind::State)
        .filter_map(|event| event.to_state)
        .collect();
    assert_eq!(
        states,
        [
            JobState::Submitting,
            JobState::Processing,
            JobState::Ready,
            JobState::Downloading,
            JobState::Downloaded
        ]
    );
    assert!(
        detail
            .events
            .iter()
            .any(|event| event.kind == EventKind::Server && event.http_status == Some(201)),
        "the server's answers are in the audit trail"
    );
    assert_eq!(
        harness.sim.requests().len(),
        1,
        "exactly one request was created"
    );
    assert_eq!(
        engine.last_balance().unwrap(),
        harness.sim.credits(coresignal_sim::DEFAULT_PRACTICE_KEY)
    );
}

#[tokio::test]
async fn a_downloaded_job_s_people_are_kept_in_the_library() {
    let harness = Harness::start(SimConfig {
        records_per_file: 15,
        ..quick_sim()
    })
    .await;
    let engine = &harness.engine;
    let job = harness.submit_python(Some(40)).await;
    let _scheduler = Scheduler::start(engine);
    wait_for_state(engine, job.id, JobState::Downloaded).await;

    let ids: Vec<i64> = engine
        .store()
        .files(job.id)
        .unwrap()
        .iter()
        .flat_map(|file| read_records(std::path::Path::new(file.path.as_deref().unwrap())))
        .map(|record| record["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 40);
    let library = Library::new(engine.store().clone());
    assert_eq!(library.count(Mode::Practice.library_dataset()).unwrap(), 40);
    let held = library
        .lookup(Mode::Practice.library_dataset(), &ids)
        .unwrap();
    assert_eq!(held.len(), 40, "every downloaded person is in the library");
    let person = library
        .person(Mode::Practice.library_dataset(), ids[0])
        .unwrap()
        .unwrap();
    assert_eq!(person["id"].as_i64(), Some(ids[0]));
    let events = engine.detail(job.id).unwrap().events;
    assert!(
        events
            .iter()
            .any(|event| event.detail == "Kept 40 profiles in your people library."),
        "the trail says so: {events:?}"
    );
}

#[tokio::test]
async fn a_library_that_cannot_keep_the_people_does_not_fail_the_job() {
    let harness = Harness::start(quick_sim()).await;
    let engine = &harness.engine;
    let database = rusqlite::Connection::open(engine.store().path().unwrap()).unwrap();
    database.execute_batch("DROP TABLE people").unwrap();
    let job = harness.submit_python(Some(10)).await;
    let _scheduler = Scheduler::start(engine);
    let done = wait_for_state(engine, job.id, JobState::Downloaded).await;

    assert_eq!(done.state, JobState::Downloaded);
    let events = engine.detail(job.id).unwrap().events;
    assert!(
        events.iter().any(|event| event
            .detail
            .starts_with("This collection's people could not be kept in your people library.")
            && event.detail.contains("no such table")),
        "the trail says why: {events:?}"
    );
}

#[tokio::test]
async fn an_id_file_is_submitted_and_every_profile_arrives() {
    let harness = Harness::start(quick_sim()).await;
    let engine = &harness.engine;
    let job = submit_job(engine, ids_job("ids-valid.csv")).await.unwrap();
    assert_eq!(job.ids_count, Some(500));

    let _scheduler = Scheduler::start(engine);
    wait_for_state(engine, job.id, JobState::Downloaded).await;

    let files = engine.store().files(job.id).unwrap();
    let records: Vec<_> = files
        .iter()
        .flat_map(|file| read_records(std::path::Path::new(file.path.as_deref().unwrap())))
        .collect();
    assert_eq!(records.len(), 500);
    let wanted: std::collections::BTreeSet<u64> =
        std::fs::read_to_string(shared_data("ids-valid.csv"))
            .unwrap()
            .lines()
            .filter_map(|line| line.trim().parse().ok())
            .collect();
    let got: std::collections::BTreeSet<u64> =
        records.iter().filter_map(|r| r["id"].as_u64()).collect();
    assert_eq!(got, wanted, "exactly the IDs of the file came back");
}

#[tokio::test]
async fn a_request_delivered_in_several_files_downloads_them_all() {
    let harness = Harness::start(SimConfig {
        records_per_file: 15,
        ..quick_sim()
    })
    .await;
    let job = harness.submit_python(Some(40)).await;
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let files = harness.engine.store().files(job.id).unwrap();
    assert_eq!(files.len(), 3);
    let total: u64 = files.iter().map(|file| file.records.unwrap()).sum();
    assert_eq!(total, 40);
    let names: std::collections::BTreeSet<_> =
        files.iter().map(|file| file.local_name.clone()).collect();
    assert_eq!(names.len(), 3, "local names are unique");
}

/// Every documented variant of the answers: 200 or 201, `request_id` or only `Location`, the three
/// ways of saying "still processing".
#[tokio::test]
async fn every_documented_answer_variant_is_understood() {
    let variants = [
        (201, true, PendingStyle::Accepted),
        (200, true, PendingStyle::EmptyList),
        (201, false, PendingStyle::Message),
        (200, false, PendingStyle::Accepted),
    ];
    for (created_status, request_id_in_body, pending_style) in variants {
        let harness = Harness::start(SimConfig {
            created_status,
            request_id_in_body,
            pending_style,
            processing_time: std::time::Duration::from_millis(300),
            ..quick_sim()
        })
        .await;
        let job = harness.submit_python(Some(5)).await;
        let sim_request = &harness.sim.requests()[0];
        assert_eq!(
            job.request_id.as_deref(),
            Some(sim_request.id.as_str()),
            "request id read for {created_status}/{request_id_in_body}"
        );
        let settled = harness.engine.wait(job.id, None).await.unwrap();
        assert_eq!(settled.state, JobState::Ready, "{pending_style:?}");
        assert!(
            settled.poll_count >= 2,
            "it was pending at least once ({pending_style:?})"
        );
    }
}
