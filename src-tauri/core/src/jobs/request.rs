//! What a user asks for, before it becomes a job.

use serde::Serialize;

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
    /// What the user was shown before confirming (profiles), when an estimate was made.
    pub estimated_records: Option<u64>,
}

/// What a request will cost, as shown before the user confirms.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct CostEstimate {
    /// Profiles the service counted for the query.
    #[ts(type = "number")]
    pub matches: u64,
    /// Profiles that will be delivered (the matches, capped by the limit).
    #[ts(type = "number")]
    pub records: u64,
    /// `records × credits per profile`.
    #[ts(type = "number")]
    pub credits: u64,
    /// The account balance the service reported, when it did.
    #[ts(type = "number | null")]
    pub balance: Option<i64>,
}

impl CostEstimate {
    /// Computes the cost of `matches` profiles under `limit` at `credits_per_record`.
    pub fn new(
        matches: u64,
        limit: Option<u32>,
        credits_per_record: u32,
        balance: Option<i64>,
    ) -> Self {
        let records = limit.map_or(matches, |limit| matches.min(u64::from(limit)));
        Self {
            matches,
            records,
            credits: records.saturating_mul(u64::from(credits_per_record)),
            balance,
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
    fn estimate_caps_records_by_the_limit_and_multiplies_credits() {
        let estimate = CostEstimate::new(2_500, Some(100), 10, Some(9_000));
        assert_eq!(estimate.records, 100);
        assert_eq!(estimate.credits, 1_000);
        let unlimited = CostEstimate::new(2_500, None, 1, None);
        assert_eq!((unlimited.records, unlimited.credits), (2_500, 2_500));
    }

    #[test]
    fn fingerprint_ignores_key_order_but_not_content() {
        let a = json!({"query": {"match": {"job_title": "engineer"}}, "limit": 5});
        let b = json!({"limit": 5, "query": {"match": {"job_title": "engineer"}}});
        let c = json!({"limit": 6, "query": {"match": {"job_title": "engineer"}}});
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
