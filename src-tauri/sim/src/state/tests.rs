//! Tests of the shared state.

use super::*;

fn shared(dir: &Path) -> Arc<Shared> {
    let config = SimConfig {
        processing_time: Duration::ZERO,
        api_keys: vec![("k".into(), 10)],
        corpus_size: 100,
        data_dir: Some(dir.to_path_buf()),
        ..SimConfig::default()
    };
    let data_dir = DataDir::new(config.data_dir.as_deref()).unwrap();
    Arc::new(Shared::new(config, Corpus::shared(1, 100), data_dir))
}

/// A request for IDs 1, 2 and 3 by key `k`.
fn three_ids(webhook_url: Option<&str>) -> NewRequest {
    NewRequest {
        kind: RequestKind::IdFile,
        key: "k".into(),
        matched: 3,
        ids: vec![1, 2, 3],
        limit: None,
        webhook_url: webhook_url.map(str::to_owned),
        canonical: None,
    }
}

#[tokio::test]
async fn a_request_being_settled_is_saved_uncharged_and_settles_after_a_restart() {
    let dir = std::env::temp_dir().join(format!("coresignal-sim-state-{}", uuid::Uuid::new_v4()));
    let first = shared(&dir);
    let info = first
        .create_request(three_ids(Some("https://example.com/hook")))
        .await
        .unwrap();
    // Charged and settling; the process dies before the files are written.
    assert!(matches!(first.begin_poll(&info.id), Ok(Step::Write { .. })));
    assert_eq!(first.credits("k"), Some(7));
    first.save();
    drop(first);

    let second = shared(&dir);
    assert_eq!(second.requests(), vec![info.clone()]);
    assert_eq!(second.credits("k"), Some(10), "the charge was given back");
    assert!(matches!(second.poll(&info.id).await, Ok(Poll::Ready(f)) if f.len() == 1));
    assert_eq!(second.credits("k"), Some(7));
    drop(second);

    let third = shared(&dir);
    let settled = &third.requests()[0];
    assert_eq!((settled.state, settled.charged), (RequestState::Ready, 3));
    assert!(third.download(&info.id, &settled.files[0]).is_ok());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_poll_given_up_while_its_files_are_written_still_settles_the_request() {
    let dir = std::env::temp_dir().join(format!("coresignal-sim-state-{}", uuid::Uuid::new_v4()));
    let shared = shared(&dir);
    let info = shared.create_request(three_ids(None)).await.unwrap();
    // The client's timeout drops the poll at its first wait: the files are being written.
    let abandoned = tokio::time::timeout(Duration::ZERO, shared.poll(&info.id)).await;
    assert!(abandoned.is_err(), "the poll was given up mid-way");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        match shared.poll(&info.id).await {
            Ok(Poll::Ready(files)) => {
                assert_eq!(files.len(), 1);
                break;
            }
            Ok(Poll::Pending) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Ok(Poll::Pending) => panic!("the request never settled"),
            Err(error) => panic!("the poll failed: {}", error.detail),
        }
    }
    assert_eq!(shared.credits("k"), Some(7), "charged once");
    // The settling task may still be saving the state file after its answer: retry the clean-up.
    for _ in 0..100 {
        if std::fs::remove_dir_all(&dir).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
