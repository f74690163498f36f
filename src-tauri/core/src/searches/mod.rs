//! Saved searches: save, name, duplicate, delete, and share them with colleagues as `.json` files.
//!
//! A search is only saved when its query has no errors, so every saved search can be priced and
//! sent. The file a person shares holds the searches as readable ES queries:
//! `{"bulk_collect_searches": 1, "searches": [{"name": …, "query": {…}, "limit": 100}]}`. Importing
//! also takes a single query file (any form the editor accepts), named after the file.

mod file;
#[cfg(test)]
mod tests;

pub use file::{export_searches, import_searches, ImportReport, SkippedSearch};

use serde::Deserialize;

use crate::error::{Coded, ErrorCode};
use crate::query::{parse_query, QueryError};
use crate::store::{SavedSearch, Store, StoreError};

/// The longest name a saved search may have, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// How many profiles an imported search asks for when its file does not say (as a new search).
pub const DEFAULT_LIMIT: u32 = 100;

/// The most profiles one request can ask for.
const MAX_LIMIT: u32 = 10_000;

/// A search to save: new, or replacing a saved one.
#[derive(ts_rs::TS, Debug, Clone, Deserialize)]
#[ts(export)]
pub struct SearchToSave {
    /// The saved search it replaces; `None` saves a new one.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    /// The name people see.
    pub name: String,
    /// The ES DSL text.
    pub query_text: String,
    /// How many profiles to ask for; `None` for every match.
    pub limit: Option<u32>,
}

/// Why a search cannot be saved or a file cannot be read, in plain words.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The name is empty or too long.
    #[error("Give the search a name of 1 to {MAX_NAME_CHARS} characters.")]
    Name,
    /// The limit is outside 1–10,000.
    #[error("The number of profiles must be from 1 to 10,000, or every match.")]
    Limit,
    /// The query has errors.
    #[error("The search cannot be saved while its query has a problem: {0}")]
    Query(#[from] QueryError),
    /// The file could not be read or written.
    #[error("{0}")]
    File(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for SearchError {
    fn code(&self) -> ErrorCode {
        match self {
            SearchError::Name | SearchError::Limit | SearchError::File(_) => {
                ErrorCode::InvalidInput
            }
            SearchError::Query(_) => ErrorCode::InvalidQuery,
            SearchError::Store(error) => error.code(),
        }
    }
}

/// Checks a search before it is saved: a name, a sensible limit, and a query without errors.
/// Returns the trimmed name.
fn checked(name: &str, query_text: &str, limit: Option<u32>) -> Result<String, SearchError> {
    // Control characters and invisible direction marks could hide or disguise a shared name.
    let name: String = name.chars().filter(|c| !hidden(*c)).collect();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(SearchError::Name);
    }
    if limit.is_some_and(|limit| limit == 0 || limit > MAX_LIMIT) {
        return Err(SearchError::Limit);
    }
    parse_query(query_text)?;
    Ok(name.to_owned())
}

/// A character a name must not carry: a control character, or an invisible format mark
/// (zero-width, direction overrides, byte-order mark).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Saves a search: a new one, or over the saved one it names.
pub fn save_search(store: &Store, search: &SearchToSave) -> Result<SavedSearch, SearchError> {
    let name = checked(&search.name, &search.query_text, search.limit)?;
    Ok(match search.id {
        Some(id) => store.update_search(id, &name, &search.query_text, search.limit)?,
        None => store.add_search(&name, &search.query_text, search.limit)?,
    })
}

/// Saves a copy of a saved search, named "<name> (copy)".
pub fn duplicate_search(store: &Store, id: i64) -> Result<SavedSearch, SearchError> {
    let original = store.saved_search(id)?;
    let name = copy_name(&original.name);
    Ok(store.add_search(&name, &original.query_text, original.limit)?)
}

/// "<name> (copy)", cut so that it stays within [`MAX_NAME_CHARS`].
fn copy_name(name: &str) -> String {
    const SUFFIX: &str = " (copy)";
    let keep = MAX_NAME_CHARS - SUFFIX.chars().count();
    let base: String = name.chars().take(keep).collect();
    format!("{base}{SUFFIX}")
}
