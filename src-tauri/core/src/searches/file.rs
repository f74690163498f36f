//! The `.json` file saved searches are shared in, and reading one back.

use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};

use super::{checked, SearchError};
use crate::query::parse_query;
use crate::store::{SavedSearch, Store};

/// The key that marks a file of saved searches, with the format's version as its value.
const MARKER: &str = "bulk_collect_searches";

/// A file larger than this is not a file of searches.
const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// At most this many searches are taken from one file.
const MAX_SEARCHES: usize = 1_000;

/// What an import added and what it left out, and why.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct ImportReport {
    /// The searches added (renamed " (2)" when the name was taken).
    pub added: Vec<SavedSearch>,
    /// The entries left out.
    pub skipped: Vec<SkippedSearch>,
}

/// One entry of the file that was not imported.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct SkippedSearch {
    /// Its place in the file, from 1.
    pub position: usize,
    /// Its name, when it has one.
    pub name: Option<String>,
    /// Why, in plain words.
    pub reason: String,
}

/// Writes the saved searches `ids` (all of them when empty) to `path` as a file to share.
/// Returns how many were written.
pub fn export_searches(store: &Store, ids: &[i64], path: &Path) -> Result<usize, SearchError> {
    let searches: Vec<SavedSearch> = store
        .saved_searches()?
        .into_iter()
        .filter(|search| ids.is_empty() || ids.contains(&search.id))
        .collect();
    let entries: Vec<Value> = searches
        .iter()
        .map(|search| {
            // A saved query always parses (it is checked when saved); the raw text is kept as a
            // string only if a later version of the rules disagrees.
            let query = parse_query(&search.query_text)
                .map(|query| query.body)
                .unwrap_or_else(|_| Value::String(search.query_text.clone()));
            json!({"name": search.name, "query": query, "limit": search.limit})
        })
        .collect();
    let text = serde_json::to_string_pretty(&json!({MARKER: 1, "searches": entries})).map_err(
        |error| SearchError::File(format!("The searches could not be written: {error}.")),
    )?;
    write_whole(path, &text)?;
    Ok(searches.len())
}

/// Writes `text` to a temporary file beside `path`, then renames it: never half a file.
fn write_whole(path: &Path, text: &str) -> Result<(), SearchError> {
    let failed = |error: std::io::Error| {
        SearchError::File(format!(
            "{} could not be written: {error}. Choose another folder.",
            path.display()
        ))
    };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = folder.unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(failed)?;
    std::io::Write::write_all(&mut temp, text.as_bytes()).map_err(failed)?;
    temp.persist(path).map_err(|error| failed(error.error))?;
    Ok(())
}

/// Reads a file of searches (or one query) and saves each good entry; reports the others.
pub fn import_searches(store: &Store, path: &Path) -> Result<ImportReport, SearchError> {
    let unreadable = |why: String| {
        SearchError::File(format!(
            "{} cannot be imported: {why}",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ))
    };
    let size = std::fs::metadata(path)
        .map_err(|error| unreadable(format!("{error}.")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(unreadable(
            "it is larger than 5 MB, so it is not a file of searches.".to_owned(),
        ));
    }
    let bytes = std::fs::read(path).map_err(|error| unreadable(format!("{error}.")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| unreadable("it is not a text file (JSON).".to_owned()))?;
    let value: Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|error| {
            unreadable(format!(
                "it is not valid JSON (line {}, column {}).",
                error.line(),
                error.column()
            ))
        })?;
    let Some(list) = value.get(MARKER).and(value.get("searches")) else {
        return import_single(store, path, &text);
    };
    let Some(entries) = list.as_array() else {
        return Err(unreadable("its \"searches\" is not a list.".to_owned()));
    };
    let mut report = ImportReport {
        added: Vec::new(),
        skipped: Vec::new(),
    };
    for (index, entry) in entries.iter().enumerate() {
        let position = index + 1;
        if index >= MAX_SEARCHES {
            report.skipped.push(SkippedSearch {
                position,
                name: None,
                reason: format!("Only the first {MAX_SEARCHES} searches of a file are imported."),
            });
            continue;
        }
        match import_entry(store, entry) {
            Ok(search) => report.added.push(search),
            Err(reason) => report.skipped.push(SkippedSearch {
                position,
                name: entry.get("name").and_then(Value::as_str).map(str::to_owned),
                reason,
            }),
        }
    }
    Ok(report)
}

/// One entry of a file of searches; the reason in plain words when it is left out.
fn import_entry(store: &Store, entry: &Value) -> Result<SavedSearch, String> {
    let name = entry
        .get("name")
        .and_then(Value::as_str)
        .ok_or("It has no name.")?;
    let query_text = match entry.get("query") {
        Some(Value::String(text)) => text.clone(),
        Some(query @ Value::Object(_)) => format!("{query:#}"),
        _ => return Err("It has no query.".to_owned()),
    };
    let limit = match entry.get("limit") {
        // A file that does not say: the app's default for a new search, never every match.
        None => Some(super::DEFAULT_LIMIT),
        Some(Value::Null) => None,
        Some(value) => Some(
            value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("Its number of profiles is not a whole number.")?,
        ),
    };
    let name = checked(name, &query_text, limit).map_err(|error| error.to_string())?;
    store
        .add_search(&name, &query_text, limit)
        .map_err(|error| error.to_string())
}

/// A file that holds one query: saved under the file's name, for the default number of profiles.
fn import_single(store: &Store, path: &Path, text: &str) -> Result<ImportReport, SearchError> {
    let name = path
        .file_stem()
        .map(|stem| {
            stem.to_string_lossy()
                .chars()
                .take(super::MAX_NAME_CHARS)
                .collect()
        })
        .filter(|stem: &String| !stem.trim().is_empty())
        .unwrap_or_else(|| "Imported search".to_owned());
    let query = parse_query(text)?;
    let name = checked(&name, text, None)?;
    let added = store.add_search(&name, &query.pretty(), Some(super::DEFAULT_LIMIT))?;
    Ok(ImportReport {
        added: vec![added],
        skipped: Vec::new(),
    })
}
