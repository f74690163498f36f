//! People copied from the team library ([`crate::team`]) into this computer's library: a net-new
//! purchase skipped them because a colleague holds them, and its spreadsheet needs their records.
//! They are kept as brought by that purchase (deleting it forgets them too), collected when the
//! colleague collected them; a person already held here is left as it is.

use rusqlite::params;

use super::record::{unpack_line_at_most, Line, Reader};
use super::{Library, LibraryError};

/// A person's copy from the team library: id, packed record, when the colleague collected it.
pub type TeamCopy = (i64, Vec<u8>, String);

/// The largest record taken from the team library, unpacked (a person's full record is a few
/// hundred kilobytes at most): the server is shared, and a tiny copy may unpack to gigabytes.
pub(crate) const MOST_PER_RECORD: u64 = 16 << 20;

impl Library {
    /// Keeps `copies` in `dataset` as brought by job `job`, unless already held; returns how
    /// many were added. A copy that cannot be read (not a packed person, another person's id,
    /// larger than [`MOST_PER_RECORD`]) is left out, not kept. Blocking: call it off the async
    /// workers.
    pub fn keep_team_copies(
        &self,
        dataset: &str,
        job: i64,
        copies: &[TeamCopy],
    ) -> Result<u64, LibraryError> {
        let mut reader = Reader::new()?;
        let mut people = Vec::with_capacity(copies.len());
        for (id, packed, at) in copies {
            let Ok(line) = unpack_line_at_most(packed, MOST_PER_RECORD) else {
                continue;
            };
            let line = String::from_utf8_lossy(&line).into_owned();
            if let Ok(Line::Person(person)) = reader.read(&line) {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Write;

    use super::super::tests::setup;
    use super::*;

    fn packed(line: &str) -> Vec<u8> {
        zstd::stream::encode_all(line.as_bytes(), 3).unwrap()
    }

    /// A colleague's server is shared: a record on it that cannot be read (not zstd, or a small
    /// copy that unpacks to hundreds of megabytes) is left out, and the readable ones still kept.
    #[test]
    fn an_unreadable_or_oversized_team_record_is_left_out_and_the_rest_kept() {
        let setup = setup();
        let mut bomb = zstd::stream::Encoder::new(Vec::new(), 19).unwrap();
        let zeros = vec![b' '; 1 << 20];
        bomb.write_all(b"{\"id\":3,\"full_name\":\"").unwrap();
        for _ in 0..256 {
            bomb.write_all(&zeros).unwrap();
        }
        bomb.write_all(b"\"}").unwrap();
        let bomb = bomb.finish().unwrap();
        assert!(bomb.len() < 100_000);
        let at = "2026-05-03T10:00:00.000000Z".to_owned();
        let copies: Vec<TeamCopy> = vec![
            (1, b"not zstd at all".to_vec(), at.clone()),
            (2, packed("{\"id\":2,\"full_name\":\"Ada\"}"), at.clone()),
            (3, bomb, at.clone()),
            (4, packed("not json"), at.clone()),
        ];
        let added = setup
            .library
            .keep_team_copies("employee_clean", 7, &copies)
            .unwrap();
        assert_eq!(added, 1);
    }
}
