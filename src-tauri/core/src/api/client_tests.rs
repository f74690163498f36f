//! [`ApiClient`] over the wire, against a scripted peer (see `scripted_peer.rs`): headers, bodies,
//! retries, and POST uncertainty.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::scripted_peer::{Reply, ScriptedPeer};
use super::*;
use crate::secrets::ApiKey;

const KEY: &str = "k3y-abcdefghijklmnopqrstuvwxyz012";
const ID: &str = "433869ec-0a98-4dcd-9b13-db4df58260f5";

pub(crate) fn fast_config(base_url: &str) -> ApiConfig {
    ApiConfig {
        base_url: base_url.to_owned(),
        request_timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_millis(500),
        proxy: None,
        retry: RetryPolicy {
            max_attempts: 3,
            max_rate_limited_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        },
    }
}

pub(crate) fn client_for(peer: &ScriptedPeer) -> ApiClient {
    ApiClient::new(
        fast_config(&peer.base_url),
        ApiKey::new(KEY),
        RateLimiter::new(1000),
    )
    .unwrap()
}

fn submission() -> EsDslSubmission {
    EsDslSubmission {
        es_dsl_query: json!({"query": {"match_all": {}}}),
        limit: Some(25),
        webhook_url: Some("https://example.com/hook".into()),
    }
}

fn created() -> Reply {
    Reply::json(201, &format!(r#"{{"request_id": "{ID}"}}"#)).with("x-credits-remaining", "990")
}

#[tokio::test]
async fn es_dsl_submission_sends_the_contract_body_and_headers() {
    let peer = ScriptedPeer::start(vec![created()]).await;
    let client = client_for(&peer);
    assert_eq!(client.balance_seen_at(), None);
    let sent = time::OffsetDateTime::now_utc();
    let submitted = client.submit_es_dsl(&submission()).await.unwrap();
    assert_eq!(
        submitted,
        Submitted {
            request_id: ID.into(),
            http_status: 201,
            credits_remaining: Some(990)
        }
    );
    assert_eq!(*client.balance().borrow(), Some(990));
    assert!(client.balance_seen_at().is_some_and(|at| at >= sent));
    let [request] = peer.received().try_into().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/cdapi/v2/data_requests/employee_clean/es_dsl"
    );
    assert_eq!(request.header("apikey"), Some(KEY));
    assert_eq!(request.header("accept"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        json!({
            "es_dsl_query": {"query": {"match_all": {}}},
            "data_format": "json",
            "limit": 25,
            "webhook_url": "https://example.com/hook"
        })
    );
}

#[tokio::test]
async fn id_file_submission_is_multipart_csv() {
    let location = format!("/v2/data_requests/{ID}/files");
    let peer = ScriptedPeer::start(vec![Reply::json(200, "").with("location", &location)]).await;
    let submitted = client_for(&peer)
        .submit_id_file(&[1, 22, 333], None)
        .await
        .unwrap();
    assert_eq!(
        (submitted.request_id.as_str(), submitted.http_status),
        (ID, 200)
    );
    let [request] = peer.received().try_into().unwrap();
    assert_eq!(
        request.target,
        "/cdapi/v2/data_requests/employee_clean/id_file"
    );
    assert!(request
        .header("content-type")
        .unwrap()
        .starts_with("multipart/form-data"));
    let body = String::from_utf8(request.body).unwrap();
    assert!(body.contains("name=\"ids_file\"; filename=\"ids.csv\""));
    assert!(body.contains("content-type: text/csv"));
    assert!(body.contains("\r\n\r\n1\n22\n333\n\r\n"));
    assert!(body.contains("name=\"data_format\"\r\n\r\njson\r\n"));
    assert!(!body.contains("webhook_url"));
}

#[tokio::test]
async fn a_post_answered_429_or_503_is_sent_again() {
    let peer = ScriptedPeer::start(vec![
        Reply::json(429, r#"{"detail": "slow down"}"#).with("retry-after", "0"),
        Reply::json(503, r#"{"detail": "overloaded"}"#),
        created(),
    ])
    .await;
    let submitted = client_for(&peer)
        .submit_es_dsl(&submission())
        .await
        .unwrap();
    assert_eq!(submitted.request_id, ID);
    assert_eq!(peer.received().len(), 3);
}

#[tokio::test]
async fn a_post_answered_500_502_or_504_is_uncertain_and_not_resent() {
    for status in [500, 502, 504] {
        let peer = ScriptedPeer::start(vec![Reply::json(status, "oops"), created()]).await;
        let error = client_for(&peer)
            .submit_es_dsl(&submission())
            .await
            .unwrap_err();
        assert!(
            matches!(error, SubmitError::Uncertain { status: Some(s), .. } if s == status),
            "{error:?}"
        );
        assert_eq!(peer.received().len(), 1, "never re-sent after {status}");
    }
}

#[tokio::test]
async fn a_post_whose_connection_broke_or_timed_out_is_uncertain() {
    for reply in [Reply::Hangup, Reply::Stall] {
        let peer = ScriptedPeer::start(vec![reply.clone(), created()]).await;
        let error = client_for(&peer)
            .submit_id_file(&[1], Some("https://example.com/hook"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, SubmitError::Uncertain { status: None, .. }),
            "{reply:?}: {error:?}"
        );
        assert_eq!(peer.received().len(), 1, "{reply:?}: never re-sent");
    }
}

#[tokio::test]
async fn a_post_that_never_connected_is_retried_then_refused() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = ApiClient::new(
        fast_config(&format!("http://127.0.0.1:{port}/cdapi")),
        ApiKey::new(KEY),
        RateLimiter::new(1000),
    )
    .unwrap();
    let error = client.submit_es_dsl(&submission()).await.unwrap_err();
    assert!(
        matches!(error, SubmitError::Rejected(ApiError::Network { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_definite_refusal_keeps_the_detail_and_the_balance() {
    let peer = ScriptedPeer::start(vec![Reply::json(
        409,
        r#"{"detail": "Identical data request is already in progress."}"#,
    )
    .with("x-credits-remaining", "7")])
    .await;
    let client = client_for(&peer);
    let error = client.submit_es_dsl(&submission()).await.unwrap_err();
    assert_eq!(
        error,
        SubmitError::Rejected(ApiError::DuplicateInProgress {
            detail: Some("Identical data request is already in progress.".into())
        })
    );
    assert_eq!(*client.balance().borrow(), Some(7));
}

#[tokio::test]
async fn polling_retries_5xx_and_broken_connections() {
    let peer = ScriptedPeer::start(vec![
        Reply::json(502, ""),
        Reply::Hangup,
        Reply::json(
            200,
            r#"{"data_request_files": ["json/part-00000.json.gz"]}"#,
        ),
    ])
    .await;
    let outcome = client_for(&peer).poll_files(ID).await.unwrap();
    assert_eq!(
        outcome,
        PollOutcome::Ready {
            status: 200,
            files: vec!["json/part-00000.json.gz".into()]
        }
    );
    let received = peer.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[0].method, "GET");
    assert_eq!(
        received[0].target,
        format!("/cdapi/v2/data_requests/{ID}/files")
    );
}

#[tokio::test]
async fn polling_gives_up_after_the_policy_and_keeps_the_last_answer() {
    let peer = ScriptedPeer::start(vec![
        Reply::json(500, "a"),
        Reply::json(503, "b"),
        Reply::json(504, r#"{"detail": "c"}"#),
    ])
    .await;
    let error = client_for(&peer).poll_files(ID).await.unwrap_err();
    assert_eq!(
        error,
        ApiError::Server {
            status: 504,
            detail: Some("c".into())
        }
    );
}

#[tokio::test]
async fn polling_keeps_answering_429_becomes_rate_limited() {
    let peer = ScriptedPeer::start(vec![Reply::json(429, ""); 3]).await;
    let error = client_for(&peer).poll_files(ID).await.unwrap_err();
    assert_eq!(
        error,
        ApiError::RateLimited {
            detail: None,
            retry_after: None
        }
    );
    assert_eq!(peer.received().len(), 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_comes_back_whole_with_the_error() {
    // Two hours asked; the limiter pauses at most the policy's 20 ms, so this test is quick, and the
    // caller still learns the full wait.
    let limited = Reply::json(429, r#"{"detail": "quota"}"#).with("retry-after", "7200");
    let peer = ScriptedPeer::start(vec![limited.clone(), limited.clone(), limited.clone()]).await;
    let error = client_for(&peer).poll_files(ID).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7200)));
    assert_eq!(error.detail(), Some("quota"));
    assert_eq!(peer.received().len(), 3);

    // The same for a submission: the 429 created nothing, and the wait is not lost.
    let peer = ScriptedPeer::start(vec![limited.clone(), limited.clone(), limited]).await;
    let error = client_for(&peer)
        .submit_es_dsl(&submission())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            SubmitError::Rejected(ApiError::RateLimited { retry_after: Some(wait), .. })
                if *wait == Duration::from_secs(7200)
        ),
        "{error:?}"
    );
}

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
async fn estimate_posts_the_bare_body_and_reads_the_total() {
    let peer = ScriptedPeer::start(vec![Reply::json(200, "[1, 2]")
        .with("x-total-results", "4321")
        .with("x-credits-remaining", "100")])
    .await;
    let body = json!({"query": {"match_all": {}}});
    let estimate = client_for(&peer).estimate(&body).await.unwrap();
    assert_eq!(
        estimate,
        Estimate {
            total_results: 4321,
            credits_remaining: Some(100)
        }
    );
    let [request] = peer.received().try_into().unwrap();
    assert_eq!(request.target, "/cdapi/v2/employee_clean/search/es_dsl");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
        body
    );
}

#[tokio::test]
async fn file_names_with_slashes_are_encoded_per_segment() {
    let data = Arc::new(b"abc".to_vec());
    let peer = ScriptedPeer::start(vec![Reply::File {
        data,
        honour_range: true,
        cut_after: None,
    }])
    .await;
    let mut file = client_for(&peer)
        .open_file(ID, "json/part 1?x#y.json.gz", 0)
        .await
        .unwrap();
    assert_eq!(
        (file.status, file.start_offset, file.total_len),
        (200, 0, Some(3))
    );
    assert_eq!(
        file.next_chunk().await.unwrap().as_deref(),
        Some(&b"abc"[..])
    );
    let [request] = peer.received().try_into().unwrap();
    assert_eq!(
        request.target,
        format!("/cdapi/v2/data_requests/{ID}/files/json/part%201%3Fx%23y.json.gz")
    );
    assert_eq!(request.header("range"), None);
}

#[tokio::test]
async fn open_file_resumes_with_range() {
    let data = Arc::new(b"0123456789".to_vec());
    let peer = ScriptedPeer::start(vec![Reply::File {
        data,
        honour_range: true,
        cut_after: None,
    }])
    .await;
    let mut file = client_for(&peer).open_file(ID, "f.gz", 4).await.unwrap();
    assert!(file.resumed());
    assert_eq!((file.start_offset, file.total_len), (4, Some(10)));
    assert_eq!(
        file.next_chunk().await.unwrap().as_deref(),
        Some(&b"456789"[..])
    );
    assert_eq!(peer.received()[0].header("range"), Some("bytes=4-"));
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

#[tokio::test]
async fn a_submission_is_sent_only_while_its_gate_is_open_checked_before_every_send() {
    // Closed from the start: nothing leaves.
    let peer = ScriptedPeer::start(vec![created()]).await;
    let error = client_for(&peer)
        .with_send_gate(|| false)
        .submit_es_dsl(&submission())
        .await
        .unwrap_err();
    assert!(matches!(error, SubmitError::Withheld), "{error:?}");
    assert!(peer.received().is_empty());

    // Closed after a 429 (a paused sender whose lease was taken meanwhile): not sent again.
    let limited = Reply::json(429, r#"{"detail": "slow down"}"#);
    let peer = ScriptedPeer::start(vec![limited, created()]).await;
    let checks = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let seen = Arc::clone(&checks);
    let error = client_for(&peer)
        .with_send_gate(move || seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0)
        .submit_id_file(&[1, 2], None)
        .await
        .unwrap_err();
    assert!(matches!(error, SubmitError::Withheld), "{error:?}");
    assert_eq!(peer.received().len(), 1);
    assert_eq!(checks.load(std::sync::atomic::Ordering::SeqCst), 2);
}
