//! [`download_file`] over the wire, against a scripted peer (see `api/scripted_peer.rs`): fresh,
//! resumed, restarted, cut, corrupt, cancelled.

use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use super::verify::tests::{gzip, records};
use super::*;
use crate::api::client_tests::client_for;
use crate::api::scripted_peer::{Reply, ScriptedPeer};

const ID: &str = "433869ec-0a98-4dcd-9b13-db4df58260f5";
const SERVER_NAME: &str = "json/part-00000.json.gz";
const LOCAL: &str = "part-00000.json.gz";

/// A multi-member file of 3,000 records, big enough to arrive in several pieces.
fn sample() -> Arc<Vec<u8>> {
    let mut data = gzip(&records(1000));
    data.extend(gzip(&records(2000)));
    Arc::new(data)
}

fn serve(data: &Arc<Vec<u8>>, honour_range: bool, cut_after: Option<usize>) -> Reply {
    Reply::File {
        data: data.clone(),
        honour_range,
        cut_after,
    }
}

struct Run {
    result: Result<DownloadedFile, DownloadError>,
    progress: Vec<DownloadProgress>,
}

async fn run(peer: &ScriptedPeer, dest: &Path, cancel: watch::Receiver<bool>) -> Run {
    let seen = Mutex::new(Vec::new());
    let record = |p: DownloadProgress| seen.lock().unwrap().push(p);
    let client = client_for(peer);
    let result = download_file(&client, ID, SERVER_NAME, dest, LOCAL, &record, cancel).await;
    Run {
        result,
        progress: seen.into_inner().unwrap(),
    }
}

fn not_cancelled() -> watch::Receiver<bool> {
    watch::channel(false).1
}

fn part_path(dest: &Path) -> PathBuf {
    dest.join(".partial").join(format!("{LOCAL}.part"))
}

#[tokio::test]
async fn a_fresh_download_is_checked_and_moved_into_place() {
    let data = sample();
    let peer = ScriptedPeer::start(vec![serve(&data, true, None)]).await;
    let dest = tempfile::tempdir().unwrap();
    let run = run(&peer, dest.path(), not_cancelled()).await;
    let file = run.result.unwrap();
    assert_eq!(
        file,
        DownloadedFile {
            path: dest.path().join(LOCAL),
            bytes: data.len() as u64,
            records: 3000
        }
    );
    assert_eq!(std::fs::read(&file.path).unwrap(), *data);
    assert!(!part_path(dest.path()).exists());
    let last = run.progress.last().unwrap();
    assert_eq!(last.bytes_done, data.len() as u64);
    assert_eq!(last.bytes_total, Some(data.len() as u64));
    assert_eq!(peer.received()[0].header("range"), None);
}

#[tokio::test]
async fn a_cut_connection_resumes_with_range_and_checks_from_disk() {
    let data = sample();
    let cut = data.len() / 3;
    let peer = ScriptedPeer::start(vec![
        serve(&data, true, Some(cut)),
        serve(&data, true, Some(cut)),
        serve(&data, true, None),
    ])
    .await;
    let dest = tempfile::tempdir().unwrap();
    let file = run(&peer, dest.path(), not_cancelled())
        .await
        .result
        .unwrap();
    assert_eq!(file.records, 3000);
    assert_eq!(std::fs::read(&file.path).unwrap(), *data);
    let ranges: Vec<_> = peer
        .received()
        .iter()
        .map(|r| r.header("range").map(str::to_owned))
        .collect();
    assert_eq!(
        ranges,
        [
            None,
            Some(format!("bytes={cut}-")),
            Some(format!("bytes={}-", 2 * cut))
        ]
    );
}

#[tokio::test]
async fn an_existing_part_is_resumed_and_a_200_answer_starts_over() {
    let data = sample();
    let dest = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dest.path().join(".partial")).unwrap();
    std::fs::write(part_path(dest.path()), &data[..1000]).unwrap();
    // This server ignores Range and sends the whole file again.
    let peer = ScriptedPeer::start(vec![serve(&data, false, None)]).await;
    let file = run(&peer, dest.path(), not_cancelled())
        .await
        .result
        .unwrap();
    assert_eq!(peer.received()[0].header("range"), Some("bytes=1000-"));
    assert_eq!(
        std::fs::read(&file.path).unwrap(),
        *data,
        "not appended twice"
    );
    assert_eq!(file.records, 3000);
}

#[tokio::test]
async fn a_part_past_the_end_starts_over() {
    let data = sample();
    let dest = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dest.path().join(".partial")).unwrap();
    std::fs::write(part_path(dest.path()), vec![0u8; data.len() + 10]).unwrap();
    let peer = ScriptedPeer::start(vec![serve(&data, true, None), serve(&data, true, None)]).await;
    let file = run(&peer, dest.path(), not_cancelled())
        .await
        .result
        .unwrap();
    assert_eq!(std::fs::read(&file.path).unwrap(), *data);
    assert_eq!(peer.received()[1].header("range"), None);
}

fn with_bad_crc(data: &[u8]) -> Arc<Vec<u8>> {
    let mut bad = data.to_vec();
    let crc_at = bad.len() - 8;
    bad[crc_at] ^= 0x55;
    Arc::new(bad)
}

#[tokio::test]
async fn a_file_that_stays_corrupt_is_refused_after_three_downloads_and_its_part_removed() {
    let bad = with_bad_crc(&gzip(&records(2000)));
    let peer = ScriptedPeer::start(vec![serve(&bad, true, None); 3]).await;
    let dest = tempfile::tempdir().unwrap();
    let error = run(&peer, dest.path(), not_cancelled())
        .await
        .result
        .unwrap_err();
    let DownloadError::Corrupt { file, reason } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(file, LOCAL);
    assert!(reason.contains("3 times"), "{reason}");
    let received = peer.received();
    assert_eq!(received.len(), 3, "three downloads, no more");
    assert!(
        received.iter().all(|r| r.header("range").is_none()),
        "each from byte 0"
    );
    assert!(!part_path(dest.path()).exists());
    assert!(!dest.path().join(LOCAL).exists());
}

#[tokio::test]
async fn a_file_that_arrives_corrupt_once_is_downloaded_again_from_the_start() {
    let data = sample();
    let peer = ScriptedPeer::start(vec![
        serve(&with_bad_crc(&data), true, None),
        serve(&data, true, None),
    ])
    .await;
    let dest = tempfile::tempdir().unwrap();
    let file = run(&peer, dest.path(), not_cancelled())
        .await
        .result
        .unwrap();
    assert_eq!(file.records, 3000);
    assert_eq!(std::fs::read(&file.path).unwrap(), *data);
    let received = peer.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].header("range"), None);
}

#[tokio::test]
async fn a_file_that_keeps_breaking_without_progress_gives_up() {
    let data = sample();
    let peer = ScriptedPeer::start(vec![serve(&data, true, Some(0)); 3]).await;
    let dest = tempfile::tempdir().unwrap();
    let error = run(&peer, dest.path(), not_cancelled())
        .await
        .result
        .unwrap_err();
    assert!(
        matches!(error, DownloadError::Network { attempts: 3, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_expired_file_is_an_api_error() {
    let peer = ScriptedPeer::start(vec![Reply::json(404, r#"{"detail": "Not Found"}"#)]).await;
    let dest = tempfile::tempdir().unwrap();
    let error = run(&peer, dest.path(), not_cancelled())
        .await
        .result
        .unwrap_err();
    assert_eq!(
        error,
        DownloadError::Api(ApiError::Expired {
            detail: Some("Not Found".into())
        })
    );
}

#[tokio::test]
async fn cancelling_keeps_the_part() {
    let data = sample();
    let peer = ScriptedPeer::start(vec![serve(&data, true, None)]).await;
    let dest = tempfile::tempdir().unwrap();
    let (_sender, cancel) = watch::channel(true);
    let error = run(&peer, dest.path(), cancel).await.result.unwrap_err();
    assert_eq!(error, DownloadError::Cancelled);
    assert!(!dest.path().join(LOCAL).exists());
}

#[tokio::test]
async fn unsafe_local_names_are_refused() {
    let peer = ScriptedPeer::start(vec![]).await;
    let client = client_for(&peer);
    let dest = tempfile::tempdir().unwrap();
    let error = download_file(
        &client,
        ID,
        SERVER_NAME,
        dest.path(),
        "../escape.json.gz",
        &|_| {},
        not_cancelled(),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, DownloadError::InvalidName { .. }));
    assert!(peer.received().is_empty());
}

#[test]
fn a_part_that_grew_after_its_check_is_not_put_in_place() {
    let dest = tempfile::tempdir().unwrap();
    let part = part_path(dest.path());
    std::fs::create_dir_all(part.parent().unwrap()).unwrap();
    std::fs::write(&part, b"checked bytes").unwrap();
    let checked = Checked {
        part: part.clone(),
        dir: dest.path().to_path_buf(),
        file: DownloadedFile {
            path: dest.path().join(LOCAL),
            bytes: 13,
            records: 1,
        },
    };
    // A second writer appended after the check.
    std::fs::write(&part, b"checked bytes and more").unwrap();
    let error = checked.put_in_place().unwrap_err();
    assert!(matches!(error, DownloadError::Corrupt { .. }), "{error:?}");
    assert!(!dest.path().join(LOCAL).exists(), "nothing is put in place");

    std::fs::write(&part, b"checked bytes").unwrap();
    checked.put_in_place().unwrap();
    assert_eq!(
        std::fs::read(dest.path().join(LOCAL)).unwrap(),
        b"checked bytes"
    );
}
