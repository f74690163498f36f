//! The job list: one summary per job (no query text, no ID list) with the actions it allows, read
//! a page at a time or by change time.

use rusqlite::params;
use serde::Serialize;

use super::jobs::{parse_column, parse_optional};
use super::{Store, StoreResult};
use crate::error::ErrorCode;
use crate::jobs::{JobAction, JobKind, JobState, Mode};

/// Which part of the job list to read: rows changed since a time, and/or one page of rows (newest
/// first) before a job number.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListPage<'a> {
    /// Only rows changed at or after this time (a previous answer's newest `updated_at`).
    pub changed_since: Option<&'a str>,
    /// Only jobs numbered below this one (the last row of the previous page).
    pub before: Option<i64>,
    /// At most this many rows.
    pub limit: Option<u32>,
}

/// One line of the job list: no query text, no ID list, and the actions the job allows.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct JobSummary {
    /// Local job number.
    #[ts(type = "number")]
    pub id: i64,
    /// Display name.
    pub name: String,
    /// ES DSL query or ID file.
    pub kind: JobKind,
    /// Where the job stands.
    pub state: JobState,
    /// Why it stands there.
    pub state_reason: Option<String>,
    /// Profiles expected.
    #[ts(type = "number | null")]
    pub estimated_records: Option<u64>,
    /// Credits per profile at submission.
    pub credits_per_record: u32,
    /// Profiles downloaded so far.
    #[ts(type = "number")]
    pub records_downloaded: u64,
    /// When the row was written.
    pub created_at: String,
    /// Last change (the list's "changed since" cursor).
    pub updated_at: String,
    /// When the scheduler next asks the service.
    pub next_poll_at: Option<String>,
    /// The error code of the last failure.
    pub error_code: Option<ErrorCode>,
    /// What a person can do with it now.
    pub actions: Vec<JobAction>,
    /// A spreadsheet of its people was made (*Open in spreadsheet* from the list).
    pub has_spreadsheet: bool,
    /// A collection's batches: how many, how many finished (`None` for a single job).
    pub batches: Option<crate::jobs::BatchCount>,
    /// Credits it was charged, as far as the app knows: measured from the balance when that
    /// measures it alone, else its listed files' profiles (the service charges once it lists
    /// files) × credits per profile, and 0 for a job that ended with no files. `None` while that
    /// is not known yet (under way, or uncertain): the estimate stands then.
    #[ts(type = "number | null")]
    pub credits_charged: Option<u64>,
}

/// SQL over a row of `jobs`: the credits it was charged, or NULL when no file was listed (see
/// [`JobSummary::credits_charged`] for when that means 0).
pub(super) const CHARGED: &str = "(SELECT CASE WHEN count(*) = 0 THEN NULL \
     ELSE coalesce((SELECT c.spent FROM job_credits c WHERE c.job_id = jobs.id), \
        CASE WHEN count(f.records) = count(*) THEN sum(f.records) \
             ELSE coalesce(jobs.estimated_records, 0) END * jobs.credits_per_record) END \
     FROM job_files f WHERE f.job_id = jobs.id)";

/// What job `state` was charged, given what its files say (`listed`, see [`CHARGED`]): `None`
/// while not known yet (under way, or uncertain).
pub fn credits_charged(state: JobState, listed: Option<i64>) -> Option<u64> {
    match listed {
        Some(credits) => Some(u64::try_from(credits).unwrap_or(0)),
        None if state.is_under_way() || state == JobState::Uncertain => None,
        None => Some(0),
    }
}

impl Store {
    /// The job list of `mode`, newest first, as summaries; with `changed_since`, only the jobs
    /// changed at or after that time (the UI's refresh).
    pub fn job_summaries(&self, mode: Mode, page: &ListPage<'_>) -> StoreResult<Vec<JobSummary>> {
        let connection = self.lock();
        // A refresh reads by change time; a page reads by job number: each by its own index.
        let index = match page.changed_since {
            Some(_) => "jobs_by_mode_update",
            None => "jobs_by_mode_id",
        };
        let mut statement = connection.prepare_cached(&format!(
            "SELECT id, name, kind, state, state_reason, estimated_records, credits_per_record, \
             created_at, updated_at, next_poll_at, error_code, request_id IS NOT NULL, \
             (SELECT count(*) FROM job_files f WHERE f.job_id = jobs.id), \
             (SELECT coalesce(sum(records), 0) FROM job_files f WHERE f.job_id = jobs.id AND f.state = 'done'), \
             export_path IS NOT NULL, {paid}, {charged} \
             FROM jobs INDEXED BY {index} \
             WHERE mode = ?1 AND parent_id IS NULL AND deleted_at IS NULL AND updated_at >= coalesce(?2, '') AND id < coalesce(?3, 9223372036854775807) \
             ORDER BY id DESC LIMIT coalesce(?4, -1)",
            paid = super::requests::PAID_AFTER_CANCEL,
            charged = CHARGED,
        ))?;
        let values = params![mode.as_str(), page.changed_since, page.before, page.limit];
        let rows = statement.query_map(values, |row| {
            let state = parse_column(row, 3, JobState::parse)?;
            let has_request: bool = row.get(11)?;
            let files: i64 = row.get(12)?;
            Ok(JobSummary {
                id: row.get(0)?,
                name: row.get(1)?,
                kind: parse_column(row, 2, JobKind::parse)?,
                state,
                state_reason: row.get(4)?,
                estimated_records: row.get(5)?,
                credits_per_record: row.get(6)?,
                created_at: row.get(7)?,
                updated_at: row.get(8)?,
                next_poll_at: row.get(9)?,
                error_code: parse_optional(row, 10, ErrorCode::parse)?,
                records_downloaded: row.get(13)?,
                actions: JobAction::allowed(state, has_request, files > 0, None, row.get(15)?),
                has_spreadsheet: row.get(14)?,
                batches: None,
                credits_charged: credits_charged(state, row.get(16)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// What job `id` was charged, as [`CHARGED`] reads it (NULL: no file was listed).
    pub fn listed_credits(&self, id: i64) -> StoreResult<Option<i64>> {
        let connection = self.lock();
        let sql = format!("SELECT {CHARGED} FROM jobs WHERE id = ?1");
        Ok(connection.query_row(&sql, [id], |row| row.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::credits_charged;
    use crate::jobs::JobState;

    #[test]
    fn what_was_charged_is_known_once_files_are_listed_or_the_job_ended_without() {
        assert_eq!(credits_charged(JobState::Downloaded, Some(250)), Some(250));
        assert_eq!(credits_charged(JobState::Expired, Some(250)), Some(250));
        for ended in [
            JobState::InsufficientCredits,
            JobState::NoResults,
            JobState::Failed,
            JobState::Cancelled,
        ] {
            assert_eq!(credits_charged(ended, None), Some(0), "{ended:?}");
        }
        for unknown in [
            JobState::Processing,
            JobState::Submitting,
            JobState::Uncertain,
        ] {
            assert_eq!(credits_charged(unknown, None), None, "{unknown:?}");
        }
    }
}
