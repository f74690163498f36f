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
//! | `GET /_sim/clock` | — | `{"now_ms": n, "today": "yyyy-mm-dd"}` (simulated clock, UNIX ms, UTC day) |
//! | `POST /_sim/clock/advance` | `{"ms"?: n, "seconds"?: n, "days"?: n}` | `{"now_ms": n, "today": "yyyy-mm-dd"}` |
//! | `GET /_sim/people/{id}` | — | [`Person`] as the service has them now; 404 if deleted or no such id |
//! | `PUT /_sim/people/{id}` | `{"<field>": value, ..., "in_corpus"?: bool}` | [`Person`] after the change; 404 no such id; 422 bad field or value |
//! | `DELETE /_sim/people/{id}` | — | 204; 404 if the service did not have them |
//! | `GET /_sim/requests` | — | `[`[`RequestInfo`]`, ...]` in creation order |
//! | `GET /_sim/calls` | — | `[`[`crate::CallRecord`]`, ...]` |
//! | `DELETE /_sim/calls` | — | 204; the call log is cleared |
//! | `POST /_sim/fixtures/big-file` | `{"key": "...", "min_bytes": n}` | [`RequestInfo`] of a ready request |
//!
//! ## Changing people over time
//!
//! `PUT /_sim/people/{id}` ([`crate::Simulator::change_person`]) changes a person from now on:
//! searches (every query, `range` on `last_updated` included), previews, and the records of data
//! requests settled afterwards (ES DSL and ID file) all see the new record. The body names
//! top-level fields of the record with their new values (`job_title`, `company_name`,
//! `full_name`, `location_country`, `headline`, `skills`, `experience`, …; not `id`), applied over
//! the person as they are now:
//! - `last_updated` becomes the simulated day (`GET /_sim/clock`'s `today`) unless given;
//! - a new `job_title` or `company_name` is a new current job: `experience` gets a first entry of
//!   that title at that company starting this month, the previous current entry ends this month,
//!   and `company_id`, `company_website`, `company_industry`, `generated_headline` and `is_working`
//!   follow, unless given (an `experience` in the body replaces the list instead);
//! - a new `location_country` also ends `location_full` and `location_raw_address`.
//!
//! `"in_corpus": true` adds a person who is not in the searchable corpus to it (a search gains a
//! "joined" person), `false` takes one out (searches lose them; ID files still deliver them). A
//! body of `in_corpus` alone leaves the record, and `last_updated`, as they are. `DELETE` removes
//! the person from the service: no search finds them, an ID file naming them delivers and charges
//! one record fewer, and a request not settled yet leaves them out. A `PUT` brings a deleted person
//! back as generated, then changed. Changes are kept in `state.json` with a data folder.

use crate::error::ApiError;
use crate::faults::Faults;
use crate::people::{ChangeError, Person};
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
        .route(
            "/_sim/people/{id}",
            get(get_person).put(put_person).delete(delete_person),
        )
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
    Json(json!({ "now_ms": s.now_ms(), "today": s.today().ymd() }))
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
    Json(json!({ "now_ms": s.now_ms(), "today": s.today().ymd() }))
}

fn no_person(id: u64) -> ApiError {
    ApiError::new(404, format!("The service has no person with the id {id}"))
}

async fn get_person(
    State(s): State<Arc<Shared>>,
    Path(id): Path<u64>,
) -> Result<Json<Person>, ApiError> {
    s.people
        .get(&s.corpus, id)
        .map(Json)
        .ok_or_else(|| no_person(id))
}

async fn put_person(
    State(s): State<Arc<Shared>>,
    Path(id): Path<u64>,
    Json(body): Json<Value>,
) -> Result<Json<Person>, ApiError> {
    let shared = s.clone();
    let changed = tokio::task::spawn_blocking(move || shared.change_person(id, &body))
        .await
        .map_err(|e| ApiError::new(500, e.to_string()))?;
    match changed {
        Ok(person) => Ok(Json(person)),
        Err(ChangeError::NoSuchId) => Err(no_person(id)),
        Err(ChangeError::Invalid(why)) => Err(ApiError::new(422, why)),
    }
}

async fn delete_person(
    State(s): State<Arc<Shared>>,
    Path(id): Path<u64>,
) -> Result<StatusCode, ApiError> {
    match s.delete_person(id) {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(no_person(id)),
    }
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
