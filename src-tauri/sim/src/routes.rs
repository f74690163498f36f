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

async fn submit_es_dsl(
    State(s): State<Arc<Shared>>,
    Extension(ApiKey(key)): Extension<ApiKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let v = parse_json(&body)?;
    let obj = v
        .as_object()
        .ok_or_else(|| ApiError::new(422, "The body must be a JSON object"))?;
    check_data_format(match obj.get("data_format") {
        None | Some(Value::Null) => None,
        Some(Value::String(f)) => Some(f),
        Some(_) => return Err(ApiError::new(422, "data_format must be a string")),
    })?;
    let limit = match obj.get("limit") {
        None | Some(Value::Null) => None,
        Some(l) => match l.as_u64() {
            Some(n @ 1..=10_000) => Some(n as u32),
            _ => {
                return Err(ApiError::new(
                    422,
                    "limit must be an integer between 1 and 10,000",
                ))
            }
        },
    };
    let webhook_url = match obj.get("webhook_url") {
        None | Some(Value::Null) => None,
        Some(Value::String(u)) => check_webhook(Some(u))?,
        Some(_) => {
            return Err(ApiError::new(
                422,
                "webhook_url must be a valid https:// URL",
            ))
        }
    };
    let es = match obj.get("es_dsl_query") {
        Some(es) => es.clone(),
        None if obj.contains_key("query") => Value::Object(
            obj.iter()
                .filter(|(k, _)| !WRAPPER_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Map<_, _>>(),
        ),
        None => return Err(ApiError::new(422, "Field required: es_dsl_query")),
    };
    let query = dsl::parse_body(&es).map_err(bad_query)?;
    let canonical =
        json!({ "es_dsl_query": es, "limit": limit, "webhook_url": webhook_url }).to_string();
    let mut ids = s.search(query).await;
    let matched = ids.len();
    match limit {
        Some(l) => ids.truncate(l as usize),
        None if matched > MAX_RECORDS => ids.clear(),
        None => {}
    }
    let info = s
        .create_request(NewRequest {
            kind: RequestKind::EsDsl,
            key,
            matched,
            ids,
            limit,
            webhook_url,
            canonical: Some(canonical),
        })
        .await?;
    Ok(created(&s, &info))
}

/// Parses an ID file: numeric ids one a line (CRLF and empty lines tolerated), at most 10,000.
fn parse_ids(bytes: &[u8]) -> Result<Vec<u64>, ApiError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ApiError::new(400, "File must be text: numeric IDs, one a line"))?;
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.len() > MAX_RECORDS {
        return Err(ApiError::new(
            400,
            "File contains too many IDs. Maximum is 10,000 IDs",
        ));
    }
    if lines.is_empty() {
        return Err(ApiError::new(400, "File contains no IDs"));
    }
    lines
        .into_iter()
        .map(|(n, line)| {
            line.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| line.parse::<u64>().ok())
                .flatten()
                .ok_or_else(|| {
                    let shown: String = line.chars().take(40).collect();
                    ApiError::new(
                        400,
                        format!(
                            "File contains non-numeric data on line {}: {shown:?}",
                            n + 1
                        ),
                    )
                })
        })
        .collect()
}

async fn submit_id_file(
    State(s): State<Arc<Shared>>,
    Extension(ApiKey(key)): Extension<ApiKey>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let mut multipart = multipart
        .map_err(|e| ApiError::new(400, format!("Expected a multipart/form-data body: {e}")))?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(400, format!("Invalid multipart body: {e}"))
    };
    let (mut file, mut data_format, mut webhook) = (None, None, None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("ids_file") => file = Some(field.bytes().await.map_err(bad)?),
            Some("data_format") => data_format = Some(field.text().await.map_err(bad)?),
            Some("webhook_url") => webhook = Some(field.text().await.map_err(bad)?),
            _ => {}
        }
    }
    let file = file.ok_or_else(|| ApiError::new(422, "Field required: ids_file"))?;
    check_data_format(data_format.as_deref())?;
    let webhook_url = check_webhook(webhook.as_deref())?;
    let mut seen = std::collections::HashSet::new();
    let people = s.people.overlay();
    let ids: Vec<u64> = parse_ids(&file)?
        .into_iter()
        .filter(|id| people.exists(*id) && seen.insert(*id))
        .collect();
    let info = s
        .create_request(NewRequest {
            kind: RequestKind::IdFile,
            key,
            matched: ids.len(),
            ids,
            limit: None,
            webhook_url,
            canonical: None,
        })
        .await?;
    Ok(created(&s, &info))
}

async fn list_files(
    State(s): State<Arc<Shared>>,
    Path(request_id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(match s.poll(&request_id).await? {
        Poll::Ready(files) => Json(json!({ "data_request_files": files })).into_response(),
        Poll::Pending => {
            let message = json!({ "message": "Data request is still being processed" });
            match s.config.pending_style {
                PendingStyle::Accepted => (StatusCode::ACCEPTED, Json(message)).into_response(),
                PendingStyle::EmptyList => {
                    Json(json!({ "data_request_files": [] })).into_response()
                }
                PendingStyle::Message => Json(message).into_response(),
            }
        }
    })
}

async fn download(
    State(s): State<Arc<Shared>>,
    Path((request_id, file_name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let plan = s.download(&request_id, &file_name)?;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, len) = match files::parse_range(range, plan.len) {
        RangeRequest::Full => (StatusCode::OK, 0, plan.len),
        RangeRequest::Partial { start, end } => {
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
        RangeRequest::Unsatisfiable => {
            let mut res = ApiError::new(416, "Requested range not satisfiable").into_response();
            set_header(&mut res, "content-range", format!("bytes */{}", plan.len));
            return Ok(res);
        }
    };
    let stream = files::stream_file(
        &plan.path,
        StreamPlan {
            start,
            len,
            cut_after: plan.cut_after,
            throttle: plan.throttle,
        },
    )
    .await
    .map_err(|e| {
        tracing::error!("cannot open {}: {e}", plan.path.display());
        ApiError::new(500, "Internal Server Error")
    })?;
    let mut res = Response::new(Body::from_stream(stream));
    *res.status_mut() = status;
    set_header(&mut res, "content-type", "application/gzip");
    set_header(&mut res, "content-length", len);
    set_header(&mut res, "accept-ranges", "bytes");
    if status == StatusCode::PARTIAL_CONTENT {
        set_header(
            &mut res,
            "content-range",
            format!("bytes {start}-{}/{}", start + len - 1, plan.len),
        );
    }
    Ok(res)
}

async fn search(
    State(s): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let query = dsl::parse_body(&parse_json(&body)?).map_err(bad_query)?;
    let per_page = match params.get("items_per_page") {
        None => MAX_PAGE,
        Some(v) => match v.parse::<usize>() {
            Ok(n @ 1..=MAX_PAGE) => n,
            _ => {
                return Err(ApiError::new(
                    422,
                    "items_per_page must be an integer between 1 and 1000",
                ))
            }
        },
    };
    let after =
        match params.get("after") {
            None => None,
            Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
                ApiError::new(422, "after must be the last id of the previous page")
            })?),
        };
    let ids = s.search(query).await;
    let total = ids.len();
    let rest: Vec<u64> = ids
        .into_iter()
        .filter(|id| after.is_none_or(|a| *id > a))
        .collect();
    let page: Vec<u64> = rest.iter().take(per_page).copied().collect();
    let mut res = Json(&page).into_response();
    set_header(&mut res, "x-total-results", total);
    set_header(&mut res, "x-total-pages", total.div_ceil(per_page));
    set_header(&mut res, "x-items-per-page", per_page);
    if rest.len() > page.len() {
        if let Some(last) = page.last() {
            set_header(&mut res, "x-next-page-after", last);
        }
    }
    Ok(res)
}

async fn preview(
    State(s): State<Arc<Shared>>,
    Extension(ApiKey(key)): Extension<ApiKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let query = dsl::parse_body(&parse_json(&body)?).map_err(bad_query)?;
    s.charge(&key, s.config.preview_credits).await?;
    Ok(Json(s.preview(query, PREVIEW_SIZE).await).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_files() {
        assert_eq!(parse_ids(b"1\r\n22\n\n333\n").unwrap(), vec![1, 22, 333]);
        let e = parse_ids(b"1\nabc\n").unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.detail.contains("line 2"), "{}", e.detail);
        assert!(parse_ids(b"-42\n").is_err());
        assert!(parse_ids(b" 42\n").is_err());
        assert!(parse_ids("\u{feff}42\n".as_bytes()).is_err());
        assert!(parse_ids(b"\n\n").is_err());
        let many: String = (1..=10_001).map(|i| format!("{i}\n")).collect();
        assert_eq!(
            parse_ids(many.as_bytes()).unwrap_err().detail,
            "File contains too many IDs. Maximum is 10,000 IDs"
        );
    }

    #[test]
    fn webhooks() {
        assert!(check_webhook(Some("https://example.com/hook")).is_ok());
        assert_eq!(check_webhook(Some("")).unwrap(), None);
        assert!(check_webhook(Some("http://example.com/hook")).is_err());
        assert!(check_webhook(Some("https:///x")).is_err());
    }
}
