//! The saved proxy password belongs to the proxy it was typed for: two recording proxies on
//! loopback show what each receives as `Proxy-Authorization`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use super::*;
use crate::secrets::{MemoryStore, ProxyIdentity};

/// A proxy that records the `Proxy-Authorization` of every request (`None` when a request had
/// none) and refuses it (401), so that the client gives up.
struct RecordingProxy {
    address: String,
    seen: Arc<Mutex<Vec<Option<String>>>>,
}

impl RecordingProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut authorization = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("proxy-authorization") {
                            authorization = Some(value.trim().to_owned());
                        }
                    }
                }
                log.lock().unwrap().push(authorization);
                let body = r#"{"detail": "recorded"}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Self { address, seen }
    }

    /// The proxy's address for the settings, with user `anna`.
    fn setting(&self) -> String {
        format!("http://anna@{}", self.address)
    }

    fn seen(&self) -> Vec<Option<String>> {
        self.seen.lock().unwrap().clone()
    }

    /// Forgets what it recorded.
    fn clear(&self) {
        self.seen.lock().unwrap().clear();
    }

    /// It was called, and never with the password (a client sends the user name alone as
    /// `user:` when it has no password).
    fn got_no_password(&self) -> bool {
        let seen = self.seen();
        let password = Some(basic(PASSWORD));
        !seen.is_empty() && seen.iter().all(|sent| *sent != password)
    }
}

/// `Basic base64("anna:<password>")`: the header a client sends with the proxy's credentials.
fn basic(password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in format!("anna:{password}").as_bytes().chunks(3) {
        let bits = chunk.iter().enumerate().fold(0u32, |bits, (at, &byte)| {
            bits | u32::from(byte) << (16 - 8 * at)
        });
        for at in 0..4 {
            encoded.push(match at <= chunk.len() {
                true => char::from(ALPHABET[(bits >> (18 - 6 * at) & 63) as usize]),
                false => '=',
            });
        }
    }
    format!("Basic {encoded}")
}

/// A Live service the tests never reach: every call goes to the configured proxy first.
const SERVICE: &str = "https://api.coresignal.invalid/cdapi";

/// Applies the saved settings to the running Live engine and asks the free search through the
/// configured proxy once (the answer does not matter; no retries, to stay quick).
async fn call_through_proxy(session: &Session) {
    if session.mode().is_none() {
        session
            .activate(Mode::Live, SERVICE, ApiKey::new("k"), |_| {})
            .await
            .unwrap();
    }
    session.apply_settings().await.unwrap();
    let engine = session.engine().unwrap();
    let mut options = engine.options();
    options.api.retry.max_attempts = 1;
    engine.apply(options).unwrap();
    let _ = session.test_connection().await;
}

fn with_proxy(session: &Session, proxy: Option<String>) -> Settings {
    Settings {
        proxy,
        ..session.settings().unwrap()
    }
}

const PASSWORD: &str = "Pr0xy-S3cret-Zz";

#[tokio::test]
async fn a_saved_proxy_password_never_follows_a_new_proxy_address() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::new());
    let session = Session::open(dir.path(), secrets.clone()).unwrap();
    let (first, second) = (RecordingProxy::start(), RecordingProxy::start());

    let settings = with_proxy(&session, Some(first.setting()));
    let set = ProxyPasswordChange::Set(ProxyPassword::new(PASSWORD));
    session.save_settings(&settings, &set).await.unwrap();
    call_through_proxy(&session).await;
    let seen = first.seen();
    assert!(
        !seen.is_empty()
            && seen.iter().all(|sent| sent
                .as_deref()
                .is_some_and(|sent| sent.starts_with("Basic "))),
        "the recorder works: {seen:?}"
    );
    first.clear();

    // Another proxy, the password box left empty ("keep").
    let settings = with_proxy(&session, Some(second.setting()));
    let keep = ProxyPasswordChange::Keep;
    session.save_settings(&settings, &keep).await.unwrap();
    assert!(!session.state().await.unwrap().proxy_password_set);
    call_through_proxy(&session).await;
    assert!(second.got_no_password(), "{:?}", second.seen());

    // Back to the first: the password was forgotten when the proxy changed.
    let settings = with_proxy(&session, Some(first.setting()));
    session.save_settings(&settings, &keep).await.unwrap();
    call_through_proxy(&session).await;
    assert!(first.got_no_password(), "{:?}", first.seen());
    assert_eq!(secrets.saved_proxy().unwrap(), None);
}

#[tokio::test]
async fn the_proxy_password_is_tied_to_scheme_host_port_and_user() {
    let id = |address: &str| ProxyIdentity::of(address).unwrap();
    let base = id("http://anna@proxy.example.com:8080");
    assert_eq!(base, id(" http://anna@PROXY.example.com:8080/ "));
    for other in [
        "https://anna@proxy.example.com:8080",
        "http://anna@proxy.example.org:8080",
        "http://anna@proxy.example.com:3128",
        "http://bob@proxy.example.com:8080",
        "http://proxy.example.com:8080",
    ] {
        assert_ne!(base, id(other), "{other}");
    }
    assert_eq!(id("http://anna@p.example"), id("http://anna@p.example:80"));

    let secrets = MemoryStore::new();
    secrets
        .save_proxy_password(&base, &ProxyPassword::new(PASSWORD))
        .unwrap();
    let other = id("http://anna@proxy.example.com:3128");
    assert_eq!(secrets.load_proxy_password(&other).unwrap(), None);
    assert_eq!(
        secrets
            .load_proxy_password(&base)
            .unwrap()
            .unwrap()
            .expose(),
        PASSWORD
    );
}

#[tokio::test]
async fn removing_the_proxy_forgets_its_password_and_a_password_of_an_older_version_is_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::new());
    let session = Session::open(dir.path(), secrets.clone()).unwrap();
    let proxy = RecordingProxy::start();
    let settings = with_proxy(&session, Some(proxy.setting()));
    let set = ProxyPasswordChange::Set(ProxyPassword::new(PASSWORD));
    session.save_settings(&settings, &set).await.unwrap();
    let without = with_proxy(&session, None);
    let keep = ProxyPasswordChange::Keep;
    session.save_settings(&without, &keep).await.unwrap();
    assert_eq!(secrets.saved_proxy().unwrap(), None);

    // An entry written by an older version names no proxy: it goes to none.
    secrets
        .write(crate::secrets::SecretEntry::ProxyPassword, PASSWORD)
        .unwrap();
    session.save_settings(&settings, &keep).await.unwrap();
    assert!(!session.state().await.unwrap().proxy_password_set);
    call_through_proxy(&session).await;
    assert!(proxy.got_no_password(), "{:?}", proxy.seen());
}
