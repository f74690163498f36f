//! The batches of a collection (an ID list over the service's cap, sent as several requests): the
//! claim that sends a queued batch once, the retry of a refused one, and their states.

use std::time::Duration;

use rusqlite::params;

use super::jobs::{job_from_row, move_in, JOB_COLUMNS};
use super::new_jobs::{confirmed, insert_job, JobPart};
use super::{submit_lease, JobRow, NewQuote, Store, StoreResult};
use crate::jobs::JobState;

impl Store {
    /// Claims queued batch `id` for sending: in one transaction, moves it `queued` → `submitting`
    /// (the only way into `submitting` besides spending a quote, and made once) and gives `owner`
    /// its submission lease. `None` when it was no longer queued (another process claimed it, or
    /// the person cancelled it): the caller sends nothing.
    pub fn claim_batch(
        &self,
        id: i64,
        owner: &str,
        owner_label: &str,
        lease: Duration,
    ) -> StoreResult<Option<JobRow>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let moved = move_in(
            &transaction,
            id,
            &[JobState::Queued],
            JobState::Submitting,
            Some("Its turn came: sending it to the service."),
            None,
        )?;
        if moved.is_some() {
            let grant = super::leases::grant_in(
                &transaction,
                self,
                &submit_lease(id),
                owner,
                owner_label,
                lease,
            )?;
            transaction.commit()?;
            // Adopted by the sender (see `Store::held_lease`).
            drop(grant.committed());
        }
        Ok(moved)
    }

    /// Cancels every batch of collection `parent` that can be cancelled, with `reason`, in one
    /// transaction. A batch sender's claim (`queued` → `submitting`, one transaction too) is
    /// decided wholly before it (that batch was already sent) or after it (it finds nothing
    /// queued): a cancelled collection sends no further batch. Returns the batches moved.
    pub fn cancel_batches(&self, parent: i64, reason: &str) -> StoreResult<Vec<JobRow>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let batches: Vec<i64> = transaction
            .prepare("SELECT id FROM jobs WHERE parent_id = ?1 ORDER BY batch_index")?
            .query_map([parent], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut moved = Vec::new();
        for batch in batches {
            let row = move_in(
                &transaction,
                batch,
                &JobState::ALL,
                JobState::Cancelled,
                Some(reason),
                None,
            )?;
            moved.extend(row);
        }
        transaction.commit()?;
        if !moved.is_empty() {
            crate::test_seams::kill_point_of("state", JobState::Cancelled.as_str());
        }
        Ok(moved)
    }

    /// Puts failed batch `id` back in the queue, only if it is a batch and the service never
    /// accepted it (no request id: it was refused, so nothing was created or charged; not a 409,
    /// which may mean an earlier try of the same POST created it). `None` when it is not such a
    /// batch.
    pub fn requeue_batch(&self, id: i64) -> StoreResult<Option<JobRow>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let refused_batch: bool = transaction.query_row(
            "SELECT parent_id IS NOT NULL AND request_id IS NULL \
             AND coalesce(error_code, '') != 'DuplicateInProgress' FROM jobs WHERE id = ?1",
            [id],
            |row| row.get(0),
        )?;
        if !refused_batch {
            return Ok(None);
        }
        let moved = move_in(
            &transaction,
            id,
            &[JobState::Failed],
            JobState::Queued,
            Some("Retry asked by you: this batch waits for its turn to be sent again (Coresignal refused it, so nothing was charged)."),
            None,
        )?;
        transaction.commit()?;
        Ok(moved)
    }

    /// The batches of collection `parent`, in order.
    pub fn batches(&self, parent: i64) -> StoreResult<Vec<JobRow>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE parent_id = ?1 ORDER BY batch_index"
        ))?;
        let rows = statement.query_map([parent], job_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// A collection: the parent row (state `collection`, never sent itself) and one `queued` batch per
/// [`crate::ids::MAX_IDS_PER_REQUEST`] IDs, in list order. Returns the parent.
pub(super) fn insert_collection(
    transaction: &rusqlite::Transaction<'_>,
    q: &NewQuote,
    quote: i64,
    now: &str,
) -> StoreResult<i64> {
    let parent = insert_job(
        transaction,
        q,
        &JobPart {
            state: JobState::Collection,
            ids_text: q.ids_text.as_deref(),
            ..JobPart::whole(q, quote)
        },
        now,
    )?;
    let batches = batch_texts(q.ids_text.as_deref().unwrap_or_default());
    confirmed(
        transaction,
        parent,
        q,
        quote,
        now,
        &format!("Sending it as {} batches.", batches.len()),
    )?;
    for (index, (text, count)) in batches.iter().enumerate() {
        let index = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let batch = insert_job(
            transaction,
            q,
            &JobPart {
                state: JobState::Queued,
                ids_text: Some(text),
                ids_count: Some(*count),
                fingerprint: ids_fingerprint(text),
                records: u64::from(*count),
                quote_id: None,
                parent_id: Some(parent),
                batch_index: Some(index),
            },
            now,
        )?;
        transaction.execute(
            "INSERT INTO job_events (job_id, at, kind, to_state, detail) VALUES (?1, ?2, 'state', ?3, ?4)",
            params![
                batch,
                now,
                JobState::Queued.as_str(),
                format!("Batch {index} of {} (Collection {parent}): {count} IDs, waiting for its turn.", batches.len())
            ],
        )?;
    }
    Ok(parent)
}

/// The fingerprint of a batch: that of the same IDs sent as a list of their own.
fn ids_fingerprint(ids_text: &str) -> String {
    let mut ids: Vec<u64> = ids_text
        .lines()
        .filter_map(|line| line.trim().parse().ok())
        .collect();
    ids.sort_unstable();
    crate::jobs::fingerprint(&serde_json::json!({ "ids": ids }))
}

/// An ID list (one ID a line) cut into batches the service accepts, with their sizes.
pub fn batch_texts(ids_text: &str) -> Vec<(String, u32)> {
    let ids: Vec<&str> = ids_text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    ids.chunks(crate::ids::MAX_IDS_PER_REQUEST)
        .map(|chunk| {
            let mut text = chunk.join("\n");
            text.push('\n');
            (text, u32::try_from(chunk.len()).unwrap_or(u32::MAX))
        })
        .collect()
}
