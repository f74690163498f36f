//! Coresignal out of reach for longer than the client's retries last, while an accepted request is
//! processing and while its files download: the job is never failed for it. It waits, saying
//! "Waiting for Coresignal to come back", and completes once the service (the real simulator,
//! stopped and started again on the same state and port) answers again, with the service's files
//! byte for byte. The real engine and scheduler, over HTTP, with a real SQLite file.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bulk_collect_tests::proof::checks::fetch;
use bulk_collect_tests::*;
use collect_core::jobs::{Engine, JobState, WAITING_FOR_SERVICE};
use collect_core::query::parse_query;
use collect_core::store::JobRow;
use coresignal_sim::{Faults, SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

fn config(data_dir: &Path, port: Option<u16>) -> SimConfig {
    SimConfig {
        processing_time: Duration::from_millis(500),
        records_per_file: 500,
        data_dir: Some(data_dir.to_owned()),
        port,
        ..quick_sim()
    }
}

/// Waits (at most 60 s) until job `id`'s reason says it waits for the service; it must never fail
/// meanwhile. Returns the job as it waits.
async fn wait_for_the_waiting_words(engine: &Engine, id: i64) -> JobRow {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let job = engine.job(id).unwrap();
        let reason = job.state_reason.clone().unwrap_or_default();
        if reason.starts_with(WAITING_FOR_SERVICE) {
            return job;
        }
        let trail = engine.store().events(id).unwrap();
        assert!(
            job.state.is_active() && tokio::time::Instant::now() < deadline,
            "job {id} is {:?} ({reason:?}), not waiting for the service; trail: {trail:#?}",
            job.state
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The job's files are the service's, byte for byte, and it never was failed.
async fn check_delivery(engine: &Engine, sim: &Simulator, job: &JobRow) {
    let request = job.request_id.as_deref().unwrap();
    let files = engine.store().files(job.id).unwrap();
    assert!(!files.is_empty());
    for file in files {
        let served = fetch(sim, DEFAULT_PRACTICE_KEY, request, &file.server_name).await;
        let local = std::fs::read(file.path.unwrap()).unwrap();
        assert!(local == served, "{} differs", file.server_name);
    }
    let trail = engine.store().events(job.id).unwrap();
    assert!(
        trail
            .iter()
            .all(|event| event.to_state != Some(JobState::Failed)),
        "{trail:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_processing_job_waits_while_the_service_is_away_then_completes() {
    let dir = tempfile::tempdir().unwrap();
    let sim_dir = dir.path().join("sim");
    let sim = Simulator::start(config(&sim_dir, None)).await.unwrap();
    let port = sim.addr().port();
    let engine = open_engine(&sim, dir.path(), DEFAULT_PRACTICE_KEY);
    let job = submit_job(&engine, query_job(python_query(), Some(30)))
        .await
        .unwrap();
    assert_eq!(job.state, JobState::Processing);
    sim.shutdown().await;

    let _scheduler = Scheduler::start(&engine);
    let waiting = wait_for_the_waiting_words(&engine, job.id).await;
    assert_eq!(waiting.state, JobState::Processing);

    let sim = Simulator::start(config(&sim_dir, Some(port)))
        .await
        .unwrap();
    let done = wait_for_state(&engine, job.id, JobState::Downloaded).await;
    check_delivery(&engine, &sim, &done).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_waits_while_the_service_is_away_then_continues_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let sim_dir = dir.path().join("sim");
    let sim = Simulator::start(config(&sim_dir, None)).await.unwrap();
    let port = sim.addr().port();
    let engine: Arc<Engine> = open_engine(&sim, dir.path(), DEFAULT_PRACTICE_KEY);
    let everything = parse_query(r#"{"query": {"match_all": {}}}"#).unwrap();
    let job = submit_job(&engine, query_job(everything, Some(4_000)))
        .await
        .unwrap();
    engine.wait(job.id, None).await.unwrap();
    sim.set_faults(Faults {
        throttle_bytes_per_second: Some(256 * 1024),
        ..Faults::default()
    });

    let _scheduler = Scheduler::start(&engine);
    wait_for_state(&engine, job.id, JobState::Downloading).await;
    let partial = dir.path().join("downloads");
    while files_under(&partial).is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sim.shutdown().await;
    let waiting = wait_for_the_waiting_words(&engine, job.id).await;
    assert_eq!(waiting.state, JobState::Ready);

    let sim = Simulator::start(config(&sim_dir, Some(port)))
        .await
        .unwrap();
    let done = wait_for_state(&engine, job.id, JobState::Downloaded).await;
    check_delivery(&engine, &sim, &done).await;
}
