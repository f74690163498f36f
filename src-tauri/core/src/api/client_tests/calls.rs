//! What each call sends and reads: the contract's bodies and headers, a definite refusal's detail
//! and balance, the estimate's total, file names and ranges, and the gate checked before a send.

use super::*;

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
