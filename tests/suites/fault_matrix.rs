//! The fault matrix: the real engine and scheduler against the real simulator with one fault per
//! cell — 20 % random 5xx, cuts mid-download, truncated gzip, 429 storms with and without
//! `Retry-After`, a slow link, a server restart with the same state, a server that closes idle
//! connections. In every cell each job either completes with the right data (byte for byte the
//! service's files) or ends in a final state whose reason says what to do, and no request is
//! POSTed twice. The table is printed (`--nocapture`); `make soak` runs the matrix with more jobs.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::time::Duration;

use bulk_collect_tests::proof::checks::fetch;
use bulk_collect_tests::*;
use collect_core::jobs::JobState;
use coresignal_sim::{Endpoint, Faults, PerGroup, SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

/// One cell: a name and the faults it switches on.
struct Cell {
    name: &'static str,
    faults: Faults,
    restart: bool,
    send_retry_after: bool,
}

fn cells() -> Vec<Cell> {
    let cell = |name, faults| Cell {
        name,
        faults,
        restart: false,
        send_retry_after: false,
    };
    vec![
        cell(
            "20 % random 5xx, every call",
            Faults {
                error_rate: PerGroup::all(0.2),
                ..Faults::default()
            },
        ),
        cell(
            "downloads cut after 16 KiB, every try",
            Faults {
                cut_download_after: Some(16 * 1024),
                ..Faults::default()
            },
        ),
        cell(
            "truncated gzip, twice",
            Faults {
                truncate_files: true,
                truncate_files_times: Some(2),
                ..Faults::default()
            },
        ),
        cell(
            "truncated gzip, always",
            Faults {
                truncate_files: true,
                ..Faults::default()
            },
        ),
        cell(
            "429 storm (12), no Retry-After",
            Faults {
                rate_limit_storm: 12,
                ..Faults::default()
            },
        ),
        Cell {
            send_retry_after: true,
            ..cell(
                "429 storm (6), Retry-After: 1",
                Faults {
                    rate_limit_storm: 6,
                    storm_retry_after_secs: Some(1),
                    ..Faults::default()
                },
            )
        },
        cell(
            "slow link, 256 KiB/s",
            Faults {
                throttle_bytes_per_second: Some(256 * 1024),
                ..Faults::default()
            },
        ),
        Cell {
            restart: true,
            ..cell("server restart, same state", Faults::default())
        },
        cell(
            "server closes idle connections (50 ms)",
            Faults {
                close_idle_after_ms: Some(50),
                ..Faults::default()
            },
        ),
    ]
}

fn config(cell: &Cell, data_dir: Option<PathBuf>, port: Option<u16>) -> SimConfig {
    SimConfig {
        processing_time: Duration::from_millis(300),
        records_per_file: 15,
        send_retry_after: cell.send_retry_after,
        faults: cell.faults.clone(),
        data_dir,
        port,
        ..quick_sim()
    }
}

/// What happened in one cell.
pub struct Row {
    name: &'static str,
    downloaded: usize,
    others: Vec<String>,
    posts: usize,
    requests: usize,
}

/// Runs `jobs` jobs (different limits, so different requests) through one cell and checks it.
async fn run_cell(cell: &Cell, jobs: u32) -> Row {
    let dir = tempfile::tempdir().unwrap();
    let sim_dir = dir.path().join("sim");
    let mut sim = Simulator::start(config(cell, Some(sim_dir.clone()), None))
        .await
        .unwrap();
    let engine = open_engine(&sim, dir.path(), DEFAULT_PRACTICE_KEY);
    let scheduler = Scheduler::start(&engine);
    let mut refused = Vec::new();
    for n in 0..jobs {
        // An uncertain submission is an outcome too (its job row tells); a price refused before
        // anything was spent makes no job, and says why.
        let before = engine.jobs().unwrap().len();
        if let Err(error) = submit_job(&engine, query_job(python_query(), Some(20 + n * 7))).await {
            use collect_core::error::Coded;
            if engine.jobs().unwrap().len() == before {
                refused.push(format!("no job ({})", first_words(&error.user_message())));
            }
        }
    }
    let mut posts = 0;
    if cell.restart {
        let port = sim.addr().port();
        posts += posts_that_could_create(&sim);
        sim.shutdown().await;
        sim = Simulator::start(config(cell, Some(sim_dir), Some(port)))
            .await
            .unwrap();
    }
    let rows = settle(&engine).await;
    drop(scheduler);
    // The check reads the service's files as they are, without the cell's faults.
    sim.set_faults(Faults::default());
    // A restarted simulator starts a new call log: the old one's POSTs were counted above.
    posts += posts_that_could_create(&sim);
    let requests = sim.requests();
    assert!(
        posts <= jobs as usize && requests.len() <= jobs as usize,
        "{}: {posts} POSTs and {} requests for {jobs} jobs",
        cell.name,
        requests.len()
    );
    let mut row = Row {
        name: cell.name,
        downloaded: 0,
        others: refused,
        posts,
        requests: requests.len(),
    };
    for job in rows {
        if job.state == JobState::Downloaded {
            let request = requests
                .iter()
                .find(|r| Some(&r.id) == job.request_id.as_ref())
                .expect("a downloaded job holds a request the service made");
            for file in engine.store().files(job.id).unwrap() {
                let served =
                    fetch(&sim, DEFAULT_PRACTICE_KEY, &request.id, &file.server_name).await;
                let local = std::fs::read(file.path.unwrap()).unwrap();
                assert!(
                    local == served,
                    "{}: job {} file differs",
                    cell.name,
                    job.id
                );
            }
            let records: u64 = engine
                .store()
                .files(job.id)
                .unwrap()
                .iter()
                .filter_map(|f| f.records)
                .sum();
            assert_eq!(records as usize, request.record_count, "{}", cell.name);
            row.downloaded += 1;
        } else {
            let reason = job.state_reason.clone().unwrap_or_default();
            assert!(
                job.state.is_settled() && !job.state.is_active() && says_what_to_do(&reason),
                "{}: job {} ended {:?} without saying what to do: {reason:?}",
                cell.name,
                job.id,
                job.state
            );
            row.others
                .push(format!("{} ({})", job.state.as_str(), first_words(&reason)));
        }
    }
    row
}

/// The submission POSTs that could have created a request: not those answered 429 or 503, which
/// create nothing and are the only ones the client sends again.
fn posts_that_could_create(sim: &Simulator) -> usize {
    sim.calls()
        .iter()
        .filter(|call| call.endpoint == Endpoint::SubmitEsDsl && !matches!(call.status, 429 | 503))
        .count()
}

/// Waits until no job is submitting or active (at most 120 s), and returns them all.
async fn settle(engine: &collect_core::jobs::Engine) -> Vec<collect_core::store::JobRow> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let jobs = engine.jobs().unwrap();
        if jobs
            .iter()
            .all(|j| j.state != JobState::Submitting && !j.state.is_active())
        {
            return jobs;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "jobs still running: {:?}",
            jobs.iter().map(|j| (j.id, j.state)).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A final state's reason names a next step (a button or a command) or what happened for good.
fn says_what_to_do(reason: &str) -> bool {
    let lower = reason.to_lowercase();
    !reason.is_empty()
        && [
            "retry",
            "send",
            "attach",
            "try again",
            "dashboard",
            "support",
            "press",
            "not sent again",
        ]
        .iter()
        .any(|step| lower.contains(step))
}

fn first_words(reason: &str) -> String {
    reason
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ")
}

fn print(rows: &[Row]) {
    println!("\nFault matrix ({} cells)", rows.len());
    println!("| cell | downloaded, identical | ended otherwise (reason) | POSTs | requests |");
    println!("|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            row.name,
            row.downloaded,
            if row.others.is_empty() {
                "—".into()
            } else {
                row.others.join("; ")
            },
            row.posts,
            row.requests
        );
    }
}

/// Jobs per cell: 3 in `make test`, more in `make soak` (`BULK_COLLECT_SOAK_JOBS`).
fn jobs_per_cell() -> u32 {
    std::env::var("BULK_COLLECT_SOAK_JOBS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cell_of_the_fault_matrix_ends_with_the_right_data_or_a_clear_state() {
    let mut rows = Vec::new();
    for cell in cells() {
        rows.push(run_cell(&cell, jobs_per_cell()).await);
    }
    print(&rows);
    let faulty = ["20 % random 5xx, every call", "truncated gzip, always"];
    for row in &rows {
        let accounted = row.downloaded + row.others.len();
        assert_eq!(
            accounted,
            jobs_per_cell() as usize,
            "{}: every job is accounted for",
            row.name
        );
        if !faulty.contains(&row.name) {
            // Only a price refused before anything was spent may stand beside the downloads.
            assert!(
                row.others.iter().all(|o| o.starts_with("no job")),
                "{}: {:?}",
                row.name,
                row.others
            );
        }
    }
    let always = rows
        .iter()
        .find(|r| r.name == "truncated gzip, always")
        .unwrap();
    assert!(
        always.others.iter().all(|o| o.starts_with("failed")),
        "{:?}",
        always.others
    );
}
