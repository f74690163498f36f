//! The network as offices have it: servers that close idle keep-alive connections, files that arrive
//! damaged, a service asking to wait for hours. Real client, real simulator, real HTTP.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::api::{ApiClient, ApiConfig, ApiError, RateLimiter};
use collect_core::error::Coded;
use collect_core::secrets::ApiKey;
use coresignal_sim::{Endpoint, Faults, Simulator, DEFAULT_PRACTICE_KEY};

/// A client of `sim` with the suites' quick retries.
fn client(sim: &Simulator) -> ApiClient {
    let config = ApiConfig {
        base_url: sim.base_url(),
        request_timeout: Duration::from_secs(10),
        retry: fast_retry(),
        ..ApiConfig::default()
    };
    ApiClient::new(
        config,
        ApiKey::new(DEFAULT_PRACTICE_KEY),
        RateLimiter::new(27),
    )
    .expect("the client starts")
}

#[tokio::test]
async fn a_retry_after_of_hours_reaches_the_caller_whole() {
    let sim = Simulator::start(quick_sim()).await.unwrap();
    sim.set_faults(Faults {
        rate_limit_storm: 1_000,
        storm_retry_after_secs: Some(3 * 3600),
        ..Faults::default()
    });
    // The shared limiter pauses at most the policy's 200 ms each time; the caller still learns
    // the three hours the service asked for.
    let error = client(&sim).poll_files("some-request").await.unwrap_err();
    assert!(matches!(error, ApiError::RateLimited { .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3 * 3600)));
    assert!(
        error.user_message().contains("3 hours"),
        "{}",
        error.user_message()
    );
    assert_eq!(
        sim.count_calls(Endpoint::Files),
        fast_retry().max_rate_limited_attempts as usize
    );
    sim.shutdown().await;
}
