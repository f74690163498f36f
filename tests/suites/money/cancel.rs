//! Cancel is never undone: not by a slow poll, a ready answer, a download or another process.

use super::*;

// ----- 7: Cancel is never undone -------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_during_a_slow_poll_that_then_answers_ready_stays_cancelled() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await; // The service has the files.
    harness.sim.set_faults(Faults {
        delay_ms: PerGroup {
            status: 800,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
    let polling = {
        let engine = Arc::clone(&harness.engine);
        tokio::spawn(async move { engine.poll_once(job.id).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    harness.engine.cancel(job.id).unwrap();
    let after = polling.await.unwrap().unwrap();
    assert_eq!(
        after.state,
        JobState::Cancelled,
        "the late ready did not resurrect it"
    );
    let _scheduler = Scheduler::start(&harness.engine);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Cancelled
    );
    assert_eq!(
        harness.sim.count_calls(Endpoint::Download),
        0,
        "nothing downloaded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_after_ready_means_no_download() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(5)).await;
    let ready = harness.engine.wait(job.id, None).await.unwrap();
    assert_eq!(ready.state, JobState::Ready);
    harness.engine.cancel(job.id).unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Cancelled
    );
    assert_eq!(harness.sim.count_calls(Endpoint::Download), 0);
    assert_eq!(
        harness.engine.retry(job.id).unwrap_err().code(),
        ErrorCode::InvalidState
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_during_a_download_stops_it_and_it_stays_cancelled() {
    let harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    let downloading = download_in_background(&harness, job.id).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    harness.engine.cancel(job.id).unwrap();
    let _ = downloading.await.unwrap();
    let after = harness.engine.job(job.id).unwrap();
    assert_eq!(after.state, JobState::Cancelled);
    let finished = finished_files(&harness);
    assert!(
        finished.is_empty(),
        "no file under its final name: {finished:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_from_the_command_line_stops_the_apps_download() {
    let harness = Harness::start(quick_sim()).await;
    let job = ready_to_download_slowly(&harness).await;
    let downloading = download_in_background(&harness, job.id).await;
    let output = run_cli(&harness, &["--json", "cancel", &job.id.to_string()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let _ = downloading.await.unwrap();
    assert_eq!(
        harness.engine.job(job.id).unwrap().state,
        JobState::Cancelled
    );
    let finished = finished_files(&harness);
    assert!(
        finished.is_empty(),
        "no file under its final name: {finished:?}"
    );
}
