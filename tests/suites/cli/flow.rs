//! A search and an ID file from estimate to files on disk with `--json` answers; `--to` copies what
//! is downloaded and fetches nothing again; Practice and Live histories kept apart.

use super::*;

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
