//! Property tests that say how much they did: proptest runs a property on generated inputs but
//! reports nothing when it passes, so [`check`] runs it through an explicit
//! [`TestRunner`](proptest::test_runner::TestRunner), counts every execution of the body, and
//! prints `property <name>: <n> cases, <f> failures` at the end. `make soak` sums these lines.
//! `collect-core`'s own property tests (`api/classify_props.rs`) compile this same file, so the
//! runner exists once.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseResult, TestRunner};

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
