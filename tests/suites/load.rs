//! Load: 200 active jobs polled at once by one scheduler never go over the configured rate. The
//! simulator limits each endpoint to 27 requests a second per key (a token bucket, like the
//! service) and answers 429 beyond it; the engine's one rate limiter is set to the same 27, so the
//! simulator must refuse nothing while every job is polled again and again.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::jobs::JobState;
use coresignal_sim::Endpoint;

const JOBS: u32 = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_jobs_polled_at_once_never_exceed_the_rate_limit() {
    let harness = Harness::start(slow_sim()).await;
    submit_id_list_jobs(&harness.engine, JOBS).await;
    harness.sim.clear_calls();
    let scheduler = Scheduler::start(&harness.engine);
    // Every job is due every 20–200 ms: far more polls are wanted than 27 a second allow.
    // Until the service has seen 600 polls (about 22 s at the rate); the deadline only keeps a
    // broken scheduler from hanging the suite.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while harness.sim.count_calls(Endpoint::Files) < 3 * JOBS as usize {
        assert!(tokio::time::Instant::now() < deadline, "the polls stopped");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(scheduler);
    let calls: Vec<_> = harness
        .sim
        .calls()
        .into_iter()
        .filter(|call| call.endpoint == Endpoint::Files)
        .collect();
    let refused = calls.iter().filter(|call| call.status == 429).count();
    // The most polls that arrived within any one second.
    let busiest = calls
        .iter()
        .map(|first| {
            calls
                .iter()
                .filter(|c| c.millis >= first.millis && c.millis < first.millis + 1000)
                .count()
        })
        .max()
        .unwrap_or(0);
    let counts: Vec<u32> = harness
        .engine
        .jobs()
        .unwrap()
        .iter()
        .map(|j| j.poll_count)
        .collect();
    println!(
        "\nLoad: {JOBS} active jobs, {} polls; at most {busiest} in any one second (limit 27 + a bucket of 27); {refused} refused (429); polls per job {}..{}",
        calls.len(),
        counts.iter().min().unwrap_or(&0),
        counts.iter().max().unwrap_or(&0)
    );
    assert!(calls.len() >= 2 * JOBS as usize);
    // The limiter serves callers in the order they asked: no job starves while others are asked
    // again and again (before, one job got 9 polls and another none).
    let (fewest, most) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
    assert!(
        *fewest >= 1 && most - fewest <= 2,
        "polls per job {fewest}..{most}: some jobs wait while others are asked again"
    );
    assert_eq!(
        refused, 0,
        "the simulator refused polls: the engine went over the rate"
    );
    assert!(
        busiest <= 2 * 27,
        "{busiest} polls arrived within one second: over 27 a second and a bucket of 27"
    );

    for job in harness.engine.jobs().unwrap() {
        assert_eq!(
            job.state,
            JobState::Processing,
            "job {} is {:?}",
            job.id,
            job.state
        );
    }
}
