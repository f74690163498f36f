//! Rebuilding a request from what a quote or a job stored: to price it again (an expired quote,
//! *Update*, *Send again*).

use crate::store::{JobRow, QuoteRow};

use super::{Engine, EngineError, JobKind, JobRequest, NewJob};

impl Engine {
    /// What quote `row` was asked for, to be priced again: a net-new purchase from what matched
    /// (its search, or every id of its list), not from what was left to buy, since the library
    /// may have changed; any other quote as it was.
    pub(super) fn request_of(&self, row: &QuoteRow) -> Result<NewJob, EngineError> {
        let q = &row.request;
        let Some(split) = &q.split else {
            return new_job_from(
                &q.name,
                &q.kind,
                JobSource {
                    query_json: q.query_json.as_deref(),
                    query_limit: q.query_limit,
                    ids_text: q.ids_text.as_deref(),
                    source_file: q.source_file.clone(),
                    webhook_url: q.webhook_url.clone(),
                    list: q.list_id,
                },
            );
        };
        let request = match &split.origin_query {
            Some(query) => JobRequest::Query {
                query: crate::query::parse_query(query)?,
                limit: split.origin_limit,
            },
            None => JobRequest::Ids {
                report: crate::ids::IdReport::of_ids(
                    self.store
                        .quote_people(row.id)?
                        .into_iter()
                        .filter_map(|(id, _)| u64::try_from(id).ok())
                        .collect(),
                ),
                source_file: q.source_file.clone(),
                split: true,
                list: q.list_id,
            },
        };
        Ok(NewJob {
            name: Some(q.name.clone()),
            request,
            webhook_url: q.webhook_url.clone(),
        })
    }
}

/// The stored parts of a request.
struct JobSource<'a> {
    query_json: Option<&'a str>,
    query_limit: Option<u32>,
    ids_text: Option<&'a str>,
    source_file: Option<String>,
    webhook_url: Option<String>,
    list: Option<i64>,
}

/// The request `job` sent, rebuilt from what it stored; `list` is the person's list it was read
/// from (its quote names it).
pub(super) fn request_of_job(job: &JobRow, list: Option<i64>) -> Result<NewJob, EngineError> {
    new_job_from(
        &job.name,
        &job.kind,
        JobSource {
            query_json: job.query_json.as_deref(),
            query_limit: job.query_limit,
            ids_text: job.ids_text.as_deref(),
            source_file: job.source_file.clone(),
            webhook_url: job.webhook_url.clone(),
            list,
        },
    )
}

/// Rebuilds a request from what a quote or a job stored.
fn new_job_from(name: &str, kind: &JobKind, source: JobSource<'_>) -> Result<NewJob, EngineError> {
    let request = match kind {
        JobKind::EsDsl => JobRequest::Query {
            query: crate::query::parse_query(source.query_json.unwrap_or_default())?,
            limit: source.query_limit,
        },
        JobKind::IdFile => JobRequest::Ids {
            report: crate::ids::parse_id_list(source.ids_text.unwrap_or_default().as_bytes())?,
            source_file: source.source_file,
            // It was quoted before, so a list over the cap was quoted as batches.
            split: true,
            list: source.list,
        },
    };
    Ok(NewJob {
        name: Some(name.to_owned()),
        request,
        webhook_url: source.webhook_url,
    })
}
