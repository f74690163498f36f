//! Accounts, faults, rate limits, the call log and search.

use super::*;

impl Shared {
    // --- accounts --------------------------------------------------------------------------

    pub(crate) fn credits(&self, key: &str) -> Option<i64> {
        self.lock().credits.get(key).copied()
    }

    pub(crate) fn all_credits(&self) -> HashMap<String, i64> {
        self.lock().credits.clone()
    }

    /// Sets a balance and saves (blocking).
    pub(crate) fn set_credits(&self, key: &str, credits: i64) {
        self.lock().credits.insert(key.to_string(), credits);
        self.save();
    }

    /// Takes `cost` credits from `key` (saving when it is not free), or answers 402.
    pub(crate) async fn charge(self: &Arc<Self>, key: &str, cost: i64) -> Result<(), ApiError> {
        {
            let mut inner = self.lock();
            let balance = inner.credits.entry(key.to_string()).or_insert(0);
            if *balance < cost {
                return Err(ApiError::new(402, "Insufficient credits"));
            }
            *balance -= cost;
        }
        if cost != 0 {
            self.persist().await;
        }
        Ok(())
    }

    // --- faults, rate limits, calls -------------------------------------------------------

    pub(crate) fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    /// How long a keep-alive connection may sit idle before a request on it is dropped (fault).
    pub(crate) fn close_idle_after(&self) -> Option<Duration> {
        self.lock()
            .faults
            .close_idle_after_ms
            .map(Duration::from_millis)
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        self.lock().faults = faults;
    }

    /// Token bucket per key per endpoint (and the forced storm), or a 429.
    pub(crate) fn admit(
        &self,
        key: &str,
        endpoint: Endpoint,
    ) -> Result<RateInfo, (ApiError, RateInfo)> {
        let rate = self.config.rate_limit_per_second;
        let mut inner = self.lock();
        let storm = faults::take(&mut inner.faults.rate_limit_storm);
        let storm_retry_after = inner.faults.storm_retry_after_secs.filter(|_| storm);
        let now = Instant::now();
        let bucket = inner
            .buckets
            .entry((key.to_string(), endpoint))
            .or_insert(Bucket {
                tokens: f64::from(rate),
                last: now,
            });
        bucket.tokens = (bucket.tokens
            + now.duration_since(bucket.last).as_secs_f64() * f64::from(rate))
        .min(f64::from(rate));
        bucket.last = now;
        if storm || bucket.tokens < 1.0 {
            let mut err = ApiError::new(429, "Too many requests");
            if let Some(secs) = storm_retry_after {
                err.retry_after = Some(secs);
            } else if self.config.send_retry_after {
                let wait = if storm {
                    1.0
                } else {
                    (1.0 - bucket.tokens) / f64::from(rate)
                };
                err.retry_after = Some(wait.ceil().max(1.0) as u64);
            }
            return Err((
                err,
                RateInfo {
                    limit: rate,
                    remaining: 0,
                },
            ));
        }
        bucket.tokens -= 1.0;
        Ok(RateInfo {
            limit: rate,
            remaining: bucket.tokens.floor() as u32,
        })
    }

    /// A random 5xx for this group, per the configured probability.
    pub(crate) fn random_failure(&self, group: Group) -> Option<ApiError> {
        let mut inner = self.lock();
        let p = inner.faults.error_rate.get(group);
        if p <= 0.0 || inner.rng.random::<f64>() >= p {
            return None;
        }
        let status = [500, 502, 503, 504][inner.rng.random_range(0..4)];
        Some(ApiError::server_error(status))
    }

    pub(crate) fn take_submit_unavailable(&self) -> bool {
        faults::take(&mut self.lock().faults.submit_unavailable)
    }

    /// The status to answer a successful submit with instead, if that fault fires.
    pub(crate) fn take_submit_lost(&self) -> Option<u16> {
        let mut inner = self.lock();
        let status = inner.faults.lost_status();
        faults::take(&mut inner.faults.submit_lost).then_some(status)
    }

    pub(crate) fn delay(&self, group: Group) -> Duration {
        Duration::from_millis(self.lock().faults.delay_ms.get(group))
    }

    pub(crate) fn log_call(&self, endpoint: Endpoint, path: &str, key: Option<&str>, status: u16) {
        let mut inner = self.lock();
        let seq = inner.calls.len() as u64 + 1;
        let millis = self.started.elapsed().as_millis() as u64;
        inner.calls.push(CallRecord {
            millis,
            seq,
            endpoint,
            path: path.to_string(),
            key: key.map(str::to_string),
            status,
        });
    }

    pub(crate) fn calls(&self) -> Vec<CallRecord> {
        self.lock().calls.clone()
    }

    pub(crate) fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    // --- search ---------------------------------------------------------------------------

    /// Ids of searchable records matching `query`, ascending (evaluated off the async workers).
    pub(crate) async fn search(&self, query: Query) -> Vec<u64> {
        let (corpus, people) = (self.corpus.clone(), self.people.overlay());
        let run = move || {
            people
                .searchable(&corpus.records)
                .into_iter()
                .filter(|r| dsl::matches(&query, *r))
                .map(|r| r.id)
                .collect()
        };
        tokio::task::spawn_blocking(run).await.unwrap_or_default()
    }

    /// Up to `n` preview records matching `query`.
    pub(crate) async fn preview(&self, query: Query, n: usize) -> Vec<serde_json::Value> {
        let (corpus, people) = (self.corpus.clone(), self.people.overlay());
        let run = move || {
            people
                .searchable(&corpus.records)
                .into_iter()
                .filter(|r| dsl::matches(&query, *r))
                .take(n)
                .filter_map(|r| serde_json::to_value(r.preview()).ok())
                .collect()
        };
        tokio::task::spawn_blocking(run).await.unwrap_or_default()
    }
}
