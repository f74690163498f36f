//! The searches a refresh is built on, over real HTTP: held ids grouped by the date of our copy
//! (`should` of `filter: [terms id, range last_updated gt]`), paged with `?after=`, within the body
//! and clause limits.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use coresignal_sim::{
    SimConfig, Simulator, DEFAULT_PRACTICE_KEY as KEY, MAX_CLAUSES, MAX_QUERY_CHARS,
};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

const SEARCH: &str = "/v2/employee_clean/search/es_dsl";

async fn sim() -> Simulator {
    Simulator::start(SimConfig {
        processing_time: Duration::ZERO,
        corpus_size: 5_000,
        rate_limit_per_second: 1_000,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// One search page: status, ids, `x-total-results`, `x-next-page-after`.
struct Page {
    status: StatusCode,
    ids: Vec<u64>,
    total: usize,
    next: Option<String>,
    detail: String,
}

async fn search(sim: &Simulator, query: &str, body: &Value) -> Page {
    let res = Client::new()
        .post(format!("{}{SEARCH}{query}", sim.base_url()))
        .header("apikey", KEY)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let head = |n: &str| {
        res.headers()
            .get(n)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (total, next) = (head("x-total-results"), head("x-next-page-after"));
    let body: Value = res.json().await.unwrap();
    Page {
        status,
        ids: serde_json::from_value(body.clone()).unwrap_or_default(),
        total: total.map_or(0, |t| t.parse().unwrap()),
        next,
        detail: body["detail"].as_str().unwrap_or_default().to_string(),
    }
}

/// Every id the query matches, page after page (`?after=` until no `x-next-page-after`).
async fn all_ids(sim: &Simulator, per_page: usize, body: &Value) -> Vec<u64> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = match &after {
            None => format!("?items_per_page={per_page}"),
            Some(a) => format!("?items_per_page={per_page}&after={a}"),
        };
        let page = search(sim, &query, body).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.detail);
        assert!(page.ids.len() <= per_page);
        out.extend(&page.ids);
        match page.next {
            Some(next) => {
                assert_eq!(Some(&next), page.ids.last().map(u64::to_string).as_ref());
                after = Some(next);
            }
            None => return out,
        }
    }
}

/// The refresh query: for each date of our copy, the held ids with that date and a newer
/// `last_updated` at the service.
fn changed_since(groups: &BTreeMap<String, Vec<u64>>, min_should: bool) -> Value {
    let should: Vec<Value> = groups
        .iter()
        .map(|(date, ids)| {
            json!({"bool": {"filter": [
                {"terms": {"id": ids}},
                {"range": {"last_updated": {"gt": date}}}
            ]}})
        })
        .collect();
    let mut q = json!({"bool": {"should": should}});
    if min_should {
        q["bool"]["minimum_should_match"] = json!(1);
    }
    json!({ "query": q })
}

/// `n` held ids of the corpus grouped by their `last_updated` (the date of our copy).
async fn held(sim: &Simulator, n: usize) -> BTreeMap<String, Vec<u64>> {
    let ids = search(sim, "", &json!({"query": {"match_all": {}}}))
        .await
        .ids;
    let mut groups: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for id in ids.into_iter().take(n) {
        let person = sim.person(id).unwrap();
        let date = person.record["last_updated"].as_str().unwrap().to_string();
        groups.entry(date).or_default().push(id);
    }
    groups
}

#[tokio::test]
async fn changed_people_are_found_by_id_groups_and_last_updated_and_unchanged_ones_are_not() {
    let sim = sim().await;
    let groups = held(&sim, 120).await;
    assert!(groups.len() > 10, "our copies have many dates");
    for min_should in [true, false] {
        let none = all_ids(&sim, 1_000, &changed_since(&groups, min_should)).await;
        assert!(none.is_empty(), "nothing changed yet: {none:?}");
    }

    // Three held people change; one person not held changes too.
    let held_ids: Vec<u64> = groups.values().flatten().copied().collect();
    let changed = [held_ids[3], held_ids[60], held_ids[119]];
    for (i, id) in changed.iter().enumerate() {
        let person = sim
            .change_person(*id, json!({"job_title": format!("Baker {i}")}))
            .unwrap();
        assert_eq!(person.record["last_updated"], sim.today());
    }
    let everyone = search(&sim, "", &json!({"query": {"match_all": {}}})).await;
    let not_held = *everyone.ids.iter().find(|i| !held_ids.contains(i)).unwrap();
    sim.change_person(not_held, json!({"full_name": "Not Held"}))
        .unwrap();

    let mut expected = changed.to_vec();
    expected.sort_unstable();
    for min_should in [true, false] {
        let found = all_ids(&sim, 1_000, &changed_since(&groups, min_should)).await;
        assert_eq!(found, expected, "minimum_should_match given: {min_should}");
    }
    // The same with one range on a single old date: changed is found, unchanged is not.
    let (date, ids) = groups
        .iter()
        .find(|(_, ids)| ids.contains(&changed[1]))
        .unwrap();
    let one = json!({"query": {"bool": {"filter": [
        {"terms": {"id": ids}}, {"range": {"last_updated": {"gt": date}}}
    ]}}});
    assert_eq!(all_ids(&sim, 1_000, &one).await, vec![changed[1]]);
    let since_today = json!({"query": {"range": {"last_updated": {"gte": sim.today()}}}});
    let mut all_changed = expected.clone();
    all_changed.push(not_held);
    all_changed.sort_unstable();
    assert_eq!(all_ids(&sim, 1_000, &since_today).await, all_changed);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_refresh_query_pages_with_after() {
    let sim = sim().await;
    let everyone = all_ids(&sim, 1_000, &json!({"query": {"match_all": {}}})).await;
    assert_eq!(everyone.len(), 5_000);
    // 1,200 ids in 4 groups: every one matches `gt` an old date.
    let groups: BTreeMap<String, Vec<u64>> = everyone[..1_200]
        .chunks(300)
        .enumerate()
        .map(|(i, ids)| (format!("2000-01-0{}", i + 1), ids.to_vec()))
        .collect();
    let body = changed_since(&groups, true);
    assert!(body.to_string().chars().count() <= MAX_QUERY_CHARS);

    let first = search(&sim, "", &body).await;
    assert_eq!((first.status, first.total), (StatusCode::OK, 1_200));
    assert_eq!(first.ids, everyone[..1_000]);
    let after = first.next.unwrap();
    let second = search(&sim, &format!("?after={after}"), &body).await;
    assert_eq!(second.ids, everyone[1_000..1_200]);
    assert_eq!((second.total, second.next), (1_200, None));
    // Small pages give the same ids, in order, once each.
    assert_eq!(all_ids(&sim, 70, &body).await, everyone[..1_200]);
    sim.shutdown().await;
}

#[tokio::test]
async fn bodies_and_clauses_over_the_limits_answer_400_with_a_clear_detail() {
    let sim = sim().await;
    // A body of exactly MAX_QUERY_CHARS characters (as compact JSON) passes; one more does not.
    let sized = |n: usize| {
        let empty = json!({"query": {"query_string": {"query": ""}}});
        let pad = n - empty.to_string().chars().count();
        json!({"query": {"query_string": {"query": "x".repeat(pad)}}})
    };
    assert_eq!(sized(MAX_QUERY_CHARS).to_string().len(), MAX_QUERY_CHARS);
    assert_eq!(
        search(&sim, "", &sized(MAX_QUERY_CHARS)).await.status,
        StatusCode::OK
    );
    let long = search(&sim, "", &sized(MAX_QUERY_CHARS + 1)).await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        long.detail,
        "Query is too long: 15001 characters (maximum is 15000)"
    );

    // Each `{"bool": {}}` is one clause of its parent: 1,024 pass, 1,025 do not.
    let clauses = |n: usize| json!({"query": {"bool": {"should": vec![json!({"bool": {}}); n]}}});
    assert_eq!(
        search(&sim, "", &clauses(MAX_CLAUSES)).await.status,
        StatusCode::OK
    );
    let many = search(&sim, "", &clauses(MAX_CLAUSES + 1)).await;
    assert_eq!(many.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        many.detail,
        "Query has too many boolean clauses: 1025 (maximum is 1024)"
    );
    // In the refresh shape each group costs 3 clauses (itself and its two filters) and about 90
    // characters plus 10 an id: the character limit binds first.
    let groups = |n: usize| -> BTreeMap<String, Vec<u64>> {
        let date = |i: usize| format!("2025-{:02}-{:02}", i / 28 + 1, i % 28 + 1);
        (0..n)
            .map(|i| (date(i), vec![i as u64 + 100_000_000]))
            .collect()
    };
    let fits = changed_since(&groups(150), true);
    assert!(fits.to_string().len() <= MAX_QUERY_CHARS);
    assert_eq!(search(&sim, "", &fits).await.status, StatusCode::OK);
    let over = search(&sim, "", &changed_since(&groups(200), true)).await;
    assert_eq!(over.status, StatusCode::BAD_REQUEST);
    assert!(
        over.detail.starts_with("Query is too long"),
        "{}",
        over.detail
    );

    // The data request checks the same limits before creating anything.
    for body in [sized(MAX_QUERY_CHARS + 1), clauses(MAX_CLAUSES + 1)] {
        let res = Client::new()
            .post(format!(
                "{}/v2/data_requests/employee_clean/es_dsl",
                sim.base_url()
            ))
            .header("apikey", KEY)
            .json(&json!({"es_dsl_query": body}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    assert!(sim.requests().is_empty());
    sim.shutdown().await;
}
