//! A `coresignal-sim` process for Live mode, with its `/_sim` admin API.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use bulk_collect_tests::workspace_binary;

/// A `coresignal-sim` process on a free loopback port (Live mode's "Coresignal"), ended on drop.
pub struct ExternalSim {
    child: Child,
    origin: String,
    http: reqwest::Client,
}

impl ExternalSim {
    /// Starts the simulator binary with `args` (e.g. `["--processing-ms", "60000"]`) and waits for
    /// its "listening on …" line.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(workspace_binary("coresignal-sim"))
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("coresignal-sim starts");
        let stdout = child.stdout.take().expect("the simulator's output");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the simulator prints its address");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from coresignal-sim: {line:?}"));
        let origin = base
            .strip_suffix("/cdapi")
            .unwrap_or_else(|| panic!("unexpected address from coresignal-sim: {base:?}"))
            .to_owned();
        Self {
            child,
            origin,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("an HTTP client"),
        }
    }

    /// The service address the app uses (`BULK_COLLECT_API_BASE`).
    pub fn api_base(&self) -> String {
        format!("{}/cdapi", self.origin)
    }

    /// `PUT /_sim/credits/{key}`.
    pub async fn set_credits(&self, key: &str, credits: i64) {
        self.admin(
            self.http
                .put(format!("{}/_sim/credits/{key}", self.origin))
                .json(&json!({ "credits": credits })),
        )
        .await;
    }

    /// `PUT /_sim/faults`: the faults to switch on (fields left out are off).
    pub async fn set_faults(&self, faults: Value) {
        self.admin(
            self.http
                .put(format!("{}/_sim/faults", self.origin))
                .json(&faults),
        )
        .await;
    }

    /// `POST /_sim/clock/advance`.
    pub async fn advance_clock(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).expect("a test-sized duration");
        self.admin(
            self.http
                .post(format!("{}/_sim/clock/advance", self.origin))
                .json(&json!({ "ms": ms })),
        )
        .await;
    }

    /// `GET /_sim/requests`: every data request the service received.
    pub async fn requests(&self) -> Vec<Value> {
        let answer = self
            .admin(self.http.get(format!("{}/_sim/requests", self.origin)))
            .await;
        serde_json::from_value(answer).expect("a list of requests")
    }

    async fn admin(&self, request: reqwest::RequestBuilder) -> Value {
        let answer = request
            .send()
            .await
            .expect("the simulator's admin API answers");
        assert!(
            answer.status().is_success(),
            "the simulator's admin API: {}",
            answer.status()
        );
        answer.json().await.expect("JSON from the admin API")
    }
}

impl Drop for ExternalSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
