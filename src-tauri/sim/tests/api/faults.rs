//! Validation, authentication, rate limits, cut connections, hostile names and the other faults.

use super::*;

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
        .body(include_str!("../fixtures/query-malformed.json").to_string())
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
