//! Rows of `jobs`, `job_files` and `job_events`.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{now_text, Store, StoreError, StoreResult};
use crate::error::ErrorCode;
use crate::jobs::{sources_of, JobKind, JobState, Mode};

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
    pub error_code: Option<ErrorCode>,
    /// The quote this job spent (every job made since quotes exist has one).
    #[ts(type = "number | null")]
    pub quote_id: Option<i64>,
    /// Polls in a row that found no request (a 404 before the 30 days are over).
    pub poll_failures: u32,
    /// The request id was typed in by a person ("I found it"), not given by the service.
    pub request_attached: bool,
    /// The spreadsheet made from the job's files after download, if one was made.
    pub export_path: Option<String>,
    /// The collection this job is a batch of (an ID list sent in batches).
    #[ts(type = "number | null")]
    pub parent_id: Option<i64>,
    /// Which batch it is, from 1.
    pub batch_index: Option<u32>,
}

impl JobRow {
    /// When the service drops the files: 30 days after it accepted the request.
    pub fn files_expire_at(&self) -> Option<time::OffsetDateTime> {
        self.submitted_at
            .as_deref()
            .and_then(super::parse_time)
            .map(|at| at + RETENTION)
    }
}

/// How long the service keeps a request's files.
pub const RETENTION: time::Duration = time::Duration::days(30);

pub(super) const JOB_COLUMNS: &str = "id, mode, name, kind, state, state_reason, query_json, query_limit, ids_text, ids_count, \
    source_file, webhook_url, fingerprint, request_id, estimated_records, credits_per_record, download_dir, \
    created_at, submitted_at, updated_at, next_poll_at, poll_count, error_code, quote_id, poll_failures, \
    request_attached, export_path, parent_id, batch_index";

pub(super) fn parse_column<T>(
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

pub(super) fn parse_optional<T>(
    row: &Row<'_>,
    index: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(index)?;
    Ok(text.as_deref().and_then(parse))
}

pub(super) fn job_from_row(row: &Row<'_>) -> rusqlite::Result<JobRow> {
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
        error_code: parse_optional(row, 22, ErrorCode::parse)?,
        quote_id: row.get(23)?,
        poll_failures: row.get(24)?,
        request_attached: row.get(25)?,
        export_path: row.get(26)?,
        parent_id: row.get(27)?,
        batch_index: row.get(28)?,
    })
}

impl Store {
    /// Moves job `id` to `to`, only from a state the job table allows (see
    /// [`crate::jobs::can_move`]) and only if it is still in one of `expected` (the states the
    /// caller saw), and records the change with its reason in the same transaction. Returns the
    /// moved row, or `None` when the job had moved elsewhere meanwhile (a Cancel won the race): the
    /// caller then leaves it alone. This is the one writer of `jobs.state`.
    pub fn move_state(
        &self,
        id: i64,
        expected: &[JobState],
        to: JobState,
        reason: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> StoreResult<Option<JobRow>> {
        self.guarded_move(to, |transaction| {
            move_in(transaction, id, expected, to, reason, error_code)
        })
    }

    /// Runs `step`, the checks of a move to `to` and the move itself ([`move_in`]), in one
    /// `BEGIN IMMEDIATE` transaction, committed unless it fails; a step that moved the job is
    /// followed by the test seams' kill point of `to`. The frame every guarded move shares.
    pub(super) fn guarded_move(
        &self,
        to: JobState,
        step: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<Option<JobRow>>,
    ) -> StoreResult<Option<JobRow>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let moved = step(&transaction)?;
        transaction.commit()?;
        drop(connection);
        Ok(after_move(to, moved))
    }

    /// Runs `write` in one `BEGIN IMMEDIATE` transaction with the time taken inside the write
    /// lock, so that no change lands with a time older than one the job list has already seen.
    pub(super) fn write_now<T>(
        &self,
        write: impl FnOnce(&rusqlite::Transaction<'_>, &str) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now = now_text();
        let value = write(&transaction, &now)?;
        transaction.commit()?;
        Ok(value)
    }

    /// Sets how many polls in a row found no request (a 404 before the 30 days are over).
    pub fn set_poll_failures(&self, id: i64, failures: u32) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE jobs SET poll_failures = ?2 WHERE id = ?1",
            params![id, failures],
        )?;
        Ok(())
    }

    /// Earlier jobs of `mode` that sent the same request (same fingerprint) to the service since
    /// `since` and may have been charged for it (see [`earlier_in`]). Newest first.
    pub fn earlier_jobs(
        &self,
        mode: Mode,
        fingerprint: &str,
        since: &str,
    ) -> StoreResult<Vec<JobRow>> {
        earlier_in(&self.lock(), mode, fingerprint, since)
    }

    /// Forgets request id `polled` of job `id`, which the service does not know (a mistyped "I
    /// found it"), and moves the job from `processing` back to `uncertain` with `reason`, in one
    /// transaction: only while `polled` is still the job's request id and was typed in by a person.
    /// `None`, with nothing changed, when the job holds another request id now (a late answer of
    /// its POST, or another id attached meanwhile: a paid request is never forgotten) or moved.
    pub fn forget_unknown_request(
        &self,
        id: i64,
        polled: &str,
        reason: &str,
        error_code: ErrorCode,
    ) -> StoreResult<Option<JobRow>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let cleared = transaction.execute(
            "UPDATE jobs SET request_id = NULL, submitted_at = NULL, request_attached = 0, \
             poll_failures = 0, next_poll_at = NULL, updated_at = ?3 \
             WHERE id = ?1 AND request_id = ?2 AND request_attached = 1",
            params![id, polled, now_text()],
        )?;
        if cleared == 0 {
            return Ok(None);
        }
        let moved = move_in(
            &transaction,
            id,
            &[JobState::Processing],
            JobState::Uncertain,
            Some(reason),
            Some(error_code),
        )?;
        if moved.is_some() {
            // Otherwise rolled back: the id stays with a job that moved elsewhere meanwhile.
            transaction.commit()?;
        }
        Ok(moved)
    }

    /// [`Store::move_state`] for the answer of a poll about request `polled`: only from
    /// `processing`, and only while `polled` is still the job's request id, checked in the same
    /// transaction (an answer about a request id the job no longer has is dropped: `None`).
    pub fn move_polled(
        &self,
        id: i64,
        polled: &str,
        to: JobState,
        reason: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> StoreResult<Option<JobRow>> {
        self.guarded_move(to, |transaction| {
            let current: Option<Option<String>> = transaction
                .query_row("SELECT request_id FROM jobs WHERE id = ?1", [id], |row| {
                    row.get(0)
                })
                .optional()?;
            let Some(current) = current else {
                return Err(StoreError::NoSuchJob(id));
            };
            if current.as_deref() != Some(polled) {
                return Ok(None);
            }
            move_in(
                transaction,
                id,
                &[JobState::Processing],
                to,
                reason,
                error_code,
            )
        })
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

    /// Schedules the next poll (RFC 3339 time) and counts this one.
    pub fn set_next_poll(
        &self,
        id: i64,
        next_poll_at: Option<&str>,
        count_poll: bool,
    ) -> StoreResult<()> {
        self.write_now(|transaction, now| {
            transaction.execute(
                "UPDATE jobs SET next_poll_at = ?2, poll_count = poll_count + ?3, updated_at = ?4 WHERE id = ?1",
                params![id, next_poll_at, i64::from(count_poll), now],
            )?;
            Ok(())
        })
    }

    /// Changes where a job's files go.
    pub fn set_download_dir(&self, id: i64, dir: &str) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE jobs SET download_dir = ?2 WHERE id = ?1",
            params![id, dir],
        )?;
        Ok(())
    }
}

/// `moved`, after the test seams' kill point of `to` when it is a move that happened (committed).
pub(super) fn after_move(to: JobState, moved: Option<JobRow>) -> Option<JobRow> {
    if moved.is_some() {
        crate::test_seams::kill_point_of("state", to.as_str());
    }
    moved
}

/// The one writer of `jobs.state`, inside the caller's transaction: moves job `id` to `to` only
/// from a state the job table allows, only if it is still in one of `expected` and only if it meets
/// what that move needs of it (see [`super::requests::move_guard`], checked in the same `UPDATE`),
/// and records the change with its reason. `None` when the job was elsewhere or did not qualify.
pub(super) fn move_in(
    transaction: &rusqlite::Transaction<'_>,
    id: i64,
    expected: &[JobState],
    to: JobState,
    reason: Option<&str>,
    error_code: Option<ErrorCode>,
) -> StoreResult<Option<JobRow>> {
    let allowed: Vec<&str> = sources_of(to)
        .into_iter()
        .filter(|from| expected.contains(from))
        .map(JobState::as_str)
        .collect();
    if allowed.is_empty() {
        return Ok(None);
    }
    let from: Option<String> = transaction
        .query_row("SELECT state FROM jobs WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?;
    let Some(from) = from else {
        return Err(StoreError::NoSuchJob(id));
    };
    if !allowed.contains(&from.as_str()) {
        return Ok(None);
    }
    // Taken inside the write lock, so that the list's "changed since" never misses a change.
    let now = now_text();
    let moved = transaction.execute(
        &format!(
            "UPDATE jobs SET state = ?2, state_reason = ?3, error_code = ?4, updated_at = ?5 WHERE id = ?1 AND {}",
            super::requests::move_guard(&from, to)
        ),
        params![id, to.as_str(), reason, error_code.map(ErrorCode::as_str), now],
    )?;
    if moved == 0 {
        return Ok(None);
    }
    transaction.execute(
        "INSERT INTO job_events (job_id, at, kind, from_state, to_state, detail) VALUES (?1, ?2, 'state', ?3, ?4, ?5)",
        params![id, now, from, to.as_str(), reason.unwrap_or(to.describe())],
    )?;
    // A batch's move changes how its collection stands: the list's "changed since" must see it.
    // A batch under way again (a retry) makes the collection's spreadsheet out of date: it is
    // forgotten, in the same transaction, and made again once every batch has stopped.
    transaction.execute(
        "UPDATE jobs SET updated_at = ?2, export_path = CASE WHEN ?3 THEN NULL ELSE export_path END \
         WHERE id = (SELECT parent_id FROM jobs WHERE id = ?1)",
        params![id, now, to.is_under_way()],
    )?;
    let row = transaction.query_row(
        &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
        [id],
        job_from_row,
    )?;
    Ok(Some(row))
}

/// Earlier jobs of `mode` with the same request (`fingerprint`) made since `since` that may have
/// been charged: accepted (a request id), being sent (`submitting`), or ever `uncertain` (even if
/// cancelled since); not those that ended without data (no results, too many matches). Newest
/// first.
impl Store {
    /// Jobs of `mode` made since `since` that may still bring people the library does not hold
    /// yet: not ended, or downloaded with none of their people in the library (an ingest that
    /// failed, or an import still to come). Each with the search its net-new quote split, if any.
    pub fn jobs_bringing_people(
        &self,
        mode: Mode,
        since: &str,
    ) -> StoreResult<Vec<(JobRow, Option<String>)>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {JOB_COLUMNS}, (SELECT origin_query FROM quotes WHERE quotes.id = jobs.quote_id) \
             FROM jobs WHERE mode = ?1 AND created_at >= ?2 \
             AND (state NOT IN ('downloaded', 'no_results', 'too_many_matches', 'expired', 'cancelled', 'collection') \
                  OR (state = 'downloaded' AND NOT EXISTS (SELECT 1 FROM job_people p WHERE p.job_id = jobs.id))) \
             ORDER BY id DESC"
        ))?;
        let origin = JOB_COLUMNS.split(',').count();
        let rows = statement.query_map(params![mode.as_str(), since], |row| {
            Ok((job_from_row(row)?, row.get(origin)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

pub(super) fn earlier_in(
    connection: &rusqlite::Connection,
    mode: Mode,
    fingerprint: &str,
    since: &str,
) -> StoreResult<Vec<JobRow>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE mode = ?1 AND fingerprint = ?2 AND created_at >= ?3 \
         AND (request_id IS NOT NULL OR state IN ('submitting', 'uncertain', 'collection') \
              OR EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = jobs.id AND e.to_state = 'uncertain')) \
         AND state NOT IN ('no_results', 'too_many_matches') ORDER BY id DESC"
    ))?;
    let rows = statement.query_map(params![mode.as_str(), fingerprint, since], job_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
