//! The command line's side of the money rules: `preview` says its cost and refuses to spend in a
//! script without `--yes`; `submit` over the limit per request needs `--yes-over-cap`; `ledger`
//! reads what was spent. The real binary against the real simulator.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use bulk_collect_tests::*;
use collect_core::jobs::JobState;
use collect_core::store::Setting;
use coresignal_sim::{Endpoint, SimConfig, DEFAULT_PRACTICE_KEY};

async fn paid_previews() -> Harness {
    Harness::start(SimConfig {
        preview_credits: 10,
        ..quick_sim()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_preview_in_a_script_needs_yes_and_sends_nothing_without_it() {
    let harness = paid_previews().await;
    let start = harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    let refused = run_cli(
        &harness,
        &["--json", "preview", "--query", &python_query_file()],
    );
    assert!(!refused.status.success());
    let message = cli_error_message(&refused);
    assert!(
        message.contains("costs 10 credits") && message.contains("--yes"),
        "{message}"
    );
    let plain = run_cli(&harness, &["preview", "--query", &python_query_file()]);
    assert!(!plain.status.success());
    assert_eq!(
        harness.sim.count_calls(Endpoint::Preview),
        0,
        "nothing reached the service"
    );

    let shown = run_cli(
        &harness,
        &["preview", "--query", &python_query_file(), "--yes"],
    );
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let table = String::from_utf8_lossy(&shown.stdout);
    assert!(table.starts_with("ID"), "{table}");
    assert!(
        table.contains("Name") && table.contains("Country"),
        "{table}"
    );
    assert!(table.contains("20 people shown · 10 credits"), "{table}");
    assert_eq!(harness.sim.count_calls(Endpoint::Preview), 1);
    assert_eq!(
        harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap(),
        start - 10
    );

    let answer = stdout_json(&run_cli(
        &harness,
        &[
            "--json",
            "preview",
            "--query",
            &python_query_file(),
            "--yes",
        ],
    ));
    assert_eq!(answer["people"].as_array().unwrap().len(), 20);
    assert_eq!(answer["credits"], 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_free_preview_needs_no_yes() {
    let harness = Harness::start(quick_sim()).await;
    harness
        .engine
        .store()
        .set_setting(Setting::PreviewCredits, "0")
        .unwrap();
    let answer = stdout_json(&run_cli(
        &harness,
        &["--json", "preview", "--query", &python_query_file()],
    ));
    assert_eq!(answer["people"].as_array().unwrap().len(), 20);
    assert_eq!(answer["credits"], 0);
}

/// The limit per request guards money, so it holds in Live mode only (`money_on_screen` and
/// `credits` test it there): against the simulator (Practice, where nothing is spent) one `--yes`
/// is enough above it, and the answer says nothing is spent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_practice_the_limit_per_request_asks_nothing_more() {
    let harness = Harness::start(quick_sim()).await;
    harness
        .engine
        .store()
        .set_setting(Setting::CreditCap, "5")
        .unwrap();
    let query = python_query_file();
    let sent = run_cli(
        &harness,
        &[
            "--json", "submit", "--query", &query, "--limit", "12", "--yes",
        ],
    );
    assert!(sent.status.success(), "{sent:?}");
    let answer = stdout_json(&sent);
    assert_eq!(answer["state"], "processing");
    assert_eq!(answer["quote"]["over_cap"], serde_json::Value::Null);
    assert!(answer["quote"]["question"]
        .as_str()
        .unwrap()
        .ends_with("Practice: nothing is spent (a real account would pay 12 credits)."));
    assert_eq!(harness.sim.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_credits_binds_yes_to_a_figure() {
    let harness = Harness::start(quick_sim()).await;
    let query = python_query_file();
    let submit = |most: &str| {
        run_cli(
            &harness,
            &[
                "--json",
                "submit",
                "--query",
                &query,
                "--limit",
                "12",
                "--yes",
                "--max-credits",
                most,
            ],
        )
    };
    let refused = submit("11");
    assert!(!refused.status.success());
    let error = &stdout_json(&refused)["error"];
    assert_eq!(error["code"], "OverCap");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("This costs 12 credits, more than --max-credits 11. Nothing was sent"),
        "{error}"
    );
    assert!(harness.sim.requests().is_empty(), "nothing was submitted");
    let sent = stdout_json(&submit("12"));
    assert_eq!(sent["state"], "processing");
    assert_eq!(harness.sim.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_lists_what_each_job_spent() {
    let harness = Harness::start(SimConfig {
        credits_per_record: 10,
        ..quick_sim()
    })
    .await;
    let empty = run_cli(&harness, &["ledger"]);
    assert_eq!(
        String::from_utf8_lossy(&empty.stdout).trim(),
        "No credits spent yet in this history."
    );
    let job = harness.submit_python(Some(6)).await;
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;

    let ledger = stdout_json(&run_cli(&harness, &["--json", "ledger"]));
    assert_eq!(ledger["total"], 60);
    assert_eq!(ledger["lines"][0]["job_id"], job.id);
    assert_eq!(ledger["lines"][0]["measured"], true);
    let text = String::from_utf8_lossy(&run_cli(&harness, &["ledger"]).stdout).into_owned();
    assert!(
        text.contains("measured") && text.contains("Total: 60 credits"),
        "{text}"
    );

    // The next price uses what was measured, and says so.
    let estimate = run_cli(
        &harness,
        &["estimate", "--query", &python_query_file(), "--limit", "3"],
    );
    let text = String::from_utf8_lossy(&estimate.stdout).into_owned();
    assert!(text.contains("· 30 credits"), "{text}");
    assert!(
        text.contains("10 credits per profile, measured on an earlier delivery."),
        "{text}"
    );
}
