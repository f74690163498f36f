//! Rows of `jobs`, `job_files` and `job_events`.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{now_text, Store, StoreError, StoreResult};
use crate::jobs::{JobKind, JobState, Mode};

/// What is known of a job before it is sent: the row is written before the POST.
#[derive(Debug, Clone)]
pub struct NewJobRow {
    /// Live or Practice: each mode keeps its own history.
    pub mode: Mode,
    /// A name the user chose (or one made from the request).
    pub name: String,
    /// ES DSL query or ID file.
    pub kind: JobKind,
    /// The full ES body (ES DSL jobs).
    pub query_json: Option<String>,
    /// The `limit` sent with an ES DSL job.
    pub query_limit: Option<u32>,
    /// The cleaned ID list, one a line (ID-file jobs).
    pub ids_text: Option<String>,
    /// How many IDs the list holds.
    pub ids_count: Option<u32>,
    /// The file the IDs came from, as the user picked it.
    pub source_file: Option<String>,
    /// The webhook URL passed through to the service.
    pub webhook_url: Option<String>,
    /// A canonical digest of what is POSTed: identical requests have identical fingerprints.
    pub fingerprint: String,
    /// Profiles the estimate promised (ES DSL) or IDs sent (ID file).
    pub estimated_records: Option<u64>,
    /// Credits per profile at the time of submission.
    pub credits_per_record: u32,
    /// Where the files go.
    pub download_dir: String,
}

/// A job as stored.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct JobRow {
    /// Local job number.
    #[ts(type = "number")]
    pub id: i64,
    /// Live or Practice.
    pub mode: Mode,
    /// Display name.
    pub name: String,
    /// ES DSL query or ID file.
    pub kind: JobKind,
    /// Where the job stands.
    pub state: JobState,
    /// Why it stands there, in plain words (for uncertain, failed and other end states).
    pub state_reason: Option<String>,
    /// The full ES body (ES DSL jobs).
    pub query_json: Option<String>,
    /// The `limit` sent.
    pub query_limit: Option<u32>,
    /// The cleaned ID list (ID-file jobs).
    #[serde(skip)]
    pub ids_text: Option<String>,
    /// How many IDs were sent.
    pub ids_count: Option<u32>,
    /// The file the IDs came from.
    pub source_file: Option<String>,
    /// The webhook URL passed through.
    pub webhook_url: Option<String>,
    /// Canonical digest of the POST body.
    pub fingerprint: String,
    /// The service's request id, once known.
    pub request_id: Option<String>,
    /// Profiles expected.
    #[ts(type = "number | null")]
    pub estimated_records: Option<u64>,
    /// Credits per profile at submission.
    pub credits_per_record: u32,
    /// Where the files go.
    pub download_dir: String,
    /// When the row was written (RFC 3339).
    pub created_at: String,
    /// When the service accepted it.
    pub submitted_at: Option<String>,
    /// Last change.
    pub updated_at: String,
    /// When the scheduler next asks the service.
    pub next_poll_at: Option<String>,
    /// How many times the service was asked.
    pub poll_count: u32,
    /// The error code of the last failure, if any.
    pub error_code: Option<String>,
}

/// Where one result file stands locally.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// Listed by the service, not yet fetched.
    Pending,
    /// Being fetched (a `.part` may exist).
    Downloading,
    /// Fetched, checked and in place.
    Done,
    /// The last attempt failed.
    Failed,
}

impl FileState {
    fn as_str(self) -> &'static str {
        match self {
            FileState::Pending => "pending",
            FileState::Downloading => "downloading",
            FileState::Done => "done",
            FileState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> StoreResult<Self> {
        Ok(match text {
            "pending" => FileState::Pending,
            "downloading" => FileState::Downloading,
            "done" => FileState::Done,
            "failed" => FileState::Failed,
            other => return Err(StoreError::Corrupt(format!("file state {other:?}"))),
        })
    }
}

/// One result file of a job.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct FileRow {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// The job.
    #[ts(type = "number")]
    pub job_id: i64,
    /// Order in the service's list.
    pub position: u32,
    /// The name as the service listed it (untrusted).
    pub server_name: String,
    /// The sanitised local name.
    pub local_name: String,
    /// Where it stands.
    pub state: FileState,
    /// Size on disk once done.
    #[ts(type = "number | null")]
    pub bytes: Option<u64>,
    /// Records counted once done.
    #[ts(type = "number | null")]
    pub records: Option<u64>,
    /// Full local path once done.
    pub path: Option<String>,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

/// What an audit event records.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The job moved from one state to another.
    State,
    /// The service answered something.
    Server,
    /// Something the app did or noticed (download finished, retry scheduled, …).
    Note,
}

impl EventKind {
    fn as_str(self) -> &'static str {
        match self {
            EventKind::State => "state",
            EventKind::Server => "server",
            EventKind::Note => "note",
        }
    }

    fn parse(text: &str) -> StoreResult<Self> {
        Ok(match text {
            "state" => EventKind::State,
            "server" => EventKind::Server,
            "note" => EventKind::Note,
            other => return Err(StoreError::Corrupt(format!("event kind {other:?}"))),
        })
    }
}

/// One line of a job's audit trail.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct JobEvent {
    /// Row id (increasing).
    #[ts(type = "number")]
    pub id: i64,
    /// The job.
    #[ts(type = "number")]
    pub job_id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// What kind of event.
    pub kind: EventKind,
    /// State before (state events).
    pub from_state: Option<JobState>,
    /// State after (state events).
    pub to_state: Option<JobState>,
    /// HTTP status (server events).
    pub http_status: Option<u16>,
    /// Plain text, key redacted.
    pub detail: String,
}

const JOB_COLUMNS: &str = "id, mode, name, kind, state, state_reason, query_json, query_limit, ids_text, ids_count, \
    source_file, webhook_url, fingerprint, request_id, estimated_records, credits_per_record, download_dir, \
    created_at, submitted_at, updated_at, next_poll_at, poll_count, error_code";

fn parse_column<T>(
    row: &Row<'_>,
    index: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown value {text:?}").into(),
        )
    })
}

fn job_from_row(row: &Row<'_>) -> rusqlite::Result<JobRow> {
    Ok(JobRow {
        id: row.get(0)?,
        mode: parse_column(row, 1, Mode::parse)?,
        name: row.get(2)?,
        kind: parse_column(row, 3, JobKind::parse)?,
        state: parse_column(row, 4, JobState::parse)?,
        state_reason: row.get(5)?,
        query_json: row.get(6)?,
        query_limit: row.get(7)?,
        ids_text: row.get(8)?,
        ids_count: row.get(9)?,
        source_file: row.get(10)?,
        webhook_url: row.get(11)?,
        fingerprint: row.get(12)?,
        request_id: row.get(13)?,
        estimated_records: row.get(14)?,
        credits_per_record: row.get(15)?,
        download_dir: row.get(16)?,
        created_at: row.get(17)?,
        submitted_at: row.get(18)?,
        updated_at: row.get(19)?,
        next_poll_at: row.get(20)?,
        poll_count: row.get(21)?,
        error_code: row.get(22)?,
    })
}

fn file_from_row(row: &Row<'_>) -> rusqlite::Result<FileRow> {
    let state: String = row.get(5)?;
    Ok(FileRow {
        id: row.get(0)?,
        job_id: row.get(1)?,
        position: row.get(2)?,
        server_name: row.get(3)?,
        local_name: row.get(4)?,
        state: FileState::parse(&state).map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, error.into())
        })?,
        bytes: row.get(6)?,
        records: row.get(7)?,
        path: row.get(8)?,
        error: row.get(9)?,
    })
}

fn event_from_row(row: &Row<'_>) -> rusqlite::Result<JobEvent> {
    let kind: String = row.get(3)?;
    let from: Option<String> = row.get(4)?;
    let to: Option<String> = row.get(5)?;
    Ok(JobEvent {
        id: row.get(0)?,
        job_id: row.get(1)?,
        at: row.get(2)?,
        kind: EventKind::parse(&kind).map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, error.into())
        })?,
        from_state: from.as_deref().and_then(JobState::parse),
        to_state: to.as_deref().and_then(JobState::parse),
        http_status: row.get(6)?,
        detail: row.get(7)?,
    })
}

impl Store {
    /// Writes a new job in state `submitting` (before anything is sent) and records that event.
    pub fn insert_job(&self, job: &NewJobRow) -> StoreResult<JobRow> {
        let now = now_text();
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        transaction.execute(
            "INSERT INTO jobs (mode, name, kind, state, query_json, query_limit, ids_text, ids_count, source_file, \
             webhook_url, fingerprint, estimated_records, credits_per_record, download_dir, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
            params![
                job.mode.as_str(),
                job.name,
                job.kind.as_str(),
                JobState::Submitting.as_str(),
                job.query_json,
                job.query_limit,
                job.ids_text,
                job.ids_count,
                job.source_file,
                job.webhook_url,
                job.fingerprint,
                job.estimated_records,
                job.credits_per_record,
                job.download_dir,
                now,
            ],
        )?;
        let id = transaction.last_insert_rowid();
        transaction.execute(
            "INSERT INTO job_events (job_id, at, kind, to_state, detail) VALUES (?1, ?2, 'state', ?3, ?4)",
            params![id, now, JobState::Submitting.as_str(), "Job created; sending it to the service."],
        )?;
        let row = transaction.query_row(
            &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
            [id],
            job_from_row,
        )?;
        transaction.commit()?;
        Ok(row)
    }

    /// One job.
    pub fn job(&self, id: i64) -> StoreResult<JobRow> {
        self.lock()
            .query_row(
                &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
                [id],
                job_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchJob(id))
    }

    /// A mode's jobs, newest first.
    pub fn jobs(&self, mode: Mode) -> StoreResult<Vec<JobRow>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE mode = ?1 ORDER BY id DESC"
        ))?;
        let rows = statement.query_map([mode.as_str()], job_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// A mode's jobs in any of `states`, oldest first (the scheduler's work list: an index
    /// lookup, however long the history).
    pub fn jobs_in_states(&self, mode: Mode, states: &[JobState]) -> StoreResult<Vec<JobRow>> {
        let connection = self.lock();
        let placeholders = vec!["?"; states.len()].join(", ");
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE mode = ? AND state IN ({placeholders}) ORDER BY id"
        ))?;
        let values: Vec<&str> = std::iter::once(mode.as_str())
            .chain(states.iter().map(|state| state.as_str()))
            .collect();
        let rows = statement.query_map(rusqlite::params_from_iter(values), job_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Moves a job to `to` (with the reason, in plain words) and records the change, atomically.
    /// Returns the updated row. A move to the state it already has only updates the reason.
    pub fn set_state(
        &self,
        id: i64,
        to: JobState,
        reason: Option<&str>,
        error_code: Option<&str>,
    ) -> StoreResult<JobRow> {
        let now = now_text();
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let from: String = transaction
            .query_row("SELECT state FROM jobs WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or(StoreError::NoSuchJob(id))?;
        transaction.execute(
            "UPDATE jobs SET state = ?2, state_reason = ?3, error_code = ?4, updated_at = ?5 WHERE id = ?1",
            params![id, to.as_str(), reason, error_code, now],
        )?;
        if from != to.as_str() {
            transaction.execute(
                "INSERT INTO job_events (job_id, at, kind, from_state, to_state, detail) VALUES (?1, ?2, 'state', ?3, ?4, ?5)",
                params![id, now, from, to.as_str(), reason.unwrap_or(to.describe())],
            )?;
        }
        let row = transaction.query_row(
            &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
            [id],
            job_from_row,
        )?;
        transaction.commit()?;
        Ok(row)
    }

    /// Records the service's request id once the POST was accepted.
    pub fn set_request_id(&self, id: i64, request_id: &str) -> StoreResult<()> {
        let now = now_text();
        self.lock().execute(
            "UPDATE jobs SET request_id = ?2, submitted_at = ?3, updated_at = ?3 WHERE id = ?1",
            params![id, request_id, now],
        )?;
        Ok(())
    }

    /// Schedules the next poll (RFC 3339 time) and counts this one.
    pub fn set_next_poll(
        &self,
        id: i64,
        next_poll_at: Option<&str>,
        count_poll: bool,
    ) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE jobs SET next_poll_at = ?2, poll_count = poll_count + ?3 WHERE id = ?1",
            params![id, next_poll_at, i64::from(count_poll)],
        )?;
        Ok(())
    }

    /// Changes where a job's files go.
    pub fn set_download_dir(&self, id: i64, dir: &str) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE jobs SET download_dir = ?2 WHERE id = ?1",
            params![id, dir],
        )?;
        Ok(())
    }

    /// Appends an audit event. `detail` must already be redacted.
    pub fn add_event(
        &self,
        job_id: i64,
        kind: EventKind,
        http_status: Option<u16>,
        detail: &str,
    ) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO job_events (job_id, at, kind, http_status, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![job_id, now_text(), kind.as_str(), http_status, detail],
        )?;
        Ok(())
    }

    /// A job's audit trail, oldest first.
    pub fn events(&self, job_id: i64) -> StoreResult<Vec<JobEvent>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT id, job_id, at, kind, from_state, to_state, http_status, detail FROM job_events WHERE job_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([job_id], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Records the files the service listed (idempotent: already known files keep their state).
    pub fn upsert_files(
        &self,
        job_id: i64,
        files: &[(String, String)],
    ) -> StoreResult<Vec<FileRow>> {
        let now = now_text();
        {
            let mut connection = self.lock();
            let transaction = connection.transaction()?;
            for (position, (server_name, local_name)) in files.iter().enumerate() {
                transaction.execute(
                    "INSERT INTO job_files (job_id, position, server_name, local_name, state, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, 'pending', ?5) ON CONFLICT (job_id, server_name) DO NOTHING",
                    params![job_id, position as i64, server_name, local_name, now],
                )?;
            }
            transaction.commit()?;
        }
        self.files(job_id)
    }

    /// A job's files in the service's order.
    pub fn files(&self, job_id: i64) -> StoreResult<Vec<FileRow>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT id, job_id, position, server_name, local_name, state, bytes, records, path, error \
             FROM job_files WHERE job_id = ?1 ORDER BY position",
        )?;
        let rows = statement.query_map([job_id], file_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Marks a file as being fetched or failed (with the reason).
    pub fn set_file_state(
        &self,
        file_id: i64,
        state: FileState,
        error: Option<&str>,
    ) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE job_files SET state = ?2, error = ?3, updated_at = ?4 WHERE id = ?1",
            params![file_id, state.as_str(), error, now_text()],
        )?;
        Ok(())
    }

    /// Marks a file as fetched, checked and in place.
    pub fn set_file_done(
        &self,
        file_id: i64,
        path: &str,
        bytes: u64,
        records: u64,
    ) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE job_files SET state = 'done', path = ?2, bytes = ?3, records = ?4, error = NULL, updated_at = ?5 WHERE id = ?1",
            params![file_id, path, bytes, records, now_text()],
        )?;
        Ok(())
    }

    /// Resets every file of a job to pending (a download into a new folder).
    pub fn reset_files(&self, job_id: i64) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE job_files SET state = 'pending', path = NULL, bytes = NULL, records = NULL, error = NULL WHERE job_id = ?1",
            [job_id],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(mode: Mode, fingerprint: &str) -> NewJobRow {
        NewJobRow {
            mode,
            name: "test".into(),
            kind: JobKind::EsDsl,
            query_json: Some("{}".into()),
            query_limit: None,
            ids_text: None,
            ids_count: None,
            source_file: None,
            webhook_url: None,
            fingerprint: fingerprint.into(),
            estimated_records: None,
            credits_per_record: 1,
            download_dir: String::new(),
        }
    }

    #[test]
    fn the_work_list_holds_only_this_modes_jobs_in_the_given_states() {
        let store = Store::open_in_memory().unwrap();
        let practice = store.insert_job(&row(Mode::Practice, "a")).unwrap();
        let live = store.insert_job(&row(Mode::Live, "b")).unwrap();
        let done = store.insert_job(&row(Mode::Practice, "c")).unwrap();
        store
            .set_state(practice.id, JobState::Processing, None, None)
            .unwrap();
        store
            .set_state(live.id, JobState::Processing, None, None)
            .unwrap();
        store
            .set_state(done.id, JobState::Downloaded, None, None)
            .unwrap();
        let active = store
            .jobs_in_states(Mode::Practice, &JobState::ACTIVE)
            .unwrap();
        assert_eq!(
            active.iter().map(|job| job.id).collect::<Vec<_>>(),
            vec![practice.id]
        );
        assert_eq!(
            store.jobs(Mode::Practice).unwrap().len(),
            2,
            "histories are kept apart"
        );
    }

    #[test]
    fn a_state_change_is_recorded_once_with_its_reason() {
        let store = Store::open_in_memory().unwrap();
        let job = store.insert_job(&row(Mode::Practice, "a")).unwrap();
        store
            .set_state(job.id, JobState::Failed, Some("why"), Some("Server"))
            .unwrap();
        store
            .set_state(job.id, JobState::Failed, Some("why"), Some("Server"))
            .unwrap();
        let states: Vec<_> = store
            .events(job.id)
            .unwrap()
            .into_iter()
            .filter(|event| event.kind == EventKind::State)
            .map(|event| (event.to_state, event.detail))
            .collect();
        assert_eq!(
            states,
            vec![
                (
                    Some(JobState::Submitting),
                    "Job created; sending it to the service.".to_owned()
                ),
                (Some(JobState::Failed), "why".to_owned())
            ]
        );
        assert_eq!(
            store.job(job.id).unwrap().error_code.as_deref(),
            Some("Server")
        );
    }
}
