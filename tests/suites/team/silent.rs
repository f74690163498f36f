//! A server that goes silent mid-publish (the connection open, nothing answered) never hangs
//! publishing.

use super::*;

/// A TCP proxy to `port` on this computer that stops passing anything on, in both directions,
/// once the client sends `trigger` (and from then on, for every connection): a server that went
/// silent mid-statement, its connection neither answered nor closed.
async fn going_silent_on(port: u16, trigger: &'static [u8]) -> u16 {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let own = listener.local_addr().unwrap().port();
    let silent = Arc::new(AtomicBool::new(false));
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
                continue;
            };
            let (mut client_in, mut client_out) = client.into_split();
            let (mut server_in, mut server_out) = server.into_split();
            let to_server = Arc::clone(&silent);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                while let Ok(read) = client_in.read(&mut buffer).await {
                    if read == 0 {
                        break;
                    }
                    let chunk = &buffer[..read];
                    if chunk.windows(trigger.len()).any(|window| window == trigger) {
                        to_server.store(true, Ordering::SeqCst);
                    }
                    if to_server.load(Ordering::SeqCst) {
                        std::future::pending::<()>().await;
                    }
                    if server_out.write_all(chunk).await.is_err() {
                        break;
                    }
                }
            });
            let to_client = Arc::clone(&silent);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                while let Ok(read) = server_in.read(&mut buffer).await {
                    if read == 0 || to_client.load(Ordering::SeqCst) {
                        std::future::pending::<()>().await;
                    }
                    if client_out.write_all(&buffer[..read]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    own
}

/// The server goes silent in the middle of a publish (its connection neither answers nor
/// closes): the round gives up within its time limit, the collection stays queued, and a later
/// round is not shut out by the one that hung.
#[tokio::test]
async fn a_server_gone_silent_mid_publish_does_not_hang_publishing_forever() {
    let (pg, _sim, _dir, anna) = anna_with_queued(1, 1_000).await;
    let port = going_silent_on(pg.port, b"COPY team_staging").await;
    let silent =
        TeamAddress::parse(&format!("postgres://{TEAM_USER}@127.0.0.1:{port}/team")).unwrap();
    anna.set_team(Some(TeamLink::new(
        silent,
        Some(TEAM_PASSWORD.into()),
        "Anna",
    )));
    let started = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(200), anna.publish_to_team()).await;
    let answer = answer.expect("publishing gave up by itself");
    assert!(
        matches!(answer, Err(TeamError::Unreachable { .. })),
        "{answer:?} after {:?}",
        started.elapsed()
    );
    assert_eq!(
        anna.team_status(false).await.unwrap().waiting_collections,
        1
    );
    // The server answers again: the next round is not shut out, and delivers.
    anna.set_team(Some(link(&pg, "Anna")));
    published(&anna).await;
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 1_000);
}
