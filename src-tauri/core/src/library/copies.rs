//! The library's copies written out as JSON Lines, for the exporters: the people of a net-new
//! purchase who were not bought, or a selection of the People screen.

use std::io::Write;

use rusqlite::OptionalExtension;

use super::record::unpack_line;
use super::{Library, LibraryError};

/// Ids read per hold of the database.
const CHUNK: usize = 500;

impl Library {
    /// Writes the copies of `ids` held in `dataset` to `out`, one JSON line each, in `ids` order
    /// (an id not held, or listed twice, is written at most once); returns how many were written.
    pub fn write_copies(
        &self,
        dataset: &str,
        ids: &[i64],
        out: &mut impl Write,
    ) -> Result<u64, LibraryError> {
        let failed = |error: std::io::Error| LibraryError::Copy {
            action: "written out",
            reason: error.to_string(),
        };
        let mut seen = std::collections::HashSet::new();
        let wanted: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        let mut written = 0;
        // The database is held for one chunk's reads at a time; unpacking and writing are not
        // done under it.
        for chunk in wanted.chunks(CHUNK) {
            let copies: Vec<Vec<u8>> = {
                let connection = self.store.lock();
                let mut select = connection
                    .prepare_cached("SELECT record FROM people WHERE dataset = ?1 AND id = ?2")?;
                let mut copies = Vec::with_capacity(chunk.len());
                for id in chunk {
                    let copy = select
                        .query_row(rusqlite::params![dataset, id], |row| row.get(0))
                        .optional()?;
                    copies.extend(copy);
                }
                copies
            };
            for copy in copies {
                let line = unpack_line(&copy)?;
                out.write_all(&line).map_err(failed)?;
                out.write_all(b"\n").map_err(failed)?;
                written += 1;
            }
        }
        Ok(written)
    }
}
