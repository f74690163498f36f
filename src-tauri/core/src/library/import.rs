//! Downloads made before the library existed, put in once: every downloaded job whose people
//! were never taken in (no line in `library_imports`), oldest download first, each as collected
//! when it was downloaded. A job is marked once done, or once skipped with a note on its trail
//! (files missing or unreadable), so the import runs once per job and resumes after a crash.

use std::path::PathBuf;

use rusqlite::params;
use serde::Serialize;

use crate::jobs::Mode;
use crate::store::{now_text, EventKind, FileState};

use super::{Library, LibraryError};

/// How far the import of earlier downloads has come.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[ts(export)]
pub struct ImportProgress {
    /// Jobs looked at so far (taken in or skipped).
    pub jobs_done: u32,
    /// Jobs to look at in all.
    pub jobs_total: u32,
    /// People taken in so far.
    #[ts(type = "number")]
    pub people: u64,
    /// True once every job was looked at.
    pub finished: bool,
}

/// A job to take in: its number, its mode's library, and when its download completed.
struct Waiting {
    job: i64,
    dataset: &'static str,
    downloaded_at: String,
}

impl Library {
    /// Takes the people of every earlier download not yet in the library into its mode's library
    /// ([`Mode::library_dataset`]: Practice's made-up people are kept apart), calling `progress`
    /// before the first job and after each. A job whose files are missing or unreadable is
    /// skipped with a note on its trail. Blocking: run it off the async workers.
    pub fn import_earlier(
        &self,
        mut progress: impl FnMut(&ImportProgress),
    ) -> Result<ImportProgress, LibraryError> {
        let waiting = self.waiting()?;
        let mut done = ImportProgress {
            jobs_total: u32::try_from(waiting.len()).unwrap_or(u32::MAX),
            finished: waiting.is_empty(),
            ..ImportProgress::default()
        };
        progress(&done);
        for job in waiting {
            match self.files_of(job.job)? {
                Ok(files) => {
                    match self.ingest_collected(job.dataset, job.job, &files, &job.downloaded_at) {
                        Ok(ingested) => done.people += ingested.people,
                        Err(LibraryError::Read(error)) => {
                            self.skip(job.job, &format!("a file could not be read ({error})"))?;
                        }
                        Err(error) => return Err(error),
                    }
                }
                Err(reason) => self.skip(job.job, &reason)?,
            }
            done.jobs_done += 1;
            done.finished = done.jobs_done == done.jobs_total;
            progress(&done);
        }
        Ok(done)
    }

    /// The downloaded jobs (not deleted) whose people were never taken in, oldest download first.
    fn waiting(&self) -> Result<Vec<Waiting>, LibraryError> {
        let connection = self.store.lock();
        let mut select = connection.prepare(
            "SELECT id, mode, coalesce((SELECT max(updated_at) FROM job_files AS f
                                  WHERE f.job_id = jobs.id AND f.state = 'done'), updated_at) AS at
             FROM jobs
             WHERE state = 'downloaded' AND deleted_at IS NULL
               AND id NOT IN (SELECT job_id FROM library_imports)
             ORDER BY at, id",
        )?;
        let rows = select.query_map([], |row| {
            let mode: String = row.get(1)?;
            Ok(Waiting {
                job: row.get(0)?,
                dataset: Mode::parse(&mode).unwrap_or(Mode::Live).library_dataset(),
                downloaded_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Job `job`'s downloaded files, or in words why they cannot be read.
    fn files_of(&self, job: i64) -> Result<Result<Vec<PathBuf>, String>, LibraryError> {
        let mut paths = Vec::new();
        for file in self.store.files(job)? {
            let path = match (file.state, file.path) {
                (FileState::Done, Some(path)) => PathBuf::from(path),
                _ => return Ok(Err(format!("{} was not downloaded", file.local_name))),
            };
            if let Err(error) = std::fs::File::open(&path) {
                return Ok(Err(format!(
                    "{} could not be opened ({error})",
                    path.display()
                )));
            }
            paths.push(path);
        }
        Ok(Ok(paths))
    }

    /// Marks job `job` as looked at without its people, noting `reason` on its trail.
    fn skip(&self, job: i64, reason: &str) -> Result<(), LibraryError> {
        let note = format!(
            "Its people could not be added to your people library: {reason}. \
             Nothing else changed; the app will not try again."
        );
        self.store.add_event(job, EventKind::Note, None, &note)?;
        self.store.lock().execute(
            "INSERT OR REPLACE INTO library_imports (job_id, at, people, note)
             VALUES (?1, ?2, NULL, ?3)",
            params![job, now_text(), reason],
        )?;
        Ok(())
    }
}
