//! Exporting a downloaded job: every one of its files merged into one spreadsheet export by
//! [`crate::export`], named after the job, in the job's folder (or where a person chooses).

use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::export::{
    export_name, page, read_people, ExportFormat, ExportLayout, ExportOptions, ExportResult,
    PeoplePage, PeopleQuery, PersonRow,
};
use crate::store::FileState;

use super::batches::missing_batches;
use super::words::batches_named;
use super::{Engine, EngineError, JobState};

/// What one export reads and where it writes.
pub(super) struct ExportInputs {
    /// The downloaded files, in order.
    pub(super) files: Vec<PathBuf>,
    /// The folder the export goes to.
    pub(super) out: PathBuf,
    /// The job's name, for the file's name.
    pub(super) name: String,
    /// For a collection, the batches whose files are in it (none for a single job).
    pub(super) batches: Vec<i64>,
    /// For a collection, the numbers of the batches missing from it (see [`missing_batches`]).
    pub(super) missing: Vec<u32>,
    /// For a net-new purchase, the people who come from the library and the two columns.
    pub(super) purchased: Option<super::purchase_sheet::Purchased>,
    /// For an update, the *What changed* sheet.
    pub(super) changes: Option<crate::export::TextSheet>,
    /// For a collection read from a person's list: their own columns, and the *Not found*
    /// sheet of the rows that brought nobody.
    pub(super) list: Option<(crate::export::OwnColumns, crate::export::TextSheet)>,
}

/// Past this many, a file name counts the missing batches rather than listing them.
const MISSING_LISTED: usize = 5;

impl ExportInputs {
    /// The export's file name without its extension: the job's name and `date`, and for a
    /// collection without some batches, which: `…_2026-12-07 (batches 2 and 3 missing)`.
    pub(super) fn stem(&self, date: time::Date, layout: ExportLayout) -> String {
        let stem = export_name(&self.name, date, layout);
        match self.missing.len() {
            0 => stem,
            1..=MISSING_LISTED => format!(
                "{stem} ({} missing)",
                batches_named(&self.missing).to_lowercase()
            ),
            many => format!("{stem} ({many} batches missing)"),
        }
    }
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
    /// job and `date` (and the batches missing from it, for a collection). Refuses ([`EngineError::NotDownloaded`]) unless the job is downloaded and
    /// every file is on disk. Nothing is sent to the service.
    pub fn export(
        &self,
        id: i64,
        to: Option<&Path>,
        date: time::Date,
        options: &ExportOptions,
    ) -> Result<ExportResult, EngineError> {
        let inputs = self.export_inputs(id, to)?;
        inputs.write(&inputs.stem(date, options.layout), options)
    }

    /// Exports job `id` into the one file `path` names (its folder and its name; the format's
    /// extension is added when missing). Only an export that is one file can be named so: the
    /// Full layout as CSV is a folder of files, and is refused in words.
    pub fn export_file(
        &self,
        id: i64,
        path: &Path,
        options: &ExportOptions,
    ) -> Result<ExportResult, EngineError> {
        if options.format == ExportFormat::Csv && options.layout == ExportLayout::Full {
            return Err(EngineError::InvalidInput(format!(
                "The full layout as CSV is a folder of files (People.csv, Experience.csv, …), not one file, so it cannot be written to {}. Give a folder instead, or choose the XLSX format.",
                path.display()
            )));
        }
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .filter(|stem| !stem.trim().is_empty())
            .ok_or_else(|| {
                EngineError::InvalidInput(format!(
                    "{} does not name a file: give a name such as people.{}.",
                    path.display(),
                    options.format.extension()
                ))
            })?;
        let folder = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let inputs = self.export_inputs(id, Some(folder))?;
        inputs.write(&stem, options)
    }

    /// What an export of job `id` reads and where it writes. Refuses a job that is not downloaded.
    pub(super) fn export_inputs(
        &self,
        id: i64,
        to: Option<&Path>,
    ) -> Result<ExportInputs, EngineError> {
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
        let downloaded: Vec<i64> = detail
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
            "" => format!("Collection {id}"),
            name => name.to_owned(),
        };
        Ok(ExportInputs {
            files,
            out,
            name,
            batches: downloaded,
            missing: missing_batches(&detail.batches),
            purchased: self.purchased(id)?,
            changes: self.what_changed(id)?.map(|changes| changes.sheet()),
            list: self.list_columns(job)?,
        })
    }
}
