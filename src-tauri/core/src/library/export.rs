//! A chosen set of the library's people written as a spreadsheet by the job exporters
//! ([`crate::export`]): their kept copies go, as the lines they were, into a temporary file
//! beside the export (readable by its owner only, removed afterwards), which the exporter reads
//! as it reads a job's download.

use std::io::Write;
use std::path::Path;

use rusqlite::types::ToSql;
use serde::{Deserialize, Serialize};

use crate::export::{
    export_job_as, export_name, ExportError, ExportFormat, ExportLayout, ExportOptions,
    ExportResult,
};

use super::record::unpack_line;
use super::search::{pattern, MATCHING};
use super::{Library, LibraryError};

/// Which people to export.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeopleSelection {
    /// These people, by id (those no longer held are left out).
    Chosen {
        /// Their ids at Coresignal.
        #[ts(type = "number[]")]
        ids: Vec<i64>,
    },
    /// Everyone a search with this text finds (everyone for none), as [`Library::search`] does.
    Matching {
        /// The search's text.
        text: Option<String>,
    },
}

/// What an export of people wrote.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct PeopleExported {
    /// The files written (one workbook or one CSV).
    pub paths: Vec<String>,
    /// People in it.
    #[ts(type = "number")]
    pub people: u64,
}

/// The file name a save dialog proposes for people exported today: `people_2026-12-07.xlsx`.
pub fn export_file_name(format: ExportFormat) -> String {
    let today = time::OffsetDateTime::now_utc().date();
    format!(
        "{}.{}",
        export_name("people", today, ExportLayout::People),
        format.extension()
    )
}

impl Library {
    /// Writes `selection`'s people of `dataset` into `out_dir` as one export named `stem` (its
    /// extension added; a plain file name), by name then id, with `options`. Refuses
    /// ([`LibraryError::NothingToExport`]) when the selection holds no one. Blocking.
    pub fn export(
        &self,
        dataset: &str,
        selection: &PeopleSelection,
        out_dir: &Path,
        stem: &str,
        options: &ExportOptions,
    ) -> Result<PeopleExported, LibraryError> {
        std::fs::create_dir_all(out_dir).map_err(|error| ExportError::write(out_dir, error))?;
        // tempfile creates it readable by its owner only, and removes it when dropped.
        let mut lines = tempfile::Builder::new()
            .prefix(".people-")
            .suffix(".jsonl")
            .tempfile_in(out_dir)
            .map_err(|error| ExportError::write(out_dir, error))?;
        let written = self.write_selection(dataset, selection, &mut lines)?;
        if written == 0 {
            return Err(LibraryError::NothingToExport);
        }
        lines
            .as_file_mut()
            .flush()
            .map_err(|error| ExportError::write(lines.path(), error))?;
        let files = [lines.path().to_path_buf()];
        let ExportResult { paths, people, .. } = export_job_as(&files, out_dir, stem, options)?;
        Ok(PeopleExported {
            paths: paths
                .iter()
                .map(|path| path.display().to_string())
                .collect(),
            people,
        })
    }

    /// Writes the copies of `selection`'s people to `out`, one line each; returns how many.
    fn write_selection(
        &self,
        dataset: &str,
        selection: &PeopleSelection,
        out: &mut tempfile::NamedTempFile,
    ) -> Result<u64, LibraryError> {
        let mut connection = self.store.lock();
        let transaction = connection.transaction()?;
        let (sql, text) = match selection {
            PeopleSelection::Chosen { ids } => {
                transaction.execute_batch(
                    "CREATE TEMP TABLE IF NOT EXISTS library_chosen (id INTEGER PRIMARY KEY);
                     DELETE FROM temp.library_chosen;",
                )?;
                let mut insert = transaction
                    .prepare_cached("INSERT OR IGNORE INTO temp.library_chosen VALUES (?1)")?;
                for id in ids {
                    insert.execute([id])?;
                }
                (
                    "SELECT record FROM people WHERE dataset = ?1 AND ?2 IS NULL \
                     AND id IN (SELECT id FROM temp.library_chosen) \
                     ORDER BY name IS NULL, name COLLATE NOCASE, name, id"
                        .to_owned(),
                    None,
                )
            }
            PeopleSelection::Matching { text } => (
                format!(
                    "SELECT record FROM people WHERE {MATCHING} \
                     ORDER BY name IS NULL, name COLLATE NOCASE, name, id"
                ),
                pattern(text.as_deref()),
            ),
        };
        let mut written = 0u64;
        {
            let mut select = transaction.prepare(&sql)?;
            let args: [&dyn ToSql; 2] = [&dataset, &text];
            let mut rows = select.query(args.as_slice())?;
            while let Some(row) = rows.next()? {
                let copy: Vec<u8> = row.get(0)?;
                let line = unpack_line(&copy)?;
                let file = out.as_file_mut();
                file.write_all(&line)
                    .and_then(|()| file.write_all(b"\n"))
                    .map_err(|error| ExportError::write(out.path(), error))?;
                written += 1;
            }
        }
        if matches!(selection, PeopleSelection::Chosen { .. }) {
            transaction.execute("DELETE FROM temp.library_chosen", [])?;
        }
        transaction.commit()?;
        Ok(written)
    }
}
