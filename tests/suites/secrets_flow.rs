//! The key, typed into `key set` as a person would, through the whole flow (price, collect,
//! download, export, a refusal for credits, server errors), then searched for in everything the
//! processes left: zero hits. Also: a server that echoes the key back, `Debug` of every type that
//! holds one, and the key never sent to a plain-http address that is not this computer.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::api::{ApiClient, ApiConfig, RateLimiter};
use collect_core::jobs::{EngineOptions, Mode};
use collect_core::secrets::{ApiKey, ProxyPassword};
use coresignal_sim::{Faults, PerGroup, SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

/// Recognisable, and unlike anything else the app writes.
const KEY: &str = "sk-TEST-9f3a61c0d2b84e57a1";

/// Distinctive pieces of the key: a leak of part of it counts too (the hint shows the last 4).
fn pieces() -> [&'static str; 3] {
    [KEY, &KEY[..14], &KEY[8..]]
}

fn leaks(bytes: &[u8]) -> Option<&'static str> {
    pieces()
        .into_iter()
        .find(|piece| bytes.windows(piece.len()).any(|w| w == piece.as_bytes()))
}

/// The CLI with no key in its environment (it must come from the keychain), logs at their most
/// talkative, `stdin` piped in.
fn cli(base: &str, dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", base, "--data-dir"])
        .arg(dir)
        .args(args)
        .env_remove("BULK_COLLECT_API_KEY")
        .env("BULK_COLLECT_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("the CLI runs")
}

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

/// A service on loopback that answers every request 401 with the key it was sent, in its detail.
async fn echoing_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 16 * 1024];
                let read = socket.read(&mut request).await.unwrap_or(0);
                let text = String::from_utf8_lossy(&request[..read]).into_owned();
                let key = text
                    .lines()
                    .find_map(|line| line.strip_prefix("apikey: "))
                    .unwrap_or("none")
                    .trim()
                    .to_owned();
                let body = format!(r#"{{"detail": "Invalid API key {key} for this plan"}}"#);
                let answer = format!(
                    "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_echoes_the_key_does_not_make_the_app_show_it() {
    let base = echoing_server().await;
    let dir = tempfile::tempdir().unwrap();
    let query = shared_data("query-python.json")
        .to_string_lossy()
        .into_owned();
    let output = Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", &base, "--data-dir"])
        .arg(dir.path())
        .args(["estimate", "--query", &query])
        .env("BULK_COLLECT_API_KEY", KEY)
        .env("BULK_COLLECT_LOG", "trace")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("Invalid API key"),
        "the server's words reached the CLI: {stderr}"
    );
    assert_eq!(leaks(&output.stdout), None);
    assert_eq!(leaks(&output.stderr), None, "{stderr}");
    for file in files_under(dir.path()) {
        assert_eq!(
            leaks(&std::fs::read(&file).unwrap()),
            None,
            "{}",
            file.display()
        );
    }

    // The same through the engine: the error a window would show, and its Debug.
    let store =
        collect_core::store::Store::open(&collect_core::store::Store::default_path(dir.path()))
            .unwrap();
    let api = ApiConfig {
        base_url: base.clone(),
        retry: fast_retry(),
        ..ApiConfig::default()
    };
    let options = EngineOptions::new(Mode::Practice, api, dir.path().join("downloads"));
    let engine = collect_core::jobs::Engine::new(
        store,
        options,
        Some(ApiKey::new(KEY)),
        RateLimiter::new(27),
    )
    .unwrap();
    let error = engine
        .quote(&query_job(python_query(), Some(5)))
        .await
        .unwrap_err();
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        collect_core::error::Coded::user_message(&error),
    ] {
        assert!(shown.contains("Invalid API key"), "{shown}");
        assert_eq!(leaks(shown.as_bytes()), None, "{shown}");
    }
}

#[test]
fn debug_of_every_type_holding_a_key_hides_it() {
    let key = ApiKey::new(KEY);
    let api = ApiConfig {
        proxy: Some(format!("http://clerk:{KEY}@proxy.example:3128")),
        ..ApiConfig::default()
    };
    let options = EngineOptions::new(Mode::Live, api.clone(), "/tmp/downloads".into());
    let client = ApiClient::new(api.clone(), key.clone(), RateLimiter::new(27)).unwrap();
    let shown = [
        format!("{key:?}"),
        format!("{:?}", ProxyPassword::new(KEY)),
        format!("{api:?}"),
        format!("{api:#?}"),
        format!("{options:?}"),
        format!("{client:?}"),
        format!("{:?}", Some(key.clone())),
    ];
    for text in &shown {
        assert_eq!(leaks(text.as_bytes()), None, "{text}");
    }
    assert!(
        shown[2].contains("proxy.example"),
        "the rest is still shown: {}",
        shown[2]
    );
    assert!(key.hint().ends_with(&KEY[KEY.len() - 4..]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_key_from_the_keychain_never_goes_to_a_simulator_or_another_address() {
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let query = shared_data("query-python.json")
        .to_string_lossy()
        .into_owned();
    let stored = cli(
        &sim.base_url(),
        dir.path(),
        &["key", "set"],
        &format!("{KEY}\n"),
    );
    assert!(stored.status.success(), "{stored:?}");

    // The simulator on this computer: plain http, anyone here may listen. It gets its own key.
    let estimate = cli(
        &sim.base_url(),
        dir.path(),
        &["estimate", "--query", &query],
        "",
    );
    assert!(estimate.status.success(), "{estimate:?}");
    let keys: Vec<Option<String>> = sim.calls().into_iter().map(|call| call.key).collect();
    assert!(!keys.is_empty(), "the simulator was called");
    assert!(
        keys.iter()
            .all(|key| key.as_deref() == Some(DEFAULT_PRACTICE_KEY)),
        "{keys:?}"
    );

    // Any other https address: refused in words before anything leaves.
    let (listener, proxy) = counting_proxy();
    let mut other = cli_through_proxy("https://example.com/cdapi", &proxy, dir.path());
    let output = other.env_remove("BULK_COLLECT_API_KEY").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("only ever sent to Coresignal") && stderr.contains("BULK_COLLECT_API_KEY"),
        "{stderr}"
    );
    assert_eq!(
        connections(&listener),
        0,
        "a request left before the refusal"
    );
    assert!(cli(&sim.base_url(), dir.path(), &["key", "clear"], "")
        .status
        .success());
}

#[test]
fn the_core_and_the_simulator_agree_on_the_simulators_key() {
    assert_eq!(collect_core::api::SIMULATOR_KEY, DEFAULT_PRACTICE_KEY);
}

/// A proxy that only counts the connections made to it (and never answers).
fn counting_proxy() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    (listener, address)
}

fn connections(listener: &std::net::TcpListener) -> usize {
    std::iter::from_fn(|| listener.accept().ok()).count()
}

fn cli_through_proxy(base: &str, proxy: &str, dir: &Path) -> Command {
    let mut command = Command::new(workspace_binary("bulk-collect-cli"));
    command
        .args(["--api-base", base, "--data-dir"])
        .arg(dir)
        .args(["estimate", "--query"])
        .arg(shared_data("query-python.json"))
        .env("BULK_COLLECT_API_KEY", KEY)
        .env("HTTP_PROXY", proxy)
        .env("HTTPS_PROXY", proxy)
        .env("ALL_PROXY", proxy)
        .env_remove("NO_PROXY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn the_key_is_never_sent_to_a_plain_http_address_that_is_not_this_computer() {
    let dir = tempfile::tempdir().unwrap();
    let (listener, proxy) = counting_proxy();
    for base in [
        "http://example.com/cdapi",
        "http://10.1.2.3:8080",
        "http://[2001:db8::1]/",
        "ftp://example.com",
    ] {
        let output = cli_through_proxy(base, &proxy, dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{base}: {stderr}");
        assert!(
            stderr.contains("https://"),
            "{base}: the message says what to use: {stderr}"
        );
        assert_eq!(
            connections(&listener),
            0,
            "{base}: a request left before the refusal"
        );
    }
    // The trap works: an https address does go out through the proxy.
    let mut child = cli_through_proxy("https://example.com/cdapi", &proxy, dir.path())
        .spawn()
        .unwrap();
    let mut seen = 0;
    for _ in 0..600 {
        seen += connections(&listener);
        if seen > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(seen > 0, "an https request reaches the proxy");
}
