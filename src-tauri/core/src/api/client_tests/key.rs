//! The key: never in an error, never over plain http off this computer, never seen by a proxy.

use super::*;

#[tokio::test]
async fn a_rejected_key_never_shows_in_errors() {
    let peer = ScriptedPeer::start(vec![Reply::json(
        401,
        r#"{"detail": "No valid API Key was provided"}"#,
    )])
    .await;
    let client = client_for(&peer);
    let error = client.poll_files(ID).await.unwrap_err();
    assert!(matches!(error, ApiError::KeyRejected { status: 401, .. }));
    let shown = format!(
        "{error} {error:?} {client:?} {}",
        crate::error::Coded::user_message(&error)
    );
    assert!(!shown.contains(KEY), "{shown}");
}

#[tokio::test]
async fn plain_http_off_loopback_is_refused() {
    let error = ApiClient::new(
        fast_config("http://api.coresignal.com/cdapi"),
        ApiKey::new(KEY),
        RateLimiter::new(27),
    )
    .unwrap_err();
    assert!(matches!(error, ApiError::InvalidBaseUrl { .. }));
    let error = ApiClient::new(
        ApiConfig {
            proxy: Some("::not a proxy::".into()),
            ..ApiConfig::default()
        },
        ApiKey::new(KEY),
        RateLimiter::new(27),
    )
    .unwrap_err();
    assert!(matches!(error, ApiError::InvalidProxy { .. }));
    let error = ApiClient::new(
        ApiConfig::default(),
        ApiKey::new("abc\ndef"),
        RateLimiter::new(27),
    )
    .unwrap_err();
    assert_eq!(error, ApiError::InvalidKey);
}

#[tokio::test]
async fn a_manual_proxy_tunnels_to_the_service_without_seeing_the_key() {
    let proxy = ScriptedPeer::start(vec![]).await;
    let config = ApiConfig {
        proxy: Some(proxy.base_url.trim_end_matches("/cdapi").to_owned()),
        ..fast_config(DEFAULT_BASE_URL)
    };
    let client = ApiClient::new(config, ApiKey::new(KEY), RateLimiter::new(1000)).unwrap();
    // The peer refuses every tunnel: the call fails, having asked the proxy (and only it).
    let error = client.poll_files(ID).await.unwrap_err();
    assert!(matches!(error, ApiError::Network { .. }), "{error:?}");
    let received = proxy.received();
    assert!(!received.is_empty());
    for request in received {
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            ("CONNECT", "api.coresignal.com:443")
        );
        assert_eq!(
            request.header("apikey"),
            None,
            "the key travels inside TLS only"
        );
    }
}
