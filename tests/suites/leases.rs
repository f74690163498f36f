//! Two processes on one data folder, one of them paused or killed mid-download: a living holder is
//! never replaced however long it stands still, and a dead one is replaced at once. Real CLI
//! processes, real signals (`kill -STOP`, `-CONT`, `-KILL`), the real simulator and SQLite file.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::jobs::JobState;
use collect_core::store::{download_lease, JobRow};
use coresignal_sim::{Endpoint, Faults, SimConfig};

/// The CLI's leases live this long without a heartbeat (the test seam; 30 s in the app).
const SHORT_LEASE_MS: u64 = 600;

/// A ready job of 2,000 profiles in 4 files, served at 512 KiB/s: slow enough to pause mid-way.
async fn ready_in_four_slow_files(harness: &Harness) -> JobRow {
    let everything = collect_core::query::parse_query(r#"{"query": {"match_all": {}}}"#).unwrap();
    let job = submit_job(&harness.engine, query_job(everything, Some(2_000)))
        .await
        .unwrap();
    harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(harness.engine.store().files(job.id).unwrap().len(), 4);
    harness.sim.set_faults(Faults {
        throttle_bytes_per_second: Some(512 * 1024),
        ..Faults::default()
    });
    job
}

/// `bulk-collect-cli --json download <job>` on the harness's folder, its leases living `lease_ms`.
fn cli_download(harness: &Harness, job: i64, lease_ms: u64) -> Child {
    Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
        .arg(harness.dir.path())
        .args(["--json", "download", &job.to_string()])
        .env("BULK_COLLECT_API_KEY", coresignal_sim::DEFAULT_PRACTICE_KEY)
        .env("BULK_COLLECT_TEST_LEASE_TTL_MS", lease_ms.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name}");
}

/// Waits until the CLI holds the job's download lease and has written `bytes` of a `.part`.
async fn wait_until_writing(harness: &Harness, job: i64, child: &mut Child, bytes: u64) {
    loop {
        let holder = harness
            .engine
            .store()
            .lease_holder(&download_lease(job))
            .unwrap();
        let written = files_under(&harness.downloads())
            .iter()
            .filter(|path| path.extension().is_some_and(|ext| ext == "part"))
            .filter_map(|path| std::fs::metadata(path).ok())
            .any(|meta| meta.len() > bytes);
        if written && holder.is_some_and(|h| h.label.contains("bulk-collect-cli")) {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the CLI ended before it could be stopped"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Each finished file of `job` is byte for byte what the service serves (fetched here directly).
async fn assert_files_are_the_services(harness: &Harness, job: i64) {
    let row = harness.engine.job(job).unwrap();
    let request = row.request_id.unwrap();
    let client = reqwest::Client::new();
    for file in harness.engine.store().files(job).unwrap() {
        let local = std::fs::read(PathBuf::from(file.path.unwrap())).unwrap();
        let url = format!(
            "{}/v2/data_requests/{request}/files/{}",
            harness.sim.base_url(),
            file.server_name
        );
        let served = client
            .get(url)
            .header("apikey", coresignal_sim::DEFAULT_PRACTICE_KEY)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            local == served.as_ref(),
            "{} differs from the service's",
            file.local_name
        );
    }
}

fn downloads_served(harness: &Harness) -> Vec<String> {
    harness
        .sim
        .calls()
        .into_iter()
        .filter(|call| call.endpoint == Endpoint::Download)
        .map(|call| format!("{} {}", call.status, call.path))
        .collect()
}

fn config() -> SimConfig {
    SimConfig {
        records_per_file: 500,
        ..quick_sim()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_paused_far_past_its_lease_is_never_taken_over_and_finishes_alone() {
    let harness = Harness::start(config()).await;
    let job = ready_in_four_slow_files(&harness).await;
    let mut cli = cli_download(&harness, job.id, SHORT_LEASE_MS);
    wait_until_writing(&harness, job.id, &mut cli, 128 * 1024).await;

    // Ctrl-Z, a debugger, a closed lid: the CLI stands still for many lease lengths while the app
    // (this engine's scheduler) runs on the same data folder.
    signal(&cli, "STOP");
    let served_before = downloads_served(&harness);
    let scheduler = Scheduler::start(&harness.engine);
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(SHORT_LEASE_MS / 4)).await;
        let holder = harness
            .engine
            .store()
            .lease_holder(&download_lease(job.id))
            .unwrap();
        assert!(
            holder.is_some_and(|h| h.label.contains("bulk-collect-cli")),
            "the paused CLI still holds the download"
        );
    }
    assert_eq!(
        downloads_served(&harness),
        served_before,
        "nothing was fetched while the holder stood still"
    );
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Downloading
    );

    signal(&cli, "CONT");
    let output = cli.wait_with_output().unwrap();
    drop(scheduler);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout_json(&output)["state"], "downloaded");
    let served = downloads_served(&harness);
    assert_eq!(
        served.len(),
        4,
        "each file was fetched once, by the CLI alone: {served:?}"
    );
    assert!(
        served.iter().all(|call| call.starts_with("200 ")),
        "{served:?}"
    );
    harness.sim.set_faults(Faults::default());
    assert_files_are_the_services(&harness, job.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_holder_is_taken_over_by_its_process_not_its_expiry() {
    let harness = Harness::start(config()).await;
    let job = ready_in_four_slow_files(&harness).await;
    // An hour-long lease: only the dead process can free it within the test.
    let mut cli = cli_download(&harness, job.id, 3_600_000);
    wait_until_writing(&harness, job.id, &mut cli, 128 * 1024).await;
    signal(&cli, "KILL");
    cli.wait().unwrap();

    harness.sim.set_faults(Faults::default());
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let files = harness.engine.store().files(job.id).unwrap();
    assert_eq!(
        files.iter().filter_map(|file| file.records).sum::<u64>(),
        2_000
    );
    assert_files_are_the_services(&harness, job.id).await;
}
