//! A created request's id is never lost, even when the database cannot take it.

use super::*;

// ----- 4: a created request's id is never lost ----------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_id_the_database_cannot_take_goes_to_the_journal_and_is_applied_at_start() {
    let mut harness = Harness::start(quick_sim()).await;
    // An engine whose database gives up after 50 ms of waiting for a lock.
    let store = Store::open_with(
        &Store::default_path(harness.dir.path()),
        Duration::from_millis(50),
    )
    .unwrap();
    let engine = engine_over(&harness, store);
    let quote = engine
        .quote(&query_job(python_query(), Some(5)))
        .await
        .unwrap();
    harness.sim.set_faults(Faults {
        delay_ms: PerGroup {
            submit: 700,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
    let mut updates = engine.subscribe();
    let submitting = {
        let engine = Arc::clone(&engine);
        tokio::spawn(async move { engine.submit(quote.id, false).await })
    };
    // The row is written; now another process takes the database's write lock, past the POST.
    loop {
        if let JobUpdate::State {
            state: JobState::Submitting,
            ..
        } = updates.recv().await.unwrap()
        {
            break;
        }
    }
    let locker = rusqlite::Connection::open(Store::default_path(harness.dir.path())).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let answer = submitting.await.unwrap();
    locker.execute_batch("ROLLBACK").unwrap();

    let job = answer.expect("a created request is never reported as a failure to retry");
    let request_id = job.request_id.clone().expect("the id the service gave");
    let journal =
        std::fs::read_to_string(harness.dir.path().join("bulk-collect.sqlite3.accepted")).unwrap();
    assert!(journal.contains(&request_id), "{journal}");
    assert_eq!(
        engine.job(job.id).unwrap().request_id,
        None,
        "the database did not take it"
    );

    let restarted = harness.restart();
    let recovered = restarted.job(job.id).unwrap();
    assert_eq!(recovered.request_id.as_deref(), Some(request_id.as_str()));
    assert_eq!(recovered.state, JobState::Processing);
    assert_eq!(posts(&harness), 1);
}
