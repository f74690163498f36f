//! Saved searches: a name, the query text as the person wrote it (or the builder wrote it), and the
//! number of profiles to ask for. Shared by both modes: a search costs nothing until it is sent.

use rusqlite::{params, OptionalExtension, Row};

use super::{now_text, Store, StoreError, StoreResult};

/// A saved search as stored.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[ts(export)]
pub struct SavedSearch {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// The name people see.
    pub name: String,
    /// The ES DSL text.
    pub query_text: String,
    /// How many profiles to ask for; `None` for every match.
    pub limit: Option<u32>,
    /// When it was saved first.
    pub created_at: String,
    /// When it was changed last.
    pub updated_at: String,
}

fn saved_search(row: &Row<'_>) -> rusqlite::Result<SavedSearch> {
    Ok(SavedSearch {
        id: row.get(0)?,
        name: row.get(1)?,
        query_text: row.get(2)?,
        limit: row.get(3)?,
        created_at: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

const COLUMNS: &str = "id, name, query_text, query_limit, created_at, updated_at";

impl Store {
    /// Every saved search, by name (case-insensitive), then number.
    pub fn saved_searches(&self) -> StoreResult<Vec<SavedSearch>> {
        let connection = self.lock();
        let mut statement = connection.prepare(&format!(
            "SELECT {COLUMNS} FROM saved_searches ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = statement.query_map([], saved_search)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One saved search.
    pub fn saved_search(&self, id: i64) -> StoreResult<SavedSearch> {
        self.lock()
            .query_row(
                &format!("SELECT {COLUMNS} FROM saved_searches WHERE id = ?1"),
                [id],
                saved_search,
            )
            .optional()?
            .ok_or(StoreError::NoSuchSearch(id))
    }

    /// Adds a search under `name` (made unique with " (2)", " (3)", … when taken) and returns it.
    pub fn add_search(
        &self,
        name: &str,
        query_text: &str,
        limit: Option<u32>,
    ) -> StoreResult<SavedSearch> {
        let id = {
            let mut connection = self.lock();
            let tx =
                connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let name = free_name(&tx, name, None)?;
            let now = now_text();
            tx.execute(
                "INSERT INTO saved_searches (name, query_text, query_limit, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name, query_text, limit, now],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            id
        };
        self.saved_search(id)
    }

    /// Replaces a saved search's name, query and limit (the name made unique as in `add_search`).
    pub fn update_search(
        &self,
        id: i64,
        name: &str,
        query_text: &str,
        limit: Option<u32>,
    ) -> StoreResult<SavedSearch> {
        {
            let mut connection = self.lock();
            let tx =
                connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let name = free_name(&tx, name, Some(id))?;
            let changed = tx.execute(
                "UPDATE saved_searches SET name = ?2, query_text = ?3, query_limit = ?4, \
                 updated_at = ?5 WHERE id = ?1",
                params![id, name, query_text, limit, now_text()],
            )?;
            if changed == 0 {
                return Err(StoreError::NoSuchSearch(id));
            }
            tx.commit()?;
        }
        self.saved_search(id)
    }

    /// Deletes a saved search; deleting one already gone is not an error.
    pub fn delete_search(&self, id: i64) -> StoreResult<()> {
        self.lock()
            .execute("DELETE FROM saved_searches WHERE id = ?1", [id])?;
        Ok(())
    }
}

/// `name`, or `name (2)`, `name (3)`, … whichever no other search (but `except`) carries.
fn free_name(
    connection: &rusqlite::Connection,
    name: &str,
    except: Option<i64>,
) -> StoreResult<String> {
    let taken = |candidate: &str| -> StoreResult<bool> {
        Ok(connection
            .query_row(
                "SELECT 1 FROM saved_searches WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
                params![candidate, except],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    };
    if !taken(name)? {
        return Ok(name.to_owned());
    }
    let mut n = 2;
    loop {
        // The name is cut so that the suffix keeps it within the longest name a search may have.
        let suffix = format!(" ({n})");
        let keep = crate::searches::MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
        let base: String = name.chars().take(keep).collect();
        let candidate = format!("{base}{suffix}");
        if !taken(&candidate)? {
            return Ok(candidate);
        }
        n += 1;
    }
}
