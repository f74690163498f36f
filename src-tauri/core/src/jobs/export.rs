//! Exporting a downloaded job: every one of its files merged into one spreadsheet export by
//! [`crate::export`], named after the job, in the job's folder (or where a person chooses).

use std::path::{Path, PathBuf};

use crate::export::{export_job, ExportOptions, ExportResult};
use crate::store::FileState;

use super::{Engine, EngineError, JobState};

impl Engine {
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
        let detail = self.detail(id)?;
        let job = &detail.job;
        let not_downloaded = EngineError::NotDownloaded {
            job: id,
            state: job.state,
        };
        if job.state != JobState::Downloaded || detail.files.is_empty() {
            return Err(not_downloaded);
        }
        let mut files = Vec::with_capacity(detail.files.len());
        for file in &detail.files {
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
        Ok(export_job(&files, &out, &name, date, options)?)
    }
}
