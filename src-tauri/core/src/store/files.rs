//! Rows of `job_files`: the result files of a job and where each stands locally.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{now_text, Fence, Store, StoreError, StoreResult};

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

impl Store {
    /// Records the files the service listed for request `polled` (its names and local names, in
    /// its order; files already known are kept as they are), only while job `job_id` still holds
    /// that request id, checked in the same transaction (a late POST answer or an attached id may
    /// have replaced it since the poll left). False when it did not.
    pub fn upsert_polled_files(
        &self,
        job_id: i64,
        polled: &str,
        files: &[(String, String)],
    ) -> StoreResult<bool> {
        let now = now_text();
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: Option<String> = transaction
            .query_row(
                "SELECT request_id FROM jobs WHERE id = ?1",
                [job_id],
                |row| row.get(0),
            )
            .optional()?
            .flatten();
        if current.as_deref() != Some(polled) {
            return Ok(false);
        }
        for (position, (server_name, local_name)) in files.iter().enumerate() {
            transaction.execute(
                "INSERT INTO job_files (job_id, position, server_name, local_name, state, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5) ON CONFLICT (job_id, server_name) DO NOTHING",
                params![job_id, position as i64, server_name, local_name, now],
            )?;
        }
        transaction.commit()?;
        Ok(true)
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

    /// Marks a file as being fetched, pending again or failed (with the reason), under `fence`
    /// (the job's download lease): [`StoreError::LeaseLost`] and nothing written once another
    /// process was granted it.
    pub fn set_file_state(
        &self,
        fence: &Fence,
        file_id: i64,
        state: FileState,
        error: Option<&str>,
    ) -> StoreResult<()> {
        self.fenced(fence, |transaction, now| {
            transaction.execute(
                "UPDATE job_files SET state = ?2, error = ?3, updated_at = ?4 WHERE id = ?1",
                params![file_id, state.as_str(), error, now],
            )?;
            Ok(())
        })
    }

    /// Puts a fetched, checked file in place and records it done, in one transaction under `fence`
    /// (the job's download lease): `rename` (the move of the `.part` to its final name) runs only
    /// if the lease is still this holder's, and while no other process can be granted it; the
    /// file is marked done with `path`, `bytes` and `records` in the same transaction. Once the
    /// lease is lost, nothing is renamed or written ([`StoreError::LeaseLost`]). `rename` should
    /// be just the rename: anything slow (the folder's fsync) comes after the commit. Blocking:
    /// call it off the async runtime's threads.
    pub fn place_file<E: From<StoreError>>(
        &self,
        fence: &Fence,
        file_id: i64,
        done: (&str, u64, u64),
        rename: impl FnOnce() -> Result<(), E>,
    ) -> Result<(), E> {
        let (path, bytes, records) = done;
        self.fenced(fence, |transaction, now| {
            rename()?;
            transaction
                .execute(
                    "UPDATE job_files SET state = 'done', path = ?2, bytes = ?3, records = ?4, error = NULL, updated_at = ?5 WHERE id = ?1",
                    params![file_id, path, bytes, records, now],
                )
                .map_err(StoreError::from)?;
            // The job's progress changed: its row counts as changed for the job list.
            transaction
                .execute(
                    "UPDATE jobs SET updated_at = ?2 WHERE id = (SELECT job_id FROM job_files WHERE id = ?1)",
                    params![file_id, now],
                )
                .map_err(StoreError::from)?;
            Ok(())
        })
    }

    /// Records that job `job_id`'s files were copied into `dir`: its folder, each file's new path
    /// (`paths`: file id and path) and its spreadsheet's, if copied, in one write. States and
    /// counts are unchanged. Under `fence`, the job's download lease.
    pub fn relocate_files(
        &self,
        fence: &Fence,
        job_id: i64,
        dir: &str,
        paths: &[(i64, String)],
        spreadsheet: Option<&str>,
    ) -> StoreResult<()> {
        self.fenced(fence, |transaction, now| {
            transaction.execute(
                "UPDATE jobs SET download_dir = ?2, updated_at = ?3, \
                 export_path = coalesce(?4, export_path) WHERE id = ?1",
                params![job_id, dir, now, spreadsheet],
            )?;
            for (file, path) in paths {
                transaction.execute(
                    "UPDATE job_files SET path = ?3 WHERE id = ?1 AND job_id = ?2",
                    params![file, job_id, path],
                )?;
            }
            Ok(())
        })
    }

    /// Resets every file of a job that is not done to pending (a download into a new folder).
    /// The record of a file already done is never erased.
    pub fn reset_unfinished_files(&self, job_id: i64) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE job_files SET state = 'pending', path = NULL, bytes = NULL, records = NULL, error = NULL \
             WHERE job_id = ?1 AND state != 'done'",
            [job_id],
        )?;
        Ok(())
    }
}
