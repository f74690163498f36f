//! Update: a collection refreshed buys only who changed or joined, and says what changed on the page,
//! in the workbook and from the command line.

use super::*;

/// The command line's JSON answer to `args`, which must succeed.
fn cli_ok(harness: &Harness, args: &[&str]) -> serde_json::Value {
    let output = run_cli(harness, args);
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout_json(&output)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_buys_new_only_and_refreshes_a_job_with_what_changed_since() {
    let harness = Harness::start(quick_sim()).await;
    let query = python_query_file();
    let first = cli_ok(
        &harness,
        &[
            "--json", "submit", "--query", &query, "--limit", "20", "--yes",
        ],
    );
    let first = first["job"].as_i64().unwrap().to_string();
    cli_ok(&harness, &["--json", "download", &first]);

    let estimate = cli_ok(
        &harness,
        &[
            "--json",
            "estimate",
            "--query",
            &query,
            "--limit",
            "50",
            "--new-only",
        ],
    );
    assert_eq!(
        (&estimate["new"], &estimate["changed"], &estimate["held"]),
        (
            &serde_json::json!(30),
            &serde_json::json!(0),
            &serde_json::json!(20)
        )
    );
    assert_eq!(estimate["records"], 30);

    let second = cli_ok(
        &harness,
        &[
            "--json",
            "submit",
            "--query",
            &query,
            "--limit",
            "50",
            "--new-only",
            "--yes",
        ],
    );
    assert_eq!(second["quote"]["new"], 30);
    let second_id = second["job"].as_i64().unwrap();
    let second_job = second_id.to_string();
    assert_eq!(
        sent_ids(&harness, second_id).len(),
        30,
        "exactly the new are sent"
    );
    cli_ok(&harness, &["--json", "download", &second_job]);

    // Nothing changed since: a refresh says so and sends nothing.
    let requests = harness.sim.requests().len();
    let output = run_cli(&harness, &["--json", "refresh", &second_job, "--yes"]);
    assert!(!output.status.success());
    let message = cli_error_message(&output);
    assert!(message.contains("nothing new to buy"), "{message}");
    assert_eq!(harness.sim.requests().len(), requests, "nothing was sent");

    // Two of them changed at the service since our copies.
    let changed: Vec<i64> = downloaded_ids(&harness, first.parse().unwrap())
        .into_iter()
        .take(2)
        .collect();
    for id in &changed {
        sql(
            &harness,
            "UPDATE people SET last_updated = '2001-01-01' WHERE id = ?1",
            &[id],
        );
    }
    let refreshed = cli_ok(&harness, &["--json", "refresh", &second_job, "--yes"]);
    assert_eq!(refreshed["updates"].as_i64(), Some(second_id));
    assert_eq!(
        (
            &refreshed["quote"]["new"],
            &refreshed["quote"]["changed"],
            &refreshed["quote"]["held"]
        ),
        (
            &serde_json::json!(0),
            &serde_json::json!(2),
            &serde_json::json!(48)
        )
    );
    let refresh_id = refreshed["job"].as_i64().unwrap();
    assert_eq!(
        sent_ids(&harness, refresh_id),
        changed.into_iter().collect::<BTreeSet<i64>>()
    );
}

#[tokio::test]
async fn an_update_buys_the_changed_and_says_what_changed_on_the_page_and_in_the_workbook() {
    let harness = Harness::start(quick_sim()).await;
    let first = collect(&harness, 30).await;
    let person = *downloaded_ids(&harness, first).iter().next().unwrap();
    let dataset = Mode::Practice.library_dataset();
    let library = library(&harness);

    // Our copy of one person says they held another job, and is older than the service's.
    let mut ours = library.person(dataset, person).unwrap().unwrap();
    ours["job_title"] = "Old Title".into();
    let file = harness.dir.path().join("ours.jsonl");
    std::fs::write(&file, format!("{ours}\n")).unwrap();
    library.ingest(dataset, 9_999, &[file]).unwrap();
    sql(
        &harness,
        "UPDATE people SET last_updated = '2001-01-01' WHERE id = ?1",
        &[&person],
    );

    let quote = harness.engine.quote_update(first).await.unwrap();
    let split = quote.split.clone().unwrap();
    assert_eq!((split.new, split.changed, split.held), (0, 1, 29));
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;

    let changed = harness
        .engine
        .what_changed(job.id)
        .unwrap()
        .expect("an update");
    assert_eq!(changed.since_job, first);
    assert!(changed.joined.is_empty() && changed.left.is_empty());
    assert_eq!(changed.changed_job.len(), 1, "{changed:?}");
    let moved = &changed.changed_job[0];
    assert_eq!(moved.id, person);
    let detail = moved.detail.as_deref().unwrap();
    assert!(
        detail.starts_with("Old Title") && detail.contains(" → "),
        "{detail}"
    );
    assert!(
        changed.summary.starts_with("Since ") && changed.summary.ends_with(": 1 changed job."),
        "{}",
        changed.summary
    );
    assert!(
        harness.engine.what_changed(first).unwrap().is_none(),
        "the first is no update"
    );

    // The workbook has a What changed sheet with that row; a CSV gets changes.csv beside it.
    let made = exported(&harness, job.id, &ExportOptions::default());
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&made.paths[0]).unwrap();
    let sheet = workbook.worksheet_range("What changed").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect();
    assert_eq!(rows[0], ["What", "Person ID", "Full name", "Change"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "Changed job");
    assert_eq!(rows[1][1], person.to_string());
    let csv = ExportOptions {
        format: collect_core::export::ExportFormat::Csv,
        ..ExportOptions::default()
    };
    let made = exported(&harness, job.id, &csv);
    let changes = made
        .paths
        .iter()
        .find(|path| path.to_string_lossy().ends_with("_changes.csv"))
        .unwrap_or_else(|| panic!("no changes.csv in {:?}", made.paths));
    let text = std::fs::read_to_string(changes).unwrap();
    assert!(
        text.contains("Changed job") && text.contains("Old Title"),
        "{text}"
    );
}

/// A search for people whose current title says Python.
fn python_titles() -> collect_core::jobs::NewJob {
    let query = collect_core::query::parse_query(
        r#"{"query": {"query_string": {"query": "Python", "default_field": "job_title"}}}"#,
    )
    .unwrap();
    query_job(query, None)
}

/// The first page of ids everyone in the simulator's searchable corpus.
async fn corpus_ids(harness: &Harness) -> Vec<i64> {
    reqwest::Client::new()
        .post(format!(
            "{}/v2/employee_clean/search/es_dsl",
            harness.sim.base_url()
        ))
        .header("apikey", DEFAULT_PRACTICE_KEY)
        .json(&serde_json::json!({"query": {"match_all": {}}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_update_after_people_changed_at_the_service_lists_who_joined_left_and_changed_job() {
    let harness = Harness::start(quick_sim()).await;
    let first = submit_job(&harness.engine, python_titles()).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, first.id, JobState::Downloaded).await;
    let before = downloaded_ids(&harness, first.id);
    assert!(before.len() > 3, "{} people", before.len());
    let mut held = before.iter().copied();
    let (leaver, mover) = (held.next().unwrap(), held.next().unwrap());
    let joiner = corpus_ids(&harness)
        .await
        .into_iter()
        .find(|id| !before.contains(id))
        .unwrap();

    // At the service: one stops being a Python person, one moves company, one becomes one.
    harness
        .sim
        .advance_clock(std::time::Duration::from_secs(86_400));
    let changes = [
        (leaver, serde_json::json!({"job_title": "Accountant"})),
        (
            mover,
            serde_json::json!({"company_name": "Globex Labs S.A."}),
        ),
        (joiner, serde_json::json!({"job_title": "Python Developer"})),
    ];
    for (id, change) in changes {
        harness.sim.change_person(id as u64, change).unwrap();
    }

    let quote = harness.engine.quote_update(first.id).await.unwrap();
    let split = quote.split.clone().unwrap();
    assert_eq!((split.new, split.changed), (1, 1), "{}", quote.question);
    assert_eq!(split.held as usize, before.len() - 2);
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    assert_eq!(sent_ids(&harness, job.id), BTreeSet::from([mover, joiner]));
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;

    let changed = harness.engine.what_changed(job.id).unwrap().unwrap();
    let ids = |people: &[collect_core::jobs::PersonChange]| -> Vec<i64> {
        people.iter().map(|person| person.id).collect()
    };
    assert_eq!(ids(&changed.joined), vec![joiner]);
    assert_eq!(ids(&changed.left), vec![leaver]);
    assert_eq!(ids(&changed.changed_job), vec![mover]);
    let detail = changed.changed_job[0].detail.as_deref().unwrap();
    assert!(detail.ends_with("at Globex Labs S.A."), "{detail}");
    assert!(
        changed
            .summary
            .ends_with(": 1 joined, 1 left, 1 changed job."),
        "{}",
        changed.summary
    );
    // The quote's new + changed is what the service charged.
    let request = harness.sim.requests().into_iter().last().unwrap();
    assert_eq!(request.record_count, 2);
}
