//! The one rate limiter: at most N requests in any rolling second per endpoint, and a 429 pauses that
//! endpoint for every caller.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use time::macros::format_description;
use time::PrimitiveDateTime;
use tokio::time::Instant;

use super::config::RetryPolicy;

/// The contract's ceiling: 27 requests a second per Bulk Collect endpoint.
pub const DEFAULT_REQUESTS_PER_SECOND: u32 = 27;

const WINDOW: Duration = Duration::from_secs(1);

/// The longest wait the service can ask for (`Retry-After`) or the app schedules: a day. A longer
/// one is taken as a day, so that no answer can push a job past any clock's range.
pub const LONGEST_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// Kept between two calls a window apart: requests let through a second apart can reach the
/// service closer together (queueing, the network), and must still fit its per-second budget.
const MARGIN: Duration = Duration::from_millis(100);

/// The calls of the contract; each has its own budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /v2/data_requests/employee_clean/es_dsl`
    SubmitEsDsl,
    /// `POST /v2/data_requests/employee_clean/id_file`
    SubmitIdFile,
    /// `GET /v2/data_requests/{id}/files`
    ListFiles,
    /// `GET /v2/data_requests/{id}/files/{name}`
    DownloadFile,
    /// `POST /v2/employee_clean/search/es_dsl` (estimate)
    Search,
}

impl Endpoint {
    const COUNT: usize = 5;

    fn index(self) -> usize {
        match self {
            Self::SubmitEsDsl => 0,
            Self::SubmitIdFile => 1,
            Self::ListFiles => 2,
            Self::DownloadFile => 3,
            Self::Search => 4,
        }
    }
}

#[derive(Debug, Default)]
struct EndpointState {
    /// When the most recent requests were let through (oldest first, pruned to the last second).
    granted: VecDeque<Instant>,
    /// Nobody calls this endpoint before this instant (set by a 429).
    paused_until: Option<Instant>,
    /// 429s in a row, for the exponential backoff.
    strikes: u32,
}

impl EndpointState {
    /// Reserves the first instant at or after `now` when one more call keeps every one-second
    /// window within `rate`, after any pause and after every earlier reservation: callers go in
    /// the order they asked (nobody waits for ever while others keep winning a race).
    fn reserve(&mut self, now: Instant, rate: u32) -> Instant {
        while self
            .granted
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            self.granted.pop_front();
        }
        let mut at = self.paused_until.map_or(now, |until| until.max(now));
        if let Some(last) = self.granted.back() {
            at = at.max(*last);
        }
        let rate = usize::try_from(rate).unwrap_or(usize::MAX).max(1);
        if self.granted.len() >= rate {
            // The call `rate` places back must leave the window first.
            if let Some(earlier) = self.granted.get(self.granted.len() - rate) {
                at = at.max(*earlier + WINDOW + MARGIN);
            }
        }
        self.granted.push_back(at);
        at
    }
}

/// Shared by every [`super::ApiClient`]: pass the same `Arc` to all of them.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: AtomicU32,
    endpoints: Mutex<[EndpointState; Endpoint::COUNT]>,
}

impl RateLimiter {
    /// A limiter letting at most `per_second` requests a second through per endpoint (0 counts as 1).
    pub fn new(per_second: u32) -> Arc<Self> {
        Arc::new(Self {
            per_second: AtomicU32::new(per_second.max(1)),
            endpoints: Mutex::new(Default::default()),
        })
    }

    /// Changes the rate at run time (a settings change); waiting callers see it on their next check.
    pub fn set_rate(&self, per_second: u32) {
        self.per_second.store(per_second.max(1), Ordering::Relaxed);
    }

    /// The current rate.
    pub fn rate(&self) -> u32 {
        self.per_second.load(Ordering::Relaxed)
    }

    /// Waits for `endpoint`'s next free turn (in the order callers asked) and counts the call.
    /// A 429 that pauses the endpoint meanwhile sends the caller to the back, after the pause.
    pub async fn acquire(&self, endpoint: Endpoint) {
        loop {
            let at = self.lock()[endpoint.index()].reserve(Instant::now(), self.rate());
            tokio::time::sleep_until(at).await;
            let paused = self.lock()[endpoint.index()]
                .paused_until
                .is_some_and(|until| until > at);
            if !paused {
                return;
            }
        }
    }

    /// Records a 429 on `endpoint`: pauses it for everyone, for `retry_after` if the server said so,
    /// else an exponential backoff with jitter that grows with each 429 in a row. Returns the pause.
    pub fn note_rate_limited(
        &self,
        endpoint: Endpoint,
        retry_after: Option<Duration>,
        policy: &RetryPolicy,
    ) -> Duration {
        let mut states = self.lock();
        let state = &mut states[endpoint.index()];
        state.strikes = state.strikes.saturating_add(1);
        let pause = retry_after
            .map(|wait| wait.min(policy.max_delay))
            .unwrap_or_else(|| policy.backoff(state.strikes));
        let until = Instant::now() + pause;
        state.paused_until = Some(state.paused_until.map_or(until, |old| old.max(until)));
        pause
    }

    /// Records an answer that was not a 429: the backoff for `endpoint` starts over.
    pub fn note_success(&self, endpoint: Endpoint) {
        self.lock()[endpoint.index()].strikes = 0;
    }

    fn lock(&self) -> MutexGuard<'_, [EndpointState; Endpoint::COUNT]> {
        // The state stays consistent even if a holder panicked: every update is a single assignment.
        self.endpoints
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Parses a `Retry-After` value: delay-seconds (`"120"`) or an HTTP-date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`) taken relative to `now`. A date in the past gives zero;
/// a wait beyond [`LONGEST_WAIT`] gives that.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds).min(LONGEST_WAIT));
    }
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = PrimitiveDateTime::parse(value, format).ok()?.assume_utc();
    let at = SystemTime::from(at);
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(LONGEST_WAIT),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_400); // 2015-10-21 07:26:40 UTC
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(80))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means: go now"
        );
        assert_eq!(
            parse_retry_after(&u64::MAX.to_string(), now),
            Some(LONGEST_WAIT),
            "a wait beyond a day is a day"
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(LONGEST_WAIT)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    /// Requests let through in the first `horizon` of (paused) time.
    async fn granted_within(limiter: &RateLimiter, endpoint: Endpoint, horizon: Duration) -> usize {
        let start = Instant::now();
        let mut count = 0;
        loop {
            limiter.acquire(endpoint).await;
            if start.elapsed() >= horizon {
                return count;
            }
            count += 1;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_n_per_second_per_endpoint() {
        let limiter = RateLimiter::new(27);
        assert_eq!(
            granted_within(&limiter, Endpoint::ListFiles, Duration::from_secs(1)).await,
            27
        );
        // Another endpoint has its own budget (the window of ListFiles is full now).
        let start = Instant::now();
        limiter.acquire(Endpoint::DownloadFile).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn callers_go_in_the_order_they_asked_so_nobody_starves() {
        let limiter = RateLimiter::new(5);
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for caller in 0..40 {
            let (limiter, order) = (Arc::clone(&limiter), Arc::clone(&order));
            waiting.push(tokio::spawn(async move {
                limiter.acquire(Endpoint::ListFiles).await;
                order.lock().unwrap().push((caller, Instant::now()));
            }));
            tokio::task::yield_now().await; // Each asks before the next is started.
        }
        for task in waiting {
            task.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        let callers: Vec<usize> = order.iter().map(|(caller, _)| *caller).collect();
        assert_eq!(callers, (0..40).collect::<Vec<_>>());
        // Still at most 5 a second: the 40th goes in the 8th second.
        let first = order[0].1;
        assert_eq!((order[39].1 - first).as_secs(), 7);
    }

    #[tokio::test(start_paused = true)]
    async fn rolling_window_over_three_seconds() {
        let limiter = RateLimiter::new(10);
        // Within 3 s: 10 at t=0, 10 at t=1, 10 at t=2.
        assert_eq!(
            granted_within(&limiter, Endpoint::Search, Duration::from_secs(3)).await,
            30
        );
    }

    #[tokio::test(start_paused = true)]
    async fn rate_changes_at_run_time() {
        let limiter = RateLimiter::new(27);
        limiter.set_rate(5);
        assert_eq!(limiter.rate(), 5);
        assert_eq!(
            granted_within(&limiter, Endpoint::ListFiles, Duration::from_secs(1)).await,
            5
        );
        limiter.set_rate(0);
        assert_eq!(
            limiter.rate(),
            1,
            "zero would stop everything: it counts as one"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_pauses_the_endpoint_for_everyone() {
        let limiter = RateLimiter::new(27);
        let policy = RetryPolicy::default();
        let pause =
            limiter.note_rate_limited(Endpoint::ListFiles, Some(Duration::from_secs(3)), &policy);
        assert_eq!(pause, Duration::from_secs(3));
        let start = Instant::now();
        limiter.acquire(Endpoint::ListFiles).await;
        assert_eq!(start.elapsed(), Duration::from_secs(3));
        // Other endpoints are not paused.
        let start = Instant::now();
        limiter.acquire(Endpoint::Search).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_without_retry_after_backs_off_exponentially() {
        let limiter = RateLimiter::new(27);
        let policy = RetryPolicy {
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            ..RetryPolicy::default()
        };
        let first = limiter.note_rate_limited(Endpoint::SubmitEsDsl, None, &policy);
        let second = limiter.note_rate_limited(Endpoint::SubmitEsDsl, None, &policy);
        let third = limiter.note_rate_limited(Endpoint::SubmitEsDsl, None, &policy);
        assert!(first <= Duration::from_secs(1));
        assert!(second >= Duration::from_secs(1) && second <= Duration::from_secs(2));
        assert!(third >= Duration::from_secs(2) && third <= Duration::from_secs(4));
        limiter.note_success(Endpoint::SubmitEsDsl);
        let again = limiter.note_rate_limited(Endpoint::SubmitEsDsl, None, &policy);
        assert!(
            again <= Duration::from_secs(1),
            "strikes reset after a success"
        );
        let huge = limiter.note_rate_limited(
            Endpoint::SubmitEsDsl,
            Some(Duration::from_secs(86_400)),
            &policy,
        );
        assert_eq!(huge, Duration::from_secs(60), "Retry-After is capped");
    }
}
