//! The key typed into `key set`, through price, collect, download, export, a refusal for credits and
//! server errors: in nothing the processes printed or left on disk.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_typed_into_key_set_is_nowhere_after_a_whole_flow() {
    // Credits for the first job only: the second is refused for credits. The CLI calls the
    // simulator with the simulator's own key: the typed (live) key never goes there.
    let sim = Simulator::start(SimConfig {
        api_keys: vec![(DEFAULT_PRACTICE_KEY.to_owned(), 8)],
        ..quick_sim()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let base = sim.base_url();
    let query = shared_data("query-python.json")
        .to_string_lossy()
        .into_owned();
    let mut outputs = Vec::new();
    let mut run = |args: &[&str], stdin: &str| {
        let output = cli(&base, dir.path(), args, stdin);
        outputs.push((args.join(" "), output.clone()));
        output
    };
    let stored = run(&["key", "set"], &format!("{KEY}\n"));
    assert!(stored.status.success(), "{stored:?}");
    run(&["key", "status"], "");
    run(&["estimate", "--query", &query, "--limit", "5"], "");
    let submitted = run(
        &[
            "--json", "submit", "--query", &query, "--limit", "5", "--yes",
        ],
        "",
    );
    let job: serde_json::Value = serde_json::from_slice(&submitted.stdout).unwrap();
    let job = job["job"].as_i64().expect("a job").to_string();
    // A reader held open while the flow runs, so the database's -wal and -shm files stay there to
    // be searched.
    let db =
        rusqlite::Connection::open(collect_core::store::Store::default_path(dir.path())).unwrap();
    let _: i64 = db
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
        .unwrap();

    assert!(run(&["download", &job], "").status.success());
    assert!(run(&["export", &job, "--format", "csv"], "")
        .status
        .success());
    assert!(run(&["export", &job, "--layout", "full"], "")
        .status
        .success());
    run(&["--json", "show", &job], "");
    // Error paths: not enough credits for 10 more (the poll answers 402); every search a 500.
    let second = run(
        &[
            "--json", "submit", "--query", &query, "--limit", "10", "--yes", "--again",
        ],
        "",
    );
    let second: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    let second = second["job"].as_i64().expect("a second job").to_string();
    run(&["wait", &second], "");
    sim.set_faults(Faults {
        error_rate: PerGroup {
            search: 1.0,
            ..PerGroup::default()
        },
        ..Faults::default()
    });
    assert!(!run(&["estimate", "--query", &query], "").status.success());
    sim.set_faults(Faults::default());
    run(&["key", "clear"], "");

    let calls = sim.calls();
    assert!(
        calls
            .iter()
            .all(|call| call.key.as_deref() == Some(DEFAULT_PRACTICE_KEY)),
        "the simulator only ever got its own key"
    );
    assert!(
        calls.iter().any(|call| call.status == 402),
        "the service refused for credits"
    );
    assert!(
        calls.iter().any(|call| call.status >= 500),
        "a 5xx was answered"
    );
    for (command, output) in &outputs {
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            assert_eq!(
                leaks(bytes),
                None,
                "`{command}` printed the key on {stream}"
            );
        }
    }
    let files = files_under(dir.path());
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    for wanted in [".sqlite3-wal", ".sqlite3-shm", ".gz", ".csv", ".xlsx"] {
        assert!(
            names.iter().any(|name| name.ends_with(wanted)),
            "a {wanted} file was searched: {names:#?}"
        );
    }
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        assert_eq!(leaks(&bytes), None, "the key is in {}", file.display());
    }
    drop(db);
}
