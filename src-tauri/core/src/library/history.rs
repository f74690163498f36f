//! What the library remembers of each job: which people it delivered, and what changed in a
//! person's copy when it brought a newer one (kept at ingest, read by *What changed*).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::{Library, LibraryError};

/// A change a job brought to a person's copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyChange {
    /// The person's id.
    pub id: i64,
    /// The current title and company before and after.
    pub old_title: Option<String>,
    /// See `old_title`.
    pub old_company: Option<String>,
    /// See `old_title`.
    pub new_title: Option<String>,
    /// See `old_title`.
    pub new_company: Option<String>,
    /// The top-level fields that changed (not `last_updated`), sorted.
    pub fields: Vec<String>,
}

impl Library {
    /// The ids of the people `jobs` delivered, each once, in id order.
    pub fn delivered(&self, jobs: &[i64]) -> Result<Vec<i64>, LibraryError> {
        let connection = self.store.lock();
        let mut select = connection.prepare_cached(
            "SELECT person_id FROM job_people WHERE job_id = ?1 ORDER BY person_id",
        )?;
        let mut ids = Vec::new();
        for job in jobs {
            let rows = select.query_map([job], |row| row.get::<_, i64>(0))?;
            for id in rows {
                ids.push(id?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The changes `jobs` brought to copies held in `dataset`, by person id.
    pub fn changes_by(&self, dataset: &str, jobs: &[i64]) -> Result<Vec<CopyChange>, LibraryError> {
        let connection = self.store.lock();
        let mut select = connection.prepare_cached(
            "SELECT person_id, old_title, old_company, new_title, new_company, fields
             FROM library_changes WHERE dataset = ?1 AND job_id = ?2 ORDER BY person_id, id",
        )?;
        let mut changes = Vec::new();
        for job in jobs {
            let rows = select.query_map(params![dataset, job], |row| {
                let fields: String = row.get(5)?;
                Ok(CopyChange {
                    id: row.get(0)?,
                    old_title: row.get(1)?,
                    old_company: row.get(2)?,
                    new_title: row.get(3)?,
                    new_company: row.get(4)?,
                    fields: serde_json::from_str(&fields).unwrap_or_default(),
                })
            })?;
            for change in rows {
                changes.push(change?);
            }
        }
        Ok(changes)
    }

    /// The names the library holds for `ids` in `dataset` (people without one are left out).
    pub fn names(&self, dataset: &str, ids: &[i64]) -> Result<HashMap<i64, String>, LibraryError> {
        let connection = self.store.lock();
        let mut select = connection.prepare_cached(
            "SELECT name FROM people WHERE dataset = ?1 AND id = ?2 AND name IS NOT NULL",
        )?;
        let mut names = HashMap::new();
        for id in ids {
            let name = select
                .query_row(params![dataset, id], |row| row.get::<_, String>(0))
                .optional()?;
            if let Some(name) = name {
                names.insert(*id, name);
            }
        }
        Ok(names)
    }
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
