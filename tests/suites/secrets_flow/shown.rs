//! A server that echoes the key back, and `Debug` of every type that holds one: the key is never
//! shown.

use super::*;

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
