//! [`ApiClient`]: sends the contract's calls through the shared limiter and the retry policy.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RANGE};
use reqwest::{RequestBuilder, Response};
use serde_json::Value;
use tokio::sync::watch;
use url::Url;

use super::address::{proxy_choice, validate_base_url};
use super::classify::{self, submitted_or_uncertain, uncertain_after_send, Answer, Call};
use super::config::{ApiConfig, Retry, RetryPolicy};
use super::error::{network_error, ApiError, SubmitError};
use super::limiter::{Endpoint, RateLimiter};
use super::preview::PreviewPerson;
use super::types::{EsDslSubmission, Estimate, FileResponse, PollOutcome, Submitted};
use super::wire::{es_dsl_body, http_client, id_file_form, ids_csv, read_answer, Pooling};
use crate::secrets::ApiKey;

/// The Coresignal client. Cheap to clone; all clones share the balance watch.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
    /// Asked right before each submission POST leaves (after any wait for the limiter): closed,
    /// nothing is sent ([`SubmitError::Withheld`]). See [`ApiClient::with_send_gate`].
    send_gate: Option<SendGate>,
}

/// See [`ApiClient::with_send_gate`].
type SendGate = Arc<dyn Fn() -> bool + Send + Sync>;

struct Inner {
    /// Everything but the submissions: keep-alive connections are reused (a GET sent on one the
    /// server just closed is simply retried).
    http: reqwest::Client,
    /// The submission POSTs only: each on a fresh connection. A POST sent on a pooled connection
    /// that the server is closing at that moment fails after its bytes left, which cannot be told
    /// apart from a lost answer and would make the job uncertain; a fresh connection never has
    /// that race.
    post_http: reqwest::Client,
    /// Kept only to blank it out of answers that echo it back (see [`Answer::without`]).
    key: ApiKey,
    base: Url,
    limiter: Arc<RateLimiter>,
    retry: RetryPolicy,
    request_timeout: Duration,
    balance: watch::Sender<Option<i64>>,
    /// When the answer that carried the latest balance arrived.
    balance_at: std::sync::Mutex<Option<time::OffsetDateTime>>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base", &self.inner.base.as_str())
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// A client for `config.base_url` with `key`, throttled by the shared `limiter`.
    pub fn new(
        config: ApiConfig,
        key: ApiKey,
        limiter: Arc<RateLimiter>,
    ) -> Result<Self, ApiError> {
        let base = validate_base_url(&config.base_url)?;
        let proxy = proxy_choice(&base, config.proxy.as_deref())?;
        let http = http_client(&config, &key, &proxy, Pooling::KeepAlive)?;
        let post_http = http_client(&config, &key, &proxy, Pooling::FreshConnections)?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                post_http,
                key,
                base,
                limiter,
                retry: config.retry,
                request_timeout: config.request_timeout,
                balance: watch::Sender::new(None),
                balance_at: std::sync::Mutex::new(None),
            }),
            send_gate: None,
        })
    }

    /// This client, whose submission POSTs are each sent only if `gate` says yes right before
    /// (after any wait for the limiter or a back-off); otherwise [`SubmitError::Withheld`] and
    /// nothing is sent. A sender passes the check that it still holds the job's submission lease.
    pub fn with_send_gate(&self, gate: impl Fn() -> bool + Send + Sync + 'static) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            send_gate: Some(Arc::new(gate)),
        }
    }

    /// The latest `x-credits-remaining` seen on any answer (success or error), `None` until one.
    pub fn balance(&self) -> watch::Receiver<Option<i64>> {
        self.inner.balance.subscribe()
    }

    /// When the answer that carried the latest balance arrived (an answer without one changes
    /// nothing), `None` until one did.
    pub fn balance_seen_at(&self) -> Option<time::OffsetDateTime> {
        // Plain data: a panic elsewhere cannot leave it half-written.
        *self
            .inner
            .balance_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The retry policy this client was built with (the download loop uses it too).
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Call 5: how many profiles `es_body` (a full ES body with `"query"`) matches. Free, so a
    /// failure is retried.
    pub async fn estimate(&self, es_body: &Value) -> Result<Estimate, ApiError> {
        classify::estimate(&self.search_answer(&[], es_body).await?)
    }

    /// Call 6: up to 20 sample people `es_body` matches. It may cost credits: the caller says so
    /// (and gets a confirmation) first, and it is sent again only when the service cannot have
    /// taken it (429, 503, a connection that never opened), so one yes is never paid twice.
    pub async fn preview(&self, es_body: &Value) -> Result<Vec<PreviewPerson>, ApiError> {
        let response = self
            .post_search(&["es_dsl", "preview"], &[], es_body, Retry::OnlyUntaken)
            .await?;
        super::preview::people(&read_answer(response, &self.inner.key).await?)
    }

    /// Call 5's answer, read (free, so a failure is retried), with `query` pairs in its address
    /// (`after`, `items_per_page`).
    pub(super) async fn search_answer(
        &self,
        query: &[(&str, &str)],
        es_body: &Value,
    ) -> Result<Answer, ApiError> {
        let response = self
            .post_search(&["es_dsl"], query, es_body, Retry::Freely)
            .await?;
        read_answer(response, &self.inner.key).await
    }

    /// POSTs `es_body` to `v2/employee_clean/search/<path>?<query>`.
    async fn post_search(
        &self,
        path: &[&str],
        query: &[(&str, &str)],
        es_body: &Value,
        retry: Retry,
    ) -> Result<Response, ApiError> {
        let mut parts = vec!["v2", "employee_clean", "search"];
        parts.extend_from_slice(path);
        let mut url = self.url(&parts)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        self.send_retrying(Endpoint::Search, retry, || {
            self.inner
                .http
                .post(url.clone())
                .json(es_body)
                .timeout(self.inner.request_timeout)
        })
        .await
    }

    /// Call 1: submits an ES DSL data request.
    pub async fn submit_es_dsl(
        &self,
        submission: &EsDslSubmission,
    ) -> Result<Submitted, SubmitError> {
        let url = self.url(&["v2", "data_requests", "employee_clean", "es_dsl"])?;
        let body = es_dsl_body(submission);
        let answer = self
            .send_post(Endpoint::SubmitEsDsl, || {
                self.inner.post_http.post(url.clone()).json(&body)
            })
            .await?;
        submitted_or_uncertain(&answer)
    }

    /// Call 2: submits an ID-file data request (multipart `ids_file`, one ID a line).
    pub async fn submit_id_file(
        &self,
        ids: &[u64],
        webhook_url: Option<&str>,
    ) -> Result<Submitted, SubmitError> {
        let url = self.url(&["v2", "data_requests", "employee_clean", "id_file"])?;
        let csv = ids_csv(ids);
        let answer = self
            .send_post(Endpoint::SubmitIdFile, || {
                self.inner
                    .post_http
                    .post(url.clone())
                    .multipart(id_file_form(csv.clone(), webhook_url))
            })
            .await?;
        submitted_or_uncertain(&answer)
    }

    /// Call 3: what the service says about a request's files.
    pub async fn poll_files(&self, request_id: &str) -> Result<PollOutcome, ApiError> {
        let url = self.url(&["v2", "data_requests", request_id, "files"])?;
        let response = self
            .send_retrying(Endpoint::ListFiles, Retry::Freely, || {
                self.inner
                    .http
                    .get(url.clone())
                    .timeout(self.inner.request_timeout)
            })
            .await?;
        classify::poll_outcome(&read_answer(response, &self.inner.key).await?)
    }

    /// Call 4: opens `file_name` (exactly as listed; `/` allowed) from byte `from_byte` (`Range`).
    /// Check [`FileResponse::start_offset`]: a server may ignore the range and send the whole file.
    pub async fn open_file(
        &self,
        request_id: &str,
        file_name: &str,
        from_byte: u64,
    ) -> Result<FileResponse, ApiError> {
        let mut segments = vec!["v2", "data_requests", request_id, "files"];
        // A listed name like `json/part-0.json.gz` is sent as it is, `/` included. A name whose
        // pieces would not survive URL normalisation (empty, `.` or `..`, as in `../x` or `/tmp/x`)
        // goes as one segment with its slashes encoded, so the service still gets it exactly.
        let plain = file_name
            .split('/')
            .all(|piece| !matches!(piece, "" | "." | ".."));
        if plain {
            segments.extend(file_name.split('/'));
        } else {
            segments.push(file_name);
        }
        let url = self.url(&segments)?;
        // No whole-request timeout: a big file takes long. The client's read timeout still applies.
        let response = self
            .send_retrying(Endpoint::DownloadFile, Retry::Freely, || {
                let request = self.inner.http.get(url.clone());
                if from_byte > 0 {
                    request.header(RANGE, format!("bytes={from_byte}-"))
                } else {
                    request
                }
            })
            .await?;
        let status = response.status().as_u16();
        if !matches!(status, 200 | 206) {
            let answer = read_answer(response, &self.inner.key).await?;
            return Err(classify::error_of(Call::Download, &answer));
        }
        let (start_offset, total_len) =
            classify::download_span(status, response.headers(), from_byte)?;
        Ok(FileResponse {
            status,
            start_offset,
            total_len,
            response,
        })
    }

    /// `base` + percent-encoded segments (`.`/`..` segments are dropped by `url`).
    fn url(&self, segments: &[&str]) -> Result<Url, ApiError> {
        let mut url = self.inner.base.clone();
        url.path_segments_mut()
            .map_err(|()| ApiError::InvalidBaseUrl {
                url: self.inner.base.to_string(),
                reason: "it cannot have a path".into(),
            })?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends a call that is safe to repeat (GETs, the free search), retrying 429, 5xx and network
    /// failures within the policy. The last answer (maybe a 429 or 5xx) is returned as is.
    async fn send_retrying(
        &self,
        endpoint: Endpoint,
        retry: Retry,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Response, ApiError> {
        let policy = &self.inner.retry;
        let (mut failures, mut limited) = (0u32, 0u32);
        loop {
            match self.send_once(endpoint, build()).await {
                Ok(response) if response.status().as_u16() == 429 => {
                    limited += 1;
                    if limited >= policy.max_rate_limited_attempts {
                        return Ok(response);
                    }
                    self.pause_after_429(endpoint, response.headers());
                }
                Ok(response)
                    if response.status().is_server_error()
                        && (retry == Retry::Freely || response.status().as_u16() == 503) =>
                {
                    failures += 1;
                    if failures >= policy.max_attempts {
                        return Ok(response);
                    }
                    self.back_off(failures).await;
                }
                Ok(response) => return Ok(response),
                Err(error) => {
                    failures += 1;
                    let untaken = error.is_connect();
                    if failures >= policy.max_attempts
                        || error.is_builder()
                        || (retry == Retry::OnlyUntaken && !untaken)
                    {
                        return Err(network_error(&error));
                    }
                    self.back_off(failures).await;
                }
            }
        }
    }

    /// Sends a POST that creates a data request. It is re-sent only when nothing can have been created:
    /// a 429 or 503 answer, or a connection that never opened. Any other doubt is `Uncertain`.
    async fn send_post(
        &self,
        endpoint: Endpoint,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Answer, SubmitError> {
        let policy = &self.inner.retry;
        let (mut failures, mut limited) = (0u32, 0u32);
        loop {
            let request = build().timeout(self.inner.request_timeout);
            self.inner.limiter.acquire(endpoint).await;
            if self.send_gate.as_ref().is_some_and(|open| !open()) {
                return Err(SubmitError::Withheld);
            }
            let response = match self.send_acquired(endpoint, request).await {
                Ok(response) => response,
                // Nothing of the request left: the connection (TCP, TLS, proxy) never opened.
                Err(error) if error.is_connect() => {
                    failures += 1;
                    if failures >= policy.max_attempts {
                        return Err(SubmitError::Rejected(network_error(&error)));
                    }
                    self.back_off(failures).await;
                    continue;
                }
                Err(error) if error.is_builder() => {
                    return Err(SubmitError::Rejected(network_error(&error)))
                }
                Err(error) => return Err(uncertain_after_send(&error)),
            };
            match response.status().as_u16() {
                429 if limited + 1 < policy.max_rate_limited_attempts => {
                    limited += 1;
                    self.pause_after_429(endpoint, response.headers());
                }
                503 if failures + 1 < policy.max_attempts => {
                    failures += 1;
                    self.back_off(failures).await;
                }
                status @ (500..=502 | 504..=599) => {
                    return Err(SubmitError::Uncertain {
                        reason: format!(
                            "Coresignal answered with an error (HTTP {status}) after receiving it, and such an error does not say whether the request was created."
                        ),
                        status: Some(status),
                    })
                }
                status => {
                    return read_answer(response, &self.inner.key).await.map_err(|error| {
                        if (200..300).contains(&status) {
                            SubmitError::Uncertain {
                                reason: format!(
                                    "Coresignal accepted it (HTTP {status}) but the connection broke before its answer was complete."
                                ),
                                status: Some(status),
                            }
                        } else {
                            SubmitError::Rejected(error)
                        }
                    })
                }
            }
        }
    }

    /// One request: waits for the limiter, sends, records the balance.
    async fn send_once(
        &self,
        endpoint: Endpoint,
        request: RequestBuilder,
    ) -> Result<Response, reqwest::Error> {
        self.inner.limiter.acquire(endpoint).await;
        self.send_acquired(endpoint, request).await
    }

    /// One request, its turn given by the limiter: sends, records the balance.
    async fn send_acquired(
        &self,
        endpoint: Endpoint,
        request: RequestBuilder,
    ) -> Result<Response, reqwest::Error> {
        let response = request.send().await?;
        if let Some(credits) = classify::credits_remaining(response.headers()) {
            *self
                .inner
                .balance_at
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) =
                Some(time::OffsetDateTime::now_utc());
            self.inner.balance.send_replace(Some(credits));
        }
        if response.status().as_u16() != 429 {
            self.inner.limiter.note_success(endpoint);
        }
        Ok(response)
    }

    fn pause_after_429(&self, endpoint: Endpoint, headers: &HeaderMap) {
        let retry_after = classify::retry_after(headers, SystemTime::now());
        let pause = self
            .inner
            .limiter
            .note_rate_limited(endpoint, retry_after, &self.inner.retry);
        tracing::info!(
            ?endpoint,
            ?pause,
            "rate limited (429): pausing the endpoint"
        );
    }

    async fn back_off(&self, failures: u32) {
        tokio::time::sleep(self.inner.retry.backoff(failures)).await;
    }
}
