//! Tests of `classify.rs`.

use super::*;
use reqwest::header::HeaderValue;

fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    Answer {
        status,
        headers: map,
        body: Bytes::from(body.to_owned()),
    }
}

const ID: &str = "433869ec-0a98-4dcd-9b13-db4df58260f5";

#[test]
fn submit_accepts_200_and_201_with_id_in_body() {
    for status in [200, 201] {
        let a = answer(
            status,
            &[("x-credits-remaining", "9973")],
            &format!(r#"{{"request_id": "{ID}"}}"#),
        );
        let s = submitted(&a).unwrap();
        assert_eq!(s.request_id, ID);
        assert_eq!(s.http_status, status);
        assert_eq!(s.credits_remaining, Some(9973));
    }
}

#[test]
fn submit_falls_back_to_the_location_header() {
    for location in [
        format!("/v2/data_requests/{ID}/files"),
        format!("https://api.coresignal.com/cdapi/v2/data_requests/{ID}/files"),
    ] {
        let a = answer(201, &[("location", &location)], "");
        assert_eq!(submitted(&a).unwrap().request_id, ID);
        let a = answer(201, &[("location", &location)], "{}");
        assert_eq!(submitted(&a).unwrap().request_id, ID);
    }
    let a = answer(201, &[], "{}");
    assert!(matches!(
        submitted(&a),
        Err(ApiError::Unexpected { status: 201, .. })
    ));
}

#[test]
fn submit_errors_of_the_contract_table() {
    let cases: Vec<(u16, &str, ApiError)> = vec![
        (
            400,
            r#"{"detail": "File contains too many IDs. Maximum is 10,000 IDs"}"#,
            ApiError::TooManyIds {
                detail: Some("File contains too many IDs. Maximum is 10,000 IDs".into()),
            },
        ),
        (
            400,
            r#"{"detail": "Invalid data"}"#,
            ApiError::BadRequest {
                status: 400,
                detail: Some("Invalid data".into()),
            },
        ),
        (
            401,
            r#"{"detail": "No valid API Key was provided"}"#,
            ApiError::KeyRejected {
                status: 401,
                detail: Some("No valid API Key was provided".into()),
            },
        ),
        (
            402,
            r#"{"detail": "Insufficient credits"}"#,
            ApiError::InsufficientCredits {
                detail: Some("Insufficient credits".into()),
            },
        ),
        (
            409,
            r#"{"detail": "Identical data request is already in progress."}"#,
            ApiError::DuplicateInProgress {
                detail: Some("Identical data request is already in progress.".into()),
            },
        ),
        (
            422,
            r#"{"detail": "Invalid webhook URL"}"#,
            ApiError::BadRequest {
                status: 422,
                detail: Some("Invalid webhook URL".into()),
            },
        ),
        (404, "", ApiError::NotFound { detail: None }),
        (
            429,
            "",
            ApiError::RateLimited {
                detail: None,
                retry_after: None,
            },
        ),
        (
            502,
            "<html>Bad gateway</html>",
            ApiError::Server {
                status: 502,
                detail: Some("<html>Bad gateway</html>".into()),
            },
        ),
        (
            418,
            "{}",
            ApiError::Unexpected {
                status: 418,
                detail: None,
            },
        ),
    ];
    for (status, body, expected) in cases {
        assert_eq!(submitted(&answer(status, &[], body)), Err(expected));
    }
}

#[test]
fn poll_pending_in_every_documented_form() {
    let still = "Data request is still being processed";
    let cases = [
        (202, String::new(), None),
        (202, format!(r#"{{"message": "{still}"}}"#), Some(still)),
        (200, format!(r#"{{"message": "{still}"}}"#), Some(still)),
        (200, r#"{"data_request_files": []}"#.to_owned(), None),
        (200, r#"{"data_request_files": null}"#.to_owned(), None),
        (200, "{}".to_owned(), None),
    ];
    for (status, body, message) in cases {
        assert_eq!(
            poll_outcome(&answer(status, &[], &body)).unwrap(),
            PollOutcome::Pending {
                status,
                message: message.map(str::to_owned)
            },
            "{status} {body}"
        );
    }
}

#[test]
fn poll_ready_keeps_names_exactly() {
    let body =
        r#"{"data_request_files": ["json/part-00000-abc-c000.json.gz", "part-00001.json.gz"]}"#;
    assert_eq!(
        poll_outcome(&answer(200, &[], body)).unwrap(),
        PollOutcome::Ready {
            status: 200,
            files: vec![
                "json/part-00000-abc-c000.json.gz".into(),
                "part-00001.json.gz".into()
            ]
        }
    );
}

#[test]
fn a_file_list_longer_than_any_request_needs_is_refused_with_words() {
    let list = |count: usize| {
        let names: Vec<String> = (0..count).map(|i| format!("part-{i:05}.json.gz")).collect();
        serde_json::json!({ "data_request_files": names }).to_string()
    };
    match poll_outcome(&answer(200, &[], &list(10_000))).unwrap() {
        PollOutcome::Ready { files, .. } => assert_eq!(files.len(), 10_000),
        other => panic!("10,000 files are accepted: {other:?}"),
    }
    let error = poll_outcome(&answer(200, &[], &list(10_001))).unwrap_err();
    assert_eq!(error, ApiError::TooManyFiles { count: 10_001 });
    let message = crate::error::Coded::user_message(&error);
    assert!(
        message.contains("listed 10001 files") && message.contains("downloads none of them"),
        "{message}"
    );
}

#[test]
fn poll_terminal_states() {
    let no_match = r#"{"detail": "Request did not find any matching IDs"}"#;
    for status in [404, 422] {
        assert_eq!(
            poll_outcome(&answer(status, &[], no_match)).unwrap(),
            PollOutcome::NoResults {
                status,
                detail: Some("Request did not find any matching IDs".into())
            }
        );
    }
    assert_eq!(
        poll_outcome(&answer(
            422,
            &[],
            r#"{"detail": "Request matched too many IDs. Maximum is 10,000 IDs"}"#
        ))
        .unwrap(),
        PollOutcome::TooManyMatches {
            detail: Some("Request matched too many IDs. Maximum is 10,000 IDs".into())
        }
    );
    assert_eq!(
        poll_outcome(&answer(404, &[], r#"{"detail": "Not Found"}"#)).unwrap(),
        PollOutcome::Expired {
            detail: Some("Not Found".into())
        }
    );
    assert_eq!(
        poll_outcome(&answer(404, &[], "not json at all")).unwrap(),
        PollOutcome::Expired {
            detail: Some("not json at all".into())
        }
    );
    assert_eq!(
        poll_outcome(&answer(402, &[], r#"{"detail": "Insufficient credits"}"#)).unwrap(),
        PollOutcome::InsufficientCredits {
            detail: Some("Insufficient credits".into())
        }
    );
}

#[test]
fn poll_errors() {
    assert!(matches!(
        poll_outcome(&answer(401, &[], "")),
        Err(ApiError::KeyRejected { status: 401, .. })
    ));
    assert!(matches!(
        poll_outcome(&answer(503, &[], "")),
        Err(ApiError::Server { status: 503, .. })
    ));
    assert!(matches!(
        poll_outcome(&answer(200, &[], "<html>")),
        Err(ApiError::Unexpected { status: 200, .. })
    ));
    assert!(matches!(
        poll_outcome(&answer(422, &[], r#"{"detail": "bad id"}"#)),
        Err(ApiError::BadRequest { status: 422, .. })
    ));
}

#[test]
fn estimate_reads_the_total_header() {
    let a = answer(
        200,
        &[("x-total-results", "1234"), ("x-credits-remaining", "50.0")],
        "[1, 2, 3]",
    );
    assert_eq!(
        estimate(&a).unwrap(),
        Estimate {
            total_results: 1234,
            credits_remaining: Some(50)
        }
    );
    assert!(matches!(
        estimate(&answer(200, &[], "[]")),
        Err(ApiError::Unexpected { .. })
    ));
    assert!(matches!(
        estimate(&answer(401, &[], "")),
        Err(ApiError::KeyRejected { .. })
    ));
}

#[test]
fn details_tolerate_any_body() {
    assert_eq!(detail_of(br#"{"detail": "x"}"#), Some("x".into()));
    assert_eq!(
        detail_of(br#"{"detail": [{"msg": "bad"}]}"#),
        Some(r#"[{"msg":"bad"}]"#.into())
    );
    assert_eq!(detail_of(b"  plain text \n"), Some("plain text".into()));
    assert_eq!(detail_of(b""), None);
    assert_eq!(detail_of(b"[1,2]"), None);
    assert_eq!(detail_of(&[0xff, 0xfe]).map(|d| !d.is_empty()), Some(true));
    assert_eq!(
        detail_of("y".repeat(2000).as_bytes()).map(|d| d.len()),
        Some(MAX_DETAIL_CHARS)
    );
}

#[test]
fn download_spans() {
    let h = |pairs: &[(&'static str, &str)]| answer(200, pairs, "").headers;
    assert_eq!(
        download_span(200, &h(&[("content-length", "1000")]), 0).unwrap(),
        (0, Some(1000))
    );
    assert_eq!(
        download_span(200, &h(&[("content-length", "1000")]), 500).unwrap(),
        (0, Some(1000)),
        "a 200 to a Range request means: start over"
    );
    assert_eq!(
        download_span(206, &h(&[("content-range", "bytes 500-999/1000")]), 500).unwrap(),
        (500, Some(1000))
    );
    assert_eq!(
        download_span(
            206,
            &h(&[
                ("content-range", "bytes 500-999/*"),
                ("content-length", "500")
            ]),
            500
        )
        .unwrap(),
        (500, Some(1000))
    );
    assert!(download_span(206, &h(&[("content-range", "bytes 400-999/1000")]), 500).is_err());
    assert!(download_span(206, &h(&[]), 500).is_err());
}

#[test]
fn download_errors() {
    assert!(matches!(
        error_for(Call::Download, 404, None),
        ApiError::Expired { .. }
    ));
    assert_eq!(
        error_for(Call::Download, 416, None),
        ApiError::RangeNotSatisfiable
    );
}

#[test]
fn a_key_echoed_with_json_escapes_is_redacted_too() {
    let key = "sk-TEST/9f3a";
    let body =
        r#"{"detail": "bad key \u0073k-TEST\/9f3a for this plan", "nested": ["sk-TEST\/9f3a"]}"#;
    let clean = answer(401, &[], body).without(key);
    let text = String::from_utf8_lossy(&clean.body).into_owned();
    assert!(!text.contains("9f3a"), "{text}");
    assert_eq!(
        detail_of(&clean.body).as_deref(),
        Some("bad key <redacted> for this plan")
    );
}
