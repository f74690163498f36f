//! The import of earlier downloads at start-up: once per job, oldest first, resuming after a
//! crash, skipping a job whose files are gone with a note on its trail (real database, real files).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests::{gzip, id_of, job_with_files, sample_lines, setup};
use super::*;

/// Practice's library: the jobs of these tests are Practice's.
const PRACTICE: &str = "practice/employee_clean";

#[test]
fn practice_jobs_go_to_practice_s_library() {
    assert_eq!(crate::jobs::Mode::Practice.library_dataset(), PRACTICE);
}

const MAY: &str = "2026-05-03T10:00:00.000000Z";
const JUNE: &str = "2026-06-03T10:00:00.000000Z";

fn imported(store: &Store) -> Vec<(i64, Option<i64>, Option<String>)> {
    let connection = store.lock();
    let mut select = connection
        .prepare("SELECT job_id, people, note FROM library_imports ORDER BY job_id")
        .unwrap();
    let rows = select
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn earlier_downloads_are_imported_once_oldest_first_with_progress() {
    let setup = setup();
    let lines = sample_lines();
    let june = gzip(setup.dir.path(), "june.json.gz", &lines[50..150]);
    let may = gzip(setup.dir.path(), "may.json.gz", &lines[..100]);
    // The June job was written first: the order is the download's, not the job number's.
    let june_job = job_with_files(&setup.store, ("June", "downloaded", None), &[june], JUNE);
    let may_job = job_with_files(&setup.store, ("May", "downloaded", None), &[may], MAY);
    job_with_files(&setup.store, ("Running", "downloading", None), &[], JUNE);

    let mut seen = Vec::new();
    let done = setup
        .library
        .import_earlier(|progress| seen.push(*progress))
        .unwrap();

    let progress = |jobs_done, people, finished| ImportProgress {
        jobs_done,
        jobs_total: 2,
        people,
        finished,
    };
    assert_eq!(
        seen,
        [
            progress(0, 0, false),
            progress(1, 100, false),
            progress(2, 200, true)
        ]
    );
    assert_eq!(done, progress(2, 200, true));
    assert_eq!(setup.library.count(PRACTICE).unwrap(), 150);
    let both = setup
        .library
        .details(PRACTICE, id_of(&lines[60]))
        .unwrap()
        .unwrap();
    assert_eq!((both.first.job, both.first.at.as_str()), (may_job, MAY));
    assert_eq!((both.last.job, both.last.at.as_str()), (june_job, JUNE));
    assert_eq!(
        imported(&setup.store),
        [(june_job, Some(100), None), (may_job, Some(100), None)]
    );

    let mut again = Vec::new();
    let second = setup
        .library
        .import_earlier(|progress| again.push(*progress))
        .unwrap();
    assert_eq!(second.jobs_total, 0, "each job is imported once");
    assert!(second.finished);
}

#[test]
fn an_import_of_an_older_download_never_replaces_a_newer_copy() {
    let setup = setup();
    let lines = sample_lines();
    let newer = gzip(setup.dir.path(), "new.json.gz", &lines[..10]);
    let older = gzip(setup.dir.path(), "old.json.gz", &lines[..10]);
    // Collected live after the upgrade (now), then the May download is imported.
    setup.library.ingest(PRACTICE, 7, &[newer]).unwrap();
    let may_job = job_with_files(&setup.store, ("May", "downloaded", None), &[older], MAY);

    setup.library.import_earlier(|_| {}).unwrap();

    let person = setup
        .library
        .details(PRACTICE, id_of(&lines[0]))
        .unwrap()
        .unwrap();
    assert_eq!((person.first.job, person.first.at.as_str()), (may_job, MAY));
    assert_eq!(person.last.job, 7, "the newer collection stays the last");
    assert_ne!(person.last.at, MAY);
}

#[test]
fn a_job_whose_files_are_gone_is_skipped_with_a_note_and_not_tried_again() {
    let setup = setup();
    let lines = sample_lines();
    let kept = gzip(setup.dir.path(), "kept.json.gz", &lines[..5]);
    let gone = setup.dir.path().join("moved-away.json.gz");
    let missing = job_with_files(&setup.store, ("Gone", "downloaded", None), &[gone], MAY);
    let fine = job_with_files(&setup.store, ("Fine", "downloaded", None), &[kept], JUNE);

    let done = setup.library.import_earlier(|_| {}).unwrap();

    assert_eq!((done.jobs_done, done.people), (2, 5));
    let trail = setup.store.events(missing).unwrap();
    let note = &trail.last().unwrap().detail;
    assert!(
        note.contains("could not be added to your people library"),
        "{trail:?}"
    );
    let marks = imported(&setup.store);
    assert_eq!(marks[1], (fine, Some(5), None));
    assert_eq!(marks[0].0, missing);
    assert!(marks[0]
        .2
        .as_deref()
        .unwrap()
        .contains("moved-away.json.gz"));
    let again = setup.library.import_earlier(|_| {}).unwrap();
    assert_eq!(again.jobs_total, 0);
}

#[test]
fn an_import_cut_short_resumes_with_the_jobs_not_done() {
    let setup = setup();
    let lines = sample_lines();
    let first = gzip(setup.dir.path(), "a.json.gz", &lines[..5]);
    let second = gzip(setup.dir.path(), "b.json.gz", &lines[5..15]);
    let a = job_with_files(
        &setup.store,
        ("A", "downloaded", None),
        std::slice::from_ref(&first),
        MAY,
    );
    job_with_files(&setup.store, ("B", "downloaded", None), &[second], JUNE);
    // The app stopped after the first job: it alone is in the library, and marked.
    setup
        .library
        .ingest_collected(PRACTICE, a, &[first], MAY)
        .unwrap();

    let done = setup.library.import_earlier(|_| {}).unwrap();

    assert_eq!((done.jobs_total, done.people), (1, 10));
    assert_eq!(setup.library.count(PRACTICE).unwrap(), 15);
}

#[test]
fn a_deleted_job_is_not_imported() {
    let setup = setup();
    let lines = sample_lines();
    let file = gzip(setup.dir.path(), "a.json.gz", &lines[..5]);
    let job = job_with_files(&setup.store, ("A", "downloaded", None), &[file], MAY);
    assert!(setup.store.mark_deleted(job).unwrap());

    let done = setup.library.import_earlier(|_| {}).unwrap();

    assert_eq!(done.jobs_total, 0);
    assert_eq!(setup.library.count(PRACTICE).unwrap(), 0);
}
