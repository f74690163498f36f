//! A job's request id: recorded when the service accepts a POST (whatever the job's state: a
//! request that exists is never forgotten), attached by a person ("I found it", never one another
//! job holds), and what a request id learnt after a cancel allows. Also the guards some moves
//! need beyond the job table (checked in the move's own `UPDATE`).

use rusqlite::{params, OptionalExtension};

use super::jobs::{job_from_row, move_in, JOB_COLUMNS};
use super::{JobRow, Store, StoreError, StoreResult};
use crate::jobs::JobState;

/// SQL, true for the row of `jobs` it is evaluated on when that job was cancelled while it was
/// uncertain (by a person, or by a "send again") and its request id is known now: Coresignal
/// received the request after all, so it is paid and may still be downloaded. Only such a job may
/// go back from `cancelled` to `processing`. (An uncertain job has no request id: one the service
/// did not know is forgotten as it goes back to uncertain; so the id arrived after the cancel.)
pub(super) const PAID_AFTER_CANCEL: &str =
    "(jobs.state = 'cancelled' AND jobs.request_id IS NOT NULL \
     AND (SELECT e.from_state FROM job_events e WHERE e.job_id = jobs.id AND e.kind = 'state' \
          AND e.to_state = 'cancelled' ORDER BY e.id DESC LIMIT 1) = 'uncertain')";

/// When a job's request was submitted: its last move into `submitting` (the POST follows it), or
/// the row's creation. SQL over the row of `jobs` being updated.
const SUBMITTED: &str = "coalesce((SELECT max(e.at) FROM job_events e WHERE e.job_id = jobs.id \
     AND e.to_state = 'submitting'), jobs.created_at)";

/// What a move from `from` (stored text) to `to` needs of the job beyond its state: a condition
/// over its row in `jobs`, part of the move's `UPDATE`, so nothing can change in between.
pub(super) fn move_guard(from: &str, to: JobState) -> &'static str {
    match (JobState::parse(from), to) {
        (Some(JobState::Cancelled), JobState::Processing) => PAID_AFTER_CANCEL,
        // Uncertain again only while nothing says the request exists.
        (Some(JobState::Cancelled), JobState::Uncertain) => "jobs.request_id IS NULL",
        // Only with files the service listed (and a request to fetch them from).
        (Some(JobState::Failed), JobState::Downloading) => {
            "(jobs.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM job_files f WHERE f.job_id = jobs.id))"
        }
        _ => "1",
    }
}

/// What became of an "I found it".
#[derive(Debug)]
pub enum Attached {
    /// The id is the job's now, and the job is `processing` (it is checked with the service).
    Moved(JobRow),
    /// Another job of the same mode holds this request id: nothing was changed.
    HeldBy(JobRow),
    /// The job is no longer uncertain (it moved meanwhile): nothing was changed.
    NotUncertain,
}

impl Store {
    /// Records the service's request id once a POST was accepted. Kept whatever the state: a
    /// request that exists must never be forgotten (a job cancelled while uncertain then offers
    /// its download, see [`Store::paid_after_cancel`]). Its 30 days count from the submission,
    /// not from now. Another id than the job had starts its count of "not found" polls afresh.
    pub fn set_request_id(&self, id: i64, request_id: &str) -> StoreResult<()> {
        let changed = self.write_now(|transaction, now| {
            Ok(transaction.execute(
                &format!(
                    "UPDATE jobs SET request_id = ?2, submitted_at = coalesce(submitted_at, {SUBMITTED}), \
                     updated_at = ?3, request_attached = 0, \
                     poll_failures = CASE WHEN request_id IS ?2 THEN poll_failures ELSE 0 END \
                     WHERE id = ?1"
                ),
                params![id, request_id, now],
            )?)
        })?;
        if changed == 0 {
            return Err(StoreError::NoSuchJob(id));
        }
        Ok(())
    }

    /// "I found it": in one transaction, gives uncertain job `id` the request id a person found in
    /// their Coresignal account, unless another job of its mode holds that id, and moves it to
    /// `processing` with `reason`, to be polled at once. Its 30 days count from its submission.
    pub fn attach_request(&self, id: i64, request_id: &str, reason: &str) -> StoreResult<Attached> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let holder = transaction
            .query_row(
                &format!(
                    "SELECT {JOB_COLUMNS} FROM jobs WHERE request_id = ?2 AND id != ?1 \
                     AND mode = (SELECT mode FROM jobs WHERE id = ?1) ORDER BY id LIMIT 1"
                ),
                params![id, request_id],
                job_from_row,
            )
            .optional()?;
        if let Some(holder) = holder {
            return Ok(Attached::HeldBy(holder));
        }
        let now = super::now_text();
        let changed = transaction.execute(
            &format!(
                "UPDATE jobs SET request_id = ?2, submitted_at = {SUBMITTED}, updated_at = ?3, \
                 request_attached = 1, next_poll_at = NULL WHERE id = ?1 AND state = ?4"
            ),
            params![id, request_id, now, JobState::Uncertain.as_str()],
        )?;
        if changed == 0 {
            return Ok(Attached::NotUncertain);
        }
        let moved = move_in(
            &transaction,
            id,
            &[JobState::Uncertain],
            JobState::Processing,
            Some(reason),
            None,
        )?;
        let Some(row) = moved else {
            return Ok(Attached::NotUncertain);
        };
        transaction.commit()?;
        Ok(Attached::Moved(row))
    }

    /// True when job `id` was cancelled while uncertain and its request id arrived since: the
    /// request is paid and may still be downloaded (its move back to `processing` is allowed).
    pub fn paid_after_cancel(&self, id: i64) -> StoreResult<bool> {
        self.lock()
            .query_row(
                &format!("SELECT {PAID_AFTER_CANCEL} FROM jobs WHERE id = ?1"),
                [id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchJob(id))
    }
}
