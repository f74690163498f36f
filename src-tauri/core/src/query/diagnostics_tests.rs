//! Each lint rule with a query it flags and one it lets through, as diagnostics placed in the text.

use serde_json::{json, Value};

use super::*;

fn codes(text: &str) -> Vec<(DiagnosticCode, Severity)> {
    diagnose(text)
        .iter()
        .map(|d| (d.code, d.severity))
        .collect()
}

fn of(query: Value) -> Vec<Diagnostic> {
    diagnose(&json!({ "query": query }).to_string())
}

fn only(query: Value) -> Diagnostic {
    let list = of(query);
    assert_eq!(list.len(), 1, "{list:?}");
    list.into_iter().next().unwrap()
}

#[test]
fn an_unknown_field_is_a_warning_with_the_field_meant() {
    let d = only(json!({"match": {"job_titel": "engineer"}}));
    assert_eq!(
        (d.code, d.severity),
        (DiagnosticCode::UnknownField, Severity::Warning)
    );
    assert!(
        d.message
            .contains("Did you mean \"job_title\" (Current job title)?"),
        "{}",
        d.message
    );
    assert_eq!(d.path, "query.match.job_titel");
    let d = only(json!({"term": {"location_country.keyword": "Germany"}}));
    assert!(
        d.message.contains("Did you mean \"location_country\""),
        "{}",
        d.message
    );
    assert!(of(json!({"match": {"job_title": "engineer"}})).is_empty());
    assert!(of(json!({"query_string": {"query": "x", "fields": ["job_title^2", "*"]}})).is_empty());
}

#[test]
fn a_nested_field_outside_nested_is_an_error_with_its_fix() {
    let d = only(json!({"match": {"experience.title": "engineer"}}));
    assert_eq!(
        (d.code, d.severity),
        (DiagnosticCode::NotNested, Severity::Error)
    );
    assert!(
        d.message.contains("{\"nested\":{\"path\":\"experience\""),
        "{}",
        d.message
    );
    assert!(of(json!({"nested": {"path": "experience", "query":
        {"match": {"experience.title": "engineer"}}}}))
    .is_empty());
}

#[test]
fn term_on_a_text_field_is_a_warning_that_suggests_match() {
    let d = only(json!({"term": {"job_title": "Data Engineer"}}));
    assert_eq!(
        (d.code, d.severity),
        (DiagnosticCode::TermOnText, Severity::Warning)
    );
    assert!(d.message.contains("Use \"match\" instead"), "{}", d.message);
    let d = only(json!({"terms": {"headline": ["a", "b"]}}));
    assert_eq!(d.code, DiagnosticCode::TermOnText);
    assert!(of(json!({"term": {"location_country": "Germany"}})).is_empty());
    assert!(of(json!({"terms": {"full_name.exact": ["Ann Lee"]}})).is_empty());
}

#[test]
fn a_country_field_is_an_error() {
    let d = only(json!({"match": {"country": "Germany"}}));
    assert_eq!(
        (d.code, d.severity),
        (DiagnosticCode::CountryField, Severity::Error)
    );
    assert!(of(json!({"match": {"location_country": "Germany"}})).is_empty());
}

#[test]
fn too_many_clauses_and_too_long_are_errors_at_the_start() {
    let clauses = |n: usize| -> Vec<Value> { (0..n).map(|_| json!({"ids": {}})).collect() };
    let d = only(json!({"bool": {"should": clauses(1_025)}}));
    assert_eq!(
        (d.code, d.line, d.column),
        (DiagnosticCode::TooManyClauses, 1, 1)
    );
    assert!(of(json!({"bool": {"should": clauses(1_024)}})).is_empty());
    let d = only(json!({"query_string": {"query": "x".repeat(15_000)}}));
    assert_eq!(
        (d.code, d.severity),
        (DiagnosticCode::TooLong, Severity::Error)
    );
    assert!(of(json!({"query_string": {"query": "x".repeat(14_000)}})).is_empty());
}

#[test]
fn ignored_parts_are_warnings_placed_on_their_key() {
    let text = "{\n  \"query\": {\"match_all\": {}},\n  \"aggs\": {\"n\": {}},\n  \"size\": 5\n}";
    let list = diagnose(text);
    let places: Vec<_> = list.iter().map(|d| (d.code, d.line, d.column)).collect();
    assert_eq!(
        places,
        [
            (DiagnosticCode::AggregationsIgnored, 3, 3),
            (DiagnosticCode::SizeIgnored, 4, 3)
        ]
    );
    assert!(diagnose(r#"{"query": {"match_all": {}}}"#).is_empty());
}

#[test]
fn wrapper_and_bare_forms_are_placed_in_the_text_as_typed() {
    let wrapper = "{\"es_dsl_query\": {\"query\":\n  {\"match\": {\"experience.title\": \"x\"}}},\n \"limit\": 5}";
    let list = diagnose(wrapper);
    let places: Vec<_> = list.iter().map(|d| (d.code, d.line, d.column)).collect();
    assert_eq!(
        places,
        [
            (DiagnosticCode::NotNested, 2, 4),
            (DiagnosticCode::RequestFieldIgnored, 3, 2)
        ]
    );
    let bare = "{\"bool\": {\"must\": [\n  {\"fuzzy\": {\"job_title\": \"x\"}}]}}";
    let d = diagnose(bare).remove(0);
    assert_eq!(
        (d.code, d.line, d.column, d.length),
        (DiagnosticCode::UnknownType, 2, 4, 7)
    );
    assert_eq!(d.path, "query.bool.must[0].fuzzy");
}

#[test]
fn every_problem_comes_back_in_order_in_plain_words() {
    let text = r#"{"query": {"bool": {"must": [
        {"match": {"experience.title": "x"}},
        {"term": {"job_title": "Data Engineer"}},
        {"fuzzy": {"job_title": "x"}},
        {"match": {"skils": "python"}}
    ]}}}"#;
    let list = diagnose(text);
    assert_eq!(
        codes(text),
        [
            (DiagnosticCode::NotNested, Severity::Error),
            (DiagnosticCode::TermOnText, Severity::Warning),
            (DiagnosticCode::UnknownType, Severity::Error),
            (DiagnosticCode::UnknownField, Severity::Warning),
        ]
    );
    assert_eq!(
        list.iter().map(|d| d.line).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    for d in &list {
        assert!(!d.message.contains("query.bool"), "{}", d.message);
    }
}

#[test]
fn syntax_errors_and_empty_text_have_a_place_too() {
    let d = diagnose("{\n  \"query\": {,}\n}").remove(0);
    assert_eq!(
        (d.code, d.line, d.severity),
        (DiagnosticCode::Syntax, 2, Severity::Error)
    );
    let d = diagnose("  ").remove(0);
    assert_eq!((d.code, d.line, d.column), (DiagnosticCode::Empty, 1, 1));
    let d = diagnose(r#"{"query": {"match_all": {}}, "qurey": {}}"#).remove(0);
    assert_eq!((d.code, d.column), (DiagnosticCode::UnknownBodyKey, 30));
}
