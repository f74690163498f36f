use std::time::Duration;

use crate::error::Coded;
use crate::store::ListPage;

use super::super::tests::{engine, ids};
use super::*;
use crate::jobs::{JobRequest, Mode};

/// A list of `count` IDs, marked to be split.
fn long_list(count: u64) -> crate::jobs::NewJob {
    let text: String = (1..=count).map(|id| format!("{id}\n")).collect();
    let mut job = ids(&text);
    if let JobRequest::Ids { split, .. } = &mut job.request {
        *split = true;
    }
    job
}

/// Spends a quote for `count` IDs as batches, as `submit` does before sending anything.
async fn collection(engine: &Engine, count: u64) -> JobRow {
    let quote = engine.quote(&long_list(count)).await.unwrap();
    engine
        .store()
        .spend_quote(
            Mode::Practice,
            quote.id,
            "me",
            "me",
            Duration::from_secs(60),
        )
        .unwrap()
        .unwrap()
}

/// The states of collection `parent`'s batches, in order.
fn batch_states(engine: &Engine, parent: i64) -> Vec<JobState> {
    engine
        .store()
        .batches(parent)
        .unwrap()
        .iter()
        .map(|b| b.state)
        .collect()
}

/// Claims queued batch `id` and records the service's refusal (`code`), as a refused POST does.
fn fail(engine: &Engine, id: i64, code: Option<crate::error::ErrorCode>) {
    let store = engine.store();
    store
        .claim_batch(id, "me", "me", Duration::ZERO)
        .unwrap()
        .unwrap();
    store
        .move_state(
            id,
            &[JobState::Submitting],
            JobState::Failed,
            Some("refused"),
            code,
        )
        .unwrap()
        .unwrap();
}

/// The two batches of a collection of 10,001: the first refused by the service (nothing created),
/// the second sent and accepted as request `r-1` (now `submitting`, with its request id).
fn refused_and_accepted(engine: &Engine, parent: i64) -> [i64; 2] {
    let [refused, accepted] = [0, 1].map(|i| engine.store().batches(parent).unwrap()[i].id);
    let store = engine.store();
    fail(engine, refused, None);
    store
        .claim_batch(accepted, "me", "me", Duration::ZERO)
        .unwrap()
        .unwrap();
    store.set_request_id(accepted, "r-1").unwrap();
    [refused, accepted]
}

#[test]
fn a_collection_shows_what_needs_the_person_then_the_work_then_how_it_ended() {
    use JobState::*;
    assert_eq!(
        collection_state(&[Downloaded, Uncertain, Queued]),
        Uncertain
    );
    assert_eq!(
        collection_state(&[Processing, InsufficientCredits]),
        InsufficientCredits
    );
    assert_eq!(
        collection_state(&[Downloaded, Downloading, Queued]),
        Downloading
    );
    assert_eq!(
        collection_state(&[Downloaded, Failed, Processing]),
        Processing
    );
    assert_eq!(collection_state(&[Queued, Queued]), Queued);
    assert_eq!(collection_state(&[Downloaded, Failed]), Failed);
    assert_eq!(collection_state(&[Downloaded, NoResults]), Downloaded);
    assert_eq!(collection_state(&[NoResults, NoResults]), NoResults);
    assert_eq!(collection_state(&[Cancelled, Downloaded]), Cancelled);
}

#[test]
fn a_collections_progress_counts_batches_ready_and_profiles_downloaded() {
    use JobState::*;
    let batch = |index: u32, state: JobState, records: u64, downloaded: u64| BatchView {
        job: i64::from(index),
        index,
        state,
        state_reason: None,
        records,
        records_downloaded: downloaded,
        actions: Vec::new(),
    };
    assert_eq!(
        batch_count(&[
            batch(1, Downloaded, 10_000, 10_000),
            batch(2, Downloaded, 10_000, 10_000),
            batch(3, Processing, 5_000, 0),
        ]),
        BatchCount {
            total: 3,
            done: 2,
            profiles: 25_000,
            profiles_ready: 20_000
        }
    );
    assert_eq!(
        batch_count(&[batch(1, NoResults, 10, 0), batch(2, Downloading, 10, 4)]),
        BatchCount {
            total: 2,
            done: 1,
            profiles: 20,
            profiles_ready: 4
        }
    );
}

#[tokio::test]
async fn a_long_list_is_one_quote_and_one_collection_of_queued_batches() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let text: String = (1..=10_001).map(|id| format!("{id}\n")).collect();
    let refused = engine.quote(&ids(&text)).await.unwrap_err();
    assert!(
        refused.user_message().contains("add --split"),
        "{}",
        refused.user_message()
    );

    let quote = engine.quote(&long_list(25_000)).await.unwrap();
    assert_eq!(
        (quote.records, quote.credits, quote.batches),
        (25_000, 25_000, 3)
    );
    assert_eq!(
        quote.question,
        "Collect 25,000 profiles in 3 batches? Practice: nothing is spent (a real account would pay 25,000 credits)."
    );
    let parent = collection(&engine, 25_000).await;
    assert_eq!(
        parent.state,
        JobState::Collection,
        "the parent row itself is never sent"
    );
    let batches = engine.store().batches(parent.id).unwrap();
    let sizes: Vec<u32> = batches.iter().map(|b| b.ids_count.unwrap()).collect();
    assert_eq!(sizes, vec![10_000, 10_000, 5_000]);
    assert!(batches
        .iter()
        .all(|b| b.state == JobState::Queued && b.request_id.is_none()));
    let first_ids = batches[0].ids_text.as_deref().unwrap();
    assert!(first_ids.starts_with("1\n2\n") && first_ids.ends_with("\n10000\n"));
    assert!(batches[2]
        .ids_text
        .as_deref()
        .unwrap()
        .ends_with("\n25000\n"));

    // The list shows the collection alone, as its batches stand.
    let list = engine.list(&ListPage::default()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].state, JobState::Queued);
    let waiting = BatchCount {
        total: 3,
        done: 0,
        profiles: 25_000,
        profiles_ready: 0,
    };
    assert_eq!(list[0].batches, Some(waiting));
    assert_eq!(engine.jobs().unwrap().len(), 1);
    let detail = engine.detail(parent.id).unwrap();
    assert_eq!(detail.batches.len(), 3);
    assert_eq!(detail.actions, vec![JobAction::Cancel]);
    assert_eq!(detail.batch_count, Some(waiting));
    // Waiting: the typical time is offered (none known yet on a new computer).
    assert_eq!(
        detail.typical_wait,
        Some(crate::jobs::TypicalWait {
            median_secs: None,
            from: 0
        })
    );
}

#[tokio::test]
async fn the_typical_wait_comes_from_this_apps_requests_that_became_ready() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let parent = collection(&engine, 10_001).await;
    let [_, accepted] = refused_and_accepted(&engine, parent.id);
    let store = engine.store();
    assert_eq!(engine.typical_wait().unwrap().from, 0, "not ready yet");
    for (from, to) in [
        (JobState::Submitting, JobState::Processing),
        (JobState::Processing, JobState::Ready),
    ] {
        store
            .move_state(accepted, &[from], to, None, None)
            .unwrap()
            .unwrap();
    }
    let typical = engine.typical_wait().unwrap();
    assert_eq!(typical.from, 1);
    assert!(
        typical.median_secs.is_some_and(|secs| secs < 60),
        "{typical:?}"
    );
}

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
async fn a_batch_that_moves_brings_its_collection_into_the_changed_list() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let parent = collection(&engine, 10_001).await;
    let since = engine.list(&ListPage::default()).unwrap()[0]
        .updated_at
        .clone();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let batch = engine.store().batches(parent.id).unwrap()[1].id;
    engine.cancel(batch).unwrap();
    let changed = engine
        .list(&ListPage {
            changed_since: Some(&since),
            ..ListPage::default()
        })
        .unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].id, parent.id);
    assert!(
        changed[0].updated_at > since,
        "the collection's row changed with its batch"
    );
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
