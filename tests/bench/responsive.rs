//! `make bench`, responsiveness: the round trip of the use-case calls the app's commands make
//! (`Engine::list` with a page of the job list, `Engine::detail` of one job, each with the JSON
//! encoding that crosses IPC) while the scheduler polls 200 active jobs against the simulator,
//! against a reference: the same calls with nothing polling. p50 and p99 side by side.
//!
//! The calls run on a blocking thread, as the app's synchronous commands do, while the scheduler
//! runs on the async runtime. Goal: p99 ≤ 50 ms under load.

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
/// Rounds of calls measured in each phase (each round: one list page, one detail).
const ROUNDS: usize = 2_000;
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
    let loaded = measure(Arc::clone(&harness.engine)).await;
    let polls = harness.sim.count_calls(Endpoint::Files) - polls_before;
    drop(scheduler);

    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "\nCommand round trips ({profile}; {ROUNDS} rounds a column; a page of {PAGE} jobs; \
         JSON encoding included)\n"
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
    println!("\n{polls} polls were answered while the loaded column was measured.");
    let worst = percentile(&loaded[0], 99).max(percentile(&loaded[1], 99));
    println!(
        "Goal: p99 ≤ 50 ms under load: {} ({}).",
        if worst <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        ms(worst)
    );
}

/// Times [`ROUNDS`] list pages and details on a blocking thread: `[list times, detail times]`.
async fn measure(engine: Arc<Engine>) -> [Vec<Duration>; 2] {
    tokio::task::spawn_blocking(move || {
        let mut times = [Vec::new(), Vec::new()];
        let page = ListPage {
            limit: Some(PAGE),
            ..ListPage::default()
        };
        for round in 0..ROUNDS {
            let started = Instant::now();
            let list = engine.list(&page).unwrap();
            std::hint::black_box(serde_json::to_vec(&list).unwrap());
            times[0].push(started.elapsed());
            let id = list[round % list.len()].id;
            let started = Instant::now();
            let detail = engine.detail(id).unwrap();
            std::hint::black_box(serde_json::to_vec(&detail).unwrap());
            times[1].push(started.elapsed());
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
