//! Jobs made from the shared sample data, and the people of the simulator's searches.

use std::path::{Path, PathBuf};

use collect_core::ids::parse_id_list;
use collect_core::jobs::{Engine, JobRequest, NewJob};
use collect_core::query::{parse_query, EsQuery};
use coresignal_sim::{Simulator, DEFAULT_PRACTICE_KEY};

use crate::submit_job;

/// A file in the project's shared sample data (`../shared/data` beside the repository).
pub fn shared_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(name)
}

/// The product page's example query.
pub fn python_query() -> EsQuery {
    let text = std::fs::read_to_string(shared_data("query-python.json")).expect("the sample query");
    parse_query(&text).expect("the sample query parses")
}

/// A job for `query`.
pub fn query_job(query: EsQuery, limit: Option<u32>) -> NewJob {
    NewJob {
        name: Some("test search".into()),
        request: JobRequest::Query { query, limit },
        webhook_url: None,
    }
}

/// Submits `count` jobs of two IDs each, every list different (ID lists are priced without a
/// search call): many active jobs quickly.
pub async fn submit_id_list_jobs(engine: &Engine, count: u32) {
    for n in 0..count {
        let ids = format!("{}\n{}\n", 1_000 + n, 5_000 + n);
        let job = NewJob {
            name: None,
            request: JobRequest::Ids {
                report: parse_id_list(ids.as_bytes()).expect("two valid IDs"),
                source_file: None,
                split: false,
                list: None,
            },
            webhook_url: None,
        };
        submit_job(engine, job).await.expect("the job is accepted");
    }
}

/// A job for the IDs in a shared sample file.
pub fn ids_job(file: &str) -> NewJob {
    let bytes = std::fs::read(shared_data(file)).expect("the sample ID file");
    NewJob {
        name: None,
        request: JobRequest::Ids {
            report: parse_id_list(&bytes).expect("the ID file parses"),
            source_file: Some(file.into()),
            split: false,
            list: None,
        },
        webhook_url: None,
    }
}

/// The path of the shared Python query file, as the CLI takes it.
pub fn python_query_file() -> String {
    shared_data("query-python.json")
        .to_string_lossy()
        .into_owned()
}

/// Every id `body` matches in `sim`'s search (the first page of at most `per_page`).
pub async fn search_ids(sim: &Simulator, body: &serde_json::Value, per_page: usize) -> Vec<i64> {
    let answer: Vec<serde_json::Value> = reqwest::Client::new()
        .post(format!(
            "{}/v2/employee_clean/search/es_dsl?items_per_page={per_page}",
            sim.base_url()
        ))
        .header("apikey", DEFAULT_PRACTICE_KEY)
        .json(body)
        .send()
        .await
        .expect("the search answers")
        .json()
        .await
        .expect("the search answer is JSON");
    answer
        .iter()
        .map(|id| id.as_i64().expect("an id is a number"))
        .collect()
}

/// `count` people `sim`'s search finds, with their short names: (id, short name).
pub async fn corpus_people(sim: &Simulator, count: usize) -> Vec<(i64, String)> {
    let everyone = serde_json::json!({"query": {"match_all": {}}});
    search_ids(sim, &everyone, count)
        .await
        .into_iter()
        .take(count)
        .map(|id| {
            let person = sim.person(id as u64).expect("the simulator has them");
            let slug = person.record["shorthand_names"][0]
                .as_str()
                .expect("a short name")
                .to_owned();
            (id, slug)
        })
        .collect()
}
