//! Which people each job delivered, and what a newer copy changed, on a real database file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::super::tests::{gzip, id_of, sample_lines, setup};
use super::super::CLEAN_EMPLOYEE;

#[test]
fn a_newer_copy_records_what_changed_and_each_job_what_it_delivered() {
    let setup = setup();
    let lines = sample_lines();
    let (moved, edited, same) = (id_of(&lines[0]), id_of(&lines[1]), id_of(&lines[2]));
    let mut moved_line: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    moved_line["job_title"] = "Head of Sales".into();
    moved_line["last_updated"] = "2026-11-30".into();
    let mut edited_line: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    edited_line["skills"] = serde_json::json!(["rust", "sql"]);
    edited_line["last_updated"] = "2026-11-30".into();
    let mut dated_only: serde_json::Value = serde_json::from_str(&lines[2]).unwrap();
    dated_only["last_updated"] = "2026-11-30".into();

    let first = gzip(setup.dir.path(), "first.json.gz", &lines[..5]);
    let second = gzip(
        setup.dir.path(),
        "second.json.gz",
        &[
            moved_line.to_string(),
            edited_line.to_string(),
            dated_only.to_string(),
            lines[6].clone(),
        ],
    );
    setup
        .library
        .ingest(CLEAN_EMPLOYEE, 1, std::slice::from_ref(&first))
        .unwrap();
    setup.library.ingest(CLEAN_EMPLOYEE, 2, &[second]).unwrap();
    // The same job again (a resumed ingest) records nothing more.
    setup.library.ingest(CLEAN_EMPLOYEE, 1, &[first]).unwrap();

    let first_ids: Vec<i64> = {
        let mut ids: Vec<i64> = lines[..5].iter().map(|line| id_of(line)).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(setup.library.delivered(&[1]).unwrap(), first_ids);
    assert_eq!(setup.library.delivered(&[2]).unwrap().len(), 4);

    let changes = setup.library.changes_by(CLEAN_EMPLOYEE, &[2]).unwrap();
    let of = |id: i64| changes.iter().find(|change| change.id == id);
    let job = of(moved).expect("the person who moved job");
    assert_eq!(job.new_title.as_deref(), Some("Head of Sales"));
    assert_ne!(job.old_title, job.new_title);
    assert_eq!(job.fields, vec!["job_title".to_owned()]);
    let other = of(edited).expect("the person whose skills changed");
    assert_eq!(other.fields, vec!["skills".to_owned()]);
    assert_eq!(other.old_title, other.new_title);
    assert!(
        of(same).is_none(),
        "a new date alone is not a change to show"
    );
    assert_eq!(changes.len(), 2);
    assert!(setup
        .library
        .changes_by(CLEAN_EMPLOYEE, &[1])
        .unwrap()
        .is_empty());

    // Forgetting a person removes what was kept about them too.
    setup.library.forget(CLEAN_EMPLOYEE, moved).unwrap();
    assert!(setup
        .library
        .changes_by(CLEAN_EMPLOYEE, &[2])
        .unwrap()
        .iter()
        .all(|change| change.id != moved));
    assert!(!setup.library.delivered(&[1, 2]).unwrap().contains(&moved));
    let names = setup
        .library
        .names(CLEAN_EMPLOYEE, &[moved, edited])
        .unwrap();
    assert!(!names.contains_key(&moved) && names.contains_key(&edited));
}
