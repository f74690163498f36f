//! Limits of one download, over the wire against a scripted peer: a file larger than Coresignal
//! said or than any file of profiles is refused in words and not kept; a downloaded file and its
//! `.part` are readable by their owner only.

use std::sync::Arc;

use tokio::sync::watch;

use super::super::verify::tests::{gzip, records};
use super::super::{download_file, DownloadError, DownloadedFile};
use crate::api::client_tests::client_for;
use crate::api::scripted_peer::{Reply, ScriptedPeer};
use crate::error::Coded;

const ID: &str = "433869ec-0a98-4dcd-9b13-db4df58260f5";
const LOCAL: &str = "part-00000.json.gz";

async fn download(
    peer: &ScriptedPeer,
    dest: &std::path::Path,
) -> Result<DownloadedFile, DownloadError> {
    let client = client_for(peer);
    let (_keep, cancel) = watch::channel(false);
    download_file(
        &client,
        ID,
        "json/part-00000.json.gz",
        dest,
        LOCAL,
        &|_| {},
        cancel,
    )
    .await
}

/// A 206 answer whose `Content-Range` declares `declared` bytes in all, with `body`.
fn declaring(declared: u64, body: Vec<u8>) -> Reply {
    Reply::Respond {
        status: 206,
        headers: vec![
            (
                "content-range",
                format!("bytes 0-{}/{declared}", declared.saturating_sub(1)),
            ),
            ("content-type", "application/gzip".into()),
        ],
        body,
    }
}

fn nothing_kept(dest: &std::path::Path) {
    let partial = dest.join(".partial");
    let left: Vec<_> = std::fs::read_dir(&partial)
        .map(|dir| dir.flatten().map(|entry| entry.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(!dest.join(LOCAL).exists());
}

#[tokio::test]
async fn a_file_longer_than_coresignal_said_is_refused_at_once_and_not_kept() {
    let data = gzip(&records(3000));
    let peer = ScriptedPeer::start(vec![declaring(100, data)]).await;
    let dest = tempfile::tempdir().unwrap();
    let error = download(&peer, dest.path()).await.unwrap_err();
    assert!(matches!(error, DownloadError::TooLarge { .. }), "{error:?}");
    let message = error.user_message();
    assert!(
        message.contains(&format!("Bulk Collect refused the file {LOCAL}"))
            && message.contains("goes on past the 100 bytes Coresignal said"),
        "{message}"
    );
    assert_eq!(peer.received().len(), 1, "not downloaded again");
    nothing_kept(dest.path());
}

#[tokio::test]
async fn a_file_said_to_be_over_5_gib_is_refused_before_any_byte_is_written() {
    let peer =
        ScriptedPeer::start(vec![declaring(6 * 1024 * 1024 * 1024, gzip(&records(10)))]).await;
    let dest = tempfile::tempdir().unwrap();
    let error = download(&peer, dest.path()).await.unwrap_err();
    let message = error.user_message();
    assert!(
        message.contains("Coresignal says it holds 6442450944 bytes, more than the 5 GiB"),
        "{message}"
    );
    nothing_kept(dest.path());
}

#[cfg(unix)]
#[tokio::test]
async fn a_downloaded_file_and_its_part_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let data = Arc::new(gzip(&records(3000)));
    let cut = data.len() / 2;
    let serve = |cut_after| Reply::File {
        data: data.clone(),
        honour_range: true,
        cut_after,
    };
    // The first answer breaks off: the `.part` stays, and is looked at before the second.
    let peer = ScriptedPeer::start(vec![serve(Some(cut)), serve(None)]).await;
    let dest = tempfile::tempdir().unwrap();
    let part = dest.path().join(".partial").join(format!("{LOCAL}.part"));
    let (seen, watcher) = (Arc::new(std::sync::Mutex::new(None)), part.clone());
    let seen_by = seen.clone();
    let progress = move |_: super::super::DownloadProgress| {
        if let Ok(meta) = std::fs::metadata(&watcher) {
            *seen_by.lock().unwrap() = Some(meta.permissions().mode() & 0o777);
        }
    };
    let client = client_for(&peer);
    let (_keep, cancel) = watch::channel(false);
    let file = download_file(
        &client,
        ID,
        "json/part-00000.json.gz",
        dest.path(),
        LOCAL,
        &progress,
        cancel,
    )
    .await
    .unwrap();
    assert_eq!(*seen.lock().unwrap(), Some(0o600), "the .part");
    assert_eq!(mode(&file.path), 0o600, "the downloaded file");
}
