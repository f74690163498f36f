//! A cancelled collection sends no further batch, even while the app's batch sender runs.

use super::*;

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
