//! The searches, previews, expiry, and the admin API.

use super::*;

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
