//! Both submits, polls and downloads: the happy path, the answer variants, ID files, 409, credits, match counts.

use super::*;

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
    let valid = include_str!("../fixtures/ids-valid.csv");
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
