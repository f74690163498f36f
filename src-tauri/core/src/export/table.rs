//! The results table: the people of a job's files (name, title, company, country, location), read
//! once with duplicates skipped, then searched, sorted and paged in memory, so that a window shows
//! one page of a 10,000-person job and never holds the whole file.

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::cell::Cell;
use super::people::current_job;
use super::source::for_each_record;
use super::value::{Fields, Obj};
use super::ExportError;

/// Rows a page holds at most.
pub const MAX_PAGE_ROWS: u32 = 500;

/// One person, as the results table shows them.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct PersonRow {
    /// The person's id at Coresignal.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Current title.
    pub title: String,
    /// Current company.
    pub company: String,
    /// Country.
    pub country: String,
    /// Where, in full (city, region, country).
    pub location: String,
}

/// The column the table is sorted by.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum PeopleSort {
    /// As the files list them.
    #[default]
    File,
    /// By name.
    Name,
    /// By title.
    Title,
    /// By company.
    Company,
    /// By country.
    Country,
}

/// Which page of the table to show.
#[derive(ts_rs::TS, Debug, Clone, Default, Deserialize)]
#[ts(export)]
pub struct PeopleQuery {
    /// Only people whose name, title, company, country or location contain this (any case).
    pub search: String,
    /// The column to sort by.
    pub sort: PeopleSort,
    /// Largest first.
    pub descending: bool,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to show (at most [`MAX_PAGE_ROWS`]).
    pub limit: u32,
}

/// One page of the table.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct PeoplePage {
    /// People in the job's files (each once).
    #[ts(type = "number")]
    pub total: u64,
    /// People that match the search.
    #[ts(type = "number")]
    pub matching: u64,
    /// The first row's position among those that match.
    pub offset: u32,
    /// The rows.
    pub rows: Vec<PersonRow>,
}

/// Reads the people of `files` (each person once: the first record of an id wins).
pub fn read_people(files: &[PathBuf]) -> Result<Vec<PersonRow>, ExportError> {
    let wanted = row_fields();
    let fields = Fields {
        wanted: Some(&wanted),
        known: None,
    };
    let mut people = Vec::new();
    for_each_record(files, fields, |record, seen| {
        if !seen.duplicate {
            people.push(person(record));
        }
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(people)
}

/// The top-level fields [`person`] reads.
pub(crate) fn row_fields() -> HashSet<String> {
    [
        "id",
        "full_name",
        "job_title",
        "company_name",
        "location_country",
        "location_full",
        "experience",
    ]
    .map(str::to_owned)
    .into_iter()
    .collect()
}

/// A record's row of the table (its fields as [`row_fields`] names them).
pub(crate) fn person(record: &Obj<'_>) -> PersonRow {
    let (title, company) = current_job(record);
    PersonRow {
        id: text(Cell::from_value(record.get("id"))),
        name: text(Cell::from_value(record.get("full_name"))),
        title: text(title),
        company: text(company),
        country: text(Cell::from_value(record.get("location_country"))),
        location: text(Cell::from_value(record.get("location_full"))),
    }
}

/// A cell as plain text (empty for nothing).
pub(crate) fn text(cell: Cell<'_>) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Number(number) => number.to_string(),
        Cell::Bool(value) => value.to_string(),
        Cell::Text(text) => text.into_owned(),
    }
}

/// The page of `people` that `query` asks for.
pub fn page(people: &[PersonRow], query: &PeopleQuery) -> PeoplePage {
    let needle = query.search.trim().to_lowercase();
    let mut matching: Vec<&PersonRow> = people
        .iter()
        .filter(|person| needle.is_empty() || contains(person, &needle))
        .collect();
    let key = |person: &PersonRow| -> String {
        match query.sort {
            PeopleSort::File => String::new(),
            PeopleSort::Name => person.name.to_lowercase(),
            PeopleSort::Title => person.title.to_lowercase(),
            PeopleSort::Company => person.company.to_lowercase(),
            PeopleSort::Country => person.country.to_lowercase(),
        }
    };
    if query.sort != PeopleSort::File {
        // Stable: people with the same value stay in file order. Empty values go last either way.
        matching.sort_by_cached_key(|person| {
            let value = key(person);
            (value.is_empty(), value)
        });
        if query.descending {
            let filled = matching.iter().take_while(|p| !key(p).is_empty()).count();
            matching[..filled].reverse();
        }
    } else if query.descending {
        matching.reverse();
    }
    let limit = query.limit.clamp(1, MAX_PAGE_ROWS) as usize;
    let rows = matching
        .iter()
        .skip(query.offset as usize)
        .take(limit)
        .map(|person| (*person).clone())
        .collect();
    PeoplePage {
        total: people.len() as u64,
        matching: matching.len() as u64,
        offset: query.offset,
        rows,
    }
}

fn contains(person: &PersonRow, needle: &str) -> bool {
    [
        &person.name,
        &person.title,
        &person.company,
        &person.country,
        &person.location,
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(needle))
}
