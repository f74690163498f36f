//! Deleting a finished collection: it leaves the list but its row (and money record) stays, its
//! files stay on disk, and its people stay unless the person says otherwise (real database, real
//! files).

use crate::error::{Coded, ErrorCode};
use crate::library::tests::{gzip, id_of, job_with_files, sample_lines};
use crate::library::Library;
use crate::store::ListPage;

use super::tests::engine;
use super::*;

/// Practice's library (the engine of these tests is Practice's).
const PRACTICE: &str = "practice/employee_clean";

const MAY: &str = "2026-05-03T10:00:00.000000Z";
const JUNE: &str = "2026-06-03T10:00:00.000000Z";

fn listed(engine: &Engine) -> Vec<i64> {
    engine
        .list(&ListPage::default())
        .unwrap()
        .iter()
        .map(|job| job.id)
        .collect()
}

fn forgotten_events(engine: &Engine) -> i64 {
    engine
        .store()
        .lock()
        .query_row(
            "SELECT count(*) FROM library_events WHERE kind = 'forgotten'",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

#[test]
fn a_finished_job_leaves_the_list_keeping_its_row_files_and_people() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let lines = sample_lines();
    let file = gzip(dir.path(), "a.json.gz", &lines[..20]);
    let job = job_with_files(
        engine.store(),
        ("A", "downloaded", None),
        std::slice::from_ref(&file),
        MAY,
    );
    let library = Library::new(engine.store().clone());
    library
        .ingest(PRACTICE, job, std::slice::from_ref(&file))
        .unwrap();
    assert_eq!(listed(&engine), [job]);

    let deleted = engine.delete(job, true).unwrap();

    assert_eq!((deleted.job, deleted.people_forgotten), (job, 0));
    assert!(listed(&engine).is_empty());
    assert!(engine.store().is_deleted(job).unwrap());
    assert_eq!(
        engine.job(job).unwrap().state,
        JobState::Downloaded,
        "the row stays"
    );
    assert!(file.exists(), "the downloaded file is not touched");
    assert_eq!(library.count(PRACTICE).unwrap(), 20);
    let trail = engine.store().events(job).unwrap();
    assert!(
        trail
            .last()
            .unwrap()
            .detail
            .contains("Deleted from the list"),
        "{trail:?}"
    );
}

#[test]
fn deleting_without_keeping_people_forgets_only_those_no_other_job_brought() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let lines = sample_lines();
    let a = gzip(dir.path(), "a.json.gz", &lines[..20]);
    let b = gzip(dir.path(), "b.json.gz", &lines[15..30]);
    let first = job_with_files(
        engine.store(),
        ("A", "downloaded", None),
        std::slice::from_ref(&a),
        MAY,
    );
    let second = job_with_files(
        engine.store(),
        ("B", "downloaded", None),
        std::slice::from_ref(&b),
        JUNE,
    );
    let library = Library::new(engine.store().clone());
    library
        .ingest_collected(PRACTICE, first, std::slice::from_ref(&a), MAY)
        .unwrap();
    library
        .ingest_collected(PRACTICE, second, &[b], JUNE)
        .unwrap();

    let deleted = engine.delete(first, false).unwrap();

    assert_eq!(
        deleted.people_forgotten, 15,
        "lines 15–19 were also brought by B"
    );
    assert_eq!(library.count(PRACTICE).unwrap(), 15);
    assert!(library
        .details(PRACTICE, id_of(&lines[0]))
        .unwrap()
        .is_none());
    assert!(library
        .details(PRACTICE, id_of(&lines[17]))
        .unwrap()
        .is_some());
    assert_eq!(forgotten_events(&engine), 15);
    assert!(a.exists());
    assert_eq!(listed(&engine), [second]);
}

#[test]
fn an_unfinished_job_is_refused_in_words_and_stays() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = job_with_files(engine.store(), ("Busy", "downloading", None), &[], MAY);

    let error = engine.delete(job, false).unwrap_err();

    assert_eq!(error.code(), ErrorCode::InvalidState);
    assert_eq!(
        error.to_string(),
        "This collection has not finished, so it cannot be deleted yet. Wait until it has \
         finished, or stop it first."
    );
    assert_eq!(listed(&engine), [job]);
    assert!(!engine.store().is_deleted(job).unwrap());
}

#[test]
fn a_collection_is_deleted_with_its_batches_and_their_people() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let lines = sample_lines();
    let one = gzip(dir.path(), "one.json.gz", &lines[..10]);
    let two = gzip(dir.path(), "two.json.gz", &lines[10..25]);
    let parent = job_with_files(engine.store(), ("Long list", "collection", None), &[], MAY);
    let batches = [
        job_with_files(
            engine.store(),
            ("b1", "downloaded", Some(parent)),
            std::slice::from_ref(&one),
            MAY,
        ),
        job_with_files(
            engine.store(),
            ("b2", "downloaded", Some(parent)),
            std::slice::from_ref(&two),
            MAY,
        ),
    ];
    let library = Library::new(engine.store().clone());
    library.ingest(PRACTICE, batches[0], &[one]).unwrap();
    library.ingest(PRACTICE, batches[1], &[two]).unwrap();

    let deleted = engine.delete(parent, false).unwrap();

    assert_eq!(deleted.people_forgotten, 25);
    assert_eq!(library.count(PRACTICE).unwrap(), 0);
    for batch in batches {
        assert!(engine.store().is_deleted(batch).unwrap());
    }
    assert!(listed(&engine).is_empty());
}

/// Review 15: a person forgotten with their collection leaves nothing of theirs behind, as "forget
/// this person" does: not the changes kept of their copy (old and new title and company), nor
/// which job brought them.
#[test]
fn people_forgotten_with_their_collection_leave_no_changes_or_deliveries_behind() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let lines = sample_lines();
    let first = gzip(dir.path(), "a.json.gz", &lines[..5]);
    // The same people, one of them with a field changed: a later batch of the same collection.
    let mut changed: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    changed["headline"] = serde_json::json!("Head of Everything at Globex");
    let mut later_lines = lines[..5].to_vec();
    later_lines[0] = changed.to_string();
    let later = gzip(dir.path(), "b.json.gz", &later_lines);
    let collection = job_with_files(
        engine.store(),
        ("A", "downloaded", None),
        &[first.clone(), later.clone()],
        MAY,
    );
    let library = Library::new(engine.store().clone());
    library
        .ingest_collected(PRACTICE, collection, &[first], MAY)
        .unwrap();
    library
        .ingest_collected(PRACTICE, collection, &[later], JUNE)
        .unwrap();
    let person = id_of(&lines[0]);
    let kept = |table: &str| -> i64 {
        engine
            .store()
            .lock()
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE person_id = ?1"),
                [person],
                |row| row.get(0),
            )
            .unwrap()
    };
    assert_eq!(kept("library_changes"), 1, "the change was kept");

    let deleted = engine.delete(collection, false).unwrap();

    assert_eq!(deleted.people_forgotten, 5);
    assert_eq!(
        kept("library_changes"),
        0,
        "their old and new jobs are gone"
    );
    assert_eq!(kept("job_people"), 0, "which job brought them is gone");
}
