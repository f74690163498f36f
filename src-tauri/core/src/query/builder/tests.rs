//! The builder's DSL, read back, and the reasons it gives for what it cannot show.

use serde_json::json;

use super::*;
use crate::query::parse_query;

fn rule(field: &str, condition: Condition, values: &[&str]) -> Rule {
    Rule {
        field: field.to_owned(),
        condition,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    }
}

fn search(groups: Vec<(GroupMode, Vec<Rule>)>) -> Search {
    Search {
        groups: groups
            .into_iter()
            .map(|(mode, rules)| Group { mode, rules })
            .collect(),
    }
}

fn reason(value: serde_json::Value) -> String {
    from_query(&value).unwrap_err().reason
}

#[test]
fn each_mode_and_condition_writes_its_dsl() {
    let s = search(vec![
        (
            GroupMode::Any,
            vec![
                rule("job_title", Condition::Contains, &["data engineer"]),
                rule("headline", Condition::IsPhrase, &["data engineer"]),
            ],
        ),
        (
            GroupMode::All,
            vec![
                rule(
                    "location_country",
                    Condition::IsOneOf,
                    &["Germany", "Spain"],
                ),
                rule("follower_count", Condition::OnOrAfter, &["500"]),
                rule("last_updated", Condition::OnOrBefore, &["2025-01-31"]),
                rule("is_working", Condition::IsYes, &[]),
            ],
        ),
        (
            GroupMode::None,
            vec![rule(
                "experience.company_name",
                Condition::Contains,
                &["Acme"],
            )],
        ),
    ]);
    let expected = json!({"query": {"bool": {"must": [
        {"bool": {"should": [
            {"match": {"job_title": {"query": "data engineer", "operator": "and"}}},
            {"match_phrase": {"headline": "data engineer"}}
        ], "minimum_should_match": 1}},
        {"bool": {"must": [
            {"terms": {"location_country": ["Germany", "Spain"]}},
            {"range": {"follower_count": {"gte": 500}}},
            {"range": {"last_updated": {"lte": "2025-01-31"}}},
            {"term": {"is_working": 1}}
        ]}},
        {"bool": {"must_not": [
            {"nested": {"path": "experience", "query":
                {"match": {"experience.company_name": {"query": "Acme", "operator": "and"}}}}}
        ]}}
    ]}}});
    let query = to_query(&s).unwrap();
    assert_eq!(query, expected);
    assert_eq!(from_query(&query).unwrap(), s);
    assert!(parse_query(&query.to_string()).is_ok());
}

#[test]
fn rules_without_a_value_are_left_out_and_an_empty_search_is_an_error() {
    let s = search(vec![
        (
            GroupMode::All,
            vec![
                rule("job_title", Condition::Contains, &["  nurse "]),
                rule("headline", Condition::Contains, &["   "]),
                rule("skills", Condition::IsOneOf, &["", "sql"]),
            ],
        ),
        (
            GroupMode::Any,
            vec![rule("headline", Condition::IsPhrase, &[])],
        ),
    ]);
    let query = to_query(&s).unwrap();
    assert_eq!(
        query,
        json!({"query": {"bool": {"must": [{"bool": {"must": [
            {"match": {"job_title": {"query": "nurse", "operator": "and"}}},
            {"terms": {"skills": ["sql"]}}
        ]}}]}}})
    );
    assert_eq!(to_query(&search(vec![])), Err(BuilderError::Empty));
    let blank = search(vec![(
        GroupMode::All,
        vec![rule("job_title", Condition::Contains, &[])],
    )]);
    assert_eq!(to_query(&blank), Err(BuilderError::Empty));
}

#[test]
fn wrong_fields_conditions_and_values_are_explained_by_group_and_rule() {
    let one = |r: Rule| {
        search(vec![(
            GroupMode::All,
            vec![rule("headline", Condition::Contains, &["x"]), r],
        )])
    };
    let message = |r: Rule| to_query(&one(r)).unwrap_err().to_string();
    let m = message(rule("full_name", Condition::Contains, &["Ann"]));
    assert!(
        m.starts_with("Group 1, rule 2: \"full_name\" is not a field"),
        "{m}"
    );
    let m = message(rule("location_country", Condition::Contains, &["Germany"]));
    assert!(
        m.contains("\"Country\" cannot use this condition. Pick one of: is any of."),
        "{m}"
    );
    let m = message(rule("follower_count", Condition::OnOrAfter, &["many"]));
    assert!(m.contains("needs a number"), "{m}");
    let m = message(rule("last_updated", Condition::OnOrAfter, &["31/01/2025"]));
    assert!(m.contains("year-month-day"), "{m}");
    for not_a_day in [
        "2024-02-31",
        "2023-02-29",
        "2024-13",
        "2024-00-10",
        "2024-04-31",
    ] {
        let m = message(rule("last_updated", Condition::OnOrAfter, &[not_a_day]));
        assert!(m.contains(&format!("\"{not_a_day}\" is not one")), "{m}");
    }
    for day in ["2024-02-29", "2024-12", "2024-12-31"] {
        assert!(
            to_query(&one(rule("last_updated", Condition::OnOrAfter, &[day]))).is_ok(),
            "{day}"
        );
    }
    let m = message(rule("job_title", Condition::Contains, &["a", "b"]));
    assert!(m.contains("takes one value"), "{m}");
}

#[test]
fn the_wrapper_and_single_object_lists_are_read_too() {
    let bare = json!({"bool": {"must": {"bool": {"must_not":
        {"match_phrase": {"job_title": "intern"}}}}}});
    let s = from_query(&bare).unwrap();
    assert_eq!(s.groups[0].mode, GroupMode::None);
    assert_eq!(s.groups[0].rules[0].values, ["intern"]);
    let any = json!({"query": {"bool": {"must": [{"bool": {"should": [
        {"term": {"is_working": 0}}], "minimum_should_match": "1"}}]}}});
    assert_eq!(
        from_query(&any).unwrap().groups[0].rules[0].condition,
        Condition::IsNo
    );
}

#[test]
fn what_the_builder_cannot_show_is_named() {
    let group = |clause: serde_json::Value| json!({"query": {"bool": {"must": [{"bool": {"must": [clause]}}]}}});
    let r = reason(group(json!({"wildcard": {"job_title": "eng*"}})));
    assert_eq!(
        r,
        "The search uses `wildcard`, which the builder cannot show; it stays in the query code."
    );
    let r = reason(group(json!({"match": {"job_title": "engineer"}})));
    assert!(
        r.contains("`match` written in a way the builder does not offer"),
        "{r}"
    );
    let r = reason(group(
        json!({"match": {"full_name": {"query": "Ann", "operator": "and"}}}),
    ));
    assert!(
        r.contains("\"full_name\" (Full name), which the builder does not offer"),
        "{r}"
    );
    let r = reason(group(json!({"terms": {"job_title": ["engineer"]}})));
    assert!(r.contains("`terms` on \"Current job title\""), "{r}");
    let r = reason(group(
        json!({"match": {"experience.title": {"query": "x", "operator": "and"}}}),
    ));
    assert!(r.contains("outside the nested part"), "{r}");
    let r = reason(group(json!({"range": {"follower_count": {"gte": "500"}}})));
    assert!(r.contains("would change"), "{r}");
    let r = reason(json!({"query": {"match_all": {}}, "sort": ["id"]}));
    assert!(r.contains("\"sort\" beside the query"), "{r}");
    let r = reason(json!({"query": {"match": {"job_title": "x"}}}));
    assert!(r.contains("a single `match` condition"), "{r}");
    let r = reason(json!({"bool": {"must": [{"bool": {"should": [
        {"term": {"is_working": 1}}]}}]}}));
    assert!(r.contains("minimum_should_match"), "{r}");
    let r = reason(json!({"bool": {"must": []}}));
    assert!(r.contains("an empty \"must\" list"), "{r}");
}

#[test]
fn text_is_read_through_the_editor_parser() {
    let text = r#"{"es_dsl_query": {"query": {"bool": {"must": [{"bool": {"must": [
        {"term": {"is_working": 1}}]}}]}}}}"#;
    assert!(matches!(
        query_in_builder(text),
        QueryInBuilder::Shown { .. }
    ));
    let QueryInBuilder::NotShown { reason } = query_in_builder("{\"query\": ") else {
        panic!("a broken text cannot be shown");
    };
    assert!(
        reason.starts_with("The query code has a problem to fix"),
        "{reason}"
    );
    let with_limit = r#"{"es_dsl_query": {"query": {"bool": {"must": [{"bool": {"must": [
        {"term": {"is_working": 1}}]}}]}}}, "limit": 5}"#;
    assert!(matches!(
        query_in_builder(with_limit),
        QueryInBuilder::NotShown { .. }
    ));
}

#[test]
fn starters_combine_criteria_and_pass_the_checker() {
    for starter in starter_searches() {
        let rules: usize = starter.search.groups.iter().map(|g| g.rules.len()).sum();
        assert!(rules >= 1, "{}", starter.id);
        let query = to_query(&starter.search).unwrap();
        let parsed = parse_query(&query.to_string()).unwrap();
        assert!(parsed.warnings.is_empty(), "{}", starter.id);
        assert_eq!(
            from_query(&query).unwrap(),
            starter.search,
            "{}",
            starter.id
        );
    }
    let combined = starter_searches()
        .iter()
        .filter(|s| s.search.groups.iter().map(|g| g.rules.len()).sum::<usize>() > 1)
        .count();
    assert!(combined >= 5);
}
