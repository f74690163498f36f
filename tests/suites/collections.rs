//! ID lists over the service's 10,000 cap: quoted and confirmed once, sent as batches (each its own
//! request, sent once), followed together, retried alone, and exported as one spreadsheet; by the
//! CLI and by the app's scheduler, against the real simulator.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::BTreeSet;
use std::path::Path;

use bulk_collect_tests::*;
use collect_core::jobs::{JobRequest, JobState, NewJob};
use coresignal_sim::{Endpoint, DEFAULT_PRACTICE_KEY};
use serde_json::Value;

/// A CSV of IDs 1..=`count` with a header, one repeated line and a blank line, as people write them.
fn id_file(dir: &Path, count: u64) -> String {
    let mut text = String::from("id\n");
    for id in 1..=count {
        text.push_str(&format!("{id}\n"));
    }
    text.push_str("7\n\n");
    let path = dir.join(format!("{count}-ids.csv"));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn cli_json(harness: &Harness, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = run_cli(harness, &all);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is JSON ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Quotes and confirms an ID file of `count` IDs as batches, through the engine (as the app does).
async fn submit_split(harness: &Harness, count: u64, name: &str) -> collect_core::store::JobRow {
    let report =
        collect_core::ids::read_id_file(Path::new(&id_file(harness.dir.path(), count))).unwrap();
    let request = JobRequest::Ids {
        report,
        source_file: None,
        split: true,
        list: None,
    };
    let job = NewJob {
        name: Some(name.into()),
        request,
        webhook_url: None,
    };
    submit_job(&harness.engine, job).await.unwrap()
}

/// The spreadsheet made for job `id` after its download (waits up to 2 minutes for it).
async fn spreadsheet_of(harness: &Harness, id: i64) -> String {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        if let Some(path) = harness.engine.job(id).unwrap().export_path {
            return path;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no spreadsheet was made"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The Person ID column of the People sheet of `workbook`.
fn people_ids(workbook: &Path) -> Vec<i64> {
    workbook_ids(workbook, "People", 0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_25000_line_id_file_becomes_three_batches_and_one_workbook() {
    let harness = Harness::start(quick_sim()).await;
    let file = id_file(harness.dir.path(), 25_000);

    let refused = run_cli(&harness, &["--json", "submit", "--ids", &file, "--yes"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stdout).contains("add --split"));
    assert_eq!(
        harness.sim.count_calls(Endpoint::SubmitIdFile),
        0,
        "nothing sent"
    );

    let submitted = cli_json(&harness, &["submit", "--ids", &file, "--split", "--yes"]);
    assert_eq!(submitted["batches"], 3, "{submitted}");
    assert_eq!(submitted["quote"]["credits"], 25_000);
    let job = submitted["job"].as_i64().unwrap().to_string();

    let downloaded = cli_json(&harness, &["download", &job]);
    assert_eq!(downloaded["state"], "downloaded", "{downloaded}");
    let records: u64 = downloaded["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["records"].as_u64().unwrap())
        .sum();
    assert_eq!(records, 25_000);
    let mut sizes: Vec<usize> = harness.sim.requests().iter().map(|r| r.matched).collect();
    sizes.sort_unstable();
    assert_eq!(
        sizes,
        vec![5_000, 10_000, 10_000],
        "each batch is its own request, sent once"
    );
    assert_eq!(harness.sim.count_calls(Endpoint::SubmitIdFile), 3);
    for batch in 1..=3 {
        let folder = files_under(&harness.downloads())
            .into_iter()
            .filter(|path| path.to_string_lossy().contains(&format!("/batch-{batch}/")))
            .count();
        assert!(folder > 0, "batch {batch} has its own folder");
    }

    let exported = cli_json(&harness, &["export", &job, "--format", "xlsx"]);
    assert_eq!(exported["people"], 25_000, "{exported}");
    let paths = exported["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 1, "one workbook for every batch");
    let ids = people_ids(Path::new(paths[0].as_str().unwrap()));
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!((ids.len(), unique.len()), (25_000, 25_000));
    assert_eq!(unique.first().copied(), Some(1));
    assert_eq!(unique.last().copied(), Some(25_000));

    // Asked again into another folder, every batch lands there, copied from this computer:
    // nothing is sent or fetched again.
    let fetched = harness.sim.count_calls(Endpoint::Download);
    let elsewhere = harness.dir.path().join("for the team");
    let again = cli_json(
        &harness,
        &["download", &job, "--to", &elsewhere.to_string_lossy()],
    );
    assert_eq!(again["state"], "downloaded", "{again}");
    for batch in 1..=3 {
        assert!(
            !files_under(&elsewhere.join(format!("batch-{batch}"))).is_empty(),
            "batch {batch} is in the folder asked for"
        );
    }
    assert_eq!(harness.sim.count_calls(Endpoint::SubmitIdFile), 3);
    assert_eq!(harness.sim.count_calls(Endpoint::Download), fetched);

    let listed = cli_json(&harness, &["jobs"]);
    let jobs = listed["jobs"]
        .as_array()
        .or(listed.as_array())
        .unwrap()
        .clone();
    assert_eq!(
        jobs.len(),
        1,
        "the batches are not listed on their own: {listed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_short_of_credits_is_retried_alone_and_the_spreadsheet_covers_them_all() {
    let harness = Harness::start(quick_sim()).await;
    let scheduler = Scheduler::start(&harness.engine);
    // Enough for the small second batch, not for the first (10,000 IDs).
    harness.sim.set_credits(DEFAULT_PRACTICE_KEY, 500);
    let job = submit_split(&harness, 10_001, "long list").await;
    let short = wait_for_state(&harness.engine, job.id, JobState::InsufficientCredits).await;
    assert_eq!(short.id, job.id);
    let detail = harness.engine.detail(job.id).unwrap();
    let states: Vec<JobState> = detail.batches.iter().map(|b| b.state).collect();
    assert_eq!(
        states
            .iter()
            .filter(|s| **s == JobState::InsufficientCredits)
            .count(),
        1,
        "{states:?}"
    );
    let short = detail
        .not_enough_credits
        .expect("the collection's page says it in figures");
    assert_eq!(short.needs, 10_000, "the batch short of credits");

    // Every batch has stopped: the spreadsheet holds the one that brought files.
    let partial = spreadsheet_of(&harness, job.id).await;
    assert_eq!(people_ids(Path::new(&partial)).len(), 1);
    assert!(partial.ends_with(" (batch 1 missing).xlsx"), "{partial}");

    // Retried before the top-up arrived: the batch stops short again, and the spreadsheet (out
    // of date while the batch was under way) is made again of what there is.
    harness.engine.retry(job.id).unwrap();
    assert_eq!(harness.engine.job(job.id).unwrap().export_path, None);
    wait_for_state(&harness.engine, job.id, JobState::InsufficientCredits).await;
    let again = spreadsheet_of(&harness, job.id).await;
    assert_eq!(people_ids(Path::new(&again)).len(), 1);

    harness.sim.set_credits(DEFAULT_PRACTICE_KEY, 100_000);
    harness.engine.retry(job.id).unwrap();
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    assert_eq!(
        harness.sim.count_calls(Endpoint::SubmitIdFile),
        2,
        "no batch sent twice"
    );

    // Once every batch is downloaded, the spreadsheet covers them all; the batches have none.
    let workbook = spreadsheet_of(&harness, job.id).await;
    let ids = people_ids(Path::new(&workbook));
    assert_eq!(ids.len(), 10_001);
    assert!(!workbook.contains("missing"), "{workbook}");
    assert_eq!(
        harness.engine.detail(job.id).unwrap().spreadsheet_missing,
        None
    );
    for batch in &harness.engine.detail(job.id).unwrap().batches {
        assert_eq!(harness.engine.job(batch.job).unwrap().export_path, None);
    }
    drop(scheduler);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_batch_holds_the_rest_and_retry_sends_it_exactly_once_more() {
    let harness = Harness::start(quick_sim()).await;
    // Every try of the first POST is answered 503 (nothing created): the batch is refused.
    harness.sim.set_faults(coresignal_sim::Faults {
        submit_unavailable: 50,
        ..coresignal_sim::Faults::default()
    });
    let job = submit_split(&harness, 20_001, "refused").await;
    let states = |engine: &collect_core::jobs::Engine| -> Vec<JobState> {
        engine
            .detail(job.id)
            .unwrap()
            .batches
            .iter()
            .map(|b| b.state)
            .collect()
    };
    assert_eq!(states(&harness.engine)[0], JobState::Failed);
    // The rest wait while the first is refused: sending them would likely fare the same.
    harness.engine.send_due_batches(Some(job.id)).await.unwrap();
    assert_eq!(
        states(&harness.engine)[1..],
        [JobState::Queued, JobState::Queued]
    );
    assert!(harness.sim.requests().is_empty(), "nothing was created");

    harness.sim.set_faults(coresignal_sim::Faults::default());
    let scheduler = Scheduler::start(&harness.engine);
    harness.engine.retry(job.id).unwrap();
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let mut sizes: Vec<usize> = harness.sim.requests().iter().map(|r| r.matched).collect();
    sizes.sort_unstable();
    assert_eq!(
        sizes,
        vec![1, 10_000, 10_000],
        "each batch created once, the refused one too"
    );
    drop(scheduler);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_cancelled_before_its_turn_leaves_a_spreadsheet_of_the_others_and_says_so() {
    let harness = Harness::start(quick_sim()).await;
    let job = submit_split(&harness, 20_001, "partial").await;
    // Two batches at once: the third (one ID) is still waiting its turn; the person cancels it.
    let third = harness.engine.detail(job.id).unwrap().batches[2].clone();
    assert_eq!(third.state, JobState::Queued);
    harness.engine.cancel(third.job).unwrap();
    let scheduler = Scheduler::start(&harness.engine);
    let workbook = spreadsheet_of(&harness, job.id).await;
    assert_eq!(people_ids(Path::new(&workbook)).len(), 20_000);
    // Its name and the collection's page say which batch it lacks.
    assert!(workbook.ends_with(" (batch 3 missing).xlsx"), "{workbook}");
    assert_eq!(
        harness.engine.detail(job.id).unwrap().spreadsheet_missing.as_deref(),
        Some("Batch 3 is not in this spreadsheet: it ended without files. Open it below to see why and what can be done.")
    );
    assert_eq!(
        harness.sim.requests().len(),
        2,
        "the cancelled batch was never sent"
    );
    let trail = harness.engine.store().events(job.id).unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.detail.starts_with("Batch 3 ended without files")),
        "{trail:#?}"
    );
    drop(scheduler);
}
