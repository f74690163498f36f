use proptest::prelude::*;

use super::{read_pasted, KEY_NOT_KEPT};
use crate::query::QueryInBuilder;

const KEY: &str = "Zq8Rk2VbT9xWmLp4Hs7Nc3Fd6Gj1Ya5E";

const QUERY: &str = r#"{"query": {"bool": {"must": [{"bool": {"must": [{"terms": {"location_country": ["Germany"]}}]}}]}}}"#;

fn curl_single(key: &str) -> String {
    format!(
        "curl -X POST 'https://api.coresignal.com/cdapi/v2/employee_clean/search/es_dsl' \\\n  \
         -H 'apikey: {key}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{QUERY}'"
    )
}

#[test]
fn a_curl_command_from_the_documentation_opens_its_query_and_drops_the_key() {
    let pasted = read_pasted(&curl_single(KEY)).unwrap().expect("a command");
    let query: serde_json::Value = serde_json::from_str(&pasted.query_text).unwrap();
    assert_eq!(
        query["query"]["bool"]["must"][0]["bool"]["must"][0]["terms"]["location_country"][0],
        "Germany"
    );
    assert_eq!(pasted.notes, vec![KEY_NOT_KEPT.to_owned()]);
    assert!(!format!("{pasted:?}").contains(KEY));
    assert!(matches!(pasted.builder, QueryInBuilder::Shown { .. }));
}

#[test]
fn double_quotes_with_escapes_and_data_raw_read_the_same() {
    let escaped = QUERY.replace('"', "\\\"");
    let text = format!(
        "curl --request POST \"https://api.coresignal.com/cdapi/v2/employee_clean/search/es_dsl\" \
         --header \"apikey: {KEY}\" --data-raw \"{escaped}\""
    );
    let double = read_pasted(&text).unwrap().unwrap();
    let single = read_pasted(&curl_single(KEY)).unwrap().unwrap();
    assert_eq!(double.query_text, single.query_text);
    assert_eq!(double.notes, vec![KEY_NOT_KEPT.to_owned()]);
}

#[test]
fn the_bulk_request_body_with_es_dsl_query_and_a_limit_is_read() {
    let text = format!(
        "curl -X 'POST' \\\n 'https://api.coresignal.com/cdapi/v2/data_requests/employee_clean/es_dsl' \\\n \
         -H 'accept: application/json' \\\n -H 'apikey: {KEY}' \\\n --data '{{\"data_format\": \"json\", \"limit\": 5, \
         \"webhook_url\": \"https://server.com/hook\", \"es_dsl_query\": {QUERY}}}'"
    );
    let pasted = read_pasted(&text).unwrap().unwrap();
    assert_eq!(pasted.limit, Some(5));
    assert!(pasted.query_text.contains("location_country"));
    assert!(pasted.notes.iter().any(|note| note.contains("webhook_url")));
}

#[test]
fn a_playground_body_with_other_keys_is_read_and_plain_query_code_is_left_alone() {
    let body = r#"{"query": {"match": {"headline": "sales"}}, "size": 20}"#;
    let pasted = read_pasted(body).unwrap().expect("a body");
    assert!(pasted.query_text.contains("headline"));
    assert!(pasted.notes.iter().any(|note| note.contains("size")));
    assert_eq!(
        read_pasted(QUERY).unwrap(),
        None,
        "plain query code pastes as it is"
    );
    assert_eq!(read_pasted("python developer").unwrap(), None);
    assert_eq!(read_pasted("").unwrap(), None);
}

#[test]
fn a_body_read_from_a_file_is_refused_in_words() {
    let text = format!(
        "curl -X POST https://api.coresignal.com/cdapi/v2/employee_clean/search/es_dsl \
         -H 'apikey: {KEY}' -d @query.json"
    );
    let refused = read_pasted(&text).unwrap_err();
    assert!(refused.contains("from a file"), "{refused}");
    assert!(!refused.contains(KEY));
}

#[test]
fn other_data_an_id_file_and_a_command_without_a_body_are_refused_in_words() {
    let company = format!(
        "curl -X POST 'https://api.coresignal.com/cdapi/v2/company_clean/search/es_dsl' -H 'apikey: {KEY}' -d '{QUERY}'"
    );
    assert!(read_pasted(&company)
        .unwrap_err()
        .contains("other Coresignal data"));
    let ids = format!(
        "curl -X POST 'https://api.coresignal.com/cdapi/v2/data_requests/employee_clean/id_file' -H 'apikey: {KEY}' -F 'ids_file=@ids.csv'"
    );
    assert!(read_pasted(&ids).unwrap_err().contains("List of people"));
    let bare = format!("curl 'https://api.coresignal.com/cdapi/v2/employee_clean/search/es_dsl' -H 'apikey: {KEY}'");
    assert!(read_pasted(&bare).unwrap_err().contains("no search"));
    let open = "curl -d '{\"query\": {}}";
    assert!(read_pasted(open).unwrap_err().contains("never closed"));
}

#[test]
fn a_query_the_builder_cannot_show_opens_in_the_code() {
    let text = format!(
        "curl -H 'apikey: {KEY}' -d '{{\"query\": {{\"wildcard\": {{\"job_title\": \"py*\"}}}}}}'"
    );
    let pasted = read_pasted(&text).unwrap().unwrap();
    assert!(matches!(pasted.builder, QueryInBuilder::NotShown { .. }));
}

proptest! {
    /// Whatever the key and however the command is written, the key is in no answer or error.
    #[test]
    fn the_key_never_comes_back(key in "[A-Za-z0-9]{16,40}", double in any::<bool>(), body_from_file in any::<bool>()) {
        let header = if double { format!("-H \"apikey: {key}\"") } else { format!("-H 'apikey: {key}'") };
        let data = if body_from_file { "-d @q.json".to_owned() } else { format!("-d '{QUERY}'") };
        let text = format!("curl -X POST https://api.coresignal.com/cdapi/v2/employee_clean/search/es_dsl {header} {data}");
        let answer = format!("{:?}", read_pasted(&text));
        prop_assert!(!answer.contains(&key));
    }

    /// Any text: an answer or words, never a panic.
    #[test]
    fn any_text_is_answered(text in "\\PC{0,200}") {
        let _ = read_pasted(&text);
        let _ = read_pasted(&format!("curl {text}"));
    }

    /// Line continuations and spacing do not change what is read.
    #[test]
    fn continuations_do_not_change_the_query(breaks in proptest::collection::vec(any::<bool>(), 4)) {
        let sep = |i: usize| if breaks[i] { " \\\n  " } else { " " };
        let text = format!(
            "curl{}-X POST{}https://api.coresignal.com/cdapi/v2/employee_clean/search/es_dsl{}-H 'apikey: {KEY}'{}-d '{QUERY}'",
            sep(0), sep(1), sep(2), sep(3)
        );
        let pasted = read_pasted(&text).unwrap().unwrap();
        let single = read_pasted(&curl_single(KEY)).unwrap().unwrap();
        prop_assert_eq!(pasted.query_text, single.query_text);
    }
}
