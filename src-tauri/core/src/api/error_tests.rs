//! Tests of `error.rs`.

use super::*;

#[test]
fn messages_keep_the_detail_and_say_what_to_do() {
    let error = ApiError::InsufficientCredits {
        detail: Some("Insufficient credits".into()),
    };
    assert_eq!(error.code(), ErrorCode::InsufficientCredits);
    assert_eq!(error.status(), Some(402));
    assert!(error.user_message().contains("Top up"));
    assert!(error.user_message().contains("Insufficient credits"));
    assert_eq!(
        error.to_string(),
        "insufficient credits (HTTP 402): Insufficient credits"
    );
}

#[test]
fn a_long_retry_after_is_kept_uncapped_and_said() {
    let error = ApiError::RateLimited {
        detail: None,
        retry_after: Some(Duration::from_secs(3 * 3600)),
    };
    assert_eq!(error.retry_after(), Some(Duration::from_secs(10_800)));
    assert_eq!(error.code(), ErrorCode::RateLimited);
    assert!(
        error.user_message().contains("wait 3 hours"),
        "{}",
        error.user_message()
    );
    assert_eq!(plain_duration(Duration::from_secs(61)), "2 minutes");
    assert_eq!(ApiError::InvalidKey.retry_after(), None);
}

#[test]
fn uncertain_is_its_own_code() {
    let error = SubmitError::Uncertain {
        reason: "the service answered 502 (bad gateway) after receiving it.".into(),
        status: Some(502),
    };
    assert_eq!(error.code(), ErrorCode::Uncertain);
    assert_eq!(error.status(), Some(502));
    assert!(error.user_message().contains("dashboard"));
}

/// What a person reads names no HTTP status and no "request": those stay in `Display`, for the
/// trail under Technical details.
#[test]
fn what_a_person_reads_names_no_http_status() {
    let said = Some("upstream timed out".to_owned());
    let errors = [
        ApiError::Server {
            status: 502,
            detail: said.clone(),
        },
        ApiError::Unexpected {
            status: 418,
            detail: None,
        },
        ApiError::BadRequest {
            status: 422,
            detail: None,
        },
        ApiError::NoResults {
            status: 404,
            detail: None,
        },
        ApiError::Expired { detail: None },
        ApiError::DuplicateInProgress { detail: None },
        ApiError::TooManyFiles { count: 10_001 },
    ];
    for error in errors {
        let message = error.user_message();
        assert!(!message.contains("HTTP"), "{message}");
        assert!(!message.contains("request"), "{message}");
        if error.status() != Some(200) {
            assert!(error.to_string().contains("HTTP"), "{error}");
        }
    }
    let server = ApiError::Server {
        status: 502,
        detail: said,
    };
    assert_eq!(
        server.user_message(),
        "Coresignal had a problem on its side. The service said: \"upstream timed out\". Try again in a few minutes."
    );
}
