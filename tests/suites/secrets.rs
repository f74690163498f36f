//! The API key never leaves the keychain's side of the app: a whole flow with a recognisable key
//! (price, collect, wait, download, show, every kind of error), then a search of everything the
//! processes wrote — the data folder (SQLite file, its WAL and shared memory, the journal,
//! downloads) and every line each process printed, logs at their most talkative — for it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::Output;

use bulk_collect_tests::*;
use coresignal_sim::{Faults, SimConfig, Simulator};

/// Recognisable, and unlike anything else the app writes.
const CANARY_KEY: &str = "BCkey-CANARY-7f3a9c21e4d86b05";

fn cli(sim: &Simulator, dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", &sim.base_url(), "--data-dir"])
        .arg(dir)
        .args(args)
        .env("BULK_COLLECT_API_KEY", CANARY_KEY)
        .env("BULK_COLLECT_LOG", "trace")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the CLI runs")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_nowhere_in_the_data_folder_or_any_output_after_a_whole_flow() {
    let sim = Simulator::start(SimConfig {
        api_keys: vec![(CANARY_KEY.to_owned(), 1_000_000_000)],
        ..quick_sim()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let query = shared_data("query-python.json")
        .to_string_lossy()
        .into_owned();
    let ids = shared_data("ids-with-problems.csv")
        .to_string_lossy()
        .into_owned();
    let mut outputs = Vec::new();
    let mut run = |args: &[&str]| {
        let output = cli(&sim, dir.path(), args);
        outputs.push((args.join(" "), output.stdout.clone(), output.stderr.clone()));
        output
    };

    // The happy path, both kinds of request, and what a person looks at afterwards.
    run(&["estimate", "--query", &query, "--limit", "5"]);
    let submitted = run(&[
        "--json", "submit", "--query", &query, "--limit", "5", "--yes",
    ]);
    let job: serde_json::Value = serde_json::from_slice(&submitted.stdout).unwrap();
    let job = job["job"].as_i64().expect("a job").to_string();
    run(&["download", &job]);
    run(&["show", &job]);
    run(&["--json", "show", &job]);
    run(&["jobs"]);
    run(&["submit", "--ids", &ids, "--yes"]);

    // Error paths: refused input, collected before, a bad id, a wrong state, a lost answer, a storm.
    run(&["submit", "--query", &query, "--limit", "0", "--yes"]);
    run(&["submit", "--query", &query, "--limit", "5", "--yes"]);
    run(&["attach", &job, "--request-id", "not an id"]);
    run(&["retry", &job]);
    sim.set_faults(Faults {
        submit_lost: 1,
        ..Faults::default()
    });
    run(&["submit", "--query", &query, "--limit", "6", "--yes"]);
    sim.set_faults(Faults {
        rate_limit_storm: 3,
        ..Faults::default()
    });
    run(&["estimate", "--query", &query]);
    sim.set_faults(Faults::default());

    assert!(outputs.len() >= 12, "the flow ran");
    let logged: usize = outputs.iter().map(|(_, _, stderr)| stderr.len()).sum();
    assert!(
        logged > 10_000,
        "the logs were on at their most talkative ({logged} bytes)"
    );
    for (command, stdout, stderr) in &outputs {
        assert!(
            !contains(stdout, CANARY_KEY),
            "`{command}` printed the key on stdout"
        );
        assert!(
            !contains(stderr, CANARY_KEY),
            "`{command}` printed the key on stderr"
        );
    }
    let files = files_under(dir.path());
    assert!(
        files
            .iter()
            .any(|file| file.extension().is_some_and(|ext| ext == "gz")),
        "the flow downloaded files: {files:?}"
    );
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, CANARY_KEY),
            "the key is in {}",
            file.display()
        );
    }
}
