//! Tests of the DSL: parsing, checking and evaluation.

use super::parse::parse_query;
use super::*;
use crate::corpus::{employee, Corpus, Employee};
use serde_json::json;

fn rec() -> Employee {
    let mut e = employee(1, 4290);
    e.full_name = "Zoë O'Brien-Smith".into();
    e.job_title = "Senior Data Engineer".into();
    e.description = "Builds Python data pipelines.\nLoves \"Rust\", SQL".into();
    e.location_country = "Lithuania".into();
    e.follower_count = 445;
    e.last_updated = "2025-05-12".into();
    e.experience.truncate(1);
    e.experience[0].title = "Head of Platform".into();
    e.experience[0].description = "Kubernetes at scale".into();
    e.experience[0].date_to = None;
    e
}

fn m(q: Value) -> bool {
    matches(&parse_query(&q).unwrap(), &rec())
}

fn err(q: Value) -> String {
    parse_query(&q).unwrap_err()
}

#[test]
fn text_queries() {
    assert!(m(
        json!({"query_string": {"query": "python", "default_field": "description"}})
    ));
    assert!(m(
        json!({"query_string": {"query": "PYTHON AND rust", "fields": ["description", "job_title^2"]}})
    ));
    assert!(!m(
        json!({"query_string": {"query": "python java", "default_field": "description", "default_operator": "and"}})
    ));
    assert!(m(
        json!({"query_string": {"query": "python java", "default_field": "description"}})
    ));
    assert!(m(json!({"query_string": {"query": "\"data pipelines\""}})));
    assert!(!m(json!({"query_string": {"query": "\"pipelines data\""}})));
    assert!(m(
        json!({"query_string": {"query": "pipe*", "default_field": "description"}})
    ));
    assert!(m(
        json!({"query_string": {"query": "job_title:engineer -java"}})
    ));
    assert!(m(json!({"match": {"job_title": "engineer chef"}})));
    assert!(!m(
        json!({"match": {"job_title": {"query": "engineer chef", "operator": "and"}}})
    ));
    assert!(m(json!({"match_phrase": {"job_title": "data engineer"}})));
    assert!(m(json!({"match": {"full_name": "zoë"}})));
    assert!(m(json!({"match": {"location_country": "lithuania"}})));
}

#[test]
fn exact_terms_ranges_exists() {
    assert!(m(json!({"term": {"full_name.exact": "Zoë O'Brien-Smith"}})));
    assert!(!m(json!({"term": {"full_name.exact": "Zoë"}})));
    assert!(m(json!({"term": {"location_country": "Lithuania"}})));
    assert!(!m(json!({"term": {"location_country": "lithuania"}})));
    assert!(m(json!({"term": {"job_title": "engineer"}})));
    assert!(m(json!({"terms": {"id": [1, 4290]}})));
    assert!(m(
        json!({"range": {"follower_count": {"gte": 445, "lt": 446}}})
    ));
    assert!(!m(json!({"range": {"follower_count": {"gt": 445}}})));
    assert!(m(json!({"range": {"last_updated": {"gte": "2025-01-01"}}})));
    assert!(m(json!({"exists": {"field": "description"}})));
    assert!(!m(json!({"exists": {"field": "no_such_field"}})));
    assert!(m(json!({"match_all": {}})));
}

#[test]
fn bool_logic() {
    let py = json!({"match": {"description": "python"}});
    let java = json!({"match": {"description": "java"}});
    assert!(m(json!({"bool": {"should": [py, java]}})));
    assert!(!m(
        json!({"bool": {"should": [py, java], "minimum_should_match": 2}})
    ));
    assert!(m(
        json!({"bool": {"should": [py, java], "minimum_should_match": "50%"}})
    ));
    assert!(m(json!({"bool": {"must": py, "should": [java]}})));
    assert!(!m(json!({"bool": {"must": [py], "must_not": [py]}})));
    assert!(m(json!({"bool": {"filter": [py], "must_not": java}})));
}

#[test]
fn nested_rule() {
    let e = err(json!({"match": {"experience.title": "head"}}));
    assert!(e.contains("experience.title"), "{e}");
    let e =
        err(json!({"query_string": {"query": "x", "fields": ["job_title", "education.major"]}}));
    assert!(e.contains("education.major"), "{e}");
    let e = err(json!({"query_string": {"query": "experience.description:x"}}));
    assert!(e.contains("experience.description"), "{e}");
    let e = err(json!({"nested": {"path": "member_experience", "query": {"match_all": {}}}}));
    assert!(e.contains("member_experience"), "{e}");
    assert!(m(
        json!({"nested": {"path": "experience", "query": {"bool": {"must": [
        {"match": {"experience.title": "head"}},
        {"query_string": {"query": "kubernetes", "default_field": "experience.description"}}
    ], "must_not": {"exists": {"field": "experience.date_to"}}}}}})
    ));
    // A field of another object inside the nested query matches nothing.
    assert!(!m(
        json!({"nested": {"path": "experience", "query": {"match": {"job_title": "engineer"}}}})
    ));
}

#[test]
fn nested_is_evaluated_per_object() {
    let mut e = rec();
    e.experience = vec![
        employee(1, 1).experience.remove(0),
        employee(1, 2).experience.remove(0),
    ];
    e.experience[0].title = "Chef".into();
    e.experience[0].company_name = "Acme".into();
    e.experience[1].title = "Baker".into();
    e.experience[1].company_name = "Globex".into();
    let q = |a: &str, b: &str| {
        parse_query(
            &json!({"nested": {"path": "experience", "query": {"bool": {"must": [
            {"match": {"experience.title": a}}, {"match": {"experience.company_name": b}}]}}}}),
        )
        .unwrap()
    };
    assert!(matches(&q("chef", "acme"), &e));
    assert!(!matches(&q("chef", "globex"), &e));
}

#[test]
fn rejections() {
    assert!(err(json!({"fuzzy": {"x": "y"}})).contains("fuzzy"));
    let many: Vec<Value> = (0..1100).map(|i| json!({"term": {"id": i}})).collect();
    assert!(err(json!({"bool": {"should": many}})).contains("too many"));
    let long = "x ".repeat(8000);
    assert!(
        parse_body(&json!({"query": {"query_string": {"query": long}}}))
            .unwrap_err()
            .contains("too long")
    );
    assert!(parse_body(&json!({"query": {"match_all": {}}, "aggs": {}})).is_err());
    assert!(matches!(
        parse_body(&json!({"sort": ["id"]})),
        Ok(Query::All)
    ));
}

#[test]
fn python_query_matches_a_moderate_share() {
    let body: Value =
        serde_json::from_str(include_str!("../../tests/fixtures/query-python.json")).unwrap();
    let q = parse_body(&body).unwrap();
    let corpus = Corpus::build(42, 4000);
    let n = corpus.records.iter().filter(|r| matches(&q, *r)).count();
    assert!((100..1000).contains(&n), "{n}");
}
