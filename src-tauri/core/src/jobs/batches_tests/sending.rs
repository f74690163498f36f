//! Batches sent once in their turn: claimed once; only a refused one waits again, never one the
//! service may have; none claimed without a key; a cancel reaches every batch; a retry makes the
//! spreadsheet out of date.

use super::*;

#[tokio::test]
async fn a_queued_batch_is_claimed_for_sending_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let parent = collection(&engine, 10_001).await;
    let batch = engine.store().batches(parent.id).unwrap()[0].id;
    let store = engine.store();
    let first = store
        .claim_batch(batch, "a", "a", Duration::from_secs(60))
        .unwrap();
    let second = store
        .claim_batch(batch, "b", "b", Duration::from_secs(60))
        .unwrap();
    assert_eq!(first.unwrap().state, JobState::Submitting);
    assert!(second.is_none(), "a second claim must not send it again");
    assert_eq!(
        store
            .lease_holder(&crate::store::submit_lease(batch))
            .unwrap()
            .unwrap()
            .owner,
        "a"
    );
    // The collection's row is not a batch: it cannot be claimed.
    assert!(store
        .claim_batch(parent.id, "a", "a", Duration::ZERO)
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn only_a_refused_batch_waits_its_turn_again() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let parent = collection(&engine, 10_001).await;
    let [refused, accepted] = refused_and_accepted(&engine, parent.id);
    let store = engine.store();
    store
        .move_state(
            accepted,
            &[JobState::Submitting],
            JobState::Failed,
            None,
            None,
        )
        .unwrap()
        .unwrap();
    assert!(
        store.requeue_batch(accepted).unwrap().is_none(),
        "it exists at the service"
    );
    // The accepted one retries by asking the service again (its request id), never by sending.
    assert_eq!(engine.retry(accepted).unwrap().state, JobState::Processing);
    assert_eq!(engine.retry(refused).unwrap().state, JobState::Queued);
}

#[tokio::test]
async fn a_batch_refused_as_already_in_progress_is_never_queued_again() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let parent = collection(&engine, 10_001).await;
    let batch = engine.store().batches(parent.id).unwrap()[0].id;
    let store = engine.store();
    fail(
        &engine,
        batch,
        Some(crate::error::ErrorCode::DuplicateInProgress),
    );
    assert!(
        store.requeue_batch(batch).unwrap().is_none(),
        "the first try may have made it"
    );
    assert!(!engine
        .detail(batch)
        .unwrap()
        .actions
        .contains(&JobAction::Retry));
    assert!(engine.retry(batch).is_err());
    assert_eq!(engine.job(batch).unwrap().state, JobState::Failed);
}

#[tokio::test]
async fn without_a_key_no_batch_is_claimed_so_none_looks_uncertain() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()); // No key is set.
    let parent = collection(&engine, 10_001).await;
    assert!(engine.send_due_batches(None).await.is_err());
    engine.recover().unwrap();
    let states = batch_states(&engine, parent.id);
    assert_eq!(states, vec![JobState::Queued; 2]);
}

#[tokio::test]
async fn cancelling_a_collection_cancels_every_batch_not_yet_ended() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let parent = collection(&engine, 20_001).await;
    let shown = engine.cancel(parent.id).unwrap();
    assert_eq!(shown.state, JobState::Cancelled);
    let states = batch_states(&engine, parent.id);
    assert_eq!(states, vec![JobState::Cancelled; 3]);
    assert!(
        engine
            .store()
            .claim_batch(
                engine.store().batches(parent.id).unwrap()[0].id,
                "me",
                "me",
                Duration::ZERO
            )
            .unwrap()
            .is_none(),
        "a cancelled batch is never sent"
    );
    let again = engine.cancel(parent.id).unwrap_err();
    assert!(matches!(again, EngineError::InvalidState { .. }));
}

#[tokio::test]
async fn a_retried_batch_makes_its_collections_spreadsheet_out_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let parent = collection(&engine, 10_001).await;
    let [refused, accepted] = refused_and_accepted(&engine, parent.id);
    let store = engine.store();
    let mut from = JobState::Submitting;
    for to in [
        JobState::Processing,
        JobState::Ready,
        JobState::Downloading,
        JobState::Downloaded,
    ] {
        store
            .move_state(accepted, &[from], to, None, None)
            .unwrap()
            .unwrap();
        from = to;
    }
    let export_path = || engine.job(parent.id).unwrap().export_path;
    let lease = store
        .take_lease(
            &format!("spreadsheet:{}", parent.id),
            "me",
            "me",
            Duration::from_secs(60),
        )
        .unwrap()
        .unwrap();

    // Made of the one downloaded batch while the other stopped: recorded.
    assert!(!store
        .set_export_path(&lease, parent.id, "one.xlsx", &[refused, accepted])
        .unwrap());
    assert!(!store
        .set_export_path(&lease, parent.id, "one.xlsx", &[refused])
        .unwrap());
    assert!(store
        .set_export_path(&lease, parent.id, "one.xlsx", &[accepted])
        .unwrap());
    assert_eq!(export_path().as_deref(), Some("one.xlsx"));

    // The refused batch is retried: the spreadsheet no longer covers the collection.
    assert_eq!(engine.retry(refused).unwrap().state, JobState::Queued);
    assert_eq!(export_path(), None);
    // A spreadsheet finished while the batch is under way is not recorded either.
    assert!(!store
        .set_export_path(&lease, parent.id, "late.xlsx", &[accepted])
        .unwrap());
    assert_eq!(export_path(), None);
}
