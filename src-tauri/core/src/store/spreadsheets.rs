//! Where a job's spreadsheet is recorded, and which collections still need one.

use rusqlite::params;

use super::{Fence, Store, StoreResult};
use crate::jobs::{JobState, Mode};

impl Store {
    /// Records the spreadsheet made from job `id`'s files. For a collection, `batches` are the
    /// batches it was made of: recorded only if none of its batches is under way and exactly those
    /// are downloaded (checked in the same write), so that a spreadsheet made before a batch moved
    /// again is never taken for one that covers the collection. Empty for a single job. Returns
    /// whether it was recorded. Under `fence`, the job's spreadsheet lease: once another process
    /// was granted it, nothing is recorded ([`super::StoreError::LeaseLost`]).
    pub fn set_export_path(
        &self,
        fence: &Fence,
        id: i64,
        path: &str,
        batches: &[i64],
    ) -> StoreResult<bool> {
        let under_way = under_way_list();
        let downloaded = JobState::Downloaded.as_str();
        // Whole numbers from the database, written into the statement as they are.
        let made_of = batches
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let count = i64::try_from(batches.len()).unwrap_or(i64::MAX);
        self.fenced(fence, |transaction, now| {
            let changed = transaction.execute(
                &format!(
                    "UPDATE jobs SET export_path = ?2, updated_at = ?3 WHERE id = ?1 \
                     AND NOT EXISTS (SELECT 1 FROM jobs WHERE parent_id = ?1 AND state IN ('{under_way}')) \
                     AND (SELECT count(*) FROM jobs WHERE parent_id = ?1 AND state = '{downloaded}') = ?4 \
                     AND (SELECT count(*) FROM jobs WHERE parent_id = ?1 AND state = '{downloaded}' \
                          AND id IN ({made_of})) = ?4"
                ),
                params![id, path, now, count],
            )?;
            Ok(changed == 1)
        })
    }

    /// Collections of `mode` whose batches have all stopped (none under way), at least one with
    /// files, and no spreadsheet recorded; each with its last change.
    pub fn collections_without_spreadsheet(&self, mode: Mode) -> StoreResult<Vec<(i64, String)>> {
        let under_way = under_way_list();
        let (collection, downloaded) =
            (JobState::Collection.as_str(), JobState::Downloaded.as_str());
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT p.id, p.updated_at FROM jobs p WHERE p.mode = ?1 AND p.state = '{collection}' \
             AND p.export_path IS NULL \
             AND EXISTS (SELECT 1 FROM jobs b WHERE b.parent_id = p.id AND b.state = '{downloaded}') \
             AND NOT EXISTS (SELECT 1 FROM jobs b WHERE b.parent_id = p.id AND b.state IN ('{under_way}')) \
             ORDER BY p.id"
        ))?;
        let rows = statement.query_map([mode.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// The states of a batch under way, as the inside of an SQL `IN ('…')` (constant texts).
fn under_way_list() -> String {
    JobState::UNDER_WAY.map(JobState::as_str).join("','")
}
