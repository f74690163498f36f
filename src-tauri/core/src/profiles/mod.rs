//! A person's list turned into the people it names, before any spend: employee IDs are taken as
//! they are; profile addresses and short names are looked up with the free search
//! ([`find_short_names`]). [`Resolved`] says, row by row, who was found, who is not in
//! Coresignal's data, which rows name the same person twice, and which address several people
//! share (with the choice made).

mod decode;
mod not_found;
mod report;
mod search;

use serde::Serialize;

use crate::api::{ApiClient, ApiError};
use crate::lists::{ListEntries, ListValue, RowProblem};

pub use not_found::{write_found, write_not_found, FOUND_COLUMNS, NOT_FOUND_COLUMNS};
pub use report::{build, Resolved, ResolvedRow, NOT_IN_THE_DATA};
pub use search::{find_short_names, LookupProgress, NameMatches};

/// A row and the value it holds, as written.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct RowValue {
    /// The row number the spreadsheet shows.
    pub row: usize,
    /// The cell, as written.
    pub value: String,
}

/// A row naming a person an earlier row named already: collected once.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct DuplicateRow {
    /// The row number.
    pub row: usize,
    /// The cell, as written.
    pub value: String,
    /// The person.
    #[ts(type = "number")]
    pub id: i64,
    /// The first row that named them.
    pub first_row: usize,
}

/// An address several people carry (an old short name of one, the current of another): the
/// person chosen, and why.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct SeveralMatches {
    /// The row number.
    pub row: usize,
    /// The cell, as written.
    pub value: String,
    /// Everyone it matches.
    #[ts(type = "Array<number>")]
    pub ids: Vec<i64>,
    /// The person taken.
    #[ts(type = "number")]
    pub chosen: i64,
    /// Why, in words.
    pub reason: String,
}

/// What a list was found to hold, shown before the price.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct ListReport {
    /// The file's name, or "Pasted cells".
    pub source: String,
    /// The column read.
    pub column: String,
    /// Data rows with something in the column.
    pub rows: usize,
    /// Rows that name a person: an employee ID as given, or an address found.
    pub found: usize,
    /// Different people to collect.
    pub people: usize,
    /// Rows given as employee IDs (taken as they are, not looked up).
    pub given_ids: usize,
    /// Rows looked up by profile address or short name.
    pub looked_up: usize,
    /// Addresses not in Coresignal's data, by row.
    pub not_found: Vec<RowValue>,
    /// Rows naming a person an earlier row named.
    pub duplicates: Vec<DuplicateRow>,
    /// Addresses several people carry, with the choice made.
    pub several: Vec<SeveralMatches>,
    /// Rows that hold no usable value, with why.
    pub problems: Vec<RowProblem>,
    /// Rows blank in the column.
    pub blank: usize,
    /// Free searches made to look the addresses up.
    pub searches: usize,
    /// One or two sentences for the person.
    pub summary: String,
}

/// Resolves `entries` (a column of a person's list): the short names are looked up with free
/// searches (`progress` hears after each), the IDs taken as they are.
pub async fn resolve(
    client: &ApiClient,
    entries: &ListEntries,
    progress: &(dyn Fn(LookupProgress) + Send + Sync),
) -> Result<NameMatches, ApiError> {
    let names: Vec<String> = entries
        .entries
        .iter()
        .filter_map(|entry| match &entry.value {
            ListValue::ShortName(name) => Some(name.clone()),
            ListValue::Id(_) => None,
        })
        .collect();
    if names.is_empty() {
        return Ok(NameMatches::default());
    }
    find_short_names(client, &names, progress).await
}
