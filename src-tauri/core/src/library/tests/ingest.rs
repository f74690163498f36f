//! A job's files into the library: the fields the results table shows, the first job kept and the
//! later copy taken, unreadable lines skipped and counted, a damaged file named, packed copies.

use super::*;

#[test]
fn a_job_s_people_are_kept_with_the_fields_the_results_table_shows() {
    let setup = setup();
    let lines = sample_lines();
    let half = lines.len() / 2;
    let files = [
        gzip(setup.dir.path(), "part-0.json.gz", &lines[..half]),
        gzip(setup.dir.path(), "part-1.json.gz", &lines[half..]),
    ];
    let ingested = setup.library.ingest(CLEAN_EMPLOYEE, 7, &files).unwrap();
    assert_eq!(
        ingested,
        Ingested {
            people: lines.len() as u64,
            skipped: 0
        }
    );
    assert_eq!(setup.library.count(CLEAN_EMPLOYEE).unwrap(), 200);
    assert_eq!(setup.library.count("another_dataset").unwrap(), 0);

    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    let id = first["id"].as_i64().unwrap();
    assert_eq!(
        setup.library.person(CLEAN_EMPLOYEE, id).unwrap(),
        Some(first.clone()),
        "the copy is the record as downloaded"
    );
    assert_eq!(setup.library.person(CLEAN_EMPLOYEE, -1).unwrap(), None);
    let table = crate::export::read_people(&files).unwrap();
    let row = table.iter().find(|row| row.id == id.to_string()).unwrap();
    let column = |name| text_column(&setup.store, name, id).unwrap_or_default();
    assert_eq!(column("name"), row.name);
    assert_eq!(column("title"), row.title);
    assert_eq!(column("company"), row.company);
    assert_eq!(column("country"), row.country);
    assert_eq!(
        text_column(&setup.store, "last_updated", id).as_deref(),
        first["last_updated"].as_str()
    );
    let (first_job, first_at, last_job, last_at) = job_columns(&setup.store, id);
    assert_eq!((first_job, last_job), (7, 7));
    assert_eq!(first_at, last_at);
    assert!(crate::store::parse_time(&first_at).is_some(), "{first_at}");
}

#[test]
fn ingesting_a_job_again_changes_only_when_it_was_last_collected() {
    let setup = setup();
    let files = [gzip(setup.dir.path(), "part-0.json.gz", &sample_lines())];
    setup.library.ingest(CLEAN_EMPLOYEE, 3, &files).unwrap();
    let before = rows(&setup.store);
    let id = id_of(&sample_lines()[0]);
    let (_, _, _, collected) = job_columns(&setup.store, id);

    let again = setup.library.ingest(CLEAN_EMPLOYEE, 3, &files).unwrap();
    assert_eq!(again.people, 200);
    assert_eq!(rows(&setup.store), before);
    assert_eq!(setup.library.count(CLEAN_EMPLOYEE).unwrap(), 200);
    let (_, _, _, collected_again) = job_columns(&setup.store, id);
    assert!(collected_again >= collected);
}

#[test]
fn a_person_in_two_jobs_keeps_the_first_job_and_takes_the_later_copy() {
    let setup = setup();
    let lines = sample_lines();
    let id = id_of(&lines[0]);
    let mut changed: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    changed["job_title"] = "Head of Sales".into();
    changed["last_updated"] = "2026-11-30".into();
    let first = gzip(setup.dir.path(), "first.json.gz", &lines[..10]);
    let second = gzip(
        setup.dir.path(),
        "second.json.gz",
        &[changed.to_string(), lines[10].clone()],
    );

    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[first]).unwrap();
    let (_, first_at, _, _) = job_columns(&setup.store, id);
    setup.library.ingest(CLEAN_EMPLOYEE, 2, &[second]).unwrap();

    let (first_job, first_at_after, last_job, last_at) = job_columns(&setup.store, id);
    assert_eq!((first_job, last_job), (1, 2));
    assert_eq!(first_at_after, first_at, "the first collection is kept");
    assert!(last_at >= first_at);
    assert_eq!(
        text_column(&setup.store, "title", id).as_deref(),
        Some("Head of Sales")
    );
    assert_eq!(
        text_column(&setup.store, "last_updated", id).as_deref(),
        Some("2026-11-30")
    );
    assert_eq!(
        setup.library.person(CLEAN_EMPLOYEE, id).unwrap(),
        Some(changed)
    );
    let only_first = id_of(&lines[1]);
    assert_eq!(job_columns(&setup.store, only_first).2, 1);
    assert_eq!(job_columns(&setup.store, id_of(&lines[10])).0, 2);
    assert_eq!(setup.library.count(CLEAN_EMPLOYEE).unwrap(), 11);
}

#[test]
fn a_line_without_a_readable_person_is_skipped_and_counted() {
    let setup = setup();
    let lines = sample_lines();
    let file = gzip(
        setup.dir.path(),
        "part-0.json.gz",
        &[
            lines[0].clone(),
            r#"{"id": 5, "full_name": "cut sho"#.into(),
            r#"{"full_name": "No Id"}"#.into(),
            r#"{"id": "abc", "full_name": "Text Id"}"#.into(),
            "[1, 2]".into(),
            lines[1].clone(),
        ],
    );
    let ingested = setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    assert_eq!(
        ingested,
        Ingested {
            people: 2,
            skipped: 4
        }
    );
    assert_eq!(setup.library.count(CLEAN_EMPLOYEE).unwrap(), 2);
}

#[test]
fn a_damaged_file_fails_the_ingest_and_names_it() {
    let setup = setup();
    let path = setup.dir.path().join("part-0.json.gz");
    let whole = std::fs::read(gzip(setup.dir.path(), "whole.json.gz", &sample_lines())).unwrap();
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let error = setup
        .library
        .ingest(CLEAN_EMPLOYEE, 1, &[path])
        .unwrap_err();
    assert!(matches!(error, LibraryError::Read(_)), "{error:?}");
    assert!(error.to_string().contains("part-0.json.gz"), "{error}");
}

#[test]
fn people_are_written_in_several_transactions() {
    let setup = setup();
    let lines = sample_lines();
    let many: Vec<String> = (0..2_500)
        .map(|n| {
            let mut record: serde_json::Value =
                serde_json::from_str(&lines[n % lines.len()]).unwrap();
            record["id"] = (1_000_000 + n as i64).into();
            record.to_string()
        })
        .collect();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &many);
    let ingested = setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    assert_eq!(ingested.people, 2_500);
    assert_eq!(setup.library.count(CLEAN_EMPLOYEE).unwrap(), 2_500);
}

/// Prints what a person takes, packed and in the database, against the JSON line (run with
/// `--nocapture`).
#[test]
fn a_kept_copy_is_smaller_than_its_line() {
    let setup = setup();
    let lines = sample_lines();
    let raw: usize = lines.iter().map(String::len).sum();
    let mut reader = record::Reader::new().unwrap();
    let packed: usize = lines
        .iter()
        .map(|line| match reader.read(line).unwrap() {
            record::Line::Person(person) => person.record.len(),
            record::Line::Skipped => panic!("a sample line is a person"),
        })
        .sum();
    let people = lines.len();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &lines);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    let pages: i64 = setup
        .store
        .lock()
        .query_row(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN ('people', 'sqlite_autoindex_people_1')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    println!(
        "{people} people: {} bytes of JSON a person, {} packed, {} in the database",
        raw / people,
        packed / people,
        pages as usize / people
    );
    assert!(packed < raw / 2, "{packed} packed of {raw}");
}
