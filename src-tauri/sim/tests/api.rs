//! The simulator over real HTTP, as a client sees it.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

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
    serde_json::from_str(include_str!("fixtures/query-python.json")).unwrap()
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

#[tokio::test]
async fn es_dsl_happy_path_poll_download_count() {
    let sim = sim(|c| {
        c.processing_time = Duration::from_secs(3600);
        c.records_per_file = 700;
    })
    .await;
    let api = Api::new(&sim);
    let total = api.total(&python()).await;
    assert!((200..10_000).contains(&total), "{total}");

    let res = api
        .post("/v2/data_requests/employee_clean/es_dsl", &bulk(python()))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = header(&res, "location").unwrap();
    assert!(header(&res, "x-credits-remaining").is_some());
    assert_eq!(
        header(&res, "x-ratelimit-limit-second").as_deref(),
        Some("27")
    );
    let id = res.json::<Value>().await.unwrap()["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(location, format!("/v2/data_requests/{id}/files"));

    let pending = api.files(&id).await;
    assert_eq!(pending.status(), StatusCode::ACCEPTED);
    assert_eq!(
        pending.json::<Value>().await.unwrap()["message"],
        "Data request is still being processed"
    );

    let before = sim.credits(KEY).unwrap();
    sim.advance_clock(Duration::from_secs(3600));
    let names = api.ready_files(&id).await;
    assert_eq!(names.len(), total.div_ceil(700));
    assert!(names
        .iter()
        .all(|n| n.starts_with("json/part-") && n.ends_with("-c000.json.gz")));
    let records = api.records(&id).await;
    assert_eq!(records.len(), total);
    assert!(records
        .iter()
        .all(|r| r["experience"].is_array() && r["id"].is_u64()));
    assert_eq!(sim.credits(KEY).unwrap(), before - total as i64);
    // Polling again neither charges again nor changes the list.
    assert_eq!(api.ready_files(&id).await, names);
    assert_eq!(sim.credits(KEY).unwrap(), before - total as i64);
    let info = &sim.requests()[0];
    assert_eq!(
        (info.state, info.record_count, info.charged),
        (RequestState::Ready, total, total as i64)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn variants_top_level_query_200_location_only_and_pending_styles() {
    let sim = sim(|c| {
        c.created_status = 200;
        c.request_id_in_body = false;
        c.pending_style = PendingStyle::EmptyList;
        c.processing_time = Duration::from_secs(60);
    })
    .await;
    let api = Api::new(&sim);
    let body = json!({ "query": { "match": { "job_title": "nurse" } }, "limit": 5, "webhook_url": "https://example.com/hook" });
    let res = api
        .post("/v2/data_requests/employee_clean/es_dsl", &body)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let location = header(&res, "location").unwrap();
    assert!(res
        .json::<Value>()
        .await
        .unwrap()
        .get("request_id")
        .is_none());
    let id = location
        .trim_start_matches("/v2/data_requests/")
        .trim_end_matches("/files")
        .to_string();
    let pending = api.files(&id).await;
    assert_eq!(pending.status(), StatusCode::OK);
    assert_eq!(
        pending.json::<Value>().await.unwrap(),
        json!({ "data_request_files": [] })
    );
    sim.advance_clock(Duration::from_secs(60));
    assert_eq!(api.records(&id).await.len(), 5);
    assert_eq!(
        sim.requests()[0].webhook_url.as_deref(),
        Some("https://example.com/hook")
    );
    sim.shutdown().await;

    let sim = sim_message_style().await;
    let api = Api::new(&sim);
    let id = api.submit(&bulk(python())).await;
    let pending = api.files(&id).await;
    assert_eq!(pending.status(), StatusCode::OK);
    assert_eq!(
        pending.json::<Value>().await.unwrap()["message"],
        "Data request is still being processed"
    );
    sim.shutdown().await;
}

async fn sim_message_style() -> Simulator {
    sim(|c| {
        c.pending_style = PendingStyle::Message;
        c.processing_time = Duration::from_secs(60);
    })
    .await
}

#[tokio::test]
async fn id_file_valid_too_many_and_bad_content() {
    let sim = sim(|_| {}).await;
    let api = Api::new(&sim);
    let valid = include_str!("fixtures/ids-valid.csv");
    let res = api.id_file(valid).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let records = api.records(&id).await;
    let mut want: Vec<u64> = valid.lines().map(|l| l.trim().parse().unwrap()).collect();
    want.sort_unstable();
    want.dedup();
    let mut got: Vec<u64> = records.iter().map(|r| r["id"].as_u64().unwrap()).collect();
    got.sort_unstable();
    assert_eq!(got, want);

    let over: String = (1..=10_001).map(|i| format!("{i}\n")).collect();
    let res = api.id_file(&over).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        detail(res).await,
        "File contains too many IDs. Maximum is 10,000 IDs"
    );
    let res = api.id_file("id\n123\n").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(detail(res).await.contains("non-numeric"));
    assert_eq!(sim.requests().len(), 1, "rejected files create nothing");

    // An id file of ids that do not exist matches nothing: 404 on /files, nothing charged.
    let before = sim.credits(KEY).unwrap();
    let res = api.id_file("0\n1000000000\n").await;
    let id = res.json::<Value>().await.unwrap()["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = api.files(&id).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(detail(res).await, "Request did not find any matching IDs");
    assert_eq!(sim.credits(KEY).unwrap(), before);
    sim.shutdown().await;
}

#[tokio::test]
async fn identical_es_dsl_in_progress_is_409() {
    let sim = sim(|c| c.processing_time = Duration::from_secs(600)).await;
    let api = Api::new(&sim);
    api.submit(&bulk(python())).await;
    let res = api
        .post("/v2/data_requests/employee_clean/es_dsl", &bulk(python()))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(
        detail(res).await,
        "Identical data request is already in progress."
    );
    // Another limit is another request; once the first is done, the same body is accepted again.
    let mut limited = bulk(python());
    limited["limit"] = json!(10);
    api.submit(&limited).await;
    sim.advance_clock(Duration::from_secs(600));
    api.submit(&bulk(python())).await;
    assert_eq!(sim.requests().len(), 3);
    assert_eq!(sim.count_calls(Endpoint::SubmitEsDsl), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn insufficient_credits_then_top_up() {
    let sim = sim(|c| {
        c.api_keys = vec![(KEY.to_string(), 10)];
        c.credits_per_record = 2;
    })
    .await;
    let api = Api::new(&sim);
    let mut body = bulk(python());
    body["limit"] = json!(50);
    let id = api.submit(&body).await;
    let res = api.files(&id).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    assert_eq!(header(&res, "x-credits-remaining").as_deref(), Some("10"));
    assert_eq!(detail(res).await, "Insufficient credits");
    assert_eq!(sim.requests()[0].state, RequestState::InsufficientCredits);
    sim.set_credits(KEY, 1000);
    assert_eq!(api.records(&id).await.len(), 50);
    assert_eq!(sim.credits(KEY), Some(900));
    api.ready_files(&id).await;
    assert_eq!(sim.credits(KEY), Some(900));
    sim.shutdown().await;
}

#[tokio::test]
async fn too_many_matches_and_no_match() {
    let sim = sim(|c| c.no_match_status = 422).await;
    let api = Api::new(&sim);
    let all = json!({ "query": { "match_all": {} } });
    assert!(api.total(&all).await > 10_000);
    let id = api.submit(&bulk(all.clone())).await;
    let res = api.files(&id).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        detail(res).await,
        "Request matched too many IDs. Maximum is 10,000 IDs"
    );
    let mut limited = bulk(all);
    limited["limit"] = json!(3);
    let id = api.submit(&limited).await;
    assert_eq!(api.records(&id).await.len(), 3);

    let none = bulk(json!({ "query": { "term": { "full_name.exact": "Nobody At All" } } }));
    let id = api.submit(&none).await;
    let res = api.files(&id).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(detail(res).await, "Request did not find any matching IDs");
    sim.shutdown().await;
}

#[tokio::test]
async fn validation_auth_and_wrong_paths() {
    let sim = sim(|_| {}).await;
    let api = Api::new(&sim);
    let submit = "/v2/data_requests/employee_clean/es_dsl";
    let cases = [
        (
            json!({ "es_dsl_query": { "query": { "match": { "experience.title": "x" } } } }),
            400,
            "experience.title",
        ),
        (
            json!({ "es_dsl_query": { "query": { "fuzzy": { "job_title": "x" } } } }),
            400,
            "fuzzy",
        ),
        (
            json!({ "es_dsl_query": { "query": { "match_all": {} } }, "limit": 0 }),
            422,
            "limit",
        ),
        (
            json!({ "es_dsl_query": { "query": { "match_all": {} } }, "limit": 10_001 }),
            422,
            "limit",
        ),
        (
            json!({ "es_dsl_query": { "query": { "match_all": {} } }, "webhook_url": "http://x.com" }),
            422,
            "webhook_url",
        ),
        (json!({ "data_format": "json" }), 422, "es_dsl_query"),
    ];
    for (body, status, word) in cases {
        let res = api.post(submit, &body).await;
        assert_eq!(res.status().as_u16(), status, "{body}");
        assert!(detail(res).await.contains(word), "{body}");
    }
    let res = api
        .http
        .post(format!("{}{submit}", api.base))
        .header("apikey", KEY)
        .header("content-type", "application/json")
        .body(include_str!("fixtures/query-malformed.json").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(detail(res).await.starts_with("Invalid JSON"));

    let anon = Client::new();
    let res = anon
        .get(format!("{}/v2/data_requests/x/files", api.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(detail(res).await, "No valid API key was provided");
    let res = anon
        .get(format!("{}/v2/data_requests/x/files", api.base))
        .header("apikey", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = api
        .get("/v2/data_requests/00000000-0000-0000-0000-000000000000/files")
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = api.get("/v1/bulk_collect/x/files").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.json::<Value>().await.unwrap()["detail"].is_string());
    let res = api.get(submit).await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.json::<Value>().await.unwrap()["detail"].is_string());
    assert!(sim.requests().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_and_storm() {
    let sim = sim(|c| {
        c.rate_limit_per_second = 3;
        c.send_retry_after = true;
    })
    .await;
    let api = Api::new(&sim);
    let path = "/v2/data_requests/nope/files";
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(api.get(path).await.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let res = api.get(path).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        header(&res, "x-ratelimit-remaining-second").as_deref(),
        Some("0")
    );
    assert!(header(&res, "retry-after").is_some());
    assert_eq!(detail(res).await, "Too many requests");
    // Another endpoint has its own bucket; a storm hits everything.
    assert!(api.total(&python()).await > 0);
    sim.set_faults(Faults {
        rate_limit_storm: 2,
        ..Faults::default()
    });
    let search = "/v2/employee_clean/search/es_dsl";
    assert_eq!(
        api.post(search, &python()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        api.post(search, &python()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(api.post(search, &python()).await.status(), StatusCode::OK);
    sim.shutdown().await;
}

#[tokio::test]
async fn range_resume_and_connection_cut() {
    let sim = sim(|_| {}).await;
    let api = Api::new(&sim);
    let id = api.submit(&bulk(python())).await;
    let name = api.ready_files(&id).await.remove(0);
    let full = api.download(&id, &name, None).await.bytes().await.unwrap();
    let len = full.len();
    assert!(len > 10_000);

    let res = api.download(&id, &name, Some("bytes=1000-")).await;
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header(&res, "content-range").unwrap(),
        format!("bytes 1000-{}/{len}", len - 1)
    );
    assert_eq!(res.bytes().await.unwrap(), full.slice(1000..));
    let res = api.download(&id, &name, Some("bytes=10-19")).await;
    assert_eq!(header(&res, "content-length").as_deref(), Some("10"));
    assert_eq!(res.bytes().await.unwrap(), full.slice(10..20));
    let res = api
        .download(&id, &name, Some(&format!("bytes={len}-")))
        .await;
    assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        header(&res, "content-range").unwrap(),
        format!("bytes */{len}")
    );

    // Cut once after 5,000 bytes: the first attempt breaks, a resume completes the file.
    sim.set_faults(Faults {
        cut_download_after: Some(5_000),
        cut_download_times: Some(1),
        ..Faults::default()
    });
    let res = api.download(&id, &name, None).await;
    assert_eq!(header(&res, "content-length").unwrap(), len.to_string());
    let mut got = Vec::new();
    let mut res = res;
    let broke = loop {
        match res.chunk().await {
            Ok(Some(c)) => got.extend_from_slice(&c),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(broke);
    assert_eq!(got.len(), 5_000);
    let rest = api
        .download(&id, &name, Some(&format!("bytes={}-", got.len())))
        .await;
    got.extend_from_slice(&rest.bytes().await.unwrap());
    assert_eq!(got, full.to_vec());
    assert!(gunzip(&got).is_ok());
    sim.shutdown().await;
}

#[tokio::test]
async fn hostile_names_truncation_and_lost_posts() {
    let sim = sim(|c| c.records_per_file = 1).await;
    let api = Api::new(&sim);
    sim.set_faults(Faults {
        hostile_file_names: true,
        ..Faults::default()
    });
    let mut body = bulk(python());
    body["limit"] = json!(3);
    let id = api.submit(&body).await;
    let names = api.ready_files(&id).await;
    assert!(
        names[0].starts_with("../")
            && names[1].starts_with("/tmp/")
            && names[2].starts_with("..\\..\\"),
        "{names:?}"
    );
    assert_eq!(api.records(&id).await.len(), 3);

    sim.set_faults(Faults {
        truncate_files: true,
        ..Faults::default()
    });
    let bytes = api
        .download(&id, &names[0], None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(gunzip(&bytes).is_err());

    // 502 after creating: the request exists; 503: nothing was created.
    sim.set_faults(Faults {
        submit_lost: 1,
        submit_unavailable: 1,
        ..Faults::default()
    });
    body["limit"] = json!(4);
    let res = api
        .post("/v2/data_requests/employee_clean/es_dsl", &body)
        .await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sim.requests().len(), 1);
    let res = api
        .post("/v2/data_requests/employee_clean/es_dsl", &body)
        .await;
    assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(sim.requests().len(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn random_errors_are_seeded_and_delays_apply() {
    let sim = sim(|c| c.faults.error_rate.status = 1.0).await;
    let api = Api::new(&sim);
    let res = api.get("/v2/data_requests/x/files").await;
    assert!(res.status().is_server_error());
    assert!(res.json::<Value>().await.unwrap()["detail"].is_string());
    sim.set_faults(Faults {
        delay_ms: coresignal_sim::PerGroup {
            status: 300,
            ..Default::default()
        },
        ..Faults::default()
    });
    let started = std::time::Instant::now();
    assert_eq!(
        api.get("/v2/data_requests/x/files").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    sim.shutdown().await;
}

#[tokio::test]
async fn search_pages_preview_and_expiry() {
    let sim = sim(|c| {
        c.preview_credits = 5;
        c.api_keys = vec![(KEY.to_string(), 7)];
    })
    .await;
    let api = Api::new(&sim);
    let search = "/v2/employee_clean/search/es_dsl";
    let res = api
        .post(&format!("{search}?items_per_page=100"), &python())
        .await;
    let total: usize = header(&res, "x-total-results").unwrap().parse().unwrap();
    assert_eq!(
        header(&res, "x-total-pages").unwrap(),
        total.div_ceil(100).to_string()
    );
    assert_eq!(header(&res, "x-items-per-page").as_deref(), Some("100"));
    let after = header(&res, "x-next-page-after").unwrap();
    let first: Vec<u64> = res.json().await.unwrap();
    assert_eq!(first.len(), 100);
    assert_eq!(first.last().unwrap().to_string(), after);
    let second: Vec<u64> = api
        .post(
            &format!("{search}?items_per_page=100&after={after}"),
            &python(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(second[0] > first[99]);
    let res = api.post(search, &python()).await;
    assert!(res.json::<Vec<u64>>().await.unwrap().len() <= 1000);
    assert_eq!(sim.credits(KEY), Some(7), "search is free");

    let res = api.post(&format!("{search}/preview"), &python()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let rows: Vec<Value> = res.json().await.unwrap();
    assert_eq!(rows.len(), 20);
    for field in [
        "id",
        "full_name",
        "headline",
        "job_title",
        "company_name",
        "location_country",
        "websites_professional_network",
    ] {
        assert!(rows[0].get(field).is_some(), "{field}");
    }
    assert!(rows[0].get("experience").is_none());
    assert_eq!(sim.credits(KEY), Some(2));
    assert_eq!(
        api.post(&format!("{search}/preview"), &python())
            .await
            .status(),
        StatusCode::PAYMENT_REQUIRED
    );

    sim.set_credits(KEY, 1000);
    let mut body = bulk(python());
    body["limit"] = json!(2);
    let id = api.submit(&body).await;
    let name = api.ready_files(&id).await.remove(0);
    sim.advance_clock(Duration::from_secs(31 * 24 * 3600));
    assert_eq!(api.files(&id).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        api.download(&id, &name, None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(sim.requests()[0].state, RequestState::Expired);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_simulator_started_as_the_app_starts_it_serves_no_control_route() {
    // The app's Practice mode starts its simulator from `SimConfig::default()`.
    let sim = sim(|_| {}).await;
    let origin = format!("http://{}", sim.addr());
    let http = Client::new();
    let attempts = [
        http.get(format!("{origin}/_sim/health")),
        http.put(format!("{origin}/_sim/credits/{KEY}"))
            .json(&json!({ "credits": 999 })),
        http.put(format!("{origin}/_sim/faults"))
            .json(&json!({ "rate_limit_storm": 1 })),
        http.post(format!("{origin}/_sim/clock/advance"))
            .json(&json!({ "days": 40 })),
        http.post(format!("{origin}/_sim/fixtures/big-file"))
            .json(&json!({ "key": KEY, "min_bytes": 1_000_000_000u64 })),
        http.get(format!("{origin}/_sim/requests")),
    ];
    let credits = sim.credits(KEY);
    for attempt in attempts {
        let answer = attempt.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{}", answer.url());
    }
    assert_eq!(sim.credits(KEY), credits, "nothing changed");
    assert!(sim.requests().is_empty(), "no file was written");
    assert_eq!(sim.faults(), Faults::default());
    sim.shutdown().await;
}

#[tokio::test]
async fn admin_api_and_big_file() {
    let sim = sim(|config| config.control_routes = true).await;
    let admin = format!("http://{}/_sim", sim.addr());
    let http = Client::new();
    let faults: Value = http
        .put(format!("{admin}/faults"))
        .json(&json!({ "rate_limit_storm": 1, "throttle_bytes_per_second": 1000000 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["rate_limit_storm"], 1);
    assert_eq!(sim.faults().throttle_bytes_per_second, Some(1_000_000));
    let bad = http
        .put(format!("{admin}/faults"))
        .json(&json!({ "error_rate": { "submit": 2.0 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    http.put(format!("{admin}/faults"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();

    http.put(format!("{admin}/credits/new-key"))
        .json(&json!({ "credits": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(sim.credits("new-key"), Some(5));
    let credits: Value = common::get_json(format!("{admin}/credits")).await;
    assert_eq!(credits["new-key"], 5);
    let t0 = http
        .get(format!("{admin}/clock"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["now_ms"]
        .as_u64()
        .unwrap();
    let t1: Value = http
        .post(format!("{admin}/clock/advance"))
        .json(&json!({ "days": 1 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(t1["now_ms"].as_u64().unwrap() >= t0 + 86_400_000);

    let info: Value = http
        .post(format!("{admin}/fixtures/big-file"))
        .json(&json!({ "key": KEY, "min_bytes": 200_000 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = info["id"].as_str().unwrap();
    let api = Api::new(&sim);
    let names = api.ready_files(id).await;
    let bytes = api
        .download(id, &names[0], None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(bytes.len() >= 200_000);
    assert_eq!(
        gunzip(&bytes).unwrap().lines().count() as u64,
        info["record_count"].as_u64().unwrap()
    );
    // Written once: a second fixture reuses the file.
    let again = sim.create_big_file_request(KEY, 200_000).await;
    assert_eq!(
        again.record_count as u64,
        info["record_count"].as_u64().unwrap()
    );

    let requests: Vec<Value> = common::get_json(format!("{admin}/requests")).await;
    assert_eq!(requests.len(), 2);
    let calls: Vec<Value> = common::get_json(format!("{admin}/calls")).await;
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["endpoint"], "files");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_storm_can_ask_for_a_long_retry_after() {
    let sim = sim(|_| ()).await;
    sim.set_faults(Faults {
        rate_limit_storm: 1,
        storm_retry_after_secs: Some(7200),
        ..Faults::default()
    });
    let res = Api::new(&sim).get("/v2/data_requests/nope/files").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&res, "retry-after").as_deref(), Some("7200"));
    sim.shutdown().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_under_the_next_request() {
    let sim = sim(|c| {
        c.faults = Faults {
            close_idle_after_ms: Some(1000),
            ..Faults::default()
        }
    })
    .await;
    // One client: its second request reuses the first one's connection.
    let api = Api::new(&sim);
    let path = format!("{}/v2/data_requests/nope/files", api.base);
    let send = || api.http.get(&path).header("apikey", KEY).send();
    assert_eq!(send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(
        send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "a connection in use is kept"
    );
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let error = send().await.unwrap_err();
    assert!(
        !error.is_connect(),
        "the request went out, then the connection closed: {error:?}"
    );
    // The next request opens a new connection; the dropped one was never seen by the service.
    assert_eq!(send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(sim.count_calls(Endpoint::Files), 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn truncation_can_spoil_only_the_first_downloads() {
    let sim = sim(|_| ()).await;
    let api = Api::new(&sim);
    let mut body = bulk(python());
    body["limit"] = json!(5);
    let id = api.submit(&body).await;
    let name = api.ready_files(&id).await.remove(0);
    sim.set_faults(Faults {
        truncate_files: true,
        truncate_files_times: Some(1),
        ..Faults::default()
    });
    let first = api.download(&id, &name, None).await.bytes().await.unwrap();
    assert!(gunzip(&first).is_err(), "the first download is spoiled");
    let second = api.download(&id, &name, None).await.bytes().await.unwrap();
    assert_eq!(gunzip(&second).unwrap().lines().count(), 5);
    assert_eq!(sim.faults().truncate_files_times, Some(0));
    sim.shutdown().await;
}
