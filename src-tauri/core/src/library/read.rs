//! Reading the library: which of a list of ids are held, how many people, one person's copy, and
//! forgetting a person.

use rusqlite::{params, OptionalExtension};

use crate::store::now_text;

use super::record::unpack;
use super::{Library, LibraryError};

/// A person the library holds, as a quote needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The person's id at Coresignal.
    pub id: i64,
    /// The record's `last_updated`, as the service wrote it.
    pub last_updated: Option<String>,
    /// When the app last collected the person (RFC 3339).
    pub last_collected_at: String,
}

/// What `library_events` calls forgetting a person.
pub(super) const FORGOTTEN: &str = "forgotten";

impl Library {
    /// Which of `ids` the library holds in `dataset`, by id (each once). Built for a request's
    /// 10,000 ids: they go through a temporary table, never a statement's variables.
    pub fn lookup(&self, dataset: &str, ids: &[i64]) -> Result<Vec<Held>, LibraryError> {
        let mut connection = self.store.lock();
        let transaction = connection.transaction()?;
        transaction.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS library_lookup (id INTEGER PRIMARY KEY);
             DELETE FROM temp.library_lookup;",
        )?;
        let held = {
            let mut insert = transaction
                .prepare_cached("INSERT OR IGNORE INTO temp.library_lookup VALUES (?1)")?;
            for id in ids {
                insert.execute([id])?;
            }
            let mut select = transaction.prepare_cached(
                "SELECT people.id, people.last_updated, people.last_collected_at
                 FROM temp.library_lookup AS wanted
                 JOIN people ON people.dataset = ?1 AND people.id = wanted.id
                 ORDER BY people.id",
            )?;
            let rows = select.query_map([dataset], |row| {
                Ok(Held {
                    id: row.get(0)?,
                    last_updated: row.get(1)?,
                    last_collected_at: row.get(2)?,
                })
            })?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        transaction.execute("DELETE FROM temp.library_lookup", [])?;
        transaction.commit()?;
        Ok(held)
    }

    /// True when the library holds nobody in `dataset` (one row read, not a count).
    pub fn is_empty(&self, dataset: &str) -> Result<bool, LibraryError> {
        let any: bool = self.store.lock().query_row(
            "SELECT EXISTS (SELECT 1 FROM people WHERE dataset = ?1)",
            [dataset],
            |row| row.get(0),
        )?;
        Ok(!any)
    }

    /// How many people the library holds in `dataset`.
    pub fn count(&self, dataset: &str) -> Result<u64, LibraryError> {
        let count: i64 = self.store.lock().query_row(
            "SELECT count(*) FROM people WHERE dataset = ?1",
            [dataset],
            |row| row.get(0),
        )?;
        Ok(count.unsigned_abs())
    }

    /// Person `id`'s latest copy, as the service sent it; `None` when not held.
    pub fn person(
        &self,
        dataset: &str,
        id: i64,
    ) -> Result<Option<serde_json::Value>, LibraryError> {
        let copy: Option<Vec<u8>> = self
            .store
            .lock()
            .query_row(
                "SELECT record FROM people WHERE dataset = ?1 AND id = ?2",
                params![dataset, id],
                |row| row.get(0),
            )
            .optional()?;
        copy.map(|copy| unpack(&copy)).transpose()
    }

    /// Forgets person `id` (a deletion request): the copy and all that was kept with it are
    /// deleted, and only that it happened is recorded (when, which dataset and id). Returns
    /// whether the person was held; nothing is recorded when not.
    pub fn forget(&self, dataset: &str, id: i64) -> Result<bool, LibraryError> {
        let mut connection = self.store.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let deleted = transaction.execute(
            "DELETE FROM people WHERE dataset = ?1 AND id = ?2",
            params![dataset, id],
        )?;
        if deleted > 0 {
            // What the library kept about them goes too: which jobs brought them, their changes.
            for table in ["job_people", "library_changes"] {
                transaction.execute(
                    &format!("DELETE FROM {table} WHERE dataset = ?1 AND person_id = ?2"),
                    params![dataset, id],
                )?;
            }
            transaction.execute(
                "INSERT INTO library_events (at, kind, dataset, person_id) VALUES (?1, ?2, ?3, ?4)",
                params![now_text(), FORGOTTEN, dataset, id],
            )?;
        }
        transaction.commit()?;
        Ok(deleted > 0)
    }
}
