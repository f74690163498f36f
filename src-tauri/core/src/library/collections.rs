//! The library's side of deleting a collection: forgetting the people only it brought.

use rusqlite::params;

use crate::store::now_text;

use super::read::FORGOTTEN;
use super::{Library, LibraryError};

impl Library {
    /// Forgets, as [`Library::forget`] does, every person of `dataset` whom only `jobs` brought
    /// (their first and their last collection are both among them); people another job also
    /// brought stay, and so do people a kept net-new purchase skipped because the library held
    /// them (its spreadsheet takes them from the library). Each is written to `library_events`.
    /// Returns how many were forgotten.
    pub fn forget_brought_only_by(&self, dataset: &str, jobs: &[i64]) -> Result<u64, LibraryError> {
        let mut connection = self.store.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        transaction.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS library_jobs (id INTEGER PRIMARY KEY);
             DELETE FROM temp.library_jobs;",
        )?;
        {
            let mut insert = transaction
                .prepare_cached("INSERT OR IGNORE INTO temp.library_jobs VALUES (?1)")?;
            for job in jobs {
                insert.execute([job])?;
            }
        }
        // A person a kept net-new purchase skipped (held) stays too: its spreadsheet takes them
        // from the library.
        const ONLY_THESE: &str = "dataset = ?1
            AND first_job IN (SELECT id FROM temp.library_jobs)
            AND last_job IN (SELECT id FROM temp.library_jobs)
            AND id NOT IN (SELECT q.person_id FROM quote_people AS q
                           JOIN jobs AS j ON j.quote_id = q.quote_id
                           WHERE q.standing = 'held' AND j.deleted_at IS NULL
                             AND j.id NOT IN (SELECT id FROM temp.library_jobs))";
        transaction.execute(
            &format!(
                "INSERT INTO library_events (at, kind, dataset, person_id)
                 SELECT ?2, ?3, dataset, id FROM people WHERE {ONLY_THESE}"
            ),
            params![dataset, now_text(), FORGOTTEN],
        )?;
        // What the library kept about them goes too, as `forget` does: which jobs brought them,
        // and the changes of their copies (old and new title and company).
        for table in ["job_people", "library_changes"] {
            transaction.execute(
                &format!(
                    "DELETE FROM {table} WHERE dataset = ?1
                     AND person_id IN (SELECT id FROM people WHERE {ONLY_THESE})"
                ),
                params![dataset],
            )?;
        }
        let forgotten = transaction.execute(
            &format!("DELETE FROM people WHERE {ONLY_THESE}"),
            params![dataset],
        )?;
        transaction.execute("DELETE FROM temp.library_jobs", [])?;
        transaction.commit()?;
        Ok(forgotten as u64)
    }
}
