//! Deleted jobs: the row stays (the credit ledger and "collected before" still count it), marked
//! with when it was deleted; the job list leaves it out.

use rusqlite::params;

use super::{now_text, Store, StoreResult};

impl Store {
    /// Marks job `id` and its batches deleted, in one write; returns whether `id` was not deleted
    /// already.
    pub fn mark_deleted(&self, id: i64) -> StoreResult<bool> {
        let now = now_text();
        let marked = self.lock().execute(
            "UPDATE jobs SET deleted_at = ?2, updated_at = ?2
             WHERE (id = ?1 OR parent_id = ?1) AND deleted_at IS NULL",
            params![id, now],
        )?;
        Ok(marked > 0)
    }

    /// Whether job `id` was deleted.
    pub fn is_deleted(&self, id: i64) -> StoreResult<bool> {
        Ok(self.lock().query_row(
            "SELECT deleted_at IS NOT NULL FROM jobs WHERE id = ?1",
            [id],
            |row| row.get(0),
        )?)
    }
}
