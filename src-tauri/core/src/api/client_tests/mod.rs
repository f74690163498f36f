//! [`ApiClient`] over the wire, against a scripted peer (see `scripted_peer.rs`): headers, bodies,
//! retries, and POST uncertainty.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::scripted_peer::{Reply, ScriptedPeer};
use super::*;
use crate::secrets::ApiKey;

mod calls;
mod key;
mod retries;

const KEY: &str = "k3y-abcdefghijklmnopqrstuvwxyz012";
const ID: &str = "433869ec-0a98-4dcd-9b13-db4df58260f5";

pub(crate) fn fast_config(base_url: &str) -> ApiConfig {
    ApiConfig {
        base_url: base_url.to_owned(),
        request_timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_millis(500),
        proxy: None,
        retry: RetryPolicy {
            max_attempts: 3,
            max_rate_limited_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        },
    }
}

pub(crate) fn client_for(peer: &ScriptedPeer) -> ApiClient {
    ApiClient::new(
        fast_config(&peer.base_url),
        ApiKey::new(KEY),
        RateLimiter::new(1000),
    )
    .unwrap()
}

fn submission() -> EsDslSubmission {
    EsDslSubmission {
        es_dsl_query: json!({"query": {"match_all": {}}}),
        limit: Some(25),
        webhook_url: Some("https://example.com/hook".into()),
    }
}

fn created() -> Reply {
    Reply::json(201, &format!(r#"{{"request_id": "{ID}"}}"#)).with("x-credits-remaining", "990")
}
