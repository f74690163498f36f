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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A job cancelled by a send again, with the words `reason` (as a database wrote them).
    fn cancelled_by(store: &Store, reason: &str) -> i64 {
        let connection = store.lock();
        connection
            .execute(
                "INSERT INTO jobs (mode, name, kind, state, state_reason, fingerprint, \
                 credits_per_record, download_dir, created_at, updated_at) \
                 VALUES ('live', 'Python people', 'es_dsl', 'cancelled', ?1, 'f', 1, '', \
                 '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')",
                [reason],
            )
            .unwrap();
        connection.last_insert_rowid()
    }

    /// A send again refused by Coresignal makes the first uncertain again, whether its reason was
    /// written by this version or by an earlier one ("Sent again as job 7."): in a database an
    /// earlier version wrote, the link between the two is not lost.
    #[test]
    fn a_refused_send_again_reopens_the_first_in_old_and_new_words() {
        let store = Store::open_in_memory().unwrap();
        for reason in [sent_again_reason(7), "Sent again as job 7.".to_owned()] {
            let first = cancelled_by(&store, &reason);
            let row = store.reopen_replaced(first, 7).unwrap();
            assert_eq!(
                row.map(|row| row.state),
                Some(JobState::Uncertain),
                "{reason}"
            );
        }
        // Cancelled by another send again, or by the person: left alone.
        for reason in ["Sent again as job 8.", "You cancelled this collection."] {
            let other = cancelled_by(&store, reason);
            assert!(
                store.reopen_replaced(other, 7).unwrap().is_none(),
                "{reason}"
            );
            assert_eq!(store.job(other).unwrap().state, JobState::Cancelled);
        }
    }
}
