//! Publishing: the outbox reaches the server once, whatever is killed when, and one refused entry
//! or a second process never loses or duplicates a collection.

use super::*;

#[tokio::test]
async fn both_publish_the_same_people_at_once_without_a_duplicate_or_a_lost_row() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let (a_dir, anna) = colleague(&sim, None);
    let (b_dir, bruno) = colleague(&sim, None);
    // Anna holds 0..20,000 updated in May; Bruno 10,000..30,000 updated in June: the 10,000
    // both hold must end with Bruno's newer copy, whoever commits first.
    keep_and_queue(
        anna.store(),
        1,
        people_file(a_dir.path(), 0, 20_000, "2026-05-01"),
        "Anna",
    );
    keep_and_queue(
        bruno.store(),
        1,
        people_file(b_dir.path(), 10_000, 20_000, "2026-06-01"),
        "Bruno",
    );
    anna.set_team(Some(link(&pg, "Anna")));
    bruno.set_team(Some(link(&pg, "Bruno")));
    let (a, b) = tokio::join!(anna.publish_to_team(), bruno.publish_to_team());
    // A round the background publisher had already started returns nothing; wait for both.
    a.unwrap();
    b.unwrap();
    published(&anna).await;
    published(&bruno).await;

    assert_eq!(
        count(&pg, "SELECT count(*) FROM people"),
        30_000,
        "no lost row"
    );
    assert_eq!(
        count(&pg, "SELECT count(DISTINCT id) FROM people"),
        30_000,
        "no duplicate"
    );
    assert_eq!(count(&pg, "SELECT count(*) FROM collections"), 2);
    assert_eq!(
        count(
            &pg,
            "SELECT count(*) FROM people WHERE id >= 10000 AND last_updated LIKE '2026-06%'"
        ),
        20_000,
        "the newest copy is kept"
    );
    assert_eq!(
        count(
            &pg,
            "SELECT count(*) FROM people WHERE id < 10000 AND last_by = 'Anna'"
        ),
        10_000
    );
    // Publishing again sends nothing twice.
    assert_eq!(anna.publish_to_team().await.unwrap().collections, 0);
    assert_eq!(count(&pg, "SELECT count(*) FROM collections"), 2);

    // Anna's later collection of 10,000..20,000 brings her (older) May copies again: published
    // after Bruno's June ones, they still do not replace them.
    keep_and_queue(
        anna.store(),
        2,
        people_file(a_dir.path(), 10_000, 10_000, "2026-04-01"),
        "Anna",
    );
    published(&anna).await;
    assert_eq!(count(&pg, "SELECT count(*) FROM collections"), 3);
    assert_eq!(
        count(
            &pg,
            "SELECT count(*) FROM people WHERE last_updated LIKE '2026-06%'"
        ),
        20_000,
        "an older copy published later never replaces a newer one"
    );
}

#[tokio::test]
async fn a_server_killed_mid_publish_gets_the_outbox_after_a_restart() {
    let (pg, sim, dir, anna) = anna_with_queued(7, 5_000).await;
    // The tables exist; a colleague's long transaction holds `people`, so the publish stops
    // at its upsert, after the COPY, before its commit: then the server dies.
    link(&pg, "Anna").test().await.unwrap();
    let mut holder = pg
        .command("psql", &[])
        .args(pg.psql_args("team"))
        .args([
            "-c",
            "BEGIN; LOCK TABLE people IN EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted";
    let deadline = Instant::now() + Duration::from_secs(10);
    while count(&pg, "SELECT count(*) FROM pg_locks WHERE mode = 'ExclusiveLock' AND granted AND relation = 'people'::regclass") == 0 {
        assert!(Instant::now() < deadline, "the lock was not taken");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    anna.set_team(Some(link(&pg, "Anna")));
    let publishing = {
        let anna = Arc::clone(&anna);
        tokio::spawn(async move { anna.publish_to_team().await })
    };
    while count(&pg, waiting) == 0 {
        assert!(
            Instant::now() < deadline,
            "the publish never reached the upsert"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pg.kill();
    let _ = holder.kill();
    let _ = holder.wait();
    let failed = publishing.await.unwrap();
    assert!(
        matches!(failed, Err(TeamError::Unreachable { .. }) | Ok(_)),
        "{failed:?}"
    );
    assert_eq!(
        anna.team_status(false).await.unwrap().waiting_collections,
        1,
        "kept in the outbox"
    );

    // The server and the app start again: the outbox delivers, once.
    pg.start_again();
    drop(anna);
    let anna = live_engine(&sim, dir.path().to_path_buf());
    assert_eq!(anna.team_status(false).await.unwrap().waiting_people, 5_000);
    anna.set_team(Some(link(&pg, "Anna")));
    published(&anna).await;
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 5_000);
    assert_eq!(count(&pg, "SELECT count(*) FROM collections"), 1);
}

#[tokio::test]
async fn a_server_killed_after_its_commit_but_before_the_answer_publishes_nothing_twice() {
    let (pg, sim, dir, anna) = anna_with_queued(7, 3_000).await;
    link(&pg, "Anna").test().await.unwrap();
    // The role's commits wait for a synchronous standby that never comes: the publish's commit
    // is written (and survives the crash) but never answered.
    pg.psql("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
    pg.psql("ALTER SYSTEM SET synchronous_commit = 'local'");
    pg.psql(&format!(
        "ALTER ROLE {TEAM_USER} SET synchronous_commit = 'on'"
    ));
    pg.psql("SELECT pg_reload_conf()");
    anna.set_team(Some(link(&pg, "Anna")));
    let publishing = {
        let anna = Arc::clone(&anna);
        tokio::spawn(async move { anna.publish_to_team().await })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(
        &pg,
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'",
    ) == 0
    {
        assert!(
            Instant::now() < deadline,
            "the publish never reached its commit"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pg.kill();
    let _ = publishing.await.unwrap();
    assert_eq!(
        anna.team_status(false).await.unwrap().waiting_collections,
        1,
        "the entry leaves the outbox only once the commit is answered"
    );

    pg.start_again();
    pg.psql(&format!("ALTER ROLE {TEAM_USER} RESET synchronous_commit"));
    pg.psql("ALTER SYSTEM RESET synchronous_standby_names");
    pg.psql("SELECT pg_reload_conf()");
    assert_eq!(
        count(&pg, "SELECT count(*) FROM collections"),
        1,
        "the commit survived the crash"
    );
    drop(anna);
    let anna = live_engine(&sim, dir.path().to_path_buf());
    anna.set_team(Some(link(&pg, "Anna")));
    published(&anna).await;
    assert_eq!(
        count(&pg, "SELECT count(*) FROM collections"),
        1,
        "published once"
    );
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 3_000);
}

/// One entry the server always refuses (a record whose `last_updated` holds a NUL, which a
/// PostgreSQL `text` cannot) must not keep every later collection from the team library.
#[tokio::test]
async fn an_entry_the_server_always_refuses_does_not_block_the_others() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let anna = live_engine(&sim, dir.path().to_path_buf());
    let poisoned = dir.path().join("poisoned.jsonl");
    std::fs::write(
        &poisoned,
        "{\"id\":900001,\"full_name\":\"Odd\",\"last_updated\":\"2026-05-01\\u0000\"}\n",
    )
    .unwrap();
    keep_and_queue(anna.store(), 1, poisoned, "Anna");
    std::thread::sleep(Duration::from_millis(5));
    keep_and_queue(
        anna.store(),
        2,
        people_file(dir.path(), 0, 100, "2026-05-01"),
        "Anna",
    );
    anna.set_team(Some(link(&pg, "Anna")));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let _ = anna.publish_to_team().await;
        if count(&pg, "SELECT count(*) FROM people") == 100 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the good collection never went: {:?}",
            anna.team_status(false).await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = anna.team_status(false).await.unwrap();
    assert_eq!(status.waiting_collections, 1, "{status:?}");
    assert!(status.last_error.is_some(), "{status:?}");
}

/// `team publish` (and the CLI's publish after a download) asks for a round while the one
/// `set_team` started in the background already runs: it must wait for it, not answer "nothing
/// published" at once (the CLI would then exit and cut the background round short).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_asked_while_a_background_round_runs_waits_for_it() {
    let (pg, _sim, _dir, anna) = anna_with_queued(1, 20_000).await;
    anna.set_team(Some(link(&pg, "Anna")));
    tokio::time::sleep(Duration::from_millis(20)).await;
    let _ = anna.publish_to_team().await;
    let status = anna.team_status(false).await.unwrap();
    assert_eq!(status.waiting_collections, 0, "{status:?}");
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 20_000);
}

/// A job whose download completes twice (downloaded again, or a restart after its people were
/// kept but before it showed as downloaded) is one collection on the team ledger, not two: its
/// credits are not counted twice.
#[tokio::test]
async fn a_job_downloaded_twice_is_one_collection_on_the_team_ledger() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let (_a_dir, anna) = colleague(&sim, Some(link(&pg, "Anna")));
    let quote = anna
        .quote(&query_job(python_query(), Some(40)))
        .await
        .unwrap();
    let job = buy(&anna, &quote).await;
    published(&anna).await;
    assert_eq!(count(&pg, "SELECT count(*) FROM collections"), 1);
    anna.download(job, None).await.unwrap();
    published(&anna).await;
    assert_eq!(
        pg.psql("SELECT count(*) || ' ' || sum(credits) FROM collections"),
        "1 40"
    );
}
