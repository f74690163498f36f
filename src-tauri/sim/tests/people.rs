//! People change over time (control calls under `/_sim/people`): a changed person is seen the same
//! way by search, preview and later deliveries; a deleted one is neither found, delivered nor
//! charged; a person can join or leave the searchable corpus; all of it outlives a restart.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use coresignal_sim::{Person, SimConfig, Simulator, DEFAULT_PRACTICE_KEY as KEY};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

async fn sim(data_dir: Option<&Path>) -> Simulator {
    Simulator::start(SimConfig {
        processing_time: Duration::ZERO,
        corpus_size: 2_000,
        rate_limit_per_second: 1_000,
        control_routes: true,
        data_dir: data_dir.map(Path::to_path_buf),
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

struct Api {
    http: Client,
    base: String,
    admin: String,
}

impl Api {
    fn new(sim: &Simulator) -> Api {
        Api {
            http: Client::new(),
            base: sim.base_url(),
            admin: format!("http://{}/_sim", sim.addr()),
        }
    }

    async fn post(&self, path: &str, body: &Value) -> Response {
        let url = format!("{}{path}", self.base);
        let req = self.http.post(url).header("apikey", KEY).json(body);
        req.send().await.unwrap()
    }

    async fn search(&self, query: Value) -> Vec<u64> {
        let res = self
            .post(
                "/v2/employee_clean/search/es_dsl",
                &json!({ "query": query }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }

    async fn preview(&self, query: Value) -> Vec<Value> {
        let path = "/v2/employee_clean/search/es_dsl/preview";
        let res = self.post(path, &json!({ "query": query })).await;
        res.json().await.unwrap()
    }

    async fn request_id(res: Response) -> String {
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        body["request_id"].as_str().unwrap().to_string()
    }

    async fn es_dsl(&self, query: Value) -> String {
        let body = json!({ "es_dsl_query": { "query": query } });
        let path = "/v2/data_requests/employee_clean/es_dsl";
        Self::request_id(self.post(path, &body).await).await
    }

    async fn id_file(&self, ids: &[u64]) -> String {
        let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
        let part = reqwest::multipart::Part::text(text).file_name("ids.csv");
        let form = reqwest::multipart::Form::new().part("ids_file", part);
        let url = format!("{}/v2/data_requests/employee_clean/id_file", self.base);
        let req = self.http.post(url).header("apikey", KEY).multipart(form);
        Self::request_id(req.send().await.unwrap()).await
    }

    /// Polls once (the request is ready) and downloads every record.
    async fn records(&self, id: &str) -> Vec<Value> {
        let url = format!("{}/v2/data_requests/{id}/files", self.base);
        let res = self
            .http
            .get(url)
            .header("apikey", KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let list: Value = res.json().await.unwrap();
        let mut out = Vec::new();
        for name in list["data_request_files"].as_array().unwrap() {
            let name = name.as_str().unwrap().replace('/', "%2F");
            let url = format!("{}/v2/data_requests/{id}/files/{name}", self.base);
            let gz = self
                .http
                .get(url)
                .header("apikey", KEY)
                .send()
                .await
                .unwrap();
            let bytes = gz.bytes().await.unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
            out.extend(
                text.lines()
                    .map(|l| serde_json::from_str::<Value>(l).unwrap()),
            );
        }
        out
    }

    async fn put_person(&self, id: u64, body: Value) -> Response {
        let url = format!("{}/people/{id}", self.admin);
        self.http.put(url).json(&body).send().await.unwrap()
    }

    async fn get_person(&self, id: u64) -> Response {
        let url = format!("{}/people/{id}", self.admin);
        self.http.get(url).send().await.unwrap()
    }

    async fn delete_person(&self, id: u64) -> StatusCode {
        let url = format!("{}/people/{id}", self.admin);
        self.http.delete(url).send().await.unwrap().status()
    }
}

fn ids(records: &[Value]) -> Vec<u64> {
    records.iter().map(|r| r["id"].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn a_changed_person_is_seen_alike_by_search_preview_and_later_deliveries() {
    let sim = sim(None).await;
    let api = Api::new(&sim);
    let id = api.search(json!({"match_all": {}})).await[7];
    let before = sim.person(id).unwrap();
    assert!(!before.changed && before.in_corpus);
    let old_title = before.record["job_title"].as_str().unwrap().to_string();
    let baker = json!({"match_phrase": {"job_title": "Chief Bread Officer"}});
    assert!(api.search(baker.clone()).await.is_empty());
    // A request made before the change but settled after it delivers the new record.
    let early = api.es_dsl(json!({"terms": {"id": [id]}})).await;

    let res = api
        .put_person(
            id,
            json!({"job_title": "Chief Bread Officer", "company_name": "Orbit Foods Ltd",
                   "full_name": "Zoë Changed", "location_country": "Lithuania"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let person: Person = res.json().await.unwrap();
    assert!(person.changed && person.in_corpus);
    let r = &person.record;
    assert_eq!(r["last_updated"], sim.today());
    assert_eq!(r["experience"][0]["title"], "Chief Bread Officer");
    assert_eq!(r["experience"][0]["company_name"], "Orbit Foods Ltd");
    assert!(r["experience"][0]["date_to"].is_null());
    assert_eq!(r["experience"][1]["title"], old_title.as_str());
    assert!(
        r["experience"][1]["date_to"].is_string(),
        "the old job ended"
    );
    let got: Value = api.get_person(id).await.json().await.unwrap();
    assert_eq!(got, serde_json::to_value(&person).unwrap());
    assert_eq!(sim.person(id), Some(person.clone()));

    // Search: plain fields, nested experience, the country keyword, the new date.
    assert_eq!(api.search(baker.clone()).await, vec![id]);
    let nested = json!({"nested": {"path": "experience", "query": {"bool": {"must": [
        {"match": {"experience.company_name": "orbit foods"}},
        {"match_phrase": {"experience.title": "chief bread officer"}}],
        "must_not": {"exists": {"field": "experience.date_to"}}}}}});
    assert_eq!(api.search(nested).await, vec![id]);
    let here = json!({"bool": {"filter": [{"term": {"location_country": "Lithuania"}},
        {"match": {"full_name": "changed"}}, {"range": {"last_updated": {"gte": sim.today()}}}]}});
    assert_eq!(api.search(here).await, vec![id]);
    let old_job = json!({"bool": {"filter": [{"terms": {"id": [id]}},
        {"match_phrase": {"job_title": old_title}}]}});
    assert!(api.search(old_job).await.is_empty());

    // Preview and deliveries (ES DSL and ID file) carry the new record.
    let rows = api.preview(baker.clone()).await;
    assert_eq!(
        (&rows[0]["job_title"], &rows[0]["company_name"]),
        (&json!("Chief Bread Officer"), &json!("Orbit Foods Ltd"))
    );
    for request in [early, api.es_dsl(baker).await, api.id_file(&[id]).await] {
        assert_eq!(api.records(&request).await, vec![person.record.clone()]);
    }

    // A later change builds on this one and gets the day it happens.
    sim.advance_clock(Duration::from_secs(24 * 3600));
    let again = sim
        .change_person(id, json!({"company_name": "Acme Data AB"}))
        .unwrap();
    assert_eq!(again.record["last_updated"], sim.today());
    assert_ne!(again.record["last_updated"], person.record["last_updated"]);
    assert_eq!(again.record["full_name"], "Zoë Changed");
    assert_eq!(
        again.record["experience"][1]["company_name"],
        "Orbit Foods Ltd"
    );

    // Refusals: 422 with the reason, 404 for an id no record can have.
    for (body, word) in [
        (json!({"id": 5}), "id"),
        (json!({"shoe_size": 44}), "shoe_size"),
        (json!({"job_title": 7}), "job_title"),
        (json!({"last_updated": "yesterday"}), "yyyy-mm-dd"),
        (json!({"in_corpus": "yes"}), "in_corpus"),
        (json!(["job_title"]), "object"),
    ] {
        let res = api.put_person(id, body.clone()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let detail = res.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(detail.contains(word), "{body}: {detail}");
    }
    assert_eq!(
        api.put_person(0, json!({"job_title": "x"})).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        sim.person(id),
        Some(again),
        "refused changes change nothing"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_deleted_person_is_neither_found_nor_delivered_nor_charged() {
    let sim = sim(None).await;
    let api = Api::new(&sim);
    let some = api.search(json!({"match_all": {}})).await;
    let (a, b, c) = (some[0], some[1], some[2]);
    let outside = 123_456_789; // not in the searchable corpus: only ID files deliver it
    let pending = api.es_dsl(json!({"terms": {"id": [a, b, c]}})).await;

    assert_eq!(api.delete_person(b).await, StatusCode::NO_CONTENT);
    assert!(sim.delete_person(outside));
    assert!(!sim.delete_person(b), "already gone");
    assert_eq!(api.delete_person(b).await, StatusCode::NOT_FOUND);
    assert_eq!(api.get_person(b).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(sim.person(b), None);
    assert_eq!(
        api.search(json!({"terms": {"id": [a, b, c]}})).await,
        vec![a, c]
    );

    let credits = sim.credits(KEY).unwrap();
    let file = api.id_file(&[a, b, c, outside]).await;
    assert_eq!(ids(&api.records(&file).await), vec![a, c]);
    assert_eq!(
        ids(&api.records(&pending).await),
        vec![a, c],
        "left out at settling"
    );
    assert_eq!(sim.credits(KEY).unwrap(), credits - 4, "2 records each");
    let infos = sim.requests();
    assert_eq!((infos[0].record_count, infos[0].charged), (2, 2));
    assert_eq!(
        (infos[1].matched, infos[1].record_count, infos[1].charged),
        (2, 2, 2)
    );

    // An ID file of deleted people only matches nothing.
    let none = api.id_file(&[b, outside]).await;
    let url = format!("{}/v2/data_requests/{none}/files", api.base);
    let res = api
        .http
        .get(url)
        .header("apikey", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A change brings a deleted person back.
    let back = sim.change_person(b, json!({"headline": "Back"})).unwrap();
    assert!(back.in_corpus);
    assert_eq!(api.search(json!({"terms": {"id": [b]}})).await, vec![b]);
    sim.shutdown().await;
}

#[tokio::test]
async fn people_join_and_leave_the_searchable_corpus() {
    let sim = sim(None).await;
    let api = Api::new(&sim);
    let corpus = api.search(json!({"match_all": {}})).await;
    let newcomer = (1..).find(|id| !corpus.contains(id)).unwrap();
    assert!(!sim.person(newcomer).unwrap().in_corpus);
    let record = sim.person(newcomer).unwrap().record;

    let joined: Person = api
        .put_person(newcomer, json!({"in_corpus": true}))
        .await
        .json()
        .await
        .unwrap();
    assert!(joined.in_corpus && !joined.changed);
    assert_eq!(joined.record, record, "joining alone changes no field");
    let total = api.search(json!({"match_all": {}})).await;
    assert_eq!(total[0], newcomer, "in id order");
    let name = record["full_name"].as_str().unwrap();
    let by_name = api
        .search(json!({"match_phrase": {"full_name.exact": name}}))
        .await;
    assert!(by_name.contains(&newcomer));

    let leaver = corpus[10];
    sim.change_person(leaver, json!({"in_corpus": false}))
        .unwrap();
    assert!(api
        .search(json!({"terms": {"id": [leaver]}}))
        .await
        .is_empty());
    let file = api.id_file(&[leaver]).await;
    assert_eq!(
        ids(&api.records(&file).await),
        vec![leaver],
        "ID files still deliver"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn changes_outlive_a_restart() {
    let dir = std::env::temp_dir().join(format!("coresignal-sim-people-{}", uuid::Uuid::new_v4()));
    let first = sim(Some(&dir)).await;
    let ids = Api::new(&first).search(json!({"match_all": {}})).await;
    let changed = first
        .change_person(ids[0], json!({"job_title": "Keeper"}))
        .unwrap();
    first.delete_person(ids[1]);
    first
        .change_person(ids[2], json!({"in_corpus": false}))
        .unwrap();
    first.shutdown().await;

    let second = sim(Some(&dir)).await;
    assert_eq!(second.person(ids[0]), Some(changed));
    assert_eq!(second.person(ids[1]), None);
    assert!(!second.person(ids[2]).unwrap().in_corpus);
    let api = Api::new(&second);
    let found = api
        .search(json!({"terms": {"id": [ids[0], ids[1], ids[2]]}}))
        .await;
    assert_eq!(found, vec![ids[0]]);
    second.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}
