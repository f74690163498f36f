//! Retries: a POST is sent again only after a 429 or 503 or when it never connected, otherwise it
//! is uncertain; polls retry 5xx and broken connections, give up by the policy, keep a long wait.

use super::*;

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
