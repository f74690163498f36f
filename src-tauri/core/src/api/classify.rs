//! Pure functions: one server answer (status, headers, body) → the outcome or the [`ApiError`] it means.
//! Every documented variant of the contract is accepted here, and nothing else is assumed.

use bytes::Bytes;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, CONTENT_LENGTH, CONTENT_RANGE, RETRY_AFTER};
use serde_json::Value;

use super::error::{root_cause, ApiError, SubmitError, MAX_FILES_PER_REQUEST};
use super::limiter::parse_retry_after;
use super::types::{Estimate, PollOutcome, Submitted};

/// The longest server text kept in an error (bodies of proxies' error pages can be long).
const MAX_DETAIL_CHARS: usize = 500;

/// Which call an answer belongs to: the same status means different things on different calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Call {
    Submit,
    Estimate,
    Poll,
    Download,
}

/// A complete answer with its body read.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// The answer with every copy of `secret` in its body replaced by `<redacted>`: a server that
    /// echoes the key back (in an error's detail, say) must not make the app show or store it.
    pub(crate) fn without(mut self, secret: &str) -> Self {
        let needle = secret.as_bytes();
        if needle.is_empty() {
            return self;
        }
        if !self.body.windows(needle.len()).any(|w| w == needle) {
            return self.without_escaped(secret);
        }
        let mut clean = Vec::with_capacity(self.body.len());
        let mut rest: &[u8] = &self.body;
        while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
            clean.extend_from_slice(&rest[..at]);
            clean.extend_from_slice(b"<redacted>");
            rest = &rest[at + needle.len()..];
        }
        clean.extend_from_slice(rest);
        self.body = clean.into();
        self.without_escaped(secret)
    }

    /// The same for a JSON body that writes the key with escapes (`\u0073k-…`, `\/`): the text is
    /// decoded, cleaned and written again.
    fn without_escaped(mut self, secret: &str) -> Self {
        fn scrub(value: &mut Value, secret: &str) -> bool {
            match value {
                Value::String(text) if text.contains(secret) => {
                    *text = text.replace(secret, "<redacted>");
                    true
                }
                Value::Array(items) => items
                    .iter_mut()
                    .fold(false, |hit, v| scrub(v, secret) | hit),
                Value::Object(map) => map
                    .values_mut()
                    .fold(false, |hit, v| scrub(v, secret) | hit),
                _ => false,
            }
        }
        if let Ok(mut value) = serde_json::from_slice::<Value>(&self.body) {
            if scrub(&mut value, secret) {
                if let Ok(clean) = serde_json::to_vec(&value) {
                    self.body = clean.into();
                }
            }
        }
        self
    }

    pub(crate) fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    fn detail(&self) -> Option<String> {
        detail_of(&self.body)
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// `x-credits-remaining` as a whole number (tolerates `"9973.0"`).
pub(crate) fn credits_remaining(headers: &HeaderMap) -> Option<i64> {
    let raw = headers.get("x-credits-remaining")?.to_str().ok()?.trim();
    raw.parse::<i64>().ok().or_else(|| {
        raw.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            // Truncation is intended: the balance is a whole number of credits.
            .map(|f| f as i64)
    })
}

/// The server's explanation: `detail` (or `message`) of a JSON body, else the body's text.
pub(crate) fn detail_of(body: &[u8]) -> Option<String> {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => match map.get("detail").or_else(|| map.get("message")) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => return None,
            Some(other) => other.to_string(),
        },
        Ok(_) => return None,
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(text.chars().take(MAX_DETAIL_CHARS).collect())
}

fn speaks_of_no_match(detail: Option<&str>) -> bool {
    let Some(detail) = detail.map(str::to_ascii_lowercase) else {
        return false;
    };
    (detail.contains("matching") && (detail.contains("no ") || detail.contains("not ")))
        || detail.contains("no results")
        || detail.contains("nothing matched")
}

fn speaks_of_too_many_matches(detail: Option<&str>) -> bool {
    detail.is_some_and(|d| d.to_ascii_lowercase().contains("matched too many"))
}

fn speaks_of_too_many_ids(detail: Option<&str>) -> bool {
    detail.is_some_and(|d| d.to_ascii_lowercase().contains("too many ids"))
}

/// The error a non-success answer means on `call`.
pub(crate) fn error_for(call: Call, status: u16, detail: Option<String>) -> ApiError {
    let d = detail.as_deref();
    match status {
        400 if speaks_of_too_many_ids(d) => ApiError::TooManyIds { detail },
        401 | 403 => ApiError::KeyRejected { status, detail },
        402 => ApiError::InsufficientCredits { detail },
        404 | 422 if speaks_of_no_match(d) => ApiError::NoResults { status, detail },
        404 if matches!(call, Call::Poll | Call::Download) => ApiError::Expired { detail },
        404 => ApiError::NotFound { detail },
        409 => ApiError::DuplicateInProgress { detail },
        416 => ApiError::RangeNotSatisfiable,
        422 if speaks_of_too_many_matches(d) => ApiError::TooManyMatches { detail },
        400 | 422 => ApiError::BadRequest { status, detail },
        429 => ApiError::RateLimited {
            detail,
            retry_after: None,
        },
        500..=599 => ApiError::Server { status, detail },
        _ => ApiError::Unexpected { status, detail },
    }
}

/// The error a non-success `answer` means on `call`: [`error_for`], plus a 429's `Retry-After`
/// (uncapped).
pub(crate) fn error_of(call: Call, answer: &Answer) -> ApiError {
    match error_for(call, answer.status, answer.detail()) {
        ApiError::RateLimited { detail, .. } => ApiError::RateLimited {
            detail,
            retry_after: retry_after(&answer.headers, SystemTime::now()),
        },
        other => other,
    }
}

/// The `Retry-After` header as a wait from `now`, if present and readable.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, now))
}

/// Calls 1 and 2: 200/201 with `request_id` in the body, or else in `Location`.
pub(crate) fn submitted(answer: &Answer) -> Result<Submitted, ApiError> {
    if !matches!(answer.status, 200 | 201) {
        return Err(error_of(Call::Submit, answer));
    }
    let from_body = answer
        .json()
        .and_then(|v| v.get("request_id").cloned())
        .and_then(|id| match id {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
    let request_id = from_body
        .or_else(|| answer.header("location").and_then(request_id_from_location))
        .ok_or_else(|| ApiError::Unexpected {
            status: answer.status,
            detail: Some("the answer has neither a request_id nor a Location header".into()),
        })?;
    Ok(Submitted {
        request_id,
        http_status: answer.status,
        credits_remaining: credits_remaining(&answer.headers),
    })
}

/// `/v2/data_requests/<id>/files` (relative or absolute) → `<id>`.
fn request_id_from_location(location: &str) -> Option<String> {
    let path = location.split(['?', '#']).next()?;
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    segments.find(|s| *s == "data_requests")?;
    let id = segments.next()?;
    (id != "files").then(|| id.to_owned())
}

/// Call 3: every documented state.
pub(crate) fn poll_outcome(answer: &Answer) -> Result<PollOutcome, ApiError> {
    let status = answer.status;
    let detail = answer.detail();
    match status {
        202 => Ok(PollOutcome::Pending {
            status,
            message: detail,
        }),
        200 => ready_or_pending(answer),
        402 => Ok(PollOutcome::InsufficientCredits { detail }),
        404 | 422 if speaks_of_no_match(detail.as_deref()) => {
            Ok(PollOutcome::NoResults { status, detail })
        }
        404 => Ok(PollOutcome::Expired { detail }),
        422 if speaks_of_too_many_matches(detail.as_deref()) => {
            Ok(PollOutcome::TooManyMatches { detail })
        }
        _ => Err(error_of(Call::Poll, answer)),
    }
}

fn ready_or_pending(answer: &Answer) -> Result<PollOutcome, ApiError> {
    let Some(Value::Object(body)) = answer.json() else {
        return Err(ApiError::Unexpected {
            status: answer.status,
            detail: answer
                .detail()
                .or_else(|| Some("the file list is not a JSON object".into())),
        });
    };
    let files: Vec<String> = match body.get("data_request_files") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str())
            .filter(|name| !name.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if files.len() > MAX_FILES_PER_REQUEST {
        return Err(ApiError::TooManyFiles { count: files.len() });
    }
    if files.is_empty() {
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned);
        return Ok(PollOutcome::Pending {
            status: answer.status,
            message,
        });
    }
    Ok(PollOutcome::Ready {
        status: answer.status,
        files,
    })
}

/// Call 5: the total is `x-total-results`.
pub(crate) fn estimate(answer: &Answer) -> Result<Estimate, ApiError> {
    if answer.status != 200 {
        return Err(error_of(Call::Estimate, answer));
    }
    let total_results = answer
        .header("x-total-results")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| ApiError::Unexpected {
            status: 200,
            detail: Some("the answer has no x-total-results header".into()),
        })?;
    Ok(Estimate {
        total_results,
        credits_remaining: credits_remaining(&answer.headers),
    })
}

/// Call 4, before the body: where the body starts and how long the whole file is.
/// `status` must be 200 or 206.
pub(crate) fn download_span(
    status: u16,
    headers: &HeaderMap,
    from_byte: u64,
) -> Result<(u64, Option<u64>), ApiError> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let length = header(CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
    if status == 200 {
        return Ok((0, length));
    }
    let (start, total) = header(CONTENT_RANGE)
        .and_then(parse_content_range)
        .ok_or_else(|| ApiError::Unexpected {
            status,
            detail: Some("a partial answer without a valid Content-Range".into()),
        })?;
    if start != from_byte {
        return Err(ApiError::Unexpected {
            status,
            detail: Some(format!(
                "asked to resume at byte {from_byte}, the service resumed at {start}"
            )),
        });
    }
    // A hostile length must not overflow: an impossible total is an unknown one.
    Ok((
        start,
        total.or_else(|| length.and_then(|l| start.checked_add(l))),
    ))
}

/// `bytes 100-199/1000` → (100, Some(1000)); `bytes 100-199/*` → (100, None).
fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    Some((start, total))
}

/// A 2xx answer whose request id cannot be read may still have created a request.
pub(crate) fn submitted_or_uncertain(answer: &Answer) -> Result<Submitted, SubmitError> {
    submitted(answer).map_err(|error| match error {
        ApiError::Unexpected { status, detail } if (200..300).contains(&status) => {
            SubmitError::Uncertain {
                reason: format!(
                    "Coresignal accepted it (HTTP {status}) but its answer did not say which request was created ({}).",
                    detail.unwrap_or_default()
                ),
                status: Some(status),
            }
        }
        other => SubmitError::Rejected(other),
    })
}

pub(crate) fn uncertain_after_send(error: &reqwest::Error) -> SubmitError {
    let what = if error.is_timeout() {
        "Coresignal did not answer in time after the request was sent."
    } else {
        "the connection broke after the request was sent."
    };
    SubmitError::Uncertain {
        reason: format!("{what} ({})", root_cause(error)),
        status: None,
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "classify_props.rs"]
mod props;
