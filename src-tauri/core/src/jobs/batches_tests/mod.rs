//! Collections: a long ID list as one quote and one collection of batches, each sent once in its
//! turn, and the state and progress a person sees.

use std::time::Duration;

use crate::error::Coded;
use crate::store::ListPage;

use super::super::tests::{engine, ids};
use super::*;
use crate::jobs::{JobRequest, Mode};

mod sending;
mod view;

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
