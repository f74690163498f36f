//! Rows of `job_events`: each job's audit trail of state changes, server answers and notes.

use rusqlite::{params, Row};
use serde::Serialize;

use super::{now_text, Store, StoreError, StoreResult};
use crate::jobs::JobState;

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
        crate::test_seams::kill_point("event");
        Ok(())
    }

    /// Says why job `id` stands where it is, without moving it: its reason becomes `reason` if it
    /// is still in `state` and said something else, with the same words as a note in its trail,
    /// in one write. Returns whether it changed. `reason` must already be redacted.
    pub fn set_reason(&self, id: i64, state: JobState, reason: &str) -> StoreResult<bool> {
        self.write_now(|transaction, now| {
            let changed = transaction.execute(
                "UPDATE jobs SET state_reason = ?3, updated_at = ?4 \
                 WHERE id = ?1 AND state = ?2 AND state_reason IS NOT ?3",
                params![id, state.as_str(), reason, now],
            )?;
            if changed == 1 {
                transaction.execute(
                    "INSERT INTO job_events (job_id, at, kind, detail) VALUES (?1, ?2, 'note', ?3)",
                    params![id, now, reason],
                )?;
            }
            Ok(changed == 1)
        })
    }

    /// Jobs of `mode` that were downloaded and then nothing more (the last line of their trail is
    /// the move to `downloaded`): the spreadsheet made after a download never began or never
    /// finished (the app stopped in between). Batches of a collection with no spreadsheet yet
    /// included.
    pub fn downloaded_last(&self, mode: crate::jobs::Mode) -> StoreResult<Vec<i64>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT j.id FROM jobs j WHERE j.mode = ?1 AND j.state = 'downloaded' AND j.export_path IS NULL \
             AND (SELECT e.to_state FROM job_events e WHERE e.job_id = j.id ORDER BY e.id DESC LIMIT 1) = 'downloaded' \
             AND (j.parent_id IS NULL OR (SELECT p.export_path FROM jobs p WHERE p.id = j.parent_id) IS NULL) \
             ORDER BY j.id",
        )?;
        let rows = statement.query_map([mode.as_str()], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    }

    /// How long Coresignal took to prepare this mode's latest `count` requests that became ready
    /// (from sending to the first "ready" in their trail), newest first. Single jobs and batches
    /// alike: each is one request.
    pub fn ready_waits(
        &self,
        mode: crate::jobs::Mode,
        count: u32,
    ) -> StoreResult<Vec<std::time::Duration>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT j.submitted_at, MIN(e.at) FROM jobs j \
             JOIN job_events e ON e.job_id = j.id AND e.to_state = 'ready' \
             WHERE j.mode = ?1 AND j.submitted_at IS NOT NULL \
             GROUP BY j.id ORDER BY j.id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![mode.as_str(), count], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut waits = Vec::new();
        for row in rows {
            let (sent, ready) = row?;
            if let (Some(sent), Some(ready)) = (super::parse_time(&sent), super::parse_time(&ready))
            {
                // A clock set back in between gives no usable figure: left out.
                if let Ok(wait) = std::time::Duration::try_from(ready - sent) {
                    waits.push(wait);
                }
            }
        }
        Ok(waits)
    }

    /// Every line of job `job_id`'s audit trail, oldest first.
    pub fn events(&self, job_id: i64) -> StoreResult<Vec<JobEvent>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT id, job_id, at, kind, from_state, to_state, http_status, detail FROM job_events WHERE job_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([job_id], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
