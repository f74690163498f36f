//! Exporting a downloaded job: every one of its files merged into one spreadsheet export by
//! [`crate::export`], named after the job, in the job's folder (or where a person chooses).

use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::export::{
    export_job, page, read_people, ExportOptions, ExportResult, PeoplePage, PeopleQuery, PersonRow,
};
use crate::store::FileState;

use super::{Engine, EngineError, JobState};

/// What one export reads and where it writes.
struct ExportInputs {
    /// The downloaded files, in order.
    files: Vec<PathBuf>,
    /// The folder the export goes to.
    out: PathBuf,
    /// The job's name, for the file's name.
    name: String,
    /// For a collection, how many of its batches' files are in it (0 for a single job).
    batches: usize,
}

/// The people read for one job's results table, and the files (path, size) they came from.
pub(super) struct PeopleCache {
    job: i64,
    files: Vec<(PathBuf, u64)>,
    people: Arc<Vec<PersonRow>>,
}

impl Engine {
    /// One page of the people job `id` brought so far (the results table): every downloaded file
    /// of the job (of every batch, for a collection) is read once, off the async workers, then
    /// searched, sorted and paged in memory. Nothing is sent to the service.
    pub async fn people(&self, id: i64, query: &PeopleQuery) -> Result<PeoplePage, EngineError> {
        let mut files = Vec::new();
        for file in self.detail(id)?.files {
            if let (FileState::Done, Some(path)) = (file.state, file.path) {
                let size = std::fs::metadata(&path).map_or(0, |meta| meta.len());
                files.push((PathBuf::from(path), size));
            }
        }
        let cached = super::engine::lock(&self.people_cache)
            .as_ref()
            .filter(|cache| cache.job == id && cache.files == files)
            .map(|cache| Arc::clone(&cache.people));
        let people = match cached {
            Some(people) => people,
            None => {
                let paths: Vec<PathBuf> = files.iter().map(|(path, _)| path.clone()).collect();
                let read = tokio::task::spawn_blocking(move || read_people(&paths))
                    .await
                    .map_err(|error| EngineError::InvalidInput(error.to_string()))??;
                let people = Arc::new(read);
                *super::engine::lock(&self.people_cache) = Some(PeopleCache {
                    job: id,
                    files,
                    people: Arc::clone(&people),
                });
                people
            }
        };
        Ok(page(&people, query))
    }

    /// Exports job `id`'s downloaded files into `to` (default: the job's folder), named after the
    /// job and `date`. Refuses ([`EngineError::NotDownloaded`]) unless the job is downloaded and
    /// every file is on disk. Nothing is sent to the service.
    pub fn export(
        &self,
        id: i64,
        to: Option<&Path>,
        date: time::Date,
        options: &ExportOptions,
    ) -> Result<ExportResult, EngineError> {
        let inputs = self.export_inputs(id, to)?;
        Ok(export_job(
            &inputs.files,
            &inputs.out,
            &inputs.name,
            date,
            options,
        )?)
    }

    /// What an export of job `id` reads and where it writes. Refuses a job that is not downloaded.
    fn export_inputs(&self, id: i64, to: Option<&Path>) -> Result<ExportInputs, EngineError> {
        // A collection's page lists its batches' files: one export covers them all.
        let detail = self.detail(id)?;
        let job = &detail.job;
        let not_downloaded = EngineError::NotDownloaded {
            job: id,
            state: job.state,
        };
        let exportable = job.state == JobState::Downloaded
            || super::batches::collection_ended_with_files(&detail.batches);
        if !exportable || detail.files.is_empty() {
            return Err(not_downloaded);
        }
        // A collection's batches that ended without files (expired, cancelled, failed) are left
        // out; those with nothing to download have no file to add.
        let downloaded: std::collections::HashSet<i64> = detail
            .batches
            .iter()
            .filter(|batch| batch.state == JobState::Downloaded)
            .map(|batch| batch.job)
            .collect();
        let mut files = Vec::with_capacity(detail.files.len());
        for file in &detail.files {
            if !detail.batches.is_empty() && !downloaded.contains(&file.job_id) {
                continue;
            }
            match (&file.state, &file.path) {
                (FileState::Done, Some(path)) => files.push(PathBuf::from(path)),
                _ => return Err(not_downloaded),
            }
        }
        let out = to.map_or_else(|| self.job_folder(job), Path::to_path_buf);
        let name = match job.name.trim() {
            "" => format!("job {id}"),
            name => name.to_owned(),
        };
        Ok(ExportInputs {
            files,
            out,
            name,
            batches: downloaded.len(),
        })
    }

    /// Makes the spreadsheet a person opens (XLSX, one row per person) in the job's folder, off the
    /// async workers, and records it. A failure is noted in the audit trail; the files stay.
    /// A batch's download makes its collection's spreadsheet once every batch is downloaded.
    pub(super) async fn spreadsheet_after_download(&self, id: i64) {
        // What to export is read only once the spreadsheet before this one is in place.
        let _turn = self.spreadsheets.lock().await;
        let id = match self.job(id).map(|job| job.parent_id) {
            Ok(Some(parent)) => match self.detail(parent) {
                Ok(detail) if super::batches::collection_ended_with_files(&detail.batches) => {
                    let missing: Vec<String> = detail
                        .batches
                        .iter()
                        .filter(|b| !matches!(b.state, JobState::Downloaded | JobState::NoResults))
                        .map(|b| b.index.to_string())
                        .collect();
                    if !missing.is_empty() {
                        self.audit(self.note(
                            parent,
                            &format!(
                                "Batch {} ended without files, so the spreadsheet holds the other batches. Open a batch to see why and what can be done.",
                                missing.join(", ")
                            ),
                        ));
                    }
                    parent
                }
                _ => return, // More batches to come: the spreadsheet waits for the last.
            },
            _ => id,
        };
        let options = ExportOptions {
            past_positions: self.options().past_positions,
            ..ExportOptions::default()
        };
        let today = time::OffsetDateTime::now_utc().date();
        let made = match self.export_inputs(id, None) {
            Ok(inputs) => {
                let batches = inputs.batches;
                tokio::task::spawn_blocking(move || {
                    export_job(&inputs.files, &inputs.out, &inputs.name, today, &options)
                })
                .await
                .map_err(|error| EngineError::InvalidInput(error.to_string()))
                .and_then(|made| Ok((made?, batches)))
            }
            Err(error) => Err(error),
        };
        let noted = match made {
            Ok((result, batches)) => match result.paths.first() {
                Some(path) => {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    self.store
                        .set_export_path(id, &path.to_string_lossy(), batches)
                        .map_err(EngineError::from)
                        .and_then(|recorded| {
                            let name = name.unwrap_or_default();
                            let text = if recorded {
                                format!("Spreadsheet ready: {name} ({} people).", result.people)
                            } else {
                                format!("A spreadsheet of {} people was made ({name}), but a batch started again meanwhile: a new one is made when it ends.", result.people)
                            };
                            self.note(id, &text)
                        })
                }
                None => Ok(()),
            },
            Err(error) => self.note(
                id,
                &format!(
                    "The spreadsheet could not be made: {}",
                    crate::error::Coded::user_message(&error)
                ),
            ),
        };
        self.audit(noted);
        let _ = self.updates.send(super::JobUpdate::Exported { job: id });
    }
}
