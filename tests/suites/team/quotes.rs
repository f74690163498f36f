//! Quotes with a team library: what colleagues hold is skipped and named; a server down, slow or
//! refusing is said in words and collecting still works; the CLI takes it from --team-db.

use super::*;

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
        team.summary.contains("Anna made the same collection on "),
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

    // The simulator's address is Practice: its made-up people never go to the team library.
    let practice = team_cli(&harness, &pg.url(), TEAM_PASSWORD, &["team", "publish"]);
    let text = String::from_utf8_lossy(&practice.stdout);
    assert!(practice.status.success(), "{text}");
    assert!(
        text.contains("Practice never shares with the team library (its people are made up)"),
        "{text}"
    );

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

/// The team answered which people it holds (the quote skips them), then did not answer in time
/// about colleagues' collections: the quote must still say what it skipped for the team, not
/// "checking only your own" over a price that already left the team's people out.
#[tokio::test]
async fn a_quote_that_skipped_the_team_s_people_says_so_when_the_rest_is_late() {
    let (pg, _sim, _folders, bruno) = bruno_after_anna_bought_40().await;
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
