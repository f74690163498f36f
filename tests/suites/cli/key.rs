//! With and without a key: `people` reads the library with none; `key set` keeps one in the keychain
//! and nothing prints it.

use super::*;

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
