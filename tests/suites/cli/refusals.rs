//! What a script is refused, and how: nothing spent without `--yes`, bad lines named first, the same
//! search again only with `--again`, every failure a JSON error with a code and a non-zero exit.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_without_yes_in_a_script_spends_nothing() {
    let harness = Harness::start(quick_sim()).await;
    let output = run_cli(
        &harness,
        &[
            "--json",
            "submit",
            "--query",
            &python_query_file(),
            "--limit",
            "5",
        ],
    );
    assert!(!output.status.success());
    let answer = stdout_json(&output);
    assert_eq!(answer["error"]["code"], "InvalidInput");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--yes"));
    assert!(harness.sim.requests().is_empty(), "nothing was submitted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_json_errors_with_a_code_and_a_non_zero_exit() {
    let harness = Harness::start(quick_sim()).await;
    let missing = run_cli(&harness, &["--json", "show", "999"]);
    assert!(!missing.status.success());
    assert_eq!(stdout_json(&missing)["error"]["code"], "NotFound");

    let malformed = shared_data("query-malformed.json")
        .to_string_lossy()
        .into_owned();
    let bad = run_cli(&harness, &["--json", "estimate", "--query", &malformed]);
    assert!(!bad.status.success());
    let error = stdout_json(&bad);
    assert_eq!(error["error"]["code"], "InvalidQuery");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("query-malformed.json") && message.contains("line 2"),
        "{message}"
    );

    let over = shared_data("ids-over-limit.csv")
        .to_string_lossy()
        .into_owned();
    let refused = run_cli(&harness, &["--json", "submit", "--ids", &over, "--yes"]);
    assert_eq!(stdout_json(&refused)["error"]["code"], "TooManyIds");

    let plain = run_cli(&harness, &["show", "999"]);
    assert!(!plain.status.success());
    assert!(String::from_utf8_lossy(&plain.stderr).contains("There is no Collection 999"));
    assert!(harness.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_file_with_bad_lines_names_them_before_any_confirmation() {
    let harness = Harness::start(quick_sim()).await;
    let ids = shared_data("ids-with-problems.csv")
        .to_string_lossy()
        .into_owned();
    let refused = run_cli(&harness, &["--json", "submit", "--ids", &ids]);
    assert!(!refused.status.success());
    let message = cli_error_message(&refused);
    assert!(
        message.contains("line 13") && message.contains("abc123"),
        "{message}"
    );
    assert!(message.contains("--yes"), "{message}");
    assert!(harness.sim.requests().is_empty(), "nothing was sent");

    let sent = stdout_json(&run_cli(
        &harness,
        &["--json", "submit", "--ids", &ids, "--yes"],
    ));
    let problems = sent["ids"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|problem| problem["text"] == "abc123"),
        "{sent}"
    );
    assert!(
        sent["ids"]["duplicates_removed"].as_u64().unwrap() >= 2,
        "{sent}"
    );
    assert_eq!(sent["quote"]["records"], sent["ids"]["valid"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_search_again_needs_again_and_a_job_can_be_cancelled() {
    let harness = Harness::start(quick_sim()).await;
    let query = python_query_file();
    let first = stdout_json(&run_cli(
        &harness,
        &[
            "--json", "submit", "--query", &query, "--limit", "4", "--yes",
        ],
    ));
    let job = first["job"].as_i64().unwrap().to_string();
    let refused = run_cli(
        &harness,
        &[
            "--json", "submit", "--query", &query, "--limit", "4", "--yes",
        ],
    );
    assert!(!refused.status.success());
    let answer = stdout_json(&refused);
    assert_eq!(answer["error"]["code"], "CollectedBefore", "{answer}");
    assert_eq!(answer["error"]["job"].as_i64().unwrap().to_string(), job);
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--again"));
    assert_eq!(harness.sim.requests().len(), 1, "nothing sent twice");

    let cancelled = stdout_json(&run_cli(&harness, &["--json", "cancel", &job]));
    assert_eq!(cancelled["state"], "cancelled");
    let again = run_cli(&harness, &["--json", "cancel", &job]);
    assert_eq!(stdout_json(&again)["error"]["code"], "InvalidState");
}
