//! A "send again" refused by the service: the uncertain job it was to replace is uncertain
//! again, since its request may still exist.

use rusqlite::OptionalExtension;

use super::{JobRow, Store, StoreResult};
use crate::jobs::JobState;

impl Store {
    /// Makes job `replaced` uncertain again, if it is still cancelled *by* the "send again" that
    /// made job `by_job` (and by nothing else): that new request was refused, so the first one is
    /// where it was. Returns the moved row.
    pub fn reopen_replaced(&self, replaced: i64, by_job: i64) -> StoreResult<Option<JobRow>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let reason: Option<Option<String>> = transaction
            .query_row(
                "SELECT state_reason FROM jobs WHERE id = ?1",
                [replaced],
                |row| row.get(0),
            )
            .optional()?;
        if reason.flatten().as_deref() != Some(sent_again_reason(by_job).as_str()) {
            return Ok(None);
        }
        let moved = super::jobs::move_in(
            &transaction,
            replaced,
            &[JobState::Cancelled],
            JobState::Uncertain,
            Some(&format!(
                "Job {by_job}, which was to send this again, was refused by Coresignal, so this request may still exist. Look for it in your Coresignal account."
            )),
            Some(crate::error::ErrorCode::Uncertain),
        )?;
        transaction.commit()?;
        Ok(moved)
    }
}

/// Why a job sent again was cancelled (matched exactly by [`Store::reopen_replaced`]).
pub(super) fn sent_again_reason(by_job: i64) -> String {
    format!("Sent again as job {by_job}.")
}
