//! The CLI binary, run as a script would run it, against the real simulator: `--json` answers,
//! confirmation rules, exit codes, and the keychain.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Stdio};

use bulk_collect_tests::*;
use coresignal_sim::{Endpoint, DEFAULT_PRACTICE_KEY};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_goes_from_estimate_to_files_with_json_answers() {
    let harness = Harness::start(quick_sim()).await;
    let query = python_query_file();

    let estimate = run_cli(
        &harness,
        &["--json", "estimate", "--query", &query, "--limit", "30"],
    );
    assert!(estimate.status.success());
    let estimate = stdout_json(&estimate);
    assert_eq!(estimate["records"], 30);
    assert_eq!(estimate["credits"], 30);
    assert!(estimate["balance"].is_i64());

    let submitted = run_cli(
        &harness,
        &[
            "--json",
            "submit",
            "--query",
            &query,
            "--limit",
            "30",
            "--name",
            "Python people",
            "--yes",
        ],
    );
    assert!(
        submitted.status.success(),
        "{}",
        String::from_utf8_lossy(&submitted.stdout)
    );
    let submitted = stdout_json(&submitted);
    assert_eq!(submitted["state"], "processing");
    let request_id = submitted["request_id"].as_str().unwrap();
    assert_eq!(request_id, harness.sim.requests()[0].id);
    let job = submitted["job"].as_i64().unwrap().to_string();

    let waited = stdout_json(&run_cli(&harness, &["--json", "wait", &job]));
    assert_eq!(waited["state"], "ready");

    let target = harness.dir.path().join("my files");
    let downloaded = run_cli(
        &harness,
        &["--json", "download", &job, "--to", target.to_str().unwrap()],
    );
    assert!(
        downloaded.status.success(),
        "{}",
        String::from_utf8_lossy(&downloaded.stdout)
    );
    let downloaded = stdout_json(&downloaded);
    assert_eq!(downloaded["state"], "downloaded");
    let files = downloaded["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    let path = Path::new(files[0]["path"].as_str().unwrap());
    assert!(path.starts_with(&target));
    assert_eq!(files[0]["records"], 30);
    assert_eq!(
        files[0]["bytes"].as_u64().unwrap(),
        std::fs::metadata(path).unwrap().len()
    );
    assert_eq!(read_records(path).len(), 30);

    // Once downloaded, --to copies the files from this computer: nothing is fetched again, so
    // files the service no longer keeps are never at risk.
    let fetched = harness.sim.count_calls(Endpoint::Download);
    let shared = harness.dir.path().join("for the team");
    let copied = stdout_json(&run_cli(
        &harness,
        &["--json", "download", &job, "--to", shared.to_str().unwrap()],
    ));
    assert_eq!(copied["state"], "downloaded", "{copied}");
    let copy = Path::new(copied["files"][0]["path"].as_str().unwrap());
    assert!(copy.starts_with(&shared), "{copied}");
    assert_eq!(std::fs::read(copy).unwrap(), std::fs::read(path).unwrap());
    let spreadsheets = |dir: &Path| {
        files_under(dir)
            .into_iter()
            .filter(|file| file.extension().is_some_and(|ext| ext == "xlsx"))
            .count()
    };
    assert_eq!(spreadsheets(&shared), 1, "the spreadsheet came along");
    // The same folder spelled another way: nothing to copy, nothing fetched.
    let spelled = shared.join("..").join("for the team");
    let same = run_cli(
        &harness,
        &[
            "--json",
            "download",
            &job,
            "--to",
            spelled.to_str().unwrap(),
        ],
    );
    assert_eq!(
        stdout_json(&same)["files"][0]["path"],
        copied["files"][0]["path"]
    );
    assert_eq!(harness.sim.count_calls(Endpoint::Download), fetched);
    // A folder that already holds a file of that name: refused, and nothing there is replaced.
    let crowded = harness.dir.path().join("crowded");
    std::fs::create_dir_all(&crowded).unwrap();
    let theirs = crowded.join(copy.file_name().unwrap());
    std::fs::write(&theirs, b"a colleague's file").unwrap();
    let refused = run_cli(
        &harness,
        &[
            "--json",
            "download",
            &job,
            "--to",
            crowded.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(
        cli_error_message(&refused).contains("already there"),
        "{}",
        cli_error_message(&refused)
    );
    assert_eq!(std::fs::read(&theirs).unwrap(), b"a colleague's file");
    assert_eq!(spreadsheets(&crowded), 0, "no copy left behind");

    let shown = stdout_json(&run_cli(&harness, &["--json", "show", &job]));
    assert_eq!(shown["state"], "downloaded");
    assert_eq!(shown["name"], "Python people");
    assert!(shown["events"].as_array().unwrap().len() >= 5);

    let listed = stdout_json(&run_cli(&harness, &["--json", "jobs"]));
    assert_eq!(listed["jobs"].as_array().unwrap().len(), 1);

    // Practice and Live histories are apart: a live address sees none of it (and calls nothing).
    let live = Command::new(workspace_binary("bulk-collect-cli"))
        .args([
            "--api-base",
            "https://api.coresignal.com/cdapi",
            "--data-dir",
        ])
        .arg(harness.dir.path())
        .args(["--json", "jobs"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&live)["jobs"].as_array().unwrap().len(), 0);
}

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
async fn an_id_file_is_submitted_and_downloaded() {
    let harness = Harness::start(quick_sim()).await;
    let ids = shared_data("ids-valid.csv").to_string_lossy().into_owned();
    let submitted = stdout_json(&run_cli(
        &harness,
        &["--json", "submit", "--ids", &ids, "--yes"],
    ));
    let job = submitted["job"].as_i64().unwrap().to_string();
    let downloaded = stdout_json(&run_cli(&harness, &["--json", "download", &job]));
    let records: u64 = downloaded["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["records"].as_u64().unwrap())
        .sum();
    assert_eq!(records, 500);
}

/// `people` reads the library a Practice download filled, with no key, no keychain and no
/// service: the total, the counts, a page, a search.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_lists_and_searches_the_library_without_a_key() {
    let harness = Harness::start(quick_sim()).await;
    let ids = shared_data("ids-valid.csv").to_string_lossy().into_owned();
    let submitted = stdout_json(&run_cli(
        &harness,
        &["--json", "submit", "--ids", &ids, "--yes"],
    ));
    let job = submitted["job"].as_i64().unwrap();
    let downloaded = run_cli(&harness, &["--json", "download", &job.to_string()]);
    assert!(downloaded.status.success());
    let requests = harness.sim.requests().len();

    // No key, no keychain session: the library is local. (The simulator's address picks the
    // Practice library, where its people were kept.)
    let offline = |args: &[&str]| {
        Command::new(workspace_binary("bulk-collect-cli"))
            .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
            .arg(harness.dir.path())
            .args(args)
            .env_remove("BULK_COLLECT_API_KEY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null())
            .output()
            .expect("the CLI runs")
    };
    let all = offline(&["--json", "people"]);
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    let all = stdout_json(&all);
    assert_eq!(all["total"], 500);
    assert_eq!(
        (all["page"].as_u64(), all["pages"].as_u64()),
        (Some(1), Some(5))
    );
    let people = all["people"].as_array().unwrap();
    assert_eq!(people.len(), 100);
    assert!(people.iter().all(|person| person["last_job"] == job));
    let countries = all["countries"].as_array().unwrap();
    assert!(!countries.is_empty() && countries.len() <= 20);
    let counted: u64 = countries
        .iter()
        .map(|c| c["people"].as_u64().unwrap())
        .sum();
    assert!(counted <= 500);
    assert!(!all["companies"].as_array().unwrap().is_empty());

    let last = stdout_json(&offline(&["--json", "people", "--page", "5"]));
    assert_eq!(last["people"].as_array().unwrap().len(), 100);
    assert_ne!(last["people"][0]["id"], people[0]["id"]);

    let company = people
        .iter()
        .find_map(|person| person["company"].as_str())
        .unwrap()
        .to_owned();
    let found = stdout_json(&offline(&[
        "--json",
        "people",
        "--search",
        &company.to_uppercase(),
    ]));
    let total = found["total"].as_u64().unwrap();
    assert!((1..=500).contains(&total), "{total}");
    for person in found["people"].as_array().unwrap() {
        let fields = ["name", "title", "company", "country"]
            .map(|field| person[field].as_str().unwrap_or("").to_uppercase());
        assert!(
            fields
                .iter()
                .any(|field| field.contains(&company.to_uppercase())),
            "{person}"
        );
    }

    let plain = offline(&["people", "--search", &company]);
    assert!(plain.status.success());
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(text.contains("in your people library with"), "{text}");
    assert!(
        text.contains("By country:") && text.contains("By company:"),
        "{text}"
    );
    assert!(text.contains(&company), "{text}");
    let none = offline(&["people", "--search", "no one is called this"]);
    assert!(String::from_utf8_lossy(&none.stdout).contains("No one in your people library"));
    assert_eq!(
        harness.sim.requests().len(),
        requests,
        "nothing was asked of the service"
    );
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

/// `key set/status/clear` against a real Secret Service. Run by `make test` inside a private D-Bus
/// session with gnome-keyring (tests/support/with-keyring.sh), so no real keychain is touched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service: make test runs it inside tests/support/with-keyring.sh"]
async fn the_key_lives_in_the_keychain_and_is_never_printed() {
    let harness = Harness::start(quick_sim()).await;
    let run = |args: &[&str], stdin: Option<&str>| {
        use std::io::Write;
        let mut child = Command::new(workspace_binary("bulk-collect-cli"))
            .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
            .arg(harness.dir.path())
            .args(args)
            .env_remove("BULK_COLLECT_API_KEY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    };
    let set = run(
        &["--json", "key", "set"],
        Some(&format!("  {DEFAULT_PRACTICE_KEY}\n")),
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stdout)
    );
    let status = stdout_json(&run(&["--json", "key", "status"], None));
    assert_eq!(status["stored"], true);
    assert!(
        !status.to_string().contains(DEFAULT_PRACTICE_KEY),
        "the key is never printed"
    );

    // The simulator on this computer gets its own key, never the stored (live) one.
    let estimate = run(
        &["--json", "estimate", "--query", &python_query_file()],
        None,
    );
    assert!(
        estimate.status.success(),
        "{}",
        String::from_utf8_lossy(&estimate.stdout)
    );

    for file in files_under(harness.dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes
                .windows(DEFAULT_PRACTICE_KEY.len())
                .any(|w| w == DEFAULT_PRACTICE_KEY.as_bytes()),
            "the key is in {}",
            file.display()
        );
    }

    let cleared = run(&["--json", "key", "clear"], None);
    assert!(cleared.status.success());
    let status = stdout_json(&run(&["--json", "key", "status"], None));
    assert_eq!(status["stored"], false);
    // Coresignal itself needs the stored key: without one, nothing is sent.
    let missing = Command::new(workspace_binary("bulk-collect-cli"))
        .args([
            "--api-base",
            collect_core::api::DEFAULT_BASE_URL,
            "--data-dir",
        ])
        .arg(harness.dir.path())
        .args(["--json", "estimate", "--query", &python_query_file()])
        .env_remove("BULK_COLLECT_API_KEY")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(stdout_json(&missing)["error"]["code"], "KeyMissing");
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
