//! The job rows a spent quote writes, inside its transaction: the whole request, or a collection's
//! parent and its batches.

use rusqlite::params;

use super::{NewQuote, StoreResult};
use crate::jobs::JobState;

/// One job row a spent quote makes: the whole request, a collection's parent, or one batch.
pub(super) struct JobPart<'a> {
    pub(super) state: JobState,
    pub(super) ids_text: Option<&'a str>,
    pub(super) ids_count: Option<u32>,
    pub(super) fingerprint: String,
    pub(super) records: u64,
    pub(super) quote_id: Option<i64>,
    pub(super) parent_id: Option<i64>,
    pub(super) batch_index: Option<u32>,
}

impl<'a> JobPart<'a> {
    /// The whole request of quote `quote`, sent now.
    pub(super) fn whole(q: &'a NewQuote, quote: i64) -> Self {
        Self {
            state: JobState::Submitting,
            ids_text: q.ids_text.as_deref(),
            ids_count: q.ids_count,
            fingerprint: q.fingerprint.clone(),
            records: q.records,
            quote_id: Some(quote),
            parent_id: None,
            batch_index: None,
        }
    }
}

pub(super) fn insert_job(
    transaction: &rusqlite::Transaction<'_>,
    q: &NewQuote,
    part: &JobPart<'_>,
    now: &str,
) -> StoreResult<i64> {
    transaction.execute(
        "INSERT INTO jobs (mode, name, kind, state, query_json, query_limit, ids_text, ids_count, source_file, \
         webhook_url, fingerprint, estimated_records, credits_per_record, download_dir, created_at, updated_at, \
         quote_id, parent_id, batch_index) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, '', ?14, ?14, ?15, ?16, ?17)",
        params![
            q.mode.as_str(),
            q.name,
            q.kind.as_str(),
            part.state.as_str(),
            q.query_json,
            q.query_limit,
            part.ids_text,
            part.ids_count,
            q.source_file,
            q.webhook_url,
            part.fingerprint,
            part.records,
            q.credits_per_record,
            now,
            part.quote_id,
            part.parent_id,
            part.batch_index,
        ],
    )?;
    Ok(transaction.last_insert_rowid())
}

/// The first line of a spent quote's job's audit trail.
pub(super) fn confirmed(
    transaction: &rusqlite::Transaction<'_>,
    job: i64,
    q: &NewQuote,
    quote: i64,
    now: &str,
    next: &str,
) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO job_events (job_id, at, kind, to_state, detail) VALUES (?1, ?2, 'state', ?3, ?4)",
        params![
            job,
            now,
            JobState::Submitting.as_str(),
            format!(
                "Confirmed: {} profiles, {} credits (quote {quote}). {next}",
                q.records, q.credits
            )
        ],
    )?;
    Ok(())
}
