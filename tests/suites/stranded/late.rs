//! A 201 that arrives after the job was cancelled (Send again, or a person's Cancel) leaves a way
//! to download what was paid for, in the app and from the command line.

use super::*;

/// How long the simulator holds every answer to a POST (after creating its request): the time the
/// test has to cancel the job in between. Nothing is asserted about it: the test checks that the
/// answer was still out when the cancel was done.
const HELD_MS: u64 = 5_000;

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
