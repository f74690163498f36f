//! The team library against a real PostgreSQL server (a throwaway cluster, `team_db`), the real
//! simulator over HTTP and real SQLite files: two data folders stand for two colleagues.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulk_collect_tests::team_db::{PgCluster, TEAM_PASSWORD, TEAM_USER};
use bulk_collect_tests::*;
use collect_core::consent::Consent;
use collect_core::jobs::{Confirmation, Engine, JobState, Mode, Quote};
use collect_core::library::{Library, CLEAN_EMPLOYEE};
use collect_core::store::Store;
use collect_core::team::{Queued, TeamAddress, TeamError, TeamLink};
use coresignal_sim::{Simulator, DEFAULT_PRACTICE_KEY};

/// A link to the cluster as `who`, with the right password.
fn link(pg: &PgCluster, who: &str) -> TeamLink {
    let address = TeamAddress::parse(&pg.url()).unwrap();
    TeamLink::new(address, Some(TEAM_PASSWORD.into()), who)
}

/// A colleague: their own data folder and a Live engine using the team library as `who`.
fn colleague(sim: &Simulator, team: Option<TeamLink>) -> (tempfile::TempDir, Arc<Engine>) {
    let dir = tempfile::tempdir().unwrap();
    let engine = live_engine(sim, dir.path().to_path_buf());
    engine.set_team(team);
    (dir, engine)
}

fn live_engine(sim: &Simulator, dir: PathBuf) -> Arc<Engine> {
    let engine = open_engine(sim, &dir, DEFAULT_PRACTICE_KEY);
    let mut options = engine.options();
    options.mode = Mode::Live;
    engine.apply(options).unwrap();
    engine
}

/// Spends `quote` as a person who says yes to it, and waits until its files are downloaded.
async fn buy(engine: &Arc<Engine>, quote: &Quote) -> i64 {
    let consent = engine.consents().granted_by_person(Consent::Quote {
        quote: quote.id,
        credits: quote.credits,
    });
    let job = engine
        .submit_confirmed(
            quote.id,
            Confirmation {
                again: true,
                consent: Some(consent),
                ..Confirmation::default()
            },
        )
        .await
        .unwrap();
    let _scheduler = Scheduler::start(engine);
    wait_for_state(engine, job.id, JobState::Downloaded).await;
    // The spreadsheet is made after the move to downloaded.
    let deadline = Instant::now() + Duration::from_secs(30);
    while engine.job(job.id).unwrap().export_path.is_none() {
        assert!(Instant::now() < deadline, "no spreadsheet was made");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    job.id
}

/// Publishes until the outbox is empty (the scheduler may be publishing too), for at most 20 s.
async fn published(engine: &Engine) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let _ = engine.publish_to_team().await;
        let status = engine.team_status(false).await.unwrap();
        if status.waiting_collections == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "still waiting: {status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn count(pg: &PgCluster, sql: &str) -> i64 {
    pg.psql(sql).parse().unwrap()
}

#[tokio::test]
async fn b_s_quote_subtracts_what_a_collected_and_names_a_s_collection() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let (_a_dir, anna) = colleague(&sim, Some(link(&pg, "Anna")));
    let (_b_dir, bruno) = colleague(&sim, Some(link(&pg, "Bruno")));

    let first = anna
        .quote(&query_job(python_query(), Some(40)))
        .await
        .unwrap();
    assert_eq!(
        first.team.as_ref().unwrap().held,
        0,
        "the team holds nobody yet"
    );
    buy(&anna, &first).await;
    published(&anna).await;
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 40);
    assert_eq!(
        pg.psql("SELECT who || ' ' || profiles || ' ' || credits FROM collections"),
        "Anna 40 40"
    );

    // The same search, larger: Bruno's computer holds nobody, the team holds Anna's 40.
    let quote = bruno
        .quote(&query_job(python_query(), Some(100)))
        .await
        .unwrap();
    let split = quote.split.clone().expect("the team's people are skipped");
    assert_eq!((split.new, split.held), (60, 40));
    assert_eq!(quote.records, 60, "only the 60 the team lacks are bought");
    let team = quote.team.clone().unwrap();
    assert!(team.reachable);
    assert_eq!((team.held, team.colleague.as_deref()), (40, Some("Anna")));
    assert_eq!(team.saved_credits, 40);
    assert!(
        team.summary
            .starts_with("Your team already has 40 of these (Anna, ")
            && team.summary.ends_with("): skip them and save 40 credits."),
        "{}",
        team.summary
    );

    // Anna's very request, quoted by Bruno: "collected before" names her collection.
    let again = bruno
        .quote(&query_job(python_query(), Some(40)))
        .await
        .unwrap();
    let team = again.team.as_ref().unwrap();
    assert!(
        team.summary.contains("Anna collected the same request on "),
        "{}",
        team.summary
    );
    let earlier = &team.earlier;
    assert_eq!(earlier.len(), 1, "{earlier:?}");
    assert_eq!((earlier[0].who.as_str(), earlier[0].profiles), ("Anna", 40));

    // Bruno buys the 60; his spreadsheet holds all 100, Anna's 40 copied from the team.
    let job = buy(&bruno, &quote).await;
    let library = Library::new(bruno.store().clone());
    assert_eq!(library.count(CLEAN_EMPLOYEE).unwrap(), 100);
    let sheet = bruno
        .job(job)
        .unwrap()
        .export_path
        .expect("a spreadsheet was made");
    let ids = workbook_ids(std::path::Path::new(&sheet), "People", 0);
    assert_eq!(ids.len(), 100, "the team's 40 are in the spreadsheet too");
    published(&bruno).await;
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 100);
    assert_eq!(
        count(&pg, "SELECT count(*) FROM people WHERE first_by = 'Bruno'"),
        60
    );
}

/// Writes `count` made-up people from id `from`, each updated on `day`, as a job's file.
fn people_file(dir: &std::path::Path, from: i64, count: i64, day: &str) -> PathBuf {
    let path = dir.join(format!("people-{from}-{day}.jsonl"));
    let mut text = String::new();
    for id in from..from + count {
        text.push_str(&format!(
            "{{\"id\":{id},\"full_name\":\"Person {id}\",\"last_updated\":\"{day}T00:00:00Z\",\"headline\":\"Engineer\"}}\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// Keeps `file` in `store`'s library as job `job` and queues it for the team as `who`.
fn keep_and_queue(store: &Store, job: i64, file: PathBuf, who: &str) {
    let who = who.to_owned();
    let queue = move |people: u64| Queued {
        collection: uuid_like(job, &who),
        job,
        dataset: CLEAN_EMPLOYEE.into(),
        who: who.clone(),
        at: collect_core::store::now_text(),
        name: format!("job {job}"),
        fingerprint: format!("fp-{job}"),
        credits: people as i64,
        profiles: people as i64,
    };
    Library::new(store.clone())
        .ingest_queued(
            CLEAN_EMPLOYEE,
            job,
            &[file],
            &collect_core::store::now_text(),
            Some(&queue),
        )
        .unwrap();
}

fn uuid_like(job: i64, who: &str) -> String {
    let tail = if who == "Anna" { 1 } else { 2 };
    format!("00000000-0000-4000-8000-{:06}{:06}", tail, job)
}

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
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let anna = live_engine(&sim, dir.path().to_path_buf());
    keep_and_queue(
        anna.store(),
        7,
        people_file(dir.path(), 0, 5_000, "2026-05-01"),
        "Anna",
    );
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
async fn a_wrong_password_and_a_remote_address_without_tls_are_refused_in_words() {
    let pg = PgCluster::start();
    let wrong = TeamLink::new(
        TeamAddress::parse(&pg.url()).unwrap(),
        Some("not-it".into()),
        "Anna",
    );
    let refused = wrong.test().await.unwrap_err();
    assert_eq!(
        refused,
        TeamError::PasswordRefused {
            user: TEAM_USER.into()
        }
    );
    assert!(
        refused
            .to_string()
            .starts_with("The team library refused the password"),
        "{refused}"
    );
    let none = TeamLink::new(TeamAddress::parse(&pg.url()).unwrap(), None, "Anna");
    assert_eq!(none.test().await.unwrap_err(), TeamError::NoPassword);

    // Refused from the address alone: nothing is connected (the host does not exist).
    for remote in [
        "postgres://team_app@10.1.2.3/team?sslmode=disable",
        "postgres://team_app@db.example.invalid:5432/team?sslmode=disable",
    ] {
        let started = Instant::now();
        let refused = TeamAddress::parse(remote).unwrap_err();
        assert!(
            matches!(refused, TeamError::NotEncrypted { .. }),
            "{refused:?}"
        );
        assert!(
            refused.to_string().contains("without encryption"),
            "{refused}"
        );
        assert!(started.elapsed() < Duration::from_millis(100));
    }
    let with_password = TeamAddress::parse(&format!(
        "postgres://{TEAM_USER}:{TEAM_PASSWORD}@127.0.0.1:{}/team",
        pg.port
    ))
    .unwrap_err();
    assert_eq!(with_password, TeamError::PasswordInAddress);
    assert!(!with_password.to_string().contains(TEAM_PASSWORD));
}

#[tokio::test]
async fn with_the_server_down_the_quote_says_so_and_collecting_still_works() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let (_dir, anna) = colleague(&sim, Some(link(&pg, "Anna")));
    pg.kill();

    let started = Instant::now();
    let quote = anna
        .quote(&query_job(python_query(), Some(30)))
        .await
        .unwrap();
    let team = quote.team.clone().unwrap();
    assert!(!team.reachable);
    assert_eq!(
        team.summary,
        "Team library unreachable: checking only your own."
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(quote.records, 30);
    let job = buy(&anna, &quote).await;
    assert_eq!(anna.job(job).unwrap().state, JobState::Downloaded);
    let status = anna.team_status(true).await.unwrap();
    assert_eq!((status.waiting_collections, status.waiting_people), (1, 30));
    assert_eq!(status.reachable, Some(false));

    // A server that takes the connection and never answers: the quote does not wait for it.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let address =
        TeamAddress::parse(&format!("postgres://{TEAM_USER}@127.0.0.1:{port}/team")).unwrap();
    anna.set_team(Some(TeamLink::new(
        address,
        Some(TEAM_PASSWORD.into()),
        "Anna",
    )));
    let started = Instant::now();
    let quote = anna
        .quote(&query_job(python_query(), Some(50)))
        .await
        .unwrap();
    assert!(!quote.team.unwrap().reachable);
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    hold.abort();

    // Back up: what waited is published.
    pg.start_again();
    anna.set_team(Some(link(&pg, "Anna")));
    published(&anna).await;
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 30);
}

/// The CLI with `--team-db` and `PGPASSWORD`.
fn team_cli(harness: &Harness, url: &str, password: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
        .arg(harness.dir.path())
        .args(["--team-db", url])
        .args(args)
        .env("BULK_COLLECT_API_KEY", DEFAULT_PRACTICE_KEY)
        .env("PGPASSWORD", password)
        .env_remove("BULK_COLLECT_TEAM_DB")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the CLI runs")
}

#[tokio::test]
async fn the_cli_takes_the_team_library_from_team_db_and_pgpassword() {
    let pg = PgCluster::start();
    let harness = Harness::start(quick_sim()).await;
    let answered = team_cli(&harness, &pg.url(), TEAM_PASSWORD, &["team", "status"]);
    let text = String::from_utf8_lossy(&answered.stdout);
    assert!(
        answered.status.success(),
        "{}",
        String::from_utf8_lossy(&answered.stderr)
    );
    assert!(text.contains("The team library answers."), "{text}");
    assert_eq!(pg.psql("SELECT max(version) FROM team_schema_version"), "1");

    let refused = team_cli(&harness, &pg.url(), "wrong", &["--json", "team", "status"]);
    assert!(refused.status.success(), "status reports, it does not fail");
    let status = stdout_json(&refused);
    assert_eq!(status["reachable"], false);
    assert!(
        status["last_error"]
            .as_str()
            .unwrap()
            .starts_with("The team library refused the password"),
        "{status}"
    );

    let with_password = format!(
        "postgres://{TEAM_USER}:{TEAM_PASSWORD}@127.0.0.1:{}/team",
        pg.port
    );
    let refused = team_cli(&harness, &with_password, "", &["--json", "team", "status"]);
    assert!(!refused.status.success());
    let words = cli_error_message(&refused);
    assert!(
        words.starts_with("The team library address holds a password."),
        "{words}"
    );
    assert!(!words.contains(TEAM_PASSWORD));
}

#[tokio::test]
async fn a_server_killed_after_its_commit_but_before_the_answer_publishes_nothing_twice() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let anna = live_engine(&sim, dir.path().to_path_buf());
    keep_and_queue(
        anna.store(),
        7,
        people_file(dir.path(), 0, 3_000, "2026-05-01"),
        "Anna",
    );
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

/// People a purchase skipped because the team held them, whose records the team library no
/// longer gives (deleted, or unreadable) by the time the download is done: the spreadsheet lacks
/// them, and the job's trail must say how many, not stay silent.
#[tokio::test]
async fn team_people_that_cannot_be_copied_are_named_on_the_trail() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let (_a_dir, anna) = colleague(&sim, Some(link(&pg, "Anna")));
    let (_b_dir, bruno) = colleague(&sim, Some(link(&pg, "Bruno")));
    let first = anna
        .quote(&query_job(python_query(), Some(40)))
        .await
        .unwrap();
    buy(&anna, &first).await;
    published(&anna).await;
    let quote = bruno
        .quote(&query_job(python_query(), Some(100)))
        .await
        .unwrap();
    assert_eq!(quote.split.clone().unwrap().held, 40);
    // Between the quote and the download, 3 of Anna's people go and 2 become unreadable.
    pg.psql("DELETE FROM people WHERE id IN (SELECT id FROM people ORDER BY id LIMIT 3)");
    pg.psql(
        "UPDATE people SET record = '\\x00' WHERE id IN \
         (SELECT id FROM people ORDER BY id DESC LIMIT 2)",
    );
    let job = buy(&bruno, &quote).await;
    let trail = bruno.store().events(job).unwrap();
    let details: Vec<&str> = trail.iter().map(|event| event.detail.as_str()).collect();
    assert!(
        details
            .iter()
            .any(|detail| detail.contains("Copied 35 profiles")),
        "{details:#?}"
    );
    assert!(
        details
            .iter()
            .any(|detail| detail.contains("5 profiles your team had")),
        "{details:#?}"
    );
}

/// `team publish` (and the CLI's publish after a download) asks for a round while the one
/// `set_team` started in the background already runs: it must wait for it, not answer "nothing
/// published" at once (the CLI would then exit and cut the background round short).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_asked_while_a_background_round_runs_waits_for_it() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let anna = live_engine(&sim, dir.path().to_path_buf());
    keep_and_queue(
        anna.store(),
        1,
        people_file(dir.path(), 0, 20_000, "2026-05-01"),
        "Anna",
    );
    anna.set_team(Some(link(&pg, "Anna")));
    tokio::time::sleep(Duration::from_millis(20)).await;
    let _ = anna.publish_to_team().await;
    let status = anna.team_status(false).await.unwrap();
    assert_eq!(status.waiting_collections, 0, "{status:?}");
    assert_eq!(count(&pg, "SELECT count(*) FROM people"), 20_000);
}

/// The server is shared: a record there larger than any person's (a colleague's mistake, or
/// worse) is not fetched for a spreadsheet, so a few of them cannot fill this computer's memory.
#[tokio::test]
async fn an_oversized_team_record_is_not_fetched() {
    let pg = PgCluster::start();
    let team = link(&pg, "Anna");
    team.test().await.unwrap();
    pg.psql(
        "INSERT INTO people (dataset, id, record, first_by, first_at, first_collection, last_by, \
             last_at, last_collection) \
         SELECT 'employee_clean', id, convert_to(repeat('x', size), 'UTF8'), 'Eve', now(), \
             gen_random_uuid(), 'Eve', now(), gen_random_uuid() \
         FROM (VALUES (1, 100), (2, 20000000)) AS made (id, size)",
    );
    let copies = team.records(CLEAN_EMPLOYEE, &[1, 2]).await.unwrap();
    let ids: Vec<i64> = copies.iter().map(|(id, ..)| *id).collect();
    assert_eq!(ids, vec![1]);
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

/// The team answered which people it holds (the quote skips them), then did not answer in time
/// about colleagues' collections: the quote must still say what it skipped for the team, not
/// "checking only your own" over a price that already left the team's people out.
#[tokio::test]
async fn a_quote_that_skipped_the_team_s_people_says_so_when_the_rest_is_late() {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let (_a_dir, anna) = colleague(&sim, Some(link(&pg, "Anna")));
    let (_b_dir, bruno) = colleague(&sim, Some(link(&pg, "Bruno")));
    let first = anna
        .quote(&query_job(python_query(), Some(40)))
        .await
        .unwrap();
    buy(&anna, &first).await;
    published(&anna).await;
    link(&pg, "Bruno").test().await.unwrap();
    let mut holder = pg
        .command("psql", &[])
        .args(pg.psql_args("team"))
        .args([
            "-c",
            "BEGIN; LOCK TABLE collections IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30); COMMIT;",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while count(&pg, "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND granted AND relation = 'collections'::regclass") == 0 {
        assert!(Instant::now() < deadline, "the lock was not taken");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let quote = bruno
        .quote(&query_job(python_query(), Some(100)))
        .await
        .unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(quote.split.clone().unwrap().held, 40);
    let team = quote.team.unwrap();
    assert!(team.reachable, "{team:?}");
    assert_eq!(team.held, 40, "{team:?}");
    assert!(
        team.summary
            .starts_with("Your team already has 40 of these"),
        "{}",
        team.summary
    );
}

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
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let anna = live_engine(&sim, dir.path().to_path_buf());
    keep_and_queue(
        anna.store(),
        1,
        people_file(dir.path(), 0, 1_000, "2026-05-01"),
        "Anna",
    );
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
