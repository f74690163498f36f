//! Lost connections, damaged files, hostile names and restarts: nothing is lost, nothing is written
//! where it should not be, nothing is sent twice.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::error::Coded;
use collect_core::jobs::{JobState, Mode};
use collect_core::ErrorCode;
use coresignal_sim::{Faults, SimConfig};

/// Download calls the simulator answered 206 (resumed with a Range request).
fn ranged_downloads(harness: &Harness) -> usize {
    harness
        .sim
        .calls()
        .iter()
        .filter(|call| call.endpoint == coresignal_sim::Endpoint::Download && call.status == 206)
        .count()
}

/// Waits until a `.part` file under `dir` holds more than `bytes`; `still_running` is checked
/// meanwhile so that a download finishing too early fails clearly.
async fn wait_for_partial(
    dir: &Path,
    bytes: u64,
    mut still_running: impl FnMut() -> bool,
) -> PathBuf {
    loop {
        let part = files_under(dir)
            .into_iter()
            .find(|path| path.extension().is_some_and(|ext| ext == "part"));
        if let Some(part) =
            part.filter(|part| std::fs::metadata(part).map(|m| m.len()).unwrap_or(0) > bytes)
        {
            return part;
        }
        assert!(
            still_running(),
            "the download ended before it could be interrupted"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn only_file(harness: &Harness, job: i64) -> PathBuf {
    let files = harness.engine.store().files(job).unwrap();
    assert_eq!(files.len(), 1);
    PathBuf::from(files[0].path.clone().unwrap())
}

#[tokio::test]
async fn a_download_cut_again_and_again_resumes_each_time_and_ends_identical() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(200)).await;
    harness.engine.wait(job.id, None).await.unwrap();

    // Every attempt is cut after 16 KiB: only resuming with Range can ever finish the file.
    harness.sim.set_faults(Faults {
        cut_download_after: Some(16 * 1024),
        cut_download_times: None,
        ..Faults::default()
    });
    harness.engine.download(job.id, None).await.unwrap();
    let resumed = std::fs::read(only_file(&harness, job.id)).unwrap();
    assert!(
        resumed.len() > 64 * 1024,
        "the file spans several cuts ({} bytes)",
        resumed.len()
    );
    let ranged = ranged_downloads(&harness);
    assert!(ranged >= 3, "resumed with Range requests ({ranged})");

    // A clean download of the same file, elsewhere, is byte-for-byte the same.
    harness.sim.set_faults(Faults::default());
    let elsewhere = harness.dir.path().join("clean");
    harness
        .engine
        .download(job.id, Some(&elsewhere))
        .await
        .unwrap();
    let clean = std::fs::read(only_file(&harness, job.id)).unwrap();
    assert!(only_file(&harness, job.id).starts_with(&elsewhere));
    assert_eq!(resumed, clean);
    assert_eq!(read_records(&only_file(&harness, job.id)).len(), 200);
}

#[tokio::test]
async fn a_damaged_gzip_fails_clearly_and_leaves_no_file() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_faults(Faults {
        truncate_files: true,
        ..Faults::default()
    });
    let job = harness.submit_python(Some(50)).await;
    harness.engine.wait(job.id, None).await.unwrap();
    let error = harness.engine.download(job.id, None).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::Download);
    let job = harness.engine.job(job.id).unwrap();
    assert_eq!(job.state, JobState::Failed);
    let folder = PathBuf::from(&job.download_dir);
    let leftovers: Vec<_> = files_under(&folder);
    assert!(
        leftovers.is_empty(),
        "no damaged file is left: {leftovers:?}"
    );

    // Once the service serves it whole, Retry resumes the job to the end.
    harness.sim.set_faults(Faults::default());
    harness.engine.retry(job.id).unwrap();
    harness.engine.download(job.id, None).await.unwrap();
    assert_eq!(read_records(&only_file(&harness, job.id)).len(), 50);
}

#[tokio::test]
async fn hostile_file_names_cannot_write_outside_the_job_folder() {
    let harness = Harness::start(quick_sim()).await;
    harness.sim.set_faults(Faults {
        hostile_file_names: true,
        ..Faults::default()
    });
    let job = harness.submit_python(Some(30)).await;
    harness.engine.wait(job.id, None).await.unwrap();
    let listed: Vec<String> = harness.sim.requests()[0].files.clone();
    assert!(
        listed.iter().any(|name| name.contains("..")),
        "the service listed hostile names: {listed:?}"
    );
    let outside_before: Vec<_> = listed
        .iter()
        .filter(|name| Path::new(name).is_absolute() && Path::new(name).exists())
        .cloned()
        .collect();

    harness.engine.download(job.id, None).await.unwrap();
    let job = harness.engine.job(job.id).unwrap();
    let folder = PathBuf::from(&job.download_dir);
    for path in files_under(harness.dir.path()) {
        if path
            .extension()
            .is_some_and(|ext| ext == "sqlite3" || ext == "sqlite3-wal" || ext == "sqlite3-shm")
            || path.to_string_lossy().contains("sqlite3")
        {
            continue;
        }
        assert!(
            path.starts_with(&folder),
            "{} is outside {}",
            path.display(),
            folder.display()
        );
    }
    for name in &listed {
        if Path::new(name).is_absolute() && !outside_before.contains(name) {
            assert!(!Path::new(name).exists(), "{name} was written");
        }
    }
    // The result files (the spreadsheet made after the download sits beside them).
    let records: usize = files_under(&folder)
        .iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "gz"))
        .map(|path| read_records(path).len())
        .sum();
    assert_eq!(records, 30);
}

#[tokio::test]
async fn a_restart_while_polling_resumes_the_job_to_the_end() {
    let mut harness = Harness::start(SimConfig {
        processing_time: Duration::from_millis(800),
        ..quick_sim()
    })
    .await;
    let job = harness.submit_python(Some(25)).await;
    {
        let _scheduler = Scheduler::start(&harness.engine);
        loop {
            let polled = harness.engine.job(job.id).unwrap();
            if polled.poll_count >= 1 {
                assert_eq!(polled.state, JobState::Processing);
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    } // the app closes: the scheduler stops

    let engine = harness.restart();
    let _scheduler = Scheduler::start(&engine);
    let done = wait_for_state(&engine, job.id, JobState::Downloaded).await;
    assert!(done.poll_count >= 2);
    assert_eq!(
        harness.sim.requests().len(),
        1,
        "nothing was submitted again"
    );
}

/// Spends a quote for the Python query the way `submit` does, as a process that then dies before
/// its POST (`lease` zero: its lease row names a process of an earlier boot) or is still sending
/// (the lease row names this living test process): the job row is `submitting` under that lease.
async fn caught_while_submitting(
    harness: &Harness,
    lease: Duration,
) -> collect_core::store::JobRow {
    let quote = harness
        .engine
        .quote(&query_job(python_query(), Some(5)))
        .await
        .unwrap();
    let row = harness
        .engine
        .store()
        .spend_quote(
            Mode::Practice,
            quote.id,
            "a-process-that-died",
            "the Bulk Collect app (process 1)",
            lease,
        )
        .unwrap()
        .unwrap();
    if lease.is_zero() {
        sql(
            harness,
            "UPDATE leases SET boot_id = 'an earlier boot' WHERE owner = 'a-process-that-died'",
            &[],
        );
    }
    row
}

#[tokio::test]
async fn a_job_caught_while_submitting_becomes_uncertain_after_a_restart() {
    let mut harness = Harness::start(quick_sim()).await;
    let row = caught_while_submitting(&harness, Duration::ZERO).await;
    let engine = harness.restart();
    let job = engine.job(row.id).unwrap();
    assert_eq!(job.state, JobState::Uncertain);
    assert!(job.state_reason.unwrap().contains("not sent again"));
    assert!(harness.sim.requests().is_empty(), "recovery never re-sends");
}

/// Item 5: recovery does not call a job uncertain when its request id is known.
#[tokio::test]
async fn a_job_whose_request_id_was_stored_is_processing_after_a_restart_not_uncertain() {
    let mut harness = Harness::start(quick_sim()).await;
    let row = caught_while_submitting(&harness, Duration::ZERO).await;
    harness
        .engine
        .store()
        .set_request_id(row.id, "req-known")
        .unwrap();
    let engine = harness.restart();
    let job = engine.job(row.id).unwrap();
    assert_eq!(job.state, JobState::Processing, "{:?}", job.state_reason);
    assert_eq!(job.request_id.as_deref(), Some("req-known"));
}

/// Item 5: a POST still in flight in another live process (its lease is alive) is left alone by
/// recovery, however often recovery runs.
#[tokio::test]
async fn recovery_leaves_alone_a_submission_that_a_live_process_owns() {
    let mut harness = Harness::start(quick_sim()).await;
    let row = caught_while_submitting(&harness, Duration::from_secs(600)).await;
    for _ in 0..3 {
        let engine = harness.restart();
        assert_eq!(engine.job(row.id).unwrap().state, JobState::Submitting);
    }
}

/// A crash mid-download (the CLI process is killed) loses nothing: the next run resumes the `.part`
/// with a Range request and the result is byte-for-byte what a clean download gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_download_resumes_from_its_partial_file() {
    let harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    let cli = |args: &[&str]| {
        let mut command = std::process::Command::new(workspace_binary("bulk-collect-cli"));
        command
            .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
            .arg(harness.dir.path())
            .args(args)
            .env("BULK_COLLECT_API_KEY", coresignal_sim::DEFAULT_PRACTICE_KEY)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    };
    let mut first = cli(&["--json", "download", &job.id.to_string()])
        .spawn()
        .unwrap();
    let part = wait_for_partial(&harness.downloads(), 1024 * 1024, || {
        first.try_wait().unwrap().is_none()
    })
    .await;
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(part.exists());

    harness.sim.set_faults(Faults::default());
    let output = cli(&["--json", "download", &job.id.to_string()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["state"], "downloaded");
    let path = PathBuf::from(answer["files"][0]["path"].as_str().unwrap());
    let resumed = std::fs::read(&path).unwrap();
    assert_eq!(
        ranged_downloads(&harness),
        1,
        "the second run resumed with a Range request: {:?}",
        harness.sim.calls()
    );

    let elsewhere = harness.dir.path().join("clean");
    harness
        .engine
        .download(job.id, Some(&elsewhere))
        .await
        .unwrap();
    let clean = std::fs::read(only_file(&harness, job.id)).unwrap();
    assert_eq!(resumed, clean);
}

/// Switching modes or settings replaces the engine: the old one stops mid-file without marking the
/// job failed, and the new one resumes the same `.part` with a Range request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_engine_takes_over_a_download_the_old_one_stopped() {
    let mut harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    {
        let _scheduler = Scheduler::start(&harness.engine);
        wait_for_partial(&harness.downloads(), 1024 * 1024, || true).await;
        harness.engine.shut_down().await;
    }
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Downloading,
        "not failed"
    );

    harness.sim.set_faults(Faults::default());
    let engine = harness.restart();
    let _scheduler = Scheduler::start(&engine);
    wait_for_state(&engine, job.id, JobState::Downloaded).await;
    assert_eq!(read_records(&only_file(&harness, job.id)).len(), 4_000);
    assert_eq!(
        ranged_downloads(&harness),
        1,
        "the new engine resumed the old one's partial file"
    );
}

/// Practice mode restarts the simulator with the app: a request made before the restart is known
/// to the new simulator (it keeps its state in its data folder) and the job completes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_survives_a_restart_of_the_simulator_with_its_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sim_dir = dir.path().join("practice");
    let config = || SimConfig {
        data_dir: Some(sim_dir.clone()),
        processing_time: Duration::from_millis(400),
        ..SimConfig::default()
    };
    let sim = coresignal_sim::Simulator::start(config()).await.unwrap();
    let engine = open_engine(&sim, dir.path(), coresignal_sim::DEFAULT_PRACTICE_KEY);
    let job = submit_job(&engine, query_job(python_query(), Some(12)))
        .await
        .unwrap();
    drop(engine);
    sim.shutdown().await;

    let sim = coresignal_sim::Simulator::start(config()).await.unwrap();
    let engine = open_engine(&sim, dir.path(), coresignal_sim::DEFAULT_PRACTICE_KEY);
    let _scheduler = Scheduler::start(&engine);
    wait_for_state(&engine, job.id, JobState::Downloaded).await;
    let files = engine.store().files(job.id).unwrap();
    assert_eq!(
        files.iter().filter_map(|file| file.records).sum::<u64>(),
        12
    );
}
