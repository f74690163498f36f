//! The people library end to end over real HTTP with the real simulator: downloads made before
//! the library existed imported at start-up (once, with progress, a job without its files skipped
//! with a note), and a collection deleted with or without its people (engine and CLI).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::BTreeSet;

use bulk_collect_tests::*;
use collect_core::jobs::{Engine, JobState, Mode};
use collect_core::library::{ImportProgress, Library};
use collect_core::query::{parse_query, EsQuery};
use collect_core::store::{JobRow, ListPage};

/// Collects `limit` people of `query` to the end; returns the job and the ids it downloaded.
async fn collect(harness: &Harness, query: EsQuery, limit: u32) -> (JobRow, BTreeSet<i64>) {
    let job = submit_job(&harness.engine, query_job(query, Some(limit)))
        .await
        .unwrap();
    let done = {
        let _scheduler = Scheduler::start(&harness.engine);
        wait_for_state(&harness.engine, job.id, JobState::Downloaded).await
    };
    let ids = harness
        .engine
        .detail(done.id)
        .unwrap()
        .files
        .iter()
        .flat_map(|file| read_records(std::path::Path::new(file.path.as_deref().unwrap())))
        .map(|record| record["id"].as_i64().unwrap())
        .collect();
    (done, ids)
}

/// Practice's library: the harness is in Practice mode.
fn practice() -> &'static str {
    Mode::Practice.library_dataset()
}

fn match_all() -> EsQuery {
    parse_query(r#"{"query": {"match_all": {}}}"#).unwrap()
}

fn held(library: &Library) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut page = 1;
    loop {
        let found = library.search(practice(), None, page).unwrap();
        ids.extend(found.people.iter().map(|person| person.id));
        if page >= found.pages {
            return ids;
        }
        page += 1;
    }
}

fn listed(engine: &Engine) -> Vec<i64> {
    let jobs = engine.list(&ListPage::default()).unwrap();
    jobs.iter().map(|job| job.id).collect()
}

#[tokio::test]
async fn downloads_from_before_the_library_are_imported_once_at_start_up() {
    let mut harness = Harness::start(quick_sim()).await;
    let (python, python_ids) = collect(&harness, python_query(), 30).await;
    let (everyone, everyone_ids) = collect(&harness, match_all(), 20).await;
    let (gone, _) = collect(&harness, match_all(), 5).await;
    // As an installation from before the library: no people, no job marked as taken in; and one
    // job's file moved away by the person.
    sql(&harness, "DELETE FROM people", &[]);
    sql(&harness, "DELETE FROM library_imports", &[]);
    for file in harness.engine.detail(gone.id).unwrap().files {
        std::fs::remove_file(file.path.unwrap()).unwrap();
    }

    let engine = harness.restart();
    let library = Library::new(engine.store().clone());
    let mut seen = Vec::new();
    let done = library
        .import_earlier(|progress| seen.push(*progress))
        .unwrap();

    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(
        done,
        ImportProgress {
            jobs_done: 3,
            jobs_total: 3,
            people: 50,
            finished: true
        }
    );
    let wanted: BTreeSet<i64> = python_ids.union(&everyone_ids).copied().collect();
    assert_eq!(held(&library), wanted);
    let person = *python_ids.iter().next().unwrap();
    let details = library.details(practice(), person).unwrap().unwrap();
    assert_eq!(details.first.job, python.id);
    assert_eq!(details.first.name.as_deref(), Some(python.name.as_str()));
    let trail = engine.detail(gone.id).unwrap().events;
    assert!(
        trail.iter().any(|event| event
            .detail
            .contains("could not be added to your people library")),
        "{trail:?}"
    );
    assert_eq!(everyone.state, JobState::Downloaded);

    // The next start finds nothing more to do.
    let engine = harness.restart();
    let again = Library::new(engine.store().clone())
        .import_earlier(|_| {})
        .unwrap();
    assert_eq!(again.jobs_total, 0);
}

#[tokio::test]
async fn a_collection_is_deleted_keeping_or_forgetting_its_people() {
    let harness = Harness::start(quick_sim()).await;
    let engine = &harness.engine;
    let (python, python_ids) = collect(&harness, python_query(), 30).await;
    let (everyone, everyone_ids) = collect(&harness, match_all(), 40).await;
    let library = Library::new(engine.store().clone());
    let before = held(&library);
    assert_eq!(before, python_ids.union(&everyone_ids).copied().collect());

    // Without its people: those the Python collection also brought stay.
    let deleted = engine.delete(everyone.id, false).unwrap();
    let only_everyone: BTreeSet<i64> = everyone_ids.difference(&python_ids).copied().collect();
    assert_eq!(deleted.people_forgotten, only_everyone.len() as u64);
    assert_eq!(held(&library), python_ids);
    assert_eq!(listed(engine), [python.id]);
    assert!(
        !finished_files(&harness).is_empty(),
        "the downloaded files are not touched"
    );
    // The money record still counts it.
    let ledger = engine.credit_ledger().unwrap();
    assert!(
        ledger
            .lines
            .iter()
            .any(|line| line.job_id == Some(everyone.id)),
        "{ledger:?}"
    );

    // The command line asks first; with --yes it deletes, keeping the people.
    let refused = run_cli(&harness, &["--json", "delete", &python.id.to_string()]);
    assert!(!refused.status.success());
    assert!(
        cli_error_message(&refused).contains("add --yes"),
        "{refused:?}"
    );
    let output = run_cli(
        &harness,
        &["--json", "delete", &python.id.to_string(), "--yes"],
    );
    assert!(output.status.success(), "{output:?}");
    let answer = stdout_json(&output);
    assert_eq!(answer["deleted"], true);
    assert_eq!(answer["people_forgotten"], 0);
    assert!(listed(engine).is_empty());
    assert_eq!(held(&library), python_ids);
}

#[tokio::test]
async fn a_collection_still_under_way_is_not_deleted() {
    let harness = Harness::start(quick_sim()).await;
    let job = harness.submit_python(Some(10)).await;

    let error = harness.engine.delete(job.id, true).unwrap_err();

    assert!(error.to_string().contains("has not finished"), "{error}");
    assert_eq!(listed(&harness.engine), [job.id]);
}
