//! Tests of `quote.rs`.

use super::super::words::{group, plural};
use super::*;

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
