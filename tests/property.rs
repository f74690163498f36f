//! Property tests that say how much they did: proptest runs a property on generated inputs but
//! reports nothing when it passes, so [`check`] runs it through an explicit
//! [`TestRunner`](proptest::test_runner::TestRunner), counts every execution of the body, and
//! prints `property <name>: <n> cases, <f> failures` at the end. `make soak` sums these lines.
//! (`collect-core`'s own property tests, `api/classify_props.rs`, print the same line.)

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseResult, TestRunner};
use serde_json::{Map, Value};

/// The case count of a property: `PROPTEST_CASES` (the soak's), else `default`. A failure prints
/// its shrunk input; no regression file is left in the working tree.
pub fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        failure_persistence: None,
        ..Config::with_cases(cases)
    }
}

/// Runs `test` on inputs from `strategy` as `config` says, prints how many times it ran and
/// whether it failed, and fails (panics, with the shrunk input) if it did.
pub fn check<S>(name: &str, config: Config, strategy: S, test: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: Debug,
{
    let executed = AtomicU64::new(0);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |value| {
        executed.fetch_add(1, Ordering::Relaxed);
        test(value)
    });
    let executed = executed.into_inner();
    match result {
        Ok(()) => println!("property {name}: {executed} cases, 0 failures"),
        Err(error) => {
            println!("property {name}: {executed} cases, 1 failure");
            panic!("property {name}: {error}");
        }
    }
}

/// Arbitrary JSON, with keys the linter and the export look at mixed into random ones.
pub fn hostile_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        proptest::sample::select(vec![
            "query",
            "bool",
            "must",
            "should",
            "filter",
            "must_not",
            "match",
            "nested",
            "path",
            "term",
            "terms",
            "range",
            "experience.title",
            "country",
            "id",
            "full_name",
            "experience",
            "education",
            "limit",
            "es_dsl_query",
            "sort",
            "size",
        ])
        .prop_map(str::to_owned),
        "[a-z_.]{1,8}",
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}
