//! Polls and downloads: side by side, capped, a 404 before 30 days, a long Retry-After.

use super::*;

// ----- 9: a 404 before the 30 days is not "expired" ------------------------------------------------

#[tokio::test]
async fn a_404_before_thirty_days_is_asked_again_then_fails_with_retry_not_expired() {
    let harness = Harness::start(slow_sim()).await;
    let job = harness.submit_python(Some(9)).await;
    // The service answers 404 for it (as for a request it cannot find yet).
    sql(
        &harness,
        "UPDATE jobs SET request_id = 'not-known-yet' WHERE id = ?1",
        &[&job.id],
    );
    let settled = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(
        settled.state,
        JobState::Failed,
        "{:?}",
        settled.state_reason
    );
    assert_eq!(settled.error_code, Some(ErrorCode::NotFound));
    assert!(settled.poll_count >= 5, "asked again before giving up");
    assert!(settled.state_reason.unwrap().contains("Retry"));
    assert!(harness
        .engine
        .detail(job.id)
        .unwrap()
        .actions
        .contains(&JobAction::Retry));
    let retried = harness.engine.retry(job.id).unwrap();
    assert_eq!(retried.state, JobState::Processing);
}

// ----- 10: polls run side by side; downloads are capped ---------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_of_several_jobs_run_side_by_side() {
    let harness = Harness::start(slow_sim()).await;
    for limit in 1..=4 {
        harness.submit_python(Some(limit)).await;
    }
    harness.sim.set_faults(Faults {
        delay_ms: PerGroup {
            status: 600,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
    let _scheduler = Scheduler::start(&harness.engine);
    let mut most = 0;
    for _ in 0..200 {
        most = most.max(harness.engine.polls_in_flight());
        if most >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(most, 4, "one slow poll does not hold the others back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_more_downloads_run_at_once_than_the_setting_allows() {
    let harness = Harness::start(quick_sim()).await;
    let mut options = harness.engine.options();
    options.max_downloads = 1;
    let engine = engine_with(&harness, options);
    for limit in [300, 301, 302] {
        let job = submit_job(&engine, query_job(python_query(), Some(limit)))
            .await
            .unwrap();
        engine.wait(job.id, None).await.unwrap();
    }
    harness.sim.set_faults(Faults {
        throttle_bytes_per_second: Some(256 * 1024),
        ..Faults::default()
    });
    let _scheduler = Scheduler::start(&engine);
    let mut most = 0;
    loop {
        let jobs = engine.jobs().unwrap();
        let downloading = jobs
            .iter()
            .filter(|job| job.state == JobState::Downloading)
            .count();
        most = most.max(downloading);
        if jobs.iter().all(|job| job.state == JobState::Downloaded) {
            break;
        }
        let moving = |job: &collect_core::store::JobRow| {
            job.state.is_active() || job.state == JobState::Downloaded
        };
        assert!(jobs.iter().all(moving), "{jobs:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(most, 1);
}

#[tokio::test]
async fn a_retry_after_of_hours_is_honoured_and_the_job_shows_until_when() {
    let harness = Harness::start(slow_sim()).await;
    let job = harness.submit_python(Some(5)).await;
    harness.sim.set_faults(Faults {
        rate_limit_storm: 1_000,
        storm_retry_after_secs: Some(3 * 3600),
        ..Faults::default()
    });
    let error = harness.engine.poll_once(job.id).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::RateLimited);
    let after = harness.engine.job(job.id).unwrap();
    assert_eq!(after.state, JobState::Processing);
    let next = collect_core::store::parse_time(after.next_poll_at.as_deref().unwrap()).unwrap();
    let now = collect_core::store::parse_time(&collect_core::store::now_text()).unwrap();
    assert!(
        (next - now).whole_hours() >= 2,
        "the next check waits as asked: {next}"
    );
    let events = harness.engine.store().events(job.id).unwrap();
    assert!(events
        .iter()
        .any(|event| event.detail.contains("asked to wait")));
}
