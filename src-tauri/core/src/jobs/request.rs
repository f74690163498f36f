//! What a user asks for, before it becomes a job.

use crate::ids::IdReport;
use crate::query::EsQuery;

/// The request part of a new job.
#[derive(Debug, Clone)]
pub enum JobRequest {
    /// An ES DSL query, with an optional cap on profiles (1–10,000).
    Query {
        /// The parsed query.
        query: EsQuery,
        /// The `limit` to send.
        limit: Option<u32>,
    },
    /// A validated ID list.
    Ids {
        /// The validation report; its `ids` are what is sent.
        report: IdReport,
        /// The file the list came from, for the history.
        source_file: Option<String>,
        /// Send a list over the service's 10,000 cap as batches (a collection), quoted and
        /// confirmed once for the total. Without it such a list is refused.
        split: bool,
        /// The person's list it was read from (stored: its rows and columns join the
        /// spreadsheet), if any.
        list: Option<i64>,
    },
}

/// Everything needed to submit a job.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// A name for the history; one is made up when empty.
    pub name: Option<String>,
    /// What to collect.
    pub request: JobRequest,
    /// A webhook URL passed through to the service (https only).
    pub webhook_url: Option<String>,
}

impl JobRequest {
    /// What the request would deliver, in canonical form: what decides whether two requests
    /// collect the same data. `matches` is how many profiles the service counted: a limit counts
    /// only where it binds (below `matches`), so the same search with a larger limit, or none, is
    /// the same data. Object keys are sorted by [`fingerprint`]; an ID list is a set, so it is
    /// sorted here.
    pub fn canonical(&self, matches: u64) -> serde_json::Value {
        match self {
            JobRequest::Query { query, limit } => {
                let binding = limit.filter(|limit| u64::from(*limit) < matches);
                serde_json::json!({"es_dsl_query": query.body, "limit": binding})
            }
            JobRequest::Ids { report, .. } => {
                let mut ids = report.ids.clone();
                ids.sort_unstable();
                serde_json::json!({ "ids": ids })
            }
        }
    }
}

/// A canonical digest of what is POSTed: identical requests give identical fingerprints.
///
/// FNV-1a over the canonical JSON (object keys sorted at every level, whatever order the map
/// keeps), so it is stable across runs, versions and feature sets.
pub fn fingerprint(value: &serde_json::Value) -> String {
    let mut text = String::new();
    write_canonical(value, &mut text);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fingerprint_ignores_key_order_but_not_content() {
        let a = json!({"query": {"match": {"job_title": "engineer"}}, "limit": 5});
        let b = json!({"limit": 5, "query": {"match": {"job_title": "engineer"}}});
        let c = json!({"limit": 6, "query": {"match": {"job_title": "engineer"}}});
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
