//! Tests of `quote.rs`.

use super::super::words::{group, plural};
use super::*;
use crate::api::scripted_peer::{Reply, ScriptedPeer};
use crate::jobs::Mode;

/// A search for everyone, with `limit`.
fn everyone(limit: Option<u32>) -> NewJob {
    NewJob {
        name: None,
        request: JobRequest::Query {
            query: crate::query::parse_query(r#"{"query": {"match_all": {}}}"#).unwrap(),
            limit,
        },
        webhook_url: None,
    }
}

/// The same search with a larger limit that does not bind (the service counts fewer matches)
/// delivers the same profiles: it is the same data, collected before. A limit below the matches
/// is other data.
#[tokio::test]
async fn a_larger_limit_that_does_not_bind_is_the_same_data_collected_before() {
    let counted = Reply::json(200, "[]").with("x-total-results", "30");
    let peer = ScriptedPeer::start(vec![counted; 5]).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = crate::jobs::tests::engine_at(dir.path(), &peer.base_url);
    let first = engine.quote(&everyone(Some(50))).await.unwrap();
    assert_eq!(first.records, 30);
    let job = engine
        .store()
        .spend_quote(
            Mode::Practice,
            first.id,
            "me",
            "me",
            Duration::from_secs(60),
        )
        .unwrap()
        .unwrap();
    engine.store().set_request_id(job.id, "r-1").unwrap();

    for limit in [Some(100), None, Some(30)] {
        let quote = engine.quote(&everyone(limit)).await.unwrap();
        let earlier: Vec<i64> = quote.earlier.iter().map(|job| job.id).collect();
        assert_eq!(earlier, vec![job.id], "limit {limit:?}");
        assert!(quote.question.contains("again"), "{}", quote.question);
    }
    let fewer = engine.quote(&everyone(Some(29))).await.unwrap();
    assert!(fewer.earlier.is_empty(), "29 of 30 is other data");
}

/// The native question for a Live quote of data bought in the last 30 days says "again" and names
/// the earlier collection, in the same words as the webview's.
#[tokio::test]
async fn the_native_question_for_data_bought_before_says_again_and_names_it() {
    let counted = Reply::json(200, "[]").with("x-total-results", "30");
    let peer = ScriptedPeer::start(vec![counted; 3]).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = crate::jobs::tests::engine_at(dir.path(), &peer.base_url);
    let mut options = engine.options();
    options.mode = Mode::Live;
    engine.apply(options).unwrap();
    let named = NewJob {
        name: Some("Nurses in Berlin".into()),
        ..everyone(Some(50))
    };
    let first = engine.quote(&named).await.unwrap();
    let job = engine
        .store()
        .spend_quote(Mode::Live, first.id, "me", "me", Duration::from_secs(60))
        .unwrap()
        .unwrap();
    engine.store().set_request_id(job.id, "r-1").unwrap();

    let again = engine.quote(&everyone(Some(50))).await.unwrap();
    let (_, question) = engine.consent_question(again.id).unwrap().unwrap();
    assert_eq!(question, again.question, "the same words as the webview's");
    assert!(question.contains(" again for 30 credits?"), "{question}");
    assert!(
        question.contains("1 credit per profile, from your plan setting."),
        "the question names the figure behind the price: {question}"
    );
    assert!(question.contains("(\"Nurses in Berlin\")"), "{question}");
    assert!(!question.contains("job"), "{question}");
}

#[test]
fn webhook_must_be_https() {
    assert_eq!(check_webhook(None).unwrap(), None);
    assert_eq!(check_webhook(Some("  ")).unwrap(), None);
    assert!(check_webhook(Some("https://example.com/hook")).is_ok());
    let error = check_webhook(Some("http://example.com/hook")).unwrap_err();
    assert!(error.to_string().contains("https://"));
}

#[test]
fn limit_must_be_between_1_and_10000() {
    assert!(check_limit(None).is_ok());
    assert!(check_limit(Some(1)).is_ok());
    assert!(check_limit(Some(10_000)).is_ok());
    assert!(check_limit(Some(0)).is_err());
    assert!(check_limit(Some(10_001)).is_err());
}

#[test]
fn numbers_are_grouped_by_thousands() {
    assert_eq!(group(0), "0");
    assert_eq!(group(999), "999");
    assert_eq!(group(1_000), "1,000");
    assert_eq!(group(1_234_567), "1,234,567");
    assert_eq!(plural(1, "profile", "profiles"), "1 profile");
    assert_eq!(plural(2_500, "profile", "profiles"), "2,500 profiles");
}
