//! How the client is set up: where the service is, timeouts, proxy and the retry policy.
//! (Which addresses are allowed is `address.rs`.)

use std::time::Duration;

use rand::Rng;

/// The real service.
pub const DEFAULT_BASE_URL: &str = "https://api.coresignal.com/cdapi";

/// Everything [`super::ApiClient::new`] needs besides the key and the limiter. Its `Debug` hides
/// a proxy password.
#[derive(Clone)]
pub struct ApiConfig {
    /// API base, e.g. `https://api.coresignal.com/cdapi`; plain `http://` only on loopback.
    pub base_url: String,
    /// Longest wait for a whole answer (JSON calls) or between two reads of a download.
    pub request_timeout: Duration,
    /// Longest wait to open a connection.
    pub connect_timeout: Duration,
    /// A manual proxy (`http://host:port`); `None` uses the system/environment proxies.
    pub proxy: Option<String>,
    /// How often and how patiently to retry.
    pub retry: RetryPolicy,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
            proxy: None,
            retry: RetryPolicy::default(),
        }
    }
}

impl std::fmt::Debug for ApiConfig {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ApiConfig")
            .field("base_url", &self.base_url)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("proxy", &self.proxy.as_deref().map(without_password))
            .field("retry", &self.retry)
            .finish()
    }
}

/// A proxy address with its password, if any, replaced by `***`.
pub fn without_password(proxy: &str) -> String {
    match url::Url::parse(proxy) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(_) => proxy.to_owned(),
        Err(_) => "<not an address>".to_owned(),
    }
}

/// When a failed request may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// It costs nothing (a read, the free search): after a 5xx or a network failure too.
    Freely,
    /// It may cost credits (a preview): only when the service cannot have taken it (429, 503, a
    /// connection that never opened).
    OnlyUntaken,
}

/// Bounded exponential backoff with jitter, for transient failures and for 429s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (first try included) for a transient failure: 5xx, timeout, broken connection.
    pub max_attempts: u32,
    /// Attempts in all for a call the service keeps answering 429.
    pub max_rate_limited_attempts: u32,
    /// First backoff delay; doubles each time.
    pub base_delay: Duration,
    /// Backoff ceiling (also caps a `Retry-After`).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            max_rate_limited_attempts: 8,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1 = first retry): `base × 2^(retry−1)`, capped, with
    /// "equal jitter" (a random point in the upper half) so that many clients do not retry in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let half = full / 2;
        let jitter_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if jitter_nanos == 0 {
            0
        } else {
            rand::rng().random_range(0..=jitter_nanos)
        };
        half + Duration::from_nanos(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_proxy_password() {
        let config = ApiConfig {
            proxy: Some("http://anna:s3cret-pw@proxy.example.com:8080".into()),
            ..ApiConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(shown.contains("anna:***@proxy.example.com"), "{shown}");
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let capped = policy.backoff(30);
            assert!(capped >= Duration::from_millis(500) && capped <= Duration::from_millis(1000));
        }
    }
}
