//! Net-new purchases against the real simulator over HTTP and a real database: a search run again
//! buys only the people the library does not hold, or holds an older copy of; what is sent is
//! exactly those ids; getting everyone again stays possible, and explicit.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::BTreeSet;

use bulk_collect_tests::*;
use collect_core::export::ExportOptions;
use collect_core::jobs::{EngineError, JobKind, JobState, Mode};
use collect_core::library::Library;
use coresignal_sim::DEFAULT_PRACTICE_KEY;

/// The ids of the people job `id` downloaded.
fn downloaded_ids(harness: &Harness, id: i64) -> BTreeSet<i64> {
    harness
        .engine
        .store()
        .files(id)
        .unwrap()
        .iter()
        .flat_map(|file| read_records(std::path::Path::new(file.path.as_deref().unwrap())))
        .map(|record| record["id"].as_i64().unwrap())
        .collect()
}

/// The ids job `id` sent as its ID list.
fn sent_ids(harness: &Harness, id: i64) -> BTreeSet<i64> {
    let job = harness.engine.job(id).unwrap();
    job.ids_text
        .as_deref()
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().parse().ok())
        .collect()
}

fn library(harness: &Harness) -> Library {
    Library::new(harness.engine.store().clone())
}

/// The net-new price of the Python search with `limit`.
async fn quote_python(harness: &Harness, limit: u32) -> collect_core::jobs::Quote {
    harness
        .engine
        .quote(&query_job(python_query(), Some(limit)))
        .await
        .unwrap()
}

/// Collects the Python search with `limit` at once (as a person who confirms it) and waits for it.
async fn collect(harness: &Harness, limit: u32) -> i64 {
    let job = harness.submit_python(Some(limit)).await;
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    job.id
}

#[tokio::test]
async fn a_search_run_again_buys_only_the_people_not_in_the_library() {
    let harness = Harness::start(quick_sim()).await;
    let first = collect(&harness, 40).await;
    let held = downloaded_ids(&harness, first);
    assert_eq!(held.len(), 40);

    let quote = quote_python(&harness, 100).await;
    let split = quote.split.clone().expect("the library holds some of them");
    assert_eq!((split.new, split.changed, split.held), (60, 0, 40));
    assert_eq!(quote.records, 60, "only the new are bought");
    assert_eq!(quote.credits, 60 * u64::from(quote.credits_per_record));
    assert_eq!(quote.kind, JobKind::IdFile);
    assert!(
        quote.question.contains("60 are new")
            && quote
                .question
                .contains("You already have 40 of them: skip them?"),
        "{}",
        quote.question
    );
    assert!(quote.earlier.is_empty(), "{:?}", quote.earlier);

    let balance_before = harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let sent = sent_ids(&harness, job.id);
    assert_eq!(sent.len(), 60);
    assert!(sent.is_disjoint(&held), "no held person is bought again");
    assert_eq!(
        downloaded_ids(&harness, job.id),
        sent,
        "what was sent is what came"
    );
    let charged = balance_before - harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    assert_eq!(
        u64::try_from(charged).unwrap(),
        quote.credits,
        "the quote's new + changed is what the service charged"
    );
    let dataset = Mode::Practice.library_dataset();
    assert_eq!(library(&harness).count(dataset).unwrap(), 100);

    // The spreadsheet holds everyone who matched, and says who came in this purchase.
    let out = harness.dir.path().join("exported");
    let today = time::OffsetDateTime::now_utc().date();
    let made = harness
        .engine
        .export(job.id, Some(&out), today, &ExportOptions::default())
        .unwrap();
    assert_eq!(made.people, 100);
    let marks = purchase_column(&made.paths[0]);
    assert_eq!(marks.len(), 100);
    for (id, in_purchase, collected_on) in marks {
        let bought = sent.contains(&id);
        assert_eq!(
            in_purchase,
            if bought { "yes" } else { "no" },
            "person {id}"
        );
        assert!(held.contains(&id) || bought, "person {id} matched");
        assert_eq!(
            collected_on.len(),
            10,
            "a date for person {id}: {collected_on:?}"
        );
    }
}

/// `(id, In this purchase, Collected on)` of every row of a workbook's People sheet, read by an
/// independent reader (calamine).
fn purchase_column(path: &std::path::Path) -> Vec<(i64, String, String)> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = workbook.worksheet_range("People").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|cell| cell.to_string())
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {header:?}"))
    };
    let (id, purchase, collected) = (
        column("Person ID"),
        column("In this purchase"),
        column("Collected on"),
    );
    range
        .rows()
        .skip(1)
        .map(|row| {
            let id = match &row[id] {
                Data::Float(id) => *id as i64,
                Data::Int(id) => *id,
                other => panic!("an id is a number, not {other:?}"),
            };
            let date = match &row[collected] {
                // Excel counts days from 1899-12-30.
                Data::DateTime(date) => (time::macros::date!(1899 - 12 - 30)
                    + time::Duration::days(date.as_f64() as i64))
                .to_string(),
                other => other.to_string(),
            };
            (id, row[purchase].to_string(), date)
        })
        .collect()
}

#[tokio::test]
async fn a_held_person_the_service_has_a_newer_copy_of_is_bought_again() {
    let harness = Harness::start(quick_sim()).await;
    let first = collect(&harness, 30).await;
    let held: Vec<i64> = downloaded_ids(&harness, first).into_iter().collect();
    // Our copies of three people are older than the service's: they changed since.
    let stale = &held[..3];
    for id in stale {
        sql(
            &harness,
            "UPDATE people SET last_updated = '2001-01-01' WHERE id = ?1",
            &[id],
        );
    }
    let quote = quote_python(&harness, 30).await;
    let split = quote.split.clone().unwrap();
    assert_eq!((split.new, split.changed, split.held), (0, 3, 27));
    assert!(
        quote.question.contains("3 changed since you got them"),
        "{}",
        quote.question
    );
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    assert_eq!(
        sent_ids(&harness, job.id),
        stale.iter().copied().collect::<BTreeSet<i64>>(),
        "exactly the changed people are sent"
    );
}

#[tokio::test]
async fn nothing_new_is_not_sent_and_everyone_again_is_explicit() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 25).await;
    let requests_before = harness.sim.requests().len();

    let quote = quote_python(&harness, 25).await;
    assert_eq!(quote.records, 0);
    assert!(
        quote.question.contains("nothing new to buy"),
        "{}",
        quote.question
    );
    let refused = harness.engine.submit(quote.id, true).await.unwrap_err();
    assert!(
        matches!(refused, EngineError::InvalidInput(_)),
        "{refused:?}"
    );
    assert_eq!(
        harness.sim.requests().len(),
        requests_before,
        "nothing was sent"
    );

    let again = harness
        .engine
        .quote_everyone(&query_job(python_query(), Some(25)))
        .await
        .unwrap();
    assert!(again.split.is_none());
    assert_eq!((again.kind, again.records), (JobKind::EsDsl, 25));
    assert!(again.is_again(), "the first collection is named");
}

#[tokio::test]
async fn a_price_checked_again_splits_the_search_again_not_the_list_left_to_buy() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 20).await;
    let quote = quote_python(&harness, 50).await;
    assert_eq!(quote.split.as_ref().unwrap().held, 20);
    // Meanwhile ten more of them are collected by hand (everyone, explicitly).
    let more = harness
        .engine
        .quote_everyone(&query_job(python_query(), Some(30)))
        .await
        .unwrap();
    let job = harness.engine.submit(more.id, true).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;

    let again = harness.engine.requote(quote.id).await.unwrap();
    let split = again.split.clone().unwrap();
    assert_eq!((split.new, split.held), (20, 30), "the library grew since");

    // Everyone again, from that price: the question says who is bought again.
    let everyone = harness.engine.requote_everyone(again.id).await.unwrap();
    assert!(everyone.split.is_none());
    assert_eq!(everyone.records, 50);
    assert!(
        everyone
            .question
            .contains("You already have 30 of them: they are bought again."),
        "{}",
        everyone.question
    );
}

#[tokio::test]
async fn an_id_list_run_again_buys_only_the_ids_not_held() {
    let harness = Harness::start(quick_sim()).await;
    let job = submit_job(&harness.engine, ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let held = downloaded_ids(&harness, job.id);

    let quote = harness
        .engine
        .quote(&ids_job("ids-valid.csv"))
        .await
        .unwrap();
    let split = quote.split.unwrap();
    assert_eq!(split.held as usize, held.len());
    assert_eq!((split.new, split.changed, quote.records), (0, 0, 0));
}

#[tokio::test]
async fn a_search_too_big_to_list_says_so_and_is_priced_whole() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 10).await;
    let everyone = collect_core::query::parse_query(r#"{"query": {"match_all": {}}}"#).unwrap();
    let quote = harness
        .engine
        .quote(&query_job(everyone, None))
        .await
        .unwrap();
    assert!(quote.split.is_none());
    let note = quote.library_note.clone().expect("why it was not checked");
    assert!(note.contains("More than 10,000"), "{note}");
    assert!(
        quote.question.contains(&note),
        "the question (also the native one) says it: {}",
        quote.question
    );
}

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
    let out = harness.dir.path().join("exported");
    let today = time::OffsetDateTime::now_utc().date();
    let made = harness
        .engine
        .export(job.id, Some(&out), today, &ExportOptions::default())
        .unwrap();
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
    let made = harness
        .engine
        .export(job.id, Some(&out), today, &csv)
        .unwrap();
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

#[tokio::test]
async fn a_person_the_service_no_longer_has_is_quoted_but_not_charged() {
    let harness = Harness::start(quick_sim()).await;
    let ids = |list: &[u64]| {
        let text: String = list.iter().map(|id| format!("{id}\n")).collect();
        let report = collect_core::ids::parse_id_list(text.as_bytes()).unwrap();
        collect_core::jobs::NewJob {
            name: Some("list".into()),
            request: collect_core::jobs::JobRequest::Ids {
                report,
                source_file: None,
                split: false,
                list: None,
            },
            webhook_url: None,
        }
    };
    let first = submit_job(&harness.engine, ids(&[1_001, 1_002]))
        .await
        .unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, first.id, JobState::Downloaded).await;
    assert!(harness.sim.delete_person(1_005));

    let quote = harness
        .engine
        .quote(&ids(&[1_001, 1_002, 1_003, 1_004, 1_005]))
        .await
        .unwrap();
    let split = quote.split.clone().unwrap();
    assert_eq!((split.new, split.changed, split.held), (3, 0, 2));
    let balance = harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    let charged = balance - harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap();
    assert_eq!(
        u64::try_from(charged).unwrap(),
        quote.credits - u64::from(quote.credits_per_record),
        "one profile fewer than quoted: the service no longer has it"
    );
}

/// Review 15: a search still being collected (sent, not downloaded) whose people are not in the
/// library yet is not bought a second time by a net-new quote without the "again" confirmation.
/// Before net-new quotes, the same search was caught by "collected before"; a net-new quote sends
/// an ID list, whose fingerprint no earlier job has.
#[tokio::test]
async fn a_search_still_being_collected_is_not_bought_again_unconfirmed() {
    let harness = Harness::start(quick_sim()).await;
    collect(&harness, 5).await;
    // The same search, larger, sent and not yet downloaded (no scheduler runs now).
    let in_flight = harness.submit_python(Some(50)).await;
    assert!(in_flight.request_id.is_some(), "it was sent");

    let quote = quote_python(&harness, 50).await;
    assert_eq!(quote.split.as_ref().unwrap().new, 45);
    let spent = harness.engine.submit(quote.id, false).await;
    assert!(
        matches!(spent, Err(EngineError::CollectedBefore { .. })),
        "the 45 people on their way were bought again without \"again\": {spent:?}"
    );
}

/// Review 15: deleting an earlier collection "without its people" does not take away the people a
/// later net-new purchase skipped because the library held them: that purchase's spreadsheet
/// still holds everyone who matched.
#[tokio::test]
async fn deleting_an_earlier_collection_keeps_the_people_a_later_purchase_relies_on() {
    let harness = Harness::start(quick_sim()).await;
    let first = collect(&harness, 20).await;
    let quote = quote_python(&harness, 50).await;
    assert_eq!(quote.split.as_ref().unwrap().held, 20);
    let job = harness.engine.submit(quote.id, false).await.unwrap();
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;

    harness.engine.delete(first, false).unwrap();

    let out = harness.dir.path().join("exported");
    let today = time::OffsetDateTime::now_utc().date();
    let made = harness
        .engine
        .export(job.id, Some(&out), today, &ExportOptions::default())
        .unwrap();
    assert_eq!(
        made.people, 50,
        "everyone who matched is in the purchase's spreadsheet"
    );
}
