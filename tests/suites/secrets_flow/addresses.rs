//! Where the key goes: only to Coresignal; never to a simulator, another https address or a
//! plain-http address that is not this computer, refused before anything leaves.

use super::*;

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
