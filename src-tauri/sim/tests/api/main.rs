//! The simulator over real HTTP, as a client sees it.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod faults;
mod searches;
mod submits;

use coresignal_sim::{
    Endpoint, Faults, PendingStyle, RequestState, SimConfig, Simulator, DEFAULT_PRACTICE_KEY as KEY,
};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::io::Read;
use std::time::Duration;

async fn sim(tweak: impl FnOnce(&mut SimConfig)) -> Simulator {
    let mut config = SimConfig {
        processing_time: Duration::ZERO,
        ..SimConfig::default()
    };
    tweak(&mut config);
    Simulator::start(config).await.unwrap()
}

fn python() -> Value {
    serde_json::from_str(include_str!("../fixtures/query-python.json")).unwrap()
}

fn bulk(es: Value) -> Value {
    json!({ "es_dsl_query": es, "data_format": "json" })
}

/// Percent-encodes everything but unreserved characters (so `/`, `\` and `..` survive URL parsing).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn gunzip(bytes: &[u8]) -> std::io::Result<String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text)?;
    Ok(text)
}

fn header(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

struct Api {
    http: Client,
    base: String,
    key: String,
}

impl Api {
    fn new(sim: &Simulator) -> Api {
        Api {
            http: Client::new(),
            base: sim.base_url(),
            key: KEY.to_string(),
        }
    }

    async fn post(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("apikey", &self.key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header("apikey", &self.key)
            .send()
            .await
            .unwrap()
    }

    async fn submit(&self, body: &Value) -> String {
        let res = self
            .post("/v2/data_requests/employee_clean/es_dsl", body)
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let id = res.json::<Value>().await.unwrap()["request_id"]
            .as_str()
            .unwrap()
            .to_string();
        id
    }

    async fn id_file(&self, content: &str) -> Response {
        let part = reqwest::multipart::Part::text(content.to_string())
            .file_name("ids.csv")
            .mime_str("text/csv")
            .unwrap();
        let form = reqwest::multipart::Form::new()
            .part("ids_file", part)
            .text("data_format", "json");
        self.http
            .post(format!(
                "{}/v2/data_requests/employee_clean/id_file",
                self.base
            ))
            .header("apikey", &self.key)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    async fn files(&self, id: &str) -> Response {
        self.get(&format!("/v2/data_requests/{id}/files")).await
    }

    async fn ready_files(&self, id: &str) -> Vec<String> {
        let res = self.files(id).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        body["data_request_files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    }

    async fn download(&self, id: &str, name: &str, range: Option<&str>) -> Response {
        let mut req = self
            .http
            .get(format!(
                "{}/v2/data_requests/{id}/files/{}",
                self.base,
                enc(name)
            ))
            .header("apikey", &self.key);
        if let Some(r) = range {
            req = req.header("range", r);
        }
        req.send().await.unwrap()
    }

    /// Downloads every listed file and returns all records.
    async fn records(&self, id: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for name in self.ready_files(id).await {
            let res = self.download(id, &name, None).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(
                header(&res, "content-type").as_deref(),
                Some("application/gzip")
            );
            assert!(header(&res, "content-encoding").is_none());
            assert_eq!(header(&res, "accept-ranges").as_deref(), Some("bytes"));
            let text = gunzip(&res.bytes().await.unwrap()).unwrap();
            out.extend(
                text.lines()
                    .map(|l| serde_json::from_str::<Value>(l).unwrap()),
            );
        }
        out
    }

    async fn total(&self, es: &Value) -> usize {
        let res = self.post("/v2/employee_clean/search/es_dsl", es).await;
        assert_eq!(res.status(), StatusCode::OK);
        header(&res, "x-total-results").unwrap().parse().unwrap()
    }
}

async fn detail(res: Response) -> String {
    res.json::<Value>().await.unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string()
}
