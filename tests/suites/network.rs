//! The network as offices have it: servers that close idle keep-alive connections, files that arrive
//! damaged (fetched again by themselves), a service asking to wait for hours, a TLS-inspecting
//! proxy whose authority is in the operating system's certificate store. Real client, real
//! simulator, real HTTP (and TLS).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::api::{ApiClient, ApiConfig, ApiError, EsDslSubmission, RateLimiter};
use collect_core::error::Coded;
use collect_core::secrets::ApiKey;
use collect_core::ErrorCode;
use coresignal_sim::{Endpoint, Faults, SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

/// A client of `sim` with the suites' quick retries.
fn client(sim: &Simulator) -> ApiClient {
    let config = ApiConfig {
        base_url: sim.base_url(),
        request_timeout: Duration::from_secs(10),
        retry: fast_retry(),
        ..ApiConfig::default()
    };
    ApiClient::new(
        config,
        ApiKey::new(DEFAULT_PRACTICE_KEY),
        RateLimiter::new(27),
    )
    .expect("the client starts")
}

fn python_submission(limit: u32) -> EsDslSubmission {
    EsDslSubmission {
        es_dsl_query: python_query().body,
        limit: Some(limit),
        webhook_url: None,
    }
}

#[tokio::test]
async fn submissions_after_the_server_closed_idle_connections_are_each_accepted_once() {
    let sim = Simulator::start(SimConfig {
        faults: Faults {
            close_idle_after_ms: Some(1000),
            ..Faults::default()
        },
        ..quick_sim()
    })
    .await
    .unwrap();
    let client = client(&sim);
    let rounds = 4;
    for round in 0..rounds {
        // Longer than the server keeps an idle connection: any pooled one is closed under us.
        tokio::time::sleep(Duration::from_millis(1300)).await;
        let submitted = client
            .submit_es_dsl(&python_submission(10 + round))
            .await
            .unwrap_or_else(|error| panic!("submission {round}: {error:?}"));
        // A GET on the same (now used) connections: the pool is warm for the next round.
        client.poll_files(&submitted.request_id).await.unwrap();
    }
    assert_eq!(
        sim.count_calls(Endpoint::SubmitEsDsl),
        rounds as usize,
        "exactly one POST reached the service per submission"
    );
    assert_eq!(sim.requests().len(), rounds as usize);
    sim.shutdown().await;
}

#[tokio::test]
async fn polls_after_the_server_closed_idle_connections_are_answered() {
    let sim = Simulator::start(SimConfig {
        faults: Faults {
            close_idle_after_ms: Some(1000),
            ..Faults::default()
        },
        ..quick_sim()
    })
    .await
    .unwrap();
    let client = client(&sim);
    let id = client
        .submit_es_dsl(&python_submission(5))
        .await
        .unwrap()
        .request_id;
    for _ in 0..2 {
        client.poll_files(&id).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1300)).await;
        client.poll_files(&id).await.unwrap();
    }
    sim.shutdown().await;
}

fn only_file(harness: &Harness, job: i64) -> PathBuf {
    let files = harness.engine.store().files(job).unwrap();
    assert_eq!(files.len(), 1);
    PathBuf::from(files[0].path.clone().unwrap())
}

#[tokio::test]
async fn a_file_damaged_once_is_downloaded_again_by_itself_and_ends_identical() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(50)).await;
    harness.engine.wait(job.id, None).await.unwrap();
    harness.sim.set_faults(Faults {
        truncate_files: true,
        truncate_files_times: Some(1),
        ..Faults::default()
    });
    harness.sim.clear_calls();
    harness.engine.download(job.id, None).await.unwrap();
    assert_eq!(
        harness.sim.count_calls(Endpoint::Download),
        2,
        "the damaged copy, then a whole one"
    );
    let fetched_again = std::fs::read(only_file(&harness, job.id)).unwrap();
    assert_eq!(read_records(&only_file(&harness, job.id)).len(), 50);

    // A clean download of the same file, elsewhere, is byte-for-byte the same.
    harness.sim.set_faults(Faults::default());
    let elsewhere = harness.dir.path().join("clean");
    harness
        .engine
        .download(job.id, Some(&elsewhere))
        .await
        .unwrap();
    assert!(only_file(&harness, job.id).starts_with(&elsewhere));
    assert_eq!(
        fetched_again,
        std::fs::read(only_file(&harness, job.id)).unwrap()
    );
}

#[tokio::test]
async fn a_file_damaged_every_time_fails_clearly_after_three_downloads_and_is_not_kept() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(50)).await;
    harness.engine.wait(job.id, None).await.unwrap();
    harness.sim.set_faults(Faults {
        truncate_files: true,
        ..Faults::default()
    });
    harness.sim.clear_calls();
    let error = harness.engine.download(job.id, None).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::Download);
    let message = error.user_message();
    assert!(
        message.contains("damaged") && message.contains("3 times"),
        "{message}"
    );
    assert_eq!(harness.sim.count_calls(Endpoint::Download), 3);
    let job = harness.engine.job(job.id).unwrap();
    let leftovers = files_under(&PathBuf::from(&job.download_dir));
    assert!(leftovers.is_empty(), "no file is kept: {leftovers:?}");
}

#[tokio::test]
async fn a_retry_after_of_hours_reaches_the_caller_whole() {
    let sim = Simulator::start(quick_sim()).await.unwrap();
    sim.set_faults(Faults {
        rate_limit_storm: 1_000,
        storm_retry_after_secs: Some(3 * 3600),
        ..Faults::default()
    });
    // The shared limiter pauses at most the policy's 200 ms each time; the caller still learns
    // the three hours the service asked for.
    let error = client(&sim).poll_files("some-request").await.unwrap_err();
    assert!(matches!(error, ApiError::RateLimited { .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3 * 3600)));
    assert!(
        error.user_message().contains("3 hours"),
        "{}",
        error.user_message()
    );
    assert_eq!(
        sim.count_calls(Endpoint::Files),
        fast_retry().max_rate_limited_attempts as usize
    );
    sim.shutdown().await;
}

/// An office's TLS-inspecting proxy: its own certificate authority (in the OS store of the office's
/// computers, never in the bundled webpki roots) signs the certificates it shows. Valid 2000–2999.
const OFFICE_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBijCCAS+gAwIBAgIBATAKBggqhkjOPQQDAjArMSkwJwYDVQQDDCBFeGFtcGxl
IE9mZmljZSBUTFMgSW5zcGVjdGlvbiBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yOTk5
MTIzMTAwMDAwMFowKzEpMCcGA1UEAwwgRXhhbXBsZSBPZmZpY2UgVExTIEluc3Bl
Y3Rpb24gQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASzmzdiPgxVSrD/2bJr
81FcO5gnmixtw+8lXakAg/WDiXx6ZnTMue6Tm3XCOHcU1Kjk15fZ+QtRRfFTBUSu
5Ec5o0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4E
FgQUnZtGeJAaA/mpByALlxtNotOmTaAwCgYIKoZIzj0EAwIDSQAwRgIhAIc6WG8F
ETf5Aqg153V44RUriLe5erw7ZPnmP4KJysL4AiEAz/2I63XNXvuSvwx19ZPcIXvg
i/NMJu9+brxqrr6KUys=
-----END CERTIFICATE-----";
/// The certificate the "proxy" shows for `localhost` and `127.0.0.1`, signed by [`OFFICE_CA`].
const OFFICE_SERVER_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBkjCCATigAwIBAgIBAjAKBggqhkjOPQQDAjArMSkwJwYDVQQDDCBFeGFtcGxl
IE9mZmljZSBUTFMgSW5zcGVjdGlvbiBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yOTk5
MTIzMTAwMDAwMFowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEW4bGTvASh2HVV6Ym9E782F7c3spKrSlEs5qvE8BZj7n0dJ5j
IKdvejR+9J1jD4Qhcc4qwoyVmxzFszqdppdfTaNiMGAwGgYDVR0RBBMwEYIJbG9j
YWxob3N0hwR/AAABMAwGA1UdEwEB/wQCMAAwEwYDVR0lBAwwCgYIKwYBBQUHAwEw
HwYDVR0jBBgwFoAUnZtGeJAaA/mpByALlxtNotOmTaAwCgYIKoZIzj0EAwIDSAAw
RQIgRHBZlc8KqUoHxdSnLPuSC9GRH4DrEPfXMSE8EkpiIuICIQCBL11v1hzELsYF
8515Ey62C+48ebqUlNqQWcrUiR230Q==
-----END CERTIFICATE-----";
/// Its key (PKCS#8).
const OFFICE_SERVER_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg14FqqmYFrZuQxm9w
C98rucSUmDJW3t4heEQKdrxZX2ShRANCAARbhsZO8BKHYdVXpib0TvzYXtzeykqt
KUSzmq8TwFmPufR0nmMgp296NH70nWMPhCFxzirCjJWbHMWzOp2ml19N
-----END PRIVATE KEY-----";
/// An unrelated authority, for an OS store that does not know the office's.
const OTHER_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBUjCB+KADAgECAgEBMAoGCCqGSM49BAMCMB8xHTAbBgNVBAMMFFNvbWUgT3Ro
ZXIgQXV0aG9yaXR5MCAXDTAwMDEwMTAwMDAwMFoYDzI5OTkxMjMxMDAwMDAwWjAf
MR0wGwYDVQQDDBRTb21lIE90aGVyIEF1dGhvcml0eTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABMaAmQ7TvVoER4lwje5ilcQiKZZG+Y154HJ0+/6hFalJLERiQnWG
LpxZxcF/Qw79spA2W9cHe5tZgl32dXorTh6jIzAhMA8GA1UdEwEB/wQFMAMBAf8w
DgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0kAMEYCIQCyE7sucYiFNbzXBdEV
9TOBO/BsLRUwgIzZI/ta02dm9gIhAIKavJbLvEVUy6N+yu83kO91rUbFgVgpEFyf
q0cWKhPC
-----END CERTIFICATE-----";

/// Answers every request on `https://localhost:<port>` like the estimate call (7 matches).
async fn office_tls_server() -> u16 {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let cert = CertificateDer::from_pem_slice(OFFICE_SERVER_CERT.as_bytes()).unwrap();
    let key = PrivateKeyDer::from_pem_slice(OFFICE_SERVER_KEY.as_bytes()).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends here.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-total-results: 7\r\ncontent-length: 3\r\nconnection: close\r\n\r\n[1]";
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

/// Runs [`estimate_through_the_office_proxy`] in a child process of this test binary whose OS
/// certificate store is `store` (`SSL_CERT_FILE`, read when a client starts), and returns its
/// verdict line.
fn estimate_in_a_child_trusting(store: &Path) -> String {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "estimate_through_the_office_proxy",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SSL_CERT_FILE", store)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(|line| line.split_once("VERDICT ").map(|(_, verdict)| verdict))
        .unwrap_or_else(|| panic!("no verdict in: {stdout}"))
        .to_owned()
}

#[tokio::test]
#[ignore = "helper: run in a child process by an_authority_in_the_os_certificate_store_is_trusted"]
async fn estimate_through_the_office_proxy() {
    let port = office_tls_server().await;
    let config = ApiConfig {
        base_url: format!("https://localhost:{port}/cdapi"),
        retry: fast_retry(),
        ..ApiConfig::default()
    };
    let client = ApiClient::new(config, ApiKey::new("k"), RateLimiter::new(27)).unwrap();
    match client.estimate(&python_query().body).await {
        Ok(estimate) => println!("VERDICT trusted: {} matches", estimate.total_results),
        Err(error) => println!("VERDICT refused: {error}"),
    }
}

#[test]
fn an_authority_in_the_os_certificate_store_is_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let office_store = dir.path().join("office-store.pem");
    std::fs::write(&office_store, format!("{OTHER_CA}\n{OFFICE_CA}\n")).unwrap();
    assert_eq!(
        estimate_in_a_child_trusting(&office_store),
        "trusted: 7 matches"
    );

    // The same server, on a computer whose store lacks the office's authority: refused (the
    // bundled webpki roots do not know it either).
    let other_store = dir.path().join("other-store.pem");
    std::fs::write(&other_store, format!("{OTHER_CA}\n")).unwrap();
    let verdict = estimate_in_a_child_trusting(&other_store);
    assert!(
        verdict.starts_with("refused") && verdict.contains("certificate"),
        "{verdict}"
    );
}
