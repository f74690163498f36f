//! One person as the People screen shows them: what the library keeps beside the copy, where
//! they live, and which collections brought them.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::export::table::{person, row_fields};
use crate::export::value::{parse_record, Fields};

use super::record::unpack_line;
use super::{Library, LibraryError};

/// A collection that brought a person, by its number and name.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct CollectedBy {
    /// The job's number (for a batch of a collection, the collection's).
    #[ts(type = "number")]
    pub job: i64,
    /// Its name; `None` when the job is no longer in the database.
    pub name: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// One person of the library, for the People screen.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct PersonDetails {
    /// The person's id at Coresignal.
    #[ts(type = "number")]
    pub id: i64,
    /// Full name ("" when the record has none).
    pub name: String,
    /// Current title.
    pub title: String,
    /// Current company.
    pub company: String,
    /// Country.
    pub country: String,
    /// Where, in full (city, region, country).
    pub location: String,
    /// The record's `last_updated`, as the service wrote it.
    pub last_updated: Option<String>,
    /// The first collection that brought the person.
    pub first: CollectedBy,
    /// The latest collection that brought the person.
    pub last: CollectedBy,
}

/// The collection a job belongs to (itself, or a batch's collection), with its name.
const COLLECTION: &str = "SELECT coalesce(parent.id, job.id), coalesce(parent.name, job.name)
     FROM jobs AS job LEFT JOIN jobs AS parent ON parent.id = job.parent_id WHERE job.id = ?1";

impl Library {
    /// Person `id` of `dataset` as the People screen shows them; `None` when not held.
    pub fn details(&self, dataset: &str, id: i64) -> Result<Option<PersonDetails>, LibraryError> {
        type Row = (Vec<u8>, Option<String>, i64, String, i64, String);
        let (copy, last_updated, first_job, first_at, last_job, last_at) = {
            let connection = self.store.lock();
            let row: Option<Row> = connection
                .query_row(
                    "SELECT record, last_updated, first_job, first_collected_at, last_job, \
                     last_collected_at FROM people WHERE dataset = ?1 AND id = ?2",
                    params![dataset, id],
                    |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                            row.get(5)?,
                        ))
                    },
                )
                .optional()?;
            match row {
                Some(row) => row,
                None => return Ok(None),
            }
        };
        let line = String::from_utf8(unpack_line(&copy)?).map_err(|error| LibraryError::Copy {
            action: "unpacked",
            reason: error.to_string(),
        })?;
        let wanted = row_fields();
        let fields = Fields {
            wanted: Some(&wanted),
            known: None,
        };
        let row = parse_record(&line, fields)
            .map(|(record, _)| person(&record))
            .map_err(|error| LibraryError::Copy {
                action: "unpacked",
                reason: error.to_string(),
            })?;
        Ok(Some(PersonDetails {
            id,
            name: row.name,
            title: row.title,
            company: row.company,
            country: row.country,
            location: row.location,
            last_updated,
            first: self.collected_by(first_job, first_at)?,
            last: self.collected_by(last_job, last_at)?,
        }))
    }

    /// Job `job`'s collection and its name, collected `at`.
    fn collected_by(&self, job: i64, at: String) -> Result<CollectedBy, LibraryError> {
        let found: Option<(i64, String)> = self
            .store
            .lock()
            .query_row(COLLECTION, [job], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        Ok(match found {
            Some((job, name)) => CollectedBy {
                job,
                name: Some(name),
                at,
            },
            None => CollectedBy {
                job,
                name: None,
                at,
            },
        })
    }
}
