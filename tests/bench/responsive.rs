//! `make bench`, responsiveness: the round trip of the use-case calls the app's commands make
//! (`Engine::list` with a page of the job list, `Engine::detail` of one job, each with the JSON
//! encoding that crosses IPC) while the scheduler polls 200 active jobs against the simulator,
//! against a reference: the same calls with nothing polling. p50 and p99 side by side.
//!
//! The calls run on a blocking thread, as the app's synchronous commands do, while the scheduler
//! runs on the async runtime. Each column lasts at least [`PHASE`]: the scheduler's polls go through
//! the app's rate limiter (27 a second), so a column of a few hundred milliseconds would see almost
//! none of them; over 10 s a few hundred polls are answered while the calls are timed, and the bench
//! says how many (none answered means the load was not real, and the goal is not met).
//! Goal: p99 ≤ 50 ms under load.

// Invariant for every unwrap/expect below: they only guard the bench's own setup (a temporary
// folder, a fresh database, a simulator on loopback); if one fails there is nothing to measure,
// so stopping with the error is the right outcome.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use bulk_collect_tests::*;
use collect_core::jobs::Engine;
use collect_core::store::ListPage;
use coresignal_sim::Endpoint;

/// Active jobs polled at once.
const JOBS: u32 = 200;
/// Rounds of calls measured at least in each phase (each round: one list page, one detail).
const ROUNDS: usize = 2_000;
/// Each phase lasts at least this long, so the polls (at most 27 a second) overlap the calls.
const PHASE: Duration = Duration::from_secs(10);
/// The app's page of the job list.
const PAGE: u32 = 100;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let harness = Harness::start(slow_sim()).await;
    submit_id_list_jobs(&harness.engine, JOBS).await;
    harness.sim.clear_calls();

    let reference = measure(Arc::clone(&harness.engine)).await;

    let scheduler = Scheduler::start(&harness.engine);
    // Polling is under way once the service has seen a poll for most jobs.
    while harness.sim.count_calls(Endpoint::Files) < JOBS as usize {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let polls_before = harness.sim.count_calls(Endpoint::Files);
    let started = Instant::now();
    let loaded = measure(Arc::clone(&harness.engine)).await;
    let seconds = started.elapsed().as_secs_f64();
    let polls = harness.sim.count_calls(Endpoint::Files) - polls_before;
    drop(scheduler);

    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "\nCommand round trips ({profile}; {} and {} rounds, each column at least {} s; a page of \
         {PAGE} jobs; JSON encoding included)\n",
        reference[0].len(),
        loaded[0].len(),
        PHASE.as_secs()
    );
    println!("| call | nothing polling (reference) p50 / p99 | {JOBS} jobs polling p50 / p99 |");
    println!("|---|---|---|");
    for (index, name) in ["Engine::list (one page)", "Engine::detail (one job)"]
        .iter()
        .enumerate()
    {
        println!(
            "| {name} | {} / {} | {} / {} |",
            ms(percentile(&reference[index], 50)),
            ms(percentile(&reference[index], 99)),
            ms(percentile(&loaded[index], 50)),
            ms(percentile(&loaded[index], 99)),
        );
    }
    println!(
        "\n{polls} polls were answered while the loaded column was measured ({seconds:.1} s, \
         {:.1} a second).",
        polls as f64 / seconds
    );
    let worst = percentile(&loaded[0], 99).max(percentile(&loaded[1], 99));
    println!(
        "Goal: p99 ≤ 50 ms under load: {} ({}).",
        if polls > 0 && worst <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        ms(worst)
    );
}

/// Times list pages and details on a blocking thread, at least [`ROUNDS`] of each and for at least
/// [`PHASE`]: `[list times, detail times]`.
async fn measure(engine: Arc<Engine>) -> [Vec<Duration>; 2] {
    tokio::task::spawn_blocking(move || {
        let mut times = [Vec::new(), Vec::new()];
        let page = ListPage {
            limit: Some(PAGE),
            ..ListPage::default()
        };
        let phase = Instant::now();
        let mut round = 0;
        while round < ROUNDS || phase.elapsed() < PHASE {
            let started = Instant::now();
            let list = engine.list(&page).unwrap();
            std::hint::black_box(serde_json::to_vec(&list).unwrap());
            times[0].push(started.elapsed());
            let id = list[round % list.len()].id;
            let started = Instant::now();
            let detail = engine.detail(id).unwrap();
            std::hint::black_box(serde_json::to_vec(&detail).unwrap());
            times[1].push(started.elapsed());
            round += 1;
        }
        times
    })
    .await
    .unwrap()
}

fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(time: Duration) -> String {
    format!("{:.2} ms", time.as_secs_f64() * 1000.0)
}
