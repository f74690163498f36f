//! The CLI binary: found beside the test executable, run against a harness, its JSON answer read.

use std::path::{Path, PathBuf};

use crate::Harness;

/// The path of a binary built by this workspace (`bulk-collect-cli`, `coresignal-sim`), next to
/// the test executable's folder.
pub fn workspace_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // A test runs from target/<profile>/deps/, a binary of this crate (the soak) from
    // target/<profile>/.
    let beside = exe.with_file_name(name);
    let path = if beside.exists() {
        beside
    } else {
        let dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>/deps/<test>");
        dir.join(name)
    };
    assert!(
        path.exists(),
        "{} is not built; run `cargo build --workspace` first",
        path.display()
    );
    path
}

/// The CLI against the harness's simulator and data folder (as the other process beside the app),
/// with the practice key, no standard input, and its output collected.
pub fn run_cli(harness: &Harness, args: &[&str]) -> std::process::Output {
    std::process::Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
        .arg(harness.dir.path())
        .args(args)
        .env("BULK_COLLECT_API_KEY", coresignal_sim::DEFAULT_PRACTICE_KEY)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the CLI runs")
}

/// A CLI run's stdout as the one JSON object it prints; panics with stdout and stderr otherwise.
pub fn stdout_json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is one JSON object ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The message of the error a `--json` CLI run printed (`{"error": {"message": …}}`).
pub fn cli_error_message(output: &std::process::Output) -> String {
    stdout_json(output)["error"]["message"]
        .as_str()
        .unwrap_or_else(|| {
            panic!(
                "no error message in {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
        .to_owned()
}
