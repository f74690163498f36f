//! A simulator with a data folder keeps its state across a restart, over real HTTP.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use coresignal_sim::{RequestState, SimConfig, Simulator, DEFAULT_PRACTICE_KEY as KEY};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const DAY: Duration = Duration::from_secs(24 * 3600);

/// A fresh folder, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new() -> Folder {
        let dir =
            std::env::temp_dir().join(format!("coresignal-sim-restart-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }

    fn names(&self) -> Vec<String> {
        std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn sim(dir: &Path, processing: Duration, keys: &[(&str, i64)]) -> Simulator {
    Simulator::start(SimConfig {
        processing_time: processing,
        api_keys: keys.iter().map(|(k, c)| (k.to_string(), *c)).collect(),
        corpus_size: 2_000,
        data_dir: Some(dir.to_path_buf()),
        control_routes: true,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn match_all(limit: u32) -> Value {
    json!({
        "es_dsl_query": {"query": {"match_all": {}}},
        "limit": limit,
        "data_format": "json"
    })
}

async fn submit(sim: &Simulator, body: &Value) -> reqwest::Response {
    Client::new()
        .post(format!(
            "{}/v2/data_requests/employee_clean/es_dsl",
            sim.base_url()
        ))
        .header("apikey", KEY)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn files(sim: &Simulator, id: &str) -> reqwest::Response {
    Client::new()
        .get(format!("{}/v2/data_requests/{id}/files", sim.base_url()))
        .header("apikey", KEY)
        .send()
        .await
        .unwrap()
}

/// Polls until the request is ready (at most 10 s) and returns its file names.
async fn ready_files(sim: &Simulator, id: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let res = files(sim, id).await;
        if res.status() == StatusCode::OK {
            let body: Value = res.json().await.unwrap();
            return serde_json::from_value(body["data_request_files"].clone()).unwrap();
        }
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        assert!(Instant::now() < deadline, "never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Downloads `name` and returns its number of JSON lines.
async fn line_count(sim: &Simulator, id: &str, name: &str) -> usize {
    let url = reqwest::Url::parse(&format!(
        "{}/v2/data_requests/{id}/files/{name}",
        sim.base_url()
    ))
    .unwrap();
    let res = Client::new()
        .get(url)
        .header("apikey", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    text.lines().count()
}

#[tokio::test]
async fn a_processing_request_survives_a_restart_and_delivers() {
    let dir = Folder::new();
    let processing = Duration::from_millis(1_500);
    let first = sim(&dir.0, processing, &[(KEY, 1_000_000)]).await;
    first.set_credits(KEY, 100);
    let res = submit(&first, &match_all(5)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = first.requests();
    first.shutdown().await;

    // The configured balance (1,000,000) loses to the saved one (100); a new key keeps its own.
    let second = sim(&dir.0, processing, &[(KEY, 1_000_000), ("new-key", 7)]).await;
    assert_eq!(second.requests(), before);
    assert_eq!(second.credits(KEY), Some(100));
    assert_eq!(second.credits("new-key"), Some(7));
    let res = files(&second, &id).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED, "not ready yet");
    let res = submit(&second, &match_all(5)).await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "still identical in progress"
    );
    let names = ready_files(&second, &id).await;
    assert_eq!(names.len(), 1);
    assert_eq!(line_count(&second, &id, &names[0]).await, 5);
    assert_eq!(second.credits(KEY), Some(95));
    second.shutdown().await;

    // Settled and charged once: a third simulator lists the same files and charges nothing more.
    let third = sim(&dir.0, processing, &[(KEY, 1_000_000)]).await;
    let info = &third.requests()[0];
    assert_eq!(
        (info.state, info.charged, info.record_count),
        (RequestState::Ready, 5, 5)
    );
    assert_eq!(ready_files(&third, &id).await, names);
    assert_eq!(line_count(&third, &id, &names[0]).await, 5);
    assert_eq!(third.credits(KEY), Some(95));
    third.shutdown().await;
}

#[tokio::test]
async fn clock_advances_persist_and_expire_across_restarts() {
    let dir = Folder::new();
    let first = sim(&dir.0, Duration::ZERO, &[(KEY, 1_000)]).await;
    let res = submit(&first, &match_all(2)).await;
    let id = res.json::<Value>().await.unwrap()["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let names = ready_files(&first, &id).await;
    first.advance_clock(29 * DAY);
    first.shutdown().await;

    let second = sim(&dir.0, Duration::ZERO, &[(KEY, 1_000)]).await;
    assert_eq!(
        ready_files(&second, &id).await,
        names,
        "29 days: still there"
    );
    second.advance_clock(2 * DAY);
    second.shutdown().await;

    let third = sim(&dir.0, Duration::ZERO, &[(KEY, 1_000)]).await;
    let res = files(&third, &id).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "31 days: expired");
    assert_eq!(third.requests()[0].state, RequestState::Expired);
    let now = third.requests()[0].created_at_ms + 31 * 86_400_000;
    let clock: Value = common::get_json(third.base_url().replace("/cdapi", "/_sim/clock")).await;
    assert!(clock["now_ms"].as_u64().unwrap() >= now);
    third.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_state_file_is_kept_aside_and_the_simulator_starts_fresh() {
    for content in ["{\"version\": 1, \"credits\": tru", "{\"version\": 99}"] {
        let dir = Folder::new();
        std::fs::write(dir.0.join("state.json"), content).unwrap();
        let sim = sim(&dir.0, Duration::ZERO, &[(KEY, 1_000)]).await;
        assert_eq!(sim.credits(KEY), Some(1_000));
        assert!(sim.requests().is_empty());
        let aside: Vec<String> = dir
            .names()
            .into_iter()
            .filter(|n| n.starts_with("state.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{content}");
        let kept = std::fs::read_to_string(dir.0.join(&aside[0])).unwrap();
        assert_eq!(kept, content);

        // It saves a fresh, valid file from the first change on.
        sim.set_credits(KEY, 3);
        let saved: Value =
            serde_json::from_slice(&std::fs::read(dir.0.join("state.json")).unwrap()).unwrap();
        assert_eq!(saved["version"], 1);
        assert_eq!(saved["credits"][KEY], 3);
        sim.shutdown().await;
    }
}
