//! What a person sees of a collection: its state from its batches, its progress, one quote and one
//! row in the list, the typical wait, and its row changed when a batch moves.

use super::*;

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
