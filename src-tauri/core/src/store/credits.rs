//! Money rows: the balance seen before each job's POST and after its delivery (`job_credits`), the
//! previews paid for (`previews`), and the rule that says whether a job's two readings measure that
//! job alone.

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreResult};
use crate::jobs::Mode;

/// A balance the service reported, and when it was seen (RFC 3339, as stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceReading {
    /// Credits remaining.
    pub credits: i64,
    /// When it was seen.
    pub at: String,
}

/// A job's balance readings, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobCredits {
    /// The balance seen last before its POST.
    pub before: Option<BalanceReading>,
    /// The balance seen after its files were delivered.
    pub after: Option<BalanceReading>,
    /// Profiles delivered.
    pub records: Option<u64>,
    /// Credits it spent, when its readings measure it alone (`before − after`).
    pub spent: Option<i64>,
}

/// A preview, as recorded for the ledger and for the clean-interval rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    /// Its number.
    pub id: i64,
    /// When it was answered.
    pub at: String,
    /// What it was priced at.
    pub credits_quoted: u64,
    /// The balance before, if known.
    pub balance_before: Option<i64>,
    /// The balance its answer reported.
    pub balance_after: Option<i64>,
    /// People it showed.
    pub people: u32,
}

/// A job whose files the service listed (so it was charged), for the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargedJob {
    /// The job.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// When it was delivered (its after reading), else its last change.
    pub at: String,
    /// Credits per profile it was priced at.
    pub credits_per_record: u32,
    /// Profiles delivered (the files' counts), else the profiles expected.
    pub records: u64,
    /// Credits measured from its readings, when they measure it alone.
    pub spent: Option<i64>,
}

/// States whose job may be charged at any moment (its window is still open).
const OPEN_STATES: &[&str] = &[
    "submitting",
    "processing",
    "ready",
    "downloading",
    "uncertain",
];

fn reading(credits: Option<i64>, at: Option<String>) -> Option<BalanceReading> {
    Some(BalanceReading {
        credits: credits?,
        at: at?,
    })
}

impl Store {
    /// Records the balance seen just before job `job`'s POST.
    pub fn set_balance_before(&self, job: i64, before: &BalanceReading) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO job_credits (job_id, balance_before, balance_before_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (job_id) DO UPDATE SET balance_before = excluded.balance_before,
                 balance_before_at = excluded.balance_before_at",
            params![job, before.credits, before.at],
        )?;
        Ok(())
    }

    /// Records the balance seen after job `job`'s delivery of `records` profiles, and what it
    /// spent when that is known (`None`: its readings do not measure it alone).
    pub fn set_balance_after(
        &self,
        job: i64,
        after: &BalanceReading,
        records: u64,
        spent: Option<i64>,
    ) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO job_credits (job_id, balance_after, balance_after_at, records, spent)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (job_id) DO UPDATE SET balance_after = excluded.balance_after,
                 balance_after_at = excluded.balance_after_at, records = excluded.records,
                 spent = excluded.spent",
            params![job, after.credits, after.at, records, spent],
        )?;
        Ok(())
    }

    /// Job `job`'s readings (all empty when none were taken).
    pub fn job_credits(&self, job: i64) -> StoreResult<JobCredits> {
        Ok(self
            .lock()
            .query_row(
                "SELECT balance_before, balance_before_at, balance_after, balance_after_at, records, spent
                 FROM job_credits WHERE job_id = ?1",
                [job],
                |row| {
                    Ok(JobCredits {
                        before: reading(row.get(0)?, row.get(1)?),
                        after: reading(row.get(2)?, row.get(3)?),
                        records: row.get(4)?,
                        spent: row.get(5)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    /// The latest `count` clean measurements of `mode` (deliveries whose two balance readings
    /// measured them alone), newest first, each as what it spent for how many profiles and when.
    pub fn measurements(
        &self,
        mode: Mode,
        count: usize,
    ) -> StoreResult<Vec<(i64, i64, u64, String)>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT c.job_id, c.spent, c.records, c.balance_after_at
             FROM job_credits c JOIN jobs j ON j.id = c.job_id
             WHERE j.mode = ?1 AND c.spent IS NOT NULL AND c.records > 0
                 AND c.balance_after_at IS NOT NULL
             ORDER BY c.balance_after_at DESC, c.job_id DESC LIMIT ?2",
        )?;
        let limit = i64::try_from(count).unwrap_or(i64::MAX);
        let rows = statement.query_map(params![mode.as_str(), limit], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What else, from `from` to `to`, may have spent credits of this mode's account besides job
    /// `job`: another job with the service in that time (from its reading before its POST, or
    /// its sending, until its delivery, or its end; still open if it has not ended), or a preview
    /// that costs credits. `None` when nothing did: the interval is clean.
    pub fn muddied_by(
        &self,
        mode: Mode,
        job: i64,
        from: &str,
        to: &str,
    ) -> StoreResult<Option<String>> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT j.id, j.state, coalesce(c.balance_before_at, j.submitted_at, j.created_at),
                    c.balance_after_at, j.updated_at
             FROM jobs j LEFT JOIN job_credits c ON c.job_id = j.id
             WHERE j.mode = ?1 AND j.id != ?2 AND j.state NOT IN ('collection', 'queued')",
        )?;
        let rows = statement.query_map(params![mode.as_str(), job], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (other, state, start, after_at, updated_at) = row?;
            let end =
                after_at.or_else(|| (!OPEN_STATES.contains(&state.as_str())).then_some(updated_at));
            if start.as_str() < to && end.is_none_or(|end| end.as_str() > from) {
                return Ok(Some(format!(
                    "Collection {other} was with Coresignal at the same time"
                )));
            }
        }
        let preview: Option<i64> = connection
            .query_row(
                "SELECT id FROM previews WHERE mode = ?1 AND at > ?2 AND at < ?3 AND credits_quoted > 0 LIMIT 1",
                params![mode.as_str(), from, to],
                |row| row.get(0),
            )
            .optional()?;
        Ok(preview.map(|_| "a paid preview was made at the same time".to_owned()))
    }

    /// Records a preview that was answered.
    pub fn insert_preview(
        &self,
        mode: Mode,
        at: &str,
        credits_quoted: u64,
        balance_before: Option<i64>,
        balance_after: Option<i64>,
        people: u32,
    ) -> StoreResult<i64> {
        let connection = self.lock();
        connection.execute(
            "INSERT INTO previews (mode, at, credits_quoted, balance_before, balance_after, people)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                mode.as_str(),
                at,
                credits_quoted,
                balance_before,
                balance_after,
                people
            ],
        )?;
        Ok(connection.last_insert_rowid())
    }

    /// This mode's previews, oldest first.
    pub fn previews(&self, mode: Mode) -> StoreResult<Vec<PreviewRow>> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT id, at, credits_quoted, balance_before, balance_after, people FROM previews
             WHERE mode = ?1 ORDER BY at, id",
        )?;
        let rows = statement.query_map([mode.as_str()], |row| {
            Ok(PreviewRow {
                id: row.get(0)?,
                at: row.get(1)?,
                credits_quoted: row.get(2)?,
                balance_before: row.get(3)?,
                balance_after: row.get(4)?,
                people: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// This mode's jobs whose files the service listed (it charges for those), oldest first.
    pub fn charged_jobs(&self, mode: Mode) -> StoreResult<Vec<ChargedJob>> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT j.id, j.name, coalesce(c.balance_after_at, j.updated_at), j.credits_per_record,
                    coalesce(c.records,
                        CASE WHEN (SELECT count(*) FROM job_files f WHERE f.job_id = j.id AND f.records IS NULL) = 0
                             THEN (SELECT sum(records) FROM job_files f WHERE f.job_id = j.id) END,
                        j.estimated_records, 0),
                    c.spent
             FROM jobs j LEFT JOIN job_credits c ON c.job_id = j.id
             WHERE j.mode = ?1 AND EXISTS (SELECT 1 FROM job_files f WHERE f.job_id = j.id)
             ORDER BY j.id",
        )?;
        let rows = statement.query_map([mode.as_str()], |row| {
            Ok(ChargedJob {
                id: row.get(0)?,
                name: row.get(1)?,
                at: row.get(2)?,
                credits_per_record: row.get(3)?,
                records: row.get(4)?,
                spent: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
