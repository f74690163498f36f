//! Several processes on one data folder: one downloads a job at a time; all start together.

use super::*;

// ----- 8: one process downloads a job at a time ----------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_finds_the_download_busy_and_is_told_who_holds_it() {
    let harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    let downloading = download_in_background(&harness, job.id).await;
    assert!(harness
        .engine
        .store()
        .lease_holder(&download_lease(job.id))
        .unwrap()
        .is_some());
    // The command line on the same data folder.
    let output = run_cli(&harness, &["--json", "download", &job.id.to_string()]);
    assert!(!output.status.success());
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["error"]["code"], "Busy", "{answer}");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("Bulk Collect"), "{message}");
    harness.sim.set_faults(Faults::default());
    let done = downloading.await.unwrap().unwrap();
    assert_eq!(done.state, JobState::Downloaded);
}

// ----- 11: processes starting together on a new data folder ----------------------------------------

#[tokio::test]
async fn three_processes_started_together_on_a_new_data_folder_all_succeed() {
    let harness = Harness::start(quick_sim()).await;
    let fresh = harness.dir.path().join("fresh");
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(workspace_binary("bulk-collect-cli"))
                .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
                .arg(&fresh)
                .args(["--json", "jobs"])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
