//! Credits as a client sees them: a simulator charging 10 a record (and 10 a preview) reports the
//! balance in `x-credits-remaining` on every answer, errors included, before and after the charge.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY as KEY};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

const START: i64 = 1_000;

/// Sends `request` with the key; returns its status, its balance header and its body.
async fn send(request: RequestBuilder) -> (StatusCode, Option<i64>, Value) {
    let res = request.header("apikey", KEY).send().await.unwrap();
    let status = res.status();
    let balance = res
        .headers()
        .get("x-credits-remaining")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let bytes = res.bytes().await.unwrap();
    (
        status,
        balance,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn ten_credits_a_record_and_the_balance_on_every_answer() {
    let sim = Simulator::start(SimConfig {
        api_keys: vec![(KEY.to_string(), START)],
        credits_per_record: 10,
        preview_credits: 10,
        processing_time: Duration::ZERO,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (http, base) = (Client::new(), sim.base_url());
    let query: Value = serde_json::from_str(include_str!("fixtures/query-python.json")).unwrap();
    let search = format!("{base}/v2/employee_clean/search/es_dsl");

    let (status, balance, _) = send(http.post(&search).json(&query)).await;
    assert_eq!(
        (status, balance),
        (StatusCode::OK, Some(START)),
        "search is free"
    );
    let (status, balance, people) = send(http.post(format!("{search}/preview")).json(&query)).await;
    assert_eq!((status, balance), (StatusCode::OK, Some(START - 10)));
    assert_eq!(people.as_array().unwrap().len(), 20);

    let body = json!({"es_dsl_query": query, "data_format": "json", "limit": 5});
    let submit = format!("{base}/v2/data_requests/employee_clean/es_dsl");
    let (status, balance, created) = send(http.post(&submit).json(&body)).await;
    assert_eq!((status, balance), (StatusCode::CREATED, Some(START - 10)));
    let (status, balance, _) = send(http.post(&submit).body("{not json")).await;
    assert_eq!(
        (status, balance),
        (StatusCode::BAD_REQUEST, Some(START - 10))
    );

    let id = created["request_id"].as_str().unwrap();
    let (status, balance, files) =
        send(http.get(format!("{base}/v2/data_requests/{id}/files"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        balance,
        Some(START - 10 - 50),
        "5 records × 10, on the answer that lists them"
    );
    let file = files["data_request_files"][0].as_str().unwrap();
    let (status, balance, _) =
        send(http.get(format!("{base}/v2/data_requests/{id}/files/{file}"))).await;
    assert_eq!((status, balance), (StatusCode::OK, Some(START - 60)));
    let (status, balance, _) =
        send(http.get(format!("{base}/v2/data_requests/nonexistent/files"))).await;
    assert_eq!((status, balance), (StatusCode::NOT_FOUND, Some(START - 60)));
    assert_eq!(sim.credits(KEY), Some(START - 60));
    sim.shutdown().await;
}
