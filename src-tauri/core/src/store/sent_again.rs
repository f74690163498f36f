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
        let reason = reason.flatten();
        let by_that_send = [
            sent_again_reason(by_job),
            format!("Sent again as job {by_job}."),
        ];
        // The second: the words of earlier versions, still in a database they wrote.
        if !by_that_send
            .iter()
            .any(|words| reason.as_deref() == Some(words))
        {
            return Ok(None);
        }
        let moved = super::jobs::move_in(
            &transaction,
            replaced,
            &[JobState::Cancelled],
            JobState::Uncertain,
            Some(&format!(
                "Coresignal refused sending this collection again (Collection {by_job}), so the first time it was sent may still have reached it. Look for it in your Coresignal account."
            )),
            Some(crate::error::ErrorCode::Uncertain),
        )?;
        transaction.commit()?;
        Ok(moved)
    }
}

/// Why a job sent again was cancelled (matched exactly by [`Store::reopen_replaced`]).
pub(super) fn sent_again_reason(by_job: i64) -> String {
    format!("Sent again as Collection {by_job}.")
}
