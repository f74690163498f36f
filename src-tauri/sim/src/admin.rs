//! The control API under `/_sim` (not under `/cdapi`, no key): the same controls as
//! [`crate::Simulator`], as JSON, for out-of-process users. Served only when
//! [`crate::SimConfig::control_routes`] is on: without a key, any program on this computer could
//! use them.
//!
//! | Call | Body | Answer |
//! |---|---|---|
//! | `GET /_sim/health` | — | `{"ok": true, "corpus_size": n, "seed": n}` |
//! | `GET /_sim/faults` | — | [`Faults`] |
//! | `PUT /_sim/faults` | [`Faults`] (missing fields = off) | the faults now in force |
//! | `GET /_sim/credits` | — | `{"<key>": credits, ...}` |
//! | `PUT /_sim/credits/{key}` | `{"credits": n}` (adds the key if new) | `{"key": ..., "credits": n}` |
//! | `GET /_sim/clock` | — | `{"now_ms": n}` (simulated clock, UNIX ms) |
//! | `POST /_sim/clock/advance` | `{"ms"?: n, "seconds"?: n, "days"?: n}` | `{"now_ms": n}` |
//! | `GET /_sim/requests` | — | `[`[`RequestInfo`]`, ...]` in creation order |
//! | `GET /_sim/calls` | — | `[`[`crate::CallRecord`]`, ...]` |
//! | `DELETE /_sim/calls` | — | 204; the call log is cleared |
//! | `POST /_sim/fixtures/big-file` | `{"key": "...", "min_bytes": n}` | [`RequestInfo`] of a ready request |

use crate::error::ApiError;
use crate::faults::Faults;
use crate::state::{CallRecord, RequestInfo, Shared};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The admin routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/health", get(health))
        .route("/_sim/faults", get(get_faults).put(put_faults))
        .route("/_sim/credits", get(get_credits))
        .route("/_sim/credits/{key}", put(put_credits))
        .route("/_sim/clock", get(clock))
        .route("/_sim/clock/advance", post(advance))
        .route("/_sim/requests", get(requests))
        .route("/_sim/calls", get(calls).delete(clear_calls))
        .route("/_sim/fixtures/big-file", post(big_file))
}

async fn health(State(s): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "ok": true, "corpus_size": s.corpus.records.len(), "seed": s.corpus.seed }))
}

async fn get_faults(State(s): State<Arc<Shared>>) -> Json<Faults> {
    Json(s.faults())
}

async fn put_faults(
    State(s): State<Arc<Shared>>,
    Json(faults): Json<Faults>,
) -> Result<Json<Faults>, ApiError> {
    faults.validate().map_err(|e| ApiError::new(422, e))?;
    s.set_faults(faults);
    Ok(Json(s.faults()))
}

async fn get_credits(State(s): State<Arc<Shared>>) -> Json<HashMap<String, i64>> {
    Json(s.all_credits())
}

#[derive(Deserialize)]
struct Credits {
    credits: i64,
}

async fn put_credits(
    State(s): State<Arc<Shared>>,
    Path(key): Path<String>,
    Json(body): Json<Credits>,
) -> Json<Value> {
    s.set_credits(&key, body.credits);
    Json(json!({ "key": key, "credits": body.credits }))
}

async fn clock(State(s): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "now_ms": s.now_ms() }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Advance {
    ms: u64,
    seconds: u64,
    days: u64,
}

async fn advance(State(s): State<Arc<Shared>>, Json(by): Json<Advance>) -> Json<Value> {
    s.advance_clock(
        Duration::from_millis(by.ms) + Duration::from_secs(by.seconds + by.days * 24 * 3600),
    );
    Json(json!({ "now_ms": s.now_ms() }))
}

async fn requests(State(s): State<Arc<Shared>>) -> Json<Vec<RequestInfo>> {
    Json(s.requests())
}

async fn calls(State(s): State<Arc<Shared>>) -> Json<Vec<CallRecord>> {
    Json(s.calls())
}

async fn clear_calls(State(s): State<Arc<Shared>>) -> StatusCode {
    s.clear_calls();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct BigFile {
    key: String,
    min_bytes: u64,
}

async fn big_file(
    State(s): State<Arc<Shared>>,
    Json(body): Json<BigFile>,
) -> Result<Json<RequestInfo>, ApiError> {
    s.big_file_request(&body.key, body.min_bytes)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(500, e.to_string()))
}
