//! The people library on a real database file, fed real gzip files made from the shared sample.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::*;

pub(crate) fn sample_lines() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/employees-sample.jsonl.gz");
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// A gzip JSON Lines file of `lines` in `dir`.
pub(crate) fn gzip(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    for line in lines {
        writeln!(encoder, "{line}").unwrap();
    }
    encoder.finish().unwrap();
    path
}

pub(super) struct Setup {
    pub(super) dir: tempfile::TempDir,
    pub(super) store: Store,
    pub(super) library: Library,
}

pub(super) fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("library.sqlite3")).unwrap();
    let library = Library::new(store.clone());
    Setup {
        dir,
        store,
        library,
    }
}

pub(crate) fn id_of(line: &str) -> i64 {
    serde_json::from_str::<serde_json::Value>(line).unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Every column but `last_collected_at`, of every person, in id order.
fn rows(store: &Store) -> Vec<Vec<rusqlite::types::Value>> {
    let connection = store.lock();
    let mut select = connection
        .prepare(
            "SELECT dataset, id, record, last_updated, name, title, company, country,
                    first_job, first_collected_at, last_job
             FROM people ORDER BY dataset, id",
        )
        .unwrap();
    let rows = select
        .query_map([], |row| {
            (0..11)
                .map(|column| row.get(column))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn text_column(store: &Store, column: &str, id: i64) -> Option<String> {
    store
        .lock()
        .query_row(
            &format!("SELECT {column} FROM people WHERE id = ?1"),
            [id],
            |row| row.get(0),
        )
        .unwrap()
}

fn job_columns(store: &Store, id: i64) -> (i64, String, i64, String) {
    store
        .lock()
        .query_row(
            "SELECT first_job, first_collected_at, last_job, last_collected_at FROM people WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .unwrap()
}

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

#[test]
fn a_lookup_of_10000_ids_returns_exactly_the_held_ones() {
    let setup = setup();
    let lines = sample_lines();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &lines);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    let held: std::collections::BTreeSet<i64> = lines.iter().map(|line| id_of(line)).collect();
    let mut ids: Vec<i64> = held.iter().copied().collect();
    ids.extend((1..).map(|n| -n).take(10_000 - ids.len()));
    ids.reverse();
    assert_eq!(ids.len(), 10_000);

    let found = setup.library.lookup(CLEAN_EMPLOYEE, &ids).unwrap();
    let found_ids: std::collections::BTreeSet<i64> = found.iter().map(|held| held.id).collect();
    assert_eq!(found_ids, held);
    assert_eq!(found.len(), held.len(), "each person once");
    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    let person = found
        .iter()
        .find(|held| held.id == id_of(&lines[0]))
        .unwrap();
    assert_eq!(
        person.last_updated.as_deref(),
        first["last_updated"].as_str()
    );
    assert_eq!(
        person.last_collected_at,
        job_columns(&setup.store, person.id).3
    );

    assert!(setup
        .library
        .lookup("another_dataset", &ids)
        .unwrap()
        .is_empty());
    assert_eq!(
        setup.library.lookup(CLEAN_EMPLOYEE, &ids[..10]).unwrap(),
        [],
        "a second lookup starts empty"
    );
}

#[test]
fn forgetting_a_person_deletes_them_and_keeps_only_that_it_happened() {
    let setup = setup();
    let lines = sample_lines();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &lines);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    let id = id_of(&lines[3]);

    assert!(setup.library.forget(CLEAN_EMPLOYEE, id).unwrap());
    assert_eq!(setup.library.person(CLEAN_EMPLOYEE, id).unwrap(), None);
    assert!(setup
        .library
        .lookup(CLEAN_EMPLOYEE, &[id])
        .unwrap()
        .is_empty());
    assert_eq!(setup.library.count(CLEAN_EMPLOYEE).unwrap(), 199);
    assert!(
        !setup.library.forget(CLEAN_EMPLOYEE, id).unwrap(),
        "not held any more"
    );

    let connection = setup.store.lock();
    let events: Vec<(String, String, String, i64)> = connection
        .prepare("SELECT at, kind, dataset, person_id FROM library_events")
        .unwrap()
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let (at, kind, dataset, person) = &events[0];
    assert!(crate::store::parse_time(at).is_some());
    assert_eq!(
        (kind.as_str(), dataset.as_str(), *person),
        ("forgotten", CLEAN_EMPLOYEE, id)
    );
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

/// The sample's 200 people in the library, and the results table's rows of them.
fn sampled() -> (Setup, Vec<crate::export::table::PersonRow>) {
    let setup = setup();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &sample_lines());
    setup
        .library
        .ingest(CLEAN_EMPLOYEE, 4, std::slice::from_ref(&file))
        .unwrap();
    let table = crate::export::read_people(&[file]).unwrap();
    (setup, table)
}

/// The ids of the sample's people with `text` in their name, title, company or country (any
/// case of ASCII letters, as SQLite's LIKE).
fn holding(
    table: &[crate::export::table::PersonRow],
    text: &str,
) -> std::collections::BTreeSet<i64> {
    table
        .iter()
        .filter(|row| {
            [&row.name, &row.title, &row.company, &row.country]
                .iter()
                .any(|value| {
                    value
                        .to_ascii_lowercase()
                        .contains(&text.to_ascii_lowercase())
                })
        })
        .map(|row| row.id.parse().unwrap())
        .collect()
}

/// Every id a search finds, all pages.
fn found_ids(library: &Library, text: Option<&str>) -> std::collections::BTreeSet<i64> {
    let first = library.search(CLEAN_EMPLOYEE, text, 1).unwrap();
    let mut ids: std::collections::BTreeSet<i64> = Default::default();
    for page in 1..=first.pages.max(1) {
        let page = library.search(CLEAN_EMPLOYEE, text, page).unwrap();
        assert_eq!(page.total, first.total);
        ids.extend(page.people.iter().map(|person| person.id));
    }
    assert_eq!(ids.len() as u64, first.total);
    ids
}

#[test]
fn a_search_finds_people_by_name_title_company_and_country_in_any_case() {
    let (setup, table) = sampled();
    let row = table.iter().find(|row| !row.company.is_empty()).unwrap();
    let name_part: String = row.name.split_whitespace().last().unwrap().to_uppercase();
    let title_part: String = row.title.chars().take(5).collect::<String>().to_lowercase();
    let company = row.company.to_uppercase();
    let country = row.country.to_lowercase();
    for text in [&name_part, &title_part, &company, &country] {
        let expected = holding(&table, text);
        assert!(expected.contains(&row.id.parse().unwrap()), "{text}");
        assert!(expected.len() < table.len(), "{text} narrows the search");
        assert_eq!(found_ids(&setup.library, Some(text)), expected, "{text}");
    }
    let page = setup
        .library
        .search(CLEAN_EMPLOYEE, Some(&company), 1)
        .unwrap();
    let person = page
        .people
        .iter()
        .find(|person| person.id.to_string() == row.id)
        .unwrap();
    assert_eq!(person.name.as_deref(), Some(row.name.as_str()));
    assert_eq!(person.company.as_deref(), Some(row.company.as_str()));
    assert_eq!(person.last_job, 4);
    assert!(crate::store::parse_time(&person.last_collected_at).is_some());
    assert_eq!(
        setup
            .library
            .search(CLEAN_EMPLOYEE, Some("no one is called this"), 1)
            .unwrap(),
        Page {
            total: 0,
            page: 1,
            pages: 0,
            people: vec![]
        }
    );
    assert_eq!(
        setup
            .library
            .search("another_dataset", None, 1)
            .unwrap()
            .total,
        0
    );
}

#[test]
fn a_percent_sign_or_underscore_in_the_text_is_taken_literally() {
    let setup = setup();
    let lines = sample_lines();
    let named = |n: usize, name: &str| {
        let mut record: serde_json::Value = serde_json::from_str(&lines[n]).unwrap();
        record["full_name"] = name.into();
        record.to_string()
    };
    let file = gzip(
        setup.dir.path(),
        "part-0.json.gz",
        &[
            named(0, "Ann 100% Sure"),
            named(1, "Ann 100 Sure"),
            named(2, "Bo_b Under"),
            named(3, "Boxb Under"),
            named(4, "Back\\slash"),
        ],
    );
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();
    let names = |text: &str| -> Vec<String> {
        let page = setup.library.search(CLEAN_EMPLOYEE, Some(text), 1).unwrap();
        page.people.into_iter().filter_map(|p| p.name).collect()
    };
    assert_eq!(names("100%"), ["Ann 100% Sure"]);
    assert_eq!(names("%"), ["Ann 100% Sure"]);
    assert_eq!(names("o_b"), ["Bo_b Under"]);
    assert_eq!(names("_"), ["Bo_b Under"]);
    assert_eq!(names("k\\s"), ["Back\\slash"]);
    assert_eq!(names("  ").len(), 5, "a blank text finds everyone");
}

#[test]
fn a_search_is_paged_by_name_then_id_with_the_total() {
    let setup = setup();
    let lines = sample_lines();
    // 250 people: the sample's 200 again under new ids, some without a name.
    let many: Vec<String> = (0..250)
        .map(|n| {
            let mut record: serde_json::Value =
                serde_json::from_str(&lines[n % lines.len()]).unwrap();
            record["id"] = (1_000 + n as i64).into();
            if n % 50 == 0 {
                record.as_object_mut().unwrap().remove("full_name");
            }
            record.to_string()
        })
        .collect();
    let file = gzip(setup.dir.path(), "part-0.json.gz", &many);
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[file]).unwrap();

    let pages: Vec<Page> = (1..=3)
        .map(|page| setup.library.search(CLEAN_EMPLOYEE, None, page).unwrap())
        .collect();
    assert_eq!(
        pages
            .iter()
            .map(|page| page.people.len())
            .collect::<Vec<_>>(),
        [100, 100, 50]
    );
    for (n, page) in pages.iter().enumerate() {
        assert_eq!((page.total, page.pages, page.page), (250, 3, n as u32 + 1));
    }
    assert_eq!(
        setup.library.search(CLEAN_EMPLOYEE, None, 0).unwrap(),
        pages[0]
    );
    assert!(setup
        .library
        .search(CLEAN_EMPLOYEE, None, 4)
        .unwrap()
        .people
        .is_empty());

    let all: Vec<&Found> = pages.iter().flat_map(|page| &page.people).collect();
    let ids: std::collections::BTreeSet<i64> = all.iter().map(|person| person.id).collect();
    assert_eq!(ids.len(), 250, "no one twice, no one left out");
    let key = |person: &Found| {
        (
            person.name.is_none(),
            person.name.clone().unwrap_or_default().to_ascii_lowercase(),
            person.name.clone(),
            person.id,
        )
    };
    let mut sorted = all.clone();
    sorted.sort_by_key(|person| key(person));
    assert_eq!(all, sorted, "by name, then id");
    assert!(all[245..].iter().all(|person| person.name.is_none()));
}

#[test]
fn counts_by_country_and_company_follow_the_search() {
    let (setup, table) = sampled();
    let expected = |rows: &[&crate::export::table::PersonRow],
                    field: fn(&crate::export::table::PersonRow) -> &str| {
        let mut counts: std::collections::BTreeMap<&str, u64> = Default::default();
        for row in rows {
            if !field(row).is_empty() {
                *counts.entry(field(row)).or_default() += 1;
            }
        }
        let mut counts: Vec<Count> = counts
            .into_iter()
            .map(|(value, people)| Count {
                value: value.to_owned(),
                people,
            })
            .collect();
        counts.sort_by(|a, b| b.people.cmp(&a.people).then_with(|| a.value.cmp(&b.value)));
        counts.truncate(TOP as usize);
        counts
    };
    let everyone: Vec<_> = table.iter().collect();
    let counts = setup.library.counts(CLEAN_EMPLOYEE, None).unwrap();
    assert_eq!(
        counts.countries,
        expected(&everyone, |row| row.country.as_str())
    );
    assert_eq!(
        counts.companies,
        expected(&everyone, |row| row.company.as_str())
    );
    assert!(!counts.countries.is_empty() && counts.companies.len() <= TOP as usize);

    let country = counts.countries[0].value.clone();
    let held = holding(&table, &country);
    let matching: Vec<_> = table
        .iter()
        .filter(|row| held.contains(&row.id.parse().unwrap()))
        .collect();
    let filtered = setup
        .library
        .counts(CLEAN_EMPLOYEE, Some(&country))
        .unwrap();
    assert_eq!(
        filtered.countries,
        expected(&matching, |row| row.country.as_str())
    );
    assert_eq!(
        filtered.companies,
        expected(&matching, |row| row.company.as_str())
    );
    assert_eq!(
        setup
            .library
            .counts(CLEAN_EMPLOYEE, Some("no one is called this"))
            .unwrap(),
        Counts {
            countries: vec![],
            companies: vec![],
        }
    );
}

/// A job of `mode` in `state`, named `name`, with `files` downloaded at `at` (a batch of `parent`
/// when given): written as the engine leaves one, for the tests of deleting and importing.
pub(crate) fn job_with_files(
    store: &Store,
    (name, state, parent): (&str, &str, Option<i64>),
    files: &[PathBuf],
    at: &str,
) -> i64 {
    let connection = store.lock();
    connection
        .execute(
            "INSERT INTO jobs (mode, name, kind, state, fingerprint, credits_per_record, \
             download_dir, created_at, updated_at, parent_id, request_id) \
             VALUES ('practice', ?1, 'id_file', ?2, ?1, 1, '', ?3, ?3, ?4, 'req-' || ?1)",
            rusqlite::params![name, state, at, parent],
        )
        .unwrap();
    let job = connection.last_insert_rowid();
    for (position, path) in files.iter().enumerate() {
        connection
            .execute(
                "INSERT INTO job_files (job_id, position, server_name, local_name, state, path, \
                 records, updated_at) VALUES (?1, ?2, ?3, ?3, 'done', ?4, 1, ?5)",
                rusqlite::params![
                    job,
                    position as i64,
                    path.file_name().unwrap().to_string_lossy(),
                    path.display().to_string(),
                    at
                ],
            )
            .unwrap();
    }
    job
}
