//! The six calls of the contract under `/cdapi`, and the gate every call passes first
//! (API key, rate limit, faults, common headers, call log).

use crate::config::PendingStyle;
use crate::dsl;
use crate::error::ApiError;
use crate::faults::Group;
use crate::files::{self, RangeRequest, StreamPlan};
use crate::state::{Endpoint, NewRequest, Poll, RequestInfo, RequestKind, Shared, MAX_RECORDS};
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The API key a call was admitted with.
#[derive(Clone)]
struct ApiKey(String);

const ES_DSL: &str = "/cdapi/v2/data_requests/employee_clean/es_dsl";
const ID_FILE: &str = "/cdapi/v2/data_requests/employee_clean/id_file";
const FILES: &str = "/cdapi/v2/data_requests/{request_id}/files";
const DOWNLOAD: &str = "/cdapi/v2/data_requests/{request_id}/files/{*file_name}";
const SEARCH: &str = "/cdapi/v2/employee_clean/search/es_dsl";
const PREVIEW: &str = "/cdapi/v2/employee_clean/search/es_dsl/preview";

/// Keys of the bulk ES DSL body that are not part of the ES query.
const WRAPPER_KEYS: &[&str] = &["es_dsl_query", "data_format", "limit", "webhook_url"];

/// Records a preview returns.
const PREVIEW_SIZE: usize = 20;
/// Most ids a search page returns.
const MAX_PAGE: usize = 1_000;

mod results;
mod submit;

use results::{download, list_files, preview, search};
use submit::{submit_es_dsl, submit_id_file};

/// The API routes, behind the gate.
pub(crate) fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route(ES_DSL, post(submit_es_dsl))
        .route(ID_FILE, post(submit_id_file))
        .route(FILES, get(list_files))
        .route(DOWNLOAD, get(download))
        .route(SEARCH, post(search))
        .route(PREVIEW, post(preview))
        .route_layer(axum::middleware::from_fn_with_state(shared, gate))
}

fn endpoint_of(matched: &str) -> Option<Endpoint> {
    Some(match matched {
        ES_DSL => Endpoint::SubmitEsDsl,
        ID_FILE => Endpoint::SubmitIdFile,
        FILES => Endpoint::Files,
        DOWNLOAD => Endpoint::Download,
        SEARCH => Endpoint::Search,
        PREVIEW => Endpoint::Preview,
        _ => return None,
    })
}

fn set_header(res: &mut Response, name: &'static str, value: impl ToString) {
    if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
        res.headers_mut().insert(name, v);
    }
}

/// Checks the key, rate limit and faults, runs the call, and adds the common headers.
async fn gate(State(s): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let Some(endpoint) = endpoint_of(&matched) else {
        return next.run(req).await;
    };
    let path = req.uri().path().to_string();
    let key = req
        .headers()
        .get("apikey")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let Some(key) = key.filter(|k| s.credits(k).is_some()) else {
        let res = ApiError::new(401, "No valid API key was provided").into_response();
        s.log_call(
            endpoint,
            &path,
            req.headers().get("apikey").and_then(|v| v.to_str().ok()),
            401,
        );
        return res;
    };
    let group = endpoint.group();
    let (mut res, rate) = match s.admit(&key, endpoint) {
        Err((err, rate)) => (err.into_response(), rate),
        Ok(rate) => {
            let early = s.random_failure(group).or_else(|| {
                (group == Group::Submit && s.take_submit_unavailable())
                    .then(|| ApiError::server_error(503))
            });
            match early {
                Some(err) => (err.into_response(), rate),
                None => {
                    req.extensions_mut().insert(ApiKey(key.clone()));
                    let mut res = next.run(req).await;
                    if group == Group::Submit && res.status().is_success() {
                        if let Some(status) = s.take_submit_lost() {
                            res = ApiError::server_error(status).into_response();
                        }
                    }
                    let delay = s.delay(group);
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    (res, rate)
                }
            }
        }
    };
    if let Some(credits) = s.credits(&key) {
        set_header(&mut res, "x-credits-remaining", credits);
    }
    set_header(&mut res, "x-ratelimit-limit-second", rate.limit);
    set_header(&mut res, "x-ratelimit-remaining-second", rate.remaining);
    s.log_call(endpoint, &path, Some(&key), res.status().as_u16());
    res
}

/// `404 {"detail": "Not Found"}` for any path that is no call.
pub(crate) async fn not_found() -> ApiError {
    ApiError::new(404, "Not Found")
}

/// `405 {"detail": "Method Not Allowed"}`.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(405, "Method Not Allowed")
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::new(400, format!("Invalid JSON body: {e}")))
}

fn bad_query(detail: String) -> ApiError {
    ApiError::new(400, detail)
}

fn check_data_format(v: Option<&str>) -> Result<(), ApiError> {
    match v {
        None | Some("json") => Ok(()),
        Some(other) => Err(ApiError::new(
            422,
            format!("data_format must be \"json\", not {other:?}"),
        )),
    }
}

fn check_webhook(v: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(url) = v.filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(h) if !h.is_empty() && !h.contains(char::is_whitespace) => Ok(Some(url.to_string())),
        _ => Err(ApiError::new(
            422,
            "webhook_url must be a valid https:// URL",
        )),
    }
}

/// The success answer of both submits.
fn created(s: &Shared, info: &RequestInfo) -> Response {
    let body = if s.config.request_id_in_body {
        json!({ "request_id": info.id })
    } else {
        json!({})
    };
    let status = StatusCode::from_u16(s.config.created_status).unwrap_or(StatusCode::CREATED);
    let mut res = (status, Json(body)).into_response();
    set_header(
        &mut res,
        "location",
        format!("/v2/data_requests/{}/files", info.id),
    );
    res
}
