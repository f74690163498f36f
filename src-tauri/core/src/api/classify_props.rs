//! Property tests of `classify.rs`: any status, headers and body a server (or a proxy, or an
//! attacker on the path) can send give an outcome or an error, never a panic, and what is kept
//! from them is what they said. `PROPTEST_CASES` (the soak's) raises the case count.
//!
//! Each property runs through [`check`], the tests crate's `property.rs` runner, which prints how
//! many cases it ran (`property <name>: <n> cases, <f> failures`: `make soak` sums these lines).

use super::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseResult;
use reqwest::header::{HeaderName, HeaderValue};

use crate::property;

/// `PROPTEST_CASES` cases (256 unless set); failures found before are replayed first
/// (proptest-regressions/api/classify_props.txt).
fn config() -> ProptestConfig {
    ProptestConfig {
        source_file: Some(file!()),
        failure_persistence: ProptestConfig::default().failure_persistence,
        ..property::cases(256)
    }
}

/// [`property::check`] with [`config`].
fn check<S>(name: &str, strategy: S, test: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    property::check(name, config(), strategy, test);
}

/// Header values a server could send: numbers, ranges, dates, garbage (visible ASCII).
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        (any::<u64>(), any::<u64>(), any::<u64>())
            .prop_map(|(a, b, c)| format!("bytes {a}-{b}/{c}")),
        (0u64..1000, any::<u64>()).prop_map(|(a, b)| format!("bytes {a}-/{b}")),
        "bytes [0-9]{0,22}-[0-9]{0,22}/([0-9]{0,22}|\\*)",
        "[ -~]{0,40}",
        "-?[0-9]{1,25}(\\.[0-9]{0,4})?",
    ]
}

fn headers() -> impl Strategy<Value = HeaderMap> {
    let name = proptest::sample::select(vec![
        "x-credits-remaining",
        "x-total-results",
        "location",
        "retry-after",
        "content-length",
        "content-range",
    ]);
    proptest::collection::vec((name, header_value()), 0..6).prop_map(|pairs| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(&value) {
                map.insert(HeaderName::from_static(name), value);
            }
        }
        map
    })
}

/// A file-list entry: mostly names, sometimes other JSON.
fn entry() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => any::<String>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(serde_json::json!({"name": "a.jsonl.gz"})),
    ]
}

/// Bodies: JSON objects of the contract's shape with hostile contents, or any bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(entry(), 0..8)
            .prop_map(|files| serde_json::json!({"data_request_files": files}).to_string().into_bytes()),
        (any::<String>(), entry()).prop_map(|(key, value)| {
            serde_json::json!({key: value.clone(), "detail": value, "request_id": value, "message": "x"})
                .to_string()
                .into_bytes()
        }),
        proptest::collection::vec(any::<u8>(), 0..600),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => proptest::sample::select(vec![200u16, 201, 202, 206, 400, 401, 402, 403, 404, 409, 416, 422, 429, 500, 503]),
        1 => 100u16..600,
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    (status(), headers(), body()).prop_map(|(status, headers, body)| Answer {
        status,
        headers,
        body: Bytes::from(body),
    })
}

/// Any answer, through every reader of answers: a value or an error, never a panic.
#[test]
fn any_answer_is_classified_on_every_call() {
    let input = (answer(), prop_oneof![Just(0u64), any::<u64>(), 0u64..1000]);
    check(
        "any_answer_is_classified_on_every_call",
        input,
        |(answer, from_byte)| {
            if let Ok(submitted) = submitted(&answer) {
                prop_assert!(!submitted.request_id.is_empty());
            }
            let _ = estimate(&answer);
            if let Some(wait) = retry_after(&answer.headers, SystemTime::now()) {
                prop_assert!(wait <= super::super::LONGEST_WAIT, "{:?}", wait);
            }
            let _ = credits_remaining(&answer.headers);
            if let Some(detail) = detail_of(&answer.body) {
                prop_assert!(detail.chars().count() <= MAX_DETAIL_CHARS);
                prop_assert!(!detail.trim().is_empty());
            }
            if let Ok((start, _)) = download_span(answer.status, &answer.headers, from_byte) {
                prop_assert!(start == 0 || start == from_byte);
            }
            if let Ok(PollOutcome::Ready { files, .. }) = poll_outcome(&answer) {
                // Exactly the non-blank text entries, in order.
                prop_assert_eq!(files, answer_files(&answer.body));
            }
            Ok(())
        },
    );
}

/// The non-blank text entries of `data_request_files`, independently of `ready_or_pending`.
fn answer_files(body: &[u8]) -> Vec<String> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let Some(Value::Array(items)) = map.get("data_request_files") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| !name.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// A 206 that resumes where asked, with any length: the span is read without overflow.
#[test]
fn a_resumed_answer_with_any_length_is_read() {
    let input = (
        any::<u64>(),
        any::<u64>(),
        prop_oneof![Just(None), any::<u64>().prop_map(Some)],
    );
    check(
        "a_resumed_answer_with_any_length_is_read",
        input,
        |(from_byte, length, total)| {
            let mut headers = HeaderMap::new();
            let total_text = total.map_or("*".to_owned(), |t| t.to_string());
            let range = format!(
                "bytes {from_byte}-{}/{total_text}",
                from_byte.saturating_add(1)
            );
            headers.insert(CONTENT_RANGE, HeaderValue::from_str(&range).unwrap());
            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
            let (start, whole) = download_span(206, &headers, from_byte).unwrap();
            prop_assert_eq!(start, from_byte);
            if total.is_some() {
                prop_assert_eq!(whole, total);
            }
            Ok(())
        },
    );
}

/// An answer that echoes the key keeps no copy of it; one that does not is left as it is.
#[test]
fn an_echoed_key_is_blanked_out_of_the_answer() {
    let input = (
        proptest::collection::vec("[ -~]{0,20}", 1..5),
        "[A-Za-z0-9-]{8,40}",
    );
    check(
        "an_echoed_key_is_blanked_out_of_the_answer",
        input,
        |(parts, key)| {
            let body = parts.join(&key);
            let answer = Answer {
                status: 401,
                headers: HeaderMap::new(),
                body: Bytes::from(body.clone()),
            };
            let clean = String::from_utf8(answer.without(&key).body.to_vec()).unwrap();
            prop_assert!(!clean.contains(&key), "{}", clean);
            if !body.contains(&key) {
                prop_assert_eq!(clean, body);
            }
            Ok(())
        },
    );
}
