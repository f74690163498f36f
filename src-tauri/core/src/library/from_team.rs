//! People copied from the team library ([`crate::team`]) into this computer's library: a net-new
//! purchase skipped them because a colleague holds them, and its spreadsheet needs their records.
//! They are kept as brought by that purchase (deleting it forgets them too), collected when the
//! colleague collected them; a person already held here is left as it is.

use rusqlite::params;

use super::record::{unpack_line, Line, Reader};
use super::{Library, LibraryError};

/// A person's copy from the team library: id, packed record, when the colleague collected it.
pub type TeamCopy = (i64, Vec<u8>, String);

impl Library {
    /// Keeps `copies` in `dataset` as brought by job `job`, unless already held; returns how
    /// many were added. Blocking: call it off the async workers.
    pub fn keep_team_copies(
        &self,
        dataset: &str,
        job: i64,
        copies: &[TeamCopy],
    ) -> Result<u64, LibraryError> {
        let mut reader = Reader::new()?;
        let mut people = Vec::with_capacity(copies.len());
        for (id, packed, at) in copies {
            let line = String::from_utf8_lossy(&unpack_line(packed)?).into_owned();
            if let Line::Person(person) = reader.read(&line)? {
                if person.id == *id {
                    people.push((person, at));
                }
            }
        }
        let mut connection = self.store.lock();
        let transaction = connection.transaction()?;
        let mut added = 0;
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO people (dataset, id, record, last_updated, name, title, company, \
                     country, first_job, first_collected_at, last_job, last_collected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10)
                 ON CONFLICT (dataset, id) DO NOTHING",
            )?;
            for (person, at) in &people {
                added += insert.execute(params![
                    dataset,
                    person.id,
                    person.record,
                    person.last_updated,
                    person.name,
                    person.title,
                    person.company,
                    person.country,
                    job,
                    at,
                ])? as u64;
            }
        }
        transaction.commit()?;
        Ok(added)
    }
}
