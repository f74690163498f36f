//! What goes on the wire, apart from the calls themselves: the HTTP clients (TLS roots, proxy,
//! pooling, the `apikey` header, no redirects) and the two submission bodies.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use super::address::{invalid_proxy, ProxyChoice};
use super::classify::Answer;
use super::config::ApiConfig;
use super::error::{network_error, root_cause, ApiError};
use super::types::EsDslSubmission;
use crate::secrets::ApiKey;

/// Whether a client keeps connections open for the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pooling {
    /// Reuse idle connections for up to [`POOL_IDLE_TIMEOUT`].
    KeepAlive,
    /// Never reuse a connection.
    FreshConnections,
}

/// An idle pooled connection is dropped after this long: shorter than the keep-alive timeout of
/// common servers and proxies (5 s and more), so that a reused connection is rarely one the server
/// has just closed.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);

/// One HTTP client: TLS trusting the bundled webpki roots and the operating system's certificate
/// store (offices' TLS-inspecting proxies install their root there), the proxy chosen by
/// [`proxy_choice`], no redirects.
pub(super) fn http_client(
    config: &ApiConfig,
    key: &ApiKey,
    proxy: &ProxyChoice,
    pooling: Pooling,
) -> Result<reqwest::Client, ApiError> {
    let mut builder = reqwest::Client::builder()
        .default_headers(default_headers(key)?)
        .user_agent(concat!("bulk-collect/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(config.connect_timeout)
        .read_timeout(config.request_timeout)
        .tls_built_in_webpki_certs(true)
        .tls_built_in_native_certs(true)
        // A redirect would carry the `apikey` header to wherever it points: never follow one.
        .redirect(reqwest::redirect::Policy::none());
    builder = match pooling {
        Pooling::KeepAlive => builder.pool_idle_timeout(POOL_IDLE_TIMEOUT),
        Pooling::FreshConnections => builder.pool_max_idle_per_host(0),
    };
    builder = match proxy {
        // The simulator on this computer: never through a proxy (system or manual).
        ProxyChoice::Direct => builder.no_proxy(),
        ProxyChoice::Manual(address) => {
            builder.proxy(reqwest::Proxy::all(address).map_err(|_| invalid_proxy())?)
        }
        // reqwest reads the environment (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, …) and, on
        // Windows and macOS, the system's proxy settings, by default.
        ProxyChoice::System => builder,
    };
    builder.build().map_err(|e| ApiError::ClientSetup {
        reason: root_cause(&e),
    })
}

fn default_headers(key: &ApiKey) -> Result<HeaderMap, ApiError> {
    let mut apikey = HeaderValue::from_str(key.expose()).map_err(|_| ApiError::InvalidKey)?;
    apikey.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert("apikey", apikey);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    Ok(headers)
}

pub(super) fn es_dsl_body(submission: &EsDslSubmission) -> Value {
    let mut body = json!({
        "es_dsl_query": submission.es_dsl_query,
        "data_format": "json",
    });
    if let Some(limit) = submission.limit {
        body["limit"] = json!(limit);
    }
    if let Some(webhook) = &submission.webhook_url {
        body["webhook_url"] = json!(webhook);
    }
    body
}

pub(super) fn ids_csv(ids: &[u64]) -> Vec<u8> {
    let mut csv = String::with_capacity(ids.len() * 12);
    for id in ids {
        csv.push_str(&id.to_string());
        csv.push('\n');
    }
    csv.into_bytes()
}

pub(super) fn id_file_form(csv: Vec<u8>, webhook_url: Option<&str>) -> Form {
    let mut part_headers = HeaderMap::new();
    part_headers.insert(
        reqwest::header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv"),
    );
    let part = Part::bytes(csv).file_name("ids.csv").headers(part_headers);
    let form = Form::new()
        .part("ids_file", part)
        .text("data_format", "json");
    match webhook_url {
        Some(webhook) => form.text("webhook_url", webhook.to_owned()),
        None => form,
    }
}

/// Bodies of JSON answers are read up to this size; the rest is ignored (no answer of the contract
/// comes near it).
const MAX_JSON_BODY: usize = 4 * 1024 * 1024;

/// Reads a JSON answer's status, headers and body (capped at [`MAX_JSON_BODY`]), without `key`.
pub(super) async fn read_answer(
    mut response: reqwest::Response,
    key: &ApiKey,
) -> Result<Answer, ApiError> {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| network_error(&e))? {
        let room = MAX_JSON_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if room <= chunk.len() {
            break;
        }
    }
    Ok(Answer {
        status,
        headers,
        body: body.into(),
    }
    .without(key.expose()))
}
