use serde_json::json;

use super::*;
use crate::error::{Coded, ErrorCode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/");

fn shared(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{name}")).unwrap()
}

fn error_of(text: &str) -> QueryError {
    parse_query(text).unwrap_err()
}

fn query_of(value: serde_json::Value) -> Result<EsQuery, QueryError> {
    parse_query(&value.to_string())
}

#[test]
fn shared_python_query_parses_clean() {
    let query = parse_query(&shared("query-python.json")).unwrap();
    assert!(query.warnings.is_empty(), "{:?}", query.warnings);
    let should = &query.body["query"]["bool"]["should"];
    assert_eq!(should.as_array().unwrap().len(), 3);
    assert_eq!(should[2]["nested"]["path"], "experience");
    let again = parse_query(&query.pretty()).unwrap();
    assert_eq!(again.body, query.body);
    assert!(!query.compact().contains('\n'));
    assert!(query.pretty().contains('\n'));
}

#[test]
fn shared_malformed_query_gives_line_and_column() {
    let error = error_of(&shared("query-malformed.json"));
    assert_eq!(error.code(), ErrorCode::InvalidQuery);
    let QueryError::Syntax {
        line,
        column,
        message,
    } = &error
    else {
        panic!("not a syntax error: {error:?}");
    };
    assert_eq!((*line, *column), (2, 71));
    assert_eq!(
        message,
        "There is an extra comma before `}` at line 2, column 71. Remove it."
    );
}

#[test]
fn syntax_hints_are_plain() {
    let cases = [
        ("{'query': {}}", "single quote"),
        ("{\"query\": {\"match\": {\"a\": True}}}", "Python way"),
        ("{\"query\": “x”}", "curly quote"),
        ("// all\n{}", "comments"),
        (
            "{\"a\": 1 \"b\": 2}",
            "comma is missing at line 1, column 9",
        ),
        ("{\"a\" 1}", "colon"),
        ("{\"query\": {}} extra", "more text after the end"),
        ("{\"query\": {\"bool\": {", "ends too early"),
        (
            "{\"a\": [1,]}",
            "extra comma before `]` at line 1, column 10",
        ),
        ("{\"a\": \"x\ny\"}", "line break"),
        ("{\"a\": 01}", "leading zeros"),
    ];
    for (text, expected) in cases {
        let message = error_of(text).to_string();
        assert!(message.contains(expected), "{text:?} → {message}");
    }
}

#[test]
fn columns_count_characters_not_bytes() {
    let QueryError::Syntax { column, .. } = error_of("{\"é\": [1,]}") else {
        panic!("not a syntax error");
    };
    assert_eq!(column, 10);
}

#[test]
fn empty_input_is_refused() {
    for text in ["", "  \n", "{}", "\u{feff}"] {
        assert_eq!(error_of(text), QueryError::Empty, "{text:?}");
    }
}

#[test]
fn api_wrapper_is_unwrapped_and_request_fields_left_out() {
    let query = query_of(json!({
        "es_dsl_query": {"query": {"match": {"job_title": "engineer"}}},
        "limit": 5,
        "webhook_url": "https://example.com/hook",
        "data_format": "json"
    }))
    .unwrap();
    assert_eq!(
        query.body,
        json!({"query": {"match": {"job_title": "engineer"}}})
    );
    let paths: Vec<&str> = query.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["data_format", "limit", "webhook_url"]);
    assert!(query.warnings[1].message.contains("(5)"));
}

#[test]
fn body_with_limit_at_top_is_accepted_too() {
    let query = query_of(json!({"query": {"match_all": {}}, "limit": 3})).unwrap();
    assert_eq!(query.body, json!({"query": {"match_all": {}}}));
    assert_eq!(query.warnings.len(), 1);
}

#[test]
fn bare_query_is_wrapped() {
    let query =
        query_of(json!({"bool": {"must": {"term": {"location_country": "Lithuania"}}}})).unwrap();
    assert_eq!(
        query.body,
        json!({"query": {"bool": {"must": {"term": {"location_country": "Lithuania"}}}}})
    );
}

#[test]
fn full_body_keeps_sort() {
    let query = query_of(json!({"query": {"match_all": {}}, "sort": ["id"]})).unwrap();
    assert_eq!(query.body["sort"], json!(["id"]));
}

#[test]
fn aggregations_are_left_out_with_a_warning() {
    let query = query_of(json!({"query": {"match_all": {}}, "aggs": {"x": {}}})).unwrap();
    assert_eq!(query.body, json!({"query": {"match_all": {}}}));
    assert!(query.warnings[0].message.contains("aggregations"));
}

#[test]
fn size_gets_a_warning() {
    let query = query_of(json!({"query": {"match_all": {}}, "size": 10})).unwrap();
    assert!(query.warnings[0].message.contains("Limit box"));
}

#[test]
fn experience_field_outside_nested_is_an_error_with_the_fix() {
    let error = query_of(json!({"query": {"bool": {"should": [
        {"match": {"job_title": "python"}},
        {"match": {"description": "python"}},
        {"query_string": {"query": "python", "default_field": "experience.title"}}
    ]}}}))
    .unwrap_err();
    let QueryError::NotNested {
        path, nested, fix, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(path, "query.bool.should[2].query_string");
    assert_eq!(nested, "experience");
    let fix: serde_json::Value = serde_json::from_str(fix).unwrap();
    assert_eq!(fix["nested"]["path"], "experience");
    assert_eq!(
        fix["nested"]["query"]["query_string"]["default_field"],
        "experience.title"
    );
    assert!(error.to_string().contains("Wrap this part like this"));
}

#[test]
fn education_field_in_the_wrong_nested_is_an_error() {
    let error = query_of(json!({"nested": {"path": "experience", "query":
        {"term": {"education.title": "MIT"}}}}))
    .unwrap_err();
    assert!(matches!(&error, QueryError::NotNested { nested, path, .. }
        if nested == "education" && path == "query.nested.query.term"));
}

#[test]
fn nested_fields_are_found_in_every_field_position() {
    let cases = [
        json!({"multi_match": {"query": "x", "fields": ["headline", "experience.title^2"]}}),
        json!({"simple_query_string": {"query": "x", "fields": ["education.major"]}}),
        json!({"exists": {"field": "experience.date_to"}}),
        json!({"query_string": {"query": "experience.title:(python OR java)"}}),
        json!({"range": {"experience.date_from": {"gte": "2020"}}}),
        json!({"terms": {"experience.company_id": [1, 2], "boost": 2}}),
    ];
    for case in cases {
        let error = query_of(case.clone()).unwrap_err();
        assert!(
            matches!(error, QueryError::NotNested { .. }),
            "{case}: {error}"
        );
    }
}

#[test]
fn quoted_text_in_query_string_is_not_a_field() {
    query_of(json!({"query_string": {"query": "\"experience.title: x\" AND python"}})).unwrap();
}

#[test]
fn country_field_points_to_location_country() {
    let error =
        query_of(json!({"query": {"bool": {"filter": [{"term": {"country": "Germany"}}]}}}))
            .unwrap_err();
    assert_eq!(
        error,
        QueryError::CountryField {
            path: "query.bool.filter[0].term".to_owned(),
            field: "country".to_owned()
        }
    );
    assert!(error.to_string().contains("Use \"location_country\""));
}

#[test]
fn unknown_query_types_are_errors_with_hints() {
    let error = query_of(json!({"query": {"regexp": {"full_name": "j.*"}}})).unwrap_err();
    assert!(
        matches!(&error, QueryError::UnknownType { path, hint: None, .. }
        if path == "query.regexp")
    );
    let error = query_of(json!({"QueryString": {"query": "x"}})).unwrap_err();
    assert!(
        error.to_string().contains("Did you mean \"query_string\"?"),
        "{error}"
    );
    let error = query_of(json!({"must": [{"match_all": {}}]})).unwrap_err();
    assert!(
        error.to_string().contains("belongs inside a bool"),
        "{error}"
    );
}

#[test]
fn every_allowed_type_passes() {
    let queries = [
        json!({"match_all": {}}),
        json!({"ids": {"values": [1, 2]}}),
        json!({"match_phrase": {"headline": "data engineer"}}),
        json!({"match_phrase_prefix": {"headline": "data eng"}}),
        json!({"prefix": {"full_name.exact": "John"}}),
        json!({"wildcard": {"job_title": "eng*"}}),
        json!({"constant_score": {"filter": {"term": {"is_working": 1}}}}),
        json!({"boosting": {"positive": {"match": {"skills": "python"}},
            "negative": {"match": {"skills": "java"}}, "negative_boost": 0.5}}),
        json!({"dis_max": {"queries": [{"match": {"headline": "x"}}, {"match": {"job_title": "x"}}]}}),
        json!({"nested": {"path": "education", "query": {"match": {"education.major": "law"}}}}),
        json!({"bool": {"must_not": {"exists": {"field": "description"}}, "minimum_should_match": 1}}),
    ];
    for query in queries {
        query_of(query.clone()).unwrap_or_else(|e| panic!("{query}: {e}"));
    }
}

#[test]
fn non_objects_are_reported_with_their_path() {
    let error =
        query_of(json!({"query": {"bool": {"must": [{"match_all": {}}, "python"]}}})).unwrap_err();
    assert_eq!(
        error,
        QueryError::NotAnObject {
            path: "query.bool.must[1]".to_owned(),
            found: "a text"
        }
    );
    assert!(matches!(
        error_of("[1, 2]"),
        QueryError::NotAnObject {
            found: "a list […]",
            ..
        }
    ));
    let error = query_of(json!({"es_dsl_query": "x"})).unwrap_err();
    assert!(matches!(&error, QueryError::NotAnObject { path, .. } if path == "es_dsl_query"));
    let error = query_of(json!({"query": {"bool": []}})).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("`query.bool` should be an object"),
        "{error}"
    );
}

#[test]
fn malformed_clauses_are_errors() {
    let empty = query_of(json!({"query": {"bool": {"must": [{}]}}})).unwrap_err();
    assert!(matches!(&empty, QueryError::EmptyClause { path } if path == "query.bool.must[0]"));
    let several = query_of(json!({"query": {"match": {"a": 1}, "term": {"b": 2}}})).unwrap_err();
    assert!(matches!(several, QueryError::SeveralTypes { .. }));
    let bool_key = query_of(json!({"bool": {"mustnot": []}})).unwrap_err();
    assert!(matches!(bool_key, QueryError::UnknownBoolKey { .. }));
    let no_path = query_of(json!({"nested": {"query": {"match_all": {}}}})).unwrap_err();
    assert!(matches!(&no_path, QueryError::MissingKey { key, .. } if key == "path"));
    let top = query_of(json!({"query": {"match_all": {}}, "qurey": {}})).unwrap_err();
    assert!(matches!(top, QueryError::UnknownBodyKey { .. }));
}

#[test]
fn unknown_nested_path_is_a_warning() {
    let query = query_of(json!({"nested": {"path": "awards", "query":
        {"match": {"awards.title": "Best paper"}}}}))
    .unwrap();
    assert_eq!(query.warnings[0].path, "query.nested");
}

#[test]
fn a_bool_without_conditions_is_a_warning_that_it_matches_everyone() {
    for empty in [
        json!({"bool": {}}),
        json!({"bool": {"must": [], "boost": 2}}),
    ] {
        let query = query_of(empty).unwrap();
        assert_eq!(query.warnings.len(), 1);
        assert_eq!(query.warnings[0].code, DiagnosticCode::NoConditions);
        assert_eq!(query.warnings[0].path, "query.bool");
        assert!(query.warnings[0].message.contains("matches every profile"));
    }
    let one = query_of(json!({"bool": {"filter": {"match_all": {}}}})).unwrap();
    assert!(one.warnings.is_empty(), "{:?}", one.warnings);
}

#[test]
fn several_problems_come_back_together() {
    let error = query_of(json!({"bool": {"should": [
        {"term": {"country": "Germany"}},
        {"match": {"experience.title": "cto"}}
    ]}}))
    .unwrap_err();
    let QueryError::Several { errors } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(errors.len(), 2);
    assert!(error
        .to_string()
        .starts_with("The query has 2 problems:\n1. "));
}

#[test]
fn too_many_clauses_is_an_error_with_the_count() {
    let clauses: Vec<_> = (0..1_025).map(|_| json!({"ids": {}})).collect();
    let error = query_of(json!({"bool": {"should": clauses}})).unwrap_err();
    assert_eq!(error, QueryError::TooManyClauses { count: 1_025 });
    assert!(error.to_string().contains("1,025 conditions"));
    let clauses: Vec<_> = (0..1_024).map(|_| json!({"ids": {}})).collect();
    query_of(json!({"bool": {"should": clauses}})).unwrap();
}

#[test]
fn too_long_is_an_error_with_the_count() {
    let text = "x".repeat(MAX_QUERY_CHARS);
    let error = query_of(json!({"match": {"headline": text}})).unwrap_err();
    assert!(matches!(error, QueryError::TooLong { chars } if chars > MAX_QUERY_CHARS));
    assert!(error.to_string().contains("at most 15,000"));
}

#[test]
fn errors_serialise_to_user_errors() {
    let user = error_of("{").to_user_error();
    assert_eq!(user.code, ErrorCode::InvalidQuery);
    assert!(user.message.contains("line 1"));
}
