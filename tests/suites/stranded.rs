//! A paid request is never stranded, and nothing already done is lost: a 201 that arrives after
//! the job was cancelled leaves a way to download what was paid for; *I found it* never takes
//! another job's request; the 30 days count from the submission; a cancelled collection sends no
//! further batch; `download` never reports success for nothing, nor forgets files already done.
//! Against the real simulator, a real SQLite file and the real CLI binary.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bulk_collect_tests::proof::killed::CliTarget;
use bulk_collect_tests::*;
use collect_core::error::ErrorCode;
use collect_core::ids::parse_id_list;
use collect_core::jobs::{JobRequest, JobState, NewJob};
use collect_core::store::{format_time, parse_time, RETENTION};
use collect_core::test_seams::{KILL_AT_ENV, KILL_POINT_MARKER};
use coresignal_sim::{Endpoint, Faults, PerGroup, SimConfig, DEFAULT_PRACTICE_KEY};

/// How long the simulator holds every answer to a POST (after creating its request): the time the
/// test has to cancel the job in between. Nothing is asserted about it: the test checks that the
/// answer was still out when the cancel was done.
const HELD_MS: u64 = 5_000;

/// A job for an ID list (priced without a search call; the service never answers 409 for one).
fn id_list_job(ids: &str) -> NewJob {
    NewJob {
        name: Some("held list".into()),
        request: JobRequest::Ids {
            report: parse_id_list(ids.as_bytes()).unwrap(),
            source_file: None,
            split: false,
            list: None,
        },
        webhook_url: None,
    }
}

/// Every POST is answered only `HELD_MS` after its request was created.
fn hold_submits(harness: &Harness) {
    harness.sim.set_faults(Faults {
        delay_ms: PerGroup {
            submit: HELD_MS,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
}

/// Waits until the simulator holds `count` requests; returns the newest one's id.
async fn request_created(harness: &Harness, count: usize) -> String {
    loop {
        let requests = harness.sim.requests();
        if requests.len() >= count {
            return requests[count - 1].id.clone();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Starts sending a held ID list; returns the submission's task and its job, once its request
/// exists at the service (the 201 is still held).
async fn send_held(
    harness: &Harness,
    ids: &str,
) -> (
    tokio::task::JoinHandle<Result<collect_core::store::JobRow, collect_core::jobs::EngineError>>,
    i64,
    String,
) {
    hold_submits(harness);
    let engine = Arc::clone(&harness.engine);
    let quote = engine.quote(&id_list_job(ids)).await.unwrap();
    let sending = tokio::spawn(async move { engine.submit(quote.id, true).await });
    let before = harness.sim.requests().len();
    let request = request_created(harness, before + 1).await;
    let job = harness
        .engine
        .store()
        .jobs_in_states(harness.engine.mode(), &[JobState::Submitting])
        .unwrap()[0]
        .id;
    // What another process's recovery does when it judges the sender gone (a sender on another
    // computer, or one whose liveness it cannot know): the job becomes uncertain.
    harness
        .engine
        .store()
        .move_state(
            job,
            &[JobState::Submitting],
            JobState::Uncertain,
            Some("The app stopped while sending this request."),
            Some(ErrorCode::Uncertain),
        )
        .unwrap()
        .expect("the job becomes uncertain");
    (sending, job, request)
}

/// The actions job `id` offers, as their stored names.
fn actions(harness: &Harness, id: i64) -> Vec<String> {
    let detail = harness.engine.detail(id).unwrap();
    serde_json::from_value(serde_json::to_value(&detail.actions).unwrap()).unwrap()
}

/// The person presses *Download it*; the scheduler polls and downloads as usual.
async fn download_paid(harness: &Harness, id: i64, request: &str) {
    let scheduler = Scheduler::start(&harness.engine);
    harness.engine.retry(id).unwrap();
    let job = wait_for_state(&harness.engine, id, JobState::Downloaded).await;
    assert_eq!(job.request_id.as_deref(), Some(request));
    let files = harness.engine.store().files(id).unwrap();
    assert!(!files.is_empty());
    for file in files {
        let path = file.path.expect("a downloaded file has a path");
        assert!(!read_records(Path::new(&path)).is_empty(), "{path}");
    }
    drop(scheduler);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_201_that_arrives_after_send_again_leaves_a_paid_job_to_download() {
    let harness = Harness::start(quick_sim()).await;
    let (first, job, request) = send_held(&harness, "1001\n5001\n").await;

    // The person presses Send again: the first job is cancelled in favour of a new one.
    let again = harness.engine.send_again(job).await.unwrap();
    let engine = Arc::clone(&harness.engine);
    let second = tokio::spawn(async move { engine.submit(again.id, true).await });
    while harness.engine.job(job).unwrap().state != JobState::Cancelled {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        !first.is_finished(),
        "the first 201 must still be held when the job is cancelled"
    );

    // Then the first 201 arrives.
    first.await.unwrap().unwrap();
    second.await.unwrap().unwrap();
    let detail = harness.engine.detail(job).unwrap();
    assert_eq!(detail.job.state, JobState::Cancelled);
    assert_eq!(detail.job.request_id.as_deref(), Some(request.as_str()));
    assert!(
        actions(&harness, job).contains(&"download_paid".to_owned()),
        "a paid request offers its download: {:?}",
        detail.actions
    );
    download_paid(&harness, job, &request).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_201_after_a_person_cancelled_an_uncertain_job_can_still_be_downloaded() {
    let harness = Harness::start(quick_sim()).await;
    let (first, job, request) = send_held(&harness, "1002\n5002\n").await;
    harness.engine.cancel(job).unwrap();
    assert!(
        !first.is_finished(),
        "the 201 must still be held when the job is cancelled"
    );
    first.await.unwrap().unwrap();

    let detail = harness.engine.detail(job).unwrap();
    assert_eq!(detail.job.state, JobState::Cancelled);
    assert_eq!(detail.job.request_id.as_deref(), Some(request.as_str()));
    assert!(actions(&harness, job).contains(&"download_paid".to_owned()));
    let trail = harness.engine.store().events(job).unwrap();
    assert!(
        trail
            .iter()
            .any(|event| event.detail.contains("already paid")),
        "the trail says the request was received and paid: {trail:#?}"
    );

    // The command line says so, and its `download` follows the request and fetches the files.
    let id = job.to_string();
    let shown = run_cli(&harness, &["show", &id]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.contains("Coresignal did receive this collection (already paid): download it"),
        "{text}"
    );
    let downloaded = run_cli(&harness, &["--json", "download", &id]);
    assert!(
        downloaded.status.success(),
        "{}",
        String::from_utf8_lossy(&downloaded.stdout)
    );
    let row = harness.engine.job(job).unwrap();
    assert_eq!(row.state, JobState::Downloaded);
    assert_eq!(row.request_id.as_deref(), Some(request.as_str()));
    assert_eq!(
        stdout_json(&downloaded)["files"].as_array().unwrap().len(),
        1
    );

    // Cancelled again from processing (the person knew it was paid): no way back this time.
    harness.sim.set_faults(Faults::default());
    let other = submit_job(&harness.engine, id_list_job("1003\n5003\n"))
        .await
        .unwrap();
    harness.engine.cancel(other.id).unwrap();
    assert!(!actions(&harness, other.id).contains(&"download_paid".to_owned()));
    assert!(harness.engine.retry(other.id).is_err());
}

/// A job whose POST was created but answered 502: `uncertain`, with no request id.
async fn uncertain_job(harness: &Harness, ids: &str) -> i64 {
    harness.sim.set_faults(Faults {
        submit_lost: 1,
        ..Faults::default()
    });
    let error = submit_job(&harness.engine, id_list_job(ids))
        .await
        .unwrap_err();
    let job = error_job(&error);
    assert_eq!(harness.engine.job(job).unwrap().state, JobState::Uncertain);
    job
}

fn error_job(error: &collect_core::jobs::EngineError) -> i64 {
    match error {
        collect_core::jobs::EngineError::Uncertain { job, .. } => *job,
        other => panic!("expected an uncertain job, not {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i_found_it_refuses_a_request_id_another_job_holds() {
    let harness = Harness::start(quick_sim()).await;
    let owner = submit_job(&harness.engine, id_list_job("1004\n5004\n"))
        .await
        .unwrap();
    let taken = owner.request_id.clone().unwrap();
    let job = uncertain_job(&harness, "1005\n5005\n").await;

    let refused = harness.engine.attach(job, &taken).unwrap_err().to_string();
    assert!(
        refused.contains(&format!("\"{}\"", owner.name)) && !refused.contains("job"),
        "the refusal names the collection that holds it as the Collections screen does: {refused}"
    );
    let after = harness.engine.job(job).unwrap();
    assert_eq!(after.state, JobState::Uncertain);
    assert_eq!(after.request_id, None, "nothing was attached");

    // Its own request is still found.
    let own = harness.sim.requests()[1].id.clone();
    assert_eq!(
        harness.engine.attach(job, &own).unwrap().state,
        JobState::Processing
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_30_days_count_from_the_submission_not_from_when_the_id_was_found() {
    let harness = Harness::start(quick_sim()).await;
    let job = uncertain_job(&harness, "1006\n5006\n").await;
    // Sent 10 days ago; the person finds it in the Coresignal account today.
    let sent = parse_time(&collect_core::store::now_text()).unwrap() - time::Duration::days(10);
    let sent_text = format_time(sent);
    sql(
        &harness,
        "UPDATE jobs SET created_at = ?1 WHERE id = ?2",
        &[&sent_text, &job],
    );
    sql(
        &harness,
        "UPDATE job_events SET at = ?1 WHERE job_id = ?2 AND to_state = 'submitting'",
        &[&sent_text, &job],
    );
    let request = harness.sim.requests()[0].id.clone();
    harness.engine.attach(job, &request).unwrap();

    let before = harness.engine.detail(job).unwrap().download_before.unwrap();
    assert_eq!(parse_time(&before).unwrap(), sent + RETENTION);
}

/// An ID file of IDs 1..=`count`, one a line.
fn id_file(dir: &Path, count: u64) -> collect_core::ids::IdReport {
    let text: String = (1..=count).map(|id| format!("{id}\n")).collect();
    let path = dir.join("ids.csv");
    std::fs::write(&path, text).unwrap();
    collect_core::ids::read_id_file(&path).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_collection_sends_no_further_batch() {
    let harness = Harness::start(quick_sim()).await;
    let collection = submit_job(
        &harness.engine,
        NewJob {
            name: Some("three batches".into()),
            request: JobRequest::Ids {
                report: id_file(harness.dir.path(), 20_001),
                source_file: None,
                split: true,
                list: None,
            },
            webhook_url: None,
        },
    )
    .await
    .unwrap();
    // Two batches are with the service; the third waits its turn.
    assert_eq!(harness.sim.requests().len(), 2);

    // The CLI cancels the collection and is stopped right after its first committed cancel.
    let target = CliTarget {
        api_base: harness.sim.base_url(),
        data_dir: harness.dir.path().to_path_buf(),
        downloads: harness.downloads(),
        key: DEFAULT_PRACTICE_KEY.into(),
        poll_ms: 20,
    };
    let mut command = target.command(&["cancel", &collection.id.to_string()]);
    command.env(KILL_AT_ENV, "state.cancelled:1");
    let mut cancelling = command.spawn().unwrap();
    let stderr = cancelling.stderr.take().unwrap();
    let stopped = tokio::task::spawn_blocking(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.starts_with(KILL_POINT_MARKER))
    })
    .await
    .unwrap();

    // Meanwhile the app's batch sender looks for batches whose turn has come.
    let sent = harness
        .engine
        .send_due_batches(Some(collection.id))
        .await
        .unwrap();
    let _ = cancelling.kill();
    let _ = cancelling.wait();
    assert!(
        sent.is_empty(),
        "a batch was sent after the cancel began: {sent:?} (the CLI stopped at its kill point: {stopped})"
    );
    assert_eq!(harness.sim.count_calls(Endpoint::SubmitIdFile), 2);
    for batch in harness.engine.store().batches(collection.id).unwrap() {
        assert_eq!(
            batch.state,
            JobState::Cancelled,
            "batch {:?}",
            batch.batch_index
        );
    }
}

/// A simulator that writes 10 profiles a file into `dir` (so that a file can go missing there).
fn sim_with_files_in(dir: &Path) -> SimConfig {
    SimConfig {
        records_per_file: 10,
        data_dir: Some(dir.to_path_buf()),
        ..quick_sim()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_of_a_failed_job_downloads_the_rest_and_keeps_the_files_already_done() {
    let sim_dir = tempfile::tempdir().unwrap();
    let harness = Harness::start(sim_with_files_in(sim_dir.path())).await;
    let everything = collect_core::query::parse_query(r#"{"query": {"match_all": {}}}"#).unwrap();
    let job = submit_job(&harness.engine, query_job(everything, Some(30)))
        .await
        .unwrap();
    harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(harness.sim.requests()[0].files.len(), 3);

    // The service serves the second file damaged for a while: the download fails after the
    // first file.
    let second = files_under(sim_dir.path())
        .into_iter()
        .find(|path| path.ends_with("part-00001.json.gz"))
        .expect("the second file is in the simulator's folder");
    let original = std::fs::read(&second).unwrap();
    std::fs::write(&second, vec![0u8; original.len()]).unwrap();
    assert!(harness.engine.download(job.id, None).await.is_err());
    let failed = harness.engine.detail(job.id).unwrap();
    assert_eq!(failed.job.state, JobState::Failed);
    let done = |files: &[collect_core::store::FileRow]| {
        files
            .iter()
            .filter(|file| file.state == collect_core::store::FileState::Done)
            .count()
    };
    assert_eq!(done(&failed.files), 1);
    std::fs::write(&second, &original).unwrap();
    let fetched_before = harness.sim.count_calls(Endpoint::Download);

    // `download --to` a new folder: the file already done is kept (copied), the rest fetched.
    let target = harness.dir.path().join("new folder");
    let id = job.id.to_string();
    let output = run_cli(
        &harness,
        &["--json", "download", &id, "--to", target.to_str().unwrap()],
    );
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let detail = harness.engine.detail(job.id).unwrap();
    assert_eq!(detail.job.state, JobState::Downloaded);
    assert_eq!(done(&detail.files), 3);
    for file in &detail.files {
        let path = Path::new(file.path.as_deref().unwrap());
        assert!(path.starts_with(&target), "{}", path.display());
        assert_eq!(read_records(path).len(), 10);
    }
    assert_eq!(
        harness.sim.count_calls(Endpoint::Download) - fetched_before,
        2,
        "the file already done was not fetched again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_of_a_failed_job_without_files_says_why_and_exits_non_zero() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_faults(Faults {
        submit_unavailable: 10,
        ..Faults::default()
    });
    let failed = submit_job(&harness.engine, id_list_job("1007\n5007\n")).await;
    assert!(failed.is_err());
    let job = harness.engine.jobs().unwrap()[0].clone();
    assert_eq!(job.state, JobState::Failed);
    let target = harness.dir.path().join("elsewhere");
    let output = run_cli(
        &harness,
        &[
            "--json",
            "download",
            &job.id.to_string(),
            "--to",
            target.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    let message = cli_error_message(&output);
    assert!(
        message.contains(&format!("Collection {}", job.id))
            && message.contains("nothing to download"),
        "{message}"
    );
    assert!(!target.exists(), "nothing was written");
}
