//! The updater plugin end to end against a local update server: the real plugin, the app's real
//! `tauri.conf.json` (its updater key and endpoint replaced by a throwaway pair and the local
//! server), on Tauri's mock runtime (no window). Signatures are made as `tauri signer sign` makes
//! them: minisign, prehashed, with the version in the trusted comment, base64-encoded.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::json;
use tauri::test::{mock_builder, MockRuntime};

use super::{check, is_loopback_http, Outcome};

/// The version this build carries: the workspace's, which the real config leaves to Cargo.
const THIS_VERSION: &str = env!("CARGO_PKG_VERSION");
const NEWER: &str = "99.0.0";
const ARTIFACT: &[u8] = b"the next Bulk Collect, as an installer would be";

/// A throwaway signing key, encoded the way `tauri signer generate` writes the public key.
struct Signer {
    pair: minisign::KeyPair,
}

impl Signer {
    fn new() -> Self {
        Self {
            pair: minisign::KeyPair::generate_unencrypted_keypair().unwrap(),
        }
    }

    fn public_key(&self) -> String {
        encode(&self.pair.pk.to_box().unwrap().to_string())
    }

    fn sign(&self, data: &[u8], version: &str) -> String {
        let trusted = format!("timestamp:1700000000\tfile:bulk-collect.tar.gz\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.pair.pk),
            &self.pair.sk,
            data,
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        encode(&signature.to_string())
    }
}

fn encode(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A local update server: `/latest.json` and `/artifact`, each request counted. It serves until
/// the test ends (a thread blocked in `accept`, ended with the process).
struct UpdateServer {
    base: String,
    requests: Arc<AtomicUsize>,
    manifest: Arc<Mutex<String>>,
    artifact: Arc<Mutex<Vec<u8>>>,
}

impl UpdateServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Self {
            base,
            requests: Arc::default(),
            manifest: Arc::default(),
            artifact: Arc::new(Mutex::new(ARTIFACT.to_vec())),
        };
        let (requests, manifest, artifact) = (
            Arc::clone(&server.requests),
            Arc::clone(&server.manifest),
            Arc::clone(&server.artifact),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                requests.fetch_add(1, Ordering::SeqCst);
                let head = String::from_utf8_lossy(&head);
                let body = if head.starts_with("GET /latest.json") {
                    manifest.lock().unwrap().clone().into_bytes()
                } else {
                    artifact.lock().unwrap().clone()
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            }
        });
        server
    }

    /// Publishes a release: `latest.json` names `version` with `signature` for every platform.
    fn publish(&self, version: &str, signature: &str) {
        let url = format!("{}/artifact", self.base);
        let platform = json!({ "url": url, "signature": signature });
        let platforms: serde_json::Map<_, _> = [
            "linux-x86_64",
            "linux-aarch64",
            "darwin-x86_64",
            "darwin-aarch64",
            "windows-x86_64",
        ]
        .iter()
        .map(|target| (target.to_string(), platform.clone()))
        .collect();
        *self.manifest.lock().unwrap() = json!({
            "version": version,
            "notes": "A test release",
            "pub_date": "2026-11-29T12:00:00Z",
            "platforms": platforms,
        })
        .to_string();
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// The app as built, on the mock runtime, with the updater plugin configured from the real
/// `tauri.conf.json` but trusting `public_key` and asking `server`.
fn app(server: &UpdateServer, public_key: &str) -> tauri::App<MockRuntime> {
    let mut context: tauri::Context<MockRuntime> = tauri::generate_context!();
    let updater = context
        .config_mut()
        .plugins
        .0
        .get_mut("updater")
        .expect("tauri.conf.json configures the updater plugin");
    assert_eq!(updater["requireSignedVersion"], json!(true));
    updater["pubkey"] = json!(public_key);
    updater["endpoints"] = json!([format!("{}/latest.json", server.base)]);
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .unwrap()
}

/// Publishes 99.0.0 with `signature`, checks as this build trusting `trusted`'s key, and returns
/// what downloading the release gave.
async fn download_newer(
    server: &UpdateServer,
    trusted: &Signer,
    signature: &str,
) -> Result<Vec<u8>, tauri_plugin_updater::Error> {
    server.publish(NEWER, signature);
    let app = app(server, &trusted.public_key());
    let Outcome::Available(update) = check(app.handle(), true).await.unwrap() else {
        panic!("a newer release was not seen");
    };
    assert_eq!(update.current_version, THIS_VERSION);
    assert_eq!(update.version, NEWER);
    update.download(|_, _| {}, || {}).await
}

#[tokio::test]
async fn this_build_sees_a_newer_release_and_downloads_it_when_the_signature_is_right() {
    let (server, signer) = (UpdateServer::start(), Signer::new());
    let bytes = download_newer(&server, &signer, &signer.sign(ARTIFACT, NEWER)).await;
    assert_eq!(bytes.unwrap(), ARTIFACT);
}

#[tokio::test]
async fn the_same_version_is_up_to_date() {
    let (server, signer) = (UpdateServer::start(), Signer::new());
    server.publish(THIS_VERSION, &signer.sign(ARTIFACT, THIS_VERSION));
    let app = app(&server, &signer.public_key());

    assert!(matches!(
        check(app.handle(), true).await.unwrap(),
        Outcome::UpToDate
    ));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_tampered_download_is_refused() {
    let (server, signer) = (UpdateServer::start(), Signer::new());
    let mut tampered = ARTIFACT.to_vec();
    tampered[0] ^= 1;
    *server.artifact.lock().unwrap() = tampered;

    let error = download_newer(&server, &signer, &signer.sign(ARTIFACT, NEWER)).await;
    assert!(
        matches!(error, Err(tauri_plugin_updater::Error::Minisign(_))),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_signature_from_another_key_is_refused() {
    let (server, trusted, attacker) = (UpdateServer::start(), Signer::new(), Signer::new());
    let error = download_newer(&server, &trusted, &attacker.sign(ARTIFACT, NEWER)).await;
    assert!(
        matches!(error, Err(tauri_plugin_updater::Error::Minisign(_))),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_older_release_signed_for_its_own_version_cannot_pose_as_a_newer_one() {
    let (server, signer) = (UpdateServer::start(), Signer::new());
    // A genuine, correctly signed old release, announced under a newer number.
    let error = download_newer(&server, &signer, &signer.sign(ARTIFACT, "0.0.1")).await;
    assert!(
        matches!(
            error,
            Err(tauri_plugin_updater::Error::SignedVersionMismatch { .. })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn with_checks_off_the_update_server_is_never_asked() {
    let server = UpdateServer::start();
    let signer = Signer::new();
    server.publish(NEWER, &signer.sign(ARTIFACT, NEWER));
    let app = app(&server, &signer.public_key());

    assert!(matches!(
        check(app.handle(), false).await.unwrap(),
        Outcome::Disabled
    ));
    assert_eq!(server.requests(), 0);
}

#[test]
fn only_a_plain_http_address_on_this_computer_may_skip_https() {
    for allowed in [
        "http://127.0.0.1:8080/latest.json",
        "http://127.5.0.1/latest.json",
        "http://[::1]:9/latest.json",
        "http://localhost/latest.json",
    ] {
        assert!(is_loopback_http(&allowed.parse().unwrap()), "{allowed}");
    }
    for refused in [
        "http://example.com/latest.json",
        "http://192.168.1.10/latest.json",
        "http://localhost.example.com/latest.json",
        "https://127.0.0.1/latest.json",
        "file:///tmp/latest.json",
    ] {
        assert!(!is_loopback_http(&refused.parse().unwrap()), "{refused}");
    }
}
