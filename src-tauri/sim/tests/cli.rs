//! The `coresignal-sim` binary: prints its URL, serves, stops on SIGTERM.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn binary_prints_url_serves_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("coresignal-sim-cli-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_coresignal-sim"))
        .args([
            "--port",
            "0",
            "--keys",
            "k1=5,k2=7",
            "--corpus-size",
            "500",
            "--processing-ms",
            "0",
        ])
        .arg("--data-dir")
        .arg(&dir)
        .args([
            "--pending-style",
            "empty-list",
            "--faults",
            r#"{"rate_limit_storm": 1}"#,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/cdapi"),
        "{line}"
    );

    let http = reqwest::Client::new();
    let admin = base.replace("/cdapi", "/_sim");
    let credits: serde_json::Value = common::get_json(format!("{admin}/credits")).await;
    assert_eq!(credits, serde_json::json!({ "k1": 5, "k2": 7 }));
    let res = http
        .get(format!("{base}/v2/data_requests/x/files"))
        .header("apikey", "k1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let res = http
        .get(format!("{base}/v2/data_requests/x/files"))
        .header("apikey", "k1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
    assert!(dir.exists(), "a given data folder is kept");
    std::fs::remove_dir_all(dir).unwrap();
}
