//! `download` of a failed job: the files already done are kept and the rest fetched; with nothing
//! to download it says why and exits non-zero.

use super::*;

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
