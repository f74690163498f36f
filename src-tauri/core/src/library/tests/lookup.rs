//! Who is held: a lookup of 10,000 ids returns exactly the held ones; a person forgotten is gone,
//! and only that it happened is kept.

use super::*;

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
